// PeriodicTrigger: a controller's periodic check that costs nothing while nothing changes.
//
// Real controllers poll on a fixed period (node monitor every 5 s, PodGC every 20 s, ...).
// Simulating every tick would make a quiet simulated year expensive, so a controller instead
// *requests* its check when something it watches changes; the trigger then runs it at the
// next tick of its period (ticks at phase + k * period), at most once per tick.
#pragma once

#include <functional>

#include "sim/simulation.hpp"

namespace azsim::controllers {

class PeriodicTrigger {
 public:
  PeriodicTrigger(sim::Simulation& sim, sim::Duration period, sim::Duration phase, std::function<void()> check,
                  const char* label)
      : sim_(sim), period_(period), phase_(phase), check_(std::move(check)), label_(label) {}
  PeriodicTrigger(const PeriodicTrigger&) = delete;
  PeriodicTrigger& operator=(const PeriodicTrigger&) = delete;

  /// The first tick at or after `t`.
  sim::Time tick_at_or_after(sim::Time t) const {
    const std::int64_t p = period_.us();
    std::int64_t rel = t.us() - phase_.us();
    std::int64_t k = rel <= 0 ? 0 : (rel + p - 1) / p;
    return sim::Time::from_micros(phase_.us() + k * p);
  }

  /// Runs the check at the first tick strictly after now.
  void request_next() { request_at(sim_.now() + sim::Duration::micros(1)); }

  /// Runs the check at the first tick at or after `t` (keeps an earlier pending request).
  void request_at(sim::Time t) {
    sim::Time when = tick_at_or_after(t < sim_.now() ? sim_.now() : t);
    if (sim_.pending(pending_)) {
      if (pending_time_ <= when) return;
      sim_.cancel(pending_);
    }
    pending_time_ = when;
    pending_ = sim_.at(when, [this] { check_(); }, 0, label_);
  }

  sim::Duration period() const { return period_; }

 private:
  sim::Simulation& sim_;
  sim::Duration period_;
  sim::Duration phase_;
  std::function<void()> check_;
  const char* label_;
  sim::EventId pending_;
  sim::Time pending_time_;
};

}  // namespace azsim::controllers
