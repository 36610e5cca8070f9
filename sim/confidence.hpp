// Confidence intervals for Monte-Carlo results: Student t for means, Wilson score for
// proportions, and the normal and t quantiles they need.
//
// All arithmetic goes through sim/detmath.hpp so reported intervals are the same bytes on
// every platform. `level` is the two-sided confidence level, e.g. 0.95.
#pragma once

#include <cstdint>

namespace azsim::sim {

/// A closed interval [lo, hi].
struct Interval {
  double lo = 0;
  double hi = 0;
};

/// The p-quantile of the standard normal distribution: z with P(Z <= z) = p. p = 0 gives
/// -inf, p = 1 gives +inf, p outside [0, 1] or NaN gives NaN. Relative error below 1e-13
/// (it inverts Phi(z) = erfc(-z/sqrt 2) / 2 by bisection).
double normal_quantile(double p);

/// The p-quantile of Student's t distribution with `df` > 0 degrees of freedom (need not be an
/// integer; +inf gives the normal quantile). Below 1000 degrees of freedom it inverts the CDF
/// 1 - I_{df/(df+t^2)}(df/2, 1/2) / 2 by bisection; from 1000 on it uses the Cornish-Fisher
/// expansion in 1/df to the fourth order (Abramowitz & Stegun 26.7.5), whose error there is
/// below 1e-14. Relative error below 1e-12 overall. NaN for df <= 0 or p outside [0, 1].
double student_t_quantile(double p, double df);

/// Two-sided Student t interval for a mean: mean -/+ t_{(1+level)/2, n-1} * stddev / sqrt(n).
/// `stddev` is the sample standard deviation (n - 1 denominator). With n < 2 the spread is
/// unknown and the interval is (-inf, +inf).
Interval t_interval(double mean, double stddev, std::uint64_t n, double level = 0.95);

/// Wilson score interval for a proportion of `successes` out of `trials` (successes <=
/// trials): centre (p + z^2/2n) / (1 + z^2/n), half-width z sqrt(p(1-p)/n + z^2/4n^2) / (1 +
/// z^2/n), z = normal_quantile((1+level)/2). Unlike the normal approximation it stays inside
/// [0, 1] and is not empty at 0 or n successes (lo is exactly 0 at 0 successes, hi exactly 1
/// at n). With no trials it is [0, 1].
Interval wilson_interval(std::uint64_t successes, std::uint64_t trials, double level = 0.95);

/// Newcombe's hybrid score interval (Newcombe 1998, Statistics in Medicine 17:2635, method
/// 10) for p2 - p1, the difference of two proportions measured on the same trials (paired):
/// `both` trials had the event under 1 and 2, `first_only` under 1 only, `second_only` under
/// 2 only, `neither` under none. It combines the Wilson intervals of p1 and p2 with their
/// correlation phi = max(ad - bc - n/2, 0) / sqrt(margins) (ad - bc when negative; 0 when a
/// margin is empty), so unlike a t interval of the paired differences it is not [0, 0] when
/// no trial is discordant: with no event at all it is [-u, u], u the Wilson upper limit of
/// 0 of n. Within [-1, 1]; [-1, 1] with no trials.
Interval paired_difference_interval(std::uint64_t both, std::uint64_t first_only, std::uint64_t second_only,
                                    std::uint64_t neither, double level = 0.95);

}  // namespace azsim::sim
