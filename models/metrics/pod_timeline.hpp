// PodTimeline: an observer that records, for every pod name, the intervals during which it was
// not Ready and why (CONTRACT.md's causes), with the scheduler's message while unschedulable.
//
// It subscribes to Cluster::subscribe_pod_changed, which hands it the pod's current
// cause; a new interval starts whenever the cause or the message changes (the message only
// while keep_messages is on).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "models/controllers/cluster.hpp"
#include "sim/str_order.hpp"

namespace azsim::metrics {

struct PodInterval {
  sim::Time from;
  sim::Time to;  // Time::infinity() while open
  controllers::PodCause cause = controllers::PodCause::Absent;
  std::string message;
};

/// Seconds in the phase Pending for a cause (pods waiting to be placed or to start).
bool counts_as_pending(controllers::PodCause c);

class PodTimeline {
 public:
  explicit PodTimeline(controllers::Cluster& cluster);

  /// Whether intervals carry the scheduler's message (default on). Off, a pod's time while
  /// unschedulable is one interval per cause however often the message changes, with no
  /// message: the same totals, for runs that read nothing else (Monte-Carlo trials).
  void keep_messages(bool on) { keep_messages_ = on; }

  /// Closes every open interval at `end` (call once when the run stops).
  void finish(sim::Time end);

  /// Intervals of every pod ever seen, by pod key ("ns/name"), in time order. Ready periods
  /// are not stored.
  const std::map<std::string, std::vector<PodInterval>, sim::StrLess>& intervals() const { return intervals_; }

  /// Seconds not Ready / Pending within [from, to].
  sim::Duration not_ready(const std::string& pod, sim::Time from, sim::Time to) const;
  sim::Duration pending(const std::string& pod, sim::Time from, sim::Time to) const;

 private:
  void update(const std::string& pod, controllers::PodCause cause);

  controllers::Cluster& cluster_;
  bool keep_messages_ = true;
  /// Whether an absent pod is still wanted under its name: a StatefulSet ordinal within the
  /// replicas, or a bare pod. A ReplicaSet's deleted pod is replaced under a new name and a
  /// scaled-down ordinal is not wanted, so neither counts as not Ready once gone.
  bool wanted_while_absent(const std::string& pod) const;

  struct Current {
    controllers::PodCause cause = controllers::PodCause::Absent;
    std::string message;
    std::string owner_kind;  // of the pod when last seen
    std::string owner_name;
  };
  std::map<std::string, Current, sim::StrLess> current_;
  std::map<std::string, std::vector<PodInterval>, sim::StrLess> intervals_;
};

}  // namespace azsim::metrics
