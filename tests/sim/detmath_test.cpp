#include "sim/detmath.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "sim/random.hpp"

using namespace azsim::sim;

namespace {

constexpr double kUlp = 0x1p-52;  // relative spacing of doubles at 1

double rel_err(double got, double want) { return std::fabs(got - want) / std::fabs(want); }

TEST(DetMath, LogAgreesWithTheLibraryToAFewUlp) {
  RandomStream rs(1, 0, "detmath-log");
  for (int i = 0; i < 200000; ++i) {
    // Mantissas in [1, 2) over exponents -1070..1020, subnormals included.
    const double x = std::ldexp(1 + rs.uniform01(), static_cast<int>(rs.uniform_int(-1070, 1020)));
    const double want = std::log(x);
    if (want == 0) continue;
    ASSERT_LE(rel_err(detmath::log(x), want), 2 * kUlp) << x;
  }
  for (int i = 0; i < 200000; ++i) {  // near 1, where cancellation would show
    const double x = 0.5 + 1.5 * rs.uniform01();
    const double want = std::log(x);
    if (want == 0) continue;
    ASSERT_LE(rel_err(detmath::log(x), want), 2 * kUlp) << x;
  }
}

TEST(DetMath, LogSpecialValues) {
  EXPECT_EQ(detmath::log(1.0), 0.0);
  EXPECT_EQ(detmath::log(0.0), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(detmath::log(std::numeric_limits<double>::infinity()), std::numeric_limits<double>::infinity());
  EXPECT_TRUE(std::isnan(detmath::log(-1.0)));
  EXPECT_TRUE(std::isnan(detmath::log(std::nan(""))));
  EXPECT_NEAR(detmath::log(std::numeric_limits<double>::denorm_min()), -744.4400719213812, 1e-12);
  EXPECT_NEAR(detmath::log(2.0), 0.6931471805599453, 1e-16);
}

TEST(DetMath, ExpAgreesWithTheLibraryToAFewUlp) {
  RandomStream rs(1, 0, "detmath-exp");
  for (int i = 0; i < 200000; ++i) {
    const double x = rs.uniform(-708, 709.7);  // normal results
    ASSERT_LE(rel_err(detmath::exp(x), std::exp(x)), 2 * kUlp) << x;
  }
  for (int i = 0; i < 100000; ++i) {
    const double x = rs.uniform(-1, 1);
    ASSERT_LE(rel_err(detmath::exp(x), std::exp(x)), 2 * kUlp) << x;
  }
}

TEST(DetMath, ExpSpecialValues) {
  EXPECT_EQ(detmath::exp(0.0), 1.0);
  EXPECT_EQ(detmath::exp(710.0), std::numeric_limits<double>::infinity());
  EXPECT_EQ(detmath::exp(-750.0), 0.0);
  EXPECT_GT(detmath::exp(-740.0), 0.0);  // subnormal, not flushed
  EXPECT_NEAR(detmath::exp(-740.0) / std::exp(-740.0), 1.0, 1e-9);
  EXPECT_TRUE(std::isnan(detmath::exp(std::nan(""))));
  EXPECT_NEAR(detmath::exp(1.0), 2.718281828459045, 1e-15);  // within 2 ulp of e
}

TEST(DetMath, PowMatchesTheLibrary) {
  RandomStream rs(1, 0, "detmath-pow");
  for (int i = 0; i < 10000; ++i) {
    const double x = rs.uniform(1e-6, 1e6);
    const double y = rs.uniform(-5, 5);
    EXPECT_LE(rel_err(detmath::pow(x, y), std::pow(x, y)), 1e-13) << x << "^" << y;
  }
  EXPECT_EQ(detmath::pow(0.0, 2.0), 0.0);
  EXPECT_EQ(detmath::pow(5.0, 0.0), 1.0);
  EXPECT_TRUE(std::isnan(detmath::pow(-1.0, 0.5)));
}

TEST(DetMath, LgammaMatchesTheLibraryAndFactorials) {
  RandomStream rs(1, 0, "detmath-lgamma");
  for (int i = 0; i < 100000; ++i) {
    const double x = std::ldexp(1 + rs.uniform01(), static_cast<int>(rs.uniform_int(-30, 40)));
    const double want = std::lgamma(x);
    ASSERT_LE(std::fabs(detmath::lgamma(x) - want), 1e-14 * std::max(1.0, std::fabs(want))) << x;
  }
  double log_factorial = 0;  // log((n-1)!)
  for (int n = 1; n <= 30; ++n) {
    if (n > 1) log_factorial += std::log(n - 1.0);
    EXPECT_NEAR(detmath::lgamma(n), log_factorial, 1e-13 * std::max(1.0, log_factorial)) << n;
  }
  EXPECT_NEAR(detmath::lgamma(0.5), 0.5723649429247001, 2e-15);  // log(sqrt(pi))
  EXPECT_TRUE(std::isnan(detmath::lgamma(0.0)));
}

TEST(DetMath, IncompleteBetaClosedForms) {
  for (double x : {0.0, 1e-9, 0.1, 0.37, 0.5, 0.9, 0.999999, 1.0}) {
    EXPECT_NEAR(detmath::beta_inc(1, 1, x), x, 1e-15);                          // uniform CDF
    EXPECT_NEAR(detmath::beta_inc(3.5, 1, x), std::pow(x, 3.5), 1e-14);          // x^a
    EXPECT_NEAR(detmath::beta_inc(1, 2.5, x), 1 - std::pow(1 - x, 2.5), 1e-14);  // 1 - (1-x)^b
    // I_x(2, 3) = P(Binomial(4, x) >= 2)
    const double y = 1 - x;
    const double binom = 6 * x * x * y * y + 4 * x * x * x * y + x * x * x * x;
    EXPECT_NEAR(detmath::beta_inc(2, 3, x), binom, 1e-14) << x;
  }
  EXPECT_NEAR(detmath::beta_inc(7.3, 7.3, 0.5), 0.5, 1e-14);  // symmetry
  // I_x(a, b) = 1 - I_{1-x}(b, a), across the continued fraction's switch point.
  for (double x : {0.2, 0.45, 0.6, 0.8}) {
    EXPECT_NEAR(detmath::beta_inc(4, 9, x), 1 - detmath::beta_inc(9, 4, 1 - x), 1e-14) << x;
  }
}

TEST(DetMath, IncompleteGammaClosedForms) {
  for (double x : {0.0, 0.01, 0.5, 1.0, 2.5, 7.0, 30.0, 200.0}) {
    EXPECT_LE(rel_err(detmath::gamma_q(1, x), std::exp(-x)), 1e-13) << x;  // exponential tail
    // Q(3, x) = e^-x (1 + x + x^2/2): Poisson(x) <= 2
    EXPECT_LE(rel_err(detmath::gamma_q(3, x), std::exp(-x) * (1 + x + x * x / 2)), 1e-12) << x;
  }
  EXPECT_TRUE(std::isnan(detmath::gamma_q(0, 1)));
}

TEST(DetMath, ErfcMatchesTheLibraryInBothTails) {
  RandomStream rs(1, 0, "detmath-erfc");
  for (int i = 0; i < 50000; ++i) {
    const double x = rs.uniform(-6, 26);
    ASSERT_LE(rel_err(detmath::erfc(x), std::erfc(x)), 1e-13 * std::max(1.0, x * x)) << x;
  }
  EXPECT_EQ(detmath::erfc(0.0), 1.0);
}

}  // namespace
