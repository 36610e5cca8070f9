#include "models/scheduler/reasons.hpp"

#include "models/scheduler/plugin_id.hpp"

namespace azsim::scheduler {

const char* plugin_name(PluginId p) {
  switch (p) {
    case PluginId::NodeUnschedulable: return "NodeUnschedulable";
    case PluginId::NodeName: return "NodeName";
    case PluginId::TaintToleration: return "TaintToleration";
    case PluginId::NodeAffinity: return "NodeAffinity";
    case PluginId::NodePorts: return "NodePorts";
    case PluginId::NodeResourcesFit: return "NodeResourcesFit";
    case PluginId::VolumeRestrictions: return "VolumeRestrictions";
    case PluginId::NodeVolumeLimits: return "NodeVolumeLimits";
    case PluginId::VolumeBinding: return "VolumeBinding";
    case PluginId::VolumeZone: return "VolumeZone";
    case PluginId::PodTopologySpread: return "PodTopologySpread";
    case PluginId::InterPodAffinity: return "InterPodAffinity";
    case PluginId::NodeResourcesBalancedAllocation: return "NodeResourcesBalancedAllocation";
    case PluginId::ImageLocality: return "ImageLocality";
    case PluginId::DefaultPreemption: return "DefaultPreemption";
    case PluginId::DefaultBinder: return "DefaultBinder";
    case PluginId::PrioritySort: return "PrioritySort";
  }
  return "?";
}

namespace reasons {

std::string untolerated_taint(const k8s::KubeVersion& v, const k8s::Taint& t) {
  if (v.at_least(1, 34)) return std::string(kUntoleratedTaints);
  return "node(s) had untolerated taint {" + t.key + ": " + t.value + "}";
}

std::string_view volume_node_conflict(const k8s::KubeVersion& v) {
  return v.at_least(1, 33) ? kVolumeNodeConflictNew : kVolumeNodeConflictOld;
}

std::string claim_not_found(std::string_view claim) {
  return "persistentvolumeclaim \"" + std::string(claim) + "\" not found";
}

std::string volume_not_found(std::string_view pv) {
  return "persistentvolume \"" + std::string(pv) + "\" not found";
}

}  // namespace reasons
}  // namespace azsim::scheduler
