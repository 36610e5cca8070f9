// The framework: the ordered plugin set and the algorithms of one scheduling cycle
// (kube-scheduler schedule_one.go): PreFilter, the search for feasible nodes from a rotating
// start index that stops once enough are found, scoring, and selectHost's tie-break.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "models/scheduler/plugins.hpp"

namespace azsim::scheduler {

/// Returns a uniform index in [0, n); the caller's seeded random stream.
using TieBreak = std::function<std::uint64_t(std::uint64_t n)>;

/// numFeasibleNodesToFind: every node below 100 nodes; else `percentage` % (0 = adaptive
/// max(5, 50 - nodes/125)), but at least 100 nodes.
int num_feasible_nodes_to_find(int percentage, int num_nodes);

/// selectHost: the highest total; among equal totals, reservoir sampling in list order
/// (the k-th tie replaces the pick when tie_break(k) == 0), as kube-scheduler does with rand.Intn.
std::size_t select_host(std::span<const std::int64_t> totals, const TieBreak& tie_break);

/// A node a Filter plugin rejected.
struct Rejection {
  std::uint32_t node = 0;
  PluginId plugin = PluginId::NodeUnschedulable;
  Verdict verdict;
};

class Framework {
 public:
  explicit Framework(Context& ctx);

  /// Runs every PreFilter in order; the first rejection (or error) is returned with its plugin.
  /// Plugins returning Skip are not run at Filter.
  Status pre_filter(const Cycle& c);
  /// The enabled Filters in order on one node; false with the failing plugin on rejection.
  bool filter_node(const Cycle& c, const NodeInfo& n, Verdict& v, PluginId& failed) const;
  /// Every enabled Filter on one node, without stopping (for explain). Skipped ones get Skip.
  std::vector<Status> filter_all(const Cycle& c, const NodeInfo& n) const;

  /// findNodesThatPassFilters: nodes from order[start] on, wrapping, until `want` feasible
  /// nodes are found or all were checked. Returns how many nodes were processed.
  std::size_t find_feasible(const Cycle& c, std::span<const std::uint32_t> order, std::size_t start, std::size_t want,
                            std::vector<std::uint32_t>& feasible, std::vector<Rejection>& rejected) const;
  /// prioritizeNodes: weighted sum of the normalized scores of every plugin not skipped.
  void score(const Cycle& c, std::span<const std::uint32_t> feasible, std::vector<std::int64_t>& totals);

  Status to_status(PluginId p, const Verdict& v) const;
  VolumeBinding& volume_binding() { return *volume_binding_; }
  bool skipped(PluginId p) const { return skip_[static_cast<std::size_t>(p)]; }

 private:
  Context& ctx_;
  std::vector<std::unique_ptr<FilterPlugin>> filters_;
  std::array<bool, kNumFilterPlugins> skip_{};
  /// The filters pre_filter did not skip, in order: the per-node loop runs only these.
  std::vector<std::pair<const FilterPlugin*, PluginId>> active_;
  VolumeBinding* volume_binding_ = nullptr;
  struct Weighted {
    std::unique_ptr<ScorePlugin> plugin;
    int weight;
  };
  std::vector<Weighted> scorers_;
  std::vector<std::int64_t> scratch_;
};

}  // namespace azsim::scheduler
