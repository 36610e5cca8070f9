// EventLog: the cluster's events as `kubectl get events` lists them (FailedScheduling,
// FailedAttachVolume with Multi-Attach, NodeNotReady, TaintManagerEviction, ...).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "sim/time.hpp"

namespace azsim::k8s {

enum class EventType { Normal, Warning };

/// One event. `object` is "kind/name" in lower case ("pod/cassandra-1", "node/ip-10-0-1-5").
struct Event {
  sim::Time time;
  EventType type = EventType::Normal;
  std::string reason;
  std::string object;
  std::string message;
  std::string source;  // "default-scheduler", "attachdetach-controller", "kubelet", ...
};

/// Append-only, time-ordered log with listeners (reports and traces subscribe to it).
///
/// A log can be switched off: it then keeps nothing and calls no listener. Events are what the
/// cluster tells its users, never an input of a controller, so a run whose report does not
/// list them (a Monte-Carlo trial) leaves the log off, and writers skip building the messages
/// when enabled() is false.
class EventLog {
 public:
  using Listener = std::function<void(const Event&)>;

  void record(Event e) {
    if (!enabled_) return;
    events_.push_back(std::move(e));
    for (auto& l : listeners_) l(events_.back());
  }
  bool enabled() const { return enabled_; }
  void set_enabled(bool on) { enabled_ = on; }
  void subscribe(Listener l) { listeners_.push_back(std::move(l)); }
  const std::vector<Event>& events() const { return events_; }

 private:
  std::vector<Event> events_;
  std::vector<Listener> listeners_;
  bool enabled_ = true;
};

inline const char* to_string(EventType t) { return t == EventType::Normal ? "Normal" : "Warning"; }

}  // namespace azsim::k8s
