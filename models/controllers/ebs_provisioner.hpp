// EbsProvisioner: the EBS CSI driver's (or the in-tree aws-ebs plugin's) CreateVolume, as the
// scheduler's PreBind and the PV controller call it. The volume appears in the Cloud at once;
// the caller spends the CreateVolume latency before calling (the scheduler delays its binding
// cycle, the PV controller its provisioning), so the pod waits as long as it would on AWS.
#pragma once

#include "models/cloud/cloud.hpp"
#include "models/scheduler/provisioner.hpp"

namespace azsim::controllers {

class EbsProvisioner final : public scheduler::VolumeProvisioner {
 public:
  EbsProvisioner(k8s::ObjectStore& store, cloud::Cloud& cloud, k8s::KubeVersion version);

  scheduler::ProvisionResult provision(const k8s::PersistentVolumeClaim& pvc, const k8s::StorageClass& sc,
                                       const k8s::Node& node) override;
  scheduler::ProvisionResult provision_in_zone(const k8s::PersistentVolumeClaim& pvc, const k8s::StorageClass& sc,
                                               const std::string& zone);

 private:
  cloud::Cloud& cloud_;
  scheduler::StoreProvisioner inner_;
  // The volume being created by the current call (read by inner_'s id source).
  std::string zone_;
  std::int64_t gib_ = 1;
  std::string type_;
};

}  // namespace azsim::controllers
