#include "models/scenario/object_index.hpp"

#include <algorithm>

namespace azsim::scenario::check {

namespace {

/// Names offered as suggestions: enough to catch a typo, few enough to stay cheap.
constexpr std::size_t kMaxSuggestionNames = 200;

bool is_ordinal(const std::string& s) {
  return !s.empty() && s.size() <= 9 && s.find_first_not_of("0123456789") == std::string::npos;
}

bool ns_matches(const std::vector<std::string>& namespaces, const std::string& ns) {
  return ns.empty() ? !namespaces.empty() : std::find(namespaces.begin(), namespaces.end(), ns) != namespaces.end();
}

}  // namespace

ObjectIndex::ObjectIndex(const Scenario& s) {
  for (const auto& f : s.faults)
    if (f.action == FaultAction::Scale && f.workload && f.replicas &&
        f.workload->kind == WorkloadRef::Kind::StatefulSet) {
      auto& m = scaled_[f.workload->name];
      m = std::max(m, *f.replicas);
    }
  const auto& m = s.manifests;
  for (const auto& p : m.pods) {
    bare_pods_[p.object.meta.name].push_back(p.object.meta.ns);
    if (pod_names_.size() < kMaxSuggestionNames) pod_names_.push_back(p.object.meta.name);
  }
  for (const auto& c : m.persistent_volume_claims) {
    bare_claims_[c.object.meta.name].push_back(c.object.meta.ns);
    if (claim_names_.size() < kMaxSuggestionNames) claim_names_.push_back(c.object.meta.name);
  }
  for (const auto& d : m.stateful_sets) {
    const auto& o = d.object;
    sets_[o.meta.name].push_back(&d);
    workloads_["statefulset/" + o.meta.name].push_back(o.meta.ns);
    for (const auto& t : o.volume_claim_templates) claim_prefixes_[t.meta.name + "-" + o.meta.name].push_back(&d);
    for (std::int32_t i = 0; i < reach(o) && i < 3; ++i) {
      if (pod_names_.size() < kMaxSuggestionNames) pod_names_.push_back(o.pod_name(o.ordinals_start + i));
      for (const auto& t : o.volume_claim_templates)
        if (claim_names_.size() < kMaxSuggestionNames)
          claim_names_.push_back(o.claim_name(t.meta.name, o.ordinals_start + i));
    }
  }
  for (const auto& d : m.deployments) {
    generators_[d.object.meta.name].emplace_back(d.object.meta.ns, "deployment/" + d.object.meta.name);
    workloads_["deployment/" + d.object.meta.name].push_back(d.object.meta.ns);
  }
  for (const auto& d : m.replica_sets) {
    generators_[d.object.meta.name].emplace_back(d.object.meta.ns, "replicaset/" + d.object.meta.name);
    workloads_["replicaset/" + d.object.meta.name].push_back(d.object.meta.ns);
  }
}

std::int32_t ObjectIndex::reach(const k8s::StatefulSet& sts) const {
  auto it = scaled_.find(sts.meta.name);
  return it == scaled_.end() ? sts.replicas : std::max(sts.replicas, it->second);
}

bool ObjectIndex::ordinal_in(const Declared<k8s::StatefulSet>& d, const std::string& ordinal) const {
  if (!d.clean) return true;
  const long long ord = std::stoll(ordinal);
  const long long start = d.object.ordinals_start;
  return ord >= start && ord < start + reach(d.object);
}

ObjectIndex::Pod ObjectIndex::find_pod(const std::string& name, const std::string& ns, std::string* owner) const {
  if (auto it = bare_pods_.find(name); it != bare_pods_.end() && ns_matches(it->second, ns)) return Pod::Exists;
  // A StatefulSet pod is SET-ORDINAL; the set's name may hold dashes, the ordinal cannot.
  const auto dash = name.rfind('-');
  if (dash != std::string::npos && is_ordinal(name.substr(dash + 1))) {
    if (auto it = sets_.find(name.substr(0, dash)); it != sets_.end())
      for (const auto* d : it->second)
        if ((ns.empty() || d->object.meta.ns == ns) && ordinal_in(*d, name.substr(dash + 1))) return Pod::Exists;
  }
  // Deployment and ReplicaSet pods are NAME-<random>: try every prefix ending before a dash.
  for (auto p = name.find('-'); p != std::string::npos; p = name.find('-', p + 1)) {
    auto it = generators_.find(name.substr(0, p));
    if (it == generators_.end()) continue;
    for (const auto& [gns, ref] : it->second)
      if (ns.empty() || gns == ns) {
        if (owner != nullptr) *owner = ref;
        return Pod::Generated;
      }
  }
  return Pod::Missing;
}

bool ObjectIndex::claim_exists(const std::string& name, const std::string& ns, const k8s::StatefulSet* own) const {
  if (auto it = bare_claims_.find(name); it != bare_claims_.end() && ns_matches(it->second, ns)) return true;
  const auto dash = name.rfind('-');
  if (dash == std::string::npos || !is_ordinal(name.substr(dash + 1))) return false;
  auto it = claim_prefixes_.find(name.substr(0, dash));
  if (it == claim_prefixes_.end()) return false;
  for (const auto* d : it->second)
    if ((ns.empty() || d->object.meta.ns == ns || &d->object == own) && ordinal_in(*d, name.substr(dash + 1)))
      return true;
  return false;
}

bool ObjectIndex::workload_exists(const WorkloadRef& w) const {
  auto it = workloads_.find(w.str());
  return it != workloads_.end() && ns_matches(it->second, w.ns);
}

}  // namespace azsim::scenario::check
