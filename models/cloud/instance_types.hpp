// The EC2 instance types azsim knows, with the figures that decide placement: vCPUs, memory,
// the pod limit of the EKS VPC CNI (eni-max-pods), and the EBS attachment limit the EBS CSI
// driver reports. Allocatable resources follow the EKS AMI's kubelet reservations.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/k8s/objects.hpp"

namespace azsim::cloud {

struct InstanceType {
  std::string name;
  std::int32_t vcpus = 0;
  std::int64_t memory_mib = 0;       // nominal memory (AWS instance type page)
  std::int32_t eni_max_pods = 0;     // amazon-eks-ami eni-max-pods.txt
  bool nitro = true;                 // Nitro (shared attachment slots) or Xen
  /// EBS CSI attach limit (FIDELITY A "EBS CSI attach limit per node"): 27 on Nitro types
  /// with one ENI and no extra block devices, 39 on Xen types.
  std::int32_t ebs_attach_limit() const { return nitro ? 27 : 39; }
};

/// Looks up a type by name ("t3.small"); nullopt when unknown.
std::optional<InstanceType> find_instance_type(std::string_view name);
/// Every known type, in name order (for error messages: "did you mean ...").
const std::vector<InstanceType>& instance_types();

/// How a node group reserves resources for the system, to turn capacity into allocatable.
struct KubeletReservation {
  /// kube-reserved memory = base + per_pod * maxPods (EKS AMI bootstrap.sh: 255Mi + 11Mi/pod).
  std::int64_t memory_base_mib = 255;
  std::int64_t memory_per_pod_mib = 11;
  /// eviction-hard memory.available (EKS AMI: 100Mi).
  std::int64_t eviction_hard_mib = 100;
  /// Memory the kernel and firmware keep from the nominal size: MemTotal is ~256Mi under the
  /// nominal figure on t3/m5 types (observed `kubectl describe node` capacity).
  std::int64_t kernel_reserved_mib = 256;
  /// Whether to reserve CPU by the EKS AMI ladder (6% of the first core, 1% of the second,
  /// 0.5% of cores 3-4, 0.25% above).
  bool cpu_ladder = true;

  /// No reservations at all (kops' defaults of its era: allocatable = capacity).
  static KubeletReservation none() { return {0, 0, 0, 256, false}; }
};

/// Node capacity and allocatable for a type with `max_pods`.
struct NodeResources {
  k8s::Resources capacity;
  k8s::Resources allocatable;
};
NodeResources node_resources(const InstanceType& t, std::int32_t max_pods, const KubeletReservation& r);

}  // namespace azsim::cloud
