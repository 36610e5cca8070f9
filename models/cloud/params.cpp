#include "models/cloud/params.hpp"

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

}  // namespace azsim::cloud
