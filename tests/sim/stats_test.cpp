#include "sim/stats.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

#include "sim/confidence.hpp"
#include "sim/distributions.hpp"
#include "sim/random.hpp"
#include "sim/stats_json.hpp"

using namespace azsim::sim;
using namespace azsim::sim::literals;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

std::vector<double> lognormal_values(int n) {
  RandomStream rs(1, 0, "stats-values");
  const auto d = LogNormal::from_median_p95(120, 3600);
  std::vector<double> v(static_cast<std::size_t>(n));
  for (auto& x : v) x = d.sample(rs);
  return v;
}

// ---- StreamingStats ----

TEST(StreamingStats, KnownSmallSample) {
  StreamingStats s;
  for (double x : {2, 4, 4, 4, 5, 5, 7, 9}) s.add(x);
  EXPECT_EQ(s.count(), 8u);
  EXPECT_DOUBLE_EQ(s.mean(), 5);
  EXPECT_DOUBLE_EQ(s.population_variance(), 4);
  EXPECT_DOUBLE_EQ(s.variance(), 32.0 / 7);
  EXPECT_DOUBLE_EQ(s.stddev(), std::sqrt(32.0 / 7));
  EXPECT_DOUBLE_EQ(s.sum(), 40);
  EXPECT_EQ(s.min(), 2);
  EXPECT_EQ(s.max(), 9);
}

TEST(StreamingStats, StableWithALargeOffset) {
  // Sum-of-squares formulas lose every digit here; Welford keeps them.
  StreamingStats s;
  for (double x : {4, 7, 13, 16}) s.add(1e9 + x);
  EXPECT_DOUBLE_EQ(s.mean(), 1e9 + 10);
  EXPECT_NEAR(s.variance(), 30, 1e-6);
}

TEST(StreamingStats, EmptyAndSingle) {
  StreamingStats s;
  EXPECT_EQ(s.count(), 0u);
  EXPECT_EQ(s.mean(), 0);
  EXPECT_EQ(s.variance(), 0);
  EXPECT_EQ(s.min(), kInf);
  EXPECT_EQ(s.max(), -kInf);
  s.add(3);
  EXPECT_EQ(s.variance(), 0);
  EXPECT_EQ(s.mean_ci().lo, -kInf);  // no spread known from one value
  EXPECT_EQ(s.mean_ci().hi, kInf);
}

TEST(StreamingStats, MergingPartsEqualsOnePass) {
  const auto v = lognormal_values(100000);
  StreamingStats whole;
  for (double x : v) whole.add(x);
  for (std::size_t split : {std::size_t{1}, std::size_t{37123}, std::size_t{50000}, v.size() - 1}) {
    StreamingStats a, b;
    for (std::size_t i = 0; i < v.size(); ++i) (i < split ? a : b).add(v[i]);
    StreamingStats merged = a;
    merged.merge(b);
    EXPECT_EQ(merged.count(), whole.count());
    EXPECT_EQ(merged.min(), whole.min());
    EXPECT_EQ(merged.max(), whole.max());
    EXPECT_NEAR(merged.mean(), whole.mean(), 1e-12 * whole.mean()) << split;
    EXPECT_NEAR(merged.variance(), whole.variance(), 1e-12 * whole.variance()) << split;
  }
  // Ten shards merged in order.
  std::vector<StreamingStats> shards(10);
  for (std::size_t i = 0; i < v.size(); ++i) shards[i * 10 / v.size()].add(v[i]);
  StreamingStats merged;
  for (const auto& s : shards) merged.merge(s);
  EXPECT_EQ(merged.count(), whole.count());
  EXPECT_NEAR(merged.mean(), whole.mean(), 1e-12 * whole.mean());
  EXPECT_NEAR(merged.variance(), whole.variance(), 1e-12 * whole.variance());
}

TEST(StreamingStats, MergeWithEmptyIsIdentity) {
  StreamingStats s, empty;
  for (double x : {1.5, 2.5, 10.0}) s.add(x);
  StreamingStats left = empty;
  left.merge(s);
  EXPECT_EQ(left, s);
  StreamingStats right = s;
  right.merge(empty);
  EXPECT_EQ(right, s);
}

TEST(StreamingStats, MeanConfidenceIntervalCoversTheMean) {
  // 1000 experiments of 20 normal draws: about 95% of the t intervals contain the true mean.
  const Normal nd(50, 10);
  RandomStream rs(1, 0, "coverage");
  int covered = 0;
  for (int e = 0; e < 1000; ++e) {
    StreamingStats s;
    for (int i = 0; i < 20; ++i) s.add(nd.sample(rs));
    const auto ci = s.mean_ci();
    if (ci.lo <= 50 && 50 <= ci.hi) ++covered;
  }
  EXPECT_NEAR(covered / 1000.0, 0.95, 0.035);  // 5 SE of a proportion 0.95 over 1000
}

// ---- Confidence intervals ----

TEST(Confidence, StudentTQuantilesMatchTables) {
  // Table values (3 decimals) and high-precision references.
  EXPECT_NEAR(student_t_quantile(0.975, 1), 12.706, 5e-4);
  EXPECT_NEAR(student_t_quantile(0.975, 2), 4.303, 5e-4);
  EXPECT_NEAR(student_t_quantile(0.975, 10), 2.228, 5e-4);
  EXPECT_NEAR(student_t_quantile(0.975, 30), 2.042, 5e-4);
  EXPECT_NEAR(student_t_quantile(0.975, kInf), 1.960, 5e-4);
  const struct {
    double p, df, t;
  } precise[] = {{0.975, 1, 12.706204736174704}, {0.975, 2, 4.302652729749464},  {0.975, 10, 2.228138851986275},
                 {0.975, 24, 2.063898561628025}, {0.975, 30, 2.042272456301238}, {0.995, 7, 3.499483297350493},
                 {0.9, 3.5, 1.576576605136405},  {0.999999, 4, 41.57785415015150}, {0.975, 1000, 1.962339080826408},
                 {0.975, 5000, 1.960438551706508}, {0.975, kInf, 1.959963984540054}};
  for (const auto& c : precise) {
    EXPECT_NEAR(student_t_quantile(c.p, c.df), c.t, 1e-12 * c.t) << c.p << " " << c.df;
  }
}

TEST(Confidence, StudentTClosedForms) {
  // df = 1 is Cauchy: t = tan(pi (p - 1/2)); df = 2: t = (2p - 1) / sqrt(2 p (1 - p)).
  for (double p : {0.51, 0.6, 0.75, 0.9, 0.975, 0.999, 0.3, 0.01}) {
    EXPECT_NEAR(student_t_quantile(p, 1), std::tan(std::numbers::pi * (p - 0.5)), 1e-12 * std::fabs(std::tan(std::numbers::pi * (p - 0.5))))
        << p;
    const double t2 = (2 * p - 1) / std::sqrt(2 * p * (1 - p));
    EXPECT_NEAR(student_t_quantile(p, 2), t2, 1e-12 * std::fabs(t2)) << p;
  }
}

TEST(Confidence, QuantileShapes) {
  EXPECT_EQ(student_t_quantile(0.5, 7), 0.0);
  EXPECT_EQ(normal_quantile(0.5), 0.0);
  EXPECT_EQ(student_t_quantile(0.1, 5), -student_t_quantile(0.9, 5));
  EXPECT_EQ(normal_quantile(0.0), -kInf);
  EXPECT_EQ(normal_quantile(1.0), kInf);
  EXPECT_TRUE(std::isnan(normal_quantile(1.5)));
  EXPECT_TRUE(std::isnan(student_t_quantile(0.9, 0)));
  // Decreasing in df towards the normal quantile, with no jump where the method changes.
  double prev = kInf;
  for (double df : {1.0, 3.0, 10.0, 100.0, 999.0, 999.999, 1000.0, 1e5, 1e9}) {
    const double t = student_t_quantile(0.975, df);
    EXPECT_LT(t, prev) << df;
    EXPECT_GT(t, 1.959963984540054) << df;
    prev = t;
  }
  // t falls by ~2.4e-9 per degree of freedom here, so 1e-7 df apart they agree to ~2e-16 plus
  // the methods' errors.
  EXPECT_NEAR(student_t_quantile(0.975, 1000 - 1e-7), student_t_quantile(0.975, 1000), 1e-12);
}

TEST(Confidence, NormalQuantileInvertsTheCdf) {
  EXPECT_NEAR(normal_quantile(0.975), 1.959963984540054, 1e-14);
  EXPECT_NEAR(normal_quantile(0.995), 2.575829303548901, 1e-14);
  EXPECT_NEAR(normal_quantile(0.9), 1.281551565544600, 1e-14);
  EXPECT_NEAR(normal_quantile(1e-10), -6.361340902404056, 1e-13);
  for (double p : {1e-300, 1e-20, 0.001, 0.2, 0.45, 0.7, 0.99}) {
    const double z = normal_quantile(p);
    EXPECT_NEAR(0.5 * std::erfc(-z / std::sqrt(2.0)) / p, 1.0, 1e-12) << p;
  }
}

TEST(Confidence, WilsonHandComputed) {
  // 5 of 10, z = 1.959963984540054: z^2 = 3.841458820694124, denominator 1 + z^2/10 =
  // 1.3841458820694124, centre (0.5 + z^2/20) / denominator = 0.5, half-width
  // z sqrt(0.025 + z^2/400) / denominator = 1.96 * 0.186020 / 1.384146 = 0.2634069.
  const auto ci = wilson_interval(5, 10);
  EXPECT_NEAR(ci.lo, 0.2365930905125640, 1e-14);
  EXPECT_NEAR(ci.hi, 0.7634069094874360, 1e-14);
  // 0 of 10: [0, z^2 / (n + z^2)] exactly.
  const double z2 = 1.959963984540054 * 1.959963984540054;
  const auto none = wilson_interval(0, 10);
  EXPECT_EQ(none.lo, 0.0);
  EXPECT_NEAR(none.hi, z2 / (10 + z2), 1e-14);
  const auto all = wilson_interval(10, 10);
  EXPECT_NEAR(all.lo, 1 - z2 / (10 + z2), 1e-14);
  EXPECT_EQ(all.hi, 1.0);
  const auto empty = wilson_interval(0, 0);
  EXPECT_EQ(empty.lo, 0.0);
  EXPECT_EQ(empty.hi, 1.0);
  const auto other = wilson_interval(81, 263);
  EXPECT_NEAR(other.lo, 0.2552885198782742, 1e-14);
  EXPECT_NEAR(other.hi, 0.3662095769828001, 1e-14);
}

TEST(Confidence, PairedDifferenceHandComputed) {
  // Newcombe (1998) method 10 on the table both=1, first only=1, second only=7, neither=12
  // (n = 21): p1 = 2/21, p2 = 8/21, difference 6/21 = 0.2857; ad - bc = 5 is within n/2, so
  // phi = 0 and the ends are 0.2857 -/+ the root sum of squares of the Wilson distances:
  // lo = 0.2857 - sqrt((p2 - l2)^2 + (u1 - p1)^2), hi = 0.2857 + sqrt((p1 - l1)^2 + (u2 - p2)^2).
  const auto ci = paired_difference_interval(1, 1, 7, 12);
  EXPECT_NEAR(ci.lo, 0.0255591241648598, 1e-13);
  EXPECT_NEAR(ci.hi, 0.5069202266861410, 1e-13);
  // The same trials seen the other way round: the interval of p1 - p2 is the mirror image.
  const auto mirrored = paired_difference_interval(1, 7, 1, 12);
  EXPECT_NEAR(mirrored.lo, -ci.hi, 1e-15);
  EXPECT_NEAR(mirrored.hi, -ci.lo, 1e-15);
  // No event in 1000 paired trials: not [0, 0] but -/+ the Wilson upper limit of 0 of 1000.
  const auto none = paired_difference_interval(0, 0, 0, 1000);
  EXPECT_NEAR(none.hi, wilson_interval(0, 1000).hi, 1e-15);
  EXPECT_NEAR(none.lo, -none.hi, 1e-15);
  // Correlated outcomes (ad - bc = 11685 > n/2, so phi > 0): 12 both, 3 first only, 9 second
  // only, 976 neither; the interval holds the observed difference 6/1000.
  const auto corr = paired_difference_interval(12, 3, 9, 976);
  EXPECT_NEAR(corr.lo, -0.0014393608333596, 1e-13);
  EXPECT_NEAR(corr.hi, 0.0144239625019571, 1e-13);
  EXPECT_LT(corr.lo, 6.0 / 1000);
  EXPECT_GT(corr.hi, 6.0 / 1000);
  const auto empty = paired_difference_interval(0, 0, 0, 0);
  EXPECT_EQ(empty.lo, -1.0);
  EXPECT_EQ(empty.hi, 1.0);
}

TEST(Confidence, TIntervalArithmetic) {
  const auto ci = t_interval(10, 2, 25);  // half-width t(0.975, 24) * 2 / 5
  EXPECT_NEAR(ci.lo, 10 - 2.063898561628025 * 0.4, 1e-12);
  EXPECT_NEAR(ci.hi, 10 + 2.063898561628025 * 0.4, 1e-12);
  const auto ci99 = t_interval(10, 2, 25, 0.99);
  EXPECT_LT(ci99.lo, ci.lo);
  EXPECT_EQ(t_interval(1, 1, 1).hi, kInf);
}

// ---- ProportionCounter ----

TEST(ProportionCounter, CountsMergesAndIntervals) {
  ProportionCounter a, b;
  for (int i = 0; i < 10; ++i) a.add(i < 3);
  b.add(2, 5);
  EXPECT_EQ(a.successes(), 3u);
  EXPECT_EQ(a.trials(), 10u);
  EXPECT_DOUBLE_EQ(a.proportion(), 0.3);
  a.merge(b);
  EXPECT_EQ(a, ProportionCounter::from_parts(5, 15));
  EXPECT_NEAR(a.wilson().lo, wilson_interval(5, 15).lo, 0);
  EXPECT_THROW(a.add(3, 2), std::invalid_argument);
  EXPECT_EQ(ProportionCounter().proportion(), 0.0);
}

// ---- TimeWeightedAverage ----

TEST(TimeWeightedAverage, SignalInterface) {
  // Readable share: 1 for 10s, 0 for 5s, 1 for 5s -> 15 / 20.
  TimeWeightedAverage t;
  t.set(1.0, Time() + 0_s);
  t.set(0.0, Time() + 10_s);
  t.set(1.0, Time() + 15_s);
  EXPECT_TRUE(t.is_open());
  t.finish(Time() + 20_s);
  EXPECT_FALSE(t.is_open());
  EXPECT_EQ(t.covered(), 20_s);
  EXPECT_DOUBLE_EQ(t.integral_seconds(), 15);
  EXPECT_DOUBLE_EQ(t.average(), 0.75);
  EXPECT_EQ(t.min(), 0.0);
  EXPECT_EQ(t.max(), 1.0);
}

TEST(TimeWeightedAverage, IntervalsGapsAndErrors) {
  TimeWeightedAverage t;
  t.add(2.0, Time() + 0_s, Time() + 1_s);
  t.add(5.0, Time() + 1_h, Time() + 1_h + 3_s);  // the gap between counts for nothing
  t.add(9.0, Time() + 2_h, Time() + 2_h);         // empty: ignored, also for min/max
  EXPECT_EQ(t.covered(), 4_s);
  EXPECT_DOUBLE_EQ(t.average(), (2.0 + 15.0) / 4);
  EXPECT_EQ(t.max(), 5.0);
  EXPECT_THROW(t.add(1.0, Time() + 2_s, Time() + 1_s), std::invalid_argument);
  t.set(1.0, Time() + 10_s);
  EXPECT_THROW(t.set(1.0, Time() + 9_s), std::invalid_argument);
  EXPECT_THROW(t.finish(Time() + 9_s), std::invalid_argument);
  EXPECT_EQ(TimeWeightedAverage().average(), 0.0);
}

TEST(TimeWeightedAverage, MergingHalvesEqualsOnePass) {
  RandomStream rs(1, 0, "twa");
  TimeWeightedAverage whole, first, second;
  Time at;
  for (int i = 0; i < 1000; ++i) {
    const double value = static_cast<double>(rs.uniform_int(0, 3)) / 4;  // exact quarters
    const Time next = at + Duration::micros(rs.uniform_int(1, 5'000'000));
    whole.add(value, at, next);
    (i < 600 ? first : second).add(value, at, next);
    at = next;
  }
  TimeWeightedAverage merged = first;
  merged.merge(second);
  // Quarters times integer microseconds: every sum is exact, so the merge is bit-identical.
  EXPECT_EQ(merged, whole);
  EXPECT_EQ(merged.covered(), at - Time());
}

TEST(TimeWeightedAverage, MergeIgnoresTheOtherOpenInterval) {
  TimeWeightedAverage a, b;
  a.add(1.0, Time(), Time() + 10_s);
  b.set(0.0, Time() + 10_s);  // still open
  a.merge(b);
  EXPECT_EQ(a.covered(), 10_s);
  EXPECT_EQ(a.average(), 1.0);
  EXPECT_FALSE(a.is_open());
}

// ---- JSON (sim/stats_json.hpp) ----

TEST(StatsJson, HexfloatRoundTripsEveryDouble) {
  EXPECT_EQ(to_hexfloat(3.0), "0x1.8p+1");
  EXPECT_EQ(to_hexfloat(-0.125), "-0x1p-3");
  EXPECT_EQ(to_hexfloat(kInf), "inf");
  EXPECT_EQ(to_hexfloat(-kInf), "-inf");
  for (double x : {0.0, -0.0, 0.1, 1.0 / 3, std::numeric_limits<double>::denorm_min(),
                   std::numeric_limits<double>::max(), -12345.678, kInf, -kInf}) {
    const double back = from_hexfloat(to_hexfloat(x));
    EXPECT_EQ(back, x) << to_hexfloat(x);
    EXPECT_EQ(std::signbit(back), std::signbit(x)) << to_hexfloat(x);
  }
  EXPECT_EQ(from_hexfloat("0X1.8P+1"), 3.0);
  // Without the prefix, a decimal "1.5" would silently read as hex 1.5 = 1.3125: rejected.
  for (const char* bad : {"", "0x", "abc", "1.5", "1.8p+1", "0x1p+1 ", "--0x1p0", "0x-1p0", "0xinf"}) {
    EXPECT_THROW(from_hexfloat(bad), std::invalid_argument) << bad;
  }
}

TEST(StatsJson, StreamingStatsRoundTripIsExact) {
  StreamingStats s;
  for (double x : lognormal_values(1000)) s.add(x);
  const nlohmann::json j = s;
  EXPECT_EQ(j.at("count"), 1000);
  // Through text, as a partial result file would go.
  const auto back = nlohmann::json::parse(j.dump()).get<StreamingStats>();
  EXPECT_EQ(back, s);
  EXPECT_EQ(nlohmann::json(StreamingStats()).get<StreamingStats>(), StreamingStats());
  // Merging deserialised halves equals merging the originals, bit for bit.
  StreamingStats a, b;
  const auto v = lognormal_values(1000);
  for (std::size_t i = 0; i < v.size(); ++i) (i % 3 ? a : b).add(v[i]);
  StreamingStats direct = a;
  direct.merge(b);
  auto via_json = nlohmann::json::parse(nlohmann::json(a).dump()).get<StreamingStats>();
  via_json.merge(nlohmann::json::parse(nlohmann::json(b).dump()).get<StreamingStats>());
  EXPECT_EQ(via_json, direct);
}

TEST(StatsJson, ProportionAndTimeWeightedRoundTrips) {
  const auto p = ProportionCounter::from_parts(12, 1000);
  EXPECT_EQ(nlohmann::json::parse(nlohmann::json(p).dump()).get<ProportionCounter>(), p);
  TimeWeightedAverage t;
  t.add(0.3, Time(), Time() + 7_s);
  t.set(0.9, Time() + 7_s);  // open interval survives too
  const auto back = nlohmann::json::parse(nlohmann::json(t).dump()).get<TimeWeightedAverage>();
  EXPECT_EQ(back, t);
  EXPECT_TRUE(back.is_open());
  EXPECT_EQ(nlohmann::json(TimeWeightedAverage()).get<TimeWeightedAverage>(), TimeWeightedAverage());
}

TEST(StatsJson, RejectsBadPartials) {
  using nlohmann::json;
  EXPECT_ANY_THROW(json::parse(R"({"count": 2, "mean": "0x1p+0", "m2": "0x0p+0", "min": "0x1p+0"})").get<StreamingStats>());
  EXPECT_THROW(json::parse(R"({"count": -2, "mean": "0x1p+0", "m2": "0x0p+0", "min": "0x1p+0", "max": "0x1p+0"})")
                   .get<StreamingStats>(),
               std::invalid_argument);
  EXPECT_THROW(json::parse(R"({"count": 2, "mean": 1.0, "m2": "0x0p+0", "min": "0x1p+0", "max": "0x1p+0"})")
                   .get<StreamingStats>(),
               std::invalid_argument);
  EXPECT_THROW(json::parse(R"({"count": 2, "mean": "0x1p+0", "m2": "-0x1p+0", "min": "0x1p+0", "max": "0x1p+0"})")
                   .get<StreamingStats>(),
               std::invalid_argument);
  EXPECT_THROW(json::parse(R"({"successes": 5, "trials": 4})").get<ProportionCounter>(), std::invalid_argument);
  EXPECT_THROW(json::parse("[1, 2]").get<ProportionCounter>(), std::invalid_argument);
}

}  // namespace
