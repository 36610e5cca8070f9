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
  /// The resource_version of *pod when it is the store's object (it identifies the object's
  /// content: the store gives every write a new one), else 0 (explain(): nothing is reused).
  std::uint64_t pod_version = 0;
};

/// What a PreFilter result may depend on: the pod's content and, as the plugin declares, the
/// cache's pods, its nodes, and the claims, PVs and classes in the store (a generation left at
/// 0 is one the plugin does not read). Plugins that keep their last result reuse it while the
/// key is equal. This relies on scheduling cycles never running inside a store notification
/// (the scheduler sees every change before the next cycle).
struct PreFilterKey {
  std::uint64_t pod_version = 0;  ///< 0: not reusable
  std::uint64_t pods = 0;
  std::uint64_t nodes = 0;
  std::uint64_t volumes = 0;
  bool operator==(const PreFilterKey&) const = default;

  static PreFilterKey of(const Cycle& c, const Cache& cache, bool reads_pods, bool reads_nodes, bool reads_volumes) {
    return {c.pod_version, reads_pods ? cache.pods_generation() : 0, reads_nodes ? cache.node_generation() : 0,
            reads_volumes ? cache.volumes_generation() : 0};
  }
};

/// A plugin's last PreFilter outcome when it was Success or Skip (rejections carry messages
/// and are rare: they are always recomputed), valid for `key`.
class PreFilterMemo {
 public:
  /// Whether the plugin's state is already the result for `k`; `code` is then its outcome.
  bool hit(const PreFilterKey& k, Code& code) const {
    if (k.pod_version == 0 || !(k == key_)) return false;
    code = code_;
    return true;
  }
  void remember(const PreFilterKey& k, const Status& s) {
    const bool plain = (s.code == Code::Success || s.code == Code::Skip) && s.reasons.empty() && s.plugin.empty();
    key_ = plain ? k : PreFilterKey{};
    code_ = s.code;
  }
  /// The plugin's PreFilter through the memo: `compute()` (which leaves the plugin's state)
  /// runs unless its last result is still the one for `k`.
  template <class Compute>
  Status run(const PreFilterKey& k, Compute compute) {
    if (Code code{}; hit(k, code)) return Status{code, {}, {}};
    Status s = compute();
    remember(k, s);
    return s;
  }

 private:
  PreFilterKey key_;
  Code code_ = Code::Success;
};

}  // namespace azsim::scheduler
