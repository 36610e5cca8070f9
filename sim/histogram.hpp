// A mergeable histogram of non-negative values (durations in seconds, counts, ...) that
// answers quantiles with a bounded relative error, from microseconds to years.
//
// Buckets are log-linear, as in HdrHistogram: each power of two [2^(e-1), 2^e) is cut into 64
// equal sub-buckets, so a bucket [lo, hi) has hi - lo <= lo / 64 and its midpoint is within
// 1/128 (0.79%) of every value in it. Bucket boundaries come from the bits of the double
// (frexp), not from a logarithm, so every platform files a value in the same bucket and merges
// are exact integer additions: merging the histograms of two halves gives exactly the
// histogram of the whole, in any order.
//
// Subnormal values (below 2.2e-308) are bucketed too, but their bucket bounds round, so the
// error bound holds only from the smallest normal double up. Zero has its own bucket. Negative values are outside the design (durations and sizes are not
// negative): they are counted in the zero bucket and in negative_count(), and min() keeps the
// true minimum. NaN and infinities are not recorded; rejected_count() counts them.
//
// Memory: one 64-bit counter per bucket between the smallest and the largest positive value
// seen, 64 per factor of two: 1 microsecond to 10 years (in seconds) is ~3,100 buckets, 25 KB.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

namespace azsim::sim {

/// Log-linear histogram with exact merge and quantiles to within kRelativeError (see banner).
class Histogram {
 public:
  static constexpr int kSubBucketBits = 6;  // 64 sub-buckets per power of two
  static constexpr int kSubBuckets = 1 << kSubBucketBits;
  /// Bound on |quantile(q) - v| / v, where v is the exact sample quantile defined below.
  static constexpr double kRelativeError = 1.0 / (2 * kSubBuckets);

  /// Records `n` occurrences of `x`.
  void add(double x, std::uint64_t n = 1);
  /// Adds every count of `other`: exact, commutative and associative.
  void merge(const Histogram& other);

  /// Recorded values (zeros and negatives included, rejected ones not).
  std::uint64_t count() const { return total_; }
  std::uint64_t zero_count() const { return zero_; }  // includes negatives
  std::uint64_t negative_count() const { return negative_; }
  std::uint64_t rejected_count() const { return rejected_; }
  /// Exact smallest / largest recorded value; +inf / -inf when empty.
  double min() const { return min_; }
  double max() const { return max_; }

  /// The q-quantile, q in [0, 1] (clamped): let r = max(1, ceil(q * count())) and v the r-th
  /// smallest recorded value, i.e. the smallest recorded value with at least a share q of the
  /// values <= v. Returns min() or max() exactly for the first and last rank (so q = 0 and
  /// q = 1 are exact), otherwise the midpoint of v's bucket (0 for the zero bucket) clamped to
  /// [min(), max()]; hence within kRelativeError of v. NaN when empty or q is NaN.
  double quantile(double q) const;

  /// One non-empty bucket, for reports: values in [lower, upper) (the zero bucket is [0, 0]).
  struct Bucket {
    double lower;
    double upper;
    std::uint64_t count;
  };
  /// Non-empty buckets in increasing order, the zero bucket first.
  std::vector<Bucket> buckets() const;

  /// The bucket of a positive finite x: 64 * e + s where x = m 2^e, m in [1/2, 1), and
  /// s = floor((m - 1/2) * 128) in [0, 64).
  static std::int32_t bucket_index(double x);
  static double bucket_lower(std::int32_t index);
  static double bucket_upper(std::int32_t index);  // +inf for the last bucket below 2^1024
  static double bucket_midpoint(std::int32_t index);

  /// Raw state for serialisation: counts()[i] is the count of bucket first_index() + i; the
  /// first and last entries are non-zero (or counts() is empty).
  std::int32_t first_index() const { return first_index_; }
  const std::vector<std::uint64_t>& counts() const { return counts_; }
  /// Rebuilds a histogram from its raw state; throws std::invalid_argument when inconsistent
  /// (zero-count ends, negative > zero, bucket indices out of range, min/max absent or
  /// contradicting the counts).
  static Histogram from_parts(std::uint64_t zero, std::uint64_t negative, std::uint64_t rejected, double min,
                              double max, std::int32_t first_index, std::vector<std::uint64_t> counts);

  bool operator==(const Histogram&) const = default;

 private:
  void add_to_bucket(std::int32_t index, std::uint64_t n);

  std::vector<std::uint64_t> counts_;
  std::int32_t first_index_ = 0;
  std::uint64_t total_ = 0;
  std::uint64_t zero_ = 0;
  std::uint64_t negative_ = 0;
  std::uint64_t rejected_ = 0;
  double min_ = std::numeric_limits<double>::infinity();
  double max_ = -std::numeric_limits<double>::infinity();
};

}  // namespace azsim::sim
