#include "models/controllers/ebs_provisioner.hpp"

#include <algorithm>

namespace azsim::controllers {

namespace {
constexpr std::int64_t kGiB = std::int64_t{1} << 30;
}

EbsProvisioner::EbsProvisioner(k8s::ObjectStore& store, cloud::Cloud& cloud, k8s::KubeVersion version)
    : cloud_(cloud), inner_(store, version, [this] { return cloud_.create_volume_now(zone_, gib_, type_); }) {}

scheduler::ProvisionResult EbsProvisioner::provision(const k8s::PersistentVolumeClaim& pvc, const k8s::StorageClass& sc,
                                                     const k8s::Node& node) {
  return provision_in_zone(pvc, sc, node.zone());
}

scheduler::ProvisionResult EbsProvisioner::provision_in_zone(const k8s::PersistentVolumeClaim& pvc,
                                                             const k8s::StorageClass& sc, const std::string& zone) {
  zone_ = zone;
  gib_ = std::max<std::int64_t>(1, (pvc.request_bytes + kGiB - 1) / kGiB);
  // Driver defaults: the EBS CSI driver creates gp3, the in-tree plugin gp2; a class's
  // `type` parameter wins.
  type_ = sc.provisioner == "kubernetes.io/aws-ebs" ? "gp2" : "gp3";
  if (auto it = sc.parameters.find("type"); it != sc.parameters.end()) type_ = it->second;
  return inner_.provision_in_zone(pvc, sc, zone);
}

}  // namespace azsim::controllers
