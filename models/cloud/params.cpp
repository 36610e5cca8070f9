#include "models/cloud/params.hpp"

#include <algorithm>

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

}  // namespace azsim::cloud
