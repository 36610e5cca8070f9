// Tunable behaviour of the simulated control plane: every default cites its row of
// FIDELITY.md and is overridable under spec.kubernetes (and spec.kubernetes.clusterAutoscaler).
#pragma once

#include <cstdint>
#include <optional>

#include "models/cloud/params.hpp"
#include "models/k8s/version.hpp"
#include "sim/time.hpp"

namespace azsim::controllers {

using sim::Duration;

struct ClusterAutoscalerParams {
  bool enabled = false;                                         // off unless the scenario enables it
  Duration scan_interval = Duration::seconds(10);               // FIDELITY A "CA scan-interval"
  Duration max_node_provision_time = Duration::minutes(15);     // FIDELITY A "CA max-node-provision-time"
  Duration scale_down_unneeded_time = Duration::minutes(10);    // FIDELITY A "CA scale-down-unneeded-time"
  Duration scale_down_delay_after_add = Duration::minutes(10);  // FIDELITY A "... / delay-after-add"
  double max_total_unready_percentage = 45;                     // FIDELITY A "CA max-total-unready-percentage"
  std::int32_t ok_total_unready_count = 3;                      // FIDELITY A "... / ok-total-unready-count"
  bool balance_similar_node_groups = false;                     // FIDELITY A "CA balance-similar-node-groups"
};

struct KubernetesParams {
  k8s::KubeVersion version{1, 29};
  // FIDELITY A "node-monitor-grace-period": 50 s from v1.32, 40 s before. Unset = by version.
  std::optional<Duration> node_monitor_grace_period;
  Duration node_monitor_period = Duration::seconds(5);          // FIDELITY A "node-monitor-period"
  Duration node_startup_grace_period = Duration::seconds(60);   // FIDELITY A "node-startup-grace-period"
  double node_eviction_rate = 0.1;                              // FIDELITY A "node-eviction-rate" (nodes/s per zone)
  double secondary_node_eviction_rate = 0.01;                   // FIDELITY A "secondary-node-eviction-rate"
  double unhealthy_zone_threshold = 0.55;                       // FIDELITY A "unhealthy-zone-threshold"
  std::int32_t large_cluster_size_threshold = 50;               // FIDELITY A "large-cluster-size-threshold"
  Duration node_lease_duration = Duration::seconds(40);         // FIDELITY A "kubelet node lease"
  Duration node_lease_renew_interval = Duration::seconds(10);   // FIDELITY A "kubelet node lease"
  std::int64_t default_not_ready_toleration_seconds = 300;      // FIDELITY A "default not-ready / unreachable toleration"
  std::int64_t default_unreachable_toleration_seconds = 300;    // same row
  Duration max_wait_for_unmount = Duration::minutes(6);         // FIDELITY A "attach/detach maxWaitForUnmountDuration"
  Duration attach_detach_reconciler_period = Duration::millis(100);  // same row
  Duration pod_gc_period = Duration::seconds(20);               // FIDELITY A "PodGC period / orphan quarantine"
  Duration pod_gc_quarantine = Duration::seconds(40);           // same row
  Duration cloud_node_lifecycle_period = Duration::seconds(5);  // FIDELITY A "cloud node-lifecycle check"
  Duration scheduler_backoff_initial = Duration::seconds(1);    // FIDELITY A "scheduler backoff initial / max"
  Duration scheduler_backoff_max = Duration::seconds(10);       // same row
  Duration pod_max_in_unschedulable = Duration::minutes(5);     // FIDELITY A "podMaxInUnschedulablePodsDuration"
  std::int32_t percentage_of_nodes_to_score = 0;                // FIDELITY A "percentageOfNodesToScore": 0 = adaptive
  // Container start (image pull + process start) when a workload does not say (not published;
  // parameter). Readiness follows the pod's readinessProbe initialDelaySeconds.
  cloud::DurationDistribution container_start = cloud::DurationDistribution::constant(Duration::seconds(5));
  // Time containers take to exit after SIGTERM, capped by the pod's grace period (not
  // published; parameter).
  Duration container_stop = Duration::seconds(2);
  ClusterAutoscalerParams cluster_autoscaler;

  Duration effective_node_monitor_grace_period() const {
    if (node_monitor_grace_period) return *node_monitor_grace_period;
    return version.at_least(1, 32) ? Duration::seconds(50) : Duration::seconds(40);
  }
};

}  // namespace azsim::controllers
