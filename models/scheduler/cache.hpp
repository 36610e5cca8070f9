// The scheduler cache (kube-scheduler's internal/cache + snapshot in one): a NodeInfo per node
// with the requested resources, pod count, host ports and attached EBS volumes of the pods on
// it, plus cluster-wide indexes the PreFilter plugins query (pods by label, existing pods'
// affinity terms by the labels they select). Pods are "assumed" onto a node at Reserve so the
// next cycle sees them before their binding lands, and forgotten if binding fails.
//
// For the per-node loops it also keeps, per topology key in use, the label value of every node
// as one flat array (topology_values), and which nodes use each EBS attach identity.
//
// Node order (what nextStartNodeIndex rotates over) is kube-scheduler's nodeTree order: zones
// in the order first seen, nodes interleaved round-robin across zones, and within a zone in the
// order the cache saw them (store creation order; an initial list is in name order).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "models/k8s/objects.hpp"
#include "models/scheduler/pod_info.hpp"
#include "models/scheduler/symbols.hpp"

namespace azsim::scheduler {

/// Per-node aggregate (framework.NodeInfo). Fields copied from the Node object so no pointer
/// into the store is kept. The fields every Filter/Score pass reads come first, so that a pass
/// over hundreds of nodes touches two or three cache lines of each and no heap block.
struct alignas(64) NodeInfo {
  // --- cache line 0: what every Filter pass reads first
  bool present = false;  ///< the Node object exists (a node may linger while pods remain)
  bool unschedulable = false;
  std::uint32_t slot = 0;                ///< index in the cache (Cache::node(slot) is this)
  std::int32_t num_pods = 0;
  std::int32_t attachable_volumes = 0;  ///< 0 = no limit
  std::vector<k8s::Taint> taints;
  std::vector<std::pair<Sym, int>> ebs_volumes;  ///< distinct attach identity -> pods using it
  // --- cache line 1: resources (NodeResourcesFit, LeastAllocated, BalancedAllocation)
  k8s::Resources allocatable;
  k8s::Resources requested;
  // --- cache line 2: scoring only
  k8s::Resources non_zero_requested;
  // --- cold
  std::string name;
  k8s::Labels labels;
  LabelSet label_set;
  std::string zone_key;                 ///< region + ":\x00:" + zone, as nodeTree groups nodes
  std::vector<HostPort> used_ports;
  std::vector<std::pair<Sym, int>> inline_ebs;   ///< inline EBS volume id -> pods using it
  std::vector<std::uint32_t> pods;               ///< pod slots

  bool has_ebs_volume(Sym id) const;
  bool has_inline_ebs(Sym id) const;
};

/// A reference to one affinity term of a cached pod.
struct TermRef {
  std::uint32_t pod = 0;
  std::uint16_t term = 0;
  std::uint8_t kind = 0;  ///< TermKind
  bool operator==(const TermRef&) const = default;
};
enum TermKind : std::uint8_t { kRequiredAffinity, kRequiredAntiAffinity, kPreferredAffinity, kPreferredAntiAffinity };

/// What changed on a node update (kube-scheduler's Node update action types).
struct NodeChange {
  bool added = false;
  bool labels = false;
  bool taints = false;  ///< taints or spec.unschedulable
  bool allocatable = false;
};

inline constexpr std::uint32_t kNoPod = 0xffffffffu;
inline constexpr std::uint32_t kNoDomain = 0xffffffffu;

class Cache {
 public:
  explicit Cache(SymbolTable& syms) : syms_(syms) {}

  NodeChange upsert_node(const k8s::Node& n);
  void remove_node(std::string_view name);

  /// Adds a pod bound to a node (or confirms an assumed one; an assumed pod seen on another
  /// node moves there). Terminal pods must not be added.
  void add_bound_pod(PodInfo info, const std::string& node_name);
  /// Replaces a bound pod's info (labels changed, termination started); returns false if absent.
  bool update_bound_pod(PodInfo info, const std::string& node_name);
  void remove_pod(std::string_view key);
  /// Reserve: accounts the pod on the node before its binding is written.
  void assume(PodInfo info, std::uint32_t node);
  /// Undoes assume() (binding failed). No-op when the pod is not assumed.
  void forget(std::string_view key);
  bool contains_pod(std::string_view key) const { return pod_slot_.find(key) != pod_slot_.end(); }
  bool is_assumed(std::string_view key) const;
  /// The slot of a cached pod (pod(slot)), or kNoPod: one lookup answers both contains_pod
  /// and is_assumed.
  std::uint32_t pod_slot(std::string_view key) const;
  /// The binding of the assumed pod in `slot` landed on the node it was assumed on: it stops
  /// being assumed (what add_bound_pod does in that case, without the pod compiled again).
  /// Returns false, changing nothing, when the pod is not assumed on `node_name`.
  bool confirm_assumed(std::uint32_t slot, std::string_view node_name);

  /// Present nodes in nodeTree order. Rebuilt lazily after node additions/removals.
  std::span<const std::uint32_t> node_order();
  std::size_t num_present_nodes();
  /// Bumped whenever a node is added, removed or relabelled (invalidates per-key domain caches).
  std::uint64_t node_generation() const { return node_generation_; }
  /// Bumped whenever a cached pod is added, removed, replaced, moved, assumed or confirmed:
  /// everything the pod indexes, claim users and NodeInfo aggregates derive from.
  std::uint64_t pods_generation() const { return pods_generation_; }
  /// The owner reports every PV, PVC and StorageClass event here (they are read from the
  /// store, not cached, so the cache cannot see them change itself).
  void volumes_changed() { ++volumes_generation_; }
  std::uint64_t volumes_generation() const { return volumes_generation_; }
  /// Moves with every change of anything a Filter or PreFilter reads: the three generations
  /// above, plus a node's taints, unschedulable flag or allocatable resources and the
  /// unclaimed PVs. Equal values mean a failed cycle would fail again the same way.
  std::uint64_t inputs_generation() const {
    return node_generation_ + pods_generation_ + volumes_generation_ + other_changes_;
  }
  const NodeInfo& node(std::uint32_t i) const { return nodes_[i]; }
  std::uint32_t node_index(std::string_view name) const;  ///< kNoNode when unknown
  /// The value of label `key` on every node slot (kNoSym where the node lacks it): the same
  /// answer as node(slot).label_set.get(key), as one flat array, so the per-node loops of
  /// Filter and Score read 4 bytes per node instead of chasing each node's label vector.
  /// Built on first use and rebuilt after any node is added, removed or relabelled. The span
  /// stays valid until the next node change (never within a scheduling cycle).
  std::span<const Sym> topology_values(Sym key) const;
  /// The same labels numbered densely: per node slot the index of its value in `values`
  /// (kNoDomain where the node lacks the key), so a pass can mark domains in a small array.
  struct Domains {
    std::span<const std::uint32_t> of_node;
    std::span<const Sym> values;  ///< distinct values, in node slot order of first use
  };
  Domains topology_domains(Sym key) const;
  /// Nodes on which a pod uses the attach identity `id` (NodeInfo::ebs_volumes), unordered;
  /// nullptr when none, which lets NodeVolumeLimits skip the per-node lookup.
  const std::vector<std::uint32_t>* nodes_with_ebs_volume(Sym id) const;
  const PodInfo& pod(std::uint32_t slot) const { return pods_[slot]; }
  /// Whether a cached pod counts (live and on a present node).
  bool pod_visible(std::uint32_t slot) const {
    const PodInfo& p = pods_[slot];
    return p.live && p.node != kNoNode && nodes_[p.node].present;
  }

  /// Per node slot, how many cached pods of namespace `ns` match `sel` and are not terminating
  /// (kube-scheduler's countPodsMatchSelector over each node's pods). Slots of nodes that are
  /// no longer present keep their count: callers skip those nodes. The counts of the selectors
  /// asked for lately are kept up to date as pods change, so a scheduling cycle reads them in
  /// one pass over the nodes instead of scanning every matching pod. The span stays valid until
  /// the next change of the cache's pods or nodes (never within a scheduling cycle).
  std::span<const std::int32_t> matching_pods_per_node(Sym ns, const CompiledSelector& sel) const;
  /// Calls f(node slot, n) for present nodes holding n > 0 of the pods matching_pods_per_node()
  /// counts, which sum to its counts on those nodes: from the candidate pods one by one (n = 1,
  /// a node possibly more than once) when they are fewer than the node slots, else from
  /// matching_pods_per_node() (each node once).
  template <class F>
  void for_each_matching_count(Sym ns, const CompiledSelector& sel, F&& f) const;
  /// Calls f(slot) for every visible pod that could match `sel` (a superset: callers check).
  template <class F>
  void for_each_candidate(const CompiledSelector& sel, F&& f) const;
  /// Existing pods' required anti-affinity terms that could select a pod with `labels`.
  template <class F>
  void for_each_anti_term(const LabelSet& labels, F&& f) const;
  /// Existing pods' scoring terms (required affinity, preferred (anti-)affinity) likewise.
  template <class F>
  void for_each_score_term(const LabelSet& labels, F&& f) const;
  std::size_t pods_with_required_anti_affinity() const { return num_required_anti_; }
  std::size_t pods_with_score_terms() const { return num_score_terms_; }
  /// Number of cached pods using the claim "ns/name" (ReadWriteOncePod conflicts).
  int claim_users(Sym claim) const;

  /// PVs that VolumeBinding may bind a waiting claim to (no claimRef, or pre-bound but not yet
  /// Bound), by storage class, so PreFilter does not scan every PV in the cluster.
  void upsert_pv(const k8s::PersistentVolume& pv);
  void remove_pv(const std::string& name);
  const std::set<std::string>* unclaimed_pvs(const std::string& storage_class) const;

 private:
  std::uint32_t node_slot(const std::string& name);  ///< find or create (not present)
  std::uint32_t alloc_pod_slot();
  void attach(std::uint32_t slot, std::uint32_t node);
  void detach(std::uint32_t slot);
  void index_pod(std::uint32_t slot, int dir);
  /// The shortest list of cached pods sure to hold every pod `sel` matches: the label index's
  /// list of one of its `key In (value)` requirements, or every pod; nullptr when none can.
  const std::vector<std::uint32_t>* candidates(const CompiledSelector& sel) const;
  void add_ebs_ref(std::uint32_t node, Sym id, int d);

  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  template <class V>
  using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;
  /// One topology_values() array over every node slot, present or not (a removed node keeps
  /// its labels). Valid while `generation` matches columns_generation_; slots appended since
  /// are added incrementally, in slot order, exactly as a rebuild would add them.
  struct Column {
    Sym key = kNoSym;
    std::uint64_t generation = 0;
    std::vector<Sym> values;
    std::vector<std::uint32_t> domain;  // per node slot
    std::vector<Sym> domain_values;
    std::unordered_map<Sym, std::uint32_t> dense;  // value -> domain id, once there are many
  };
  const Column& column(Sym key) const;
  /// Whether matching_pods_per_node(ns, sel) counts pod `p` (wherever it is).
  static bool counted(const PodInfo& p, Sym ns, const CompiledSelector& sel) {
    return !p.terminating && p.ns == ns && sel.matches(p.labels);
  }
  /// One matching_pods_per_node() answer, updated by index_pod().
  struct MatchCounts {
    Sym ns = kNoSym;
    CompiledSelector selector;
    std::vector<std::int32_t> per_node;
    std::uint64_t used = 0;  ///< pods_generation_ when last asked for
    bool counts(const PodInfo& p) const { return counted(p, ns, selector); }
  };

  SymbolTable& syms_;
  std::vector<NodeInfo> nodes_;
  StringMap<std::uint32_t> node_slot_;
  std::vector<std::string> zones_;                    // first-seen order
  std::vector<std::vector<std::uint32_t>> zone_nodes_;  // per zone, arrival order
  std::vector<std::uint32_t> order_;
  bool order_dirty_ = true;
  std::uint64_t node_generation_ = 0;
  /// Bumped when the labels of an existing node slot change (not on removal, which keeps the
  /// slot's labels, nor on a new slot, which columns append).
  std::uint64_t columns_generation_ = 0;
  std::uint64_t pods_generation_ = 0;
  std::uint64_t volumes_generation_ = 0;
  std::uint64_t other_changes_ = 0;  // see inputs_generation()
  mutable std::vector<std::unique_ptr<Column>> columns_;  // unique_ptr: spans survive growth
  mutable std::vector<std::unique_ptr<MatchCounts>> match_counts_;  // most recently asked last
  std::unordered_map<Sym, std::vector<std::uint32_t>> ebs_nodes_;

  std::deque<PodInfo> pods_;  // deque: growing never moves the (large) PodInfos
  std::vector<std::uint32_t> free_pods_;
  StringMap<std::uint32_t> pod_slot_;
  std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> label_index_;
  std::vector<std::uint32_t> all_pods_;  // every live slot (fallback scan)
  std::unordered_map<std::uint64_t, std::vector<TermRef>> anti_index_;
  std::vector<TermRef> anti_unindexed_;
  std::unordered_map<std::uint64_t, std::vector<TermRef>> score_index_;
  std::vector<TermRef> score_unindexed_;
  std::unordered_map<Sym, int> claim_users_;
  std::map<std::string, std::set<std::string>> unclaimed_pvs_;
  std::unordered_map<std::string, std::string> pv_class_;  // unclaimed PV -> its class
  std::size_t num_required_anti_ = 0;
  std::size_t num_score_terms_ = 0;
};

template <class F>
void Cache::for_each_candidate(const CompiledSelector& sel, F&& f) const {
  if (const std::vector<std::uint32_t>* list = candidates(sel))
    for (std::uint32_t s : *list)
      if (pod_visible(s)) f(s);
}

template <class F>
void Cache::for_each_matching_count(Sym ns, const CompiledSelector& sel, F&& f) const {
  const std::vector<std::uint32_t>* list = candidates(sel);
  if (list == nullptr) return;
  if (list->size() < nodes_.size()) {
    for (std::uint32_t s : *list) {
      const PodInfo& p = pods_[s];
      if (pod_visible(s) && counted(p, ns, sel)) f(p.node, std::int32_t{1});
    }
    return;
  }
  const auto per_node = matching_pods_per_node(ns, sel);
  for (std::uint32_t slot = 0; slot < per_node.size(); ++slot)
    if (per_node[slot] != 0 && nodes_[slot].present) f(slot, per_node[slot]);
}

template <class F>
void Cache::for_each_anti_term(const LabelSet& labels, F&& f) const {
  if (num_required_anti_ == 0) return;
  for (const auto& lp : labels.pairs())
    if (auto it = anti_index_.find(pack(lp)); it != anti_index_.end())
      for (const TermRef& t : it->second)
        if (pod_visible(t.pod)) f(t);
  for (const TermRef& t : anti_unindexed_)
    if (pod_visible(t.pod)) f(t);
}

template <class F>
void Cache::for_each_score_term(const LabelSet& labels, F&& f) const {
  if (num_score_terms_ == 0) return;
  for (const auto& lp : labels.pairs())
    if (auto it = score_index_.find(pack(lp)); it != score_index_.end())
      for (const TermRef& t : it->second)
        if (pod_visible(t.pod)) f(t);
  for (const TermRef& t : score_unindexed_)
    if (pod_visible(t.pod)) f(t);
}

/// The term a TermRef points at.
const AffinityTerm& term_of(const PodInfo& p, const TermRef& t);

}  // namespace azsim::scheduler
