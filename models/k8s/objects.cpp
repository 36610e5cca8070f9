#include "models/k8s/objects.hpp"

#include <algorithm>

namespace azsim::k8s {

bool Toleration::tolerates(const Taint& t) const {
  // v1.Toleration.ToleratesTaint: an empty key matches every key (with Exists, validation
  // requires it), Equal compares values.
  if (effect && *effect != t.effect) return false;
  if (!key.empty() && key != t.key) return false;
  return op == TolerationOp::Exists || value == t.value;
}

Resources& Resources::operator+=(const Resources& o) {
  milli_cpu += o.milli_cpu;
  memory += o.memory;
  ephemeral_storage += o.ephemeral_storage;
  pods += o.pods;
  return *this;
}

Resources& Resources::operator-=(const Resources& o) {
  milli_cpu -= o.milli_cpu;
  memory -= o.memory;
  ephemeral_storage -= o.ephemeral_storage;
  pods -= o.pods;
  return *this;
}

Resources PodSpec::effective_requests() const {
  Resources sum;
  for (const auto& c : containers) sum += c.requests;
  for (const auto& c : init_containers) {
    sum.milli_cpu = std::max(sum.milli_cpu, c.requests.milli_cpu);
    sum.memory = std::max(sum.memory, c.requests.memory);
    sum.ephemeral_storage = std::max(sum.ephemeral_storage, c.requests.ephemeral_storage);
  }
  sum += overhead;
  sum.pods = 0;
  return sum;
}

std::string Node::zone() const {
  if (auto it = meta.labels.find(wellknown::kZone); it != meta.labels.end()) return it->second;
  if (auto it = meta.labels.find(wellknown::kZoneLegacy); it != meta.labels.end()) return it->second;
  return {};
}

bool StorageClass::is_default() const {
  // The GA annotation, and the beta one Kubernetes still honours (kops' addons of seed 001 use it).
  for (const char* key : {wellknown::kAnnotationDefaultClass, wellknown::kAnnotationDefaultClassBeta}) {
    auto it = meta.annotations.find(key);
    if (it != meta.annotations.end() && it->second == "true") return true;
  }
  return false;
}

std::int32_t IntOrPercent::resolve(std::int32_t total, bool round_up) const {
  if (!is_percent) return value;
  const std::int64_t num = static_cast<std::int64_t>(value) * total;
  return static_cast<std::int32_t>(round_up ? (num + 99) / 100 : num / 100);
}

const char* to_string(TaintEffect e) {
  switch (e) {
    case TaintEffect::NoSchedule: return "NoSchedule";
    case TaintEffect::PreferNoSchedule: return "PreferNoSchedule";
    case TaintEffect::NoExecute: return "NoExecute";
  }
  return "?";
}

const char* to_string(PodPhase p) {
  switch (p) {
    case PodPhase::Pending: return "Pending";
    case PodPhase::Running: return "Running";
    case PodPhase::Succeeded: return "Succeeded";
    case PodPhase::Failed: return "Failed";
    case PodPhase::Unknown: return "Unknown";
  }
  return "?";
}

const char* to_string(AccessMode m) {
  switch (m) {
    case AccessMode::ReadWriteOnce: return "ReadWriteOnce";
    case AccessMode::ReadOnlyMany: return "ReadOnlyMany";
    case AccessMode::ReadWriteMany: return "ReadWriteMany";
    case AccessMode::ReadWriteOncePod: return "ReadWriteOncePod";
  }
  return "?";
}

const char* to_string(ReclaimPolicy p) {
  switch (p) {
    case ReclaimPolicy::Retain: return "Retain";
    case ReclaimPolicy::Delete: return "Delete";
    case ReclaimPolicy::Recycle: return "Recycle";
  }
  return "?";
}

const char* to_string(VolumeBindingMode m) {
  return m == VolumeBindingMode::Immediate ? "Immediate" : "WaitForFirstConsumer";
}

const char* to_string(PvPhase p) {
  switch (p) {
    case PvPhase::Pending: return "Pending";
    case PvPhase::Available: return "Available";
    case PvPhase::Bound: return "Bound";
    case PvPhase::Released: return "Released";
    case PvPhase::Failed: return "Failed";
  }
  return "?";
}

const char* to_string(PvcPhase p) {
  switch (p) {
    case PvcPhase::Pending: return "Pending";
    case PvcPhase::Bound: return "Bound";
    case PvcPhase::Lost: return "Lost";
  }
  return "?";
}

const char* to_string(ConditionStatus s) {
  switch (s) {
    case ConditionStatus::True: return "True";
    case ConditionStatus::False: return "False";
    case ConditionStatus::Unknown: return "Unknown";
  }
  return "?";
}

std::string to_string(const Taint& t) {
  std::string s = t.key;
  if (!t.value.empty()) s += "=" + t.value;
  s += ":";
  s += to_string(t.effect);
  return s;
}

}  // namespace azsim::k8s
