// PodTopologySpread: Filter (DoNotSchedule constraints) and Score (ScheduleAnyway constraints,
// or the system defaults for pods of a Service/ReplicaSet/StatefulSet without constraints).
#include <algorithm>
#include <climits>
#include <cmath>

#include "models/scheduler/plugins.hpp"
#include "models/scheduler/reasons.hpp"

namespace azsim::scheduler {

namespace {

bool node_has_keys(const NodeInfo& n, const std::vector<SpreadConstraint>& cs) {
  for (const auto& c : cs)
    if (n.label_set.get(c.key) == nullptr) return false;
  return true;
}

bool tolerates_node_taints(const k8s::Pod& pod, const NodeInfo& n) {
  for (const auto& t : n.taints) {
    if (t.effect == k8s::TaintEffect::PreferNoSchedule) continue;
    if (std::none_of(pod.spec.tolerations.begin(), pod.spec.tolerations.end(),
                     [&](const k8s::Toleration& tol) { return tol.tolerates(t); }))
      return false;
  }
  return true;
}

bool has_node_constraints(const k8s::Pod& pod) {
  const auto& na = pod.spec.affinity.node_affinity;
  return !pod.spec.node_selector.empty() || (na && na->required);
}

/// Whether a node's pods count for constraint `c` (nodeInclusionPolicies).
bool node_included(const k8s::Pod& pod, const NodeInfo& n, const SpreadConstraint& c) {
  if (c.honor_node_affinity && has_node_constraints(pod) && !NodeAffinity::node_matches(pod, n)) return false;
  if (c.honor_node_taints && !tolerates_node_taints(pod, n)) return false;
  return true;
}

/// std::llround for the non-negative sums scoreForCount produces, without the library call:
/// below 2^52 the truncation and the fraction s - t are exact, so this rounds identically.
std::int64_t round_half_away(double s) {
  if (!(s >= 0 && s < 4503599627370496.0)) return std::llround(s);
  const auto t = static_cast<std::int64_t>(s);
  return s - static_cast<double>(t) >= 0.5 ? t + 1 : t;
}

void bump(std::vector<std::pair<Sym, std::int64_t>>& counts, Sym v, std::int64_t d) {
  auto it = std::lower_bound(counts.begin(), counts.end(), v, [](const auto& e, Sym k) { return e.first < k; });
  if (it != counts.end() && it->first == v) it->second += d;
}

void add_domain(std::vector<std::pair<Sym, std::int64_t>>& counts, Sym v) {
  auto it = std::lower_bound(counts.begin(), counts.end(), v, [](const auto& e, Sym k) { return e.first < k; });
  if (it == counts.end() || it->first != v) counts.insert(it, {v, 0});
}

/// helper.DefaultSelector: the selectors of the Services selecting the pod, plus its
/// controlling ReplicaSet's or StatefulSet's selector.
CompiledSelector default_selector(Context& ctx, const k8s::Pod& pod) {
  CompiledSelector sel;
  k8s::Labels merged;
  for (const auto& [k, svc] : ctx.store.table<k8s::Service>().items()) {
    if (svc->meta.ns != pod.meta.ns || svc->selector.empty()) continue;
    bool match = true;
    for (const auto& [lk, lv] : svc->selector) {
      auto it = pod.meta.labels.find(lk);
      if (it == pod.meta.labels.end() || it->second != lv) match = false;
    }
    if (match)
      for (const auto& [lk, lv] : svc->selector) merged[lk] = lv;
  }
  for (const auto& [lk, lv] : merged) sel.add_equals(ctx.syms.intern(lk), ctx.syms.intern(lv));
  const auto& owner = pod.meta.owner;
  if (owner && owner->controller) {
    const k8s::LabelSelector* ls = nullptr;
    if (owner->kind == "StatefulSet") {
      if (const auto* ss = ctx.store.get<k8s::StatefulSet>(pod.meta.ns, owner->name)) ls = &ss->selector;
    } else if (owner->kind == "ReplicaSet") {
      if (const auto* rs = ctx.store.get<k8s::ReplicaSet>(pod.meta.ns, owner->name)) ls = &rs->selector;
    }
    if (ls != nullptr) {
      CompiledSelector o = CompiledSelector::from(*ls, ctx.syms);
      for (auto& r : o.reqs) sel.reqs.push_back(std::move(r));
    }
  }
  return sel;
}

}  // namespace

std::int64_t SpreadConstraint::count(Sym domain) const {
  auto it = std::lower_bound(counts.begin(), counts.end(), domain, [](const auto& e, Sym k) { return e.first < k; });
  return it != counts.end() && it->first == domain ? it->second : 0;
}

std::int64_t SpreadConstraint::node_count(std::uint32_t node) const {
  return node < node_counts.size() ? node_counts[node] : 0;
}

void bind_topology_values(const Cache& cache, std::vector<SpreadConstraint>& cs) {
  for (auto& sc : cs) sc.values = cache.topology_values(sc.key);
}

std::vector<SpreadConstraint> spread_constraints(Context& ctx, const Cycle& c, bool for_scoring, bool* system_defaulted) {
  std::vector<SpreadConstraint> out;
  *system_defaulted = false;
  const k8s::Pod& pod = *c.pod;
  const Sym hostname = ctx.syms.intern(k8s::wellknown::kHostname);
  const auto want = for_scoring ? k8s::UnsatisfiableConstraintAction::ScheduleAnyway
                                : k8s::UnsatisfiableConstraintAction::DoNotSchedule;
  if (!pod.spec.topology_spread_constraints.empty()) {
    for (const auto& tc : pod.spec.topology_spread_constraints) {
      if (tc.when_unsatisfiable != want) continue;
      SpreadConstraint sc;
      sc.key = ctx.syms.intern(tc.topology_key);
      sc.hostname = sc.key == hostname;
      sc.max_skew = tc.max_skew;
      sc.min_domains = for_scoring ? 1 : tc.min_domains.value_or(1);
      sc.honor_node_affinity = tc.node_affinity_policy == k8s::NodeInclusionPolicy::Honor;
      sc.honor_node_taints = tc.node_taints_policy == k8s::NodeInclusionPolicy::Honor;
      sc.selector = tc.label_selector ? CompiledSelector::from(*tc.label_selector, ctx.syms) : CompiledSelector::nothing();
      if (tc.label_selector)
        for (const auto& k : tc.match_label_keys)
          if (auto it = pod.meta.labels.find(k); it != pod.meta.labels.end())
            sc.selector.add_equals(ctx.syms.intern(k), ctx.syms.intern(it->second));
      sc.self_match = sc.selector.matches(c.info.labels);
      out.push_back(std::move(sc));
    }
    return out;
  }
  if (!for_scoring || !ctx.cfg.system_default_spreading) return out;
  CompiledSelector sel = default_selector(ctx, pod);
  if (sel.empty()) return out;
  *system_defaulted = true;
  // podtopologyspread/plugin.go systemDefaultConstraints (FIDELITY A).
  const std::pair<const char*, int> defaults[] = {{k8s::wellknown::kHostname, 3}, {k8s::wellknown::kZone, 5}};
  for (const auto& [key, skew] : defaults) {
    SpreadConstraint sc;
    sc.key = ctx.syms.intern(key);
    sc.hostname = sc.key == hostname;
    sc.max_skew = skew;
    sc.selector = sel;
    sc.honor_node_affinity = true;
    sc.self_match = sel.matches(c.info.labels);
    out.push_back(std::move(sc));
  }
  return out;
}

// ---------------------------------------------------------------- Filter

Status PodTopologySpread::pre_filter(const Cycle& c) {
  bool sys = false;
  constraints_ = spread_constraints(ctx_, c, false, &sys);
  if (constraints_.empty()) return Status{Code::Skip, {}, {}};
  const k8s::Pod& pod = *c.pod;
  // Domains: the topology values of every node that has all the keys and passes the
  // constraint's node inclusion policies, with zero pods to start. Without per-pod inclusion
  // rules they depend only on the keys, and are cached until the node set changes.
  const bool per_pod = std::any_of(constraints_.begin(), constraints_.end(), [&](const SpreadConstraint& sc) {
    return sc.honor_node_taints || (sc.honor_node_affinity && has_node_constraints(pod));
  });
  if (!per_pod) {
    std::vector<Sym> keys;
    for (const auto& sc : constraints_) keys.push_back(sc.key);
    const DomainCache& dc = domains_for(keys);
    for (std::size_t i = 0; i < constraints_.size(); ++i)
      for (Sym v : dc.domains[i]) constraints_[i].counts.emplace_back(v, 0);
  } else {
    for (std::uint32_t slot : ctx_.cache.node_order()) {
      const NodeInfo& n = ctx_.cache.node(slot);
      if (!node_has_keys(n, constraints_)) continue;
      for (auto& sc : constraints_)
        if (node_included(pod, n, sc)) add_domain(sc.counts, *n.label_set.get(sc.key));
    }
  }
  for (auto& sc : constraints_) {
    if (sc.selector.empty() && !sc.selector.match_nothing) continue;  // countPodsMatchSelector: empty selector counts 0
    ctx_.cache.for_each_matching_count(c.info.ns, sc.selector, [&](std::uint32_t slot, std::int32_t count) {
      const NodeInfo& n = ctx_.cache.node(slot);
      if (node_has_keys(n, constraints_) && node_included(pod, n, sc)) bump(sc.counts, *n.label_set.get(sc.key), count);
    });
    sc.min_count = INT32_MAX;
    for (const auto& [v, n] : sc.counts) sc.min_count = std::min(sc.min_count, n);
  }
  bind_topology_values(ctx_.cache, constraints_);
  return Status::success();
}

const PodTopologySpread::DomainCache& PodTopologySpread::domains_for(const std::vector<Sym>& keys) {
  const std::uint64_t gen = ctx_.cache.node_generation();
  for (auto& dc : domain_cache_)
    if (dc.keys == keys) {
      if (dc.generation == gen) return dc;
      domain_cache_.erase(domain_cache_.begin() + (&dc - domain_cache_.data()));
      break;
    }
  DomainCache dc;
  dc.generation = gen;
  dc.keys = keys;
  dc.domains.resize(keys.size());
  for (std::uint32_t slot : ctx_.cache.node_order()) {
    const NodeInfo& n = ctx_.cache.node(slot);
    bool all = true;
    for (Sym k : keys) all = all && n.label_set.get(k) != nullptr;
    if (!all) continue;
    for (std::size_t i = 0; i < keys.size(); ++i) dc.domains[i].push_back(*n.label_set.get(keys[i]));
  }
  for (auto& d : dc.domains) {
    std::sort(d.begin(), d.end());
    d.erase(std::unique(d.begin(), d.end()), d.end());
  }
  domain_cache_.push_back(std::move(dc));
  return domain_cache_.back();
}

void PodTopologySpread::filter(const Cycle&, const NodeInfo& n, Verdict& v) const {
  for (const auto& sc : constraints_) {
    const Sym val = sc.values[n.slot];
    if (val == kNoSym) {
      v.add(Code::UnschedulableAndUnresolvable, ReasonTable::kSpreadMissingLabel);
      return;
    }
    // existing matching pods + self - global minimum <= maxSkew; with fewer eligible domains
    // than minDomains the global minimum is 0.
    const std::int64_t min = static_cast<std::int64_t>(sc.counts.size()) < sc.min_domains ? 0 : sc.min_count;
    const std::int64_t skew = sc.count(val) + (sc.self_match ? 1 : 0) - min;
    if (skew > sc.max_skew) {
      v.add(Code::Unschedulable, ReasonTable::kSpread);
      return;
    }
  }
}

// ---------------------------------------------------------------- Score

bool PodTopologySpreadScore::pre_score(const Cycle& c, std::span<const std::uint32_t> feasible) {
  bool sys = false;
  constraints_ = spread_constraints(ctx_, c, true, &sys);
  ignored_.clear();
  feasible_.assign(feasible.begin(), feasible.end());
  if (constraints_.empty() || feasible.empty()) return false;
  bind_topology_values(ctx_.cache, constraints_);
  const bool require_all = !sys;
  const k8s::Pod& pod = *c.pod;
  // The domains of the considered feasible nodes: marked by dense domain number in one pass
  // (no per-node search), then added in value order.
  domains_.resize(constraints_.size());
  seen_.resize(constraints_.size());
  for (std::size_t k = 0; k < constraints_.size(); ++k) {
    if (constraints_[k].hostname) continue;
    domains_[k] = ctx_.cache.topology_domains(constraints_[k].key);
    seen_[k].assign(domains_[k].values.size(), 0);
  }
  std::size_t considered = 0;
  for (std::uint32_t slot : feasible) {
    if (require_all && std::any_of(constraints_.begin(), constraints_.end(),
                                   [&](const SpreadConstraint& sc) { return sc.values[slot] == kNoSym; })) {
      ignored_.push_back(slot);
      continue;
    }
    ++considered;
    for (std::size_t k = 0; k < constraints_.size(); ++k)
      if (!constraints_[k].hostname)
        if (const std::uint32_t d = domains_[k].of_node[slot]; d != kNoDomain) seen_[k][d] = 1;
  }
  for (std::size_t k = 0; k < constraints_.size(); ++k)
    if (!constraints_[k].hostname)
      for (std::size_t d = 0; d < seen_[k].size(); ++d)
        if (seen_[k][d]) add_domain(constraints_[k].counts, domains_[k].values[d]);
  std::sort(ignored_.begin(), ignored_.end());
  const bool node_constrained = has_node_constraints(pod);
  for (std::size_t k = 0; k < constraints_.size(); ++k) {
    SpreadConstraint& sc = constraints_[k];
    const std::size_t size = sc.hostname ? considered : sc.counts.size();
    sc.weight = std::log(static_cast<double>(size + 2));
    if (sc.selector.empty() || sc.selector.match_nothing) continue;
    if (sc.hostname) {  // read per node in score(), which sees present nodes only
      sc.node_counts = ctx_.cache.matching_pods_per_node(c.info.ns, sc.selector);
      continue;
    }
    // Matching pods per domain: summed by dense domain id, then added to the domains of the
    // considered nodes.
    const auto& of_node = domains_[k].of_node;
    dense_counts_.assign(domains_[k].values.size(), 0);
    ctx_.cache.for_each_matching_count(c.info.ns, sc.selector, [&](std::uint32_t slot, std::int32_t count) {
      if (slot >= of_node.size() || of_node[slot] == kNoDomain) return;
      const NodeInfo& n = ctx_.cache.node(slot);
      if (node_constrained && !NodeAffinity::node_matches(pod, n)) return;
      if (require_all && !node_has_keys(n, constraints_)) return;
      dense_counts_[of_node[slot]] += count;
    });
    for (std::size_t d = 0; d < dense_counts_.size(); ++d)
      if (dense_counts_[d] != 0) bump(sc.counts, domains_[k].values[d], dense_counts_[d]);
  }
  return true;
}

void PodTopologySpreadScore::score(const Cycle&, std::span<const std::uint32_t> feasible,
                                   std::span<std::int64_t> out) const {
  for (std::size_t i = 0; i < feasible.size(); ++i) {
    const std::uint32_t node = feasible[i];
    if (!ignored_.empty() && std::binary_search(ignored_.begin(), ignored_.end(), node)) {
      out[i] = 0;
      continue;
    }
    double s = 0;
    for (const auto& sc : constraints_) {
      const Sym v = sc.values[node];
      if (v == kNoSym) continue;
      const std::int64_t cnt = sc.hostname ? sc.node_count(node) : sc.count(v);
      s += static_cast<double>(cnt) * sc.weight + static_cast<double>(sc.max_skew - 1);  // scoreForCount
    }
    out[i] = round_half_away(s);
  }
}

void PodTopologySpreadScore::normalize(std::span<std::int64_t> scores) const {
  auto ignored = [&](std::size_t i) {
    return !ignored_.empty() && std::binary_search(ignored_.begin(), ignored_.end(), feasible_[i]);
  };
  std::int64_t min = INT64_MAX, max = 0;
  for (std::size_t i = 0; i < scores.size(); ++i) {
    if (ignored(i)) continue;
    min = std::min(min, scores[i]);
    max = std::max(max, scores[i]);
  }
  for (std::size_t i = 0; i < scores.size(); ++i) {
    if (ignored(i)) {
      scores[i] = 0;
      continue;
    }
    scores[i] = max == 0 ? 100 : divide(100 * (max + min - scores[i]), max);
  }
}

}  // namespace azsim::scheduler
