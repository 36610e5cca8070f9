// The `0/N nodes are available: ...` message of a FailedScheduling event, built by one pure
// function exactly as kube-scheduler's FitError.Error() builds it
// (pkg/scheduler/framework/types.go), plus the DefaultPreemption PostFilter message that follows
// it (pkg/scheduler/framework/preemption/preemption.go, defaultpreemption PostFilter).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "models/k8s/version.hpp"
#include "models/scheduler/status.hpp"

namespace azsim::scheduler {

/// The first failing Filter status of one node.
struct NodeStatus {
  std::string node;
  Status status;
};

/// Why a pod fits nowhere (framework.Diagnosis). `node_statuses` lists nodes explicitly;
/// nodes not listed (num_all_nodes minus that count) take `absent_nodes_status` when set,
/// which is how a PreFilter rejection (applied to every node) and preemption's "not helpful"
/// are recorded.
struct Diagnosis {
  std::vector<NodeStatus> node_statuses;
  std::optional<Status> absent_nodes_status;
  std::string pre_filter_msg;   ///< message of the rejecting PreFilter plugin, if any
  std::string post_filter_msg;  ///< message of the PostFilter plugins, if any
};

struct FitError {
  int num_all_nodes = 0;
  Diagnosis diagnosis;
};

/// FitError.Error(): `0/N nodes are available:` then, if a PreFilter rejected the pod,
/// ` <PreFilterMsg>.`, else ` ` + the "<count> <reason>" strings (each reason of each node
/// counted) sorted as strings and joined by ", " + `.`; then ` <PostFilterMsg>`.
/// Version differences: before 1.25 a PreFilter rejection was counted per node like a filter
/// reason (k/k PR #110894); before 1.28 the PostFilter message got its own trailing "." (hence
/// the familiar ".." after "incoming pod"; k/k PR #117588); before 1.24 there was no
/// PostFilter message at all (k/k PR #107775).
std::string fit_error_message(const FitError& e, const k8s::KubeVersion& v);

/// The DefaultPreemption PostFilter message when no preemption candidate exists:
/// `preemption: ` + FitError{num_all_nodes, statuses, absent = "Preemption is not helpful
/// for scheduling"}.Error(), prefixed from 1.34 on by the DynamicResources PostFilter reason
/// `no new claims to deallocate, ` (DRA is enabled by default from 1.34 and runs first).
/// `dry_run_statuses` are the nodes preemption examined (nodes rejected as Unschedulable).
std::string preemption_post_filter_message(int num_all_nodes, std::vector<NodeStatus> dry_run_statuses,
                                           const k8s::KubeVersion& v);

}  // namespace azsim::scheduler
