// Simulation: the discrete-event loop every model runs on.
//
// Models schedule callbacks at simulated instants (`at`, `after`), may cancel them, and the loop
// runs them in the event order, advancing `now()`:
//   - earlier time first;
//   - at the same instant, lower priority value first (default 0; negative runs earlier);
//   - then in the order they were scheduled (an event scheduled for the current instant from a
//     callback runs after every already-pending event of the same time and priority).
// This order is total, so a run is reproducible to the event.
//
// Scheduling is allocation-free in the common case: a callback capturing up to 40 bytes lives
// inline in a Callback; each event's record (callback, label) sits in the queue's slot table
// next to the event's sequence number, one 64-byte line per event, recycled through a free
// list; the ordering structure itself holds 24-byte keys (time, priority|seq, slot).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <utility>
#include <variant>
#include <vector>

#include "sim/callback.hpp"
#include "sim/event_queue.hpp"
#include "sim/heap_queue.hpp"
#include "sim/ladder_queue.hpp"
#include "sim/time.hpp"

namespace azsim::sim {

/// Which event-queue implementation a Simulation uses. Results never depend on it (both keep
/// the same total order); only speed does. See bench/README.md for measurements.
enum class QueueKind : std::uint8_t {
  kLadder,  ///< LadderQueue: O(1) amortised. The default: fastest from about 1,000 pending events.
  kHeap,    ///< HeapQueue: 4-ary heap, O(log n). A little faster with only a few hundred pending.
};

/// The discrete-event simulation loop. Not copyable or movable (callbacks usually capture a
/// pointer to it). Single-threaded: one Simulation per trial.
///
/// Contracts:
/// - Scheduling in the past (at(t) with t < now(), after(d) with d < 0) is a programming error
///   and throws std::logic_error, leaving the simulation unchanged.
/// - EventIds are always safe: cancel()/pending() on an event that ran, was cancelled, or a
///   default-made EventId is a no-op returning false.
/// - An exception thrown by a callback propagates out of run()/run_until(); that event counts as
///   processed and the simulation stays usable.
class Simulation {
 public:
  /// Called before each event with its time, handle and label (nullptr when none). Meant for
  /// traces and debugging; costs nothing when unset.
  using TraceHook = std::function<void(Time, EventId, const char* label)>;

  explicit Simulation(QueueKind kind = QueueKind::kLadder);
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;
  ~Simulation();

  /// The current simulated instant: the time of the event being (or last) processed, or the
  /// bound of the last completed run_until().
  Time now() const { return now_; }

  /// Schedules `callback` (any `void()` callable, moved in) at instant `t` >= now().
  /// `label` must outlive the event (a string literal); it is only handed to the trace hook.
  template <class F>
  EventId at(Time t, F&& callback, int priority = 0, const char* label = nullptr) {
    if (t < now_) throw_in_past(t);
    return visit_queue([&](auto& q) {
      const EventId id = q.insert(t, priority);
      Record& r = q.payload(id.slot());
      try {
        r.callback.emplace(std::forward<F>(callback));
      } catch (...) {
        q.cancel(id);
        throw;
      }
      r.label = label;
      return id;
    });
  }

  /// Schedules `callback` at now() + `delay`; `delay` must not be negative.
  template <class F>
  EventId after(Duration delay, F&& callback, int priority = 0, const char* label = nullptr) {
    return at(later(delay), std::forward<F>(callback), priority, label);
  }

  /// Cancels a pending event and destroys its callback now. False (and no effect) when the event
  /// is not pending: already ran, already cancelled, or a null handle.
  bool cancel(EventId id);
  /// True while the event is scheduled and has neither run nor been cancelled. An event is no
  /// longer pending while its own callback runs.
  bool pending(EventId id) const;

  /// Processes events until none is left or stop() is called.
  void run();
  /// Processes every event with time <= `until` (events exactly at `until` run, including ones
  /// they schedule for that instant), then sets now() to `until`. If stop() ends it early, now()
  /// stays at the last processed event. Throws std::logic_error if `until` < now().
  void run_until(Time until);
  /// Makes the current run()/run_until() return after the event being processed. A stop
  /// requested outside a run is forgotten when the next run starts.
  void stop() { stop_requested_ = true; }

  /// Events scheduled and neither processed nor cancelled.
  std::size_t pending_count() const;
  /// Events whose callback has been invoked since construction.
  std::uint64_t events_processed() const { return processed_; }
  /// Time of the next pending event, Time::infinity() when none.
  Time next_event_time();

  /// Installs (or, with an empty function, removes) the trace hook.
  void set_trace(TraceHook hook) { trace_ = std::move(hook); }
  QueueKind queue_kind() const { return std::holds_alternative<Ladder>(queue_) ? QueueKind::kLadder : QueueKind::kHeap; }

 private:
  // What the queue keeps per event, beside its sequence number: 56 bytes, so the slot is
  // exactly one cache line.
  struct Record {
    Callback callback;
    const char* label = nullptr;
  };
  static_assert(sizeof(Record) == 56);
  using Ladder = BasicLadderQueue<Record>;
  using Heap = BasicHeapQueue<Record>;

  template <class Fn>
  decltype(auto) visit_queue(Fn&& fn) {
    // A two-way branch the CPU predicts perfectly; cheaper than std::visit's jump table.
    if (auto* ladder = std::get_if<Ladder>(&queue_)) return fn(*ladder);
    return fn(std::get<Heap>(queue_));
  }
  template <class Fn>
  decltype(auto) visit_queue(Fn&& fn) const {
    if (const auto* ladder = std::get_if<Ladder>(&queue_)) return fn(*ladder);
    return fn(std::get<Heap>(queue_));
  }

  Time later(Duration delay) const;
  [[noreturn]] void throw_in_past(Time t) const;
  template <class Q>
  void loop(Q& queue, Time until, bool bounded);

  std::variant<Ladder, Heap> queue_;
  Time now_;
  std::uint64_t processed_ = 0;
  bool stop_requested_ = false;
  bool running_ = false;
  TraceHook trace_;
};

}  // namespace azsim::sim
