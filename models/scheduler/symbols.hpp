// Interned strings and label matching on interned ids, so the scheduler's per-node loops
// compare integers instead of strings. Ids are assigned in first-seen order and are only ever
// compared for equality or used as sort keys internal to one data structure: they never reach
// any output, so their values cannot affect results.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "models/k8s/labels.hpp"
#include "models/k8s/objects.hpp"

namespace azsim::scheduler {

using Sym = std::uint32_t;
inline constexpr Sym kNoSym = 0xffffffffu;

/// String <-> id table. Contract: intern() returns the same id for equal strings for the
/// table's lifetime; str() references stay valid (deque storage).
class SymbolTable {
 public:
  /// Room for the strings of a small cluster up front, so the first cycles do not rehash.
  SymbolTable() { ids_.reserve(256); }
  Sym intern(std::string_view s);
  Sym find(std::string_view s) const;  ///< kNoSym when never interned
  const std::string& str(Sym s) const { return names_[s]; }
  std::size_t size() const { return names_.size(); }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, Sym, Hash, std::equal_to<>> ids_;
  std::deque<std::string> names_;
};

struct LabelPair {
  Sym key = kNoSym;
  Sym value = kNoSym;
  bool operator==(const LabelPair&) const = default;
};
/// A label pair packed for use as a map/sort key.
inline std::uint64_t pack(LabelPair p) { return (std::uint64_t{p.key} << 32) | p.value; }
inline std::uint64_t pack(Sym k, Sym v) { return (std::uint64_t{k} << 32) | v; }

/// Labels as pairs of ids sorted by key id.
class LabelSet {
 public:
  LabelSet() = default;
  static LabelSet from(const k8s::Labels& labels, SymbolTable& syms);
  /// The value of `key`, or nullptr.
  const Sym* get(Sym key) const;
  std::span<const LabelPair> pairs() const { return pairs_; }
  bool empty() const { return pairs_.empty(); }
  void set(Sym key, Sym value);  ///< insert or replace, keeping the order

 private:
  std::vector<LabelPair> pairs_;
};

/// A metav1.LabelSelector compiled to ids. `match_nothing` models a nil selector where nil
/// means "matches no pods" (topology spread constraints without labelSelector).
struct CompiledRequirement {
  Sym key = kNoSym;
  k8s::SelectorOp op = k8s::SelectorOp::In;
  std::vector<Sym> values;  ///< sorted
  bool operator==(const CompiledRequirement&) const = default;
};
struct CompiledSelector {
  std::vector<CompiledRequirement> reqs;
  bool match_nothing = false;

  static CompiledSelector from(const k8s::LabelSelector& s, SymbolTable& syms);
  static CompiledSelector nothing() { CompiledSelector c; c.match_nothing = true; return c; }
  /// Gt/Lt never match (they are invalid in a LabelSelector).
  bool matches(const LabelSet& labels) const;
  bool empty() const { return !match_nothing && reqs.empty(); }
  /// An `In` requirement with one value, usable to look candidates up in a label index.
  std::optional<LabelPair> index_pair() const;
  /// Adds `key In (value)` (matchLabelKeys merging, DefaultSelector merging).
  void add_equals(Sym key, Sym value);
  bool operator==(const CompiledSelector&) const = default;
};

/// A pod (anti-)affinity term compiled for matching (framework.AffinityTerm).
struct AffinityTerm {
  CompiledSelector selector;
  std::vector<Sym> namespaces;  ///< sorted; explicit list (or the pod's own namespace)
  /// namespaceSelector: namespaces carry only the automatic label
  /// kubernetes.io/metadata.name=<name> in azsim (there are no Namespace objects).
  std::optional<CompiledSelector> namespace_selector;
  Sym ns_name_label = kNoSym;  ///< id of "kubernetes.io/metadata.name"
  Sym topology_key = kNoSym;
  std::int32_t weight = 0;     ///< preferred terms only

  bool matches_namespace(Sym ns) const;
  bool matches(Sym ns, const LabelSet& labels) const { return matches_namespace(ns) && selector.matches(labels); }
};

/// Compiles a term of a pod in namespace `pod_ns` (empty namespaces and no selector: own ns).
AffinityTerm compile_affinity_term(const k8s::PodAffinityTerm& t, Sym pod_ns, SymbolTable& syms);

}  // namespace azsim::scheduler
