#include "models/scheduler/symbols.hpp"

#include <algorithm>

namespace azsim::scheduler {

Sym SymbolTable::intern(std::string_view s) {
  if (auto it = ids_.find(s); it != ids_.end()) return it->second;
  const Sym id = static_cast<Sym>(names_.size());
  names_.emplace_back(s);
  ids_.emplace(names_.back(), id);
  return id;
}

Sym SymbolTable::find(std::string_view s) const {
  auto it = ids_.find(s);
  return it == ids_.end() ? kNoSym : it->second;
}

LabelSet LabelSet::from(const k8s::Labels& labels, SymbolTable& syms) {
  LabelSet out;
  out.pairs_.reserve(labels.size());
  for (const auto& [k, v] : labels) out.pairs_.push_back({syms.intern(k), syms.intern(v)});
  std::sort(out.pairs_.begin(), out.pairs_.end(), [](LabelPair a, LabelPair b) { return a.key < b.key; });
  return out;
}

const Sym* LabelSet::get(Sym key) const {
  if (pairs_.size() <= 8) {
    for (const auto& p : pairs_)
      if (p.key == key) return &p.value;
    return nullptr;
  }
  auto it = std::lower_bound(pairs_.begin(), pairs_.end(), key, [](LabelPair p, Sym k) { return p.key < k; });
  return it != pairs_.end() && it->key == key ? &it->value : nullptr;
}

void LabelSet::set(Sym key, Sym value) {
  auto it = std::lower_bound(pairs_.begin(), pairs_.end(), key, [](LabelPair p, Sym k) { return p.key < k; });
  if (it != pairs_.end() && it->key == key) it->value = value;
  else pairs_.insert(it, {key, value});
}

CompiledSelector CompiledSelector::from(const k8s::LabelSelector& s, SymbolTable& syms) {
  CompiledSelector out;
  for (const auto& [k, v] : s.match_labels) out.add_equals(syms.intern(k), syms.intern(v));
  for (const auto& r : s.match_expressions) {
    CompiledRequirement c;
    c.key = syms.intern(r.key);
    c.op = r.op;
    for (const auto& v : r.values) c.values.push_back(syms.intern(v));
    std::sort(c.values.begin(), c.values.end());
    out.reqs.push_back(std::move(c));
  }
  return out;
}

void CompiledSelector::add_equals(Sym key, Sym value) {
  reqs.push_back(CompiledRequirement{key, k8s::SelectorOp::In, {value}});
}

bool CompiledSelector::matches(const LabelSet& labels) const {
  if (match_nothing) return false;
  for (const auto& r : reqs) {
    const Sym* v = labels.get(r.key);
    switch (r.op) {
      case k8s::SelectorOp::In:
        if (v == nullptr) return false;
        if (r.values.size() == 1 ? r.values[0] != *v : !std::binary_search(r.values.begin(), r.values.end(), *v))
          return false;
        break;
      case k8s::SelectorOp::NotIn:
        if (v != nullptr && std::binary_search(r.values.begin(), r.values.end(), *v)) return false;
        break;
      case k8s::SelectorOp::Exists:
        if (v == nullptr) return false;
        break;
      case k8s::SelectorOp::DoesNotExist:
        if (v != nullptr) return false;
        break;
      case k8s::SelectorOp::Gt:
      case k8s::SelectorOp::Lt:
        return false;
    }
  }
  return true;
}

std::optional<LabelPair> CompiledSelector::index_pair() const {
  if (match_nothing) return std::nullopt;
  for (const auto& r : reqs)
    if (r.op == k8s::SelectorOp::In && r.values.size() == 1) return LabelPair{r.key, r.values[0]};
  return std::nullopt;
}

bool AffinityTerm::matches_namespace(Sym ns) const {
  if (std::binary_search(namespaces.begin(), namespaces.end(), ns)) return true;
  if (!namespace_selector) return false;
  LabelSet ns_labels;
  ns_labels.set(ns_name_label, ns);
  return namespace_selector->matches(ns_labels);
}

AffinityTerm compile_affinity_term(const k8s::PodAffinityTerm& t, Sym pod_ns, SymbolTable& syms) {
  AffinityTerm out;
  out.selector = CompiledSelector::from(t.label_selector, syms);
  out.topology_key = syms.intern(t.topology_key);
  out.ns_name_label = syms.intern("kubernetes.io/metadata.name");
  if (t.namespaces.empty() && !t.namespace_selector) {
    out.namespaces.push_back(pod_ns);
  } else {
    for (const auto& n : t.namespaces) out.namespaces.push_back(syms.intern(n));
    std::sort(out.namespaces.begin(), out.namespaces.end());
  }
  if (t.namespace_selector) out.namespace_selector = CompiledSelector::from(*t.namespace_selector, syms);
  return out;
}

}  // namespace azsim::scheduler
