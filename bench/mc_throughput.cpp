// Monte-Carlo batch throughput (`azsim mc`):
//
//   mc/year_trials     scenarios/whatif-001-kops-cassandra-failures.yaml (seed 001's cluster
//                      under its stochastic failures) over one simulated year per trial: trials
//                      per second on 1 thread and on 2 threads in the same run, and their ratio
//                      (targets: >= 5,000 trials/s on one core, 2 threads >= 1.8x one); then
//                      1 thread again with every trial building its world anew
//                      (BatchOptions::shared_setup = false), the baseline of the shared setup;
//   mc/quiet_trial     seed 001's cluster with no faults: cost of a trial of 1 hour and of 100
//                      years, and their ratio (a quiet period must cost nothing, so ~1.0);
//   mc/memory          peak resident memory after a batch of N and after one of 4N trials
//                      (the batch keeps no per-trial data, so the second must not grow).
//
// AZSIM_BENCH_SMOKE=1 runs a few trials only, so CI finishes in about a second.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include "models/run/batch.hpp"
#include "models/scenario/loader.hpp"

namespace {

using azsim::run::BatchOptions;
using azsim::run::run_batch;

bool smoke_mode() {
  const char* v = std::getenv("AZSIM_BENCH_SMOKE");
  return v != nullptr && std::strcmp(v, "1") == 0;
}

azsim::scenario::Scenario shipped(const std::string& name) {
  auto r = azsim::scenario::load_scenario(std::string(AZSIM_SOURCE_DIR) + "/scenarios/" + name + ".yaml");
  if (!r.ok()) {
    std::fprintf(stderr, "%s", r.report().c_str());
    std::abort();
  }
  return std::move(*r.scenario);
}

/// Peak resident set size of the process (VmHWM), MiB.
double peak_rss_mib() {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("VmHWM:", 0) == 0) return std::strtod(line.c_str() + 6, nullptr) / 1024.0;
  return 0;
}

/// Wall seconds of one batch.
double timed_batch(const azsim::scenario::Scenario& s, BatchOptions o) {
  const auto start = std::chrono::steady_clock::now();
  const auto r = run_batch(s, nullptr, o);
  benchmark::DoNotOptimize(r.result.a.trials);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void BM_YearTrials(benchmark::State& state) {
  const auto s = shipped("whatif-001-kops-cassandra-failures");
  BatchOptions o;
  o.trials = smoke_mode() ? 8 : 2000;
  o.until = azsim::sim::Duration::days(365);
  o.seed = 1;
  for (auto _ : state) {
    o.threads = 1;
    const double one = timed_batch(s, o);
    o.threads = 2;
    const double two = timed_batch(s, o);
    o.threads = 1;
    o.shared_setup = false;
    const double anew = timed_batch(s, o);
    o.shared_setup = true;
    state.SetIterationTime(one + two + anew);
    const double n = static_cast<double>(o.trials);
    state.counters["trials"] = n;
    state.counters["trials_per_s_1t"] = n / one;
    state.counters["trials_per_s_2t"] = n / two;
    state.counters["x_2t_over_1t"] = one / two;
    state.counters["trials_per_s_1t_anew"] = n / anew;
    state.counters["x_shared_over_anew"] = anew / one;
    state.counters["x_1t_over_target_5000"] = n / one / 5000.0;
  }
}
BENCHMARK(BM_YearTrials)->Name("mc/year_trials")->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_QuietTrial(benchmark::State& state) {
  auto s = shipped("seed-001-kops-cassandra");
  s.faults.clear();
  s.failures = {};
  BatchOptions o;
  o.trials = smoke_mode() ? 4 : 2000;
  o.threads = 1;
  for (auto _ : state) {
    o.until = azsim::sim::Duration::hours(1);
    const double hour = timed_batch(s, o);
    o.until = azsim::sim::Duration::days(365 * 100);
    const double century = timed_batch(s, o);
    state.SetIterationTime(hour + century);
    state.counters["us_per_trial_1h"] = hour / static_cast<double>(o.trials) * 1e6;
    state.counters["us_per_trial_100y"] = century / static_cast<double>(o.trials) * 1e6;
    state.counters["x_100y_over_1h"] = century / hour;
  }
}
BENCHMARK(BM_QuietTrial)->Name("mc/quiet_trial")->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_Memory(benchmark::State& state) {
  const auto s = shipped("whatif-001-kops-cassandra-failures");
  BatchOptions o;
  o.until = azsim::sim::Duration::days(30);
  o.threads = 2;
  const std::uint64_t n = smoke_mode() ? 4 : 500;
  for (auto _ : state) {
    o.trials = n;
    const double t1 = timed_batch(s, o);
    const double after_n = peak_rss_mib();
    o.trials = 4 * n;
    const double t2 = timed_batch(s, o);
    const double after_4n = peak_rss_mib();
    state.SetIterationTime(t1 + t2);
    state.counters["trials_n"] = static_cast<double>(n);
    state.counters["peak_rss_MiB_n"] = after_n;
    state.counters["peak_rss_MiB_4n"] = after_4n;
    state.counters["x_4n_over_n"] = after_4n / after_n;
  }
}
BENCHMARK(BM_Memory)->Name("mc/memory")->UseManualTime()->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
