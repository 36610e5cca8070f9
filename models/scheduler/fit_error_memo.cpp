#include "models/scheduler/fit_error_memo.hpp"

namespace azsim::scheduler {

bool FitErrorMemo::Entry::same(int n, const ReasonCounts& c, std::size_t k, std::string_view p,
                               std::string_view q) const {
  if (!set || num_all_nodes != n || nodes != k || pre != p || post != q) return false;
  const auto items = c.items();
  if (items.size() != counts.size()) return false;
  for (std::size_t i = 0; i < items.size(); ++i)
    if (items[i].second != counts[i].second || items[i].first != counts[i].first) return false;
  return true;
}

void FitErrorMemo::Entry::remember(int n, const ReasonCounts& c, std::size_t k, std::string_view p,
                                   std::string_view q) {
  set = true;
  num_all_nodes = n;
  nodes = k;
  pre.assign(p);
  post.assign(q);
  counts.clear();
  for (const auto& [reason, count] : c.items()) counts.emplace_back(std::string(reason), count);
}

FitErrorMemo::Entry* FitErrorMemo::find(std::array<Entry, kEntries>& entries, int n, const ReasonCounts& c,
                                         std::size_t k, std::string_view p, std::string_view q) {
  for (auto& e : entries)
    if (e.same(n, c, k, p, q)) return &e;
  return nullptr;
}

const std::string& FitErrorMemo::format(int num_all_nodes, const ReasonCounts& counts, std::string_view pre_filter_msg,
                                        std::string_view post_filter_msg) {
  if (Entry* e = find(fit_, num_all_nodes, counts, 0, pre_filter_msg, post_filter_msg)) return e->msg;
  Entry& e = fit_[next_fit_];
  next_fit_ = (next_fit_ + 1) % kEntries;
  e.msg = format_fit_error(num_all_nodes, counts, pre_filter_msg, post_filter_msg, version_);
  e.remember(num_all_nodes, counts, 0, pre_filter_msg, post_filter_msg);
  return e.msg;
}

const std::string& FitErrorMemo::preemption(int num_all_nodes, const ReasonCounts& dry_run_counts,
                                            std::size_t dry_run_nodes) {
  if (Entry* e = find(preemption_, num_all_nodes, dry_run_counts, dry_run_nodes, {}, {})) return e->msg;
  Entry& e = preemption_[next_preemption_];
  next_preemption_ = (next_preemption_ + 1) % kEntries;
  e.msg = preemption_post_filter_message(num_all_nodes, dry_run_counts, dry_run_nodes, version_);
  e.remember(num_all_nodes, dry_run_counts, dry_run_nodes, {}, {});
  return e.msg;
}

}  // namespace azsim::scheduler
