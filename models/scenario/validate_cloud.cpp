// Cross-checks of spec.cloud: zones belong to the region, node groups use known instance types
// and the cloud's zones, sizes are consistent and within limits, volumes sit in the cloud.
#include <algorithm>
#include <set>

#include "models/scenario/limits.hpp"
#include "models/scenario/suggest.hpp"
#include "models/scenario/validate.hpp"

namespace azsim::scenario::check {

namespace {

std::string zone_list(const std::vector<std::string>& zones) {
  std::string out;
  for (const auto& z : zones) out += (out.empty() ? "" : ", ") + z;
  return out;
}

void group_error(Diagnostics& d, const NodeGroup& g, const std::string& field, const std::string& msg) {
  const std::string path = field.empty() ? g.path : g.path + "." + field;
  d.error(g.source.at(path), path, msg);
}

std::string zone_problem(const std::string& zone, const CloudSpec& c) {
  for (const auto& z : c.zones)
    if (z == zone) return {};
  return "zone \"" + zone + "\" is not one of the cloud's zones (" + zone_list(c.zones) + ")" +
         did_you_mean(zone, c.zones);
}

void check_zones(const Scenario& s, Diagnostics& d) {
  const auto& c = s.cloud;
  const bool written = s.source.root && s.source.root->find("spec") != nullptr &&
                       s.source.root->find("spec")->find("cloud") != nullptr &&
                       s.source.root->find("spec")->find("cloud")->find("zones") != nullptr;
  if (c.zones.empty()) {
    error_at(d, s, "spec.cloud",
             "no availability zones: list them in spec.cloud.zones (or availabilityZones of the eksctl config)");
    return;
  }
  if (!written) return;  // zones from the eksctl config were checked when merged
  std::set<std::string> seen;
  for (std::size_t i = 0; i < c.zones.size(); ++i) {
    const std::string path = "spec.cloud.zones[" + std::to_string(i) + "]";
    const std::string& z = c.zones[i];
    if (!seen.insert(z).second) error_at(d, s, path, "zone \"" + z + "\" is listed twice");
    if (z.size() <= c.region.size() || z.compare(0, c.region.size(), c.region) != 0 ||
        z.find_first_not_of("abcdefghijklmnopqrstuvwxyz", c.region.size()) != std::string::npos)
      error_at(d, s, path,
               "zone \"" + z + "\" is not in region \"" + c.region + "\" (its zones are named " + c.region + "a, " +
                   c.region + "b, ...)");
  }
}

void check_groups(const Scenario& s, Diagnostics& d) {
  const auto& c = s.cloud;
  if (c.node_groups.empty()) {
    error_at(d, s, "spec",
             "no node groups: the cluster needs worker nodes (spec.cloud.nodeGroups or an eksctl config)");
    return;
  }
  if (static_cast<std::int32_t>(c.node_groups.size()) > limits::kMaxNodeGroups)
    error_at(d, s, "spec", "more than " + std::to_string(limits::kMaxNodeGroups) + " node groups: azsim's limit");
  std::vector<std::string> type_names;
  for (const auto& t : cloud::instance_types()) type_names.push_back(t.name);
  std::set<std::string> names;
  std::int64_t total = 0;
  bool total_reported = false;
  for (const auto& g : c.node_groups) {
    if (!g.name.empty() && !names.insert(g.name).second)
      group_error(d, g, "name", "node group \"" + g.name + "\" is defined twice");
    if (!g.instance_type.empty() && !cloud::find_instance_type(g.instance_type))
      group_error(d, g, "instanceType",
                  "unknown instance type \"" + g.instance_type + "\"" + did_you_mean(g.instance_type, type_names) +
                      "; azsim knows " + zone_list(type_names));
    const char* zones_key = g.from_eksctl ? "availabilityZones" : "zones";
    std::set<std::string> gz;
    bool written =
        g.source.root && &locate(*g.source.root, g.path + "." + zones_key) != &locate(*g.source.root, g.path);
    for (std::size_t i = 0; i < g.zones.size(); ++i) {
      const std::string field = written ? std::string(zones_key) + "[" + std::to_string(i) + "]" : "";
      if (!gz.insert(g.zones[i]).second)
        group_error(d, g, field, "zone \"" + g.zones[i] + "\" is listed twice");
      else if (auto p = zone_problem(g.zones[i], c); !p.empty())
        group_error(d, g, field, p);
    }
    for (const auto& [zone, n] : g.initial_placement)
      if (std::find(g.zones.begin(), g.zones.end(), zone) == g.zones.end())
        group_error(d, g, "initialPlacement." + zone, "zone \"" + zone + "\" is not one of the group's zones");
    total += g.max_size;
    if (total > limits::kMaxNodes && !total_reported) {
      group_error(d, g, "maxSize",
                  "the node groups could grow to " + std::to_string(total) + " nodes, more than azsim's limit of " +
                      std::to_string(limits::kMaxNodes));
      total_reported = true;
    }
  }
}

void check_volumes(const Scenario& s, Diagnostics& d) {
  std::set<std::string> ids;
  for (const auto& v : s.cloud.volumes) {
    if (!v.id.empty() && !ids.insert(v.id).second)
      error_at(d, s, v.path + ".id", "volume \"" + v.id + "\" is declared twice");
    if (!v.zone.empty() && !s.cloud.zones.empty())
      if (auto p = zone_problem(v.zone, s.cloud); !p.empty()) error_at(d, s, v.path + ".zone", p);
  }
}

}  // namespace

void validate_cloud(const Scenario& s, Diagnostics& diags) {
  check_zones(s, diags);
  check_groups(s, diags);
  check_volumes(s, diags);
}

}  // namespace azsim::scenario::check
