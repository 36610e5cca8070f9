#include "models/controllers/cluster.hpp"

#include <algorithm>

#include "models/controllers/ebs_provisioner.hpp"
#include "models/controllers/internal.hpp"
#include "models/k8s/admission.hpp"
#include "models/scheduler/scheduler.hpp"

namespace azsim::controllers {

using k8s::WatchEventType;

namespace {

/// Whether the pod has a volume the attach/detach controller handles (a claim or inline EBS).
bool has_ebs_volume(const k8s::Pod& pod) {
  return std::any_of(pod.spec.volumes.begin(), pod.spec.volumes.end(),
                     [](const k8s::PodVolume& v) { return v.pvc_claim_name || v.aws_ebs_volume_id; });
}

/// Whether the pod is in the attach/detach controller's desired state of world (adc_desired
/// skips every other pod): it has a volume the controller handles, is bound to a node, and is
/// not terminated (deletion requested and no container running).
bool adc_wants(const k8s::Pod& pod) {
  return has_ebs_volume(pod) && pod.bound() && !(pod.terminating() && !pod.status.containers_started);
}

}  // namespace

const char* to_string(PodCause c) {
  switch (c) {
    case PodCause::Ready: return "Ready";
    case PodCause::NodeLost: return "NodeLost";
    case PodCause::EvictionWait: return "EvictionWait";
    case PodCause::StuckTerminating: return "StuckTerminating";
    case PodCause::Unschedulable: return "Unschedulable";
    case PodCause::WaitingForNode: return "WaitingForNode";
    case PodCause::VolumeAttach: return "VolumeAttach";
    case PodCause::ContainerStart: return "ContainerStart";
    case PodCause::NotReady: return "NotReady";
    case PodCause::Absent: return "Absent";
  }
  return "?";
}

Cluster::Cluster(sim::Simulation& sim, const sim::RandomStreams& rng, KubernetesParams kube,
                 cloud::CloudParams cloud_params, std::string region, std::vector<std::string> zones)
    : sim_(sim), kube_(std::move(kube)) {
  store_.set_clock([this] { return sim_.now(); });
  cloud_ = std::make_unique<cloud::Cloud>(sim, rng.stream("cloud"), std::move(cloud_params), std::move(region),
                                          std::move(zones));
  impl_ = std::make_unique<Impl>(*this, rng);
}

Cluster::~Cluster() = default;

void Cluster::reseed(const sim::RandomStreams& rng) {
  cloud_->reseed(rng.stream("cloud"));
  impl_->reseed(rng);
}

void Cluster::Impl::reseed(const sim::RandomStreams& rng) {
  rng_kubelet = rng.stream("kubelet");
  rng_names = rng.stream("names");
  rng_sched = rng.stream("scheduler");
}

Cluster::Impl::~Impl() = default;

Cluster::Impl::Impl(Cluster& cl, const sim::RandomStreams& rng)
    : c(cl),
      sim(cl.sim_),
      store(cl.store_),
      events(cl.events_),
      cloud(*cl.cloud_),
      p(cl.kube_),
      rng_kubelet(sim::StreamKey{}),
      rng_names(sim::StreamKey{}),
      rng_sched(sim::StreamKey{}) {
  reseed(rng);
  monitor = std::make_unique<PeriodicTrigger>(sim, p.node_monitor_period, sim::Duration::zero(),
                                              [this] { node_monitor(); }, "node-lifecycle");
  cloud_lifecycle = std::make_unique<PeriodicTrigger>(sim, p.cloud_node_lifecycle_period, sim::Duration::zero(),
                                                      [this] { cloud_node_lifecycle(); }, "cloud-node-lifecycle");
  podgc = std::make_unique<PeriodicTrigger>(sim, p.pod_gc_period, sim::Duration::zero(), [this] { pod_gc(); }, "podgc");
  adc = std::make_unique<PeriodicTrigger>(sim, p.attach_detach_reconciler_period, sim::Duration::zero(),
                                          [this] { attach_detach(); }, "attach-detach");

  cloud::CloudObserver obs;
  obs.instance_state = [this](const cloud::Instance& i, cloud::InstanceState old) { on_instance_state(i, old); };
  obs.instance_reachability = [this](const cloud::Instance& i, bool u) { on_instance_reachability(i, u); };
  obs.volume_changed = [this](const cloud::Volume& v) {
    if (auto it = adc_asw.find(v.id); it != adc_asw.end()) touch(it->second);
    adc->request_next();
    // Impairment or failure changes whether the pods using it can serve (looked up only when
    // that changed: attaches and detaches are far more frequent).
    const bool unusable = v.impaired || v.state == cloud::VolumeState::Error;
    auto [hit, added] = volume_unusable.try_emplace(v.id, unusable);
    const bool health_changed = !added && hit->second != unusable;
    hit->second = unusable;
    if (health_changed && v.attach_state == cloud::AttachState::Attached) {
      for (const auto& key : pods_using_volume(v.id)) {
        kubelet_sync_pod(key);
        c.pod_changed(key);
      }
    }
    for (auto& fn : c.volume_changed_) fn(v);
  };
  obs.launch_failed = [this](const std::string& group, const std::string& zone, const std::string& reason) {
    if (recording())
      record(k8s::EventType::Warning, "FailedLaunch", "asg/" + group,
             "Launching a new EC2 instance in " + zone + " failed: " + reason, "autoscaling");
  };
  cloud.set_observer(std::move(obs));

  scheduler_setup();

  store.watch<k8s::Pod>([this](WatchEventType t, const k8s::Pod* old_pod, const k8s::Pod* new_pod) {
    const k8s::Pod* pod = new_pod ? new_pod : old_pod;
    const std::string key = pod->meta.key();
    pod_index.on_event(old_pod, new_pod, key);
    // What the attach/detach controller's desired state reads of a pod (adc_desired): whether
    // it adds to it at all (EBS volumes, bound, not terminated) and then its node and volumes.
    // Nothing else of a pod changes the desired state (a pod created unbound, containers
    // starting on a pod not being deleted, ...): those events keep the cached one.
    const bool adds_old = old_pod && adc_wants(*old_pod), adds_new = new_pod && adc_wants(*new_pod);
    if (adds_old != adds_new ||
        (adds_old && (old_pod->spec.node_name != new_pod->spec.node_name || !PodIndex::same_volumes(*old_pod, *new_pod))))
      ++adc_inputs_version;
    if (t == WatchEventType::Deleted) {
      if (auto it = pods.find(key); it != pods.end()) {
        sim.cancel(it->second.start);
        sim.cancel(it->second.ready);
        sim.cancel(it->second.unready);
        sim.cancel(it->second.stop);
        sim.cancel(it->second.eviction);
        pods.erase(it);
      }
      adc->request_next();
    } else {
      kubelet_sync_pod(key);
      if (!old_pod || old_pod->spec.node_name != new_pod->spec.node_name ||
          old_pod->terminating() != new_pod->terminating() ||
          old_pod->status.containers_started != new_pod->status.containers_started)
        adc->request_next();
      // PodGC force-deletes terminating pods on out-of-service nodes.
      if (new_pod->terminating() && (!old_pod || !old_pod->terminating()) && new_pod->bound())
        if (const k8s::Node* node = store.get<k8s::Node>(new_pod->spec.node_name))
          if (std::any_of(node->spec.taints.begin(), node->spec.taints.end(),
                          [](const k8s::Taint& taint) { return taint.key == k8s::wellknown::kTaintOutOfService; }))
            podgc->request_next();
    }
    // The scheduler's own watch ran first (it subscribed earlier) and may have moved pods out of
    // its unschedulable queue: a deleted pod frees its node, a new one needs placing.
    kick_scheduler();
    // The workload controllers act on which of their pods exist and on each one's phase,
    // readiness and deletion (OrderedReady waits for Running and Ready); a change of anything
    // else (binding, the scheduler's condition, container start within a phase) leaves their
    // next sync with nothing to do, so it is not asked for.
    const bool workload_relevant = !old_pod || !new_pod || old_pod->terminating() != new_pod->terminating() ||
                                   old_pod->status.phase != new_pod->status.phase ||
                                   old_pod->status.ready != new_pod->status.ready;
    if (pod->meta.owner && workload_relevant) {
      const auto& o = *pod->meta.owner;
      if (o.kind == "StatefulSet") request_workload_sync("statefulset", pod->meta.ns, o.name);
      if (o.kind == "ReplicaSet") request_workload_sync("replicaset", pod->meta.ns, o.name);
    }
    c.pod_changed(key);
  });
  store.watch<k8s::PersistentVolumeClaim>(
      [this](WatchEventType t, const k8s::PersistentVolumeClaim* old_pvc, const k8s::PersistentVolumeClaim* new_pvc) {
        // adc_desired reads a claim's volumeName only, and a missing claim reads as one without.
        static const std::string none;
        if ((old_pvc ? old_pvc->volume_name : none) != (new_pvc ? new_pvc->volume_name : none)) ++adc_inputs_version;
        claims_epoch = ++runtime_epochs;
        if (t == WatchEventType::Deleted) {
          pv_claim_deleted(*old_pvc);
          return;
        }
        if (new_pvc->phase == k8s::PvcPhase::Pending) {
          const std::string key = new_pvc->meta.key();
          sim.after(sim::Duration::zero(), [this, key] { pv_sync_claim(key); }, 0, "pv-controller");
        }
        adc->request_next();  // a bound claim gives its pods a volume to attach
        kick_scheduler();
      });
  store.watch<k8s::PersistentVolume>([this](WatchEventType t, const k8s::PersistentVolume* old_pv, const k8s::PersistentVolume* pv) {
    // adc_desired reads a PV's existence, name (its key) and EBS volume id only.
    if (!old_pv || !pv || old_pv->source.volume_id != pv->source.volume_id) ++adc_inputs_version;
    claims_epoch = ++runtime_epochs;
    kick_scheduler();
    if (t == WatchEventType::Added && pv->phase == k8s::PvPhase::Available) {
      for (const auto* pvc : store.list<k8s::PersistentVolumeClaim>())
        if (pvc->phase == k8s::PvcPhase::Pending) {
          const std::string key = pvc->meta.key();
          sim.after(sim::Duration::zero(), [this, key] { pv_sync_claim(key); }, 0, "pv-controller");
        }
    }
  });
  store.watch<k8s::Node>([this](WatchEventType, const k8s::Node* old_node, const k8s::Node* new_node) {
    const k8s::Node* n = new_node ? new_node : old_node;
    for (const auto& key : copy_keys(pod_index.on_node(n->meta.name))) c.pod_changed(key);
    // Node health and taints decide force detaches; a new or changed node may fit pending pods.
    adc->request_next();
    kick_scheduler();
  });
}

void Cluster::Impl::record(k8s::EventType type, std::string reason, std::string object, std::string message,
                           std::string source) {
  // By value: callers mostly pass strings built for the call, moved into the event.
  events.record(k8s::Event{sim.now(), type, std::move(reason), std::move(object), std::move(message), std::move(source)});
}

void Cluster::add_node_group(NodeGroupConfig cfg) {
  const std::string name = cfg.group.name;
  cloud::GroupSpec spec = cfg.group;
  impl_->groups.emplace(name, std::move(cfg));
  impl_->launch_labels_cache.clear();  // a launch key of this group may have been seen without it
  cloud_->add_group(std::move(spec));
}

void Cluster::apply(k8s::StorageClass sc) {
  sc.meta.ns.clear();
  store_.create(std::move(sc));
}

void Cluster::apply(k8s::PersistentVolume pv) {
  pv.meta.ns.clear();
  if (pv.claim_ref) pv.phase = k8s::PvPhase::Bound;
  store_.create(std::move(pv));
}

void Cluster::apply(k8s::PersistentVolumeClaim pvc) { store_.create(std::move(pvc)); }

void Cluster::apply(k8s::Pod pod) {
  known_pods_.insert(pod.meta.key());
  impl_->create_pod(std::move(pod));
}

void Cluster::apply(k8s::StatefulSet sts) {
  const std::string key = sts.meta.key();
  for (std::int32_t i = 0; i < sts.replicas; ++i) known_pods_.insert(key_of(sts.meta.ns, sts.pod_name(sts.ordinals_start + i)));
  store_.create(std::move(sts));
  impl_->request_workload_sync("statefulset", key);
}

void Cluster::apply(k8s::Deployment d) {
  // The Deployment controller's ReplicaSet: "<deployment>-<pod-template-hash>".
  k8s::ReplicaSet rs;
  rs.meta = d.meta;
  rs.meta.name = d.meta.name + "-" + impl_->random_suffix(10);
  rs.meta.owner = k8s::OwnerReference{"Deployment", d.meta.name, 0, true};
  rs.replicas = d.replicas;
  rs.selector = d.selector;
  rs.template_ = d.template_;
  const auto& created = store_.create(std::move(d));
  rs.meta.owner->uid = created.meta.uid;
  apply(std::move(rs));
}

void Cluster::apply(k8s::ReplicaSet rs) {
  const std::string key = rs.meta.key();
  store_.create(std::move(rs));
  impl_->request_workload_sync("replicaset", key);
}

void Cluster::apply(k8s::PodDisruptionBudget pdb) { store_.create(std::move(pdb)); }
void Cluster::apply(k8s::Service svc) { store_.create(std::move(svc)); }

void Cluster::terminate_instance(const std::string& id) { cloud_->terminate_instance(id); }
void Cluster::stop_instance(const std::string& id) { cloud_->stop_instance(id); }
void Cluster::start_instance(const std::string& id) { cloud_->start_instance(id); }

void Cluster::kubelet_down(const std::string& node, std::optional<sim::Duration> duration) {
  auto it = impl_->nodes.find(node);
  if (it == impl_->nodes.end()) return;
  it->second.kubelet_down = true;
  impl_->kubelet_changed(node);
  sim_.cancel(it->second.kubelet_back);
  if (duration) it->second.kubelet_back = sim_.after(*duration, [this, node] { kubelet_up(node); }, 0, "kubelet-up");
}

void Cluster::kubelet_up(const std::string& node) {
  auto it = impl_->nodes.find(node);
  if (it == impl_->nodes.end() || !it->second.kubelet_down) return;
  it->second.kubelet_down = false;
  impl_->kubelet_changed(node);
}

void Cluster::cordon(const std::string& node, bool unschedulable) {
  if (!store_.get<k8s::Node>(node)) return;
  store_.mutate<k8s::Node>(node, [&](k8s::Node& n) { n.spec.unschedulable = unschedulable; });
  impl_->record(k8s::EventType::Normal, unschedulable ? "NodeNotSchedulable" : "NodeSchedulable", "node/" + node,
                "Node " + node + " status is now: " + (unschedulable ? "NodeNotSchedulable" : "NodeSchedulable"),
                "kubelet");
}

void Cluster::delete_pod(const std::string& pod_key, bool force, std::optional<sim::Duration> grace) {
  const k8s::Pod* pod = store_.get<k8s::Pod>(pod_key);
  if (!pod) return;
  if (force || (grace && *grace == sim::Duration::zero()) || pod->spec.node_name.empty()) {
    store_.remove<k8s::Pod>(pod_key);
    return;
  }
  if (pod->terminating()) return;
  store_.mutate<k8s::Pod>(pod_key, [&](k8s::Pod& p) {
    p.meta.deletion_timestamp = sim_.now();
    if (grace) p.spec.termination_grace_period = *grace;
  });
}

void Cluster::add_taint(const std::string& node, k8s::Taint t) {
  if (!store_.get<k8s::Node>(node)) return;
  if (t.effect == k8s::TaintEffect::NoExecute && !t.time_added) t.time_added = sim_.now();
  store_.mutate<k8s::Node>(node, [&](k8s::Node& n) {
    if (std::find(n.spec.taints.begin(), n.spec.taints.end(), t) == n.spec.taints.end()) n.spec.taints.push_back(t);
  });
  if (t.key == k8s::wellknown::kTaintOutOfService) impl_->podgc->request_next();
  if (t.effect == k8s::TaintEffect::NoExecute) impl_->schedule_evictions(node, sim_.now());
}

void Cluster::scale(const std::string& workload, const std::string& ns, std::int32_t replicas) {
  const auto slash = workload.find('/');
  const std::string kind = workload.substr(0, slash), name = workload.substr(slash + 1);
  const std::string key = key_of(ns, name);
  if (kind == "statefulset" && store_.get<k8s::StatefulSet>(key)) {
    const auto& sts = store_.mutate<k8s::StatefulSet>(key, [&](k8s::StatefulSet& s) { s.replicas = replicas; });
    for (std::int32_t i = 0; i < replicas; ++i) known_pods_.insert(key_of(ns, sts.pod_name(sts.ordinals_start + i)));
    impl_->request_workload_sync("statefulset", key);
  } else if (kind == "deployment" && store_.get<k8s::Deployment>(key)) {
    store_.mutate<k8s::Deployment>(key, [&](k8s::Deployment& d) { d.replicas = replicas; });
    for (const auto* rs : store_.list<k8s::ReplicaSet>())
      if (rs->meta.ns == ns && rs->meta.owner && rs->meta.owner->name == name) {
        const std::string rs_key = rs->meta.key();  // `rs` dangles once the store rewrites it
        store_.mutate<k8s::ReplicaSet>(rs_key, [&](k8s::ReplicaSet& r) { r.replicas = replicas; });
        impl_->request_workload_sync("replicaset", rs_key);
      }
  } else if (kind == "replicaset" && store_.get<k8s::ReplicaSet>(key)) {
    store_.mutate<k8s::ReplicaSet>(key, [&](k8s::ReplicaSet& r) { r.replicas = replicas; });
    impl_->request_workload_sync("replicaset", key);
  }
}

void Cluster::set_readiness_failure(const std::string& pod_key, bool failing) {
  PodRuntime& pr = impl_->pods[pod_key];
  pr.readiness_failing = failing;
  sim_.cancel(pr.unready);
  const k8s::Pod* pod = store_.get<k8s::Pod>(pod_key);
  if (!failing || pod == nullptr) {
    impl_->kubelet_sync_pod(pod_key);
    return;
  }
  sim_.cancel(pr.ready);
  if (!pod->status.ready) return;
  // The probe fails from now on: Ready turns False after failureThreshold consecutive failed
  // probes, the first at the next probe tick (a pod without a readiness probe: at once, as if
  // the application stopped serving).
  sim::Time at = sim_.now();
  for (const auto& ctr : pod->spec.containers) {
    if (!ctr.readiness_probe) continue;
    const k8s::Probe& probe = *ctr.readiness_probe;
    const sim::Time t = next_probe_tick(probe, pr.started_at, sim_.now()) +
                        sim::Duration::micros(std::max(0, probe.failure_threshold - 1) * probe.period.us());
    at = std::max(at, t);
  }
  const std::string name = pod->meta.name;
  auto fail = [this, pod_key, name] {
    const k8s::Pod* pd = store_.get<k8s::Pod>(pod_key);
    if (pd == nullptr || !pd->status.ready || !impl_->pods[pod_key].readiness_failing) return;
    store_.mutate<k8s::Pod>(pod_key, [](k8s::Pod& p) { p.status.ready = false; });
    impl_->record(k8s::EventType::Warning, "Unhealthy", "pod/" + name, "Readiness probe failed", "kubelet");
  };
  if (at <= sim_.now()) fail();
  else pr.unready = sim_.at(at, fail, 0, "readiness-failed");
}

void Cluster::set_startup_delay(std::function<sim::Duration(const k8s::Pod&)> fn) {
  impl_->extra_ready_delay = std::move(fn);
}

scheduler::Scheduler& Cluster::scheduler() { return *impl_->scheduler; }

std::string Cluster::node_of_instance(const std::string& id) const {
  auto it = impl_->node_by_instance.find(id);
  return it == impl_->node_by_instance.end() ? std::string() : it->second;
}

std::vector<std::string> Cluster::pod_volume_ids(const k8s::Pod& pod) const {
  std::vector<std::string> out;
  impl_->for_each_volume(pod, [&](const std::string& vol, const std::string&) {
    out.push_back(vol);
    return true;
  });
  return out;
}

std::string Cluster::instance_of_node(const std::string& node) const {
  auto it = impl_->nodes.find(node);
  return it == impl_->nodes.end() ? std::string() : it->second.instance;
}

bool Cluster::kubelet_alive(const std::string& node) const { return impl_->kubelet_alive(node); }

void Cluster::pod_changed(const std::string& pod_key) {
  if (pod_changed_.empty()) return;
  // Observers only read (they record, or move a data service's own state): the cause is the same
  // for each of them.
  const PodCause now = cause(pod_key);
  for (auto& fn : pod_changed_) fn(pod_key, now);
}

std::string Cluster::scheduling_message(const std::string& pod_key) const {
  const k8s::Pod* pod = store_.get<k8s::Pod>(pod_key);
  if (!pod || pod->bound()) return {};
  auto it = impl_->last_diagnosis.find(pod_key);
  return it == impl_->last_diagnosis.end() ? std::string() : it->second;
}

PodCause Cluster::cause(const std::string& pod_key) const {
  const k8s::Pod* pod = store_.get<k8s::Pod>(pod_key);
  if (!pod) return PodCause::Absent;
  const bool alive = pod->bound() && impl_->kubelet_alive(pod->spec.node_name);
  if (pod->terminating()) return alive || !pod->bound() ? PodCause::NotReady : PodCause::StuckTerminating;
  if (pod->status.ready && pod->status.phase == k8s::PodPhase::Running && alive) return PodCause::Ready;
  if (!pod->bound()) {
    auto it = impl_->pods.find(pod_key);
    if (it != impl_->pods.end() && it->second.provisioning) return PodCause::VolumeAttach;
    if (pod->status.reason == "Unschedulable") {
      for (const auto& [launch, count] : impl_->launching)
        if (impl_->instance_may_fit(*pod, launch)) return PodCause::WaitingForNode;
    }
    return PodCause::Unschedulable;
  }
  const k8s::Node* node = store_.get<k8s::Node>(pod->spec.node_name);
  if (!node) return PodCause::EvictionWait;
  if (!alive) return node->status.ready == k8s::ConditionStatus::True ? PodCause::NodeLost : PodCause::EvictionWait;
  if (!pod->status.containers_started) return impl_->volumes_ready(*pod) ? PodCause::ContainerStart : PodCause::VolumeAttach;
  return PodCause::NotReady;
}

bool Cluster::workloads_ready() const {
  for (const auto* sts : store_.list<k8s::StatefulSet>()) {
    for (std::int32_t i = 0; i < sts->replicas; ++i) {
      const auto* pod = store_.get<k8s::Pod>(sts->meta.ns, sts->pod_name(sts->ordinals_start + i));
      if (!pod || cause(pod->meta.key()) != PodCause::Ready) return false;
    }
  }
  for (const auto* rs : store_.list<k8s::ReplicaSet>()) {
    std::int32_t ready = 0;
    for (const auto& key : impl_->pod_index.owned_by("ReplicaSet", rs->meta.ns, rs->meta.name))
      if (cause(key) == PodCause::Ready) ++ready;
    if (ready < rs->replicas) return false;
  }
  for (const auto& key : impl_->pod_index.bare())
    if (cause(key) != PodCause::Ready) return false;
  return true;
}

}  // namespace azsim::controllers
