#include "models/cloud/params.hpp"

#include <cmath>

#include <algorithm>
#include <stdexcept>

#include "sim/distributions.hpp"

namespace azsim::cloud {

sim::Duration DurationDistribution::typical() const {
  switch (kind) {
    case Kind::Constant:
    case Kind::Exponential:
    case Kind::Lognormal:
    case Kind::Weibull:
      return a;
    case Kind::Uniform:
      return sim::Duration::micros((a.us() + b.us()) / 2);
    case Kind::Empirical: {
      if (samples.empty()) return {};
      auto s = samples;
      std::sort(s.begin(), s.end());
      return s[s.size() / 2];
    }
  }
  return a;
}

sim::Duration sample(const DurationDistribution& d, sim::RandomStream& rng) {
  using Kind = DurationDistribution::Kind;
  switch (d.kind) {
    case Kind::Constant:
      return std::max(d.a, sim::Duration::zero());
    case Kind::Uniform:
      if (d.b < d.a) throw std::invalid_argument("uniform duration: max is below min");
      // Integer microseconds, both bounds included: exact, and no rounding through seconds.
      return std::max(sim::Duration::micros(rng.uniform_int(d.a.us(), d.b.us())), sim::Duration::zero());
    case Kind::Exponential:
      return sim::sample_duration(sim::Exponential::with_mean(d.a.seconds_f()), rng);
    case Kind::Lognormal:
      return sim::sample_duration(sim::LogNormal::from_median_p95(d.a.seconds_f(), d.b.seconds_f()), rng);
    case Kind::Weibull:
      return sim::sample_duration(sim::Weibull(d.shape, d.a.seconds_f()), rng);
    case Kind::Empirical: {
      // sim::Empirical interpolates between points; a scenario's list means "one of these".
      if (d.samples.empty()) throw std::invalid_argument("empirical duration: no values");
      const auto i = rng.uniform_index(d.samples.size());
      return std::max(d.samples[static_cast<std::size_t>(i)], sim::Duration::zero());
    }
  }
  throw std::invalid_argument("duration distribution: unknown kind");
}

double mean_seconds(const DurationDistribution& d) {
  switch (d.kind) {
    case DurationDistribution::Kind::Constant:
    case DurationDistribution::Kind::Exponential:
      return d.a.seconds_f();
    case DurationDistribution::Kind::Uniform:
      return (d.a.seconds_f() + d.b.seconds_f()) / 2;
    case DurationDistribution::Kind::Lognormal: {
      const double sigma = std::log(d.b.seconds_f() / d.a.seconds_f()) / 1.6448536269514722;
      return d.a.seconds_f() * std::exp(sigma * sigma / 2);
    }
    case DurationDistribution::Kind::Weibull:
      return d.a.seconds_f() * std::tgamma(1.0 + 1.0 / d.shape);
    case DurationDistribution::Kind::Empirical: {
      double sum = 0;
      for (auto v : d.samples) sum += v.seconds_f();
      return d.samples.empty() ? 0.0 : sum / static_cast<double>(d.samples.size());
    }
  }
  return d.a.seconds_f();
}

}  // namespace azsim::cloud
