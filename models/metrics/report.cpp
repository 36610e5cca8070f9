#include "models/metrics/report.hpp"

#include <algorithm>

namespace azsim::metrics {

namespace {

/// The pod's state during a not-Ready interval of a given cause.
const char* state_of(controllers::PodCause c) {
  using controllers::PodCause;
  switch (c) {
    case PodCause::Unschedulable:
    case PodCause::WaitingForNode:
    case PodCause::VolumeAttach:
    case PodCause::ContainerStart:
      return "Pending";
    case PodCause::StuckTerminating:
      return "Terminating";
    case PodCause::Absent:
      return "Absent";
    case PodCause::Ready:
    case PodCause::NodeLost:
    case PodCause::EvictionWait:
    case PodCause::NotReady:
      return "Running";
  }
  return "Running";
}

}  // namespace

void fill_cluster_report(RunReport& r, controllers::Cluster& cluster, const PodTimeline& timeline, sim::Time t0,
                         sim::Time end, ReportDetail detail) {
  const auto& store = cluster.store();
  // Pods: every name the workloads ever had, whether or not it exists now.
  std::set<std::string> names = cluster.known_pods();
  for (const auto* pod : store.list<k8s::Pod>()) names.insert(pod->meta.key());
  for (const auto& key : names) {
    PodReport pr;
    const auto slash = key.find('/');
    pr.ns = key.substr(0, slash);
    pr.name = key.substr(slash + 1);
    if (detail == ReportDetail::Outcome) {
      pr.pending = timeline.pending(key, t0, end);
      r.pods.push_back(std::move(pr));
      continue;
    }
    if (const k8s::Pod* pod = store.get<k8s::Pod>(key)) {
      pr.node = pod->spec.node_name;
      if (const k8s::Node* n = store.get<k8s::Node>(pod->spec.node_name)) pr.zone = n->zone();
      pr.phase = pod->terminating() ? "Terminating" : k8s::to_string(pod->status.phase);
      pr.ready = cluster.cause(key) == controllers::PodCause::Ready;
    } else {
      pr.phase = "Absent";
    }
    pr.pending = timeline.pending(key, t0, end);
    pr.not_ready = timeline.not_ready(key, t0, end);
    if (auto it = timeline.intervals().find(key); it != timeline.intervals().end()) {
      for (const auto& i : it->second) {
        const sim::Time a = std::max(i.from, t0), b = std::min(i.to, end);
        if (b <= a) continue;
        pr.intervals.push_back(IntervalReport{a - t0, b - t0, state_of(i.cause), controllers::to_string(i.cause), i.message});
      }
    }
    r.pods.push_back(std::move(pr));
  }
  if (detail == ReportDetail::Outcome) return;
  for (const auto* n : store.list<k8s::Node>()) {
    NodeReport nr;
    nr.name = n->meta.name;
    nr.zone = n->zone();
    nr.instance = cluster.instance_of_node(n->meta.name);
    if (const cloud::Instance* inst = cluster.cloud().instance(nr.instance)) {
      nr.group = inst->group;
      nr.instance_type = inst->type;
    }
    nr.ready = n->status.ready == k8s::ConditionStatus::True;
    nr.unschedulable = n->spec.unschedulable;
    r.nodes.push_back(std::move(nr));
  }
  for (const cloud::Volume* v : cluster.cloud().volumes()) {
    if (v->state == cloud::VolumeState::Deleted) continue;
    VolumeReport vr;
    vr.id = v->id;
    vr.zone = v->zone;
    vr.size_gib = v->size_gib;
    vr.type = v->type;
    vr.lost = v->lost;
    for (const auto* pv : store.list<k8s::PersistentVolume>())
      if (pv->source.volume_id == v->id) {
        vr.pv = pv->meta.name;
        if (pv->claim_ref) vr.claim = pv->claim_ref->ns + "/" + pv->claim_ref->name;
      }
    r.volumes.push_back(std::move(vr));
  }
  for (const auto& e : cluster.events().events()) {
    if (e.time < t0) continue;
    r.events.push_back(EventReport{e.time - t0, k8s::to_string(e.type), e.reason, e.object, e.message});
  }
}

}  // namespace azsim::metrics
