#include "models/scheduler/fit_error.hpp"

#include <algorithm>
#include <map>

#include "models/scheduler/reasons.hpp"

namespace azsim::scheduler {

std::string fit_error_message(const FitError& e, const k8s::KubeVersion& v) {
  const Diagnosis& d = e.diagnosis;
  std::string msg = "0/" + std::to_string(e.num_all_nodes) + " nodes are available:";
  const bool prefilter_counted_per_node = !v.at_least(1, 25);
  if (!d.pre_filter_msg.empty() && !prefilter_counted_per_node) {
    msg += " " + d.pre_filter_msg + ".";
  } else {
    // Go builds a map reason -> count, then sorts "count reason" strings; map order is
    // irrelevant because the strings are sorted afterwards.
    std::map<std::string, long long> counts;
    for (const auto& ns : d.node_statuses)
      for (const auto& r : ns.status.reasons) ++counts[r];
    const long long absent = static_cast<long long>(e.num_all_nodes) - static_cast<long long>(d.node_statuses.size());
    if (absent > 0) {
      if (d.absent_nodes_status) {
        for (const auto& r : d.absent_nodes_status->reasons) counts[r] += absent;
      } else if (!d.pre_filter_msg.empty()) {
        counts[d.pre_filter_msg] += absent;
      }
    }
    std::vector<std::string> parts;
    parts.reserve(counts.size());
    for (const auto& [reason, n] : counts) parts.push_back(std::to_string(n) + " " + reason);
    std::sort(parts.begin(), parts.end());
    if (!parts.empty()) {
      msg += " ";
      for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i) msg += ", ";
        msg += parts[i];
      }
      msg += ".";
    }
  }
  if (!d.post_filter_msg.empty() && v.at_least(1, 24)) {
    msg += " " + d.post_filter_msg;
    if (!v.at_least(1, 28)) msg += ".";
  }
  return msg;
}

std::string preemption_post_filter_message(int num_all_nodes, std::vector<NodeStatus> dry_run_statuses,
                                           const k8s::KubeVersion& v) {
  FitError inner;
  inner.num_all_nodes = num_all_nodes;
  inner.diagnosis.node_statuses = std::move(dry_run_statuses);
  inner.diagnosis.absent_nodes_status =
      Status::make(Code::UnschedulableAndUnresolvable, std::string(reasons::kPreemptionNotHelpful));
  std::string msg = "preemption: " + fit_error_message(inner, v);
  if (v.at_least(1, 34)) msg = std::string(reasons::kNoNewClaimsToDeallocate) + ", " + msg;
  return msg;
}

}  // namespace azsim::scheduler
