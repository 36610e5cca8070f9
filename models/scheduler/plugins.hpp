// The plugin interfaces of the framework and the in-tree plugins azsim runs. A plugin keeps its
// PreFilter/PreScore results as members (one cycle at a time), so Filter and Score read them
// without lookups. Per-node label values come from the cache's flat topology_values() arrays,
// and Score runs over the whole feasible list in one call, so the per-node work allocates
// nothing and makes no virtual call per node. Extension points:
//   PreFilter (per pod): Success, Skip (its Filter is not run), or a rejection of every node;
//   Filter (per node): the first failing plugin decides the node's status;
//   PreScore / Score (all feasible nodes in one call) / NormalizeScore to 0..100, then weighted;
//   Reserve, PreBind and Bind are steps of Scheduler (VolumeBinding and DefaultBinder there).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "models/scheduler/cycle.hpp"
#include "models/scheduler/plugin_id.hpp"

namespace azsim::scheduler {

class FilterPlugin {
 public:
  explicit FilterPlugin(Context& ctx) : ctx_(ctx) {}
  virtual ~FilterPlugin() = default;
  virtual PluginId id() const = 0;
  /// Success, Skip, or a rejection whose message replaces the per-node list.
  virtual Status pre_filter(const Cycle& c) = 0;
  /// The node's verdict; runs only after a pre_filter that returned Success, and must not
  /// change the plugin's state (many nodes are filtered per pre_filter).
  virtual void filter(const Cycle& c, const NodeInfo& n, Verdict& v) const = 0;
  /// After a successful pre_filter: true only if filter() would accept every node, so the
  /// per-node loop may leave the plugin out (explain still runs it on every node).
  virtual bool accepts_every_node() const { return false; }

 protected:
  Context& ctx_;
};

class ScorePlugin {
 public:
  explicit ScorePlugin(Context& ctx) : ctx_(ctx) {}
  virtual ~ScorePlugin() = default;
  virtual PluginId id() const = 0;
  /// false: Skip (the plugin scores nothing this cycle).
  virtual bool pre_score(const Cycle& c, std::span<const std::uint32_t> feasible) = 0;
  /// out[i] = the raw score of node feasible[i] (same spans as pre_score's).
  virtual void score(const Cycle& c, std::span<const std::uint32_t> feasible, std::span<std::int64_t> out) const = 0;
  virtual void normalize(std::span<std::int64_t> scores) const { (void)scores; }

 protected:
  Context& ctx_;
};

/// a / b with C++'s integer semantics. For 0 <= a, 0 < b and a + b < 2^53 it divides in
/// double, which gives exactly floor(a / b): a and b are exact, and the rounded quotient stays
/// below the next integer because b * (floor(a / b) + 1) <= a + b < 2^53. A double division is
/// several times cheaper than a 64-bit idiv, and Score divides a few times per node.
inline std::int64_t divide(std::int64_t a, std::int64_t b) {
  constexpr std::int64_t kExact = std::int64_t{1} << 53;
  if (a >= 0 && b > 0 && a < kExact && b < kExact - a)
    return static_cast<std::int64_t>(static_cast<double>(a) / static_cast<double>(b));
  return a / b;
}

/// framework helper.DefaultNormalizeScore(MaxNodeScore = 100, reverse).
void default_normalize(std::span<std::int64_t> scores, bool reverse);

// ---------------------------------------------------------------- node plugins

class NodeUnschedulable final : public FilterPlugin {
 public:
  using FilterPlugin::FilterPlugin;
  PluginId id() const override { return PluginId::NodeUnschedulable; }
  Status pre_filter(const Cycle& c) override;
  void filter(const Cycle& c, const NodeInfo& n, Verdict& v) const override;

 private:
  bool tolerates_ = false;
};

class NodeName final : public FilterPlugin {
 public:
  using FilterPlugin::FilterPlugin;
  PluginId id() const override { return PluginId::NodeName; }
  Status pre_filter(const Cycle& c) override;
  void filter(const Cycle& c, const NodeInfo& n, Verdict& v) const override;
};

class TaintToleration final : public FilterPlugin {
 public:
  using FilterPlugin::FilterPlugin;
  PluginId id() const override { return PluginId::TaintToleration; }
  Status pre_filter(const Cycle&) override { return Status::success(); }
  void filter(const Cycle& c, const NodeInfo& n, Verdict& v) const override;

 private:
  /// The ReasonTable id of the untolerated-taint reason for `t`.
  std::uint32_t reason_id(const k8s::Taint& t) const;
  /// (taint key, value) -> reason id, in first-seen order. Never invalid: a reason's text is a
  /// function of the key, the value and the configured version, and ReasonTable ids are stable.
  struct Memo {
    std::string key, value;
    std::uint32_t id = 0;
  };
  mutable std::vector<Memo> memo_;
};

class TaintTolerationScore final : public ScorePlugin {
 public:
  using ScorePlugin::ScorePlugin;
  PluginId id() const override { return PluginId::TaintToleration; }
  bool pre_score(const Cycle& c, std::span<const std::uint32_t> feasible) override;
  void score(const Cycle& c, std::span<const std::uint32_t> feasible, std::span<std::int64_t> out) const override;
  void normalize(std::span<std::int64_t> s) const override { default_normalize(s, true); }

 private:
  std::vector<const k8s::Toleration*> prefer_;
};

class NodeAffinity final : public FilterPlugin {
 public:
  using FilterPlugin::FilterPlugin;
  PluginId id() const override { return PluginId::NodeAffinity; }
  Status pre_filter(const Cycle& c) override;
  void filter(const Cycle& c, const NodeInfo& n, Verdict& v) const override;
  /// Whether the node satisfies the pod's nodeSelector and required node affinity.
  static bool node_matches(const k8s::Pod& pod, const NodeInfo& n);

 private:
  std::vector<LabelPair> selector_;
  const k8s::NodeSelector* required_ = nullptr;
};

class NodeAffinityScore final : public ScorePlugin {
 public:
  using ScorePlugin::ScorePlugin;
  PluginId id() const override { return PluginId::NodeAffinity; }
  bool pre_score(const Cycle& c, std::span<const std::uint32_t> feasible) override;
  void score(const Cycle& c, std::span<const std::uint32_t> feasible, std::span<std::int64_t> out) const override;
  void normalize(std::span<std::int64_t> s) const override { default_normalize(s, false); }

 private:
  const std::vector<k8s::PreferredSchedulingTerm>* terms_ = nullptr;
};

class NodePorts final : public FilterPlugin {
 public:
  using FilterPlugin::FilterPlugin;
  PluginId id() const override { return PluginId::NodePorts; }
  Status pre_filter(const Cycle& c) override;
  void filter(const Cycle& c, const NodeInfo& n, Verdict& v) const override;

 private:
  Sym wildcard_ = kNoSym;  ///< the id of "" (the 0.0.0.0 host IP)
};

class NodeResourcesFit final : public FilterPlugin {
 public:
  using FilterPlugin::FilterPlugin;
  PluginId id() const override { return PluginId::NodeResourcesFit; }
  Status pre_filter(const Cycle&) override { return Status::success(); }
  void filter(const Cycle& c, const NodeInfo& n, Verdict& v) const override;
};

/// NodeResourcesFit's Score with the default LeastAllocated strategy (cpu and memory, weight 1).
class LeastAllocatedScore final : public ScorePlugin {
 public:
  using ScorePlugin::ScorePlugin;
  PluginId id() const override { return PluginId::NodeResourcesFit; }
  bool pre_score(const Cycle&, std::span<const std::uint32_t>) override { return true; }
  void score(const Cycle& c, std::span<const std::uint32_t> feasible, std::span<std::int64_t> out) const override;
};

class BalancedAllocationScore final : public ScorePlugin {
 public:
  using ScorePlugin::ScorePlugin;
  PluginId id() const override { return PluginId::NodeResourcesBalancedAllocation; }
  bool pre_score(const Cycle&, std::span<const std::uint32_t>) override { return true; }
  void score(const Cycle& c, std::span<const std::uint32_t> feasible, std::span<std::int64_t> out) const override;
};

/// ImageLocality: container images are not modelled, so no node has any image and the
/// plugin's score is 0 everywhere; it is kept for the weights table and skipped.
class ImageLocalityScore final : public ScorePlugin {
 public:
  using ScorePlugin::ScorePlugin;
  PluginId id() const override { return PluginId::ImageLocality; }
  bool pre_score(const Cycle&, std::span<const std::uint32_t>) override { return false; }
  void score(const Cycle&, std::span<const std::uint32_t>, std::span<std::int64_t> out) const override {
    for (auto& s : out) s = 0;
  }
};

// ---------------------------------------------------------------- volume plugins

class VolumeRestrictions final : public FilterPlugin {
 public:
  using FilterPlugin::FilterPlugin;
  PluginId id() const override { return PluginId::VolumeRestrictions; }
  Status pre_filter(const Cycle& c) override;
  void filter(const Cycle& c, const NodeInfo& n, Verdict& v) const override;

 private:
  Status compute(const Cycle& c);  ///< pre_filter without the memo
  PreFilterMemo memo_;
  bool rwop_conflict_ = false;
};

class NodeVolumeLimits final : public FilterPlugin {
 public:
  using FilterPlugin::FilterPlugin;
  PluginId id() const override { return PluginId::NodeVolumeLimits; }
  Status pre_filter(const Cycle& c) override;
  void filter(const Cycle& c, const NodeInfo& n, Verdict& v) const override;

 private:
  /// Nodes already using some of the pod's attach identities, with how many: sorted by node.
  /// Usually empty (new claims), so most nodes need no lookup at all.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> held_;
};

/// A claim the binding step must bind to an existing PV, or provision.
struct VolumeDecision {
  std::string claim;        ///< "namespace/name"
  std::string static_pv;    ///< PV to bind; empty = provision dynamically
};

class VolumeBinding final : public FilterPlugin {
 public:
  using FilterPlugin::FilterPlugin;
  PluginId id() const override { return PluginId::VolumeBinding; }
  Status pre_filter(const Cycle& c) override;
  void filter(const Cycle& c, const NodeInfo& n, Verdict& v) const override;
  /// Nothing bound, nothing missing, and every claim provisions dynamically anywhere.
  bool accepts_every_node() const override { return accepts_all_; }
  /// Reserve: the bindings/provisionings the pod needs on the chosen node (after pre_filter).
  std::vector<VolumeDecision> decisions_for(const NodeInfo& n) const;
  /// PV node affinity against a node (volume.CheckNodeAffinity).
  static bool pv_fits_node(const k8s::PersistentVolume& pv, const NodeInfo& n);

 private:
  struct Unbound {
    const k8s::PersistentVolumeClaim* pvc = nullptr;
    const k8s::StorageClass* sc = nullptr;
    std::vector<const k8s::PersistentVolume*> candidates;  ///< Available PVs of its class, smallest first
    bool can_provision = false;                            ///< provisioner set and supported
  };
  Status compute(const Cycle& c);  ///< pre_filter without the memo
  PreFilterMemo memo_;
  /// Static PVs chosen for the unbound claims on a node (nullptr: provision); false if none fits.
  bool match_unbound(const NodeInfo& n, std::vector<const k8s::PersistentVolume*>* chosen, bool* bind_conflict) const;

  std::vector<const k8s::PersistentVolume*> bound_;
  /// pv_fits_node answers for one PV version over the node slots (-1 = not computed yet). The
  /// answer depends on the PV object, identified by its resource_version (unique per written
  /// object), and on the node's labels and name: a node's name never changes within its slot,
  /// and any label change bumps Cache::node_generation(), which resets the answers.
  struct FitMemo {
    std::uint64_t pv_version = 0;
    std::uint64_t node_generation = 0;
    std::vector<std::int8_t> fits;
  };
  bool bound_fits(std::size_t i, const NodeInfo& n) const;  ///< pv_fits_node(*bound_[i], n)
  mutable std::vector<FitMemo> fit_memo_;  ///< the PVs of recent cycles (cleared when full)
  std::vector<std::size_t> bound_memo_;    ///< per bound_ entry, its fit_memo_ index
  bool missing_pv_ = false;
  bool accepts_all_ = false;
  std::vector<Unbound> unbound_;
};

class VolumeZone final : public FilterPlugin {
 public:
  using FilterPlugin::FilterPlugin;
  PluginId id() const override { return PluginId::VolumeZone; }
  Status pre_filter(const Cycle& c) override;
  void filter(const Cycle& c, const NodeInfo& n, Verdict& v) const override;

 private:
  Status compute(const Cycle& c);  ///< pre_filter without the memo
  PreFilterMemo memo_;
  struct Req {
    Sym key = kNoSym;
    Sym ga_key = kNoSym;       ///< the GA label a beta key may also match
    std::vector<Sym> values;   ///< allowed values ("a__b" split), sorted
  };
  std::vector<Req> reqs_;
  std::array<Sym, 4> topology_keys_{kNoSym, kNoSym, kNoSym, kNoSym};
  /// The Reqs a PV contributes, by the PV's resource_version (unique per written object: a
  /// changed PV is a new entry). Its labels are all they depend on. Cleared when full.
  std::vector<std::pair<std::uint64_t, std::vector<Req>>> pv_reqs_;
};

// ---------------------------------------------------------------- spreading and affinity

/// One spread constraint as PodTopologySpread evaluates it.
struct SpreadConstraint {
  Sym key = kNoSym;
  bool hostname = false;
  std::int32_t max_skew = 1;
  std::int32_t min_domains = 1;
  bool honor_node_affinity = true;
  bool honor_node_taints = false;
  CompiledSelector selector;
  bool self_match = false;
  std::vector<std::pair<Sym, std::int64_t>> counts;  ///< domain -> matching pods, sorted by domain
  std::int64_t min_count = 0;                        ///< smallest count over domains
  double weight = 0;                                 ///< scoring: log(domains + 2)
  /// Scoring, hostname key: matching pods per node slot (Cache::matching_pods_per_node), for
  /// this cycle.
  std::span<const std::int32_t> node_counts;
  std::span<const Sym> values;  ///< Cache::topology_values(key) for this cycle

  std::int64_t count(Sym domain) const;
  std::int64_t node_count(std::uint32_t node) const;
};

class PodTopologySpread final : public FilterPlugin {
 public:
  using FilterPlugin::FilterPlugin;
  PluginId id() const override { return PluginId::PodTopologySpread; }
  Status pre_filter(const Cycle& c) override;
  void filter(const Cycle& c, const NodeInfo& n, Verdict& v) const override;

 private:
  /// Domains of each key among nodes having all `keys`, valid for one node generation.
  struct DomainCache {
    std::uint64_t generation = 0;
    std::vector<Sym> keys;
    std::vector<std::vector<Sym>> domains;  ///< per key, sorted
  };
  const DomainCache& domains_for(const std::vector<Sym>& keys);

  std::vector<SpreadConstraint> constraints_;
  std::vector<DomainCache> domain_cache_;
};

class PodTopologySpreadScore final : public ScorePlugin {
 public:
  using ScorePlugin::ScorePlugin;
  PluginId id() const override { return PluginId::PodTopologySpread; }
  bool pre_score(const Cycle& c, std::span<const std::uint32_t> feasible) override;
  void score(const Cycle& c, std::span<const std::uint32_t> feasible, std::span<std::int64_t> out) const override;
  void normalize(std::span<std::int64_t> s) const override;

 private:
  std::vector<SpreadConstraint> constraints_;
  std::vector<std::uint32_t> ignored_;  ///< sorted node slots
  std::vector<std::uint32_t> feasible_;
  std::vector<Cache::Domains> domains_;             ///< per constraint (not hostname ones)
  std::vector<std::vector<std::uint8_t>> seen_;     ///< per constraint: dense domain seen
  std::vector<std::int64_t> dense_counts_;          ///< matching pods per dense domain
};

/// Points every constraint's `values` at the cache's topology values of its key.
void bind_topology_values(const Cache& cache, std::vector<SpreadConstraint>& cs);

/// Builds the constraints PodTopologySpread applies to `pod` for filtering (DoNotSchedule) or
/// scoring (ScheduleAnyway, or the system defaults when the pod has none of its own).
std::vector<SpreadConstraint> spread_constraints(Context& ctx, const Cycle& c, bool for_scoring, bool* system_defaulted);

/// Counts in a sorted (pair -> count) vector.
using PairCounts = std::vector<std::pair<std::uint64_t, std::int64_t>>;

class InterPodAffinity final : public FilterPlugin {
 public:
  using FilterPlugin::FilterPlugin;
  PluginId id() const override { return PluginId::InterPodAffinity; }
  Status pre_filter(const Cycle& c) override;
  void filter(const Cycle& c, const NodeInfo& n, Verdict& v) const override;

 private:
  Status compute(const Cycle& c);  ///< pre_filter without the memo
  PreFilterMemo memo_;
  PairCounts existing_anti_;
  std::vector<Sym> existing_keys_;
  PairCounts affinity_;
  PairCounts anti_;
  bool self_matches_affinity_ = false;
  // Topology values per node of existing_keys_, of the pod's required affinity terms' keys
  // and of its required anti-affinity terms' keys (same order).
  std::vector<std::span<const Sym>> existing_values_;
  std::vector<std::span<const Sym>> affinity_values_;
  std::vector<std::span<const Sym>> anti_values_;
};

class InterPodAffinityScore final : public ScorePlugin {
 public:
  using ScorePlugin::ScorePlugin;
  PluginId id() const override { return PluginId::InterPodAffinity; }
  bool pre_score(const Cycle& c, std::span<const std::uint32_t> feasible) override;
  void score(const Cycle& c, std::span<const std::uint32_t> feasible, std::span<std::int64_t> out) const override;
  void normalize(std::span<std::int64_t> s) const override;

 private:
  PairCounts topology_score_;
  std::vector<Sym> keys_;
  std::vector<std::span<const Sym>> values_;  ///< topology values of keys_
};

/// Sorts and merges a PairCounts built by appending.
void finalize_counts(PairCounts& v);
std::int64_t lookup_count(const PairCounts& v, std::uint64_t key);

}  // namespace azsim::scheduler
