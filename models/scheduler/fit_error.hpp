// The `0/N nodes are available: ...` message of a FailedScheduling event, built by one pure
// function exactly as kube-scheduler's FitError.Error() builds it
// (pkg/scheduler/framework/types.go), plus the DefaultPreemption PostFilter message that follows
// it (pkg/scheduler/framework/preemption/preemption.go, defaultpreemption PostFilter).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
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

/// The reasons of a diagnosis counted: each distinct reason once, with the number of nodes
/// (or times) it was given, in first-added order. Views must outlive the counts: they point
/// at reason constants, a ReasonTable or a Diagnosis. Few distinct reasons occur in one
/// message, so a linear search beats any map here.
class ReasonCounts {
 public:
  void add(std::string_view reason, long long n = 1);
  std::span<const std::pair<std::string_view, long long>> items() const { return items_; }
  void clear() { items_.clear(); }

 private:
  std::vector<std::pair<std::string_view, long long>> items_;
};

/// The formatting half of FitError.Error() over reasons already counted (every node's
/// reasons, absent nodes included): `0/N nodes are available:`, then ` <pre_filter_msg>.`
/// when a PreFilter rejected the pod (from 1.25 on), else the "<count> <reason>" strings
/// sorted as strings, joined by ", " and ended by "."; then ` <post_filter_msg>`.
/// fit_error_message() and the scheduler's allocation-light failure path both end here, so
/// their texts cannot drift apart.
std::string format_fit_error(int num_all_nodes, const ReasonCounts& counts, std::string_view pre_filter_msg,
                             std::string_view post_filter_msg, const k8s::KubeVersion& v);

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
/// The same message from the examined nodes' reasons already counted (`dry_run_counts`,
/// over `dry_run_nodes` nodes); the absent nodes' "not helpful" is added here.
std::string preemption_post_filter_message(int num_all_nodes, ReasonCounts dry_run_counts, std::size_t dry_run_nodes,
                                           const k8s::KubeVersion& v);

}  // namespace azsim::scheduler
