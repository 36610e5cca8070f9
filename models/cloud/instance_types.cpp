#include "models/cloud/instance_types.hpp"

#include <algorithm>

#include "sim/arena.hpp"

namespace azsim::cloud {

namespace {
constexpr std::int64_t kMiB = 1024 * 1024;
}

const std::vector<InstanceType>& instance_types() {
  // vCPU and memory: aws.amazon.com/ec2/instance-types; pods: amazon-eks-ami
  // files/eni-max-pods.txt; nitro: the type's hypervisor (t2 is Xen).
  // Built on the ordinary heap even when first asked inside a trial's arena (sim/arena.hpp).
  static const std::vector<InstanceType> kTypes = [] {
    const sim::Arena::Pause outside;
    std::vector<InstanceType> v = {
        {"c5.large", 2, 4096, 29, true},     {"c5.xlarge", 4, 8192, 58, true},
        {"m5.2xlarge", 8, 32768, 58, true},  {"m5.large", 2, 8192, 29, true},
        {"m5.xlarge", 4, 16384, 58, true},   {"r5.large", 2, 16384, 29, true},
        {"r5.xlarge", 4, 32768, 58, true},   {"t2.large", 2, 8192, 35, false},
        {"t2.medium", 2, 4096, 17, false},   {"t2.micro", 1, 1024, 4, false},
        {"t2.small", 1, 2048, 11, false},    {"t3.large", 2, 8192, 35, true},
        {"t3.medium", 2, 4096, 17, true},    {"t3.micro", 2, 1024, 4, true},
        {"t3.small", 2, 2048, 11, true},     {"t3.xlarge", 4, 16384, 58, true},
    };
    std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    return v;
  }();
  return kTypes;
}

std::optional<InstanceType> find_instance_type(std::string_view name) {
  for (const auto& t : instance_types())
    if (t.name == name) return t;
  return std::nullopt;
}

NodeResources node_resources(const InstanceType& t, std::int32_t max_pods, const KubeletReservation& r) {
  NodeResources out;
  out.capacity.milli_cpu = t.vcpus * 1000;
  out.capacity.memory = std::max<std::int64_t>(0, t.memory_mib - r.kernel_reserved_mib) * kMiB;
  out.capacity.pods = max_pods;
  out.capacity.ephemeral_storage = std::int64_t{80} * 1024 * kMiB;  // eksctl default root volumeSize: 80Gi
  out.allocatable = out.capacity;
  const std::int64_t reserved_mib = r.memory_base_mib + r.memory_per_pod_mib * max_pods + r.eviction_hard_mib;
  out.allocatable.memory = std::max<std::int64_t>(0, out.capacity.memory - reserved_mib * kMiB);
  if (r.cpu_ladder) {
    // EKS AMI bootstrap.sh: 6% of core 1, 1% of core 2, 0.5% of cores 3-4, 0.25% beyond.
    std::int64_t m = 0;
    for (int core = 1; core <= t.vcpus; ++core) m += core == 1 ? 60 : core == 2 ? 10 : core <= 4 ? 5 : 2;
    out.allocatable.milli_cpu -= m;
  }
  return out;
}

}  // namespace azsim::cloud
