// FitErrorMemo: the FailedScheduling texts of fit_error.hpp with the last few of each kind
// remembered. A pod that cannot be placed is retried after every cluster event and usually
// fails for the same reasons on the same nodes, so its message is built once and copied after
// (a few entries, as several pending pods are retried in turn).
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "models/k8s/version.hpp"
#include "models/scheduler/fit_error.hpp"

namespace azsim::scheduler {

/// Contract: format() == format_fit_error(n, counts, pre, post, v) and preemption() ==
/// preemption_post_filter_message(n, dry, dry_nodes, v) for the version given at construction.
/// A remembered text is reused only when every input compares equal to the inputs it was built
/// from (counts in full, reasons by content, in order), so nothing can make it stale. The
/// returned reference is valid until the next call of the same function.
class FitErrorMemo {
 public:
  explicit FitErrorMemo(k8s::KubeVersion v) : version_(v) {}
  const std::string& format(int num_all_nodes, const ReasonCounts& counts, std::string_view pre_filter_msg,
                            std::string_view post_filter_msg);
  const std::string& preemption(int num_all_nodes, const ReasonCounts& dry_run_counts, std::size_t dry_run_nodes);

 private:
  struct Entry {
    bool set = false;
    int num_all_nodes = 0;
    std::size_t nodes = 0;
    std::vector<std::pair<std::string, long long>> counts;
    std::string pre, post;
    std::string msg;

    bool same(int n, const ReasonCounts& c, std::size_t k, std::string_view p, std::string_view q) const;
    void remember(int n, const ReasonCounts& c, std::size_t k, std::string_view p, std::string_view q);
  };
  static constexpr std::size_t kEntries = 4;
  /// The entry remembering these inputs, or nullptr; `next` picks the one to replace.
  static Entry* find(std::array<Entry, kEntries>& entries, int n, const ReasonCounts& c, std::size_t k,
                     std::string_view p, std::string_view q);
  k8s::KubeVersion version_;
  std::array<Entry, kEntries> fit_;
  std::array<Entry, kEntries> preemption_;
  std::size_t next_fit_ = 0;  ///< round-robin replacement
  std::size_t next_preemption_ = 0;
};

}  // namespace azsim::scheduler
