// Cross-checks of spec.faults and spec.failures: every target can exist (a pod, a node, a
// zone, a volume, a workload), and the failure rates keep a trial to a bounded size.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "models/scenario/limits.hpp"
#include "models/scenario/loader.hpp"
#include "models/scenario/naming.hpp"
#include "models/scenario/object_index.hpp"
#include "models/scenario/suggest.hpp"
#include "models/scenario/validate.hpp"

namespace azsim::scenario::check {

namespace {

/// Whether some workload template or bare pod has labels matching a fault's selector. Only a
/// warning depends on it, so the work is bounded: past kBudget label-set comparisons the
/// remaining selectors are assumed to match.
class SelectorCheck {
 public:
  explicit SelectorCheck(const Scenario& s) {
    auto add = [&](const auto& list) {
      for (const auto& d : list) sets_.push_back({&d.object.meta.ns, &d.object.template_.meta.labels});
    };
    for (const auto& p : s.manifests.pods) sets_.push_back({&p.object.meta.ns, &p.object.meta.labels});
    add(s.manifests.stateful_sets);
    add(s.manifests.deployments);
    add(s.manifests.replica_sets);
  }

  bool matches_something(const k8s::LabelSelector& sel, const std::string& ns) {
    if (spent_ + sets_.size() > kBudget) return true;
    spent_ += sets_.size();
    for (const auto& [set_ns, labels] : sets_)
      if ((ns.empty() || *set_ns == ns) && sel.matches(*labels)) return true;
    return false;
  }

 private:
  static constexpr std::size_t kBudget = 20'000'000;
  std::vector<std::pair<const std::string*, const k8s::Labels*>> sets_;
  std::size_t spent_ = 0;
};

void check_pod_name(const Scenario& s, const ObjectIndex& pop, const std::string& name, const std::string& ns,
                    const std::string& path, Diagnostics& d) {
  std::string owner;
  switch (pop.find_pod(name, ns, &owner)) {
    case ObjectIndex::Pod::Exists:
      return;
    case ObjectIndex::Pod::Generated:
      error_at(d, s, path,
               "pods of " + owner + " have generated names, so \"" + name +
                   "\" never exists: target them with workload: " + owner + " or a selector");
      return;
    case ObjectIndex::Pod::Missing:
      error_at(d, s, path,
               "pod \"" + name + "\" never exists" + (ns.empty() ? "" : " in namespace " + ns) +
                   " (StatefulSet pods are NAME-ORDINAL for the replicas it has or is scaled to; bare Pods by name)" +
                   did_you_mean(name, pop.pod_names()));
      return;
  }
}

bool in_cloud(const Scenario& s, const std::string& zone) {
  for (const auto& z : s.cloud.zones)
    if (z == zone) return true;
  return false;
}

/// The most nodes that can ever be in `zone` (if set) and group `group` (if set): the sum of
/// the matching groups' maxSize.
std::int32_t capacity(const Scenario& s, const std::string& zone, const std::string& group) {
  std::int64_t n = 0;
  for (const auto& g : s.cloud.node_groups) {
    if (!group.empty() && g.name != group) continue;
    const bool covers = zone.empty() || std::find(g.zones.begin(), g.zones.end(), zone) != g.zones.end();
    if (covers) n += g.max_size;
  }
  return static_cast<std::int32_t>(std::min<std::int64_t>(n, limits::kMaxNodes));
}

void check_node_target(const Scenario& s, const ObjectIndex& pop, const NodeTarget& n, const std::string& path,
                       Diagnostics& d, bool pods_exist = true) {
  switch (n.by) {
    case NodeTarget::By::RunningPod:
      if (!pods_exist)
        error_at(d, s, path + ".runningPod",
                 "no pod runs before the manifests are applied: pick the node by zone, group and index");
      else
        check_pod_name(s, pop, n.pod, n.pod_ns, path + ".runningPod", d);
      return;
    case NodeTarget::By::Name:
      if (!is_possible_node_name(n.name, s.cloud.region))
        error_at(d, s, path,
                 "node \"" + n.name + "\" never exists: nodes are named by their EC2 private DNS name (e.g. " +
                     example_node_name(s.cloud.region) +
                     "), chosen at run time; target a node by {runningPod: POD} or "
                     "{zone: ZONE, index: I}");
      return;
    case NodeTarget::By::Index: {
      if (!n.zone.empty() && !in_cloud(s, n.zone)) {
        error_at(d, s, path + ".zone",
                 "zone \"" + n.zone + "\" is not one of the cloud's zones" + did_you_mean(n.zone, s.cloud.zones));
        return;
      }
      if (!n.group.empty()) {
        std::vector<std::string> names;
        const NodeGroup* group = nullptr;
        for (const auto& g : s.cloud.node_groups) {
          names.push_back(g.name);
          if (g.name == n.group) group = &g;
        }
        if (group == nullptr) {
          error_at(d, s, path + ".group", "no node group \"" + n.group + "\"" + did_you_mean(n.group, names));
          return;
        }
        if (!n.zone.empty() && std::find(group->zones.begin(), group->zones.end(), n.zone) == group->zones.end()) {
          error_at(d, s, path + ".zone", "node group " + n.group + " has no nodes in zone " + n.zone);
          return;
        }
      }
      const std::int32_t cap = capacity(s, n.zone, n.group);
      if (n.index >= cap) {
        std::string where =
            n.zone.empty() ? "group " + n.group : "zone " + n.zone + (n.group.empty() ? "" : " of group " + n.group);
        error_at(d, s, path + ".index",
                 where + " never has more than " + std::to_string(cap) +
                     " node(s) (the maxSize of its node groups), so index " + std::to_string(n.index) +
                     " never exists");
      }
      return;
    }
  }
}

void check_fault(const Scenario& s, const ObjectIndex& pop, SelectorCheck& selectors, const Fault& f, Diagnostics& d) {
  const std::string& p = f.path;
  if (f.at >= s.duration)
    warning_at(d, s, p + ".at",
               "is at or after the end of the run (duration " + sim::format_duration(s.duration) +
                   "): the fault never happens");
  if (f.node) check_node_target(s, pop, *f.node, p + ".node", d);
  if (f.pods) {
    const auto& t = *f.pods;
    switch (t.by) {
      case PodTarget::By::Name:
        check_pod_name(s, pop, t.name, t.ns, p + ".pod", d);
        break;
      case PodTarget::By::Workload:
        if (!pop.workload_exists(t.workload))
          error_at(d, s, p + ".workload", t.workload.str() + " is not defined by any manifest");
        break;
      case PodTarget::By::Selector:
        if (!selectors.matches_something(t.selector, t.ns))
          warning_at(d, s, p + ".selector", "matches no pod of any workload: the fault does nothing");
        break;
    }
  }
  if (f.pvc && !pop.claim_exists(f.pvc->name, f.pvc->ns))
    error_at(
        d, s, p + ".pvc",
        "PersistentVolumeClaim \"" + f.pvc->name + "\" never exists" + did_you_mean(f.pvc->name, pop.claim_names()));
  if (f.workload && !pop.workload_exists(*f.workload))
    error_at(d, s, p + ".workload", f.workload->str() + " is not defined by any manifest");
  if (f.zone && !in_cloud(s, *f.zone))
    error_at(d, s, p + ".zone",
             "zone \"" + *f.zone + "\" is not one of the cloud's zones" + did_you_mean(*f.zone, s.cloud.zones));
  if (f.volume) {
    const auto& v = *f.volume;
    if (!v.id.empty()) {
      bool declared = false;
      std::vector<std::string> ids;
      for (const auto& dv : s.cloud.volumes) {
        declared = declared || dv.id == v.id;
        ids.push_back(dv.id);
      }
      if (!declared)
        error_at(d, s, p + ".volume",
                 "volume \"" + v.id + "\" is not declared in spec.cloud.volumes" + did_you_mean(v.id, ids) +
                     "; a dynamically provisioned volume is targeted by its claim: {claim: PVC-NAME}");
    } else if (!pop.claim_exists(v.claim, v.claim_ns)) {
      error_at(d, s, p + ".volume.claim",
               "PersistentVolumeClaim \"" + v.claim + "\" never exists" + did_you_mean(v.claim, pop.claim_names()));
    }
  }
}

}  // namespace

}  // namespace azsim::scenario::check

namespace azsim::scenario {

void check_failure_counts(const Scenario& s, sim::Duration length, Diagnostics& d) {
  using check::error_at;
  const auto& f = s.failures;
  std::int64_t nodes = 0;
  for (const auto& g : s.cloud.node_groups) nodes += g.max_size;
  auto too_many = [&](double expected, const std::string& path) {
    if (expected <= limits::kMaxExpectedFailures) return;
    error_at(d, s, path,
             "means about " + std::to_string(static_cast<long long>(std::llround(std::min(expected, 1e18)))) +
                 " failures in one trial of " + sim::format_duration(length) + ", more than azsim's limit of " +
                 std::to_string(static_cast<long long>(limits::kMaxExpectedFailures)) + ": check the value");
  };
  if (f.instance && f.instance->mtbf > sim::Duration::zero())
    too_many(static_cast<double>(nodes) * length.seconds_f() / f.instance->mtbf.seconds_f(),
             f.instance->path + ".mtbf");
  if (f.zone)
    too_many(static_cast<double>(s.cloud.zones.size()) * f.zone->rate.per_second() * length.seconds_f(),
             f.zone->path + ".rate");
  if (f.bursts && f.bursts->min_size > nodes && nodes > 0)
    error_at(d, s, f.bursts->path + ".size",
             "bursts of " + std::to_string(f.bursts->min_size) +
                 " instances need more nodes than the cluster can have (" + std::to_string(nodes) + ")");
}

}  // namespace azsim::scenario

namespace azsim::scenario::check {

void validate_faults(const Scenario& s, Diagnostics& d) {
  const ObjectIndex pop(s);
  SelectorCheck selectors(s);
  for (const auto& step : s.setup) check_node_target(s, pop, step.node, step.path + ".node", d, false);
  for (const auto& f : s.faults) {
    if (d.saturated()) break;
    check_fault(s, pop, selectors, f, d);
  }
  check_failure_counts(s, s.duration, d);
}

}  // namespace azsim::scenario::check
