#include "sim/fp_strict.hpp"
// (fp_strict.hpp first: see its banner.)
#include "sim/detmath.hpp"

#include <cmath>
#include <limits>

namespace azsim::sim::detmath {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// ln 2 split in two: kLn2Hi keeps only 32 significant bits, so k * kLn2Hi is exact for every
// binary exponent k a double can have; kLn2Lo = ln 2 - kLn2Hi to double precision.
constexpr double kLn2Hi = 0x1.62e42feep-1;
constexpr double kLn2Lo = 0x1.a39ef35793c76p-33;
constexpr double kInvLn2 = 0x1.71547652b82fep+0;     // 1 / ln 2
constexpr double kSqrtHalf = 0x1.6a09e667f3bcdp-1;   // sqrt(1/2)
constexpr double kHalfLog2Pi = 0x1.d67f1c864beb5p-1;  // log(2 pi) / 2

// log(1 + f) = 2 atanh(s), s = f / (2 + f); the series coefficients 2 / (2j + 1), j = 1..11.
// With |s| <= 0.1716 the first omitted term is below 1e-19 of the result.
constexpr double kAtanh[] = {2.0 / 3,  2.0 / 5,  2.0 / 7,  2.0 / 9,  2.0 / 11, 2.0 / 13,
                             2.0 / 15, 2.0 / 17, 2.0 / 19, 2.0 / 21, 2.0 / 23};

// 1 / n! for n = 1..14: e^r = 1 + r * sum_{n>=1} r^(n-1) / n!; with |r| <= ln(2)/2 the first
// omitted term is below 1e-18.
constexpr double inv_factorial(int n) {
  double f = 1;
  for (int i = 2; i <= n; ++i) f *= i;
  return 1.0 / f;
}
constexpr int kExpTerms = 14;

// Stirling series of log Gamma: B_2k / (2k (2k - 1)), k = 1..7, in powers of 1/z^2.
constexpr double kStirling[] = {1.0 / 12,   -1.0 / 360,        1.0 / 1260, -1.0 / 1680,
                                1.0 / 1188, -691.0 / 360360,   1.0 / 156};

constexpr double kTiny = 1e-300;  // keeps Lentz's continued fractions away from division by 0
constexpr double kEps = 0x1p-53;
constexpr int kMaxIterations = 100000;

// Continued fraction of I_x(a, b) (Lentz's method); converges fast for x < (a+1)/(a+b+2).
double beta_continued_fraction(double a, double b, double x) {
  const double qab = a + b;
  const double qap = a + 1;
  const double qam = a - 1;
  double c = 1;
  double d = 1 - qab * x / qap;
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= kMaxIterations; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    const double del = d * c;
    h *= del;
    if (std::fabs(del - 1) < kEps) break;
  }
  return h;
}

}  // namespace

double log(double x) {
  if (std::isnan(x) || x < 0) return kNaN;
  if (x == 0) return -kInf;
  if (std::isinf(x)) return x;
  int e = 0;
  double m = std::frexp(x, &e);  // x = m 2^e, m in [0.5, 1), exact even for subnormals
  if (m < kSqrtHalf) {
    m *= 2;
    --e;
  }
  // m in [sqrt(1/2), sqrt(2)): f = m - 1 is exact, and log(m) = f - s (f - R) keeps the exact
  // f as the leading term so rounding in s only touches a correction below 0.2 f.
  const double f = m - 1.0;
  const double s = f / (2.0 + f);
  const double s2 = s * s;
  double r = kAtanh[10];
  for (int j = 9; j >= 0; --j) r = r * s2 + kAtanh[j];
  r *= s2;
  const double k = e;
  const double lo = k * kLn2Lo - s * (f - r);
  return k * kLn2Hi + (f + lo);
}

double exp(double x) {
  if (std::isnan(x)) return x;
  if (x > 710.0) return kInf;
  if (x < -746.0) return 0.0;
  // x = k ln2 + r with |r| <= ln2 / 2; then e^x = 2^k e^r, and ldexp scales exactly (or
  // rounds once into the subnormal range).
  const double kd = std::floor(x * kInvLn2 + 0.5);
  const double r = (x - kd * kLn2Hi) - kd * kLn2Lo;
  double q = inv_factorial(kExpTerms);
  for (int n = kExpTerms - 1; n >= 1; --n) q = q * r + inv_factorial(n);
  return std::ldexp(1.0 + r * q, static_cast<int>(kd));
}

double pow(double x, double y) {
  if (std::isnan(x) || std::isnan(y) || x < 0) return kNaN;
  if (y == 0 || x == 1) return 1.0;
  if (x == 0) return y > 0 ? 0.0 : kInf;
  return exp(y * log(x));
}

double lgamma(double x) {
  if (std::isnan(x) || x <= 0) return kNaN;
  if (std::isinf(x)) return kInf;
  // Shift up to z >= 10 where the Stirling series is accurate to double precision:
  // Gamma(x) = Gamma(x + n) / (x (x+1) ... (x+n-1)).
  double product = 1;
  double z = x;
  while (z < 10) {
    product *= z;
    z += 1;
  }
  const double t = 1 / z;
  const double t2 = t * t;
  double series = kStirling[6];
  for (int k = 5; k >= 0; --k) series = series * t2 + kStirling[k];
  series *= t;
  const double stirling = ((z - 0.5) * log(z) - z) + (kHalfLog2Pi + series);
  return stirling - log(product);
}

double beta_inc(double a, double b, double x) { return beta_inc(a, b, x, 1.0 - x); }

double beta_inc(double a, double b, double x, double y) {
  if (std::isnan(a) || std::isnan(b) || std::isnan(x) || std::isnan(y) || a <= 0 || b <= 0) return kNaN;
  if (x <= 0) return 0.0;
  if (y <= 0) return 1.0;
  const double log_front = (lgamma(a + b) - lgamma(a) - lgamma(b)) + (a * log(x) + b * log(y));
  const double front = exp(log_front);
  // The continued fraction converges quickly on the side of the distribution's mean; use the
  // symmetry I_x(a, b) = 1 - I_y(b, a) on the other side.
  if (x < (a + 1) / (a + b + 2)) return front * beta_continued_fraction(a, b, x) / a;
  return 1.0 - front * beta_continued_fraction(b, a, y) / b;
}

double gamma_q(double a, double x) {
  if (std::isnan(a) || std::isnan(x) || a <= 0 || x < 0) return kNaN;
  if (x == 0) return 1.0;
  if (std::isinf(x)) return 0.0;
  const double log_front = a * log(x) - x - lgamma(a);
  if (x < a + 1) {
    // Series of the lower function P = 1 - Q: x^a e^-x / Gamma(a) * sum x^n / (a (a+1)..(a+n)).
    double ap = a;
    double term = 1 / a;
    double sum = term;
    for (int n = 1; n <= kMaxIterations; ++n) {
      ap += 1;
      term *= x / ap;
      sum += term;
      if (std::fabs(term) < std::fabs(sum) * kEps) break;
    }
    return 1.0 - exp(log_front) * sum;
  }
  // Continued fraction of Q (Lentz's method).
  double b = x + 1 - a;
  double c = 1 / kTiny;
  double d = 1 / b;
  double h = d;
  for (int i = 1; i <= kMaxIterations; ++i) {
    const double an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = b + an / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    const double del = d * c;
    h *= del;
    if (std::fabs(del - 1) < kEps) break;
  }
  return exp(log_front) * h;
}

double erfc(double x) {
  if (std::isnan(x)) return x;
  const double q = gamma_q(0.5, x * x);
  return x >= 0 ? q : 2.0 - q;
}

}  // namespace azsim::sim::detmath
