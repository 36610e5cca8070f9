// The kube-scheduler process: runs scheduling cycles as events whenever its queue has work,
// and spreads the binding cycle over simulated time (CreateVolume latency for claims it
// provisions at PreBind).
#include <algorithm>

#include "models/cloud/instance_types.hpp"
#include "models/controllers/ebs_provisioner.hpp"
#include "models/controllers/internal.hpp"
#include "models/scheduler/scheduler.hpp"

namespace azsim::controllers {

void Cluster::Impl::scheduler_setup() {
  provisioner = std::make_unique<EbsProvisioner>(store, cloud, p.version);
  scheduler::SchedulerConfig cfg;
  cfg.version = p.version;
  cfg.percentage_of_nodes_to_score = p.percentage_of_nodes_to_score;
  cfg.queue.initial_backoff = p.scheduler_backoff_initial;
  cfg.queue.max_backoff = p.scheduler_backoff_max;
  cfg.queue.max_in_unschedulable = p.pod_max_in_unschedulable;
  scheduler = std::make_unique<scheduler::Scheduler>(
      store, events, cfg, [this](std::uint64_t n) { return rng_sched.uniform_index(n); }, provisioner.get());
}

void Cluster::Impl::request_scheduling(sim::Time at) {
  if (sim.pending(sched_event)) {
    if (sched_time <= at) return;
    sim.cancel(sched_event);
  }
  sched_time = std::max(at, sim.now());
  // After every other controller of the same instant (priority 2): kube-scheduler sees the
  // cluster as the controllers left it.
  sched_event = sim.at(sched_time, [this] { scheduling_cycle(); }, 2, "scheduler");
}

void Cluster::Impl::kick_scheduler() {
  if (!scheduler) return;  // still being built
  if (scheduler->has_active()) request_scheduling(sim.now());
  else if (const sim::Time w = scheduler->next_wakeup(); !w.is_infinite()) request_scheduling(w);
}

const k8s::Labels& Cluster::Impl::launch_labels(const LaunchKey& launch) const {
  auto it = launch_labels_cache.find(launch);
  if (it == launch_labels_cache.end())
    it = launch_labels_cache.emplace(launch, node_labels(launch.group, launch.zone, launch.type, "")).first;
  return it->second;
}

bool Cluster::Impl::instance_may_fit(const k8s::Pod& pod, const LaunchKey& launch) const {
  auto git = groups.find(launch.group);
  if (git != groups.end())
    for (const auto& taint : git->second.taints) {
      if (taint.effect == k8s::TaintEffect::PreferNoSchedule) continue;
      if (std::none_of(pod.spec.tolerations.begin(), pod.spec.tolerations.end(),
                       [&](const k8s::Toleration& t) { return t.tolerates(taint); }))
        return false;
    }
  // Room: the pod's requests within a node of that type's allocatable resources.
  if (const auto type = cloud::find_instance_type(launch.type)) {
    std::int32_t max_pods = type->eni_max_pods;
    cloud::KubeletReservation reservation;
    if (git != groups.end()) {
      if (git->second.max_pods) max_pods = *git->second.max_pods;
      reservation = git->second.reservation;
    }
    const auto res = cloud::node_resources(*type, max_pods, reservation);
    const k8s::Resources want = pod.spec.effective_requests();
    if (want.milli_cpu > res.allocatable.milli_cpu || want.memory > res.allocatable.memory) return false;
  }
  // The node's name is not known before it registers: terms on it cannot match yet.
  const k8s::Labels& labels = launch_labels(launch);
  for (const auto& [k, v] : pod.spec.node_selector) {
    auto it = labels.find(k);
    if (it == labels.end() || it->second != v) return false;
  }
  if (pod.spec.affinity.node_affinity && pod.spec.affinity.node_affinity->required &&
      !pod.spec.affinity.node_affinity->required->matches(labels, ""))
    return false;
  // Zonal volumes: a bound PV's node affinity (or legacy zone label), an inline volume's zone.
  for (const auto& v : pod.spec.volumes) {
    if (v.aws_ebs_volume_id) {
      const cloud::Volume* cv = cloud.volume(*v.aws_ebs_volume_id);
      if (cv && cv->zone != launch.zone) return false;
      continue;
    }
    if (!v.pvc_claim_name) continue;
    const auto* pvc = store.get<k8s::PersistentVolumeClaim>(pod.meta.ns, *v.pvc_claim_name);
    const auto* pv = pvc && !pvc->volume_name.empty() ? store.get<k8s::PersistentVolume>(pvc->volume_name) : nullptr;
    if (!pv) continue;
    if (pv->node_affinity && !pv->node_affinity->matches(labels, "")) return false;
    for (const char* key : {k8s::wellknown::kZone, k8s::wellknown::kZoneLegacy})
      if (auto it = pv->meta.labels.find(key); it != pv->meta.labels.end() && it->second != launch.zone) return false;
  }
  return true;
}

void Cluster::Impl::scheduling_cycle() {
  const sim::Time now = sim.now();
  scheduler->flush(now);
  // One pod per event, so controllers reacting to a binding run before the next cycle.
  if (scheduler->has_active()) {
    scheduler::ScheduleResult r = scheduler->schedule_one(now);
    using Outcome = scheduler::ScheduleResult::Outcome;
    if (r.outcome == Outcome::Unschedulable || r.outcome == Outcome::Error) {
      last_diagnosis[r.pod] = r.message;
      c.pod_changed(r.pod);
    } else if (r.outcome == Outcome::Scheduled) {
      last_diagnosis.erase(r.pod);
      const bool provisions = std::any_of(r.volumes.begin(), r.volumes.end(),
                                          [](const scheduler::VolumeDecision& d) { return d.static_pv.empty(); });
      if (!provisions) {
        scheduler->bind(r, now);
      } else {
        // PreBind waits for the EBS volume: CreateVolume latency, then the claim is bound.
        pods[r.pod].provisioning = true;
        c.pod_changed(r.pod);
        const sim::Duration latency = cloud::sample(cloud.params().ebs_create_latency, rng_sched);
        auto held = std::make_shared<scheduler::ScheduleResult>(std::move(r));
        sim.after(latency, [this, held] {
          pods[held->pod].provisioning = false;
          scheduler->bind(*held, sim.now());
          c.pod_changed(held->pod);
          request_scheduling(sim.now());
        }, 0, "scheduler-bind");
      }
    }
  }
  if (scheduler->has_active()) request_scheduling(now);
  else if (const sim::Time w = scheduler->next_wakeup(); !w.is_infinite()) request_scheduling(w);
}

}  // namespace azsim::controllers
