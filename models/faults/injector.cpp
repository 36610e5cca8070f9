#include "models/faults/injector.hpp"

#include <algorithm>

namespace azsim::faults {

using scenario::FaultAction;

namespace {

// kubectl drain retries an eviction refused by a PodDisruptionBudget every 5 s.
constexpr sim::Duration kEvictionRetry = sim::Duration::seconds(5);

std::string name_of(const std::string& key) { return key.substr(key.find('/') + 1); }

}  // namespace

FaultInjector::FaultInjector(controllers::Cluster& cluster, const scenario::Scenario& scenario, sim::RandomStream rng)
    : cluster_(cluster), scenario_(scenario), rng_(std::move(rng)) {
  cluster_.store().watch<k8s::Pod>([this](k8s::WatchEventType t, const k8s::Pod*, const k8s::Pod*) {
    if (t != k8s::WatchEventType::Deleted || doomed_claims_.empty()) return;
    const std::vector<std::string> claims(doomed_claims_.begin(), doomed_claims_.end());
    for (const auto& c : claims) delete_claim_when_unused(c);
  });
}

void FaultInjector::schedule(sim::Time t0) {
  for (std::size_t i = 0; i < scenario_.faults.size(); ++i) {
    const scenario::Fault& f = scenario_.faults[i];
    sim::Duration jitter;
    if (f.jitter > sim::Duration::zero()) {
      sim::RandomStream s = rng_.child(i);
      jitter = sim::Duration::micros(static_cast<std::int64_t>(s.uniform_index(static_cast<std::uint64_t>(f.jitter.us()) + 1)));
    }
    cluster_.sim().at(t0 + f.at + jitter, [this, &f] { fire(f); }, -1, "fault");
  }
}

void FaultInjector::note(const std::string& what) {
  cluster_.events().record(k8s::Event{cluster_.sim().now(), k8s::EventType::Normal, "Fault", "azsim", what, "azsim"});
}

void FaultInjector::skip(const scenario::Fault& f, const std::string& why) {
  const std::string msg = std::string(scenario::to_string(f.action)) + " at " + sim::format_duration(f.at) +
                          " skipped: " + why + " (" + f.path + ")";
  warnings_.push_back(msg);
  cluster_.events().record(k8s::Event{cluster_.sim().now(), k8s::EventType::Warning, "FaultSkipped", "azsim", msg, "azsim"});
}

std::string FaultInjector::resolve_node(const scenario::NodeTarget& t) const {
  const auto& store = cluster_.store();
  switch (t.by) {
    case scenario::NodeTarget::By::Name: {
      if (store.get<k8s::Node>(t.name) || !cluster_.instance_of_node(t.name).empty()) return t.name;
      // "ip-A-B-C-D" without its DNS suffix names the node "ip-A-B-C-D.<domain>".
      std::string found;
      for (const auto* n : store.list<k8s::Node>())
        if (n->meta.name.size() > t.name.size() && n->meta.name.compare(0, t.name.size(), t.name) == 0 &&
            n->meta.name[t.name.size()] == '.') {
          if (!found.empty()) return {};  // ambiguous
          found = n->meta.name;
        }
      return found;
    }
    case scenario::NodeTarget::By::RunningPod: {
      for (const auto* pod : store.list<k8s::Pod>())
        if (pod->meta.name == t.pod && (t.pod_ns.empty() || pod->meta.ns == t.pod_ns) && pod->bound())
          return pod->spec.node_name;
      return {};
    }
    case scenario::NodeTarget::By::Index: {
      std::vector<std::string> names;
      for (const auto* n : store.list<k8s::Node>()) {
        if (!t.zone.empty() && n->zone() != t.zone) continue;
        if (!t.group.empty()) {
          const cloud::Instance* inst = cluster_.cloud().instance(cluster_.instance_of_node(n->meta.name));
          if (!inst || inst->group != t.group) continue;
        }
        names.push_back(n->meta.name);
      }
      if (t.index < 0 || static_cast<std::size_t>(t.index) >= names.size()) return {};
      return names[static_cast<std::size_t>(t.index)];
    }
  }
  return {};
}

std::vector<std::string> FaultInjector::resolve_pods(const scenario::PodTarget& t) const {
  std::vector<std::string> out;
  for (const auto* pod : cluster_.store().list<k8s::Pod>()) {
    if (!t.ns.empty() && pod->meta.ns != t.ns) continue;
    bool match = false;
    switch (t.by) {
      case scenario::PodTarget::By::Name: match = pod->meta.name == t.name; break;
      case scenario::PodTarget::By::Selector: match = t.selector.matches(pod->meta.labels); break;
      case scenario::PodTarget::By::Workload: {
        if (!pod->meta.owner || (!t.workload.ns.empty() && pod->meta.ns != t.workload.ns)) break;
        const auto& o = *pod->meta.owner;
        using K = scenario::WorkloadRef::Kind;
        if (t.workload.kind == K::StatefulSet) match = o.kind == "StatefulSet" && o.name == t.workload.name;
        else if (t.workload.kind == K::ReplicaSet) match = o.kind == "ReplicaSet" && o.name == t.workload.name;
        else if (o.kind == "ReplicaSet")
          if (const auto* rs = cluster_.store().get<k8s::ReplicaSet>(pod->meta.ns, o.name))
            match = rs->meta.owner && rs->meta.owner->name == t.workload.name;
        break;
      }
    }
    if (match) out.push_back(pod->meta.key());
  }
  return out;
}

std::string FaultInjector::resolve_volume(const scenario::VolumeTarget& t) const {
  if (!t.id.empty()) return cluster_.cloud().volume(t.id) ? t.id : std::string();
  for (const auto* pvc : cluster_.store().list<k8s::PersistentVolumeClaim>()) {
    if (pvc->meta.name != t.claim || (!t.claim_ns.empty() && pvc->meta.ns != t.claim_ns)) continue;
    if (const auto* pv = pvc->volume_name.empty() ? nullptr : cluster_.store().get<k8s::PersistentVolume>(pvc->volume_name))
      return pv->source.volume_id;
  }
  return {};
}

void FaultInjector::fire(const scenario::Fault& f) {
  auto& sim = cluster_.sim();
  const char* action = scenario::to_string(f.action);
  auto node_or_skip = [&]() -> std::string {
    std::string node = f.node ? resolve_node(*f.node) : std::string();
    if (node.empty()) skip(f, "no node matches its target at this time");
    return node;
  };
  auto instance_or_skip = [&](const std::string& node) -> std::string {
    std::string inst = cluster_.instance_of_node(node);
    if (inst.empty()) skip(f, "node " + node + " has no instance");
    return inst;
  };
  switch (f.action) {
    case FaultAction::TerminateInstance:
    case FaultAction::StopInstance:
    case FaultAction::StartInstance: {
      const std::string node = node_or_skip();
      if (node.empty()) return;
      const std::string inst = instance_or_skip(node);
      if (inst.empty()) return;
      note(std::string(action) + " " + inst + " (node " + node + ")" +
           (f.for_ ? " for " + sim::format_duration(*f.for_) : ""));
      if (f.action == FaultAction::TerminateInstance) cluster_.terminate_instance(inst);
      else if (f.action == FaultAction::StopInstance) cluster_.stop_instance(inst);
      else cluster_.start_instance(inst);
      if (f.action == FaultAction::StopInstance && f.for_)
        sim.after(*f.for_, [this, inst, &f] { restart_stopped(inst, f); }, 0, "start-instance");
      return;
    }
    case FaultAction::KubeletDown: {
      const std::string node = node_or_skip();
      if (node.empty()) return;
      note(std::string(action) + " node " + node + (f.for_ ? " for " + sim::format_duration(*f.for_) : ""));
      cluster_.kubelet_down(node, f.for_);
      return;
    }
    case FaultAction::Cordon:
    case FaultAction::Uncordon: {
      const std::string node = node_or_skip();
      if (node.empty()) return;
      note(std::string(action) + " node " + node);
      cluster_.cordon(node, f.action == FaultAction::Cordon);
      return;
    }
    case FaultAction::Drain: {
      const std::string node = node_or_skip();
      if (node.empty()) return;
      note(std::string(action) + " node " + node);
      cluster_.cordon(node, true);
      drain(node, f, f.timeout ? sim.now() + *f.timeout : sim::Time::infinity());
      return;
    }
    case FaultAction::DeletePod: {
      const auto pods = f.pods ? resolve_pods(*f.pods) : std::vector<std::string>{};
      if (pods.empty()) return skip(f, "no pod matches its target at this time");
      for (const auto& key : pods) {
        note(std::string(action) + " " + key + (f.force ? " --force" : ""));
        cluster_.delete_pod(key, f.force, f.grace_period);
      }
      return;
    }
    case FaultAction::OutOfServiceTaint: {
      const std::string node = node_or_skip();
      if (node.empty()) return;
      note(std::string(action) + " node " + node);
      cluster_.add_taint(node, k8s::Taint{k8s::wellknown::kTaintOutOfService, "nodeshutdown", k8s::TaintEffect::NoExecute, {}});
      return;
    }
    case FaultAction::ZoneOutage: {
      note(std::string(action) + " " + *f.zone + (f.for_ ? " for " + sim::format_duration(*f.for_) : ""));
      cluster_.cloud().start_zone_outage(*f.zone, f.for_);
      return;
    }
    case FaultAction::VolumeFailure: {
      const std::string vol = f.volume ? resolve_volume(*f.volume) : std::string();
      if (vol.empty()) return skip(f, "no EBS volume matches its target at this time");
      note(std::string(action) + " " + vol);
      cluster_.cloud().fail_volume(vol);
      return;
    }
    case FaultAction::ReadinessFailure: {
      const auto pods = f.pods ? resolve_pods(*f.pods) : std::vector<std::string>{};
      if (pods.empty()) return skip(f, "no pod matches its target at this time");
      for (const auto& key : pods) {
        note(std::string(action) + " " + key + (f.for_ ? " for " + sim::format_duration(*f.for_) : ""));
        cluster_.set_readiness_failure(key, true);
        if (f.for_) sim.after(*f.for_, [this, key] { cluster_.set_readiness_failure(key, false); }, 0, "readiness-ok");
      }
      return;
    }
    case FaultAction::Scale: {
      const auto& w = *f.workload;
      const std::string ns = resolve_workload_namespace(w);
      if (ns.empty()) return skip(f, w.str() + " not found");
      note(std::string(action) + " " + w.str() + " to " + std::to_string(*f.replicas));
      cluster_.scale(w.str(), ns, *f.replicas);
      return;
    }
    case FaultAction::DeletePvc: {
      const auto& ref = *f.pvc;
      std::string key;
      for (const auto* pvc : cluster_.store().list<k8s::PersistentVolumeClaim>())
        if (pvc->meta.name == ref.name && (ref.ns.empty() || pvc->meta.ns == ref.ns)) key = pvc->meta.key();
      if (key.empty()) return skip(f, "persistentvolumeclaim \"" + ref.name + "\" not found");
      note(std::string(action) + " " + key);
      doomed_claims_.insert(key);
      delete_claim_when_unused(key);
      return;
    }
  }
}

void FaultInjector::restart_stopped(const std::string& inst, const scenario::Fault& f) {
  const cloud::Instance* i = cluster_.cloud().instance(inst);
  if (i == nullptr) return;
  if (i->state == cloud::InstanceState::Stopping) {
    // `aws ec2 start-instances` is refused until the instance is stopped: try again then.
    cluster_.sim().after(cloud::kStoppingDuration, [this, inst, &f] { restart_stopped(inst, f); }, 0, "start-instance");
    return;
  }
  if (i->state != cloud::InstanceState::Stopped) {
    // An Auto Scaling group replaces a stopped member: it is gone by now.
    skip(f, "start of " + inst + " after `for`: the instance is " + cloud::to_string(i->state));
    return;
  }
  note("start-instance " + inst + " (end of stop-instance)");
  cluster_.start_instance(inst);
}

std::string FaultInjector::resolve_workload_namespace(const scenario::WorkloadRef& w) const {
  const auto& store = cluster_.store();
  auto exists = [&](const std::string& ns) {
    switch (w.kind) {
      case scenario::WorkloadRef::Kind::StatefulSet: return store.get<k8s::StatefulSet>(ns, w.name) != nullptr;
      case scenario::WorkloadRef::Kind::Deployment: return store.get<k8s::Deployment>(ns, w.name) != nullptr;
      case scenario::WorkloadRef::Kind::ReplicaSet: return store.get<k8s::ReplicaSet>(ns, w.name) != nullptr;
    }
    return false;
  };
  if (!w.ns.empty()) return exists(w.ns) ? w.ns : std::string();
  // No namespace written: the workload of that name, "default" first (kubectl's default).
  if (exists("default")) return "default";
  std::vector<std::string> seen;
  auto collect = [&](const auto& objs) {
    for (const auto* o : objs)
      if (o->meta.name == w.name) seen.push_back(o->meta.ns);
  };
  switch (w.kind) {
    case scenario::WorkloadRef::Kind::StatefulSet: collect(store.list<k8s::StatefulSet>()); break;
    case scenario::WorkloadRef::Kind::Deployment: collect(store.list<k8s::Deployment>()); break;
    case scenario::WorkloadRef::Kind::ReplicaSet: collect(store.list<k8s::ReplicaSet>()); break;
  }
  return seen.size() == 1 ? seen.front() : std::string();
}

void FaultInjector::delete_claim_when_unused(const std::string& key) {
  // kubernetes.io/pvc-protection: a claim in use by a pod is removed only when no pod uses it.
  const auto* pvc = cluster_.store().get<k8s::PersistentVolumeClaim>(key);
  if (!pvc) {
    doomed_claims_.erase(key);
    return;
  }
  for (const auto* pod : cluster_.store().list<k8s::Pod>()) {
    if (pod->meta.ns != pvc->meta.ns) continue;
    for (const auto& v : pod->spec.volumes)
      if (v.pvc_claim_name && *v.pvc_claim_name == pvc->meta.name) return;
  }
  doomed_claims_.erase(key);
  cluster_.store().remove<k8s::PersistentVolumeClaim>(key);
}

std::int32_t FaultInjector::expected_pods(const k8s::PodDisruptionBudget& pdb) const {
  // The disruption controller's expected count: the scale of every controller owning a selected
  // pod (StatefulSet, ReplicaSet), plus one per selected pod without a controller.
  const auto& store = cluster_.store();
  std::set<std::string> owners;
  std::int32_t expected = 0;
  for (const auto* p : store.list<k8s::Pod>()) {
    if (p->meta.ns != pdb.meta.ns || !pdb.selector.matches(p->meta.labels)) continue;
    if (!p->meta.owner) {
      ++expected;
      continue;
    }
    const auto& o = *p->meta.owner;
    if (!owners.insert(o.kind + "/" + o.name).second) continue;
    if (o.kind == "StatefulSet") {
      if (const auto* sts = store.get<k8s::StatefulSet>(p->meta.ns, o.name)) expected += sts->replicas;
    } else if (o.kind == "ReplicaSet") {
      if (const auto* rs = store.get<k8s::ReplicaSet>(p->meta.ns, o.name)) expected += rs->replicas;
    } else {
      ++expected;
    }
  }
  return expected;
}

bool FaultInjector::eviction_allowed(const k8s::Pod& pod) const {
  // The Eviction API. A pod that is not running yet can always be evicted. Otherwise every PDB
  // selecting the pod must allow it: a Ready pod needs disruptionsAllowed > 0 (currentHealthy -
  // desiredHealthy); a running pod that is not Ready only needs the budget not to be already
  // broken (unhealthyPodEvictionPolicy IfHealthyBudget, the default).
  const auto& store = cluster_.store();
  if (pod.status.phase == k8s::PodPhase::Pending) return true;
  const bool pod_healthy = cluster_.cause(pod.meta.key()) == controllers::PodCause::Ready;
  for (const auto* pdb : store.list<k8s::PodDisruptionBudget>()) {
    if (pdb->meta.ns != pod.meta.ns || !pdb->selector.matches(pod.meta.labels)) continue;
    std::int32_t healthy = 0;
    for (const auto* p : store.list<k8s::Pod>())
      if (p->meta.ns == pdb->meta.ns && pdb->selector.matches(p->meta.labels) && !p->terminating() &&
          cluster_.cause(p->meta.key()) == controllers::PodCause::Ready)
        ++healthy;
    const std::int32_t expected = expected_pods(*pdb);
    std::int32_t desired_healthy = 0;
    if (pdb->min_available) desired_healthy = pdb->min_available->resolve(expected, true);
    else if (pdb->max_unavailable) desired_healthy = expected - pdb->max_unavailable->resolve(expected, true);
    const std::int32_t allowed = healthy - desired_healthy;
    if (pod_healthy ? allowed <= 0 : allowed < 0) return false;
  }
  return true;
}

void FaultInjector::drain(const std::string& node, const scenario::Fault& f, sim::Time deadline) {
  auto& sim = cluster_.sim();
  bool waiting = false;
  for (const auto* pod : cluster_.store().list<k8s::Pod>()) {
    if (pod->spec.node_name != node || pod->terminating()) continue;
    if (!pod->meta.owner && !f.force) {
      skip(f, "cannot delete Pods that declare no controller (use force: true to override): " + pod->meta.key());
      continue;
    }
    if (!eviction_allowed(*pod)) {
      // kubectl drain prints this and retries every 5 s.
      if (refused_.insert(pod->meta.key()).second)
        cluster_.events().record(k8s::Event{sim.now(), k8s::EventType::Warning, "EvictionRefused",
                                            "pod/" + name_of(pod->meta.key()),
                                            "Cannot evict pod as it would violate the pod's disruption budget.", "azsim"});
      waiting = true;
      continue;
    }
    refused_.erase(pod->meta.key());
    cluster_.events().record(k8s::Event{sim.now(), k8s::EventType::Normal, "Evicted", "pod/" + name_of(pod->meta.key()),
                                        "Evicting pod " + pod->meta.key() + " (drain of " + node + ")", "azsim"});
    cluster_.delete_pod(pod->meta.key(), false, f.grace_period);
  }
  if (!waiting) return;
  if (sim.now() + kEvictionRetry > deadline) {
    skip(f, "drain of " + node + " timed out: PodDisruptionBudget still refuses evictions");
    return;
  }
  sim.after(kEvictionRetry, [this, node, &f, deadline] { drain(node, f, deadline); }, 0, "drain");
}

}  // namespace azsim::faults
