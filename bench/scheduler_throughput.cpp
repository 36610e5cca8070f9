// Scheduler throughput on a large cluster: 5,000 m5.xlarge nodes over 3 AZs and 150,000 pods in
// StatefulSets of 3 to 6 replicas (a third unconstrained, a third with required hostname
// anti-affinity within their set, a third with zone topology spread maxSkew 1 DoNotSchedule and
// a WaitForFirstConsumer EBS claim each), scheduled and bound one by one through
// Scheduler::schedule_and_bind. Reports scheduled pods per second and peak memory (VmHWM).
//
// Baseline: kube-scheduler's own scheduler_perf thresholds on 5,000 nodes (the minimum pods/s
// its CI accepts): 810 for SchedulingBasic/5000Nodes_50000Pods, 60 for
// SchedulingPodAntiAffinity/5000Nodes_2000Pods. The ratios of both the wall-clock and the
// CPU-time rate against them are printed, with peak RSS and a fingerprint of every decision
// (FNV-1a over "pod=node;" in scheduling order) so a speed-up can be checked to change nothing.
// AZSIM_BENCH_SMOKE=1 shrinks the cluster so CI's smoke run takes well under a second;
// AZSIM_BENCH_NODES / AZSIM_BENCH_PODS override the sizes (profiling at a medium size).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>

#include <time.h>

#include "models/cloud/instance_types.hpp"
#include "models/k8s/events.hpp"
#include "models/k8s/store.hpp"
#include "models/scheduler/provisioner.hpp"
#include "models/scheduler/scheduler.hpp"

namespace {

using namespace azsim;

bool smoke() {
  const char* s = std::getenv("AZSIM_BENCH_SMOKE");
  return s != nullptr && std::string(s) == "1";
}

int size_from_env(const char* name, int fallback) {
  const char* s = std::getenv(name);
  if (s == nullptr) return fallback;
  const int v = std::atoi(s);
  return v > 0 ? v : fallback;
}

/// CPU time of the whole process (all threads), in seconds.
double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

void fnv1a(std::uint64_t& h, std::string_view s) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
}

double peak_rss_mib() {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::strtod(line.c_str() + 6, nullptr) / 1024.0;
  return 0;
}

struct Cluster {
  k8s::ObjectStore store;
  k8s::EventLog events;
  std::unique_ptr<scheduler::StoreProvisioner> provisioner;
  std::unique_ptr<scheduler::Scheduler> sched;
  int pods = 0;
};

void build(Cluster& c, int num_nodes, int num_pods, int percentage) {
  const char* zones[] = {"us-east-1a", "us-east-1b", "us-east-1c"};
  const auto type = cloud::find_instance_type("m5.xlarge");
  const auto res = cloud::node_resources(*type, type->eni_max_pods, cloud::KubeletReservation{});
  for (int i = 0; i < num_nodes; ++i) {
    k8s::Node n;
    n.meta.ns = "";
    char name[32];
    std::snprintf(name, sizeof name, "ip-10-%d-%d-%d", i % 3, (i / 3) / 256, (i / 3) % 256);
    n.meta.name = name;
    const char* zone = zones[i % 3];
    n.meta.labels = {{k8s::wellknown::kHostname, name}, {k8s::wellknown::kZone, zone},
                     {k8s::wellknown::kRegion, "us-east-1"}, {k8s::wellknown::kEbsCsiZone, zone},
                     {k8s::wellknown::kInstanceType, "m5.xlarge"}};
    n.status.capacity = res.capacity;
    n.status.allocatable = res.allocatable;
    n.status.attachable_volumes = type->ebs_attach_limit();
    c.store.create(std::move(n));
  }
  k8s::StorageClass sc;
  sc.meta.ns = "";
  sc.meta.name = "gp3";
  sc.provisioner = "ebs.csi.aws.com";
  sc.volume_binding_mode = k8s::VolumeBindingMode::WaitForFirstConsumer;
  sc.meta.annotations[k8s::wellknown::kAnnotationDefaultClass] = "true";
  c.store.create(sc);
  int created = 0;
  for (int set = 0; created < num_pods; ++set) {
    const int replicas = std::min(3 + set % 4, num_pods - created);
    const int kind = set % 3;  // 0 none, 1 hostname anti-affinity, 2 zone spread + EBS claim
    const std::string sts_name = "sts" + std::to_string(set);
    k8s::StatefulSet sts;
    sts.meta.name = sts_name;
    sts.replicas = replicas;
    sts.selector.match_labels = {{"app", sts_name}};
    const auto uid = c.store.create(sts).meta.uid;
    for (int o = 0; o < replicas; ++o) {
      k8s::Pod p;
      p.meta.name = sts_name + "-" + std::to_string(o);
      p.meta.labels = {{"app", sts_name}};
      p.meta.owner = k8s::OwnerReference{"StatefulSet", sts_name, uid, true};
      k8s::Container ctr;
      ctr.name = "app";
      ctr.requests.milli_cpu = 100;
      ctr.requests.memory = 256LL * 1024 * 1024;
      p.spec.containers.push_back(ctr);
      if (kind == 1) {
        k8s::PodAffinityTerm t;
        t.label_selector.match_labels = {{"app", sts_name}};
        t.topology_key = k8s::wellknown::kHostname;
        p.spec.affinity.pod_anti_affinity = k8s::PodAffinity{{t}, {}};
      } else if (kind == 2) {
        k8s::TopologySpreadConstraint tc;
        tc.max_skew = 1;
        tc.topology_key = k8s::wellknown::kZone;
        tc.label_selector = k8s::LabelSelector{{{"app", sts_name}}, {}};
        p.spec.topology_spread_constraints.push_back(tc);
        k8s::PersistentVolumeClaim pvc;
        pvc.meta.name = "data-" + p.meta.name;  // <template>-<sts>-<ordinal>
        pvc.request_bytes = 20LL * 1024 * 1024 * 1024;
        pvc.access_modes = {k8s::AccessMode::ReadWriteOnce};
        c.store.create(pvc);
        k8s::PodVolume v;
        v.name = "data";
        v.pvc_claim_name = pvc.meta.name;
        p.spec.volumes.push_back(v);
      }
      c.store.create(std::move(p));
      ++created;
    }
  }
  c.pods = created;
  scheduler::SchedulerConfig cfg;
  cfg.version = {1, 31};
  cfg.percentage_of_nodes_to_score = percentage;
  c.provisioner = std::make_unique<scheduler::StoreProvisioner>(c.store, cfg.version);
  auto rng = std::make_shared<std::uint64_t>(0x9E3779B97F4A7C15ULL);
  scheduler::TieBreak tie = [rng](std::uint64_t n) {
    *rng ^= *rng << 13;
    *rng ^= *rng >> 7;
    *rng ^= *rng << 17;
    return *rng % n;
  };
  c.sched = std::make_unique<scheduler::Scheduler>(c.store, c.events, cfg, tie, c.provisioner.get());
}

void BM_SchedulePods(benchmark::State& state) {
  const int nodes = size_from_env("AZSIM_BENCH_NODES", smoke() ? 60 : 5000);
  const int pods = size_from_env("AZSIM_BENCH_PODS", smoke() ? 600 : 150000);
  const int percentage = static_cast<int>(state.range(0));
  std::int64_t scheduled = 0, failed = 0;
  double wall = 0, cpu = 0;
  std::uint64_t fingerprint = 14695981039346656037ULL;
  for (auto _ : state) {
    Cluster c;
    build(c, nodes, pods, percentage);
    const auto start = std::chrono::steady_clock::now();
    const double cpu_start = cpu_seconds();
    while (true) {
      auto r = c.sched->schedule_and_bind(sim::Time::origin());
      if (r.outcome == scheduler::ScheduleResult::Outcome::NoPod) break;
      if (r.outcome == scheduler::ScheduleResult::Outcome::Scheduled) ++scheduled;
      else ++failed;
      fnv1a(fingerprint, r.pod);
      fnv1a(fingerprint, "=");
      fnv1a(fingerprint, r.node);
      fnv1a(fingerprint, ";");
    }
    const auto end = std::chrono::steady_clock::now();
    cpu += cpu_seconds() - cpu_start;
    const double seconds = std::chrono::duration<double>(end - start).count();
    wall += seconds;
    state.SetIterationTime(seconds);
  }
  const double rate = static_cast<double>(scheduled) / wall;
  const double cpu_rate = static_cast<double>(scheduled) / cpu;
  const double iters = static_cast<double>(state.iterations());
  state.counters["nodes"] = nodes;
  state.counters["pods"] = static_cast<double>(scheduled) / iters;
  state.counters["unschedulable"] = static_cast<double>(failed) / iters;
  state.counters["pods_per_s"] = rate;          // wall clock
  state.counters["pods_per_cpu_s"] = cpu_rate;  // CPU time: robust to a loaded machine
  state.counters["peak_rss_MiB"] = peak_rss_mib();
  state.counters["x_kube_810"] = rate / 810.0;  // vs SchedulingBasic/5000Nodes_50000Pods
  state.counters["x_kube_60"] = rate / 60.0;    // vs SchedulingPodAntiAffinity/5000Nodes_2000Pods
  state.counters["x_kube_810_cpu"] = cpu_rate / 810.0;
  state.counters["x_kube_60_cpu"] = cpu_rate / 60.0;
  char fp[17];
  std::snprintf(fp, sizeof fp, "%016llx", static_cast<unsigned long long>(fingerprint));
  state.SetLabel(std::string("decisions=") + fp);
}

BENCHMARK(BM_SchedulePods)->Arg(0)->ArgName("pct_adaptive")->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
