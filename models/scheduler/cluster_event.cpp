#include "models/scheduler/cluster_event.hpp"

namespace azsim::scheduler {

namespace {

struct Registration {
  PluginId plugin;
  EventResource resource;
  std::uint32_t actions;
};

// EventsToRegister of each in-tree plugin (kube-scheduler, without queueing hints; with the
// Node Add | UpdateNodeTaint | UpdateNodeLabel widening kube-scheduler applies when hints are off).
constexpr std::uint32_t kNodeAddish = kAdd | kUpdateNodeLabel | kUpdateNodeTaint;
constexpr Registration kRegistrations[] = {
    {PluginId::NodeUnschedulable, EventResource::Node, kAdd | kUpdateNodeTaint},
    {PluginId::NodeName, EventResource::Node, kNodeAddish},
    {PluginId::TaintToleration, EventResource::Node, kAdd | kUpdateNodeTaint},
    {PluginId::TaintToleration, EventResource::UnscheduledPod, kUpdatePodToleration},
    {PluginId::NodeAffinity, EventResource::Node, kAdd | kUpdateNodeLabel},
    {PluginId::NodePorts, EventResource::AssignedPod, kDelete},
    {PluginId::NodePorts, EventResource::Node, kNodeAddish},
    {PluginId::NodeResourcesFit, EventResource::AssignedPod, kDelete},
    {PluginId::NodeResourcesFit, EventResource::Node, kAdd | kUpdateNodeAllocatable | kUpdateNodeTaint | kUpdateNodeLabel},
    {PluginId::VolumeRestrictions, EventResource::AssignedPod, kDelete},
    {PluginId::VolumeRestrictions, EventResource::Node, kNodeAddish},
    {PluginId::VolumeRestrictions, EventResource::PersistentVolumeClaim, kAdd},
    {PluginId::NodeVolumeLimits, EventResource::AssignedPod, kDelete},
    {PluginId::NodeVolumeLimits, EventResource::Node, kNodeAddish | kUpdateNodeAllocatable},
    {PluginId::NodeVolumeLimits, EventResource::PersistentVolumeClaim, kAdd},
    {PluginId::NodeVolumeLimits, EventResource::PersistentVolume, kAdd},
    {PluginId::VolumeBinding, EventResource::StorageClass, kAdd | kUpdate},
    {PluginId::VolumeBinding, EventResource::PersistentVolumeClaim, kAdd | kUpdate},
    {PluginId::VolumeBinding, EventResource::PersistentVolume, kAdd | kUpdate},
    {PluginId::VolumeBinding, EventResource::Node, kNodeAddish},
    {PluginId::VolumeZone, EventResource::StorageClass, kAdd},
    {PluginId::VolumeZone, EventResource::PersistentVolumeClaim, kAdd | kUpdate},
    {PluginId::VolumeZone, EventResource::PersistentVolume, kAdd | kUpdate},
    {PluginId::VolumeZone, EventResource::Node, kNodeAddish},
    {PluginId::PodTopologySpread, EventResource::AssignedPod, kAdd | kDelete | kUpdatePodLabel},
    {PluginId::PodTopologySpread, EventResource::Node, kAdd | kDelete | kUpdateNodeLabel | kUpdateNodeTaint},
    {PluginId::InterPodAffinity, EventResource::AssignedPod, kAdd | kDelete | kUpdatePodLabel},
    {PluginId::InterPodAffinity, EventResource::Node, kNodeAddish},
};

}  // namespace

PluginMask plugins_interested_in(const ClusterEvent& e) {
  PluginMask m = 0;
  for (const auto& r : kRegistrations)
    if (r.resource == e.resource && (r.actions & e.actions) != 0) m |= mask_of(r.plugin);
  return m;
}

}  // namespace azsim::scheduler
