#include "models/scheduler/provisioner.hpp"

#include <cstdio>

#include "models/scheduler/zone_heuristic.hpp"

namespace azsim::scheduler {

StoreProvisioner::StoreProvisioner(k8s::ObjectStore& store, k8s::KubeVersion version,
                                   std::function<std::string()> volume_ids)
    : store_(store), volume_ids_(std::move(volume_ids)) {
  csi_key_ = version.at_least(1, 31) ? k8s::wellknown::kZone : k8s::wellknown::kEbsCsiZone;
}

ProvisionResult StoreProvisioner::provision(const k8s::PersistentVolumeClaim& pvc, const k8s::StorageClass& sc,
                                            const k8s::Node& node) {
  const std::string zone = node.zone();
  if (zone.empty()) return {false, {}, "node \"" + node.meta.name + "\" has no zone label"};
  return provision_in_zone(pvc, sc, zone);
}

ProvisionResult StoreProvisioner::provision_immediate(const k8s::PersistentVolumeClaim& pvc,
                                                      const k8s::StorageClass& sc,
                                                      const std::vector<std::string>& zones) {
  const std::string zone = choose_zone_for_claim(zones, pvc.meta.name);
  if (zone.empty()) return {false, {}, "no zones to provision in"};
  return provision_in_zone(pvc, sc, zone);
}

ProvisionResult StoreProvisioner::provision_in_zone(const k8s::PersistentVolumeClaim& pvc,
                                                    const k8s::StorageClass& sc, const std::string& zone) {
  const bool in_tree = sc.provisioner == "kubernetes.io/aws-ebs";
  if (!in_tree && sc.provisioner != "ebs.csi.aws.com")
    return {false, {}, "unsupported provisioner \"" + sc.provisioner + "\""};
  const auto* current = store_.get<k8s::PersistentVolumeClaim>(pvc.meta.key());
  if (current == nullptr) return {false, {}, "persistentvolumeclaim \"" + pvc.meta.name + "\" not found"};
  if (!current->volume_name.empty()) return {true, current->volume_name, {}};

  std::string volume_id;
  if (volume_ids_) {
    volume_id = volume_ids_();
  } else {
    char buf[32];
    std::snprintf(buf, sizeof buf, "vol-%017llx", static_cast<unsigned long long>(++counter_));
    volume_id = buf;
  }
  k8s::PersistentVolume pv;
  pv.meta.ns = "";
  pv.meta.name = "pvc-" + std::to_string(current->meta.uid);  // real PVs are "pvc-<claim uid>"
  pv.capacity_bytes = current->request_bytes;
  pv.access_modes = current->access_modes;
  pv.storage_class_name = sc.meta.name;
  pv.reclaim_policy = sc.reclaim_policy;
  pv.source.volume_id = volume_id;
  std::string key = csi_key_;
  if (in_tree) {
    pv.source.type = k8s::PersistentVolumeSource::Type::AwsElasticBlockStore;
    key = k8s::wellknown::kZoneLegacy;
    pv.meta.labels[k8s::wellknown::kZoneLegacy] = zone;
    // The region is the zone without its trailing letter (eu-west-1a -> eu-west-1).
    if (zone.size() > 1) pv.meta.labels[k8s::wellknown::kRegionLegacy] = zone.substr(0, zone.size() - 1);
  } else {
    pv.source.type = k8s::PersistentVolumeSource::Type::Csi;
    pv.source.driver = "ebs.csi.aws.com";
  }
  k8s::NodeSelectorTerm term;
  term.match_expressions.push_back({key, k8s::SelectorOp::In, {zone}});
  pv.node_affinity = k8s::NodeSelector{{term}};
  pv.claim_ref = k8s::ClaimReference{current->meta.ns, current->meta.name, current->meta.uid};
  pv.phase = k8s::PvPhase::Bound;
  const std::string pv_name = pv.meta.name;
  const std::string claim_key = current->meta.key();
  store_.create(std::move(pv));
  store_.mutate<k8s::PersistentVolumeClaim>(claim_key, [&](k8s::PersistentVolumeClaim& c) {
    c.volume_name = pv_name;
    c.phase = k8s::PvcPhase::Bound;
  });
  return {true, pv_name, {}};
}

}  // namespace azsim::scheduler
