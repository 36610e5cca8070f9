// Scheduler throughput on a large cluster: 5,000 m5.xlarge nodes over 3 AZs and 150,000 pods in
// StatefulSets of 3 to 6 replicas (a third unconstrained, a third with required hostname
// anti-affinity within their set, a third with zone topology spread maxSkew 1 DoNotSchedule and
// a WaitForFirstConsumer EBS claim each), scheduled and bound one by one through
// Scheduler::schedule_and_bind. Reports scheduled pods per second and peak memory (VmHWM).
//
// Baseline context: kube-scheduler's own scheduler_perf thresholds for 5,000-node clusters are
// 60 to 810 pods/s depending on the workload; the ratios against both are printed.
// AZSIM_BENCH_SMOKE=1 shrinks the cluster so CI's smoke run takes well under a second.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

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
  const int nodes = smoke() ? 60 : 5000;
  const int pods = smoke() ? 600 : 150000;
  const int percentage = static_cast<int>(state.range(0));
  std::int64_t scheduled = 0, failed = 0;
  double seconds = 0;
  for (auto _ : state) {
    Cluster c;
    build(c, nodes, pods, percentage);
    const auto start = std::chrono::steady_clock::now();
    while (true) {
      auto r = c.sched->schedule_and_bind(sim::Time::origin());
      if (r.outcome == scheduler::ScheduleResult::Outcome::NoPod) break;
      if (r.outcome == scheduler::ScheduleResult::Outcome::Scheduled) ++scheduled;
      else ++failed;
    }
    const auto end = std::chrono::steady_clock::now();
    seconds = std::chrono::duration<double>(end - start).count();
    state.SetIterationTime(seconds);
  }
  const double rate = static_cast<double>(scheduled) / seconds / static_cast<double>(state.iterations());
  state.counters["pods"] = static_cast<double>(scheduled) / static_cast<double>(state.iterations());
  state.counters["unschedulable"] = static_cast<double>(failed);
  state.counters["pods_per_s"] = rate;
  state.counters["peak_rss_MiB"] = peak_rss_mib();
  state.counters["x_kube_810"] = rate / 810.0;  // vs kube-scheduler scheduler_perf's best threshold
  state.counters["x_kube_60"] = rate / 60.0;    // vs its slowest (affinity-heavy) threshold
}

BENCHMARK(BM_SchedulePods)->Arg(0)->ArgName("pct_adaptive")->Iterations(1)->UseManualTime()->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
