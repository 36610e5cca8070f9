// The reason strings kube-scheduler's plugins put into FailedScheduling messages, as named
// constants, with the Kubernetes version where a wording changed. Every string is copied from
// the plugin source named next to it (kubernetes/kubernetes pkg/scheduler/framework/plugins/...)
// and is part of the output users grep for: never reword one.
#pragma once

#include <string>
#include <string_view>

#include "models/k8s/objects.hpp"
#include "models/k8s/version.hpp"

namespace azsim::scheduler::reasons {

// nodeunschedulable/node_unschedulable.go ErrReasonUnschedulable
inline constexpr std::string_view kNodeUnschedulable = "node(s) were unschedulable";
// nodename/node_name.go ErrReason
inline constexpr std::string_view kNodeName = "node(s) didn't match the requested node name";
// nodeaffinity/node_affinity.go ErrReasonPod
inline constexpr std::string_view kNodeAffinity = "node(s) didn't match Pod's node affinity/selector";
// nodeports/node_ports.go ErrReason
inline constexpr std::string_view kNodePorts = "node(s) didn't have free ports for the requested pod ports";
// noderesources/fit.go fitsRequest
inline constexpr std::string_view kTooManyPods = "Too many pods";
inline constexpr std::string_view kInsufficientCpu = "Insufficient cpu";
inline constexpr std::string_view kInsufficientMemory = "Insufficient memory";
inline constexpr std::string_view kInsufficientEphemeralStorage = "Insufficient ephemeral-storage";
// volumerestrictions/volume_restrictions.go ErrReasonDiskConflict (same in-tree EBS volume id
// already used by a pod on the node) and ErrReasonReadWriteOncePodConflict.
inline constexpr std::string_view kDiskConflict = "node(s) had no available disk";
inline constexpr std::string_view kReadWriteOncePodConflict =
    "node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode";
// nodevolumelimits/csi.go ErrReasonMaxVolumeCountExceeded
inline constexpr std::string_view kMaxVolumeCount = "node(s) exceed max volume count";
// volumebinding/binder.go ErrReasonBindConflict / ErrReasonNodeConflict / ErrReasonPVNotExist
inline constexpr std::string_view kBindConflict = "node(s) didn't find available persistent volumes to bind";
inline constexpr std::string_view kVolumeNodeConflictOld = "node(s) had volume node affinity conflict";
inline constexpr std::string_view kVolumeNodeConflictNew = "node(s) didn't match PersistentVolume's node affinity";
inline constexpr std::string_view kPvNotExist =
    "node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)";
// volumebinding/volume_binding.go PreFilter
inline constexpr std::string_view kUnboundImmediateClaims = "pod has unbound immediate PersistentVolumeClaims";
// volumezone/volume_zone.go ErrReasonConflict
inline constexpr std::string_view kVolumeZoneConflict = "node(s) had no available volume zone";
// podtopologyspread/common.go ErrReasonConstraintsNotMatch / ErrReasonNodeLabelNotMatch
inline constexpr std::string_view kSpreadConstraints = "node(s) didn't match pod topology spread constraints";
inline constexpr std::string_view kSpreadMissingLabel =
    "node(s) didn't match pod topology spread constraints (missing required label)";
// interpodaffinity/filtering.go
inline constexpr std::string_view kPodAffinity = "node(s) didn't match pod affinity rules";
inline constexpr std::string_view kPodAntiAffinity = "node(s) didn't match pod anti-affinity rules";
inline constexpr std::string_view kExistingAntiAffinity = "node(s) didn't satisfy existing pods anti-affinity rules";
// tainttoleration/taint_toleration.go, >= 1.34 (k/k PR #134740 dropped the taint from the text)
inline constexpr std::string_view kUntoleratedTaints = "node(s) had untolerated taint(s)";
// framework/preemption/preemption.go (absent nodes) and defaultpreemption SelectVictimsOnNode
inline constexpr std::string_view kPreemptionNotHelpful = "Preemption is not helpful for scheduling";
inline constexpr std::string_view kNoPreemptionVictims = "No preemption victims found for incoming pod";
// dynamicresources PostFilter for a pod without resource claims; DRA is on by default from 1.34
inline constexpr std::string_view kNoNewClaimsToDeallocate = "no new claims to deallocate";
// schedule_one.go ErrNoNodesAvailable
inline constexpr std::string_view kNoNodesAvailable = "no nodes available to schedule pods";

/// `node(s) had untolerated taint {KEY: VALUE}` (1.25 to 1.33, fmt "{%s: %s}" so an empty value
/// leaves "KEY: "), `node(s) had untolerated taint(s)` from 1.34 on.
std::string untolerated_taint(const k8s::KubeVersion& v, const k8s::Taint& t);

/// `node(s) had volume node affinity conflict` up to 1.32, `node(s) didn't match
/// PersistentVolume's node affinity` from 1.33 on (binder.go ErrReasonNodeConflict).
std::string_view volume_node_conflict(const k8s::KubeVersion& v);

/// `persistentvolumeclaim "NAME" not found` (the API NotFound error text VolumeBinding and
/// VolumeRestrictions return from PreFilter).
std::string claim_not_found(std::string_view claim);
/// `persistentvolume "NAME" not found` (VolumeZone PreFilter for a bound claim's missing PV).
std::string volume_not_found(std::string_view pv);

}  // namespace azsim::scheduler::reasons
