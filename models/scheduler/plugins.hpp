// The plugin interfaces of the framework and the in-tree plugins azsim runs. A plugin keeps its
// PreFilter/PreScore results as members (one cycle at a time), so Filter and Score read them
// without lookups. Extension points:
//   PreFilter (per pod): Success, Skip (its Filter is not run), or a rejection of every node;
//   Filter (per node): the first failing plugin decides the node's status;
//   PreScore / Score (per feasible node) / NormalizeScore to 0..100, then weighted;
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
  virtual void filter(const Cycle& c, const NodeInfo& n, Verdict& v) const = 0;

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
  virtual std::int64_t score(const Cycle& c, std::uint32_t node) const = 0;
  virtual void normalize(std::span<std::int64_t> scores) const { (void)scores; }

 protected:
  Context& ctx_;
};

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
};

class TaintTolerationScore final : public ScorePlugin {
 public:
  using ScorePlugin::ScorePlugin;
  PluginId id() const override { return PluginId::TaintToleration; }
  bool pre_score(const Cycle& c, std::span<const std::uint32_t> feasible) override;
  std::int64_t score(const Cycle& c, std::uint32_t node) const override;
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
  std::int64_t score(const Cycle& c, std::uint32_t node) const override;
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
  std::int64_t score(const Cycle& c, std::uint32_t node) const override;
};

class BalancedAllocationScore final : public ScorePlugin {
 public:
  using ScorePlugin::ScorePlugin;
  PluginId id() const override { return PluginId::NodeResourcesBalancedAllocation; }
  bool pre_score(const Cycle&, std::span<const std::uint32_t>) override { return true; }
  std::int64_t score(const Cycle& c, std::uint32_t node) const override;
};

/// ImageLocality: container images are not modelled, so no node has any image and the
/// plugin's score is 0 everywhere; it is kept for the weights table and skipped.
class ImageLocalityScore final : public ScorePlugin {
 public:
  using ScorePlugin::ScorePlugin;
  PluginId id() const override { return PluginId::ImageLocality; }
  bool pre_score(const Cycle&, std::span<const std::uint32_t>) override { return false; }
  std::int64_t score(const Cycle&, std::uint32_t) const override { return 0; }
};

// ---------------------------------------------------------------- volume plugins

class VolumeRestrictions final : public FilterPlugin {
 public:
  using FilterPlugin::FilterPlugin;
  PluginId id() const override { return PluginId::VolumeRestrictions; }
  Status pre_filter(const Cycle& c) override;
  void filter(const Cycle& c, const NodeInfo& n, Verdict& v) const override;

 private:
  bool rwop_conflict_ = false;
};

class NodeVolumeLimits final : public FilterPlugin {
 public:
  using FilterPlugin::FilterPlugin;
  PluginId id() const override { return PluginId::NodeVolumeLimits; }
  Status pre_filter(const Cycle& c) override;
  void filter(const Cycle& c, const NodeInfo& n, Verdict& v) const override;
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
  /// Static PVs chosen for the unbound claims on a node (nullptr: provision); false if none fits.
  bool match_unbound(const NodeInfo& n, std::vector<const k8s::PersistentVolume*>* chosen, bool* bind_conflict) const;

  std::vector<const k8s::PersistentVolume*> bound_;
  bool missing_pv_ = false;
  std::vector<Unbound> unbound_;
};

class VolumeZone final : public FilterPlugin {
 public:
  using FilterPlugin::FilterPlugin;
  PluginId id() const override { return PluginId::VolumeZone; }
  Status pre_filter(const Cycle& c) override;
  void filter(const Cycle& c, const NodeInfo& n, Verdict& v) const override;

 private:
  struct Req {
    Sym key = kNoSym;
    Sym ga_key = kNoSym;       ///< the GA label a beta key may also match
    std::vector<Sym> values;   ///< allowed values ("a__b" split), sorted
  };
  std::vector<Req> reqs_;
  std::array<Sym, 4> topology_keys_{kNoSym, kNoSym, kNoSym, kNoSym};
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
  std::vector<std::pair<std::uint32_t, std::int64_t>> node_counts;  ///< scoring, hostname key

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
  std::int64_t score(const Cycle& c, std::uint32_t node) const override;
  void normalize(std::span<std::int64_t> s) const override;

 private:
  std::vector<SpreadConstraint> constraints_;
  std::vector<std::uint32_t> ignored_;  ///< sorted node slots
  std::vector<std::uint32_t> feasible_;
};

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
  PairCounts existing_anti_;
  std::vector<Sym> existing_keys_;
  PairCounts affinity_;
  PairCounts anti_;
  bool self_matches_affinity_ = false;
};

class InterPodAffinityScore final : public ScorePlugin {
 public:
  using ScorePlugin::ScorePlugin;
  PluginId id() const override { return PluginId::InterPodAffinity; }
  bool pre_score(const Cycle& c, std::span<const std::uint32_t> feasible) override;
  std::int64_t score(const Cycle& c, std::uint32_t node) const override;
  void normalize(std::span<std::int64_t> s) const override;

 private:
  PairCounts topology_score_;
  std::vector<Sym> keys_;
};

/// Sorts and merges a PairCounts built by appending.
void finalize_counts(PairCounts& v);
std::int64_t lookup_count(const PairCounts& v, std::uint64_t key);

}  // namespace azsim::scheduler
