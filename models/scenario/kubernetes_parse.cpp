// spec.kubernetes: the Kubernetes version and every control-plane default of FIDELITY.md A,
// as camelCase keys of controllers::KubernetesParams.
#include <algorithm>

#include "models/scenario/spec_parse.hpp"
#include "models/scenario/suggest.hpp"

namespace azsim::scenario::spec {

namespace {

/// Periods drive polling loops: zero would never advance, so they must be at least 1 ms.
constexpr sim::Duration kMinPeriod = sim::Duration::millis(1);

void period(const Field& f, sim::Duration& out) {
  auto d = f.duration();
  if (!d) return;
  if (*d < kMinPeriod)
    f.error("must be at least 1ms");
  else
    out = *d;
}

void span(const Field& f, sim::Duration& out) {
  if (auto d = f.duration()) out = *d;
}

void read_cluster_autoscaler(const Field& f, controllers::ClusterAutoscalerParams& ca) {
  f.check_keys({"enabled", "scanInterval", "maxNodeProvisionTime", "scaleDownUnneededTime", "scaleDownDelayAfterAdd",
                "maxTotalUnreadyPercentage", "okTotalUnreadyCount", "balanceSimilarNodeGroups"},
               UnknownKeys::Error);
  if (auto b = f["enabled"].boolean()) ca.enabled = *b;
  period(f["scanInterval"], ca.scan_interval);
  span(f["maxNodeProvisionTime"], ca.max_node_provision_time);
  span(f["scaleDownUnneededTime"], ca.scale_down_unneeded_time);
  span(f["scaleDownDelayAfterAdd"], ca.scale_down_delay_after_add);
  if (auto v = f["maxTotalUnreadyPercentage"].number(0, 100)) ca.max_total_unready_percentage = *v;
  if (auto v = f["okTotalUnreadyCount"].int32(0)) ca.ok_total_unready_count = *v;
  if (auto b = f["balanceSimilarNodeGroups"].boolean()) ca.balance_similar_node_groups = *b;
}

/// kube-apiserver --enable-admission-plugins. Only PersistentVolumeLabel changes anything:
/// the others listed are the ones every simulated cluster behaves as having.
void read_admission_plugins(const Field& f, const k8s::KubeVersion& version, std::vector<std::string>& out) {
  const std::vector<std::string> known = {"PersistentVolumeLabel",
                                          "DefaultStorageClass",
                                          "DefaultTolerationSeconds",
                                          "Priority",
                                          "NamespaceLifecycle",
                                          "LimitRanger",
                                          "ServiceAccount",
                                          "ResourceQuota",
                                          "NodeRestriction",
                                          "MutatingAdmissionWebhook",
                                          "ValidatingAdmissionWebhook",
                                          "ValidatingAdmissionPolicy",
                                          "PodSecurity",
                                          "StorageObjectInUseProtection",
                                          "PersistentVolumeClaimResize",
                                          "RuntimeClass",
                                          "DefaultIngressClass",
                                          "TaintNodesByCondition",
                                          "CertificateApproval",
                                          "CertificateSigning",
                                          "CertificateSubjectRestriction",
                                          "ClusterTrustBundleAttest"};
  const auto items = f.items();
  for (const auto& item : items) {
    auto name = item.str();
    if (!name) continue;
    if (std::find(known.begin(), known.end(), *name) == known.end()) {
      item.error("\"" + *name + "\" is not an admission plugin azsim knows" + did_you_mean(*name, known));
      continue;
    }
    if (*name == "PersistentVolumeLabel" && version.at_least(1, 31)) {
      item.error(
          "PersistentVolumeLabel was removed in Kubernetes 1.31; set spec.kubernetes.version below 1.31 or label the "
          "PersistentVolumes yourself");
      continue;
    }
    out.push_back(*name);
  }
}

}  // namespace

void read_kubernetes(const Field& f, controllers::KubernetesParams& k, std::vector<std::string>& plugins) {
  f.check_keys({"version",
                "nodeMonitorGracePeriod",
                "nodeMonitorPeriod",
                "nodeStartupGracePeriod",
                "nodeEvictionRate",
                "secondaryNodeEvictionRate",
                "unhealthyZoneThreshold",
                "largeClusterSizeThreshold",
                "nodeLeaseDuration",
                "nodeLeaseRenewInterval",
                "defaultNotReadyTolerationSeconds",
                "defaultUnreachableTolerationSeconds",
                "maxWaitForUnmount",
                "attachDetachReconcilerPeriod",
                "podGCPeriod",
                "podGCQuarantine",
                "cloudNodeLifecyclePeriod",
                "schedulerBackoffInitial",
                "schedulerBackoffMax",
                "podMaxInUnschedulable",
                "percentageOfNodesToScore",
                "containerStart",
                "clusterAutoscaler",
                "enableAdmissionPlugins"},
               UnknownKeys::Error);
  if (auto v = f["version"].str()) {
    if (auto parsed = k8s::KubeVersion::parse(*v)) {
      k.version = *parsed;
      if (const std::string w = k8s::unmodelled_version_warning(*parsed); !w.empty()) f["version"].warning(w);
    } else
      f["version"].error("\"" + *v + "\" is not a Kubernetes version: write it like \"1.29\" (quoted)");
  }
  if (auto d = f["nodeMonitorGracePeriod"].duration()) k.node_monitor_grace_period = *d;
  period(f["nodeMonitorPeriod"], k.node_monitor_period);
  span(f["nodeStartupGracePeriod"], k.node_startup_grace_period);
  if (auto v = f["nodeEvictionRate"].number(0, 1e6)) k.node_eviction_rate = *v;
  if (auto v = f["secondaryNodeEvictionRate"].number(0, 1e6)) k.secondary_node_eviction_rate = *v;
  if (auto v = f["unhealthyZoneThreshold"].number(0, 1)) k.unhealthy_zone_threshold = *v;
  if (auto v = f["largeClusterSizeThreshold"].int32(0)) k.large_cluster_size_threshold = *v;
  span(f["nodeLeaseDuration"], k.node_lease_duration);
  period(f["nodeLeaseRenewInterval"], k.node_lease_renew_interval);
  // Seconds, as the API server's flags take them; bounded so they fit a Duration.
  constexpr std::int64_t kMaxSeconds = 100LL * 365 * 86400;
  if (auto v = f["defaultNotReadyTolerationSeconds"].integer(0, kMaxSeconds))
    k.default_not_ready_toleration_seconds = *v;
  if (auto v = f["defaultUnreachableTolerationSeconds"].integer(0, kMaxSeconds))
    k.default_unreachable_toleration_seconds = *v;
  span(f["maxWaitForUnmount"], k.max_wait_for_unmount);
  period(f["attachDetachReconcilerPeriod"], k.attach_detach_reconciler_period);
  period(f["podGCPeriod"], k.pod_gc_period);
  span(f["podGCQuarantine"], k.pod_gc_quarantine);
  period(f["cloudNodeLifecyclePeriod"], k.cloud_node_lifecycle_period);
  period(f["schedulerBackoffInitial"], k.scheduler_backoff_initial);
  period(f["schedulerBackoffMax"], k.scheduler_backoff_max);
  if (k.scheduler_backoff_initial > k.scheduler_backoff_max)
    (f.has("schedulerBackoffMax") ? f["schedulerBackoffMax"] : f["schedulerBackoffInitial"])
        .error("schedulerBackoffInitial must not exceed schedulerBackoffMax");
  period(f["podMaxInUnschedulable"], k.pod_max_in_unschedulable);
  if (auto v = f["percentageOfNodesToScore"].int32(0, 100)) k.percentage_of_nodes_to_score = *v;
  if (auto d = read_distribution(f["containerStart"])) k.container_start = *d;
  if (f["clusterAutoscaler"].expect_map()) read_cluster_autoscaler(f["clusterAutoscaler"], k.cluster_autoscaler);
  read_admission_plugins(f["enableAdmissionPlugins"], k.version, plugins);
}

}  // namespace azsim::scenario::spec
