// Whole-cluster benchmarks of the controllers in simulated time.
//
//   outage/az_loss     a 1,000-node, 10,000-pod cluster (3 AZs) loses one AZ for an hour and
//                      recovers: wall time of the outage phase (after the setup), simulated
//                      seconds per wall second, and events/s of the whole model;
//   outage/hold_ref    the core's hold model (N = 1,000) in the same process: events/s of the
//                      bare event loop, the reference the model's events/s is compared with;
//   outage/seed001_year seed 001's cluster (9 nodes, 6 Cassandra pods, the data service) over
//                      one simulated year with one instance termination a week: wall time per
//                      run, setup included (target: under 5 ms);
//   outage/one_set_setup one StatefulSet of N pods (Parallel, no volumes) on 100 nodes, then
//                      of 4N: wall time of each setup and their ratio, about 4 while the cost
//                      of placing a pod does not grow with the pods already placed (16 if it
//                      grew in proportion to them).
//
// AZSIM_BENCH_SMOKE=1 shrinks the cluster and the year so CI finishes in about a second.
// AZSIM_BENCH_LABELS=1 also prints how many events of each label one seed001_year run and one
// az_loss outage phase process (where the model's events go, for profiling).
#include <benchmark/benchmark.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "models/run/runner.hpp"
#include "models/scenario/loader.hpp"
#include "sim/simulation.hpp"

namespace {

bool smoke_mode() {
  const char* v = std::getenv("AZSIM_BENCH_SMOKE");
  return v != nullptr && std::strcmp(v, "1") == 0;
}

azsim::scenario::Scenario load(const std::string& text, const std::string& name) {
  auto r = azsim::scenario::load_scenario_from_string(text, std::string(AZSIM_SOURCE_DIR) + "/scenarios/" + name);
  if (!r.ok()) {
    std::fprintf(stderr, "%s", r.report().c_str());
    std::abort();
  }
  return std::move(*r.scenario);
}

/// A large cluster: `nodes` m5.xlarge over 3 AZs; `sets` StatefulSets of 20 pods with a
/// WaitForFirstConsumer EBS volume each, and Deployments of 100 pods for the rest of `pods`.
std::string large_cluster(int nodes, int pods) {
  const int sets = pods / 10 / 20;  // a tenth of the pods are stateful
  const int deployments = (pods - sets * 20) / 100;
  std::ostringstream y;
  y << "apiVersion: azsim/v1alpha1\nkind: Scenario\nmetadata: {name: bench-az-loss}\nspec:\n"
    << "  duration: 3h\n  setupTimeout: 2h\n  kubernetes: {version: \"1.31\"}\n"
    << "  cloud:\n    region: us-east-1\n    zones: [us-east-1a, us-east-1b, us-east-1c]\n"
    << "    nodeGroups:\n      - {name: workers, instanceType: m5.xlarge, zones: [us-east-1a, us-east-1b, us-east-1c], "
    << "desiredCapacity: " << nodes << ", minSize: " << nodes << ", maxSize: " << nodes + nodes / 10 << "}\n"
    << "  faults:\n    - {at: 10m, action: zone-outage, zone: us-east-1a, for: 1h}\n"
    << "---\napiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: gp3\n"
    << "  annotations: {storageclass.kubernetes.io/is-default-class: \"true\"}\n"
    << "provisioner: ebs.csi.aws.com\nvolumeBindingMode: WaitForFirstConsumer\n";
  for (int i = 0; i < sets; ++i)
    y << "---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db" << i << "}\nspec:\n"
      << "  replicas: 20\n  podManagementPolicy: Parallel\n  serviceName: db" << i << "\n"
      << "  selector: {matchLabels: {app: db" << i << "}}\n"
      << "  template:\n    metadata: {labels: {app: db" << i << "}}\n    spec:\n"
      << "      containers: [{name: db, image: db, resources: {requests: {cpu: 100m, memory: 256Mi}}}]\n"
      << "  volumeClaimTemplates:\n    - metadata: {name: data}\n"
      << "      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 10Gi}}}\n";
  for (int i = 0; i < deployments; ++i)
    y << "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web" << i << "}\nspec:\n"
      << "  replicas: 100\n  selector: {matchLabels: {app: web" << i << "}}\n"
      << "  template:\n    metadata: {labels: {app: web" << i << "}}\n    spec:\n"
      << "      containers: [{name: web, image: web, resources: {requests: {cpu: 50m, memory: 64Mi}}}]\n";
  return y.str();
}

/// One StatefulSet of `pods` pods, each requesting little, on 100 m5.xlarge nodes allowed
/// 1,000 pods each: every pod is scored with the system default topology spread.
std::string one_set(int pods) {
  std::ostringstream y;
  y << "apiVersion: azsim/v1alpha1\nkind: Scenario\nmetadata: {name: bench-one-set}\nspec:\n"
    << "  duration: 1m\n  kubernetes: {version: \"1.31\"}\n"
    << "  cloud:\n    region: us-east-1\n    zones: [us-east-1a, us-east-1b, us-east-1c]\n"
    << "    nodeGroups:\n      - {name: workers, instanceType: m5.xlarge, maxPods: 1000, "
    << "zones: [us-east-1a, us-east-1b, us-east-1c], desiredCapacity: 100, minSize: 100, maxSize: 100}\n"
    << "---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: web}\nspec:\n"
    << "  replicas: " << pods << "\n  podManagementPolicy: Parallel\n  serviceName: web\n"
    << "  selector: {matchLabels: {app: web}}\n"
    << "  template:\n    metadata: {labels: {app: web}}\n    spec:\n"
    << "      containers: [{name: web, image: web, resources: {requests: {cpu: 1m, memory: 1Mi}}}]\n";
  return y.str();
}

double g_model_events_per_s = 0;
double g_hold_events_per_s = 0;
double g_sim_per_wall = 0;
double g_year_ms = 0;
double g_set_s[2] = {0, 0};
int g_set_pods = 0;

void az_loss(benchmark::State& state) {
  const int nodes = smoke_mode() ? 30 : 1000;
  const int pods = smoke_mode() ? 300 : 10000;
  const auto sc = load(large_cluster(nodes, pods), "bench-az-loss.yaml");
  for (auto _ : state) {
    state.PauseTiming();
    azsim::run::World w(sc, {});
    w.setup();
    const std::uint64_t before = w.simulation().events_processed();
    state.ResumeTiming();
    const auto start = std::chrono::steady_clock::now();
    w.advance_to(sc.duration);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double events = static_cast<double>(w.simulation().events_processed() - before);
    g_model_events_per_s = events / wall;
    g_sim_per_wall = sc.duration.seconds_f() / wall;
    state.counters["events"] = events;
    state.counters["sim_s_per_wall_s"] = g_sim_per_wall;
    state.counters["events_per_s"] = g_model_events_per_s;
  }
}

void hold_ref(benchmark::State& state) {
  azsim::sim::Simulation sim;
  std::uint64_t x = 12345;
  auto exp1 = [&x] {
    x += 0x9E3779B97F4A7C15ull;
    std::uint64_t z = x;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    return -std::log((static_cast<double>(z >> 11) + 1.0) * 0x1.0p-53);
  };
  struct Step {
    azsim::sim::Simulation* sim;
    decltype(exp1)* exp;
    void operator()() const { sim->after(azsim::sim::Duration::from_seconds((*exp)()), Step{sim, exp}); }
  };
  for (int i = 0; i < 1000; ++i) sim.after(azsim::sim::Duration::from_seconds(exp1()), Step{&sim, &exp1});
  std::uint64_t done = 0;
  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    const std::uint64_t before = sim.events_processed();
    sim.run_until(sim.now() + azsim::sim::Duration::seconds(1000));
    done += sim.events_processed() - before;
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  g_hold_events_per_s = static_cast<double>(done) / wall;
  state.counters["events_per_s"] = g_hold_events_per_s;
}

std::string seed001_year() {
  std::ifstream in(std::string(AZSIM_SOURCE_DIR) + "/scenarios/seed-001-kops-cassandra.yaml");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  text = text.substr(0, text.find("  faults:"));
  text.replace(text.find("duration: 1h30m"), std::string("duration: 1h30m").size(), smoke_mode() ? "duration: 28d" : "duration: 365d");
  text += "  faults:\n";
  const int weeks = smoke_mode() ? 4 : 52;
  for (int w = 0; w < weeks; ++w)
    text += "    - {at: " + std::to_string(w * 7 + 1) + "d, action: terminate-instance, node: {runningPod: cassandra-" +
            std::to_string(w % 6) + "}}\n";
  return text;
}

void seed001_year_run(benchmark::State& state) {
  const auto sc = load(seed001_year(), "bench-seed001-year.yaml");
  double total = 0;
  std::int64_t runs = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    auto report = azsim::run::run_scenario(sc, {});
    benchmark::DoNotOptimize(report);
    total += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ++runs;
  }
  g_year_ms = 1e3 * total / static_cast<double>(runs);
  state.counters["ms_per_run"] = g_year_ms;
}

void one_set_setup(benchmark::State& state) {
  g_set_pods = smoke_mode() ? 200 : 5000;
  const azsim::scenario::Scenario sc[2] = {load(one_set(g_set_pods), "bench-one-set.yaml"),
                                           load(one_set(4 * g_set_pods), "bench-one-set.yaml")};
  for (auto _ : state) {
    for (int i = 0; i < 2; ++i) {
      const auto start = std::chrono::steady_clock::now();
      azsim::run::World w(sc[i], {});
      w.setup();
      g_set_s[i] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
    state.SetIterationTime(g_set_s[0] + g_set_s[1]);
    state.counters["s_n"] = g_set_s[0];
    state.counters["s_4n"] = g_set_s[1];
    state.counters["x_4n_over_n"] = g_set_s[1] / g_set_s[0];
  }
}

/// Events per label of one run of `sc` (setup included), most frequent first, with the wall
/// time spent in them (from one event's start to the next's: the callback and what it caused).
void print_labels(const azsim::scenario::Scenario& sc, const char* what) {
  struct Cost {
    std::uint64_t n = 0;
    double s = 0;
  };
  std::map<std::string, Cost> counts;
  std::string last;
  auto last_start = std::chrono::steady_clock::now();
  azsim::run::World w(sc, {});
  w.simulation().set_trace([&](azsim::sim::Time, azsim::sim::EventId, const char* label) {
    const auto now = std::chrono::steady_clock::now();
    if (!last.empty()) counts[last].s += std::chrono::duration<double>(now - last_start).count();
    last = label ? label : "(none)";
    last_start = now;
    ++counts[last].n;
  });
  const auto start = std::chrono::steady_clock::now();
  w.setup();
  w.advance_to(sc.duration);
  const double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::multimap<double, std::pair<std::string, std::uint64_t>, std::greater<>> by_cost;
  for (const auto& [label, c] : counts) by_cost.emplace(c.s, std::make_pair(label, c.n));
  std::printf("\nevents by label, %s (setup included; %.2f ms in all)\n", what, 1e3 * total);
  for (const auto& [sec, lc] : by_cost)
    std::printf("  %10llu  %9.3f ms  %s\n", static_cast<unsigned long long>(lc.second), 1e3 * sec, lc.first.c_str());
}

bool labels_mode() {
  const char* v = std::getenv("AZSIM_BENCH_LABELS");
  return v != nullptr && std::strcmp(v, "1") == 0;
}

}  // namespace

BENCHMARK(az_loss)->Name("outage/az_loss")->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(hold_ref)->Name("outage/hold_ref")->Unit(benchmark::kMillisecond);
BENCHMARK(seed001_year_run)->Name("outage/seed001_year")->Unit(benchmark::kMillisecond);
BENCHMARK(one_set_setup)->Name("outage/one_set_setup")->Unit(benchmark::kMillisecond)->Iterations(1)->UseManualTime();

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (labels_mode()) {
    print_labels(load(seed001_year(), "bench-seed001-year.yaml"), "seed001_year");
    const int nodes = smoke_mode() ? 30 : 1000;
    print_labels(load(large_cluster(nodes, smoke_mode() ? 300 : 10000), "bench-az-loss.yaml"), "az_loss");
    return 0;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::printf("\nsummary\n");
  std::printf("  az_loss: %.0f simulated s per wall s, %.3g model events/s = %.4f x the bare event loop (%.3g events/s)\n",
              g_sim_per_wall, g_model_events_per_s, g_hold_events_per_s > 0 ? g_model_events_per_s / g_hold_events_per_s : 0.0,
              g_hold_events_per_s);
  std::printf("  seed001_year: %.2f ms per simulated year with a fault a week (target < 5 ms)\n", g_year_ms);
  std::printf("  one_set_setup: %d pods %.2f s, %d pods %.2f s: %.1f x the time for 4 x the pods "
              "(about 4 when placing a pod costs the same however many are placed)\n",
              g_set_pods, g_set_s[0], 4 * g_set_pods, g_set_s[1], g_set_s[0] > 0 ? g_set_s[1] / g_set_s[0] : 0.0);
  return 0;
}
