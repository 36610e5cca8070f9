#include "sim/simulation.hpp"

#include <stdexcept>
#include <string>

namespace azsim::sim {

namespace {

// Clears a flag on scope exit, also when a callback throws.
class FlagGuard {
 public:
  explicit FlagGuard(bool& flag) : flag_(flag) { flag_ = true; }
  FlagGuard(const FlagGuard&) = delete;
  FlagGuard& operator=(const FlagGuard&) = delete;
  ~FlagGuard() { flag_ = false; }

 private:
  bool& flag_;
};

}  // namespace

Simulation::Simulation(QueueKind kind) {
  if (kind == QueueKind::kHeap) queue_.emplace<Heap>();
}

Simulation::~Simulation() = default;

bool Simulation::cancel(EventId id) {
  return visit_queue([&](auto& q) {
    if (!q.cancel(id)) return false;
    Record& r = q.payload(id.slot());
    r.callback.reset();  // release what the callback captured now, not when the slot is reused
    r.label = nullptr;
    return true;
  });
}

bool Simulation::pending(EventId id) const {
  return visit_queue([&](const auto& q) { return q.pending(id); });
}

std::size_t Simulation::pending_count() const {
  return visit_queue([](const auto& q) { return q.size(); });
}

Time Simulation::next_event_time() {
  return visit_queue([](auto& q) { return q.empty() ? Time::infinity() : q.peek().time; });
}

void Simulation::run() {
  if (running_) throw std::logic_error("Simulation::run called from inside a run");
  visit_queue([&](auto& q) { loop(q, Time::infinity(), false); });
}

void Simulation::run_until(Time until) {
  if (running_) throw std::logic_error("Simulation::run_until called from inside a run");
  if (until < now_) {
    throw std::logic_error("Simulation::run_until(" + format_seconds(until.since_origin()) +
                           "s) is before now (" + format_seconds(now_.since_origin()) + "s)");
  }
  visit_queue([&](auto& q) { loop(q, until, true); });
  if (!stop_requested_) now_ = until;
}

template <class Q>
void Simulation::loop(Q& queue, Time until, bool bounded) {
  FlagGuard running(running_);
  stop_requested_ = false;
  while (!queue.empty()) {
    if (bounded && queue.peek().time > until) break;
    const QueuedEvent event = queue.pop();
    // Start loading the next event's slot now; this event's work hides the latency.
    queue.prefetch_next();
    // Move the callback out of its record first: the slot is already free, and the callback
    // may schedule events that reuse it or grow the slot table.
    Record& r = queue.payload(event.id.slot());
    Callback callback = std::move(r.callback);
    now_ = event.time;
    ++processed_;
    if (trace_) trace_(now_, event.id, r.label);
    callback();
    if (stop_requested_) break;
  }
}

Time Simulation::later(Duration delay) const {
  if (delay < Duration::zero()) {
    throw std::logic_error("Simulation::after: negative delay " + format_duration(delay));
  }
  if (delay > Time::infinity() - now_) {
    throw std::overflow_error("Simulation::after: now + " + format_duration(delay) + " overflows");
  }
  return now_ + delay;
}

void Simulation::throw_in_past(Time t) const {
  throw std::logic_error("Simulation::at(" + format_seconds(t.since_origin()) + "s) is before now (" +
                         format_seconds(now_.since_origin()) + "s): events cannot be scheduled in the past");
}

}  // namespace azsim::sim
