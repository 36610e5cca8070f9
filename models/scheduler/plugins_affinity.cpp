// InterPodAffinity: Filter (required terms of the pod and of existing pods) and Score
// (preferred terms both ways, existing pods' required affinity at hardPodAffinityWeight).
// PreFilter counts matching pods per topology pair through the cache's label indexes instead
// of walking every pod of every node, with the same result as kube-scheduler's full scan.
#include <algorithm>
#include <climits>

#include "models/scheduler/plugins.hpp"

namespace azsim::scheduler {

void finalize_counts(PairCounts& v) {
  if (v.empty()) return;
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::size_t out = 0;  // merged in place: equal keys are adjacent, their counts summed
  for (std::size_t i = 1; i < v.size(); ++i) {
    if (v[out].first == v[i].first) v[out].second += v[i].second;
    else v[++out] = v[i];
  }
  v.resize(out + 1);
}

std::int64_t lookup_count(const PairCounts& v, std::uint64_t key) {
  auto it = std::lower_bound(v.begin(), v.end(), key, [](const auto& e, std::uint64_t k) { return e.first < k; });
  return it != v.end() && it->first == key ? it->second : 0;
}

namespace {

bool matches_all(const std::vector<AffinityTerm>& terms, Sym ns, const LabelSet& labels) {
  if (terms.empty()) return false;
  for (const auto& t : terms)
    if (!t.matches(ns, labels)) return false;
  return true;
}

void keys_of(const PairCounts& v, std::vector<Sym>& keys) {
  keys.clear();
  for (const auto& e : v) keys.push_back(static_cast<Sym>(e.first >> 32));
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
}

}  // namespace

Status InterPodAffinity::pre_filter(const Cycle& c) {
  // The state left by the last pre_filter is reused while nothing it read changed.
  const PreFilterKey key = PreFilterKey::of(c, ctx_.cache, true, true, false);
  return memo_.run(key, [&] { return compute(c); });
}

Status InterPodAffinity::compute(const Cycle& c) {
  existing_anti_.clear();
  affinity_.clear();
  anti_.clear();
  const PodInfo& in = c.info;
  Cache& cache = ctx_.cache;
  // Existing pods whose required anti-affinity terms select the incoming pod.
  cache.for_each_anti_term(in.labels, [&](const TermRef& r) {
    const PodInfo& ep = cache.pod(r.pod);
    const AffinityTerm& t = term_of(ep, r);
    if (!t.matches(in.ns, in.labels)) return;
    if (const Sym* v = cache.node(ep.node).label_set.get(t.topology_key)) existing_anti_.emplace_back(pack(t.topology_key, *v), 1);
  });
  finalize_counts(existing_anti_);
  keys_of(existing_anti_, existing_keys_);
  // Existing pods matching ALL the incoming pod's required affinity terms.
  if (!in.required_affinity.empty()) {
    cache.for_each_candidate(in.required_affinity.front().selector, [&](std::uint32_t s) {
      const PodInfo& ep = cache.pod(s);
      if (!matches_all(in.required_affinity, ep.ns, ep.labels)) return;
      const NodeInfo& n = cache.node(ep.node);
      for (const auto& t : in.required_affinity)
        if (const Sym* v = n.label_set.get(t.topology_key)) affinity_.emplace_back(pack(t.topology_key, *v), 1);
    });
  }
  finalize_counts(affinity_);
  self_matches_affinity_ = matches_all(in.required_affinity, in.ns, in.labels);
  // Existing pods matching each of the incoming pod's required anti-affinity terms.
  for (const auto& t : in.required_anti_affinity)
    cache.for_each_candidate(t.selector, [&](std::uint32_t s) {
      const PodInfo& ep = cache.pod(s);
      if (!t.matches(ep.ns, ep.labels)) return;
      if (const Sym* v = cache.node(ep.node).label_set.get(t.topology_key)) anti_.emplace_back(pack(t.topology_key, *v), 1);
    });
  finalize_counts(anti_);
  if (existing_anti_.empty() && in.required_affinity.empty() && in.required_anti_affinity.empty())
    return Status{Code::Skip, {}, {}};
  existing_values_.clear();
  affinity_values_.clear();
  anti_values_.clear();
  for (Sym k : existing_keys_) existing_values_.push_back(cache.topology_values(k));
  for (const auto& t : in.required_affinity) affinity_values_.push_back(cache.topology_values(t.topology_key));
  for (const auto& t : in.required_anti_affinity) anti_values_.push_back(cache.topology_values(t.topology_key));
  return Status::success();
}

void InterPodAffinity::filter(const Cycle& c, const NodeInfo& n, Verdict& v) const {
  const PodInfo& in = c.info;
  // satisfyPodAffinity: every topology key present; matching pods in each term's domain, or
  // no pod anywhere matches and the pod matches its own terms (the first pod of a group).
  bool pods_exist = true;
  for (std::size_t i = 0; i < in.required_affinity.size(); ++i) {
    const Sym val = affinity_values_[i][n.slot];
    if (val == kNoSym) {
      v.add(Code::UnschedulableAndUnresolvable, ReasonTable::kPodAffinity);
      return;
    }
    if (lookup_count(affinity_, pack(in.required_affinity[i].topology_key, val)) <= 0) pods_exist = false;
  }
  if (!pods_exist && !(affinity_.empty() && self_matches_affinity_)) {
    v.add(Code::UnschedulableAndUnresolvable, ReasonTable::kPodAffinity);
    return;
  }
  if (!anti_.empty())
    for (std::size_t i = 0; i < in.required_anti_affinity.size(); ++i)
      if (const Sym val = anti_values_[i][n.slot];
          val != kNoSym && lookup_count(anti_, pack(in.required_anti_affinity[i].topology_key, val)) > 0) {
        v.add(Code::Unschedulable, ReasonTable::kPodAntiAffinity);
        return;
      }
  for (std::size_t i = 0; i < existing_keys_.size(); ++i)
    if (const Sym val = existing_values_[i][n.slot];
        val != kNoSym && lookup_count(existing_anti_, pack(existing_keys_[i], val)) > 0) {
      v.add(Code::Unschedulable, ReasonTable::kExistingAntiAffinity);
      return;
    }
}

bool InterPodAffinityScore::pre_score(const Cycle& c, std::span<const std::uint32_t>) {
  topology_score_.clear();
  const PodInfo& in = c.info;
  Cache& cache = ctx_.cache;
  auto add_on_node_of = [&](const PodInfo& ep, Sym key, std::int64_t w) {
    if (const Sym* v = cache.node(ep.node).label_set.get(key)) topology_score_.emplace_back(pack(key, *v), w);
  };
  for (const auto& t : in.preferred_affinity)
    cache.for_each_candidate(t.selector, [&](std::uint32_t s) {
      const PodInfo& ep = cache.pod(s);
      if (t.matches(ep.ns, ep.labels)) add_on_node_of(ep, t.topology_key, t.weight);
    });
  for (const auto& t : in.preferred_anti_affinity)
    cache.for_each_candidate(t.selector, [&](std::uint32_t s) {
      const PodInfo& ep = cache.pod(s);
      if (t.matches(ep.ns, ep.labels)) add_on_node_of(ep, t.topology_key, -t.weight);
    });
  const std::int64_t hard = ctx_.cfg.hard_pod_affinity_weight;
  cache.for_each_score_term(in.labels, [&](const TermRef& r) {
    const PodInfo& ep = cache.pod(r.pod);
    const AffinityTerm& t = term_of(ep, r);
    if (!t.matches(in.ns, in.labels)) return;
    std::int64_t w = 0;
    if (r.kind == kRequiredAffinity) w = hard;
    else if (r.kind == kPreferredAffinity) w = t.weight;
    else w = -t.weight;
    if (w != 0) add_on_node_of(ep, t.topology_key, w);
  });
  finalize_counts(topology_score_);
  keys_of(topology_score_, keys_);
  values_.clear();
  for (Sym k : keys_) values_.push_back(cache.topology_values(k));
  return !topology_score_.empty();
}

void InterPodAffinityScore::score(const Cycle&, std::span<const std::uint32_t> feasible,
                                  std::span<std::int64_t> out) const {
  for (std::size_t i = 0; i < feasible.size(); ++i) {
    std::int64_t s = 0;
    for (std::size_t k = 0; k < keys_.size(); ++k)
      if (const Sym v = values_[k][feasible[i]]; v != kNoSym) s += lookup_count(topology_score_, pack(keys_[k], v));
    out[i] = s;
  }
}

void InterPodAffinityScore::normalize(std::span<std::int64_t> scores) const {
  std::int64_t min = INT64_MAX, max = INT64_MIN;
  for (auto s : scores) {
    min = std::min(min, s);
    max = std::max(max, s);
  }
  const std::int64_t diff = max - min;
  for (auto& s : scores) {
    double f = 0;
    if (diff > 0) f = 100.0 * (static_cast<double>(s - min) / static_cast<double>(diff));
    s = static_cast<std::int64_t>(f);
  }
}

}  // namespace azsim::scheduler
