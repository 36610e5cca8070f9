#include "models/metrics/mc_summary.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace azsim::metrics {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
// Minutes in the 365-day year of the duration format ("1y").
constexpr double kMinutesPerYear = 365.0 * 24 * 60;

Int128 checked_add(Int128 a, Int128 b) {
  Int128 r = 0;
  if (__builtin_add_overflow(a, b, &r)) throw std::overflow_error("Monte-Carlo sum out of range");
  return r;
}

std::int64_t quantize_unavailability(double availability) {
  const double u = std::clamp(1.0 - availability, 0.0, 1.0);
  return std::llround(u / kUnavailabilityUnit);
}

/// Mean and interval of a probability from a count, the Wilson interval.
MeanCi proportion(std::uint64_t successes, std::uint64_t trials) {
  MeanCi m;
  m.mean = trials > 0 ? static_cast<double>(successes) / static_cast<double>(trials) : kNaN;
  m.ci95 = sim::wilson_interval(successes, trials);
  return m;
}

/// Mean and interval of moments scaled by `factor` (negative factors swap the ends), plus
/// `offset`.
MeanCi scaled(const ExactMoments& m, double factor, double offset = 0.0) {
  MeanCi r;
  r.mean = offset + factor * m.mean();
  const sim::Interval ci = m.mean_ci();
  double lo = offset + factor * ci.lo;
  double hi = offset + factor * ci.hi;
  if (lo > hi) std::swap(lo, hi);
  if (std::isnan(lo)) lo = -kInf;
  if (std::isnan(hi)) hi = kInf;
  r.ci95 = {lo, hi};
  return r;
}

/// Clamps a figure's interval to the range its values can take (a t interval of a skewed
/// sample can reach past it).
MeanCi clamp(MeanCi m, double lo, double hi) {
  m.ci95.lo = std::clamp(m.ci95.lo, lo, hi);
  m.ci95.hi = std::clamp(m.ci95.hi, lo, hi);
  return m;
}

DistributionFigures distribution(const ExactMoments& m, const sim::Histogram& h, double factor) {
  DistributionFigures d;
  d.count = m.count();
  const MeanCi mc = clamp(scaled(m, factor), 0.0, kInf);
  d.mean = mc.mean;
  d.ci95 = mc.ci95;
  d.p50 = h.quantile(0.50);
  d.p95 = h.quantile(0.95);
  d.p99 = h.quantile(0.99);
  d.max = static_cast<double>(m.max()) * factor;
  if (m.count() == 0) d.p50 = d.p95 = d.p99 = d.max = kNaN;
  return d;
}

bool same_design(const std::vector<ServiceSummary>& a, const std::vector<ServiceSummary>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].service != b[i].service || a[i].type != b[i].type || a[i].consistency != b[i].consistency ||
        a[i].rows != b[i].rows)
      return false;
  return true;
}

}  // namespace

// ---------------------------------------------------------------------------------------------

void ExactMoments::add(std::int64_t x) {
  const Int128 v = x;
  sum_ = checked_add(sum_, v);
  sum_sq_ = checked_add(sum_sq_, v * v);
  if (count_ == 0 || x < min_) min_ = x;
  if (count_ == 0 || x > max_) max_ = x;
  ++count_;
}

void ExactMoments::merge(const ExactMoments& o) {
  if (o.count_ == 0) return;
  sum_ = checked_add(sum_, o.sum_);
  sum_sq_ = checked_add(sum_sq_, o.sum_sq_);
  min_ = count_ == 0 ? o.min_ : std::min(min_, o.min_);
  max_ = count_ == 0 ? o.max_ : std::max(max_, o.max_);
  count_ += o.count_;
}

double ExactMoments::mean() const {
  if (count_ == 0) return kNaN;
  return static_cast<double>(sum_) / static_cast<double>(count_);
}

double ExactMoments::squared_deviations() const {
  if (count_ == 0) return 0;
  // sum_sq - sum^2 / n: exact in integers while sum^2 fits 128 bits (|sum| < 2^63), as
  // sum_sq - q - r / n with sum^2 = q n + r; else with doubles.
  const UInt128 magnitude = sum_ < 0 ? static_cast<UInt128>(0) - static_cast<UInt128>(sum_) : static_cast<UInt128>(sum_);
  if (magnitude < (static_cast<UInt128>(1) << 63)) {
    const UInt128 square = magnitude * magnitude;
    const UInt128 q = square / count_;
    const UInt128 r = square % count_;
    const Int128 whole = sum_sq_ - static_cast<Int128>(q);
    const double ss = static_cast<double>(whole) - static_cast<double>(r) / static_cast<double>(count_);
    return ss < 0 ? 0 : ss;
  }
  const double s = static_cast<double>(sum_);
  const double ss = static_cast<double>(sum_sq_) - s * (s / static_cast<double>(count_));
  return ss < 0 ? 0 : ss;
}

double ExactMoments::stddev() const {
  if (count_ < 2) return kNaN;
  return std::sqrt(squared_deviations() / static_cast<double>(count_ - 1));
}

sim::Interval ExactMoments::mean_ci(double level) const {
  if (count_ < 2) return {-kInf, kInf};
  return sim::t_interval(mean(), stddev(), count_, level);
}

ExactMoments ExactMoments::from_parts(std::uint64_t count, Int128 sum, Int128 sum_squares, std::int64_t min,
                                      std::int64_t max) {
  if (count == 0 && (sum != 0 || sum_squares != 0 || min != 0 || max != 0))
    throw std::invalid_argument("moments: an empty summary has non-zero sums");
  if (sum_squares < 0 || min > max) throw std::invalid_argument("moments: inconsistent sums or bounds");
  if (count > 0) {
    // The mean lies within the bounds (checked exactly when the products fit 128 bits).
    Int128 lo = 0, hi = 0;
    const Int128 n = static_cast<Int128>(count);
    if (!__builtin_mul_overflow(n, static_cast<Int128>(min), &lo) && sum < lo)
      throw std::invalid_argument("moments: the sum is below count x min");
    if (!__builtin_mul_overflow(n, static_cast<Int128>(max), &hi) && sum > hi)
      throw std::invalid_argument("moments: the sum is above count x max");
    if (count == 1 && (sum != min || min != max || sum_squares != static_cast<Int128>(min) * min))
      throw std::invalid_argument("moments: a single sample differs from its bounds");
    // Cauchy-Schwarz: sum^2 <= count x sum_squares.
    const UInt128 mag = sum < 0 ? static_cast<UInt128>(0) - static_cast<UInt128>(sum) : static_cast<UInt128>(sum);
    if (mag < (static_cast<UInt128>(1) << 63)) {
      UInt128 rhs = 0;
      if (!__builtin_mul_overflow(static_cast<UInt128>(count), static_cast<UInt128>(sum_squares), &rhs) && mag * mag > rhs)
        throw std::invalid_argument("moments: the sum of squares is too small for the sum");
    }
  }
  ExactMoments m;
  m.count_ = count;
  m.sum_ = sum;
  m.sum_sq_ = sum_squares;
  m.min_ = min;
  m.max_ = max;
  return m;
}

// ---------------------------------------------------------------------------------------------

TrialOutcome outcome_of(const RunReport& r) {
  TrialOutcome t;
  t.duration_us = r.duration.us();
  t.setup_converged = r.setup_converged;
  for (const auto& d : r.data) {
    ServiceTrial s;
    s.service = d.service;
    s.type = d.type;
    s.consistency = d.consistency;
    s.rows = d.rows;
    s.read_unavailable = quantize_unavailability(d.read_availability);
    s.write_unavailable = quantize_unavailability(d.write_availability);
    s.any_unavailable = d.rows_readable_min < d.rows || d.rows_writable_min < d.rows;
    s.data_loss = d.rows_lost > 0;
    for (const auto& w : d.unavailable_windows) s.unavailable_us += (w.to - w.from).us();
    for (const auto& red : d.redundancy) {
      if (red.restored)
        s.redundancy_us.push_back((*red.restored - red.fault).us());
      else
        ++s.unrestored;
    }
    t.services.push_back(std::move(s));
  }
  for (const auto& p : r.pods) {
    t.pod_pending_us.push_back(p.pending.us());
    t.pending_total_us += p.pending.us();
  }
  return t;
}

void McSummary::add(const TrialOutcome& t) {
  if (trials == 0 && services.empty()) {
    duration_us = t.duration_us;
    for (const auto& s : t.services) {
      ServiceSummary ss;
      ss.service = s.service;
      ss.type = s.type;
      ss.consistency = s.consistency;
      ss.rows = s.rows;
      services.push_back(std::move(ss));
    }
  }
  if (t.duration_us != duration_us || t.services.size() != services.size())
    throw std::invalid_argument("a trial of another design was added to a Monte-Carlo summary");
  ++trials;
  if (!t.setup_converged) ++setup_not_converged;
  for (std::size_t i = 0; i < services.size(); ++i) {
    ServiceSummary& ss = services[i];
    const ServiceTrial& st = t.services[i];
    ss.read_unavailable.add(st.read_unavailable);
    ss.write_unavailable.add(st.write_unavailable);
    ss.unavailable_us.add(st.unavailable_us);
    ss.any_unavailable += st.any_unavailable ? 1 : 0;
    ss.data_loss += st.data_loss ? 1 : 0;
    for (const std::int64_t us : st.redundancy_us) {
      ss.redundancy_us.add(us);
      ss.redundancy_s.add(static_cast<double>(us) / 1e6);
    }
    ss.unrestored += static_cast<std::uint64_t>(st.unrestored);
  }
  for (const std::int64_t us : t.pod_pending_us) {
    pod_pending_us.add(us);
    pod_pending_s.add(static_cast<double>(us) / 1e6);
  }
  trial_pending_us.add(t.pending_total_us);
  const auto pods = static_cast<std::int64_t>(t.pod_pending_us.size());
  trial_pods.add(pods);
  pods_times_pending = checked_add(pods_times_pending, static_cast<Int128>(pods) * t.pending_total_us);
}

void McSummary::merge(const McSummary& o) {
  if (o.trials == 0) return;
  if (trials == 0) {
    *this = o;
    return;
  }
  if (o.duration_us != duration_us || !same_design(services, o.services))
    throw std::invalid_argument("Monte-Carlo results of different designs (duration or data services) cannot be merged");
  trials += o.trials;
  setup_not_converged += o.setup_not_converged;
  for (std::size_t i = 0; i < services.size(); ++i) {
    ServiceSummary& a = services[i];
    const ServiceSummary& b = o.services[i];
    a.read_unavailable.merge(b.read_unavailable);
    a.write_unavailable.merge(b.write_unavailable);
    a.unavailable_us.merge(b.unavailable_us);
    a.any_unavailable += b.any_unavailable;
    a.data_loss += b.data_loss;
    a.redundancy_us.merge(b.redundancy_us);
    a.redundancy_s.merge(b.redundancy_s);
    a.unrestored += b.unrestored;
  }
  pod_pending_us.merge(o.pod_pending_us);
  pod_pending_s.merge(o.pod_pending_s);
  trial_pending_us.merge(o.trial_pending_us);
  trial_pods.merge(o.trial_pods);
  pods_times_pending = checked_add(pods_times_pending, o.pods_times_pending);
}

void PairedDiff::add(const TrialOutcome& a, const TrialOutcome& b) {
  const std::size_t n = std::min(a.services.size(), b.services.size());
  if (services.empty()) services.resize(n);
  if (services.size() != n) throw std::invalid_argument("paired trials of different designs");
  for (std::size_t i = 0; i < n; ++i) {
    const ServiceTrial& x = a.services[i];
    const ServiceTrial& y = b.services[i];
    ServiceDiff& d = services[i];
    d.read_unavailable.add(y.read_unavailable - x.read_unavailable);
    d.write_unavailable.add(y.write_unavailable - x.write_unavailable);
    d.unavailable_us.add(y.unavailable_us - x.unavailable_us);
    d.any_unavailable.add(static_cast<int>(y.any_unavailable) - static_cast<int>(x.any_unavailable));
    d.data_loss.add(static_cast<int>(y.data_loss) - static_cast<int>(x.data_loss));
  }
  trial_pending_us.add(b.pending_total_us - a.pending_total_us);
}

void PairedDiff::merge(const PairedDiff& o) {
  if (o.trial_pending_us.count() == 0) return;
  if (trial_pending_us.count() == 0) {
    *this = o;
    return;
  }
  if (o.services.size() != services.size()) throw std::invalid_argument("paired results of different designs");
  for (std::size_t i = 0; i < services.size(); ++i) {
    services[i].read_unavailable.merge(o.services[i].read_unavailable);
    services[i].write_unavailable.merge(o.services[i].write_unavailable);
    services[i].unavailable_us.merge(o.services[i].unavailable_us);
    services[i].any_unavailable.merge(o.services[i].any_unavailable);
    services[i].data_loss.merge(o.services[i].data_loss);
  }
  trial_pending_us.merge(o.trial_pending_us);
}

void McResult::add(const TrialOutcome& ta, const TrialOutcome* tb) {
  a.add(ta);
  if (tb) {
    if (!b) b.emplace();
    if (!diff) diff.emplace();
    b->add(*tb);
    diff->add(ta, *tb);
  }
}

void McResult::merge(const McResult& o) {
  if (o.b.has_value() != b.has_value() && o.a.trials > 0 && a.trials > 0)
    throw std::invalid_argument("a comparison cannot be merged with a single-design result");
  a.merge(o.a);
  if (o.b) {
    if (!b) b.emplace();
    b->merge(*o.b);
  }
  if (o.diff) {
    if (!diff) diff.emplace();
    diff->merge(*o.diff);
  }
}

// ---------------------------------------------------------------------------------------------

namespace {

/// The mean pending time per pod with its interval: a ratio of per-trial sums (all pods'
/// pending time over the number of pods), whose spread comes from the trials, not the pods
/// (the pods of one trial are not independent), by the delta method.
MeanCi pending_per_pod(const McSummary& s) {
  MeanCi m;
  const double n = static_cast<double>(s.trials);
  const double sx = static_cast<double>(s.trial_pods.sum());
  const double sy = static_cast<double>(s.trial_pending_us.sum());
  if (s.trials == 0 || sx <= 0) return {kNaN, {-kInf, kInf}};
  const double r = sy / sx;
  m.mean = r * 1e-6;
  if (s.trials < 2) {
    m.ci95 = {-kInf, kInf};
    return m;
  }
  const double syy = static_cast<double>(s.trial_pending_us.sum_squares());
  const double sxx = static_cast<double>(s.trial_pods.sum_squares());
  const double sxy = static_cast<double>(s.pods_times_pending);
  double var = (syy - 2 * r * sxy + r * r * sxx) / (n - 1);
  if (var < 0) var = 0;
  const double xbar = sx / n;
  const double se = std::sqrt(var / n) / xbar;
  const sim::Interval t = sim::t_interval(r, se * std::sqrt(n), s.trials);
  m.ci95 = {std::max(0.0, t.lo) * 1e-6, t.hi * 1e-6};
  return m;
}

}  // namespace

McFigures figures_of(const McSummary& s) {
  McFigures f;
  f.trials = s.trials;
  f.setup_not_converged = s.setup_not_converged;
  f.duration_s = static_cast<double>(s.duration_us) / 1e6;
  const double per_year = s.duration_us > 0 ? kMinutesPerYear / static_cast<double>(s.duration_us) : kNaN;
  for (const auto& ss : s.services) {
    ServiceFigures sf;
    sf.service = ss.service;
    sf.type = ss.type;
    sf.consistency = ss.consistency;
    sf.rows = ss.rows;
    sf.read_availability = clamp(scaled(ss.read_unavailable, -kUnavailabilityUnit, 1.0), 0.0, 1.0);
    sf.write_availability = clamp(scaled(ss.write_unavailable, -kUnavailabilityUnit, 1.0), 0.0, 1.0);
    sf.p_any_unavailable = proportion(ss.any_unavailable, s.trials);
    sf.p_data_loss = proportion(ss.data_loss, s.trials);
    sf.unavailable_minutes_per_year = clamp(scaled(ss.unavailable_us, per_year), 0.0, kInf);
    if (ss.any_unavailable == 0 && s.trials > 0) {
      // No trial saw any unavailability: the sample has no spread and a t interval would be
      // [1, 1]. A trial's unavailability is at most 1 and is 0 unless some row was unavailable
      // in it, so the mean is at most P(some row unavailable): bound it by that Wilson limit.
      const double bound = sim::wilson_interval(0, s.trials).hi;
      sf.read_availability.ci95 = {1.0 - bound, 1.0};
      sf.write_availability.ci95 = {1.0 - bound, 1.0};
      sf.unavailable_minutes_per_year.ci95 = {0.0, bound * kMinutesPerYear};
    }
    sf.time_to_full_redundancy_s = distribution(ss.redundancy_us, ss.redundancy_s, 1e-6);
    sf.unrestored = ss.unrestored;
    f.services.push_back(std::move(sf));
  }
  f.pod_pending_s = distribution(s.pod_pending_us, s.pod_pending_s, 1e-6);
  const MeanCi per_pod = pending_per_pod(s);
  f.pod_pending_s.ci95 = per_pod.ci95;
  return f;
}

namespace {

/// The difference B - A of a probability over paired trials, from the per-trial differences
/// (-1, 0, +1) and each design's count of trials with the event. The 2x2 table follows from
/// them: discordant trials = sum of squares, B-only minus A-only = sum. Parts that do not
/// make a table (which merge would have refused) keep the t interval.
MeanCi paired_proportion(const ExactMoments& diff, std::uint64_t a_events, std::uint64_t b_events) {
  MeanCi m = scaled(diff, 1.0);
  const Int128 n = diff.count();
  const Int128 b_only = (diff.sum_squares() + diff.sum()) / 2;
  const Int128 a_only = (diff.sum_squares() - diff.sum()) / 2;
  const Int128 both = static_cast<Int128>(a_events) - a_only;
  const Int128 neither = n - both - a_only - b_only;
  if (n == 0 || a_only < 0 || b_only < 0 || both < 0 || neither < 0 || both + b_only != static_cast<Int128>(b_events))
    return m;
  m.ci95 = sim::paired_difference_interval(static_cast<std::uint64_t>(both), static_cast<std::uint64_t>(a_only),
                                           static_cast<std::uint64_t>(b_only), static_cast<std::uint64_t>(neither));
  return m;
}

}  // namespace

DiffFigures figures_of(const PairedDiff& d, const McSummary& a, const McSummary& b) {
  DiffFigures f;
  const std::int64_t duration_us = a.duration_us;
  const double per_year = duration_us > 0 ? kMinutesPerYear / static_cast<double>(duration_us) : kNaN;
  for (std::size_t i = 0; i < d.services.size(); ++i) {
    const ServiceDiff& sd = d.services[i];
    const bool marginals = i < a.services.size() && i < b.services.size();
    ServiceDiffFigures s;
    // B's availability minus A's = A's unavailability minus B's.
    s.read_availability = scaled(sd.read_unavailable, -kUnavailabilityUnit);
    s.write_availability = scaled(sd.write_unavailable, -kUnavailabilityUnit);
    s.unavailable_minutes_per_year = scaled(sd.unavailable_us, per_year);
    if (marginals) {
      const ServiceSummary& sa = a.services[i];
      const ServiceSummary& sb = b.services[i];
      s.p_any_unavailable = paired_proportion(sd.any_unavailable, sa.any_unavailable, sb.any_unavailable);
      s.p_data_loss = paired_proportion(sd.data_loss, sa.data_loss, sb.data_loss);
      if (sa.any_unavailable == 0 && sb.any_unavailable == 0 && a.trials > 0) {
        // No unavailability on either side: each design's mean is within the Wilson limit of
        // 0 of n (see figures_of(McSummary)), so their difference is within -/+ that limit.
        const double bound = sim::wilson_interval(0, a.trials).hi;
        s.read_availability.ci95 = {-bound, bound};
        s.write_availability.ci95 = {-bound, bound};
        s.unavailable_minutes_per_year.ci95 = {-bound * kMinutesPerYear, bound * kMinutesPerYear};
      }
    } else {
      s.p_any_unavailable = scaled(sd.any_unavailable, 1.0);
      s.p_data_loss = scaled(sd.data_loss, 1.0);
    }
    f.services.push_back(s);
  }
  f.pod_pending_s_per_trial = scaled(d.trial_pending_us, 1e-6);
  return f;
}

const std::vector<std::string>& ci_metric_names() {
  static const std::vector<std::string> names = {"read_availability", "write_availability", "p_any_unavailable",
                                                 "p_data_loss",       "unavailable_minutes_per_year", "pod_pending_s"};
  return names;
}

std::optional<double> ci_width(const McFigures& f, const std::string& metric) {
  auto width = [](const MeanCi& m) { return m.ci95.hi - m.ci95.lo; };
  if (metric == "pod_pending_s") {
    // No pod was ever Pending: no spread to judge the interval by, never narrow.
    if (!(f.pod_pending_s.max > 0)) return kInf;
    return f.pod_pending_s.ci95.hi - f.pod_pending_s.ci95.lo;
  }
  if (std::find(ci_metric_names().begin(), ci_metric_names().end(), metric) == ci_metric_names().end())
    return std::nullopt;
  if (f.services.empty()) return kInf;  // no data service: never narrow
  const ServiceFigures& s = f.services.front();
  if (metric == "read_availability") return width(s.read_availability);
  if (metric == "write_availability") return width(s.write_availability);
  if (metric == "p_any_unavailable") return width(s.p_any_unavailable);
  if (metric == "p_data_loss") return width(s.p_data_loss);
  return width(s.unavailable_minutes_per_year);
}

}  // namespace azsim::metrics
