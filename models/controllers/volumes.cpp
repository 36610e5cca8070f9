// Storage: the PV controller (static binding, dynamic provisioning through the EBS CSI driver
// or the in-tree aws-ebs plugin, reclaim). The attach/detach controller is attach_detach.cpp.
#include <algorithm>
#include <cstdio>

#include "models/controllers/internal.hpp"
#include "models/controllers/ebs_provisioner.hpp"
#include "models/scheduler/zone_heuristic.hpp"

namespace azsim::controllers {

namespace {

bool modes_cover(const std::vector<k8s::AccessMode>& have, const std::vector<k8s::AccessMode>& want) {
  return std::all_of(want.begin(), want.end(),
                     [&](k8s::AccessMode m) { return std::find(have.begin(), have.end(), m) != have.end(); });
}

}  // namespace

std::optional<std::string> Cluster::Impl::resolve_class(const k8s::PersistentVolumeClaim& pvc) const {
  if (pvc.storage_class_name) return *pvc.storage_class_name;
  for (const auto* sc : store.list<k8s::StorageClass>())
    if (sc->is_default()) return sc->meta.name;
  return std::string();
}

std::vector<std::string> Cluster::Impl::zones_with_nodes() const {
  std::set<std::string> zs;
  for (const auto* n : store.list<k8s::Node>()) zs.insert(n->zone());
  zs.erase("");
  return {zs.begin(), zs.end()};
}

void Cluster::Impl::pv_sync_claim(const std::string& pvc_key) {
  const k8s::PersistentVolumeClaim* pvc = store.get<k8s::PersistentVolumeClaim>(pvc_key);
  if (!pvc || pvc->phase != k8s::PvcPhase::Pending || provisioning.count(pvc_key)) return;
  const std::string class_name = resolve_class(*pvc).value_or("");

  auto bind = [&](const k8s::PersistentVolume& pv) {
    const k8s::ClaimReference ref{pvc->meta.ns, pvc->meta.name, pvc->meta.uid};
    const std::string pv_name = pv.meta.name;
    store.mutate<k8s::PersistentVolume>(pv_name, [&](k8s::PersistentVolume& x) {
      x.claim_ref = ref;
      x.phase = k8s::PvPhase::Bound;
    });
    store.mutate<k8s::PersistentVolumeClaim>(pvc_key, [&](k8s::PersistentVolumeClaim& x) {
      x.volume_name = pv_name;
      x.phase = k8s::PvcPhase::Bound;
    });
    request_scheduling(sim.now());
  };

  if (!pvc->volume_name.empty()) {
    const k8s::PersistentVolume* pv = store.get<k8s::PersistentVolume>(pvc->volume_name);
    if (pv && (!pv->claim_ref || (pv->claim_ref->ns == pvc->meta.ns && pv->claim_ref->name == pvc->meta.name))) bind(*pv);
    return;
  }
  // Static binding: the smallest Available PV of the class that fits (pv controller findBestMatch).
  const k8s::PersistentVolume* best = nullptr;
  for (const auto* pv : store.list<k8s::PersistentVolume>()) {
    if (pv->phase != k8s::PvPhase::Available) continue;
    if (pv->claim_ref && !(pv->claim_ref->ns == pvc->meta.ns && pv->claim_ref->name == pvc->meta.name)) continue;
    if (pv->storage_class_name != class_name || pv->capacity_bytes < pvc->request_bytes) continue;
    if (!modes_cover(pv->access_modes, pvc->access_modes)) continue;
    if (pvc->selector && !pvc->selector->matches(pv->meta.labels)) continue;
    if (!best || pv->capacity_bytes < best->capacity_bytes) best = pv;
  }
  if (best) {
    bind(*best);
    return;
  }
  const k8s::StorageClass* sc = store.get<k8s::StorageClass>(class_name);
  if (!sc || sc->provisioner.empty() || sc->provisioner == "kubernetes.io/no-provisioner") return;
  // WaitForFirstConsumer: the scheduler provisions in its chosen node's zone (PreBind).
  if (sc->volume_binding_mode == k8s::VolumeBindingMode::WaitForFirstConsumer) return;
  // Immediate: a zone chosen without the pod, over the zones that have nodes and that the
  // class allows (FIDELITY B "Volumes").
  std::vector<std::string> zones;
  for (const auto& z : zones_with_nodes()) {
    bool allowed = sc->allowed_topologies.empty();
    for (const auto& term : sc->allowed_topologies) {
      k8s::Labels l{{k8s::wellknown::kZone, z}, {k8s::wellknown::kZoneLegacy, z}, {k8s::wellknown::kEbsCsiZone, z}};
      if (term.matches(l, "")) allowed = true;
    }
    if (allowed) zones.push_back(z);
  }
  if (zones.empty()) {
    record(k8s::EventType::Warning, "ProvisioningFailed", "persistentvolumeclaim/" + pvc->meta.name,
           "failed to provision volume with StorageClass \"" + class_name + "\": no zone with nodes is allowed",
           sc->provisioner);
    return;
  }
  const std::string zone = scheduler::choose_zone_for_claim(zones, pvc->meta.name);
  provisioning.insert(pvc_key);
  const sim::Duration latency = cloud::sample(cloud.params().ebs_create_latency, rng_sched);
  sim.after(latency, [this, pvc_key, class_name, zone] {
    provisioning.erase(pvc_key);
    const auto* claim = store.get<k8s::PersistentVolumeClaim>(pvc_key);
    const auto* cls = store.get<k8s::StorageClass>(class_name);
    if (!claim || !cls || claim->phase != k8s::PvcPhase::Pending) return;
    const std::string obj = "persistentvolumeclaim/" + claim->meta.name;
    auto res = provisioner->provision_in_zone(*claim, *cls, zone);  // rewrites the claim: `claim` dangles
    if (res.ok)
      record(k8s::EventType::Normal, "ProvisioningSucceeded", obj, "Successfully provisioned volume " + res.pv_name,
             cls->provisioner);
    else
      record(k8s::EventType::Warning, "ProvisioningFailed", obj, "failed to provision volume with StorageClass \"" +
             class_name + "\": " + res.error, cls->provisioner);
    request_scheduling(sim.now());
  }, 0, "pv-provision");
}

void Cluster::Impl::pv_claim_deleted(const k8s::PersistentVolumeClaim& pvc) {
  if (pvc.volume_name.empty()) return;
  const k8s::PersistentVolume* pv = store.get<k8s::PersistentVolume>(pvc.volume_name);
  if (!pv) return;
  if (pv->reclaim_policy == k8s::ReclaimPolicy::Delete) {
    const std::string vol = pv->source.volume_id;
    store.remove<k8s::PersistentVolume>(pvc.volume_name);
    if (!vol.empty() && cloud.volume(vol)) cloud.delete_volume(vol);
  } else {
    store.mutate<k8s::PersistentVolume>(pvc.volume_name, [](k8s::PersistentVolume& x) { x.phase = k8s::PvPhase::Released; });
  }
}

std::vector<std::string> Cluster::Impl::pods_using_volume(const std::string& volume_id) const {
  // Only pods with EBS volumes can match: the same pods, in the same order and multiplicity, as
  // a scan of every pod of the store.
  std::vector<std::string> users;
  for (const auto& key : pod_index.with_volumes()) {
    const k8s::Pod* pod = store.get<k8s::Pod>(key);
    if (!pod) continue;
    for_each_volume(*pod, [&](const std::string& vol, const std::string&) {
      if (vol == volume_id) users.push_back(key);
      return true;
    });
  }
  return users;
}

}  // namespace azsim::controllers
