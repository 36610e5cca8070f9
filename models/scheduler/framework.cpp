#include "models/scheduler/framework.hpp"

#include <algorithm>

namespace azsim::scheduler {

int num_feasible_nodes_to_find(int percentage, int num_nodes) {
  constexpr int kMinFeasibleNodesToFind = 100;
  constexpr int kMinFeasibleNodesPercentageToFind = 5;
  if (num_nodes < kMinFeasibleNodesToFind) return num_nodes;
  int pct = percentage;
  if (pct <= 0) {
    pct = 50 - num_nodes / 125;
    if (pct < kMinFeasibleNodesPercentageToFind) pct = kMinFeasibleNodesPercentageToFind;
  }
  if (pct >= 100) return num_nodes;
  const int n = num_nodes * pct / 100;
  return n < kMinFeasibleNodesToFind ? kMinFeasibleNodesToFind : n;
}

std::size_t select_host(std::span<const std::int64_t> totals, const TieBreak& tie_break) {
  std::size_t selected = 0;
  std::int64_t max = totals[0];
  std::uint64_t count = 1;
  for (std::size_t i = 1; i < totals.size(); ++i) {
    if (totals[i] > max) {
      max = totals[i];
      selected = i;
      count = 1;
    } else if (totals[i] == max) {
      ++count;
      if (tie_break(count) == 0) selected = i;  // replace with probability 1/count
    }
  }
  return selected;
}

Framework::Framework(Context& ctx) : ctx_(ctx) {
  filters_.push_back(std::make_unique<NodeUnschedulable>(ctx));
  filters_.push_back(std::make_unique<NodeName>(ctx));
  filters_.push_back(std::make_unique<TaintToleration>(ctx));
  filters_.push_back(std::make_unique<NodeAffinity>(ctx));
  filters_.push_back(std::make_unique<NodePorts>(ctx));
  filters_.push_back(std::make_unique<NodeResourcesFit>(ctx));
  filters_.push_back(std::make_unique<VolumeRestrictions>(ctx));
  filters_.push_back(std::make_unique<NodeVolumeLimits>(ctx));
  auto vb = std::make_unique<VolumeBinding>(ctx);
  volume_binding_ = vb.get();
  filters_.push_back(std::move(vb));
  filters_.push_back(std::make_unique<VolumeZone>(ctx));
  filters_.push_back(std::make_unique<PodTopologySpread>(ctx));
  filters_.push_back(std::make_unique<InterPodAffinity>(ctx));
  const ScoreWeights& w = ctx.cfg.weights;
  scorers_.push_back({std::make_unique<TaintTolerationScore>(ctx), w.taint_toleration});
  scorers_.push_back({std::make_unique<NodeAffinityScore>(ctx), w.node_affinity});
  scorers_.push_back({std::make_unique<PodTopologySpreadScore>(ctx), w.pod_topology_spread});
  scorers_.push_back({std::make_unique<InterPodAffinityScore>(ctx), w.inter_pod_affinity});
  scorers_.push_back({std::make_unique<LeastAllocatedScore>(ctx), w.node_resources_fit});
  scorers_.push_back({std::make_unique<BalancedAllocationScore>(ctx), w.balanced_allocation});
  scorers_.push_back({std::make_unique<ImageLocalityScore>(ctx), w.image_locality});
}

Status Framework::pre_filter(const Cycle& c) {
  skip_.fill(false);
  active_.clear();
  for (auto& f : filters_) {
    Status s = f->pre_filter(c);
    if (s.code == Code::Skip) {
      skip_[static_cast<std::size_t>(f->id())] = true;
      continue;
    }
    if (!s.ok()) {
      if (s.plugin.empty()) s.plugin = plugin_name(f->id());
      return s;
    }
    if (!f->accepts_every_node()) active_.emplace_back(f.get(), f->id());
  }
  return Status::success();
}

bool Framework::filter_node(const Cycle& c, const NodeInfo& n, Verdict& v, PluginId& failed) const {
  for (const auto& [f, id] : active_) {
    // Two filters can only reject a node that is unschedulable or tainted: on the usual node
    // they are not called at all (their code in plugins_node.cpp checks exactly this first).
    if (id == PluginId::NodeUnschedulable && !n.unschedulable) continue;
    if (id == PluginId::TaintToleration && n.taints.empty()) continue;
    f->filter(c, n, v);
    if (!v.ok()) {
      failed = id;
      return false;
    }
  }
  return true;
}

std::vector<Status> Framework::filter_all(const Cycle& c, const NodeInfo& n) const {
  std::vector<Status> out;
  for (const auto& f : filters_) {
    if (skip_[static_cast<std::size_t>(f->id())]) {
      out.push_back(Status{Code::Skip, {}, plugin_name(f->id())});
      continue;
    }
    Verdict v;
    f->filter(c, n, v);
    Status s = to_status(f->id(), v);
    s.plugin = plugin_name(f->id());
    out.push_back(std::move(s));
  }
  return out;
}

namespace {
constexpr std::size_t kPrefetchAhead = 6;
}  // namespace

std::size_t Framework::find_feasible(const Cycle& c, std::span<const std::uint32_t> order, std::size_t start,
                                     std::size_t want, std::vector<std::uint32_t>& feasible,
                                     std::vector<Rejection>& rejected) const {
  feasible.clear();
  rejected.clear();
  const std::size_t n = order.size();
  if (n == 0) return 0;
  feasible.reserve(std::min(want, n));
  std::size_t processed = 0;
  std::size_t at = start % n;  // order[(start + i) % n] without a division per node
  for (std::size_t i = 0; i < n && feasible.size() < want; ++i) {
    const std::uint32_t slot = order[at];
    if (++at == n) at = 0;
    // The hot lines of a node a few places ahead are fetched while this one is filtered: a
    // node's filters take less time than a memory access, and nodeTree order is not memory
    // order, so the hardware prefetcher cannot guess them.
    std::size_t ahead = at + kPrefetchAhead;
    while (ahead >= n) ahead -= n;
    const char* next = reinterpret_cast<const char*>(&ctx_.cache.node(order[ahead]));
    __builtin_prefetch(next);
    __builtin_prefetch(next + 64);
    __builtin_prefetch(next + 128);  // read by Score
    Verdict v;
    PluginId failed{};
    if (filter_node(c, ctx_.cache.node(slot), v, failed)) feasible.push_back(slot);
    else rejected.push_back({slot, failed, v});
    ++processed;
  }
  return processed;
}

void Framework::score(const Cycle& c, std::span<const std::uint32_t> feasible, std::vector<std::int64_t>& totals) {
  totals.assign(feasible.size(), 0);
  for (auto& [plugin, weight] : scorers_) {
    if (weight == 0 || !plugin->pre_score(c, feasible)) continue;
    scratch_.resize(feasible.size());
    plugin->score(c, feasible, scratch_);
    plugin->normalize(scratch_);
    for (std::size_t i = 0; i < feasible.size(); ++i) totals[i] += scratch_[i] * weight;
  }
}

Status Framework::to_status(PluginId p, const Verdict& v) const {
  Status s;
  s.code = v.code;
  if (v.ok()) return s;
  s.plugin = plugin_name(p);
  for (std::size_t i = 0; i < v.n; ++i) s.reasons.push_back(ctx_.reasons.str(v.reasons[i]));
  return s;
}

}  // namespace azsim::scheduler
