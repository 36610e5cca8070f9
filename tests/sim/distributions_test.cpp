#include "sim/distributions.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

using namespace azsim::sim;
using namespace azsim::sim::literals;

namespace {

constexpr int kN = 100000;

struct Moments {
  double mean = 0;
  double variance = 0;
};

template <class F>
std::vector<double> draw(RandomStream rs, F sample, int n = kN) {
  std::vector<double> v(static_cast<std::size_t>(n));
  for (auto& x : v) x = sample(rs);
  return v;
}

Moments moments(const std::vector<double>& v) {
  Moments m;
  for (double x : v) m.mean += x;
  m.mean /= static_cast<double>(v.size());
  for (double x : v) m.variance += (x - m.mean) * (x - m.mean);
  m.variance /= static_cast<double>(v.size() - 1);
  return m;
}

// Exact sample quantile with the histogram's rank definition: the ceil(q n)-th smallest.
double sample_quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(v.size())));
  return v[std::max<std::size_t>(rank, 1) - 1];
}

// ---- First values for the pinned stream (seed 1, trial 0, "test"), cross-checked ----

// The stream's first two words, pinned in random_test.cpp.
constexpr std::uint64_t kWord0 = 0xc375972475cc6621ULL;
constexpr std::uint64_t kWord1 = 0xb7fde700ab2829dfULL;

TEST(Distributions, PinnedFirstExponential) {
  RandomStream rs(1, 0, "test");
  const double x = Exponential::with_rate(1.0).sample(rs);
  // Independent: -ln of the open uniform of the first word, with the platform's log.
  const double u = (static_cast<double>(kWord0 >> 12) + 0.5) / 4503599627370496.0;
  EXPECT_NEAR(x, -std::log(u), 1e-15);
  EXPECT_EQ(x, 0.26982507901315811);
  EXPECT_EQ(rs.position(), 1u);  // one draw per sample
}

TEST(Distributions, PinnedFirstNormal) {
  RandomStream rs(1, 0, "test");
  const double z = Normal(0, 1).sample(rs);
  // Independent: the polar method on the first two words (their point lies inside the disc).
  const double u = 2 * (static_cast<double>(kWord0 >> 11) / 9007199254740992.0) - 1;
  const double v = 2 * (static_cast<double>(kWord1 >> 11) / 9007199254740992.0) - 1;
  const double s = u * u + v * v;
  ASSERT_LT(s, 1.0);
  EXPECT_NEAR(z, u * std::sqrt(-2 * std::log(s) / s), 1e-15);
  EXPECT_EQ(z, 0.94675518043645479);
  EXPECT_EQ(rs.position(), 2u);
}

TEST(Distributions, SameStreamSameSamples) {
  const auto a = draw(RandomStream(3, 1, "w"), [](RandomStream& r) { return Weibull(0.8, 10).sample(r); }, 1000);
  const auto b = draw(RandomStream(3, 1, "w"), [](RandomStream& r) { return Weibull(0.8, 10).sample(r); }, 1000);
  EXPECT_EQ(a, b);
}

// ---- Statistical checks (fixed seeds; tolerances of about 5 standard errors) ----

TEST(Distributions, ExponentialMoments) {
  const auto e = Exponential::with_mean(2.0);
  EXPECT_DOUBLE_EQ(e.rate(), 0.5);
  const auto m = moments(draw(RandomStream(1, 0, "exp"), [&](RandomStream& r) { return e.sample(r); }));
  EXPECT_NEAR(m.mean, 2.0, 5 * 2.0 / std::sqrt(kN));
  EXPECT_NEAR(m.variance, 4.0, 5 * std::sqrt(8.0 * 16 / kN));  // Var(s^2) = (mu4 - s^4)/n = 8 s^4 / n
  EXPECT_DOUBLE_EQ(Exponential::with_rate(4).mean(), 0.25);
}

TEST(Distributions, NormalMomentsAndShape) {
  const Normal nd(3.0, 2.0);
  const auto v = draw(RandomStream(1, 0, "normal"), [&](RandomStream& r) { return nd.sample(r); });
  const auto m = moments(v);
  EXPECT_NEAR(m.mean, 3.0, 5 * 2.0 / std::sqrt(kN));
  EXPECT_NEAR(m.variance, 4.0, 5 * std::sqrt(2 * 16.0 / kN));
  // P(|Z| < 1) = 0.682689, P(|Z| < 2) = 0.954500.
  const auto within = [&](double k) {
    return static_cast<double>(std::count_if(v.begin(), v.end(), [&](double x) { return std::fabs(x - 3) < 2 * k; })) /
           kN;
  };
  EXPECT_NEAR(within(1), 0.682689, 0.0075);
  EXPECT_NEAR(within(2), 0.954500, 0.0035);
  RandomStream rs(1, 0, "x");
  EXPECT_EQ(Normal(5, 0).sample(rs), 5.0);
}

TEST(Distributions, LogNormalFromMedianAndP95) {
  // Operators state repair times as "median 2h, p95 10h" (seconds here).
  const auto ln = LogNormal::from_median_p95(7200, 36000);
  EXPECT_NEAR(ln.mu(), std::log(7200.0), 1e-14);
  EXPECT_NEAR(ln.sigma(), (std::log(36000.0) - std::log(7200.0)) / 1.6448536269514722, 1e-14);
  EXPECT_NEAR(ln.median(), 7200, 1e-9);
  const auto v = draw(RandomStream(1, 0, "lognormal"), [&](RandomStream& r) { return ln.sample(r); });
  EXPECT_NEAR(sample_quantile(v, 0.5) / 7200, 1.0, 0.02);
  EXPECT_NEAR(sample_quantile(v, 0.95) / 36000, 1.0, 0.04);
  const double exact_mean = std::exp(ln.mu() + ln.sigma() * ln.sigma() / 2);
  EXPECT_NEAR(ln.mean() / exact_mean, 1.0, 1e-13);
  EXPECT_NEAR(moments(v).mean / exact_mean, 1.0, 0.03);  // sigma = 0.98: CV of the mean is 0.4%
  // Logs of the samples are Normal(mu, sigma).
  std::vector<double> logs;
  for (double x : v) logs.push_back(std::log(x));
  const auto lm = moments(logs);
  EXPECT_NEAR(lm.mean, ln.mu(), 5 * ln.sigma() / std::sqrt(kN));
  EXPECT_NEAR(std::sqrt(lm.variance), ln.sigma(), 0.01);
}

TEST(Distributions, WeibullMeanIsScaleTimesGamma) {
  for (double shape : {0.7, 1.0, 1.5, 3.0}) {
    const Weibull w(shape, 1000);
    const double exact_mean = 1000 * std::tgamma(1 + 1 / shape);
    const double exact_var = 1000.0 * 1000 * (std::tgamma(1 + 2 / shape) - std::pow(std::tgamma(1 + 1 / shape), 2));
    EXPECT_NEAR(w.mean() / exact_mean, 1.0, 1e-13) << shape;
    const auto m = moments(draw(RandomStream(1, 0, "weibull"), [&](RandomStream& r) { return w.sample(r); }));
    EXPECT_NEAR(m.mean, exact_mean, 5 * std::sqrt(exact_var / kN)) << shape;
    EXPECT_NEAR(m.variance / exact_var, 1.0, 0.05) << shape;
  }
  EXPECT_NEAR(Weibull(1.5, 1000).mean(), 902.7452929509336, 1e-9);  // 1000 Gamma(5/3)
}

TEST(Distributions, WeibullShapeOneIsExponential) {
  // Same draws, same inverse CDF: identical up to rounding of x^(1/1).
  RandomStream a(4, 0, "s"), b(4, 0, "s");
  for (int i = 0; i < 100; ++i) EXPECT_NEAR(Weibull(1, 3).sample(a), Exponential::with_mean(3).sample(b), 1e-12);
}

TEST(Distributions, UniformMoments) {
  const Uniform u(10, 20);
  EXPECT_EQ(u.mean(), 15);
  const auto m = moments(draw(RandomStream(1, 0, "u"), [&](RandomStream& r) { return u.sample(r); }));
  EXPECT_NEAR(m.mean, 15, 5 * std::sqrt(100.0 / 12 / kN));
  EXPECT_NEAR(m.variance, 100.0 / 12, 0.15);
}

TEST(Distributions, BernoulliRate) {
  const Bernoulli b(0.05);
  RandomStream rs(1, 0, "b");
  int hits = 0;
  for (int i = 0; i < kN; ++i) hits += b.sample(rs) ? 1 : 0;
  EXPECT_NEAR(static_cast<double>(hits) / kN, 0.05, 5 * std::sqrt(0.05 * 0.95 / kN));
}

TEST(Distributions, DiscreteFrequenciesFollowWeights) {
  const Discrete d({1, 0, 3, 6});
  EXPECT_DOUBLE_EQ(d.probability(2), 0.3);
  EXPECT_EQ(d.probability(9), 0.0);
  RandomStream rs(1, 0, "discrete");
  std::vector<int> counts(4, 0);
  for (int i = 0; i < kN; ++i) ++counts[d.sample(rs)];
  EXPECT_EQ(counts[1], 0);  // zero weight: never
  const double expected[] = {0.1, 0, 0.3, 0.6};
  double chi2 = 0;
  for (int i : {0, 2, 3}) {
    const double e = expected[i] * kN;
    chi2 += (counts[static_cast<std::size_t>(i)] - e) * (counts[static_cast<std::size_t>(i)] - e) / e;
  }
  EXPECT_LT(chi2, 18.4);  // 2 degrees of freedom, P = 1e-4
}

TEST(Distributions, EmpiricalInterpolatesBetweenSortedPoints) {
  const Empirical e({16, 1, 4, 2, 8});  // unsorted on purpose
  EXPECT_EQ(e.quantile(0), 1);
  EXPECT_EQ(e.quantile(1), 16);
  EXPECT_EQ(e.quantile(0.5), 4);             // h = 2
  EXPECT_DOUBLE_EQ(e.quantile(0.125), 1.5);  // h = 0.5 between 1 and 2
  EXPECT_DOUBLE_EQ(e.quantile(0.875), 12);   // h = 3.5 between 8 and 16
  EXPECT_DOUBLE_EQ(e.mean(), (1.5 + 3 + 6 + 12) / 4);
  const auto v = draw(RandomStream(1, 0, "empirical"), [&](RandomStream& r) { return e.sample(r); });
  for (double q : {0.1, 0.25, 0.5, 0.75, 0.9}) EXPECT_NEAR(sample_quantile(v, q), e.quantile(q), 0.15) << q;
  EXPECT_NEAR(moments(v).mean, e.mean(), 0.1);
  EXPECT_GE(*std::min_element(v.begin(), v.end()), 1);
  EXPECT_LE(*std::max_element(v.begin(), v.end()), 16);
  EXPECT_EQ(Empirical({7}).quantile(0.3), 7);
}

TEST(Distributions, RejectInvalidParameters) {
  EXPECT_THROW(Exponential::with_rate(0), std::invalid_argument);
  EXPECT_THROW(Exponential::with_mean(-1), std::invalid_argument);
  EXPECT_THROW(Exponential::with_mean(NAN), std::invalid_argument);
  EXPECT_THROW(Normal(0, -1), std::invalid_argument);
  EXPECT_THROW(LogNormal::from_median_p95(10, 5), std::invalid_argument);
  EXPECT_THROW(LogNormal::from_median_p95(0, 5), std::invalid_argument);
  EXPECT_THROW(Weibull(0, 1), std::invalid_argument);
  EXPECT_THROW(Weibull(1, INFINITY), std::invalid_argument);
  EXPECT_THROW(Uniform(2, 1), std::invalid_argument);
  EXPECT_THROW(Bernoulli(1.5), std::invalid_argument);
  EXPECT_THROW(Discrete({}), std::invalid_argument);
  EXPECT_THROW(Discrete({0, 0}), std::invalid_argument);
  EXPECT_THROW(Discrete({1, -1}), std::invalid_argument);
  EXPECT_THROW(Empirical({}), std::invalid_argument);
  EXPECT_THROW(Empirical({1, NAN}), std::invalid_argument);
  try {
    Weibull(-2, 1);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "weibull: shape must be positive and finite");
  }
}

TEST(Distributions, VariantSamplesLikeTheAlternative) {
  const Distribution d = LogNormal::from_median_p95(120, 600);
  RandomStream a(1, 0, "v"), b(1, 0, "v");
  for (int i = 0; i < 10; ++i) EXPECT_EQ(sample(d, a), std::get<LogNormal>(d).sample(b));
  EXPECT_EQ(mean(d), std::get<LogNormal>(d).mean());
  EXPECT_EQ(mean(Distribution{Constant(3)}), 3);
  EXPECT_EQ(mean(Distribution{}), 0);  // default: Constant(0)
}

TEST(Distributions, DurationsFromSeconds) {
  EXPECT_EQ(duration_from_seconds(1.5), 1500_ms);
  EXPECT_EQ(duration_from_seconds(-3), Duration::zero());
  EXPECT_EQ(duration_from_seconds(NAN), Duration::zero());
  EXPECT_EQ(duration_from_seconds(1e300), Duration::max());
  EXPECT_EQ(duration_from_seconds(INFINITY), Duration::max());
  EXPECT_EQ(duration_from_seconds(0.0000004), Duration::zero());  // rounds to the microsecond
  RandomStream a(1, 0, "d"), b(1, 0, "d");
  const auto e = Exponential::with_mean(90);
  EXPECT_EQ(sample_duration(e, a), Duration::from_seconds(e.sample(b)));
  EXPECT_EQ(sample_duration(Distribution{Constant(-5)}, a), Duration::zero());
  EXPECT_EQ(sample_duration(Distribution{Constant(300)}, a), 5_min);
}

}  // namespace
