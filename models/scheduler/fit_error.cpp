#include "models/scheduler/fit_error.hpp"

#include <algorithm>

#include "models/scheduler/reasons.hpp"

namespace azsim::scheduler {

void ReasonCounts::add(std::string_view reason, long long n) {
  for (auto& [r, count] : items_)
    if (r == reason) {
      count += n;
      return;
    }
  items_.emplace_back(reason, n);
}

std::string format_fit_error(int num_all_nodes, const ReasonCounts& counts, std::string_view pre_filter_msg,
                             std::string_view post_filter_msg, const k8s::KubeVersion& v) {
  std::string msg = "0/" + std::to_string(num_all_nodes) + " nodes are available:";
  const bool prefilter_counted_per_node = !v.at_least(1, 25);
  if (!pre_filter_msg.empty() && !prefilter_counted_per_node) {
    msg.append(" ").append(pre_filter_msg).append(".");
  } else {
    // Go builds a map reason -> count, then sorts "count reason" strings; map order is
    // irrelevant because the strings are sorted afterwards.
    std::vector<std::string> parts;
    parts.reserve(counts.items().size());
    for (const auto& [reason, n] : counts.items()) parts.push_back(std::to_string(n).append(" ").append(reason));
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
  if (!post_filter_msg.empty() && v.at_least(1, 24)) {
    msg.append(" ").append(post_filter_msg);
    if (!v.at_least(1, 28)) msg += ".";
  }
  return msg;
}

std::string fit_error_message(const FitError& e, const k8s::KubeVersion& v) {
  const Diagnosis& d = e.diagnosis;
  ReasonCounts counts;
  const bool prefilter_counted_per_node = !v.at_least(1, 25);
  if (d.pre_filter_msg.empty() || prefilter_counted_per_node) {
    for (const auto& ns : d.node_statuses)
      for (const auto& r : ns.status.reasons) counts.add(r);
    const long long absent = static_cast<long long>(e.num_all_nodes) - static_cast<long long>(d.node_statuses.size());
    if (absent > 0) {
      if (d.absent_nodes_status) {
        for (const auto& r : d.absent_nodes_status->reasons) counts.add(r, absent);
      } else if (!d.pre_filter_msg.empty()) {
        counts.add(d.pre_filter_msg, absent);
      }
    }
  }
  return format_fit_error(e.num_all_nodes, counts, d.pre_filter_msg, d.post_filter_msg, v);
}

std::string preemption_post_filter_message(int num_all_nodes, ReasonCounts dry_run_counts, std::size_t dry_run_nodes,
                                           const k8s::KubeVersion& v) {
  // FitError{num_all_nodes, dry-run statuses, absent = "Preemption is not helpful"}.Error().
  const long long absent = static_cast<long long>(num_all_nodes) - static_cast<long long>(dry_run_nodes);
  if (absent > 0) dry_run_counts.add(reasons::kPreemptionNotHelpful, absent);
  std::string msg = "preemption: " + format_fit_error(num_all_nodes, dry_run_counts, {}, {}, v);
  if (v.at_least(1, 34)) msg = std::string(reasons::kNoNewClaimsToDeallocate) + ", " + msg;
  return msg;
}

std::string preemption_post_filter_message(int num_all_nodes, std::vector<NodeStatus> dry_run_statuses,
                                           const k8s::KubeVersion& v) {
  ReasonCounts counts;
  for (const auto& ns : dry_run_statuses)
    for (const auto& r : ns.status.reasons) counts.add(r);
  return preemption_post_filter_message(num_all_nodes, std::move(counts), dry_run_statuses.size(), v);
}

}  // namespace azsim::scheduler
