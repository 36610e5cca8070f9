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
class EventLog {
 public:
  using Listener = std::function<void(const Event&)>;

  void record(Event e) {
    events_.push_back(std::move(e));
    for (auto& l : listeners_) l(events_.back());
  }
  void subscribe(Listener l) { listeners_.push_back(std::move(l)); }
  const std::vector<Event>& events() const { return events_; }

 private:
  std::vector<Event> events_;
  std::vector<Listener> listeners_;
};

inline const char* to_string(EventType t) { return t == EventType::Normal ? "Normal" : "Warning"; }

}  // namespace azsim::k8s
