// Pods, StatefulSets, Deployments, ReplicaSets, PodDisruptionBudgets and Services.
#include "models/scenario/limits.hpp"
#include "models/scenario/manifest_parse.hpp"

namespace azsim::scenario::manifest {

namespace {

const char* kReplicasNote = "azsim's limit on replicas";

/// The selector of a workload, defaulted from the template labels by the old API versions that
/// did so (apps/v1beta1, extensions/v1beta1), required by the others, and checked against the
/// template as the API server does.
k8s::LabelSelector read_workload_selector(const Field& spec, const k8s::PodTemplate& tmpl, bool default_from_template) {
  const Field sel = spec["selector"];
  k8s::LabelSelector out;
  if (!sel.present()) {
    if (default_from_template) {
      out.match_labels = tmpl.meta.labels;
      return out;
    }
    sel.require(
        "e.g. selector: {matchLabels: {app: NAME}} matching the template's labels (apps/v1 does not default it)");
    return out;
  }
  out = read_label_selector(sel);
  if (out.empty() && sel.is_map()) {
    sel.error("an empty selector would select every pod; give matchLabels or matchExpressions");
    return out;
  }
  if (!out.matches(tmpl.meta.labels))
    spec["template"]["metadata"]["labels"].error("selector does not match the template labels");
  return out;
}

std::int32_t read_replicas(const Field& spec) {
  return spec["replicas"].int32(0, limits::kMaxReplicas, kReplicasNote).value_or(spec["replicas"].present() ? 0 : 1);
}

}  // namespace

void read_pod(const Field& root, k8s::Pod& pod) {
  root.check_keys({"apiVersion", "kind", "metadata", "spec", "status"}, UnknownKeys::Warn);
  pod.spec = read_pod_spec(root["spec"]);
}

void read_stateful_set(const Field& root, const std::string& api_version, k8s::StatefulSet& sts) {
  root.check_keys({"apiVersion", "kind", "metadata", "spec", "status"}, UnknownKeys::Warn);
  const Field spec = root["spec"];
  if (!spec.require() || !spec.expect_map()) return;
  spec.check_keys(
      {"replicas", "selector", "template", "volumeClaimTemplates", "serviceName", "podManagementPolicy",
       "updateStrategy", "revisionHistoryLimit", "minReadySeconds", "persistentVolumeClaimRetentionPolicy", "ordinals"},
      UnknownKeys::Warn);
  sts.replicas = read_replicas(spec);
  sts.template_ = read_pod_template(spec["template"], sts.meta.ns);
  sts.selector = read_workload_selector(spec, sts.template_, api_version == "apps/v1beta1");
  if (auto s = spec["serviceName"].str()) sts.service_name = *s;
  if (auto p = spec["podManagementPolicy"].one_of({"OrderedReady", "Parallel"}))
    sts.pod_management_policy =
        *p == "Parallel" ? k8s::PodManagementPolicy::Parallel : k8s::PodManagementPolicy::OrderedReady;
  if (const Field r = spec["persistentVolumeClaimRetentionPolicy"]; r.expect_map()) {
    r.check_keys({"whenDeleted", "whenScaled"}, UnknownKeys::Warn);
    auto policy = [&](const char* key, k8s::PvcRetentionPolicy& out) {
      if (auto p = r[key].one_of({"Retain", "Delete"}))
        out = *p == "Delete" ? k8s::PvcRetentionPolicy::Delete : k8s::PvcRetentionPolicy::Retain;
    };
    policy("whenDeleted", sts.when_deleted);
    policy("whenScaled", sts.when_scaled);
  }
  if (auto m = spec["minReadySeconds"].int32(0)) sts.min_ready_seconds = *m;
  if (const Field o = spec["ordinals"]; o.expect_map()) {
    o.check_keys({"start"}, UnknownKeys::Warn);
    if (auto s = o["start"].int32(0, 2147483647 - limits::kMaxReplicas)) sts.ordinals_start = *s;
  }
  std::vector<std::string> claim_names;
  for (const auto& t : spec["volumeClaimTemplates"].items()) {
    if (!t.expect_map()) continue;
    t.check_keys({"apiVersion", "kind", "metadata", "spec", "status"}, UnknownKeys::Warn);
    k8s::PersistentVolumeClaim pvc;
    pvc.meta = read_meta(t["metadata"], true, "PersistentVolumeClaim");
    pvc.meta.ns = sts.meta.ns;
    for (const auto& n : claim_names)
      if (n == pvc.meta.name && !n.empty()) t["metadata"]["name"].error("duplicate volumeClaimTemplate \"" + n + "\"");
    claim_names.push_back(pvc.meta.name);
    read_pvc_spec(t["spec"], pvc);
    sts.volume_claim_templates.push_back(std::move(pvc));
  }
}

void read_deployment(const Field& root, const std::string& api_version, k8s::Deployment& d) {
  root.check_keys({"apiVersion", "kind", "metadata", "spec", "status"}, UnknownKeys::Warn);
  const Field spec = root["spec"];
  if (!spec.require() || !spec.expect_map()) return;
  spec.check_keys({"replicas", "selector", "template", "strategy", "minReadySeconds", "revisionHistoryLimit", "paused",
                   "progressDeadlineSeconds", "rollbackTo"},
                  UnknownKeys::Warn);
  const bool legacy = api_version == "extensions/v1beta1" || api_version == "apps/v1beta1";
  d.replicas = read_replicas(spec);
  d.template_ = read_pod_template(spec["template"], d.meta.ns);
  d.selector = read_workload_selector(spec, d.template_, legacy);
  // extensions/v1beta1 defaulted both to 1 pod; later versions to 25 %.
  if (api_version == "extensions/v1beta1") d.max_surge = d.max_unavailable = k8s::IntOrPercent{false, 1};
  if (const Field st = spec["strategy"]; st.expect_map()) {
    st.check_keys({"type", "rollingUpdate"}, UnknownKeys::Warn);
    if (auto t = st["type"].one_of({"RollingUpdate", "Recreate"}))
      d.strategy = *t == "Recreate" ? k8s::DeploymentStrategy::Recreate : k8s::DeploymentStrategy::RollingUpdate;
    if (const Field ru = st["rollingUpdate"]; ru.expect_map()) {
      ru.check_keys({"maxUnavailable", "maxSurge"}, UnknownKeys::Warn);
      if (d.strategy == k8s::DeploymentStrategy::Recreate) ru.error("may not be given when strategy type is Recreate");
      if (auto v = read_int_or_percent(ru["maxUnavailable"])) d.max_unavailable = *v;
      if (auto v = read_int_or_percent(ru["maxSurge"])) d.max_surge = *v;
      if (d.max_unavailable.value == 0 && d.max_surge.value == 0)
        ru.error("maxUnavailable and maxSurge may not both be 0");
    }
  }
}

void read_replica_set(const Field& root, const std::string& api_version, k8s::ReplicaSet& rs) {
  root.check_keys({"apiVersion", "kind", "metadata", "spec", "status"}, UnknownKeys::Warn);
  const Field spec = root["spec"];
  if (!spec.require() || !spec.expect_map()) return;
  spec.check_keys({"replicas", "selector", "template", "minReadySeconds"}, UnknownKeys::Warn);
  rs.replicas = read_replicas(spec);
  rs.template_ = read_pod_template(spec["template"], rs.meta.ns);
  rs.selector = read_workload_selector(spec, rs.template_, api_version == "extensions/v1beta1");
}

bool read_pod_disruption_budget(const Field& root, const std::string& api_version, k8s::PodDisruptionBudget& pdb) {
  root.check_keys({"apiVersion", "kind", "metadata", "spec", "status"}, UnknownKeys::Warn);
  const Field spec = root["spec"];
  if (!spec.require() || !spec.expect_map()) return false;
  spec.check_keys({"minAvailable", "selector", "maxUnavailable", "unhealthyPodEvictionPolicy"}, UnknownKeys::Warn);
  pdb.min_available = read_int_or_percent(spec["minAvailable"]);
  pdb.max_unavailable = read_int_or_percent(spec["maxUnavailable"]);
  if (spec["minAvailable"].present() && spec["maxUnavailable"].present())
    spec["maxUnavailable"].error("minAvailable and maxUnavailable cannot both be set");
  // API defaulting: a budget that gives neither protects one pod.
  if (!spec["minAvailable"].present() && !spec["maxUnavailable"].present())
    pdb.min_available = k8s::IntOrPercent{false, 1};
  const Field sel = spec["selector"];
  if (sel.present()) pdb.selector = read_label_selector(sel);
  // policy/v1: a missing selector selects no pods, an empty one every pod of the namespace;
  // policy/v1beta1: both select no pods.
  const bool selects_nothing = !sel.present() || (api_version == "policy/v1beta1" && pdb.selector.empty());
  if (selects_nothing) {
    sel.warning(std::string(sel.present() ? "an empty selector" : "a missing selector") + " in " + api_version +
                " selects no pods: this PodDisruptionBudget has no effect");
    return false;
  }
  return true;
}

void read_service(const Field& root, k8s::Service& svc) {
  root.check_keys({"apiVersion", "kind", "metadata", "spec", "status"}, UnknownKeys::Warn);
  const Field spec = root["spec"];
  if (!spec.expect_map()) return;
  spec.check_keys({"ports",
                   "selector",
                   "clusterIP",
                   "clusterIPs",
                   "type",
                   "externalIPs",
                   "sessionAffinity",
                   "loadBalancerIP",
                   "loadBalancerSourceRanges",
                   "externalName",
                   "externalTrafficPolicy",
                   "healthCheckNodePort",
                   "publishNotReadyAddresses",
                   "sessionAffinityConfig",
                   "ipFamilies",
                   "ipFamilyPolicy",
                   "allocateLoadBalancerNodePorts",
                   "loadBalancerClass",
                   "internalTrafficPolicy",
                   "trafficDistribution"},
                  UnknownKeys::Warn);
  svc.selector = read_string_map(spec["selector"], true);
  if (auto ip = spec["clusterIP"].str()) svc.headless = *ip == "None";
  for (const auto& p : spec["ports"].items()) {
    if (!p.expect_map()) continue;
    p.check_keys({"name", "protocol", "appProtocol", "port", "targetPort", "nodePort"}, UnknownKeys::Warn);
    k8s::ServicePort sp;
    if (auto n = p["name"].str()) sp.name = *n;
    if (auto v = p["port"].int32(1, 65535))
      sp.port = *v;
    else
      p["port"].require();
    svc.ports.push_back(sp);
  }
}

}  // namespace azsim::scenario::manifest
