#include "models/scheduler/scheduler.hpp"

#include "models/scheduler/pod_info.hpp"
#include "models/scheduler/reasons.hpp"

namespace azsim::scheduler {

namespace {

bool terminal(const k8s::Pod& p) {
  return p.status.phase == k8s::PodPhase::Succeeded || p.status.phase == k8s::PodPhase::Failed;
}

bool same_tolerations(const std::vector<k8s::Toleration>& a, const std::vector<k8s::Toleration>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].key != b[i].key || a[i].op != b[i].op || a[i].value != b[i].value || a[i].effect != b[i].effect)
      return false;
  return true;
}

PluginMask mask_of_name(const std::string& name) {
  for (int i = 0; i < kNumPlugins; ++i)
    if (name == plugin_name(static_cast<PluginId>(i))) return mask_of(static_cast<PluginId>(i));
  return 0;
}

/// An add_reasons callback of Scheduler::post_filter for a node whose status is `s`.
auto add_status_reasons(const Status& s) {
  return [&s](ReasonCounts& rc) {
    for (const auto& reason : s.reasons) rc.add(reason);
  };
}

std::string pod_object(const std::string& key) {
  auto slash = key.find('/');
  return "pod/" + (slash == std::string::npos ? key : key.substr(slash + 1));
}

}  // namespace

Scheduler::Scheduler(k8s::ObjectStore& store, k8s::EventLog& events, SchedulerConfig cfg, TieBreak tie_break,
                     VolumeProvisioner* provisioner)
    : store_(store),
      events_(events),
      cfg_(std::move(cfg)),
      tie_break_(std::move(tie_break)),
      provisioner_(provisioner),
      cache_(syms_),
      reasons_(cfg_.version),
      ctx_{cfg_, syms_, cache_, store_, reasons_},
      fw_(ctx_),
      queue_(cfg_.queue),
      memo_(cfg_.version),
      alive_(std::make_shared<bool>(true)) {
  // Initial list (key order), then watches; nodes and volumes before pods.
  for (const auto* n : store_.list<k8s::Node>()) cache_.upsert_node(*n);
  for (const auto* pv : store_.list<k8s::PersistentVolume>()) cache_.upsert_pv(*pv);
  for (const auto* p : store_.list<k8s::Pod>()) on_pod(k8s::WatchEventType::Added, nullptr, p);
  auto alive = alive_;
  store_.watch<k8s::Node>([this, alive](k8s::WatchEventType t, const k8s::Node* o, const k8s::Node* n) {
    if (*alive) on_node(t, o, n);
  });
  store_.watch<k8s::Pod>([this, alive](k8s::WatchEventType t, const k8s::Pod* o, const k8s::Pod* n) {
    if (*alive) on_pod(t, o, n);
  });
  store_.watch<k8s::PersistentVolume>(
      [this, alive](k8s::WatchEventType t, const k8s::PersistentVolume* o, const k8s::PersistentVolume* n) {
        if (!*alive) return;
        cache_.volumes_changed();
        if (t == k8s::WatchEventType::Deleted) {
          cache_.remove_pv(o->meta.name);
          return;
        }
        cache_.upsert_pv(*n);
        queue_.on_event({EventResource::PersistentVolume, t == k8s::WatchEventType::Added ? kAdd : kUpdate}, clock());
      });
  store_.watch<k8s::PersistentVolumeClaim>(
      [this, alive](k8s::WatchEventType t, const k8s::PersistentVolumeClaim*, const k8s::PersistentVolumeClaim*) {
        if (!*alive) return;
        cache_.volumes_changed();
        if (t == k8s::WatchEventType::Deleted) return;
        queue_.on_event({EventResource::PersistentVolumeClaim, t == k8s::WatchEventType::Added ? kAdd : kUpdate},
                        clock());
      });
  store_.watch<k8s::StorageClass>(
      [this, alive](k8s::WatchEventType t, const k8s::StorageClass*, const k8s::StorageClass*) {
        if (!*alive) return;
        cache_.volumes_changed();
        if (t == k8s::WatchEventType::Deleted) return;
        queue_.on_event({EventResource::StorageClass, t == k8s::WatchEventType::Added ? kAdd : kUpdate}, clock());
      });
}

Scheduler::~Scheduler() { *alive_ = false; }

bool Scheduler::ours(const k8s::Pod& p) const { return p.spec.scheduler_name == cfg_.scheduler_name; }

void Scheduler::on_node(k8s::WatchEventType type, const k8s::Node* old_node, const k8s::Node* new_node) {
  if (type == k8s::WatchEventType::Deleted) {
    cache_.remove_node(old_node->meta.name);
    queue_.on_event({EventResource::Node, kDelete}, clock());
    return;
  }
  const NodeChange ch = cache_.upsert_node(*new_node);
  std::uint32_t actions = 0;
  if (ch.added) actions |= kAdd;
  else {
    if (ch.labels) actions |= kUpdateNodeLabel;
    if (ch.taints) actions |= kUpdateNodeTaint;
    if (ch.allocatable) actions |= kUpdateNodeAllocatable;
  }
  if (actions != 0) queue_.on_event({EventResource::Node, actions}, clock());
}

void Scheduler::on_pod(k8s::WatchEventType type, const k8s::Pod* old_pod, const k8s::Pod* new_pod) {
  const sim::Time now = clock();
  if (type == k8s::WatchEventType::Deleted) {
    const std::string key = old_pod->meta.key();
    compiled_.erase(key);
    queue_.remove(key);
    if (cache_.contains_pod(key)) {
      cache_.remove_pod(key);
      queue_.on_event({EventResource::AssignedPod, kDelete}, now);
    }
    return;
  }
  const k8s::Pod& p = *new_pod;
  const std::string key = p.meta.key();
  if (status_write_from_ != 0 && old_pod != nullptr && old_pod->meta.resource_version == status_write_from_) {
    // record_failure's own write (only status changed): a PodInfo compiled from the object it
    // replaced is still that of the new one.
    status_write_from_ = 0;
    auto it = compiled_.find(key);
    if (it != compiled_.end() && it->second.resource_version == old_pod->meta.resource_version)
      it->second.resource_version = p.meta.resource_version;
  }
  if (p.bound()) {
    if (!compiled_.empty()) compiled_.erase(key);
    queue_.remove(key);
    if (terminal(p)) {  // the scheduler's informer drops terminal pods
      if (cache_.contains_pod(key)) {
        cache_.remove_pod(key);
        queue_.on_event({EventResource::AssignedPod, kDelete}, now);
      }
      return;
    }
    const std::uint32_t slot = cache_.pod_slot(key);
    const bool known = slot != kNoPod;
    const bool assumed = known && cache_.pod(slot).assumed;
    // The common case, our own binding landing: confirm the assumed pod without compiling it
    // again (add_bound_pod would discard the compiled copy anyway).
    if (assumed && cache_.confirm_assumed(slot, p.spec.node_name)) {
      queue_.on_event({EventResource::AssignedPod, kAdd}, now);
      return;
    }
    if (!known || assumed) {
      cache_.add_bound_pod(compile_pod(p, syms_, store_), p.spec.node_name);
      queue_.on_event({EventResource::AssignedPod, kAdd}, now);
      return;
    }
    const bool labels = old_pod == nullptr || old_pod->meta.labels != p.meta.labels;
    const bool relevant = labels || old_pod->spec.node_name != p.spec.node_name ||
                          old_pod->terminating() != p.terminating();
    if (relevant) {
      cache_.update_bound_pod(compile_pod(p, syms_, store_), p.spec.node_name);
      if (labels) queue_.on_event({EventResource::AssignedPod, kUpdatePodLabel}, now);
    }
    return;
  }
  const std::uint32_t slot = cache_.pod_slot(key);
  bool assumed = slot != kNoPod && cache_.pod(slot).assumed;
  if (slot != kNoPod && !assumed) {  // unbound again (not normally possible)
    cache_.remove_pod(key);
    queue_.on_event({EventResource::AssignedPod, kDelete}, now);
  }
  if (!ours(p) || p.terminating() || terminal(p)) {
    queue_.remove(key);
    return;
  }
  if (queue_.contains(key)) {
    if (old_pod != nullptr &&
        (old_pod->meta.labels != p.meta.labels || old_pod->spec.node_selector != p.spec.node_selector ||
         old_pod->spec.priority != p.spec.priority || !same_tolerations(old_pod->spec.tolerations, p.spec.tolerations)))
      queue_.update(key, p.spec.priority, now);
    return;
  }
  if (assumed) return;  // between schedule_one and bind
  queue_.add(key, p.spec.priority, now);
}

ScheduleResult Scheduler::schedule_one(sim::Time now) { return pop_and_schedule(now, nullptr); }

ScheduleResult Scheduler::pop_and_schedule(sim::Time now, const k8s::Pod** scheduled) {
  while (auto qp = queue_.pop(now)) {
    const auto* pod = store_.get<k8s::Pod>(qp->key);
    if (pod == nullptr || pod->bound() || pod->terminating() || !ours(*pod)) continue;
    if (scheduled != nullptr) *scheduled = pod;
    return run_cycle(std::move(*qp), *pod, now);
  }
  return {};
}

ScheduleResult Scheduler::run_cycle(QueuedPod qp, const k8s::Pod& pod, sim::Time now) {
  ScheduleResult r;
  r.pod = qp.key;
  r.queued = std::move(qp);
  const std::size_t start = next_start_;
  if (auto it = compiled_.find(r.pod); it != compiled_.end()) {
    const Compiled& e = it->second;
    if (e.resource_version != 0 && e.resource_version == pod.meta.resource_version && e.failure &&
        e.failure->inputs_generation == cache_.inputs_generation() && e.failure->start == start) {
      // The same pod object on the same nodes, pods and volumes: the cycle would fail again
      // exactly as last time (a retry after the 5-minute wait or after an event that changed
      // nothing it reads).
      const Compiled::Failure& f = *e.failure;
      ScheduleResult again = f.result;
      again.pod = std::move(r.pod);
      again.queued = std::move(r.queued);
      if (again.num_all_nodes > 0)
        next_start_ = (start + static_cast<std::size_t>(again.evaluated_nodes)) % static_cast<std::size_t>(again.num_all_nodes);
      record_failure(again, f.rejectors, now, f.error);  // may rehash compiled_: `f` is not read after
      return again;
    }
  }
  Cycle c;
  c.pod = &pod;
  c.info = compiled_info(pod, r.pod);
  c.pod_version = pod.meta.resource_version;
  const auto order = cache_.node_order();
  const int n = static_cast<int>(order.size());
  r.num_all_nodes = n;
  if (n == 0) {
    r.outcome = ScheduleResult::Outcome::Unschedulable;
    r.message = std::string(reasons::kNoNodesAvailable);
    fail_cycle(r, c, start, 0, now, false);
    return r;
  }
  Status pf = fw_.pre_filter(c);
  if (pf.code == Code::Error) {
    r.outcome = ScheduleResult::Outcome::Error;
    r.message = pf.message();
    fail_cycle(r, c, start, 0, now, true);
    return r;
  }
  if (!pf.ok()) {
    const std::string pf_msg = pf.message();
    r.post_filter_msg = post_filter(c, [&](const auto& visit) {
      for (std::uint32_t slot : order) visit(slot, pf.code, add_status_reasons(pf));
    });
    // fit_error_message over {no node statuses, absent = pf, pre_filter_msg}: every node is
    // absent, so each counts pf's reasons where the version counts them per node.
    counts_.clear();
    if (pf_msg.empty() || !cfg_.version.at_least(1, 25))
      for (const auto& reason : pf.reasons) counts_.add(reason, n);
    r.message = memo_.format(n, counts_, pf_msg, r.post_filter_msg);
    r.pre_filter = std::move(pf);
    r.outcome = ScheduleResult::Outcome::Unschedulable;
    fail_cycle(r, c, start, mask_of_name(r.pre_filter.plugin), now, false);
    return r;
  }
  const auto want = static_cast<std::size_t>(num_feasible_nodes_to_find(cfg_.percentage_of_nodes_to_score, n));
  const std::size_t processed =
      fw_.find_feasible(c, order, next_start_ % order.size(), want, feasible_, rejected_);
  next_start_ = (next_start_ + processed) % order.size();
  r.evaluated_nodes = static_cast<int>(processed);
  r.feasible_nodes = static_cast<int>(feasible_.size());
  if (feasible_.empty()) {
    // The reasons are counted by id and spelled out once each, not once per node.
    PluginMask mask = 0;
    counts_.clear();
    for (const auto& rej : rejected_) {
      mask |= mask_of(rej.plugin);
      add_verdict_reasons(rej, counts_);
    }
    // Every node was processed (nothing feasible), so no node is absent from the diagnosis.
    r.post_filter_msg = post_filter(c, [&](const auto& visit) {
      for (const auto& rej : rejected_)
        visit(rej.node, rej.verdict.code, [&](ReasonCounts& rc) { add_verdict_reasons(rej, rc); });
    });
    r.message = memo_.format(n, counts_, {}, r.post_filter_msg);
    r.rejections = rejected_;
    r.outcome = ScheduleResult::Outcome::Unschedulable;
    fail_cycle(r, c, start, mask, now, false);
    return r;
  }
  std::size_t pick = 0;
  if (feasible_.size() > 1) {  // "only one node after predicate, just use it"
    fw_.score(c, feasible_, totals_);
    pick = select_host(totals_, tie_break_);
  }
  const std::uint32_t slot = feasible_[pick];
  const NodeInfo& node = cache_.node(slot);
  r.node = node.name;
  if (!fw_.skipped(PluginId::VolumeBinding)) r.volumes = fw_.volume_binding().decisions_for(node);
  if (!compiled_.empty()) compiled_.erase(r.pod);
  cache_.assume(std::move(c.info), slot);  // Reserve
  r.outcome = ScheduleResult::Outcome::Scheduled;
  return r;
}

bool Scheduler::has_lower_priority_pod(const Cycle& c, std::uint32_t slot) const {
  for (std::uint32_t p : cache_.node(slot).pods)
    if (cache_.pod(p).live && cache_.pod(p).priority < c.pod->spec.priority) return true;
  return false;
}

template <class ForEachRejected>
std::string Scheduler::post_filter(const Cycle& c, ForEachRejected for_each_rejected) {
  // DefaultPreemption: nodes rejected as UnschedulableAndUnresolvable are "not helpful";
  // on the others, removing every lower-priority pod is the only hope: with none there, "No
  // preemption victims found". Choosing victims when there are lower-priority pods is not
  // modelled: such nodes report their filter reason, as kube-scheduler does when removing
  // them would still not make the pod fit.
  ReasonCounts dry;
  std::size_t dry_nodes = 0;
  for_each_rejected([&](std::uint32_t slot, Code code, const auto& add_reasons) {
    if (code != Code::Unschedulable) return;
    ++dry_nodes;
    if (has_lower_priority_pod(c, slot)) add_reasons(dry);
    else dry.add(reasons::kNoPreemptionVictims);
  });
  return memo_.preemption(static_cast<int>(cache_.num_present_nodes()), dry, dry_nodes);
}

Diagnosis Scheduler::diagnosis(const ScheduleResult& r) const {
  Diagnosis d;
  if (!r.pre_filter.ok()) {
    d.pre_filter_msg = r.pre_filter.message();
    d.absent_nodes_status = r.pre_filter;
  }
  for (const auto& rej : r.rejections)
    d.node_statuses.push_back({cache_.node(rej.node).name, fw_.to_status(rej.plugin, rej.verdict)});
  d.post_filter_msg = r.post_filter_msg;
  return d;
}

void Scheduler::fail_cycle(ScheduleResult& r, Cycle& c, std::size_t start, PluginMask rejectors, sim::Time now,
                           bool error) {
  // Kept before record_failure: its status write replaces the pod object `c` was made from.
  // Nothing in the cycle changed the cache, so its generations are those the cycle read.
  Compiled& e = compiled_[r.pod];
  e.resource_version = c.pod_version;
  e.volumes_generation = cache_.volumes_generation();
  e.info = std::move(c.info);
  e.failure = Compiled::Failure{cache_.inputs_generation(), start, r, rejectors, error};
  e.failure->result.pod.clear();
  e.failure->result.queued = {};
  record_failure(r, rejectors, now, error);
}

void Scheduler::record_failure(ScheduleResult& r, PluginMask rejectors, sim::Time now, bool error) {
  if (error) queue_.add_backoff(r.queued, now);
  else queue_.add_unschedulable(r.queued, rejectors, now);
  if (events_.enabled())
    events_.record({now, k8s::EventType::Warning, "FailedScheduling", pod_object(r.pod), r.message, "default-scheduler"});
  const std::string_view reason = error ? "SchedulerError" : "Unschedulable";
  // kube-scheduler's updatePod sends no status patch when the PodScheduled condition it would
  // set is already there (podutil.UpdatePodCondition reports no change): a pod failing again
  // for the same reason is not written, so watchers see no update.
  const auto* cur = store_.get<k8s::Pod>(r.pod);
  if (cur != nullptr && !cur->status.scheduled && cur->status.reason == reason && cur->status.message == r.message)
    return;
  status_write_from_ = cur != nullptr ? cur->meta.resource_version : 0;
  store_.mutate<k8s::Pod>(r.pod, [&](k8s::Pod& p) {
    p.status.scheduled = false;
    p.status.reason = reason;
    p.status.message = r.message;
  });
  status_write_from_ = 0;
}

PodInfo Scheduler::compiled_info(const k8s::Pod& pod, const std::string& key) {
  if (auto it = compiled_.find(key); it != compiled_.end()) {
    Compiled& e = it->second;
    if (e.resource_version != 0 && e.resource_version == pod.meta.resource_version) {
      e.resource_version = 0;  // moved out below; a failure puts it back
      if (e.volumes_generation != cache_.volumes_generation()) compile_volumes(e.info, pod, syms_, store_, false);
      return std::move(e.info);
    }
  }
  return compile_pod(pod, syms_, store_);
}

BindResult Scheduler::bind(const ScheduleResult& r, sim::Time now) {
  if (r.outcome != ScheduleResult::Outcome::Scheduled) {
    BindResult out;
    out.message = "pod was not scheduled";
    return out;
  }
  return bind_pod(r, store_.get<k8s::Pod>(r.pod), now);
}

BindResult Scheduler::bind_pod(const ScheduleResult& r, const k8s::Pod* pod, sim::Time now) {
  BindResult out;
  if (pod == nullptr || pod->terminating()) {  // deleted meanwhile: nothing to requeue
    cache_.forget(r.pod);
    out.message = "pod does not exist any more";
    return out;
  }
  auto fail = [&](std::string msg) {
    cache_.forget(r.pod);
    queue_.add_backoff(r.queued, now);
    out.ok = false;
    out.message = std::move(msg);
    if (events_.enabled())
      events_.record({now, k8s::EventType::Warning, "FailedScheduling", pod_object(r.pod), out.message, "default-scheduler"});
    store_.mutate<k8s::Pod>(r.pod, [&](k8s::Pod& p) {
      p.status.scheduled = false;
      p.status.reason = "SchedulerError";
      p.status.message = out.message;
    });
    return out;
  };
  const auto* node = store_.get<k8s::Node>(r.node);
  if (node == nullptr) return fail("node \"" + r.node + "\" not found");
  // PreBind (VolumeBinding): bind the chosen static PVs, provision the rest.
  for (const auto& d : r.volumes) {
    const auto* pvc = store_.get<k8s::PersistentVolumeClaim>(d.claim);
    if (pvc == nullptr) return fail("running PreBind plugin \"VolumeBinding\": persistentvolumeclaim \"" + d.claim + "\" not found");
    if (!pvc->volume_name.empty()) continue;
    if (!d.static_pv.empty()) {
      const k8s::ClaimReference ref{pvc->meta.ns, pvc->meta.name, pvc->meta.uid};
      const std::string claim = d.claim, pv_name = d.static_pv;
      store_.mutate<k8s::PersistentVolume>(pv_name, [&](k8s::PersistentVolume& pv) {
        pv.claim_ref = ref;
        pv.phase = k8s::PvPhase::Bound;
      });
      store_.mutate<k8s::PersistentVolumeClaim>(claim, [&](k8s::PersistentVolumeClaim& c) {
        c.volume_name = pv_name;
        c.phase = k8s::PvcPhase::Bound;
      });
      continue;
    }
    const auto* sc = claim_class(store_, *pvc);
    if (sc == nullptr || provisioner_ == nullptr)
      return fail("running PreBind plugin \"VolumeBinding\": binding volumes: no provisioner for claim \"" + d.claim + "\"");
    const k8s::PersistentVolumeClaim claim_copy = *pvc;
    const k8s::StorageClass class_copy = *sc;
    const k8s::Node node_copy = *node;
    ProvisionResult pr = provisioner_->provision(claim_copy, class_copy, node_copy);
    if (!pr.ok) return fail("running PreBind plugin \"VolumeBinding\": binding volumes: " + pr.error);
    out.provisioned.push_back(pr.pv_name);
  }
  // Bind (DefaultBinder): the pods/binding subresource sets spec.nodeName and PodScheduled.
  auto bind_to_node = [&r](k8s::Pod& p) {
    p.spec.node_name = r.node;
    p.status.scheduled = true;
    p.status.reason.clear();
    p.status.message.clear();
  };
  store_.mutate<k8s::Pod>(r.pod, bind_to_node);
  if (events_.enabled())
    events_.record({now, k8s::EventType::Normal, "Scheduled", pod_object(r.pod),
                    "Successfully assigned " + r.pod + " to " + r.node, "default-scheduler"});
  out.ok = true;
  return out;
}

ScheduleResult Scheduler::schedule_and_bind(sim::Time now) {
  const k8s::Pod* pod = nullptr;
  ScheduleResult r = pop_and_schedule(now, &pod);
  if (r.outcome == ScheduleResult::Outcome::Scheduled) {
    // A scheduling cycle writes nothing to the store, so the pod it read is still current.
    BindResult b = bind_pod(r, pod, now);
    if (!b.ok) {
      r.outcome = ScheduleResult::Outcome::Error;
      r.message = b.message;
    }
  }
  return r;
}

Explanation Scheduler::explain(const k8s::Pod& pod) {
  if (!pod.status.scheduled || !pod.bound()) return explain_placement(pod);
  k8s::Pod anew = pod;
  anew.spec.node_name.clear();
  anew.status.scheduled = false;
  const std::string key = pod.meta.key();
  std::optional<PodInfo> saved;  // every cached pod is on a node (PodInfo::node)
  if (const std::uint32_t slot = cache_.pod_slot(key); slot != kNoPod) {
    saved = cache_.pod(slot);
    cache_.remove_pod(key);
  }
  Explanation e = explain_placement(anew);
  e.placed_anew = true;
  if (saved) {
    const std::uint32_t node = saved->node;
    if (saved->assumed) cache_.assume(std::move(*saved), node);
    else cache_.add_bound_pod(std::move(*saved), std::string(cache_.node(node).name));
  }
  return e;
}

Explanation Scheduler::explain_placement(const k8s::Pod& pod) {
  Explanation e;
  Cycle c;
  c.pod = &pod;
  c.info = compile_pod(pod, syms_, store_);
  const auto order = cache_.node_order();
  const int n = static_cast<int>(order.size());
  if (n == 0) {
    e.message = std::string(reasons::kNoNodesAvailable);
    return e;
  }
  e.pre_filter = fw_.pre_filter(c);
  if (e.pre_filter.code == Code::Error) {
    e.message = e.pre_filter.message();
    return e;
  }
  if (!e.pre_filter.ok()) {
    Diagnosis d;
    d.pre_filter_msg = e.pre_filter.message();
    d.absent_nodes_status = e.pre_filter;
    d.post_filter_msg = post_filter(c, [&](const auto& visit) {
      for (std::uint32_t slot : order) visit(slot, e.pre_filter.code, add_status_reasons(e.pre_filter));
    });
    e.message = fit_error_message(FitError{n, d}, cfg_.version);
    return e;
  }
  Diagnosis d;
  std::vector<std::uint32_t> rejected_slots;
  for (std::uint32_t slot : order) {
    const NodeInfo& node = cache_.node(slot);
    NodeExplanation ne;
    ne.node = node.name;
    ne.filters = fw_.filter_all(c, node);
    for (const auto& s : ne.filters)
      if (s.code != Code::Success && s.code != Code::Skip) {
        ne.first_failure = s;
        break;
      }
    if (ne.first_failure.ok()) {
      ++e.feasible_nodes;
    } else {
      d.node_statuses.push_back({node.name, ne.first_failure});
      rejected_slots.push_back(slot);
    }
    e.nodes.push_back(std::move(ne));
  }
  if (e.feasible_nodes == 0) {
    d.post_filter_msg = post_filter(c, [&](const auto& visit) {
      for (std::size_t i = 0; i < rejected_slots.size(); ++i) {
        const Status& s = d.node_statuses[i].status;
        visit(rejected_slots[i], s.code, add_status_reasons(s));
      }
    });
    e.message = fit_error_message(FitError{n, d}, cfg_.version);
  }
  return e;
}

}  // namespace azsim::scheduler
