// Internal to the scenario loader: the steps after every document is read.
//
// resolve() fills in what one part of a scenario takes from another (the eksctl config's
// region, zones and node groups; node groups' zones; pods' priorities from PriorityClasses);
// validate() then checks that the whole is possible: every reference names something that
// exists (zones, instance types, StorageClasses, volumes, workloads, pods, nodes), every count
// is within its limit, and reports each impossibility at the field that causes it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/scenario/diagnostics.hpp"
#include "models/scenario/manifest_parse.hpp"
#include "models/scenario/scenario.hpp"
#include "models/scenario/spec_parse.hpp"

namespace azsim::scenario::check {

/// Merges the eksctl config into spec.cloud and spec.kubernetes (conflicts are errors at the
/// scenario's field), defaults region and node group zones, and resolves pod priorities.
void resolve(Scenario& s, const std::optional<spec::EksctlConfig>& eksctl, const manifest::PriorityClasses& priorities,
             Diagnostics& diags);

void validate_cloud(const Scenario& s, Diagnostics& diags);
void validate_storage(const Scenario& s, Diagnostics& diags);
void validate_workloads(Scenario& s, Diagnostics& diags);  // also resolves data services' namespaces
void validate_faults(const Scenario& s, Diagnostics& diags);

/// All of the above, in order.
void validate(Scenario& s, Diagnostics& diags);

// --- Reporting helpers ------------------------------------------------------------------------

/// An error at a field of a manifest object: `path` below the object ("spec.replicas").
template <class T>
void error_at(Diagnostics& d, const Declared<T>& obj, const std::string& path, const std::string& message) {
  d.error(obj.source.at(path), path.empty() ? obj.ref : obj.ref + "." + path, message);
}
template <class T>
void warning_at(Diagnostics& d, const Declared<T>& obj, const std::string& path, const std::string& message) {
  d.warning(obj.source.at(path), path.empty() ? obj.ref : obj.ref + "." + path, message);
}
/// An error at a field of the Scenario document.
inline void error_at(Diagnostics& d, const Scenario& s, const std::string& path, const std::string& message) {
  d.error(s.at(path), path, message);
}
inline void warning_at(Diagnostics& d, const Scenario& s, const std::string& path, const std::string& message) {
  d.warning(s.at(path), path, message);
}

/// An error at the volume ID `path` of `obj` when it was written "aws://<zone>/<id>" with a zone
/// (`written_zone`, "" when none) other than the declared volume's.
template <class T>
void check_written_zone(Diagnostics& d, const Declared<T>& obj, const std::string& path, const std::string& written_zone,
                        const std::string& volume_id, const std::string& volume_zone) {
  if (!written_zone.empty() && written_zone != volume_zone)
    error_at(d, obj, path,
             "names zone " + written_zone + " but " + volume_id + " is in " + volume_zone + " (spec.cloud.volumes)");
}

/// An error at the second and each later object of `objs` with the key ("namespace/name") of an
/// earlier one, naming where that one is defined. `kind` names the objects in the message.
template <class T>
void check_unique(const std::vector<Declared<T>>& objs, const char* kind, Diagnostics& d) {
  std::map<std::string, const Declared<T>*> seen;
  for (const auto& o : objs) {
    if (o.object.meta.name.empty()) continue;
    auto [it, fresh] = seen.emplace(o.object.meta.key(), &o);
    if (!fresh)
      error_at(d, o, "metadata.name",
               std::string(kind) + " \"" + o.object.meta.key() + "\" is already defined at " +
                   it->second->source.at("metadata.name").where());
  }
}

}  // namespace azsim::scenario::check
