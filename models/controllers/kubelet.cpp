// Kubelets: node registration when an instance is Running, liveness (instance running,
// reachable, kubelet process up), and the pod lifecycle on a live node: wait for volumes,
// start containers, pass readiness, stop on deletion.
#include <algorithm>

#include "models/cloud/instance_types.hpp"
#include "models/controllers/internal.hpp"

namespace azsim::controllers {

using cloud::InstanceState;

bool Cluster::Impl::kubelet_alive(const std::string& node) const {
  auto it = nodes.find(node);
  if (it == nodes.end()) return false;
  return it->second.kubelet_alive();
}

void Cluster::Impl::on_instance_state(const cloud::Instance& inst, InstanceState old_state) {
  track_launch(inst);
  auto nit = node_by_instance.find(inst.id);
  if (inst.state == InstanceState::Running) {
    if (nit == node_by_instance.end()) {
      register_node(inst);
    } else {
      NodeRuntime& n = nodes[nit->second];
      n.running = true;
      n.containers_lost = old_state != InstanceState::Running;
      kubelet_changed(nit->second);
    }
    return;
  }
  if (nit == node_by_instance.end()) return;
  NodeRuntime& n = nodes[nit->second];
  if (n.running) {
    n.running = false;
    n.containers_lost = true;
    kubelet_changed(nit->second);
  }
  // The cloud node lifecycle controller looks at not-Ready nodes whose instance changed.
  cloud_lifecycle->request_next();
}

void Cluster::Impl::on_instance_reachability(const cloud::Instance& inst, bool unreachable) {
  auto nit = node_by_instance.find(inst.id);
  if (nit == node_by_instance.end()) return;
  nodes[nit->second].reachable = !unreachable;
  kubelet_changed(nit->second);
}

void Cluster::Impl::register_node(const cloud::Instance& inst) {
  const std::string name = inst.hostname;
  NodeRuntime& n = nodes[name];
  touch(n);
  n.instance = inst.id;
  n.zone = inst.zone;
  n.group = inst.group;
  n.running = true;
  // Each kubelet renews its lease on its own phase (FIDELITY A "kubelet node lease").
  n.renew_phase = sim::Duration::micros(
      static_cast<std::int64_t>(rng_kubelet.uniform_index(static_cast<std::uint64_t>(p.node_lease_renew_interval.us()))));
  node_by_instance[inst.id] = name;

  k8s::Node node;
  node.meta.name = name;
  node.meta.ns.clear();
  // node_labels() of the instance: the launch key's labels (built once per key, launch_labels)
  // with the hostname set, instead of a new map built label by label for every registration.
  node.meta.labels = launch_labels(LaunchKey{inst.group, inst.zone, inst.type});
  node.meta.labels[k8s::wellknown::kHostname] = inst.hostname;
  auto type = cloud::find_instance_type(inst.type);
  std::int32_t max_pods = type ? type->eni_max_pods : 110;
  cloud::KubeletReservation reservation;
  if (auto git = groups.find(inst.group); git != groups.end()) {
    node.spec.taints = git->second.taints;
    if (git->second.max_pods) max_pods = *git->second.max_pods;
    reservation = git->second.reservation;
  }
  if (type) {
    auto res = cloud::node_resources(*type, max_pods, reservation);
    node.status.capacity = res.capacity;
    node.status.allocatable = res.allocatable;
    node.status.attachable_volumes = type->ebs_attach_limit();
  }
  node.spec.provider_id = "aws:///" + inst.zone + "/" + inst.id;
  node.status.ready = k8s::ConditionStatus::True;
  node.status.last_heartbeat = sim.now();
  store.create(std::move(node));
  if (recording())
    record(k8s::EventType::Normal, "RegisteredNode", "node/" + name,
           "Node " + name + " event: Registered Node " + name + " in Controller", "node-controller");
  request_scheduling(sim.now());
}

k8s::Labels Cluster::Impl::node_labels(const std::string& group, const std::string& zone, const std::string& type,
                                       const std::string& hostname) const {
  k8s::Labels labels;
  if (auto git = groups.find(group); git != groups.end()) labels = git->second.labels;
  labels[k8s::wellknown::kZone] = zone;
  labels[k8s::wellknown::kZoneLegacy] = zone;
  labels[k8s::wellknown::kRegion] = cloud.region();
  labels[k8s::wellknown::kRegionLegacy] = cloud.region();
  labels[k8s::wellknown::kHostname] = hostname;
  labels[k8s::wellknown::kInstanceType] = type;
  labels[k8s::wellknown::kInstanceTypeLegacy] = type;
  labels[k8s::wellknown::kOs] = "linux";
  labels[k8s::wellknown::kArch] = "amd64";
  labels[k8s::wellknown::kEbsCsiZone] = zone;
  if (!group.empty()) labels["eks.amazonaws.com/nodegroup"] = group;
  return labels;
}

void Cluster::Impl::track_launch(const cloud::Instance& inst) {
  if (inst.group.empty()) return;
  if (inst.state == InstanceState::Pending) {
    LaunchKey key{inst.group, inst.zone, inst.type};
    if (launching_ids.emplace(inst.id, key).second) ++launching[key];
  } else if (auto it = launching_ids.find(inst.id); it != launching_ids.end()) {
    auto lit = launching.find(it->second);
    if (lit != launching.end() && --lit->second <= 0) launching.erase(lit);
    launching_ids.erase(it);
  }
}

void Cluster::Impl::kubelet_changed(const std::string& name) {
  NodeRuntime& n = nodes[name];
  touch(n);
  const bool alive = kubelet_alive(name);
  if (!alive && !n.dead_since) {
    n.dead_since = sim.now();
    // The last lease renewal, then the node monitor notices it at its next pass (the probe
    // timestamp) and declares the node Unknown once grace has passed since (FIDELITY A
    // "node-monitor-grace-period", B "Node loss").
    const std::int64_t period = p.node_lease_renew_interval.us();
    const std::int64_t since = sim.now().us() - n.renew_phase.us();
    const sim::Time last_renewal =
        sim::Time::from_micros(n.renew_phase.us() + (since < 0 ? 0 : since / period) * period);
    const sim::Time probe = monitor->tick_at_or_after(last_renewal);
    n.unknown_at = monitor->tick_at_or_after(probe + p.effective_node_monitor_grace_period() + sim::Duration::micros(1));
    monitor->request_at(n.unknown_at);
    for (const auto& key : pod_index.on_node(name)) {
      auto it = pods.find(key);
      if (it == pods.end()) continue;
      PodRuntime& pr = it->second;
      sim.cancel(pr.start);
      sim.cancel(pr.ready);
      sim.cancel(pr.unready);
      sim.cancel(pr.stop);
    }
  } else if (alive && n.dead_since) {
    n.dead_since.reset();
    n.noexec_queued = false;
    // The kubelet posts Ready at once; the controller lifts its taints on its next pass.
    if (const k8s::Node* node = store.get<k8s::Node>(name); node && node->status.ready != k8s::ConditionStatus::True) {
      store.mutate<k8s::Node>(name, [&](k8s::Node& nd) {
        nd.status.ready = k8s::ConditionStatus::True;
        nd.status.last_heartbeat = sim.now();
      });
      if (recording())
        record(k8s::EventType::Normal, "NodeReady", "node/" + name, "Node " + name + " status is now: NodeReady",
               "kubelet");
    }
    monitor->request_next();
    cancel_evictions(name);
  }
  // The kubelet's node status (VolumesInUse) decides whether the attach/detach controller may
  // detach; it changes with the kubelet's liveness.
  adc->request_next();
  kubelet_sync_node(name);
}

void Cluster::Impl::kubelet_sync_node(const std::string& name) {
  const std::vector<std::string> keys = copy_keys(pod_index.on_node(name));
  NodeRuntime& n = nodes[name];
  if (kubelet_alive(name) && n.containers_lost) {
    // The machine restarted: every container on it starts again; those of a pod being deleted
    // are simply gone, so the kubelet removes it at once.
    n.containers_lost = false;
    for (const auto& key : keys)
      if (const k8s::Pod* pod = store.get<k8s::Pod>(key); pod && pod->status.containers_started) {
        const bool terminating = pod->terminating();
        store.mutate<k8s::Pod>(key, [terminating](k8s::Pod& pd) {
          pd.status.containers_started = false;
          pd.status.ready = false;
          if (!terminating) pd.status.phase = k8s::PodPhase::Pending;
        });
      }
  }
  for (const auto& key : keys) {
    kubelet_sync_pod(key);
    c.pod_changed(key);
  }
}

bool Cluster::Impl::volumes_ready(const k8s::Pod& pod) const {
  auto nit = nodes.find(pod.spec.node_name);
  if (nit == nodes.end()) return false;
  return volumes_ready_on(pod, nit->second);
}

bool Cluster::Impl::volumes_ready_on(const k8s::Pod& pod, const NodeRuntime& node) const {
  return for_each_volume(pod, [&](const std::string& vol, const std::string&) {
    if (vol.empty()) return false;  // claim not bound yet
    auto ait = adc_asw.find(vol);
    if (ait == adc_asw.end() || ait->second.node != pod.spec.node_name || ait->second.state != AdcAttachment::State::Attached)
      return false;
    const cloud::Volume* v = cloud.volume(vol);
    if (!v || v->attach_state != cloud::AttachState::Attached || v->attached_to != node.instance) return false;
    // An impaired volume hangs I/O, a failed one returns errors: the application cannot serve.
    return !(v->impaired || v->state == cloud::VolumeState::Error);
  });
}

sim::Time Cluster::Impl::readiness_time(const k8s::Pod& pod, sim::Time started, sim::Time serving) const {
  sim::Time ready = serving;
  for (const auto& ctr : pod.spec.containers) {
    if (!ctr.readiness_probe) continue;
    const k8s::Probe& pr = *ctr.readiness_probe;
    const sim::Time t = next_probe_tick(pr, started, serving) +
                        sim::Duration::micros(std::max(0, pr.success_threshold - 1) * pr.period.us());
    ready = std::max(ready, t);
  }
  return ready;
}

bool Cluster::Impl::kubelet_sync_pod(const std::string& key) {
  const k8s::Pod* pod = store.get<k8s::Pod>(key);
  if (!pod || !pod->bound()) return false;
  // kubelet_alive and volumes_ready's node lookup, done once (this runs on every reconcile).
  auto nit = nodes.find(pod->spec.node_name);
  if (nit == nodes.end() || !nit->second.kubelet_alive()) return false;
  const NodeRuntime& node = nit->second;

  if (pod->terminating()) {
    PodRuntime& pr = pods[key];
    if (sim.pending(pr.stop)) return false;
    sim.cancel(pr.start);
    sim.cancel(pr.ready);
    sim.cancel(pr.unready);
    // Containers get SIGTERM and exit; the kubelet then removes the pod from the API.
    const sim::Duration stop = pod->status.containers_started ? std::min(pod->spec.termination_grace_period, p.container_stop)
                                                              : sim::Duration::zero();
    pr.stop = sim.after(stop, [this, key] {
      if (store.get<k8s::Pod>(key)) store.remove<k8s::Pod>(key);
    }, 0, "kubelet-stop");
    return false;
  }

  const bool volumes_ok = volumes_ready_on(*pod, node);
  // A started, Ready pod with its volumes (the usual case: the attach/detach controller resyncs
  // every attached pod on each pass) needs nothing: return before looking up its runtime. (The
  // lookup would only add a default entry, which nothing iterates.)
  if (pod->status.containers_started && volumes_ok && pod->status.ready) return true;
  PodRuntime& pr = pods[key];
  if (!pod->status.containers_started) {
    if (sim.pending(pr.start) || !volumes_ok) return false;
    const sim::Duration delay = cloud::sample(p.container_start, rng_kubelet);
    pr.start = sim.after(delay, [this, key] {
      const k8s::Pod* pd = store.get<k8s::Pod>(key);
      if (!pd || pd->terminating() || !kubelet_alive(pd->spec.node_name)) return;
      const std::string container = pd->spec.containers.empty() ? std::string("main") : pd->spec.containers.front().name;
      const std::string obj = "pod/" + pd->meta.name;  // `pd` dangles once the store rewrites the pod
      pods[key].started_at = sim.now();
      store.mutate<k8s::Pod>(key, [&](k8s::Pod& x) {
        x.status.containers_started = true;
        x.status.phase = k8s::PodPhase::Running;
        if (!x.status.start_time) x.status.start_time = sim.now();
      });
      if (recording()) record(k8s::EventType::Normal, "Started", obj, "Started container " + container, "kubelet");
    }, 0, "kubelet-start");
    return false;
  }

  if (!volumes_ok) {
    // The application lost its volume (AZ outage impairment, EBS failure): probes fail.
    sim.cancel(pr.ready);
    if (pod->status.ready) {
      const std::string obj = "pod/" + pod->meta.name;  // `pod` dangles once the store rewrites it
      store.mutate<k8s::Pod>(key, [](k8s::Pod& x) { x.status.ready = false; });
      record(k8s::EventType::Warning, "Unhealthy", obj, "Readiness probe failed: volume I/O error", "kubelet");
    }
    return false;
  }

  if (!pod->status.ready && !pr.readiness_failing && !sim.pending(pr.ready)) {
    // The application serves once its own start is done (a database's start, set by the data
    // services) and the readiness probe then passes. Containers that kept running while the
    // kubelet was away or a probe failed serve at once: the next probes decide.
    const sim::Time serving = std::max(sim.now(), pr.started_at + extra_ready_delay(*pod));
    const sim::Time at = readiness_time(*pod, pr.started_at, serving);
    pr.ready = sim.at(at, [this, key] {
      const k8s::Pod* pd = store.get<k8s::Pod>(key);
      if (!pd || pd->terminating() || pd->status.ready || pods[key].readiness_failing || !volumes_ready(*pd)) return;
      store.mutate<k8s::Pod>(key, [](k8s::Pod& x) { x.status.ready = true; });
    }, 0, "kubelet-ready");
  }
  return false;
}

}  // namespace azsim::controllers
