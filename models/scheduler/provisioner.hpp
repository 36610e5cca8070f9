// Volume provisioning as the scheduler sees it. For a WaitForFirstConsumer claim the scheduler
// asks a VolumeProvisioner at PreBind for a volume on the chosen node; Immediate claims are
// provisioned at creation in a zone chosen without the pod (choose_zone_for_claim).
// StoreProvisioner is the synchronous implementation for tests and static worlds: it writes a
// bound PV straight into the store. The controllers layer adds real provisioning latency by
// delaying Scheduler::bind(), not by changing this interface.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "models/k8s/store.hpp"
#include "models/k8s/version.hpp"

namespace azsim::scheduler {

struct ProvisionResult {
  bool ok = false;
  std::string pv_name;  ///< the created PV when ok
  std::string error;    ///< why not, when !ok
};

/// Provisions a volume for a claim. Contract: on success the claim is bound to the returned
/// PV (PVC volume_name set and phase Bound, PV claimRef set and phase Bound) when provision()
/// returns, and the PV is usable on `node`.
class VolumeProvisioner {
 public:
  virtual ~VolumeProvisioner() = default;
  virtual ProvisionResult provision(const k8s::PersistentVolumeClaim& pvc, const k8s::StorageClass& sc,
                                    const k8s::Node& node) = 0;
};

/// Creates EBS PVs in the store, bound to their claim.
///  - CSI classes (ebs.csi.aws.com): a CSI PV with nodeAffinity `<key> In [zone]`, where key is
///    topology.ebs.csi.aws.com/zone as the EBS CSI driver wrote it up to v1.32, and
///    topology.kubernetes.io/zone from driver v1.33.0 (ebs-csi PR #2086, mid 2024). The driver
///    version is independent of Kubernetes; by default azsim assumes the driver of the
///    Kubernetes release's time: the old key before 1.31, the standard key from 1.31.
///  - In-tree classes (kubernetes.io/aws-ebs): an awsElasticBlockStore PV labelled with the
///    legacy zone and region labels (which VolumeZone reads) and the same nodeAffinity on the
///    legacy zone key, as the PV label admission controller set it.
/// Capacity is the claim's request, reclaim policy the class's.
class StoreProvisioner : public VolumeProvisioner {
 public:
  /// `volume_ids` returns the next EBS volume id; default: vol-00000000000000001, ...2, ...
  StoreProvisioner(k8s::ObjectStore& store, k8s::KubeVersion version,
                   std::function<std::string()> volume_ids = {});

  ProvisionResult provision(const k8s::PersistentVolumeClaim& pvc, const k8s::StorageClass& sc,
                            const k8s::Node& node) override;
  /// Provisions in a given zone (Immediate binding, or a test).
  ProvisionResult provision_in_zone(const k8s::PersistentVolumeClaim& pvc, const k8s::StorageClass& sc,
                                    const std::string& zone);
  /// Immediate binding: zone = choose_zone_for_claim(zones, claim name).
  ProvisionResult provision_immediate(const k8s::PersistentVolumeClaim& pvc, const k8s::StorageClass& sc,
                                      const std::vector<std::string>& zones);

  /// The nodeAffinity key of CSI PVs; override the version-based default.
  void set_csi_topology_key(std::string key) { csi_key_ = std::move(key); }
  const std::string& csi_topology_key() const { return csi_key_; }

 private:
  k8s::ObjectStore& store_;
  std::function<std::string()> volume_ids_;
  std::string csi_key_;
  std::uint64_t counter_ = 0;
};

}  // namespace azsim::scheduler
