#include "sim/fp_strict.hpp"
// (fp_strict.hpp first: see its banner.)
#include "sim/stats.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace azsim::sim {

// ---- StreamingStats ----

void StreamingStats::add(double x) {
  ++n_;
  const double delta = x - mean_;
  mean_ += delta / static_cast<double>(n_);
  m2_ += delta * (x - mean_);
  min_ = std::min(min_, x);
  max_ = std::max(max_, x);
}

void StreamingStats::merge(const StreamingStats& other) {
  if (other.n_ == 0) return;
  if (n_ == 0) {
    *this = other;
    return;
  }
  const double na = static_cast<double>(n_);
  const double nb = static_cast<double>(other.n_);
  const double n = na + nb;
  const double delta = other.mean_ - mean_;
  mean_ += delta * (nb / n);
  m2_ += other.m2_ + delta * delta * (na * nb / n);
  n_ += other.n_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
}

double StreamingStats::variance() const { return n_ < 2 ? 0.0 : m2_ / static_cast<double>(n_ - 1); }

double StreamingStats::population_variance() const { return n_ == 0 ? 0.0 : m2_ / static_cast<double>(n_); }

double StreamingStats::stddev() const { return std::sqrt(variance()); }

Interval StreamingStats::mean_ci(double level) const { return t_interval(mean_, stddev(), n_, level); }

StreamingStats StreamingStats::from_parts(std::uint64_t count, double mean, double m2, double min, double max) {
  StreamingStats s;
  if (count == 0) {
    if (mean != 0 || m2 != 0 || min != s.min_ || max != s.max_) {
      throw std::invalid_argument("streaming stats: an empty summary must have mean 0, m2 0, min inf, max -inf");
    }
    return s;
  }
  if (!std::isfinite(mean) || !std::isfinite(m2) || !std::isfinite(min) || !std::isfinite(max)) {
    throw std::invalid_argument("streaming stats: mean, m2, min and max must be finite");
  }
  if (m2 < 0) throw std::invalid_argument("streaming stats: m2 must not be negative");
  if (min > max) throw std::invalid_argument("streaming stats: min must not exceed max");
  s.n_ = count;
  s.mean_ = mean;
  s.m2_ = m2;
  s.min_ = min;
  s.max_ = max;
  return s;
}

// ---- ProportionCounter ----

void ProportionCounter::add(std::uint64_t successes, std::uint64_t trials) {
  if (successes > trials) {
    throw std::invalid_argument("proportion: " + std::to_string(successes) + " successes out of only " +
                                std::to_string(trials) + " trials");
  }
  successes_ += successes;
  trials_ += trials;
}

double ProportionCounter::proportion() const {
  return trials_ == 0 ? 0.0 : static_cast<double>(successes_) / static_cast<double>(trials_);
}

Interval ProportionCounter::wilson(double level) const { return wilson_interval(successes_, trials_, level); }

ProportionCounter ProportionCounter::from_parts(std::uint64_t successes, std::uint64_t trials) {
  ProportionCounter p;
  p.add(successes, trials);
  return p;
}

// ---- TimeWeightedAverage ----

void TimeWeightedAverage::add(double value, Time from, Time to) {
  if (to < from) {
    throw std::invalid_argument("time-weighted average: interval ends (" + std::to_string(to.us()) +
                                "us) before it starts (" + std::to_string(from.us()) + "us)");
  }
  const std::int64_t us = (to - from).us();
  if (us == 0) return;
  value_us_ += value * static_cast<double>(us);
  covered_us_ += us;
  min_ = std::min(min_, value);
  max_ = std::max(max_, value);
}

void TimeWeightedAverage::set(double value, Time at) {
  finish(at);
  open_ = true;
  open_value_ = value;
  open_since_ = at;
}

void TimeWeightedAverage::finish(Time at) {
  if (!open_) return;
  if (at < open_since_) {
    throw std::invalid_argument("time-weighted average: time went backwards (" + std::to_string(at.us()) +
                                "us after " + std::to_string(open_since_.us()) + "us)");
  }
  add(open_value_, open_since_, at);
  open_ = false;
}

void TimeWeightedAverage::merge(const TimeWeightedAverage& other) {
  value_us_ += other.value_us_;
  covered_us_ += other.covered_us_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
}

double TimeWeightedAverage::average() const {
  return covered_us_ == 0 ? 0.0 : value_us_ / static_cast<double>(covered_us_);
}

TimeWeightedAverage TimeWeightedAverage::from_parts(double value_us, std::int64_t covered_us, double min, double max,
                                                    bool open, double open_value, Time open_since) {
  if (covered_us < 0) throw std::invalid_argument("time-weighted average: covered time must not be negative");
  if (std::isnan(value_us) || std::isnan(min) || std::isnan(max) || std::isnan(open_value)) {
    throw std::invalid_argument("time-weighted average: values must not be NaN");
  }
  if (covered_us > 0 && min > max) throw std::invalid_argument("time-weighted average: min must not exceed max");
  TimeWeightedAverage t;
  t.value_us_ = value_us;
  t.covered_us_ = covered_us;
  t.min_ = min;
  t.max_ = max;
  t.open_ = open;
  t.open_value_ = open ? open_value : 0.0;
  t.open_since_ = open ? open_since : Time();
  return t;
}

}  // namespace azsim::sim
