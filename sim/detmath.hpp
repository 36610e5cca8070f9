// Deterministic elementary and special functions for random sampling and statistics.
//
// std::log, std::exp, std::lgamma... come from the platform's math library, and different
// libraries (glibc, musl, macOS, MSVC) may round the last bit differently. A sample drawn with
// them could then differ between machines for the same seed, and reports would not be
// byte-identical. These functions are built only from IEEE-754 operations that are exactly
// specified (+ - * / sqrt, frexp, ldexp), evaluated in a fixed order without FMA contraction,
// so they return the same bits everywhere. They are accurate to a few units in the last
// place, which is far below any statistical effect; they are not meant as general replacements
// for <cmath>.
#pragma once

namespace azsim::sim::detmath {

/// Natural logarithm. log(0) = -inf, log(+inf) = +inf, log(x < 0) and log(NaN) = NaN.
/// Relative error below 2 ulp.
double log(double x);

/// e^x. Overflows to +inf above ~709.78, underflows (through subnormals) to 0 below ~-745.13.
/// Relative error below 2 ulp for normal results.
double exp(double x);

/// x^y for x > 0 as exp(y * log(x)); pow(0, y > 0) = 0. Relative error grows with |y log x|
/// (about |y log x| ulp), which is ample for the shapes used by distributions.
double pow(double x, double y);

/// log(Gamma(x)) for x > 0 (NaN otherwise), by the Stirling series after shifting x up to 10.
/// Error below 1e-14 * max(1, |lgamma(x)|).
double lgamma(double x);

/// Regularized incomplete beta function I_x(a, b) for a, b > 0 and 0 <= x <= 1 (continued
/// fraction, Lentz's method). Relative error about 1e-14 * max(1, lgamma(a + b)): the
/// prefactor exp(lgamma(a+b) - lgamma(a) - lgamma(b) + ...) inherits lgamma's absolute error.
double beta_inc(double a, double b, double x);

/// Same, given both x and y = 1 - x, so that callers who know y more precisely than
/// 1 - x (e.g. y = t^2 / (df + t^2)) keep that precision.
double beta_inc(double a, double b, double x, double y);

/// Regularized upper incomplete gamma function Q(a, x) = Gamma(a, x) / Gamma(a) for a > 0,
/// x >= 0 (series below x = a + 1, continued fraction above). Relative error about
/// 1e-14 * max(3, x) while the result is above the smallest normal double.
double gamma_q(double a, double x);

/// Complementary error function erfc(x) = 1 - erf(x), via Q(1/2, x^2): relative error below
/// 1e-13 * max(1, x^2) for x >= 0, so it stays accurate deep in the upper tail.
double erfc(double x);

}  // namespace azsim::sim::detmath
