// sample(DurationDistribution): each kind against its defining property over many draws.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <stdexcept>
#include <vector>

#include "models/cloud/params.hpp"
#include "sim/random.hpp"

namespace azsim::cloud {
namespace {

using namespace azsim::sim::literals;
using Kind = DurationDistribution::Kind;

std::vector<double> draw_seconds(const DurationDistribution& d, int n, std::uint64_t seed = 11) {
  sim::RandomStream rng(seed, 0, "sample-test");
  std::vector<double> out;
  out.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) out.push_back(sample(d, rng).seconds_f());
  return out;
}

double quantile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

double mean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return s / static_cast<double>(v.size());
}

TEST(SampleDuration, ConstantIsTheValueAndNeverNegative) {
  sim::RandomStream rng(1, 0, "c");
  EXPECT_EQ(sample(DurationDistribution::constant(7_s), rng), 7_s);
  EXPECT_EQ(sample(DurationDistribution::constant(-(3_s)), rng), sim::Duration::zero());
}

TEST(SampleDuration, LognormalMatchesMedianAndP95) {
  // 20k draws: the sample median and p95 of a lognormal have a relative standard error near
  // 1 %, so 4 % bounds fail only on a real error.
  const auto v = draw_seconds(DurationDistribution::lognormal(75_s, 150_s), 20000);
  EXPECT_NEAR(quantile(v, 0.5), 75.0, 75.0 * 0.04);
  EXPECT_NEAR(quantile(v, 0.95), 150.0, 150.0 * 0.04);
  EXPECT_GT(*std::min_element(v.begin(), v.end()), 0.0);
}

TEST(SampleDuration, UniformStaysWithinBoundsAndFillsThem) {
  const auto v = draw_seconds(DurationDistribution::uniform(1_s, 4_s), 20000);
  const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
  EXPECT_GE(*lo, 1.0);
  EXPECT_LE(*hi, 4.0);
  EXPECT_LT(*lo, 1.01);  // the ends are reached, not just the middle
  EXPECT_GT(*hi, 3.99);
  EXPECT_NEAR(mean(v), 2.5, 0.03);  // sd of the mean: 0.87 / sqrt(20000) = 0.006
}

TEST(SampleDuration, UniformWithEqualBoundsIsThatValue) {
  sim::RandomStream rng(1, 0, "u");
  EXPECT_EQ(sample(DurationDistribution::uniform(5_s, 5_s), rng), 5_s);
}

TEST(SampleDuration, ExponentialHasItsMean) {
  DurationDistribution d{Kind::Exponential, 2_h, {}, 1.0, {}};
  const auto v = draw_seconds(d, 20000);
  EXPECT_NEAR(mean(v), 7200.0, 7200.0 * 0.03);             // sd of the mean: 0.7 %
  EXPECT_NEAR(quantile(v, 0.5), 7200.0 * 0.693147, 7200.0 * 0.03);  // median = mean * ln 2
}

TEST(SampleDuration, WeibullHasItsMean) {
  // Mean = scale * Gamma(1 + 1/shape); Gamma(1 + 1/1.5) = 0.902745.
  DurationDistribution d{Kind::Weibull, 1000_s, {}, 1.5, {}};
  const auto v = draw_seconds(d, 20000);
  EXPECT_NEAR(mean(v), 902.745, 902.745 * 0.03);
  // Median = scale * ln(2)^(1/shape) = 783.2.
  EXPECT_NEAR(quantile(v, 0.5), 783.2, 783.2 * 0.03);
}

TEST(SampleDuration, EmpiricalDrawsOnlyListedValuesEquallyOften) {
  DurationDistribution d{Kind::Empirical, {}, {}, 1.0, {1_h, 2_h, 10_h}};
  const auto v = draw_seconds(d, 30000);
  std::map<double, int> counts;
  for (double x : v) ++counts[x];
  ASSERT_EQ(counts.size(), 3u);
  for (const auto& [value, n] : counts) {
    EXPECT_TRUE(value == 3600.0 || value == 7200.0 || value == 36000.0) << value;
    EXPECT_NEAR(n, 10000, 400);  // sd ~82
  }
}

TEST(SampleDuration, InvalidParametersThrow) {
  sim::RandomStream rng(1, 0, "bad");
  EXPECT_THROW(sample(DurationDistribution::uniform(4_s, 1_s), rng), std::invalid_argument);
  EXPECT_THROW(sample(DurationDistribution::lognormal(10_s, 5_s), rng), std::invalid_argument);
  EXPECT_THROW(sample(DurationDistribution{Kind::Empirical, {}, {}, 1.0, {}}, rng), std::invalid_argument);
  EXPECT_THROW(sample(DurationDistribution{Kind::Weibull, 10_s, {}, 0.0, {}}, rng), std::invalid_argument);
  EXPECT_THROW(sample(DurationDistribution{Kind::Exponential, sim::Duration::zero(), {}, 1.0, {}}, rng),
               std::invalid_argument);
}

TEST(SampleDuration, SameStreamGivesSameSamples) {
  const auto a = draw_seconds(DurationDistribution::lognormal(75_s, 150_s), 100, 5);
  const auto b = draw_seconds(DurationDistribution::lognormal(75_s, 150_s), 100, 5);
  const auto c = draw_seconds(DurationDistribution::lognormal(75_s, 150_s), 100, 6);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

}  // namespace
}  // namespace azsim::cloud
