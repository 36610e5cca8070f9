// SchedulerConfig: the KubeSchedulerConfiguration knobs azsim models, with kube-scheduler's
// defaults (FIDELITY A: score weights, percentageOfNodesToScore, backoff, 5-minute flush).
#pragma once

#include <string>

#include "models/k8s/version.hpp"
#include "models/scheduler/queue.hpp"

namespace azsim::scheduler {

/// Score plugin weights (k/k pkg/scheduler/apis/config/v1/default_plugins.go).
struct ScoreWeights {
  int taint_toleration = 3;
  int node_affinity = 2;
  int pod_topology_spread = 2;
  int inter_pod_affinity = 2;
  int node_resources_fit = 1;  ///< LeastAllocated on cpu and memory, weight 1 each
  int balanced_allocation = 1;
  int image_locality = 1;      ///< images are not modelled: ImageLocality scores 0 everywhere
};

struct SchedulerConfig {
  k8s::KubeVersion version;                ///< picks version-dependent messages
  int percentage_of_nodes_to_score = 0;    ///< 0 = adaptive max(5, 50 - nodes/125) %
  ScoreWeights weights;
  QueueConfig queue;
  std::string scheduler_name = "default-scheduler";
  int hard_pod_affinity_weight = 1;        ///< InterPodAffinityArgs.hardPodAffinityWeight
  /// PodTopologySpread defaultingType System: hostname maxSkew 3 + zone maxSkew 5,
  /// ScheduleAnyway, for pods without constraints of their own (FIDELITY A).
  bool system_default_spreading = true;
};

}  // namespace azsim::scheduler
