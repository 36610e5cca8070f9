// Test fixtures for the scheduler: small builders for nodes, pods and volumes, and a World that
// owns a store, an event log, a provisioner and a scheduler created over the store's contents.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "models/k8s/events.hpp"
#include "models/k8s/store.hpp"
#include "models/scheduler/provisioner.hpp"
#include "models/scheduler/scheduler.hpp"

namespace azsim::scheduler::testing {

inline constexpr std::int64_t kGi = 1024LL * 1024 * 1024;
inline constexpr std::int64_t kMi = 1024LL * 1024;

/// A node with hostname and zone labels (GA and legacy), 4 cpu, 8Gi, 110 pods.
inline k8s::Node make_node(const std::string& name, const std::string& zone = "zone-a") {
  k8s::Node n;
  n.meta.ns = "";
  n.meta.name = name;
  n.meta.labels[k8s::wellknown::kHostname] = name;
  if (!zone.empty()) {
    n.meta.labels[k8s::wellknown::kZone] = zone;
    n.meta.labels[k8s::wellknown::kZoneLegacy] = zone;
  }
  n.status.allocatable = {4000, 8 * kGi, 0, 110};
  n.status.capacity = n.status.allocatable;
  return n;
}

/// A pending pod in namespace default with one container and the given labels.
inline k8s::Pod make_pod(const std::string& name, k8s::Labels labels = {}) {
  k8s::Pod p;
  p.meta.name = name;
  p.meta.labels = std::move(labels);
  p.spec.containers.push_back(k8s::Container{"main", "img", {}, {}, {}, std::nullopt});
  return p;
}

inline k8s::Pod with_requests(k8s::Pod p, std::int64_t milli_cpu, std::int64_t memory) {
  p.spec.containers[0].requests.milli_cpu = milli_cpu;
  p.spec.containers[0].requests.memory = memory;
  return p;
}

inline k8s::Pod on_node(k8s::Pod p, const std::string& node) {
  p.spec.node_name = node;
  p.status.phase = k8s::PodPhase::Running;
  return p;
}

inline k8s::Pod with_claim(k8s::Pod p, const std::string& claim) {
  k8s::PodVolume v;
  v.name = claim;
  v.pvc_claim_name = claim;
  p.spec.volumes.push_back(v);
  return p;
}

inline k8s::PodAffinityTerm term(k8s::Labels match, const std::string& topology_key) {
  k8s::PodAffinityTerm t;
  t.label_selector.match_labels = std::move(match);
  t.topology_key = topology_key;
  return t;
}

inline k8s::Pod with_anti_affinity(k8s::Pod p, k8s::PodAffinityTerm t) {
  if (!p.spec.affinity.pod_anti_affinity) p.spec.affinity.pod_anti_affinity = k8s::PodAffinity{};
  p.spec.affinity.pod_anti_affinity->required.push_back(std::move(t));
  return p;
}

inline k8s::Pod with_affinity(k8s::Pod p, k8s::PodAffinityTerm t) {
  if (!p.spec.affinity.pod_affinity) p.spec.affinity.pod_affinity = k8s::PodAffinity{};
  p.spec.affinity.pod_affinity->required.push_back(std::move(t));
  return p;
}

inline k8s::StorageClass make_class(const std::string& name, const std::string& provisioner,
                                    k8s::VolumeBindingMode mode, bool is_default = false) {
  k8s::StorageClass sc;
  sc.meta.ns = "";
  sc.meta.name = name;
  sc.provisioner = provisioner;
  sc.volume_binding_mode = mode;
  if (is_default) sc.meta.annotations[k8s::wellknown::kAnnotationDefaultClass] = "true";
  return sc;
}

inline k8s::PersistentVolumeClaim make_claim(const std::string& name, std::optional<std::string> cls,
                                             std::int64_t bytes = 10 * kGi) {
  k8s::PersistentVolumeClaim c;
  c.meta.name = name;
  c.storage_class_name = std::move(cls);
  c.request_bytes = bytes;
  c.access_modes = {k8s::AccessMode::ReadWriteOnce};
  return c;
}

/// A PV pinned to `zone` by nodeAffinity on `key` (empty zone: no affinity).
inline k8s::PersistentVolume make_pv(const std::string& name, const std::string& cls, const std::string& zone,
                                     const std::string& key = k8s::wellknown::kZone, std::int64_t bytes = 10 * kGi) {
  k8s::PersistentVolume pv;
  pv.meta.ns = "";
  pv.meta.name = name;
  pv.storage_class_name = cls;
  pv.capacity_bytes = bytes;
  pv.access_modes = {k8s::AccessMode::ReadWriteOnce};
  pv.source.type = k8s::PersistentVolumeSource::Type::Csi;
  pv.source.driver = "ebs.csi.aws.com";
  pv.source.volume_id = "vol-" + name;
  if (!zone.empty()) {
    k8s::NodeSelectorTerm t;
    t.match_expressions.push_back({key, k8s::SelectorOp::In, {zone}});
    pv.node_affinity = k8s::NodeSelector{{t}};
  }
  return pv;
}

/// Binds claim and PV to each other in the store.
inline void bind_claim(k8s::ObjectStore& store, const std::string& claim, const std::string& pv) {
  store.mutate<k8s::PersistentVolume>(pv, [&](k8s::PersistentVolume& v) {
    v.claim_ref = k8s::ClaimReference{"default", claim, 0};
    v.phase = k8s::PvPhase::Bound;
  });
  store.mutate<k8s::PersistentVolumeClaim>("default/" + claim, [&](k8s::PersistentVolumeClaim& c) {
    c.volume_name = pv;
    c.phase = k8s::PvcPhase::Bound;
  });
}

/// A deterministic tie-break: always keeps the first of equal nodes.
inline TieBreak keep_first() {
  return [](std::uint64_t) -> std::uint64_t { return 1; };
}

/// Owns the cluster objects and a scheduler created over them.
struct World {
  k8s::ObjectStore store;
  k8s::EventLog events;
  k8s::KubeVersion version{1, 29};
  std::unique_ptr<StoreProvisioner> provisioner;
  std::unique_ptr<Scheduler> scheduler;
  sim::Time now;

  explicit World(k8s::KubeVersion v = {1, 29}) : version(v) {
    store.set_clock([this] { return now; });
  }
  Scheduler& start(SchedulerConfig cfg = {}, TieBreak tie = keep_first()) {
    cfg.version = version;
    provisioner = std::make_unique<StoreProvisioner>(store, version);
    scheduler = std::make_unique<Scheduler>(store, events, cfg, std::move(tie), provisioner.get());
    return *scheduler;
  }
};

}  // namespace azsim::scheduler::testing
