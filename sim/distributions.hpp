// Probability distributions sampled from a RandomStream, written out by hand.
//
// std::*_distribution are not used on purpose: the standard fixes their results but not their
// algorithms, so libstdc++, libc++ and MSVC return different samples for the same bits. Here
// every sampler has one documented algorithm, consumes a documented number of draws, and does
// its arithmetic through sim/detmath.hpp, so a seed gives the same samples everywhere.
//
// Each distribution is a small immutable value: the constructor validates parameters (throwing
// std::invalid_argument with the parameter's name), sample() draws one variate, mean() is the
// exact mean. Values are plain doubles; for time spans, read them as seconds and use
// sample_duration().
#pragma once

#include <concepts>
#include <cstddef>
#include <variant>
#include <vector>

#include "sim/random.hpp"
#include "sim/time.hpp"

namespace azsim::sim {

/// z such that P(Z <= z) = 0.95 for a standard normal Z: links a lognormal's median and p95.
inline constexpr double kNormalQuantile95 = 1.6448536269514722;

/// Always the same value; no draw. The default (0) makes Distribution default-constructible.
class Constant {
 public:
  Constant() = default;
  explicit Constant(double value) : value_(value) {}
  double sample(RandomStream&) const { return value_; }
  double mean() const { return value_; }

 private:
  double value_ = 0;
};

/// Uniform on [lo, hi), lo <= hi. One draw: RandomStream::uniform.
class Uniform {
 public:
  Uniform(double lo, double hi);
  double sample(RandomStream& rs) const;
  double mean() const;
  double lo() const { return lo_; }
  double hi() const { return hi_; }

 private:
  double lo_, hi_;
};

/// Exponential with the given mean (= 1 / rate), e.g. time to the next failure of a process
/// with a constant hazard. One draw: -log(uniform01_open()) * mean.
class Exponential {
 public:
  static Exponential with_rate(double rate);  // rate > 0 (events per unit)
  static Exponential with_mean(double mean);  // mean > 0
  double sample(RandomStream& rs) const;
  double mean() const { return mean_; }
  double rate() const { return 1.0 / mean_; }

 private:
  explicit Exponential(double mean) : mean_(mean) {}
  double mean_;
};

/// Normal(mu, sigma), sigma >= 0. Marsaglia's polar method: pairs of uniform01 draws until
/// one falls inside the unit disc (4/pi pairs on average); the second variate of the pair is
/// discarded so that a sample depends on nothing but the stream's position.
class Normal {
 public:
  Normal(double mu, double sigma);
  double sample(RandomStream& rs) const;
  double mean() const { return mu_; }
  double mu() const { return mu_; }
  double sigma() const { return sigma_; }

 private:
  double mu_, sigma_;
};

/// exp(Normal(mu, sigma)), for positive right-skewed quantities such as repair times.
/// Same draws as Normal.
class LogNormal {
 public:
  LogNormal(double mu, double sigma);  // sigma >= 0
  /// From the median and 95th percentile (0 < median <= p95), the way operators state such
  /// times: mu = ln(median), sigma = (ln(p95) - ln(median)) / kNormalQuantile95.
  static LogNormal from_median_p95(double median, double p95);
  double sample(RandomStream& rs) const;
  double mean() const;  // exp(mu + sigma^2 / 2)
  double median() const;  // exp(mu)
  double mu() const { return mu_; }
  double sigma() const { return sigma_; }

 private:
  double mu_, sigma_;
};

/// Weibull(shape k > 0, scale lambda > 0): k < 1 for infant mortality, k > 1 for wear-out.
/// One draw: lambda * (-log(uniform01_open()))^(1/k).
class Weibull {
 public:
  Weibull(double shape, double scale);
  double sample(RandomStream& rs) const;
  double mean() const;  // lambda * Gamma(1 + 1/k)
  double shape() const { return shape_; }
  double scale() const { return scale_; }

 private:
  double shape_, scale_;
};

/// True with probability p in [0, 1]. One draw: uniform01() < p.
class Bernoulli {
 public:
  explicit Bernoulli(double p);
  bool sample(RandomStream& rs) const { return rs.uniform01() < p_; }
  double mean() const { return p_; }

 private:
  double p_;
};

/// Picks index i with probability weights[i] / sum(weights). Weights must be finite and >= 0
/// with a positive sum; zero-weight indices are never picked. One draw: the first i whose
/// cumulative weight exceeds uniform01() * total (binary search, O(log n)).
class Discrete {
 public:
  explicit Discrete(std::vector<double> weights);
  std::size_t sample(RandomStream& rs) const;
  double probability(std::size_t i) const;
  std::size_t size() const { return weights_.size(); }

 private:
  std::vector<double> weights_;
  std::vector<double> cumulative_;  // running sums of the weights, in index order
};

/// A continuous distribution read off observed sample points: the inverse CDF interpolates
/// linearly between the sorted points x_0 <= ... <= x_{n-1}, so quantile(p) = x_j + (h - j)
/// (x_{j+1} - x_j) with h = p (n - 1), j = floor(h) (the "type 7" sample quantile), and sampling
/// draws quantile(uniform01()). Needs at least one finite point; one point gives a constant.
class Empirical {
 public:
  explicit Empirical(std::vector<double> points);
  double sample(RandomStream& rs) const { return quantile(rs.uniform01()); }
  double quantile(double p) const;  // p clamped to [0, 1]
  double mean() const;  // mean of the interpolated distribution (trapezoids)
  const std::vector<double>& points() const { return sorted_; }

 private:
  std::vector<double> sorted_;
};

/// Any of the continuous distributions above, e.g. as parsed from a scenario field.
using Distribution = std::variant<Constant, Uniform, Exponential, Normal, LogNormal, Weibull, Empirical>;

double sample(const Distribution& d, RandomStream& rs);
double mean(const Distribution& d);

/// A value in seconds as a Duration: rounded to the microsecond, negative values and NaN
/// become zero (a delay cannot be negative), values beyond Duration::max() saturate there.
Duration duration_from_seconds(double seconds);

/// One sample, read as seconds, as a Duration (see duration_from_seconds).
Duration sample_duration(const Distribution& d, RandomStream& rs);
template <class D>
  requires requires(const D& d, RandomStream& rs) { { d.sample(rs) } -> std::convertible_to<double>; }
Duration sample_duration(const D& d, RandomStream& rs) {
  return duration_from_seconds(d.sample(rs));
}

}  // namespace azsim::sim
