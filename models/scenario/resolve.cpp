// Filling in what one part of a scenario takes from another, before validation.
#include <algorithm>
#include <functional>

#include "models/scenario/validate.hpp"

namespace azsim::scenario::check {

namespace {

/// "eu-west-1a" -> "eu-west-1": a zone is its region plus a letter suffix.
std::string region_of_zone(const std::string& zone) {
  std::size_t end = zone.size();
  while (end > 0 && zone[end - 1] >= 'a' && zone[end - 1] <= 'z') --end;
  return zone.substr(0, end);
}

bool same_set(std::vector<std::string> a, std::vector<std::string> b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  return a == b;
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

/// True when the Scenario document has a value at the path of keys.
bool written(const Scenario& s, std::initializer_list<const char*> keys) {
  const Node* n = s.source.root.get();
  for (const char* k : keys) {
    if (n == nullptr) return false;
    n = n->find(k);
  }
  return n != nullptr && !n->is_null();
}

void merge_eksctl(Scenario& s, const spec::EksctlConfig& e, Diagnostics& diags) {
  auto& cloud = s.cloud;
  if (!cloud.node_groups.empty()) {
    error_at(diags, s, "spec.cloud.nodeGroups",
             "node groups come from the eksctl config here; give them in one place only");
  } else {
    cloud.node_groups = e.node_groups;
  }
  if (cloud.region.empty()) {
    cloud.region = e.region;
  } else if (!e.region.empty() && e.region != cloud.region) {
    error_at(diags, s, "spec.cloud.region",
             "\"" + cloud.region + "\" differs from the eksctl config's region \"" + e.region + "\"");
  }
  const auto zone_items = e.zones_field.is_seq() ? e.zones_field.items() : std::vector<Field>{};
  for (std::size_t i = 0; i < e.zones.size() && i < zone_items.size(); ++i) {
    if (!e.region.empty() && region_of_zone(e.zones[i]) != e.region)
      zone_items[i].error("zone \"" + e.zones[i] + "\" is not in region \"" + e.region + "\"");
  }
  if (cloud.zones.empty()) {
    cloud.zones = e.zones;
  } else if (!e.zones.empty() && !same_set(cloud.zones, e.zones)) {
    error_at(diags, s, "spec.cloud.zones",
             "differs from the eksctl config's availabilityZones (" + joined(e.zones) + ")");
  }
  if (e.version) {
    const auto v = k8s::KubeVersion::parse(*e.version);
    if (!v) {
      e.version_field.error("\"" + *e.version + "\" is not a Kubernetes version: write it like \"1.29\"");
    } else if (written(s, {"spec", "kubernetes", "version"})) {  // both must agree
      if (*v != s.kubernetes.version)
        error_at(
            diags, s, "spec.kubernetes.version",
            "\"" + s.kubernetes.version.str() + "\" differs from the eksctl config's version \"" + v->str() + "\"");
    } else {
      s.kubernetes.version = *v;
      if (const std::string w = k8s::unmodelled_version_warning(*v); !w.empty()) e.version_field.warning(w);
    }
  }
}

/// Looks up a pod's priority from its priorityClassName (admission's Priority plugin).
void resolve_priority(k8s::PodSpec& spec, const manifest::PriorityClasses& pcs,
                      const std::function<void(const std::string&)>& fail) {
  if (spec.priority_class_name.empty()) {
    if (pcs.global_default) spec.priority = *pcs.global_default;
    return;
  }
  if (spec.priority_class_name == "system-node-critical") {
    spec.priority = 2'000'001'000;
    return;
  }
  if (spec.priority_class_name == "system-cluster-critical") {
    spec.priority = 2'000'000'000;
    return;
  }
  auto it = pcs.values.find(spec.priority_class_name);
  if (it == pcs.values.end()) {
    fail("no PriorityClass \"" + spec.priority_class_name +
         "\": the API server would reject the pod (add a PriorityClass manifest)");
    return;
  }
  spec.priority = it->second;
}

/// The PersistentVolumeLabel admission plugin: an in-tree EBS PersistentVolume gets its
/// volume's zone and region as (legacy) labels, and node affinity requiring them.
void apply_persistent_volume_label(Scenario& s) {
  namespace wk = k8s::wellknown;
  for (auto& d : s.manifests.persistent_volumes) {
    auto& pv = d.object;
    if (pv.source.type != k8s::PersistentVolumeSource::Type::AwsElasticBlockStore) continue;
    const DeclaredVolume* vol = nullptr;
    for (const auto& v : s.cloud.volumes)
      if (v.id == pv.source.volume_id) vol = &v;
    if (vol == nullptr) continue;  // reported by validation
    pv.meta.labels.emplace(wk::kZoneLegacy, vol->zone);
    pv.meta.labels.emplace(wk::kRegionLegacy, s.cloud.region);
    const std::vector<k8s::Requirement> reqs = {{wk::kZoneLegacy, k8s::SelectorOp::In, {vol->zone}},
                                                {wk::kRegionLegacy, k8s::SelectorOp::In, {s.cloud.region}}};
    if (!pv.node_affinity) pv.node_affinity = k8s::NodeSelector{{k8s::NodeSelectorTerm{}}};
    for (auto& term : pv.node_affinity->terms)
      term.match_expressions.insert(term.match_expressions.end(), reqs.begin(), reqs.end());
  }
}

}  // namespace

void resolve(Scenario& s, const std::optional<spec::EksctlConfig>& eksctl, const manifest::PriorityClasses& priorities,
             Diagnostics& diags) {
  if (eksctl) merge_eksctl(s, *eksctl, diags);
  auto& cloud = s.cloud;
  if (cloud.region.empty() && !cloud.zones.empty()) cloud.region = region_of_zone(cloud.zones.front());
  for (auto& g : cloud.node_groups) {
    if (!g.from_eksctl) g.source = s.source;
    if (g.zones.empty()) g.zones = cloud.zones;
  }

  if (std::find(s.admission_plugins.begin(), s.admission_plugins.end(), "PersistentVolumeLabel") !=
      s.admission_plugins.end())
    apply_persistent_volume_label(s);

  auto& m = s.manifests;
  const std::string tmpl_path = "spec.template.spec.priorityClassName";
  for (auto& d : m.stateful_sets)
    resolve_priority(d.object.template_.spec, priorities,
                     [&](const std::string& msg) { error_at(diags, d, tmpl_path, msg); });
  for (auto& d : m.deployments)
    resolve_priority(d.object.template_.spec, priorities,
                     [&](const std::string& msg) { error_at(diags, d, tmpl_path, msg); });
  for (auto& d : m.replica_sets)
    resolve_priority(d.object.template_.spec, priorities,
                     [&](const std::string& msg) { error_at(diags, d, tmpl_path, msg); });
  for (auto& d : m.pods)
    resolve_priority(d.object.spec, priorities,
                     [&](const std::string& msg) { error_at(diags, d, "spec.priorityClassName", msg); });
}

void validate(Scenario& s, Diagnostics& diags) {
  validate_cloud(s, diags);
  validate_storage(s, diags);
  validate_workloads(s, diags);
  validate_faults(s, diags);
}

}  // namespace azsim::scenario::check
