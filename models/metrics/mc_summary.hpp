// Monte-Carlo results: what one trial contributes (TrialOutcome, taken from its RunReport) and
// the mergeable summary of many trials (McSummary), plus the paired comparison of two designs
// run on the same trial streams (McResult with a second summary and the per-trial differences).
//
// Exactness. Every per-trial value is rounded once to an integer (durations are microseconds
// already; an unavailability 1 - availability is counted in units of 2^-40) and the summaries
// keep integer counts, sums and sums of squares in 128 bits, and sim::Histogram counts. Adding
// and merging are therefore exact, commutative and associative: the same trials give the same
// summary bits whatever the thread count, the shards, the MPI ranks, or a resume from a
// checkpoint. Means, variances and confidence intervals are computed from the integers only
// when a result is reported.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/metrics/report.hpp"
#include "sim/confidence.hpp"
#include "sim/histogram.hpp"

namespace azsim::metrics {

__extension__ typedef __int128 Int128;
__extension__ typedef unsigned __int128 UInt128;

/// Count, sum, sum of squares, minimum and maximum of integer samples, exactly. Throws
/// std::overflow_error if a sum leaves 128 bits: with samples below 2^45 (a year in
/// microseconds, or a whole unavailability in 2^-40 units) that takes more than 2^37 (10^11)
/// samples at the largest value.
class ExactMoments {
 public:
  void add(std::int64_t x);
  void merge(const ExactMoments& other);

  std::uint64_t count() const { return count_; }
  Int128 sum() const { return sum_; }
  Int128 sum_squares() const { return sum_sq_; }
  std::int64_t min() const { return min_; }  // 0 when empty
  std::int64_t max() const { return max_; }  // 0 when empty

  /// sum / count (NaN when empty); sample standard deviation (NaN below 2 samples). Both are
  /// computed from the integers with IEEE double operations only, so they are the same bits
  /// on every machine.
  double mean() const;
  double stddev() const;
  /// Sum of squared deviations from the mean, sum_squares - sum^2 / count, as a double.
  double squared_deviations() const;
  /// Student t interval of the mean; (-inf, +inf) below 2 samples.
  sim::Interval mean_ci(double level = 0.95) const;

  /// Rebuilds from raw parts; throws std::invalid_argument when they cannot come from samples
  /// (bounds that do not enclose the mean, a single sample unlike its bounds, a negative
  /// spread).
  static ExactMoments from_parts(std::uint64_t count, Int128 sum, Int128 sum_squares, std::int64_t min,
                                 std::int64_t max);
  bool operator==(const ExactMoments&) const = default;

 private:
  std::uint64_t count_ = 0;
  Int128 sum_ = 0;
  Int128 sum_sq_ = 0;
  std::int64_t min_ = 0;
  std::int64_t max_ = 0;
};

/// Unavailability (1 - availability) is counted in units of 2^-40 (~9.1e-13) per trial: a
/// whole trial unavailable is kUnavailabilityWhole units.
inline constexpr std::int64_t kUnavailabilityWhole = std::int64_t{1} << 40;
inline constexpr double kUnavailabilityUnit = 1.0 / static_cast<double>(kUnavailabilityWhole);

/// One data service at one consistency level in one trial.
struct ServiceTrial {
  std::string service;
  std::string type;
  std::string consistency;
  std::int64_t rows = 0;
  std::int64_t read_unavailable = 0;   // (1 - read availability) / kUnavailabilityUnit, rounded
  std::int64_t write_unavailable = 0;  // (1 - write availability) / kUnavailabilityUnit, rounded
  bool any_unavailable = false;        // some row was unreadable or unwritable at some time
  bool data_loss = false;              // some row lost every replica's data
  std::int64_t unavailable_us = 0;     // time with at least one row unavailable
  std::vector<std::int64_t> redundancy_us;  // time to full redundancy of each fault restored in the run
  std::int64_t unrestored = 0;              // faults after which redundancy never came back in the run
  bool operator==(const ServiceTrial&) const = default;
};

/// What one trial contributes to a batch.
struct TrialOutcome {
  std::int64_t duration_us = 0;
  bool setup_converged = true;
  std::vector<ServiceTrial> services;
  std::vector<std::int64_t> pod_pending_us;  // per pod (by name) of the run
  std::int64_t pending_total_us = 0;         // sum of pod_pending_us
  bool operator==(const TrialOutcome&) const = default;
};

/// The outcome of a finished run.
TrialOutcome outcome_of(const RunReport& report);

/// Summary of one data service at one level over many trials.
struct ServiceSummary {
  std::string service;
  std::string type;
  std::string consistency;
  std::int64_t rows = 0;
  ExactMoments read_unavailable;   // units of kUnavailabilityUnit
  ExactMoments write_unavailable;  // units of kUnavailabilityUnit
  ExactMoments unavailable_us;
  std::uint64_t any_unavailable = 0;  // trials
  std::uint64_t data_loss = 0;        // trials
  ExactMoments redundancy_us;         // over every restored fault of every trial
  sim::Histogram redundancy_s;
  std::uint64_t unrestored = 0;
  bool operator==(const ServiceSummary&) const = default;
};

/// Summary of many trials of one scenario. Empty (no trial) summaries merge with anything.
struct McSummary {
  std::uint64_t trials = 0;
  std::int64_t duration_us = 0;
  std::uint64_t setup_not_converged = 0;  // trials whose setup hit spec.setupTimeout
  std::vector<ServiceSummary> services;
  ExactMoments pod_pending_us;  // per pod per trial
  sim::Histogram pod_pending_s;
  ExactMoments trial_pending_us;  // per trial: pending time of all pods together
  ExactMoments trial_pods;        // per trial: pods reported
  Int128 pods_times_pending = 0;  // sum over trials of pods x pending time (the ratio's interval)

  void add(const TrialOutcome& t);
  /// Throws std::invalid_argument when the summaries are of different designs (other
  /// duration or data services).
  void merge(const McSummary& other);
  bool operator==(const McSummary&) const = default;
};

/// Per-trial differences B - A of the paired metrics, for `azsim mc --compare`.
struct ServiceDiff {
  ExactMoments read_unavailable;
  ExactMoments write_unavailable;
  ExactMoments unavailable_us;
  ExactMoments any_unavailable;  // -1, 0 or 1 per trial
  ExactMoments data_loss;        // -1, 0 or 1 per trial
  bool operator==(const ServiceDiff&) const = default;
};
struct PairedDiff {
  std::vector<ServiceDiff> services;  // paired by position: service i of A with service i of B
  ExactMoments trial_pending_us;
  void add(const TrialOutcome& a, const TrialOutcome& b);
  void merge(const PairedDiff& other);
  bool operator==(const PairedDiff&) const = default;
};

/// A batch's result: one design, or two on common random numbers with their differences.
struct McResult {
  McSummary a;
  std::optional<McSummary> b;
  std::optional<PairedDiff> diff;

  void add(const TrialOutcome& ta, const TrialOutcome* tb);
  void merge(const McResult& other);
  bool operator==(const McResult&) const = default;
};

// ---------------------------------------------------------------------------------------------
// Reported figures, computed from a summary.

struct MeanCi {
  double mean = 0;
  sim::Interval ci95;  // infinite ends when unknown (fewer than 2 trials)
};

struct DistributionFigures {
  std::uint64_t count = 0;
  double mean = 0;
  sim::Interval ci95;  // of the mean
  double p50 = 0, p95 = 0, p99 = 0, max = 0;
};

struct ServiceFigures {
  std::string service, type, consistency;
  std::int64_t rows = 0;
  MeanCi read_availability;
  MeanCi write_availability;
  MeanCi p_any_unavailable;   // Wilson interval
  MeanCi p_data_loss;         // Wilson interval
  MeanCi unavailable_minutes_per_year;
  DistributionFigures time_to_full_redundancy_s;
  std::uint64_t unrestored = 0;
};

struct McFigures {
  std::uint64_t trials = 0;
  std::uint64_t setup_not_converged = 0;
  double duration_s = 0;
  std::vector<ServiceFigures> services;
  DistributionFigures pod_pending_s;
};

McFigures figures_of(const McSummary& s);

/// Paired differences B - A over the same trials (availability differences are B's
/// availability minus A's: positive means B is better; the others positive means B has more
/// of it). Means of per-trial differences get t intervals; the two probabilities get
/// Newcombe's paired score interval (sim::paired_difference_interval), which is not [0, 0]
/// when no trial is discordant. When neither design saw any unavailability in any trial, the
/// availability and unavailable-minutes differences are bounded as design A's figures are
/// (by the Wilson limit of 0 trials of n).
struct ServiceDiffFigures {
  MeanCi read_availability;
  MeanCi write_availability;
  MeanCi p_any_unavailable;
  MeanCi p_data_loss;
  MeanCi unavailable_minutes_per_year;
};
struct DiffFigures {
  std::vector<ServiceDiffFigures> services;
  MeanCi pod_pending_s_per_trial;
};
DiffFigures figures_of(const PairedDiff& d, const McSummary& a, const McSummary& b);

/// The names `--until-ci METRIC=WIDTH` accepts, and the width of that metric's 95 % interval
/// (of design A's first data service for the data metrics; of the mean pending time per pod
/// for pod_pending_s); nullopt for an unknown name.
const std::vector<std::string>& ci_metric_names();
std::optional<double> ci_width(const McFigures& f, const std::string& metric);

}  // namespace azsim::metrics
