// The scheduling queue (kube-scheduler's PriorityQueue, pkg/scheduler/backend/queue): an
// active queue ordered by PrioritySort (priority descending, then queue timestamp), a backoff
// queue (1 s doubling per failed attempt up to 10 s) and the unschedulable pool, whose pods
// move back on cluster events their rejecting plugins registered for, and at the latest after
// podMaxInUnschedulablePodsDuration (5 min). FIDELITY A: backoff 1 s / 10 s, 5 min.
//
// No simulation loop: every call takes the current time, and next_wakeup() says when flush()
// next has work (a backoff expiring or a 5-minute timeout), so a driver can set a timer.
// kube-scheduler moves these pods from periodic loops (backoff every 1 s, unschedulable every
// 30 s); here they move at the exact expiry, which is at most that much earlier.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>

#include "models/scheduler/cluster_event.hpp"
#include "models/scheduler/plugin_id.hpp"
#include "sim/time.hpp"

namespace azsim::scheduler {

/// Queue timings; defaults from FIDELITY A (k/k scheduling_queue.go).
struct QueueConfig {
  sim::Duration initial_backoff = sim::Duration::seconds(1);
  sim::Duration max_backoff = sim::Duration::seconds(10);
  sim::Duration max_in_unschedulable = sim::Duration::minutes(5);
};

/// A pod as the queue knows it (framework.QueuedPodInfo).
struct QueuedPod {
  std::string key;  ///< "namespace/name"
  std::int32_t priority = 0;
  sim::Time timestamp;        ///< when it (re-)entered the queue: PrioritySort tie-break, backoff base
  sim::Time initial_attempt;  ///< first pop
  int attempts = 0;           ///< scheduling attempts so far (incremented by pop)
  PluginMask unschedulable_plugins = 0;  ///< plugins that rejected it last time
  std::uint64_t cycle = 0;               ///< scheduling cycle of its last pop
};

class SchedulingQueue {
 public:
  explicit SchedulingQueue(QueueConfig cfg = {}) : cfg_(cfg) {}

  /// A new pending pod: to the active queue (no-op if already queued).
  void add(const std::string& key, std::int32_t priority, sim::Time now);
  bool contains(const std::string& key) const { return pods_.count(key) > 0; }
  /// Drops a pod (deleted, bound elsewhere, or no longer ours).
  void remove(const std::string& key);
  /// The pod's spec changed: a pod in the unschedulable pool moves to backoff or active.
  void update(const std::string& key, std::int32_t priority, sim::Time now);

  /// flush(now), then pops the active head; increments its attempts. nullopt when empty.
  std::optional<QueuedPod> pop(sim::Time now);
  /// A failed cycle: to the unschedulable pool, remembering the rejecting plugins; to the
  /// backoff queue instead if a cluster event arrived while the pod was being scheduled.
  void add_unschedulable(QueuedPod p, PluginMask rejectors, sim::Time now);
  /// An error (or a failed binding): to the backoff queue.
  void add_backoff(QueuedPod p, sim::Time now);

  /// A cluster event: unschedulable pods whose rejecting plugins registered for it (or that
  /// have none recorded) move to the backoff queue if still backing off, else to active.
  void on_event(const ClusterEvent& e, sim::Time now);
  /// Moves expired backoffs to active and pods unschedulable for 5 min to backoff/active.
  void flush(sim::Time now);
  /// Earliest time flush() has something to move; Time::infinity() if none.
  sim::Time next_wakeup() const;

  /// initial_backoff doubled per attempt after the first, capped at max_backoff.
  sim::Duration backoff_duration(int attempts) const;

  std::size_t num_active() const { return active_.size(); }
  std::size_t num_backoff() const { return backoff_.size(); }
  std::size_t num_unschedulable() const { return unschedulable_.size(); }
  /// Where a pod is: "active", "backoff", "unschedulable" or "" when not queued.
  const char* location(const std::string& key) const;
  const QueuedPod* get(const std::string& key) const;
  std::uint64_t scheduling_cycle() const { return cycle_; }

 private:
  enum class Where { Active, Backoff, Unschedulable };
  struct Entry {
    QueuedPod pod;
    Where where = Where::Active;
    std::uint64_t seq = 0;  ///< insertion order, the final tie-break
  };
  using ActiveKey = std::tuple<std::int64_t, sim::Time, std::uint64_t>;  // -priority, timestamp, seq
  using TimeKey = std::tuple<sim::Time, std::uint64_t>;

  void place(const std::string& key, Entry& e, Where w);
  void unplace(const Entry& e);
  sim::Time backoff_expiry(const QueuedPod& p) const { return p.timestamp + backoff_duration(p.attempts); }
  void move_out_of_unschedulable(const std::string& key, Entry& e, sim::Time now);

  QueueConfig cfg_;
  std::unordered_map<std::string, Entry> pods_;
  std::map<ActiveKey, std::string> active_;
  std::map<TimeKey, std::string> backoff_;        // by expiry
  std::map<TimeKey, std::string> unschedulable_;  // by timestamp
  std::uint64_t next_seq_ = 0;
  std::uint64_t cycle_ = 0;
  std::uint64_t move_request_cycle_ = 0;
  bool any_move_request_ = false;
};

}  // namespace azsim::scheduler
