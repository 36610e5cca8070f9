// Node-level plugins: NodeUnschedulable, NodeName, TaintToleration, NodeAffinity, NodePorts,
// NodeResourcesFit, and their scores (TaintToleration, NodeAffinity, LeastAllocated,
// BalancedAllocation).
#include <algorithm>
#include <cmath>

#include "models/scheduler/plugins.hpp"
#include "models/scheduler/reasons.hpp"

namespace azsim::scheduler {

void default_normalize(std::span<std::int64_t> scores, bool reverse) {
  std::int64_t max_count = 0;
  for (auto s : scores) max_count = std::max(max_count, s);
  if (max_count == 0) {
    if (reverse)
      for (auto& s : scores) s = 100;
    return;
  }
  for (auto& s : scores) {
    std::int64_t v = divide(100 * s, max_count);
    s = reverse ? 100 - v : v;
  }
}

// NodeUnschedulable: spec.unschedulable rejects pods that do not tolerate the
// node.kubernetes.io/unschedulable:NoSchedule taint.
Status NodeUnschedulable::pre_filter(const Cycle& c) {
  const k8s::Taint t{k8s::wellknown::kTaintUnschedulable, "", k8s::TaintEffect::NoSchedule, std::nullopt};
  tolerates_ = std::any_of(c.pod->spec.tolerations.begin(), c.pod->spec.tolerations.end(),
                           [&](const k8s::Toleration& tol) { return tol.tolerates(t); });
  return Status::success();
}

void NodeUnschedulable::filter(const Cycle&, const NodeInfo& n, Verdict& v) const {
  if (n.unschedulable && !tolerates_) v.add(Code::UnschedulableAndUnresolvable, ReasonTable::kNodeUnschedulable);
}

Status NodeName::pre_filter(const Cycle& c) {
  return c.pod->spec.node_name.empty() ? Status{Code::Skip, {}, {}} : Status::success();
}

void NodeName::filter(const Cycle& c, const NodeInfo& n, Verdict& v) const {
  if (!c.pod->spec.node_name.empty() && c.pod->spec.node_name != n.name)
    v.add(Code::UnschedulableAndUnresolvable, ReasonTable::kNodeName);
}

// TaintToleration: the first NoSchedule/NoExecute taint no toleration tolerates
// (v1helper.FindMatchingUntoleratedTaint).
void TaintToleration::filter(const Cycle& c, const NodeInfo& n, Verdict& v) const {
  for (const auto& t : n.taints) {
    if (t.effect == k8s::TaintEffect::PreferNoSchedule) continue;
    bool tolerated = false;
    for (const auto& tol : c.pod->spec.tolerations)
      if (tol.tolerates(t)) {
        tolerated = true;
        break;
      }
    if (!tolerated) {
      v.add(Code::UnschedulableAndUnresolvable, reason_id(t));
      return;
    }
  }
}

std::uint32_t TaintToleration::reason_id(const k8s::Taint& t) const {
  // The reason text depends on the taint's key and value only; a cluster carries a handful of
  // distinct taints, so a short list spares building and hashing the text on every node.
  constexpr std::size_t kMaxMemo = 32;
  for (const auto& m : memo_)
    if (m.key == t.key && m.value == t.value) return m.id;
  const std::uint32_t id = ctx_.reasons.intern(reasons::untolerated_taint(ctx_.cfg.version, t));
  if (memo_.size() < kMaxMemo) memo_.push_back({t.key, t.value, id});
  return id;
}

bool TaintTolerationScore::pre_score(const Cycle& c, std::span<const std::uint32_t>) {
  prefer_.clear();
  for (const auto& t : c.pod->spec.tolerations)
    if (!t.effect || *t.effect == k8s::TaintEffect::PreferNoSchedule) prefer_.push_back(&t);
  return true;
}

void TaintTolerationScore::score(const Cycle&, std::span<const std::uint32_t> feasible, std::span<std::int64_t> out) const {
  for (std::size_t i = 0; i < feasible.size(); ++i) {
    std::int64_t n = 0;
    for (const auto& t : ctx_.cache.node(feasible[i]).taints) {
      if (t.effect != k8s::TaintEffect::PreferNoSchedule) continue;
      if (std::none_of(prefer_.begin(), prefer_.end(), [&](const k8s::Toleration* tol) { return tol->tolerates(t); })) ++n;
    }
    out[i] = n;
  }
}

// NodeAffinity: nodeSelector (every pair) and requiredDuringScheduling terms (ORed).
bool NodeAffinity::node_matches(const k8s::Pod& pod, const NodeInfo& n) {
  for (const auto& [k, val] : pod.spec.node_selector) {
    auto it = n.labels.find(k);
    if (it == n.labels.end() || it->second != val) return false;
  }
  const auto& na = pod.spec.affinity.node_affinity;
  if (na && na->required && !na->required->matches(n.labels, n.name)) return false;
  return true;
}

Status NodeAffinity::pre_filter(const Cycle& c) {
  selector_.clear();
  for (const auto& [k, val] : c.pod->spec.node_selector) selector_.push_back({ctx_.syms.intern(k), ctx_.syms.intern(val)});
  const auto& na = c.pod->spec.affinity.node_affinity;
  required_ = na && na->required ? &*na->required : nullptr;
  if (selector_.empty() && required_ == nullptr) return Status{Code::Skip, {}, {}};
  return Status::success();
}

void NodeAffinity::filter(const Cycle&, const NodeInfo& n, Verdict& v) const {
  for (const auto& p : selector_) {
    const Sym* val = n.label_set.get(p.key);
    if (val == nullptr || *val != p.value) {
      v.add(Code::UnschedulableAndUnresolvable, ReasonTable::kNodeAffinity);
      return;
    }
  }
  if (required_ != nullptr && !required_->matches(n.labels, n.name))
    v.add(Code::UnschedulableAndUnresolvable, ReasonTable::kNodeAffinity);
}

bool NodeAffinityScore::pre_score(const Cycle& c, std::span<const std::uint32_t>) {
  const auto& na = c.pod->spec.affinity.node_affinity;
  terms_ = na && !na->preferred.empty() ? &na->preferred : nullptr;
  return terms_ != nullptr;
}

void NodeAffinityScore::score(const Cycle&, std::span<const std::uint32_t> feasible, std::span<std::int64_t> out) const {
  for (std::size_t i = 0; i < feasible.size(); ++i) {
    const NodeInfo& n = ctx_.cache.node(feasible[i]);
    std::int64_t s = 0;
    for (const auto& t : *terms_)
      if (t.weight != 0 && t.preference.matches(n.labels, n.name)) s += t.weight;
    out[i] = s;
  }
}

// NodePorts: a wanted host port conflicts with a used one of the same protocol and port when
// either address is the wildcard or both are equal (HostPortInfo.CheckConflict).
Status NodePorts::pre_filter(const Cycle& c) {
  wildcard_ = ctx_.syms.intern("");
  return c.info.host_ports.empty() ? Status{Code::Skip, {}, {}} : Status::success();
}

void NodePorts::filter(const Cycle& c, const NodeInfo& n, Verdict& v) const {
  const Sym wildcard = wildcard_;
  for (const auto& want : c.info.host_ports)
    for (const auto& used : n.used_ports)
      if (want.port == used.port && want.protocol == used.protocol &&
          (want.ip == used.ip || want.ip == wildcard || used.ip == wildcard)) {
        v.add(Code::Unschedulable, ReasonTable::kNodePorts);
        return;
      }
}

// NodeResourcesFit (fit.go fitsRequest): pods first, then cpu, memory, ephemeral storage.
// From 1.34 a request larger than the whole node is UnschedulableAndUnresolvable (k/k #131345).
void NodeResourcesFit::filter(const Cycle& c, const NodeInfo& n, Verdict& v) const {
  const bool unresolvable_ok = ctx_.cfg.version.at_least(1, 34);
  if (n.num_pods + 1 > n.allocatable.pods) v.add(Code::Unschedulable, ReasonTable::kTooManyPods);
  const k8s::Resources& r = c.info.requests;
  if (r.milli_cpu == 0 && r.memory == 0 && r.ephemeral_storage == 0) return;
  auto check = [&](std::int64_t req, std::int64_t alloc, std::int64_t used, std::uint32_t reason) {
    if (req > 0 && req > alloc - used)
      v.add(unresolvable_ok && req > alloc ? Code::UnschedulableAndUnresolvable : Code::Unschedulable, reason);
  };
  check(r.milli_cpu, n.allocatable.milli_cpu, n.requested.milli_cpu, ReasonTable::kInsufficientCpu);
  check(r.memory, n.allocatable.memory, n.requested.memory, ReasonTable::kInsufficientMemory);
  check(r.ephemeral_storage, n.allocatable.ephemeral_storage, n.requested.ephemeral_storage,
        ReasonTable::kInsufficientEphemeral);
}

// LeastAllocated: mean over cpu and memory of (allocatable - requested) * 100 / allocatable,
// with non-zero default requests (least_allocated.go).
void LeastAllocatedScore::score(const Cycle& c, std::span<const std::uint32_t> feasible, std::span<std::int64_t> out) const {
  auto one = [](std::int64_t requested, std::int64_t capacity) -> std::int64_t {
    if (capacity == 0 || requested > capacity) return 0;
    return divide((capacity - requested) * 100, capacity);
  };
  for (std::size_t i = 0; i < feasible.size(); ++i) {
    const NodeInfo& n = ctx_.cache.node(feasible[i]);
    std::int64_t sum = 0, weights = 0;
    if (n.allocatable.milli_cpu != 0) {
      sum += one(n.non_zero_requested.milli_cpu + c.info.non_zero.milli_cpu, n.allocatable.milli_cpu);
      weights += 1;
    }
    if (n.allocatable.memory != 0) {
      sum += one(n.non_zero_requested.memory + c.info.non_zero.memory, n.allocatable.memory);
      weights += 1;
    }
    out[i] = weights == 2 ? sum / 2 : sum;  // weights is 0 (then sum is 0), 1 or 2
  }
}

// BalancedAllocation: (1 - |cpu fraction - memory fraction| / 2) * 100 on actual requests
// (balanced_allocation.go with two resources).
void BalancedAllocationScore::score(const Cycle& c, std::span<const std::uint32_t> feasible,
                                    std::span<std::int64_t> out) const {
  for (std::size_t i = 0; i < feasible.size(); ++i) {
    const NodeInfo& n = ctx_.cache.node(feasible[i]);
    double f[2];
    int k = 0;
    auto frac = [&](std::int64_t requested, std::int64_t alloc) {
      if (alloc == 0) return;
      double x = static_cast<double>(requested) / static_cast<double>(alloc);
      f[k++] = x > 1 ? 1 : x;
    };
    frac(n.requested.milli_cpu + c.info.requests.milli_cpu, n.allocatable.milli_cpu);
    frac(n.requested.memory + c.info.requests.memory, n.allocatable.memory);
    const double std_dev = k == 2 ? std::fabs((f[0] - f[1]) / 2) : 0.0;
    out[i] = static_cast<std::int64_t>((1 - std_dev) * 100.0);
  }
}

}  // namespace azsim::scheduler
