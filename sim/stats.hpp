// Mergeable summary statistics: one pass over the values, constant memory, and a merge that
// combines the summaries of two disjoint parts (threads, shards) into the summary of the whole.
//
// Merging is exact for counts, min and max, and for sums of integers; for floating-point means,
// variances and integrals it agrees with one pass over all values to within ~1e-15 relative
// (rounding), but the bits depend on the merge order: merge partial results in a fixed order
// (e.g. by shard or trial index) to get identical output whatever the thread count.
// Serialisation to JSON, exact to the bit, is in sim/stats_json.hpp. The histogram with
// quantiles is in sim/histogram.hpp.
#pragma once

#include <cstdint>
#include <limits>

#include "sim/confidence.hpp"
#include "sim/time.hpp"

namespace azsim::sim {

/// Count, mean, variance, min and max of a sequence of doubles. add() is Welford's update,
/// merge() Chan, Golub and LeVeque's pairwise combination, both numerically stable (no
/// sum-of-squares cancellation). Values must be finite. Empty: mean 0, variance 0, min +inf,
/// max -inf.
class StreamingStats {
 public:
  void add(double x);
  void merge(const StreamingStats& other);

  std::uint64_t count() const { return n_; }
  double mean() const { return mean_; }
  /// Sample variance (denominator n - 1); 0 for fewer than two values.
  double variance() const;
  /// Population variance (denominator n); 0 when empty.
  double population_variance() const;
  double stddev() const;
  double sum() const { return mean_ * static_cast<double>(n_); }
  double min() const { return min_; }
  double max() const { return max_; }
  /// Sum of squared deviations from the mean (the Welford state; what serialisation stores).
  double m2() const { return m2_; }
  /// Student t confidence interval of the mean (see t_interval); (-inf, inf) below 2 values.
  Interval mean_ci(double level = 0.95) const;

  /// Rebuilds a summary from its state, e.g. when reading a partial result. Throws
  /// std::invalid_argument when the parts are inconsistent (non-finite values, negative m2,
  /// min > max, an empty summary that is not the default one).
  static StreamingStats from_parts(std::uint64_t count, double mean, double m2, double min, double max);

  bool operator==(const StreamingStats&) const = default;

 private:
  std::uint64_t n_ = 0;
  double mean_ = 0;
  double m2_ = 0;
  double min_ = std::numeric_limits<double>::infinity();
  double max_ = -std::numeric_limits<double>::infinity();
};

/// Successes out of trials, e.g. "trials in which some data was unavailable". Exact integer
/// counts; merge adds them.
class ProportionCounter {
 public:
  void add(bool success) { add(success ? 1 : 0, 1); }
  /// Adds a batch; successes <= trials or std::invalid_argument.
  void add(std::uint64_t successes, std::uint64_t trials);
  void merge(const ProportionCounter& other) { add(other.successes_, other.trials_); }

  std::uint64_t successes() const { return successes_; }
  std::uint64_t trials() const { return trials_; }
  /// successes / trials; 0 with no trials.
  double proportion() const;
  /// Wilson score interval (see wilson_interval); [0, 1] with no trials.
  Interval wilson(double level = 0.95) const;

  static ProportionCounter from_parts(std::uint64_t successes, std::uint64_t trials);

  bool operator==(const ProportionCounter&) const = default;

 private:
  std::uint64_t successes_ = 0;
  std::uint64_t trials_ = 0;
};

/// The average over time of a quantity held piecewise constant, e.g. the share of rows
/// readable: the integral of value dt divided by the time covered. Fed either with closed
/// intervals, add(value, from, to), or as a signal, set(value, at) ... finish(at), where each
/// set closes the interval of the previous value. Only time covered by an interval counts; gaps
/// count for nothing. Empty (no time covered): average 0, min +inf, max -inf.
class TimeWeightedAverage {
 public:
  /// Counts `value` held over [from, to). Requires from <= to (std::invalid_argument); an empty
  /// interval is ignored.
  void add(double value, Time from, Time to);
  /// From `at` on, the value is `value`; closes the previous value's interval at `at`.
  /// Requires at >= the previous set's time (std::invalid_argument).
  void set(double value, Time at);
  /// Closes the open interval, if any, at `at` (same requirement as set).
  void finish(Time at);
  /// Adds the closed intervals of `other`; an interval still open in `other` is not included,
  /// and this one's open interval stays open.
  void merge(const TimeWeightedAverage& other);

  bool is_open() const { return open_; }
  double open_value() const { return open_value_; }
  Time open_since() const { return open_since_; }

  /// Total time covered by closed intervals.
  Duration covered() const { return Duration::micros(covered_us_); }
  /// Integral of value dt over the closed intervals, in value x seconds.
  double integral_seconds() const { return value_us_ / 1e6; }
  double average() const;
  /// Smallest and largest value held over a non-empty interval.
  double min() const { return min_; }
  double max() const { return max_; }
  /// Raw state for serialisation: integral in value x microseconds, covered microseconds.
  double value_microseconds() const { return value_us_; }

  /// Rebuilds from the raw state (see the accessors); `open` with its value and start time.
  static TimeWeightedAverage from_parts(double value_us, std::int64_t covered_us, double min, double max, bool open,
                                        double open_value, Time open_since);

  bool operator==(const TimeWeightedAverage&) const = default;

 private:
  double value_us_ = 0;
  std::int64_t covered_us_ = 0;
  double min_ = std::numeric_limits<double>::infinity();
  double max_ = -std::numeric_limits<double>::infinity();
  bool open_ = false;
  double open_value_ = 0;
  Time open_since_;
};

}  // namespace azsim::sim
