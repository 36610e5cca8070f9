#include "sim/fp_strict.hpp"
// (fp_strict.hpp first: see its banner.)
#include "sim/confidence.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/detmath.hpp"

namespace azsim::sim {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kCornishFisherMinDf = 1000;
constexpr int kMaxSteps = 4000;

// Smallest tail probability min(p, 1 - p) (exact: 1 - p is exact for p >= 1/2) and the sign of
// the quantile, so that both tails are solved on the upper side with full relative precision.
struct Tail {
  double q;
  double sign;
};

Tail upper_tail(double p) { return p >= 0.5 ? Tail{1.0 - p, 1.0} : Tail{p, -1.0}; }

// The x > 0 with upper_tail_of(x) == q, for a decreasing upper_tail_of on [0, inf) that starts
// at 1/2: double an upper bracket from 1, then bisect until the bracket is a few ulp wide.
template <class F>
double solve_upper_tail(double q, F upper_tail_of) {
  if (q >= 0.5) return 0.0;
  if (q <= 0) return kInf;
  double lo = 0;
  double hi = 1;
  while (upper_tail_of(hi) > q) {
    lo = hi;
    hi *= 2;
    if (std::isinf(hi)) return kInf;
  }
  for (int step = 0; step < kMaxSteps; ++step) {
    const double mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi || hi - lo <= hi * 0x1p-52) break;
    if (upper_tail_of(mid) > q) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return lo + (hi - lo) / 2;
}

double normal_upper_tail(double z) { return 0.5 * detmath::gamma_q(0.5, 0.5 * z * z); }

}  // namespace

double normal_quantile(double p) {
  if (!(p >= 0 && p <= 1)) return kNaN;
  const Tail t = upper_tail(p);
  return t.sign * solve_upper_tail(t.q, normal_upper_tail);
}

double student_t_quantile(double p, double df) {
  if (!(p >= 0 && p <= 1) || !(df > 0)) return kNaN;
  if (df >= kCornishFisherMinDf) {
    const double z = normal_quantile(p);
    if (std::isinf(df) || std::isinf(z)) return z;
    const double z2 = z * z;
    const double g1 = (z2 + 1) * z / 4;
    const double g2 = ((5 * z2 + 16) * z2 + 3) * z / 96;
    const double g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384;
    const double g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160;
    return z + (g1 + (g2 + (g3 + g4 / df) / df) / df) / df;
  }
  // P(T > t) = I_x(df/2, 1/2) / 2 with x = df / (df + t^2), y = 1 - x = t^2 / (df + t^2).
  const double a = df / 2;
  const auto tail_of = [df, a](double t) {
    const double t2 = t * t;
    const double sum = df + t2;
    return 0.5 * detmath::beta_inc(a, 0.5, df / sum, t2 / sum);
  };
  const Tail t = upper_tail(p);
  return t.sign * solve_upper_tail(t.q, tail_of);
}

Interval t_interval(double mean, double stddev, std::uint64_t n, double level) {
  if (n < 2) return {-kInf, kInf};
  const double nd = static_cast<double>(n);
  const double t = student_t_quantile((1 + level) / 2, nd - 1);
  const double half = t * stddev / std::sqrt(nd);
  return {mean - half, mean + half};
}

Interval wilson_interval(std::uint64_t successes, std::uint64_t trials, double level) {
  if (trials == 0) return {0.0, 1.0};
  const double n = static_cast<double>(trials);
  const double p = static_cast<double>(std::min(successes, trials)) / n;
  const double z = normal_quantile((1 + level) / 2);
  const double z2 = z * z;
  const double denom = 1 + z2 / n;
  const double centre = (p + z2 / (2 * n)) / denom;
  const double half = z * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom;
  Interval ci{std::max(0.0, centre - half), std::min(1.0, centre + half)};
  if (successes == 0) ci.lo = 0.0;
  if (successes >= trials) ci.hi = 1.0;
  return ci;
}

Interval paired_difference_interval(std::uint64_t both, std::uint64_t first_only, std::uint64_t second_only,
                                    std::uint64_t neither, double level) {
  const std::uint64_t trials = both + first_only + second_only + neither;
  if (trials == 0) return {-1.0, 1.0};
  const double n = static_cast<double>(trials);
  const double a = static_cast<double>(both), b = static_cast<double>(first_only);
  const double c = static_cast<double>(second_only), d = static_cast<double>(neither);
  const double p1 = (a + b) / n, p2 = (a + c) / n;
  const Interval w1 = wilson_interval(both + first_only, trials, level);
  const Interval w2 = wilson_interval(both + second_only, trials, level);
  // The correlation of the two outcomes, shrunk towards 0 by n/2 when positive (Newcombe's
  // continuity correction of phi, which keeps coverage near nominal for small counts).
  const double margins = (a + b) * (c + d) * (a + c) * (b + d);
  const double cross = a * d - b * c;
  double phi = 0;
  if (margins > 0) {
    if (cross > n / 2) phi = (cross - n / 2) / std::sqrt(margins);
    if (cross < 0) phi = cross / std::sqrt(margins);
  }
  auto spread = [phi](double x, double y) { return std::sqrt(std::max(0.0, x * x - 2 * phi * x * y + y * y)); };
  const double theta = p2 - p1;
  const double lo = theta - spread(p2 - w2.lo, w1.hi - p1);
  const double hi = theta + spread(p1 - w1.lo, w2.hi - p2);
  return {std::max(-1.0, lo), std::min(1.0, hi)};
}

}  // namespace azsim::sim
