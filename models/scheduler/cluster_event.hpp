// Cluster events that may make an unschedulable pod schedulable, and which plugins care about
// each (the plugins' EventsToRegister in kube-scheduler, kept coarse: action types without
// queueing hints).
#pragma once

#include <cstdint>

#include "models/scheduler/plugin_id.hpp"

namespace azsim::scheduler {

enum class EventResource : std::uint8_t { Node, AssignedPod, UnscheduledPod, PersistentVolume, PersistentVolumeClaim, StorageClass };

/// Action bits (framework.ActionType).
enum ActionType : std::uint32_t {
  kAdd = 1u << 0,
  kDelete = 1u << 1,
  kUpdate = 1u << 2,  ///< any update of a PV, PVC or StorageClass
  kUpdateNodeLabel = 1u << 3,
  kUpdateNodeTaint = 1u << 4,  ///< taints or spec.unschedulable
  kUpdateNodeAllocatable = 1u << 5,
  kUpdatePodLabel = 1u << 6,
  kUpdatePodToleration = 1u << 7,
};

struct ClusterEvent {
  EventResource resource = EventResource::Node;
  std::uint32_t actions = 0;
};

/// The plugins whose registered events match `e`.
PluginMask plugins_interested_in(const ClusterEvent& e);

}  // namespace azsim::scheduler
