// Per-cycle plumbing shared by the plugins: the pod being scheduled, compact per-node
// verdicts (reason ids instead of strings, so rejecting thousands of nodes allocates nothing)
// and the table that turns reason ids back into kube-scheduler's strings.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "models/k8s/store.hpp"
#include "models/scheduler/cache.hpp"
#include "models/scheduler/config.hpp"
#include "models/scheduler/pod_info.hpp"
#include "models/scheduler/status.hpp"
#include "models/scheduler/symbols.hpp"

namespace azsim::scheduler {

/// Reason strings by id. Fixed ids exist for every constant reason, resolved for the
/// configured Kubernetes version; dynamic reasons (a taint's key and value) are interned.
class ReasonTable {
 public:
  enum Fixed : std::uint32_t {
    kNodeUnschedulable, kNodeName, kNodeAffinity, kNodePorts, kTooManyPods, kInsufficientCpu,
    kInsufficientMemory, kInsufficientEphemeral, kDiskConflict, kRwopConflict, kMaxVolumeCount,
    kBindConflict, kVolumeNodeConflict, kPvNotExist, kVolumeZone, kSpread, kSpreadMissingLabel,
    kPodAffinity, kPodAntiAffinity, kExistingAntiAffinity, kNumFixed
  };
  explicit ReasonTable(const k8s::KubeVersion& v);
  std::uint32_t intern(std::string_view s);
  const std::string& str(std::uint32_t id) const { return strings_[id]; }

 private:
  std::deque<std::string> strings_;  ///< a deque: str() references stay valid across intern()
  std::unordered_map<std::string, std::uint32_t> ids_;
};

/// A plugin's Filter outcome on one node, with up to 4 reason ids.
struct Verdict {
  Code code = Code::Success;
  std::uint8_t n = 0;
  std::array<std::uint32_t, 4> reasons{};

  bool ok() const { return code == Code::Success; }
  void add(Code c, std::uint32_t reason) {
    if (code != Code::UnschedulableAndUnresolvable) code = c;
    if (n < reasons.size()) reasons[n++] = reason;
  }
};

/// Everything plugins share for the lifetime of the scheduler.
struct Context {
  const SchedulerConfig& cfg;
  SymbolTable& syms;
  Cache& cache;
  const k8s::ObjectStore& store;
  ReasonTable& reasons;
};

/// The pod being scheduled in this cycle. `pod` points into the store and is valid only
/// until the cycle writes to the store.
struct Cycle {
  const k8s::Pod* pod = nullptr;
  PodInfo info;
};

}  // namespace azsim::scheduler
