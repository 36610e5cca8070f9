// The in-tree plugins this scheduler runs, in kube-scheduler's default order
// (pkg/scheduler/apis/config/v1/default_plugins.go). The Filter plugins come first, in the
// order kube-scheduler runs them; per node only the first failing one counts.
#pragma once

#include <cstdint>

namespace azsim::scheduler {

enum class PluginId : std::uint8_t {
  NodeUnschedulable,
  NodeName,
  TaintToleration,
  NodeAffinity,
  NodePorts,
  NodeResourcesFit,
  VolumeRestrictions,
  NodeVolumeLimits,
  VolumeBinding,
  VolumeZone,
  PodTopologySpread,
  InterPodAffinity,
  // Not filters:
  NodeResourcesBalancedAllocation,
  ImageLocality,
  DefaultPreemption,
  DefaultBinder,
  PrioritySort,
};

inline constexpr int kNumPlugins = 17;
inline constexpr int kNumFilterPlugins = 12;

/// A set of plugins (bit i = PluginId i), e.g. the plugins that rejected a queued pod.
using PluginMask = std::uint32_t;
inline constexpr PluginMask mask_of(PluginId p) { return PluginMask{1} << static_cast<unsigned>(p); }

/// kube-scheduler's plugin name ("NodeResourcesFit").
const char* plugin_name(PluginId p);

}  // namespace azsim::scheduler
