#include "models/scheduler/queue.hpp"

#include <vector>

namespace azsim::scheduler {

sim::Duration SchedulingQueue::backoff_duration(int attempts) const {
  if (attempts <= 0) return sim::Duration::zero();
  sim::Duration d = cfg_.initial_backoff;
  for (int i = 1; i < attempts; ++i) {
    if (d > cfg_.max_backoff - d) return cfg_.max_backoff;  // subtraction avoids overflow, as in Go
    d += d;
  }
  return d < cfg_.max_backoff ? d : cfg_.max_backoff;
}

void SchedulingQueue::place(const std::string& key, Entry& e, Where w) {
  e.where = w;
  switch (w) {
    case Where::Active:
      active_.emplace(ActiveKey{-static_cast<std::int64_t>(e.pod.priority), e.pod.timestamp, e.seq}, key);
      break;
    case Where::Backoff: backoff_.emplace(TimeKey{backoff_expiry(e.pod), e.seq}, key); break;
    case Where::Unschedulable: unschedulable_.emplace(TimeKey{e.pod.timestamp, e.seq}, key); break;
  }
}

void SchedulingQueue::unplace(const Entry& e) {
  switch (e.where) {
    case Where::Active:
      active_.erase(ActiveKey{-static_cast<std::int64_t>(e.pod.priority), e.pod.timestamp, e.seq});
      break;
    case Where::Backoff: backoff_.erase(TimeKey{backoff_expiry(e.pod), e.seq}); break;
    case Where::Unschedulable: unschedulable_.erase(TimeKey{e.pod.timestamp, e.seq}); break;
  }
}

void SchedulingQueue::add(const std::string& key, std::int32_t priority, sim::Time now) {
  if (pods_.count(key)) return;
  Entry e;
  e.pod.key = key;
  e.pod.priority = priority;
  e.pod.timestamp = now;
  e.pod.initial_attempt = now;
  e.seq = next_seq_++;
  auto [it, ok] = pods_.emplace(key, std::move(e));
  place(it->first, it->second, Where::Active);
}

void SchedulingQueue::remove(const std::string& key) {
  auto it = pods_.find(key);
  if (it == pods_.end()) return;
  unplace(it->second);
  pods_.erase(it);
}

void SchedulingQueue::move_out_of_unschedulable(const std::string& key, Entry& e, sim::Time now) {
  unplace(e);
  place(key, e, now < backoff_expiry(e.pod) ? Where::Backoff : Where::Active);
}

void SchedulingQueue::update(const std::string& key, std::int32_t priority, sim::Time now) {
  auto it = pods_.find(key);
  if (it == pods_.end()) return;
  Entry& e = it->second;
  if (e.where == Where::Unschedulable) {
    unplace(e);
    e.pod.priority = priority;
    place(key, e, now < backoff_expiry(e.pod) ? Where::Backoff : Where::Active);
  } else if (e.pod.priority != priority) {
    unplace(e);
    e.pod.priority = priority;
    place(key, e, e.where);
  }
}

std::optional<QueuedPod> SchedulingQueue::pop(sim::Time now) {
  flush(now);
  if (active_.empty()) return std::nullopt;
  auto head = active_.begin();
  const std::string key = head->second;
  active_.erase(head);
  auto it = pods_.find(key);
  QueuedPod p = std::move(it->second.pod);
  pods_.erase(it);
  ++cycle_;
  p.attempts += 1;
  if (p.attempts == 1) p.initial_attempt = now;
  p.cycle = cycle_;
  return p;
}

void SchedulingQueue::add_unschedulable(QueuedPod p, PluginMask rejectors, sim::Time now) {
  if (pods_.count(p.key)) return;
  p.timestamp = now;  // kube-scheduler refreshes the timestamp when the pod is re-added
  p.unschedulable_plugins = rejectors;
  Entry e;
  e.pod = std::move(p);
  e.seq = next_seq_++;
  const bool event_in_flight = any_move_request_ && move_request_cycle_ >= e.pod.cycle;
  auto [it, ok] = pods_.emplace(e.pod.key, std::move(e));
  place(it->first, it->second, event_in_flight ? Where::Backoff : Where::Unschedulable);
}

void SchedulingQueue::add_backoff(QueuedPod p, sim::Time now) {
  if (pods_.count(p.key)) return;
  p.timestamp = now;
  Entry e;
  e.pod = std::move(p);
  e.seq = next_seq_++;
  auto [it, ok] = pods_.emplace(e.pod.key, std::move(e));
  place(it->first, it->second, Where::Backoff);
}

void SchedulingQueue::on_event(const ClusterEvent& ev, sim::Time now) {
  any_move_request_ = true;
  move_request_cycle_ = cycle_;
  if (unschedulable_.empty()) return;
  const PluginMask interested = plugins_interested_in(ev);
  std::vector<std::string> to_move;
  for (const auto& [k, key] : unschedulable_) {
    const Entry& e = pods_.at(key);
    if (e.pod.unschedulable_plugins == 0 || (e.pod.unschedulable_plugins & interested) != 0) to_move.push_back(key);
  }
  for (const auto& key : to_move) move_out_of_unschedulable(key, pods_.at(key), now);
}

void SchedulingQueue::flush(sim::Time now) {
  while (!backoff_.empty() && std::get<0>(backoff_.begin()->first) <= now) {
    const std::string key = backoff_.begin()->second;
    Entry& e = pods_.at(key);
    unplace(e);
    place(key, e, Where::Active);
  }
  while (!unschedulable_.empty() && std::get<0>(unschedulable_.begin()->first) + cfg_.max_in_unschedulable <= now) {
    const std::string key = unschedulable_.begin()->second;
    move_out_of_unschedulable(key, pods_.at(key), now);
  }
}

sim::Time SchedulingQueue::next_wakeup() const {
  sim::Time t = sim::Time::infinity();
  if (!backoff_.empty()) t = std::get<0>(backoff_.begin()->first);
  if (!unschedulable_.empty()) {
    const sim::Time u = std::get<0>(unschedulable_.begin()->first) + cfg_.max_in_unschedulable;
    if (u < t) t = u;
  }
  return t;
}

const char* SchedulingQueue::location(const std::string& key) const {
  auto it = pods_.find(key);
  if (it == pods_.end()) return "";
  switch (it->second.where) {
    case Where::Active: return "active";
    case Where::Backoff: return "backoff";
    case Where::Unschedulable: return "unschedulable";
  }
  return "";
}

const QueuedPod* SchedulingQueue::get(const std::string& key) const {
  auto it = pods_.find(key);
  return it == pods_.end() ? nullptr : &it->second.pod;
}

}  // namespace azsim::scheduler
