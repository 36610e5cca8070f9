#include "models/scheduler/cycle.hpp"

#include "models/scheduler/reasons.hpp"

namespace azsim::scheduler {

ReasonTable::ReasonTable(const k8s::KubeVersion& v) {
  namespace r = reasons;
  const std::string_view fixed[kNumFixed] = {
      r::kNodeUnschedulable, r::kNodeName, r::kNodeAffinity, r::kNodePorts, r::kTooManyPods, r::kInsufficientCpu,
      r::kInsufficientMemory, r::kInsufficientEphemeralStorage, r::kDiskConflict, r::kReadWriteOncePodConflict,
      r::kMaxVolumeCount, r::kBindConflict, r::volume_node_conflict(v), r::kPvNotExist, r::kVolumeZoneConflict,
      r::kSpreadConstraints, r::kSpreadMissingLabel, r::kPodAffinity, r::kPodAntiAffinity, r::kExistingAntiAffinity};
  for (auto s : fixed) intern(s);
}

std::uint32_t ReasonTable::intern(std::string_view s) {
  std::string key(s);
  if (auto it = ids_.find(key); it != ids_.end()) return it->second;
  const auto id = static_cast<std::uint32_t>(strings_.size());
  strings_.push_back(key);
  ids_.emplace(std::move(key), id);
  return id;
}

}  // namespace azsim::scheduler
