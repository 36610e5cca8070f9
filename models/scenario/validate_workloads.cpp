// Cross-checks of workloads and data services: unique names, pods that can find their claims,
// volumes and nodes, and data services that name an existing workload with a sensible keyspace.
#include <algorithm>
#include <map>
#include <set>

#include "models/cloud/instance_types.hpp"
#include "models/k8s/quantity.hpp"
#include "models/scenario/limits.hpp"
#include "models/scenario/naming.hpp"
#include "models/scenario/object_index.hpp"
#include "models/scenario/suggest.hpp"
#include "models/scenario/validate.hpp"

namespace azsim::scenario::check {

namespace {

/// The most CPU and the most memory any node group's nodes can allocate (possibly from
/// different groups): a pod asking for more can never fit anywhere.
struct Capacity {
  std::int64_t milli_cpu = 0;
  std::int64_t memory = 0;
  std::string type;
};

Capacity largest_node(const Scenario& s) {
  Capacity best;
  for (const auto& g : s.cloud.node_groups) {
    const auto t = cloud::find_instance_type(g.instance_type);
    if (!t) continue;
    const auto r = cloud::node_resources(*t, g.effective_max_pods(), g.kubelet_reservation);
    best.milli_cpu = std::max(best.milli_cpu, r.allocatable.milli_cpu);
    best.memory = std::max(best.memory, r.allocatable.memory);
    best.type = g.instance_type;
  }
  return best;
}

class PodChecks {
 public:
  PodChecks(const Scenario& s, const ObjectIndex& index, Diagnostics& d)
      : s_(s), index_(index), d_(d), largest_(largest_node(s)) {
    for (const auto& v : s.cloud.volumes) volumes_.emplace(v.id, v.zone);
    for (const auto& z : s.cloud.zones) zones_.insert(z);
    // The label sets new nodes can have: one per node group and zone, with the labels an
    // operator adds in spec.setup to nodes of that group and zone.
    for (const auto& g : s.cloud.node_groups)
      for (const auto& z : g.zones) {
        k8s::Labels labels = node_labels(g, z, s.cloud.region);
        for (const auto& step : s.setup) {
          const auto& t = step.node;
          const bool applies = t.by != NodeTarget::By::Index ||
                               ((t.group.empty() || t.group == g.name) && (t.zone.empty() || t.zone == z));
          if (applies)
            for (const auto& [k, v] : step.labels) labels[k] = v;
        }
        node_label_sets_.push_back(std::move(labels));
      }
  }

  /// Checks one pod spec; `base` is its path in the object ("spec" or "spec.template.spec").
  template <class T>
  void check(const k8s::PodSpec& spec, const std::string& ns, const Declared<T>& owner, const std::string& base,
             const k8s::StatefulSet* sts) {
    for (std::size_t i = 0; i < spec.volumes.size(); ++i) {
      const auto& v = spec.volumes[i];
      const std::string vp = base + ".volumes[" + std::to_string(i) + "]";
      if (v.pvc_claim_name && !index_.claim_exists(*v.pvc_claim_name, ns, sts))
        error_at(d_, owner, vp + ".persistentVolumeClaim.claimName",
                 "PersistentVolumeClaim \"" + *v.pvc_claim_name + "\" does not exist in namespace " + ns +
                     ": the pod would stay Pending");
      if (!v.aws_ebs_volume_id) continue;
      const std::string id_path = vp + ".awsElasticBlockStore.volumeID";
      if (auto vol = volumes_.find(*v.aws_ebs_volume_id); vol == volumes_.end())
        error_at(d_, owner, id_path,
                 "EBS volume \"" + *v.aws_ebs_volume_id +
                     "\" is not declared in spec.cloud.volumes (a volume created by "
                     "hand needs its id, zone and size there)");
      else
        check_written_zone(d_, owner, id_path, v.aws_ebs_zone, vol->first, vol->second);
    }
    if (!spec.node_name.empty() && !is_possible_node_name(spec.node_name, s_.cloud.region))
      error_at(d_, owner, base + ".nodeName",
               "node \"" + spec.node_name + "\" never exists: nodes are named by their EC2 private DNS name, e.g. " +
                   example_node_name(s_.cloud.region));
    check_node_selector(spec, owner, base);
    check_fits(spec, owner, base);
  }

 private:
  template <class T>
  void check_node_selector(const k8s::PodSpec& spec, const Declared<T>& owner, const std::string& base) {
    namespace wk = k8s::wellknown;
    for (const auto& [k, v] : spec.node_selector) {
      if ((k == wk::kZone || k == wk::kZoneLegacy || k == wk::kEbsCsiZone) && !zones_.empty() && !zones_.count(v)) {
        error_at(d_, owner, base + ".nodeSelector",
                 "zone \"" + v + "\" is not one of the cloud's zones: the pod could never be scheduled" +
                     did_you_mean(v, s_.cloud.zones));
        return;
      }
    }
    if (spec.node_selector.empty() || satisfiable(spec.node_selector)) return;
    std::string sel;
    for (const auto& [k, v] : spec.node_selector) sel += (sel.empty() ? "" : ", ") + k + "=" + v;
    warning_at(
        d_, owner, base + ".nodeSelector",
        "no node group makes nodes with labels " + sel +
            ": the pod can never be scheduled (give a node group these labels in spec.cloud.nodeGroups[].labels)");
  }

  /// Whether some node could carry all of `selector`'s labels. Only a warning depends on it:
  /// answers are memoised, and past kBudget label-set comparisons the rest are assumed yes.
  bool satisfiable(const k8s::Labels& selector) {
    std::string key;
    for (const auto& [k, v] : selector) key += k + "=" + v + "\n";
    if (auto it = memo_.find(key); it != memo_.end()) return it->second;
    if (spent_ + node_label_sets_.size() > kBudget) return true;
    spent_ += node_label_sets_.size();
    bool found = false;
    for (const auto& labels : node_label_sets_) {
      bool all = true;
      for (const auto& [k, v] : selector) {
        if (k == k8s::wellknown::kHostname) continue;  // names are chosen at run time
        auto it = labels.find(k);
        all = all && it != labels.end() && it->second == v;
      }
      if (all) {
        found = true;
        break;
      }
    }
    memo_.emplace(std::move(key), found);
    return found;
  }

  template <class T>
  void check_fits(const k8s::PodSpec& spec, const Declared<T>& owner, const std::string& base) {
    if (largest_.type.empty()) return;
    const k8s::Resources r = spec.effective_requests();
    if (r.milli_cpu > largest_.milli_cpu || r.memory > largest_.memory)
      warning_at(d_, owner, base + ".containers",
                 "the pod requests " + k8s::format_millicores(r.milli_cpu) + " CPU and " + k8s::format_bytes(r.memory) +
                     " memory, more than any node can allocate (" + k8s::format_millicores(largest_.milli_cpu) +
                     " CPU, " + k8s::format_bytes(largest_.memory) + "): it can never be scheduled");
  }

  static constexpr std::size_t kBudget = 20'000'000;
  const Scenario& s_;
  const ObjectIndex& index_;
  Diagnostics& d_;
  Capacity largest_;
  std::map<std::string, std::string> volumes_;  // declared EBS volume id -> zone
  std::set<std::string> zones_;
  std::vector<k8s::Labels> node_label_sets_;
  std::map<std::string, bool> memo_;
  std::size_t spent_ = 0;
};

/// Ec2Snitch's data center name for a region: "us-east-1" -> "us-east" (the legacy naming
/// drops a "-1" suffix; "eu-west-2" stays "eu-west-2"), or the region itself (standard naming).
std::vector<std::string> snitch_dc_names(const std::string& region) {
  std::vector<std::string> out;
  if (region.size() > 2 && region.compare(region.size() - 2, 2, "-1") == 0)
    out.push_back(region.substr(0, region.size() - 2));
  out.push_back(region);
  return out;
}

struct WorkloadInfo {
  std::string ns;
  std::int32_t replicas = 0;
  bool clean = true;  // Declared::clean: its replicas may be a stand-in otherwise
};

/// Finds a workload by kind and name (in `ns`, or in any namespace when ns is empty).
std::vector<WorkloadInfo> find_workloads(const Scenario& s, const WorkloadRef& ref) {
  std::vector<WorkloadInfo> out;
  auto scan = [&](const auto& list) {
    for (const auto& d : list)
      if (d.object.meta.name == ref.name && (ref.ns.empty() || d.object.meta.ns == ref.ns))
        out.push_back({d.object.meta.ns, d.object.replicas, d.clean});
  };
  switch (ref.kind) {
    case WorkloadRef::Kind::StatefulSet:
      scan(s.manifests.stateful_sets);
      break;
    case WorkloadRef::Kind::Deployment:
      scan(s.manifests.deployments);
      break;
    case WorkloadRef::Kind::ReplicaSet:
      scan(s.manifests.replica_sets);
      break;
  }
  return out;
}

std::vector<std::string> workload_names(const Scenario& s, WorkloadRef::Kind kind) {
  std::vector<std::string> out;
  auto add = [&](const auto& list, const char* prefix) {
    for (const auto& d : list) out.push_back(std::string(prefix) + d.object.meta.name);
  };
  if (kind == WorkloadRef::Kind::StatefulSet) add(s.manifests.stateful_sets, "statefulset/");
  if (kind == WorkloadRef::Kind::Deployment) add(s.manifests.deployments, "deployment/");
  if (kind == WorkloadRef::Kind::ReplicaSet) add(s.manifests.replica_sets, "replicaset/");
  return out;
}

void check_data(Scenario& s, Diagnostics& d) {
  std::set<std::string> names;
  for (auto& ds : s.data) {
    if (!ds.name.empty() && !names.insert(ds.name).second)
      error_at(d, s, ds.path + ".name", "data service \"" + ds.name + "\" is defined twice");
    if (ds.workload.name.empty()) continue;
    const auto found = find_workloads(s, ds.workload);
    if (found.empty()) {
      error_at(d, s, ds.path + ".workload",
               ds.workload.str() + (ds.workload.ns.empty() ? "" : " in namespace " + ds.workload.ns) +
                   " is not defined by any manifest" +
                   did_you_mean(ds.workload.str(), workload_names(s, ds.workload.kind)));
      continue;
    }
    // Two objects of one name in one namespace are reported where the second is defined.
    const auto other_ns =
        std::find_if(found.begin(), found.end(), [&](const WorkloadInfo& w) { return w.ns != found[0].ns; });
    if (other_ns != found.end()) {
      error_at(d, s, ds.path + ".workload",
               ds.workload.str() + " exists in namespaces " + found[0].ns + " and " + other_ns->ns + ": give namespace");
      continue;
    }
    ds.workload.ns = found[0].ns;
    if (!ds.clean) continue;  // its type or keyspace may be a stand-in
    const std::int32_t replicas = found[0].replicas;
    // An object read with errors may hold a stand-in replica count: checks against it would only
    // add follow-on diagnostics.
    const bool replicas_known = found[0].clean;
    // The single-instance model holds its data on one pod: more replicas are an error (the data
    // model refuses them), none only leaves the service without data.
    if (replicas_known && ds.type == DataType::Single) {
      if (replicas > 1)
        error_at(d, s, ds.path + ".workload",
                 "a single-instance service runs on one pod, " + ds.workload.str() + " has " +
                     std::to_string(replicas) + " replicas (leader-follower and galera model several)");
      else if (replicas != 1)
        warning_at(
            d, s, ds.path + ".workload",
            "a single-instance service expects 1 replica, " + ds.workload.str() + " has " + std::to_string(replicas));
    }
    if (replicas_known && ds.type == DataType::Galera && ds.params && ds.params->is_map())
      if (const Node* w = ds.params->find("weights"); w && w->is_seq() && w->items.size() != static_cast<std::size_t>(replicas))
        error_at(d, s, ds.path + ".params.weights",
                 std::to_string(w->items.size()) + " weights for the " + std::to_string(replicas) + " replicas of " +
                     ds.workload.str() + ": give one per member, in ordinal order");
    if (ds.type == DataType::Cassandra && ds.replication) {
      const auto& r = *ds.replication;
      if (r.strategy == Replication::Strategy::NetworkTopology && !s.cloud.region.empty()) {
        // Ec2Snitch's data center is one name, after the naming scheme (params.ec2NamingScheme,
        // legacy by default; a wrong value is reported with the params).
        const auto dc_names = snitch_dc_names(s.cloud.region);
        const Node* scheme = ds.params && ds.params->is_map() ? ds.params->find("ec2NamingScheme") : nullptr;
        const bool standard = scheme != nullptr && scheme->is_scalar() && scheme->text == "standard";
        const std::string dc_name = standard ? dc_names.back() : dc_names.front();
        for (const auto& [dc, n] : r.per_dc) {
          if (dc == dc_name) continue;
          std::string msg = "no data center \"" + dc + "\" in this cluster: Ec2Snitch names region " + s.cloud.region +
                            " \"" + dc_name + "\"";
          if (dc_names.size() > 1)
            msg += standard ? " with params.ec2NamingScheme: standard (\"" + dc_names.front() + "\" with legacy naming)"
                            : " with legacy naming, the default (\"" + dc_names.back() +
                                  "\" with params.ec2NamingScheme: standard)";
          error_at(d, s, child_path(ds.path + ".keyspace.replication", dc), msg + did_you_mean(dc, {dc_name}));
        }
      }
      if (replicas_known && r.total() > replicas)
        warning_at(d, s, ds.path + ".keyspace.replication",
                   "replication factor " + std::to_string(r.total()) + " is more than the " + std::to_string(replicas) +
                       " replicas of " + ds.workload.str() + ": some consistency levels can never be met");
    }
  }
}

}  // namespace

void validate_workloads(Scenario& s, Diagnostics& d) {
  const auto& m = s.manifests;
  check_unique(m.stateful_sets, "StatefulSet", d);
  check_unique(m.deployments, "Deployment", d);
  check_unique(m.replica_sets, "ReplicaSet", d);
  check_unique(m.pods, "Pod", d);
  check_unique(m.pod_disruption_budgets, "PodDisruptionBudget", d);
  check_unique(m.services, "Service", d);

  // A bare pod may not take the name of a StatefulSet's pod (SET-ORDINAL).
  std::map<std::string, std::vector<const Declared<k8s::StatefulSet>*>> sets;
  for (const auto& sts : m.stateful_sets) sets[sts.object.meta.name].push_back(&sts);
  for (const auto& p : m.pods) {
    const std::string& name = p.object.meta.name;
    const auto dash = name.rfind('-');
    if (dash == std::string::npos) continue;
    const std::string ord = name.substr(dash + 1);
    if (ord.empty() || ord.size() > 9 || ord.find_first_not_of("0123456789") != std::string::npos) continue;
    auto it = sets.find(name.substr(0, dash));
    if (it == sets.end()) continue;
    const long long n = std::stoll(ord);
    for (const auto* sts : it->second) {
      const auto& o = sts->object;
      if (o.meta.ns == p.object.meta.ns && n >= o.ordinals_start &&
          n < static_cast<long long>(o.ordinals_start) + o.replicas)
        error_at(d, p, "metadata.name", "pod \"" + name + "\" is also a pod of " + sts->ref);
    }
  }

  // At most kMaxTotalPods pods at the workloads' declared sizes.
  std::int64_t total = static_cast<std::int64_t>(m.pods.size());
  bool reported = false;
  auto add = [&](const auto& list) {
    for (const auto& w : list) {
      total += w.object.replicas;
      if (total > limits::kMaxTotalPods && !reported) {
        error_at(d, w, "spec.replicas",
                 "the workloads would run more than " + std::to_string(limits::kMaxTotalPods) + " pods: azsim's limit");
        reported = true;
      }
    }
  };
  add(m.stateful_sets);
  add(m.deployments);
  add(m.replica_sets);

  const ObjectIndex index(s);
  PodChecks pods(s, index, d);
  for (const auto& w : m.stateful_sets)
    pods.check(w.object.template_.spec, w.object.meta.ns, w, "spec.template.spec", &w.object);
  for (const auto& w : m.deployments)
    pods.check(w.object.template_.spec, w.object.meta.ns, w, "spec.template.spec", nullptr);
  for (const auto& w : m.replica_sets)
    pods.check(w.object.template_.spec, w.object.meta.ns, w, "spec.template.spec", nullptr);
  for (const auto& p : m.pods) pods.check(p.object.spec, p.object.meta.ns, p, "spec", nullptr);

  check_data(s, d);
}

}  // namespace azsim::scenario::check
