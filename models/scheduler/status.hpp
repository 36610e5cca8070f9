// Status: the outcome of one plugin at one extension point, as kube-scheduler's framework
// Status carries it: a code, the human-readable reasons (each one counted separately in the
// `0/N nodes are available` message) and the name of the plugin that returned it.
#pragma once

#include <string>
#include <vector>

namespace azsim::scheduler {

/// Status codes (k8s.io/kube-scheduler/framework interface.go).
enum class Code {
  Success,        ///< the plugin accepts the pod (or the node)
  Error,          ///< internal error: the pod goes to the backoff queue, preemption is not tried
  Unschedulable,  ///< rejected now; preemption (removing lower-priority pods) might help
  UnschedulableAndUnresolvable,  ///< rejected; preemption cannot help on this node
  Skip,           ///< PreFilter/PreScore: the plugin has nothing to do for this pod
};

const char* to_string(Code c);

/// A plugin's verdict. Empty reasons and Success mean "accepted".
struct Status {
  Code code = Code::Success;
  std::vector<std::string> reasons;
  std::string plugin;  ///< the plugin that produced a rejection; empty on success

  static Status success() { return {}; }
  static Status make(Code c, std::string reason, std::string plugin = {}) {
    return Status{c, {std::move(reason)}, std::move(plugin)};
  }
  bool ok() const { return code == Code::Success; }
  /// Unschedulable or UnschedulableAndUnresolvable.
  bool rejected() const { return code == Code::Unschedulable || code == Code::UnschedulableAndUnresolvable; }
  /// Reasons joined by ", " (framework Status.Message()).
  std::string message() const;
  bool operator==(const Status&) const = default;
};

}  // namespace azsim::scheduler
