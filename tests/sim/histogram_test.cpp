#include "sim/histogram.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "sim/distributions.hpp"
#include "sim/random.hpp"
#include "sim/stats_json.hpp"

using namespace azsim::sim;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kYear = 365.0 * 86400;

// The documented quantile of a sample: the ceil(q n)-th smallest value (at least rank 1).
double exact_quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  const double wanted = std::ceil(q * static_cast<double>(v.size()));
  const auto rank = static_cast<std::size_t>(std::max(1.0, wanted));
  return v[std::min(rank, v.size()) - 1];
}

// Pending times from microseconds to years: a lognormal with a very wide spread.
std::vector<double> wide_values(const char* name, int n) {
  RandomStream rs(1, 0, name);
  const LogNormal d(std::log(60.0), 4.0);
  std::vector<double> v(static_cast<std::size_t>(n));
  for (auto& x : v) x = d.sample(rs);
  return v;
}

TEST(Histogram, BucketLayout) {
  // 1 = 0.5 * 2^1: exponent 1, first sub-bucket.
  EXPECT_EQ(Histogram::bucket_index(1.0), 64);
  EXPECT_EQ(Histogram::bucket_lower(64), 1.0);
  EXPECT_EQ(Histogram::bucket_upper(64), 1.0 + 1.0 / 64);
  EXPECT_EQ(Histogram::bucket_midpoint(64), 1.0 + 1.0 / 128);
  EXPECT_EQ(Histogram::bucket_index(std::nextafter(1.0, 0.0)), 63);
  EXPECT_EQ(Histogram::bucket_index(0.75), 32);  // 0.75 = 0.75 * 2^0: sub-bucket 32 of exponent 0
  EXPECT_EQ(Histogram::bucket_lower(-1), std::ldexp(127.0, -8));  // negative indices: small values
  EXPECT_EQ(Histogram::bucket_upper(Histogram::bucket_index(std::numeric_limits<double>::max())), kInf);
}

TEST(Histogram, EveryValueLiesInItsBucketWithinTheBound) {
  RandomStream rs(1, 0, "hist-buckets");
  for (int i = 0; i < 200000; ++i) {
    // Normal doubles (subnormal bucket bounds round; see histogram.hpp).
    const double x = std::ldexp(1 + rs.uniform01(), static_cast<int>(rs.uniform_int(-1022, 1020)));
    const auto b = Histogram::bucket_index(x);
    ASSERT_LE(Histogram::bucket_lower(b), x);
    ASSERT_LT(x, Histogram::bucket_upper(b));
    ASSERT_LE(std::fabs(Histogram::bucket_midpoint(b) - x) / x, Histogram::kRelativeError) << x;
  }
  // Monotone: a larger value never lands in a lower bucket.
  std::vector<double> v = wide_values("hist-monotone", 10000);
  std::sort(v.begin(), v.end());
  for (std::size_t i = 1; i < v.size(); ++i) {
    ASSERT_LE(Histogram::bucket_index(v[i - 1]), Histogram::bucket_index(v[i]));
  }
  EXPECT_LT(Histogram::kRelativeError, 0.01);
}

TEST(Histogram, QuantilesWithinTheRelativeErrorFromMicrosecondsToYears) {
  const auto v = wide_values("hist-quantiles", 100000);
  Histogram h;
  for (double x : v) h.add(x);
  EXPECT_EQ(h.count(), v.size());
  // The sample really spans microseconds to years.
  EXPECT_LT(h.min(), 1e-3);
  EXPECT_GT(h.max(), kYear / 12);
  for (double q : {0.0, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1.0}) {
    const double want = exact_quantile(v, q);
    EXPECT_LE(std::fabs(h.quantile(q) - want) / want, Histogram::kRelativeError) << q;
  }
  EXPECT_EQ(h.quantile(0), *std::min_element(v.begin(), v.end()));
  EXPECT_EQ(h.quantile(1), *std::max_element(v.begin(), v.end()));
  EXPECT_EQ(h.quantile(-3), h.quantile(0));  // clamped
}

TEST(Histogram, SmallExactCases) {
  Histogram h;
  for (int i = 1; i <= 100; ++i) h.add(i);
  // Rank ceil(q n): p50 is the 50th value, p95 the 95th.
  EXPECT_NEAR(h.quantile(0.5), 50, 50 * Histogram::kRelativeError);
  EXPECT_NEAR(h.quantile(0.95), 95, 95 * Histogram::kRelativeError);
  EXPECT_EQ(h.quantile(0.001), 1.0);  // rank 1: the exact minimum
  EXPECT_EQ(h.quantile(0.02), 2.0 + 1.0 / 64);  // rank 2: midpoint of the bucket [2, 2 + 2/64)
  EXPECT_TRUE(std::isnan(Histogram().quantile(0.5)));
  EXPECT_TRUE(std::isnan(h.quantile(std::nan(""))));
}

TEST(Histogram, ZeroHasItsOwnBucket) {
  Histogram h;
  h.add(0.0, 10);
  h.add(1.0, 10);
  EXPECT_EQ(h.zero_count(), 10u);
  EXPECT_EQ(h.quantile(0.5), 0.0);   // rank 10: the last zero
  EXPECT_EQ(h.quantile(0.51), 1.0);  // rank 11: first 1 (midpoint 1 + 1/128 clamped to max 1)
  const auto buckets = h.buckets();
  ASSERT_EQ(buckets.size(), 2u);
  EXPECT_EQ(buckets[0].lower, 0.0);
  EXPECT_EQ(buckets[0].count, 10u);
  EXPECT_EQ(buckets[1].lower, 1.0);
}

TEST(Histogram, HugeTinyNegativeAndNonFiniteValuesDoNotBreakIt) {
  Histogram h;
  h.add(100 * kYear);
  h.add(std::numeric_limits<double>::max());
  h.add(std::numeric_limits<double>::denorm_min());
  h.add(1e-6);
  h.add(-5.0);  // outside the design: counted as zero, remembered in min and negative_count
  h.add(std::nan(""));
  h.add(kInf);
  h.add(-kInf, 2);
  EXPECT_EQ(h.count(), 5u);
  EXPECT_EQ(h.rejected_count(), 4u);
  EXPECT_EQ(h.negative_count(), 1u);
  EXPECT_EQ(h.zero_count(), 1u);
  EXPECT_EQ(h.min(), -5.0);
  EXPECT_EQ(h.quantile(0.2), -5.0);  // rank 1: the exact minimum, even when negative
  EXPECT_EQ(h.quantile(1), std::numeric_limits<double>::max());
  EXPECT_NEAR(h.quantile(0.8) / (100 * kYear), 1.0, Histogram::kRelativeError);
  std::uint64_t total = 0;
  for (const auto& b : h.buckets()) total += b.count;
  EXPECT_EQ(total, h.count());
}

TEST(Histogram, WeightedAddEqualsRepeatedAdd) {
  Histogram a, b;
  a.add(3.5, 4);
  a.add(0.0, 2);
  a.add(7.0, 0);  // nothing
  for (int i = 0; i < 4; ++i) b.add(3.5);
  b.add(0.0);
  b.add(0.0);
  EXPECT_EQ(a, b);
}

TEST(Histogram, MergingPartsEqualsOnePassExactly) {
  const auto v = wide_values("hist-merge", 50000);
  Histogram whole;
  for (double x : v) whole.add(x);
  Histogram a, b;
  for (std::size_t i = 0; i < v.size(); ++i) (i < 20000 ? a : b).add(v[i]);
  Histogram ab = a;
  ab.merge(b);
  Histogram ba = b;
  ba.merge(a);
  EXPECT_EQ(ab, whole);
  EXPECT_EQ(ba, whole);
  Histogram from_empty;
  from_empty.merge(whole);
  EXPECT_EQ(from_empty, whole);
  // Disjoint ranges, each side widening the other.
  Histogram low, high, both;
  for (double x : {1e-6, 2e-6, 0.0}) {
    low.add(x);
    both.add(x);
  }
  for (double x : {1e6, 3e7}) {
    high.add(x);
    both.add(x);
  }
  Histogram hl = high;
  hl.merge(low);
  EXPECT_EQ(hl, both);
  low.merge(high);
  EXPECT_EQ(low, both);
}

TEST(Histogram, JsonRoundTripIsExact) {
  Histogram h;
  for (double x : wide_values("hist-json", 5000)) h.add(x);
  h.add(0.0, 3);
  h.add(-1.0);
  h.add(std::nan(""));
  const nlohmann::json j = h;
  EXPECT_EQ(j.at("count"), h.count());
  EXPECT_EQ(j.at("counts").size(), h.counts().size());
  const auto back = nlohmann::json::parse(j.dump()).get<Histogram>();
  EXPECT_EQ(back, h);
  EXPECT_EQ(nlohmann::json(Histogram()).get<Histogram>(), Histogram());
}

TEST(Histogram, FromPartsRejectsInconsistentState) {
  Histogram h;
  h.add(1.0);
  h.add(5.0);
  nlohmann::json j = h;
  auto tampered = j;
  tampered["count"] = 3;
  EXPECT_THROW(tampered.get<Histogram>(), std::invalid_argument);
  tampered = j;
  tampered["counts"].push_back(0);  // trailing empty bucket
  EXPECT_THROW(tampered.get<Histogram>(), std::invalid_argument);
  tampered = j;
  tampered["max"] = to_hexfloat(50.0);  // not in the last bucket
  EXPECT_THROW(tampered.get<Histogram>(), std::invalid_argument);
  tampered = j;
  tampered["counts"] = {1, -1, 1};
  EXPECT_THROW(tampered.get<Histogram>(), std::invalid_argument);
  tampered = j;
  tampered["negative"] = 1;  // more negatives than zeros
  EXPECT_THROW(tampered.get<Histogram>(), std::invalid_argument);
}

}  // namespace
