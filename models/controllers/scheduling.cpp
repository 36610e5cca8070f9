// The kube-scheduler process: runs scheduling cycles as events whenever its queue has work,
// and spreads the binding cycle over simulated time (CreateVolume latency for claims it
// provisions at PreBind).
#include <algorithm>

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
