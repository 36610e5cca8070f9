// Scheduler: kube-scheduler for the simulated cluster. This is the header the rest of azsim
// uses.
//
//   Scheduler s(store, events, SchedulerConfig{version}, tie_break, &provisioner);
//   // pods with empty nodeName, schedulerName "default-scheduler" and no deletion timestamp
//   // are queued automatically from the store's watches.
//   ScheduleResult r = s.schedule_one(now);   // pops one pod, runs one scheduling cycle
//   if (r.outcome == ScheduleResult::Outcome::Scheduled)
//     s.bind(r, now + provisioning_latency);   // binding cycle: provision/bind volumes, bind pod
//   ... s.next_wakeup() says when backoff/unschedulable timers next move pods.
//
// A scheduling cycle never writes the pod's binding: it assumes the pod onto the chosen node in
// the cache (Reserve), so later cycles see it, and returns the decision with the claims that
// must be bound or provisioned. bind() performs them (PreBind), writes spec.nodeName (Bind) and
// records the `Scheduled` event; on failure it forgets the assumption and requeues with backoff.
// A failed cycle records a Warning `FailedScheduling` event from default-scheduler with the
// `0/N nodes are available: ...` message and sets the pod's PodScheduled=False, reason
// Unschedulable, message = that text.
//
// Determinism: nodes are visited in nodeTree order (see cache.hpp); the only randomness is the
// tie-break among equally scored nodes, drawn from the caller's function.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "models/k8s/events.hpp"
#include "models/k8s/store.hpp"
#include "models/scheduler/config.hpp"
#include "models/scheduler/fit_error.hpp"
#include "models/scheduler/fit_error_memo.hpp"
#include "models/scheduler/framework.hpp"
#include "models/scheduler/provisioner.hpp"
#include "models/scheduler/queue.hpp"
#include "sim/time.hpp"

namespace azsim::scheduler {

/// The outcome of one scheduling cycle.
struct ScheduleResult {
  enum class Outcome {
    NoPod,          ///< nothing in the active queue
    Scheduled,      ///< `node` chosen and the pod assumed there; call bind()
    Unschedulable,  ///< no node fits: `message` says why (Scheduler::diagnosis() in detail)
    Error,          ///< an internal error (e.g. a missing StorageClass): requeued with backoff
  };
  Outcome outcome = Outcome::NoPod;
  std::string pod;      ///< "namespace/name"
  std::string node;     ///< chosen node
  std::string message;  ///< the FailedScheduling message on failure
  /// Failure only, kept compact (no strings per node) because most cycles of a failure-heavy
  /// trial end here: the nodes the Filter loop rejected, in node order, with the first failing
  /// plugin and its reason ids. A PreFilter rejection is in `pre_filter` instead.
  /// Scheduler::diagnosis() expands both into the framework's Diagnosis.
  std::vector<Rejection> rejections;
  Status pre_filter;            ///< the rejecting PreFilter's status, or Success
  std::string post_filter_msg;  ///< DefaultPreemption's message on failure
  int num_all_nodes = 0;
  int evaluated_nodes = 0;  ///< nodes the Filter loop processed
  int feasible_nodes = 0;
  /// Claims the binding step binds to an existing PV (static_pv set) or provisions.
  std::vector<VolumeDecision> volumes;
  QueuedPod queued;  ///< queue bookkeeping carried to bind() for a requeue on failure
};

struct BindResult {
  bool ok = false;
  std::string message;                    ///< why binding failed
  std::vector<std::string> provisioned;   ///< PVs created for the pod's claims
};

/// Every Filter plugin's verdict on one node (for `azsim explain`).
struct NodeExplanation {
  std::string node;
  std::vector<Status> filters;  ///< one per Filter plugin in order; Skip when PreFilter skipped it
  Status first_failure;         ///< what the scheduler records for the node (Success if it fits)
};

struct Explanation {
  Status pre_filter;  ///< a PreFilter rejection, or Success
  std::vector<NodeExplanation> nodes;
  int feasible_nodes = 0;
  std::string message;  ///< the FailedScheduling message this pod would get, or "" if it fits
  bool placed_anew = false;  ///< a bound pod judged without its binding and without itself
};

class Scheduler {
 public:
  Scheduler(k8s::ObjectStore& store, k8s::EventLog& events, SchedulerConfig cfg, TieBreak tie_break,
            VolumeProvisioner* provisioner);
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  /// Pops the next pod (after moving due backoffs) and runs one scheduling cycle.
  ScheduleResult schedule_one(sim::Time now);
  /// The binding cycle for a Scheduled result.
  BindResult bind(const ScheduleResult& r, sim::Time now);
  /// schedule_one() then bind() at the same instant.
  ScheduleResult schedule_and_bind(sim::Time now);

  /// Evaluates PreFilter and every Filter on every node for `pod` (queued or not) without
  /// touching the store, the queue or the node rotation. A pod the scheduler has bound is
  /// evaluated as if it were placed anew: without its nodeName, and without itself among the
  /// pods of its node (which would, say, repel it by its own anti-affinity). For that it is
  /// taken out of the cache and put back, so the cache may list its pods in another order
  /// afterwards: call it where no scheduling follows (azsim explain, tests).
  Explanation explain(const k8s::Pod& pod);
  /// The Diagnosis of an Unschedulable result (nodes named, reasons spelled out), from which
  /// fit_error_message() gives back r.message. Node names are read from the cache, so call it
  /// before the set of nodes changes.
  Diagnosis diagnosis(const ScheduleResult& r) const;

  /// Moves pods whose backoff or 5-minute wait ended (also done by schedule_one).
  void flush(sim::Time now) { queue_.flush(now); }
  sim::Time next_wakeup() const { return queue_.next_wakeup(); }
  bool has_active() const { return queue_.num_active() > 0; }
  const SchedulingQueue& queue() const { return queue_; }
  const SchedulerConfig& config() const { return cfg_; }

 private:
  /// explain() of a pod as given (its nodeName, if any, is a constraint).
  Explanation explain_placement(const k8s::Pod& pod);
  void on_pod(k8s::WatchEventType type, const k8s::Pod* old_pod, const k8s::Pod* new_pod);
  void on_node(k8s::WatchEventType type, const k8s::Node* old_node, const k8s::Node* new_node);
  bool ours(const k8s::Pod& p) const;
  sim::Time clock() const { return store_.now(); }
  ScheduleResult run_cycle(QueuedPod qp, const k8s::Pod& pod, sim::Time now);
  /// schedule_one(), also handing back the store's pod object the cycle ran on.
  ScheduleResult pop_and_schedule(sim::Time now, const k8s::Pod** scheduled);
  /// bind() for the pod object `pod` (the store's current object for r.pod, or nullptr).
  BindResult bind_pod(const ScheduleResult& r, const k8s::Pod* pod, sim::Time now);
  /// DefaultPreemption's message over the rejected nodes: `for_each_rejected(visit)` calls
  /// visit(slot, code, add_reasons) once per rejected node, add_reasons(ReasonCounts&) adding
  /// that node's own reasons.
  template <class ForEachRejected>
  std::string post_filter(const Cycle& c, ForEachRejected for_each_rejected);
  /// Adds the reasons of a node's rejection to `rc`, spelled from their ids.
  void add_verdict_reasons(const Rejection& rej, ReasonCounts& rc) const {
    for (std::size_t i = 0; i < rej.verdict.n; ++i) rc.add(reasons_.str(rej.verdict.reasons[i]));
  }
  /// Whether a live pod of lower priority than the cycle's pod runs on the node.
  bool has_lower_priority_pod(const Cycle& c, std::uint32_t slot) const;
  void record_failure(ScheduleResult& r, PluginMask rejectors, sim::Time now, bool error);
  /// The PodInfo of `pod` for a scheduling cycle: the one kept from its last failed cycle when
  /// still valid (see compiled_), else compile_pod().
  PodInfo compiled_info(const k8s::Pod& pod, const std::string& key);

  /// A failed pod's compiled form, kept because the same pod is usually retried unchanged.
  struct Compiled {
    std::uint64_t resource_version = 0;  ///< of the pod object it was compiled from; 0 = none
    std::uint64_t volumes_generation = 0;
    PodInfo info;
    /// The failed cycle's result, valid for a retry of the same pod object while
    /// Cache::inputs_generation() and the node rotation's start are still those it ran with:
    /// every Filter and PreFilter would then answer the same, so the retry reuses it.
    struct Failure {
      std::uint64_t inputs_generation = 0;
      std::size_t start = 0;
      ScheduleResult result;  ///< without pod and queued
      PluginMask rejectors = 0;
      bool error = false;
    };
    std::optional<Failure> failure;
  };
  /// By pod key. An entry is valid while the pod's resource_version is the one recorded: any
  /// write to the pod changes it, except the scheduler's own status-only write of a failure,
  /// which on_pod carries over (status_write_from_). Its ebs_volumes also depend on claims,
  /// PVs and classes: they are recomputed when Cache::volumes_generation() moved. Entries are
  /// removed when the pod is scheduled, bound or deleted.
  std::unordered_map<std::string, Compiled> compiled_;
  /// A failed cycle's end (the node rotation started at `start`): keeps the pod's compiled
  /// form and the result (Compiled::Failure), then record_failure().
  void fail_cycle(ScheduleResult& r, Cycle& c, std::size_t start, PluginMask rejectors, sim::Time now, bool error);
  /// resource_version of the pod record_failure is rewriting (0 when not writing).
  std::uint64_t status_write_from_ = 0;

  k8s::ObjectStore& store_;
  k8s::EventLog& events_;
  SchedulerConfig cfg_;
  TieBreak tie_break_;
  VolumeProvisioner* provisioner_;
  SymbolTable syms_;
  Cache cache_;
  ReasonTable reasons_;
  Context ctx_;
  Framework fw_;
  SchedulingQueue queue_;
  FitErrorMemo memo_;  ///< the failure texts (post_filter's and the FailedScheduling message)
  std::size_t next_start_ = 0;
  std::vector<std::uint32_t> feasible_;
  std::vector<Rejection> rejected_;
  ReasonCounts counts_;  ///< scratch of the failure path
  std::vector<std::int64_t> totals_;
  std::shared_ptr<bool> alive_;
};

}  // namespace azsim::scheduler
