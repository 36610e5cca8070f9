#include "sim/fp_strict.hpp"
// (fp_strict.hpp first: see its banner.)
#include "sim/distributions.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "sim/detmath.hpp"

namespace azsim::sim {

namespace {

[[noreturn]] void bad(const std::string& what) { throw std::invalid_argument(what); }

void require_finite(double v, const char* dist, const char* name) {
  if (!std::isfinite(v)) bad(std::string(dist) + ": " + name + " must be finite");
}

void require_positive(double v, const char* dist, const char* name) {
  if (!(v > 0) || !std::isfinite(v)) bad(std::string(dist) + ": " + name + " must be positive and finite");
}

void require_non_negative(double v, const char* dist, const char* name) {
  if (!(v >= 0) || !std::isfinite(v)) bad(std::string(dist) + ": " + name + " must be non-negative and finite");
}

// A standard normal variate by Marsaglia's polar method (see Normal).
double standard_normal(RandomStream& rs) {
  for (;;) {
    const double u = 2.0 * rs.uniform01() - 1.0;  // exact: uniform01 has 53 bits
    const double v = 2.0 * rs.uniform01() - 1.0;
    const double s = u * u + v * v;
    if (s < 1.0 && s > 0.0) return u * std::sqrt(-2.0 * detmath::log(s) / s);
  }
}

}  // namespace

Uniform::Uniform(double lo, double hi) : lo_(lo), hi_(hi) {
  require_finite(lo, "uniform", "lo");
  require_finite(hi, "uniform", "hi");
  if (lo > hi) bad("uniform: lo must not exceed hi");
}

double Uniform::sample(RandomStream& rs) const { return rs.uniform(lo_, hi_); }

double Uniform::mean() const { return lo_ + (hi_ - lo_) / 2; }

Exponential Exponential::with_rate(double rate) {
  require_positive(rate, "exponential", "rate");
  return Exponential(1.0 / rate);
}

Exponential Exponential::with_mean(double mean) {
  require_positive(mean, "exponential", "mean");
  return Exponential(mean);
}

double Exponential::sample(RandomStream& rs) const { return -detmath::log(rs.uniform01_open()) * mean_; }

Normal::Normal(double mu, double sigma) : mu_(mu), sigma_(sigma) {
  require_finite(mu, "normal", "mu");
  require_non_negative(sigma, "normal", "sigma");
}

double Normal::sample(RandomStream& rs) const { return mu_ + sigma_ * standard_normal(rs); }

LogNormal::LogNormal(double mu, double sigma) : mu_(mu), sigma_(sigma) {
  require_finite(mu, "lognormal", "mu");
  require_non_negative(sigma, "lognormal", "sigma");
}

LogNormal LogNormal::from_median_p95(double median, double p95) {
  require_positive(median, "lognormal", "median");
  require_positive(p95, "lognormal", "p95");
  if (p95 < median) bad("lognormal: p95 must not be below the median");
  const double mu = detmath::log(median);
  return LogNormal(mu, (detmath::log(p95) - mu) / kNormalQuantile95);
}

double LogNormal::sample(RandomStream& rs) const { return detmath::exp(mu_ + sigma_ * standard_normal(rs)); }

double LogNormal::mean() const { return detmath::exp(mu_ + sigma_ * sigma_ / 2); }

double LogNormal::median() const { return detmath::exp(mu_); }

Weibull::Weibull(double shape, double scale) : shape_(shape), scale_(scale) {
  require_positive(shape, "weibull", "shape");
  require_positive(scale, "weibull", "scale");
}

double Weibull::sample(RandomStream& rs) const {
  // Inverse CDF: F(x) = 1 - exp(-(x/lambda)^k); -log(U) is a unit exponential.
  return scale_ * detmath::pow(-detmath::log(rs.uniform01_open()), 1.0 / shape_);
}

double Weibull::mean() const { return scale_ * detmath::exp(detmath::lgamma(1.0 + 1.0 / shape_)); }

Bernoulli::Bernoulli(double p) : p_(p) {
  if (!(p >= 0 && p <= 1)) bad("bernoulli: p must be in [0, 1]");
}

Discrete::Discrete(std::vector<double> weights) : weights_(std::move(weights)) {
  if (weights_.empty()) bad("discrete: needs at least one weight");
  double total = 0;
  cumulative_.reserve(weights_.size());
  for (double w : weights_) {
    require_non_negative(w, "discrete", "every weight");
    total += w;
    cumulative_.push_back(total);
  }
  if (!(total > 0) || !std::isfinite(total)) bad("discrete: the weights must have a positive, finite sum");
}

std::size_t Discrete::sample(RandomStream& rs) const {
  const double target = rs.uniform01() * cumulative_.back();
  const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), target);
  if (it != cumulative_.end()) return static_cast<std::size_t>(it - cumulative_.begin());
  // target rounded up to the total: the last index with a positive weight.
  std::size_t i = weights_.size() - 1;
  while (weights_[i] == 0) --i;
  return i;
}

double Discrete::probability(std::size_t i) const { return i < weights_.size() ? weights_[i] / cumulative_.back() : 0.0; }

Empirical::Empirical(std::vector<double> points) : sorted_(std::move(points)) {
  if (sorted_.empty()) bad("empirical: needs at least one point");
  for (double v : sorted_) require_finite(v, "empirical", "every point");
  std::sort(sorted_.begin(), sorted_.end());
}

double Empirical::quantile(double p) const {
  const std::size_t n = sorted_.size();
  if (n == 1 || !(p > 0)) return sorted_.front();
  if (p >= 1) return sorted_.back();
  const double h = p * static_cast<double>(n - 1);
  const double j = std::floor(h);
  const auto i = static_cast<std::size_t>(j);
  if (i + 1 >= n) return sorted_.back();
  return sorted_[i] + (h - j) * (sorted_[i + 1] - sorted_[i]);
}

double Empirical::mean() const {
  const std::size_t n = sorted_.size();
  if (n == 1) return sorted_.front();
  double sum = 0;
  for (std::size_t i = 0; i + 1 < n; ++i) sum += (sorted_[i] + sorted_[i + 1]) / 2;
  return sum / static_cast<double>(n - 1);
}

double sample(const Distribution& d, RandomStream& rs) {
  return std::visit([&rs](const auto& dist) { return static_cast<double>(dist.sample(rs)); }, d);
}

double mean(const Distribution& d) {
  return std::visit([](const auto& dist) { return dist.mean(); }, d);
}

Duration duration_from_seconds(double seconds) {
  if (!(seconds > 0)) return Duration::zero();
  // 2^63 us is the first value beyond Duration::max(); compare in double, where it is exact.
  if (seconds * 1e6 >= 0x1p63) return Duration::max();
  return Duration::from_seconds(seconds);
}

Duration sample_duration(const Distribution& d, RandomStream& rs) { return duration_from_seconds(sample(d, rs)); }

}  // namespace azsim::sim
