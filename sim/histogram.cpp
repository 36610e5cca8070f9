#include "sim/fp_strict.hpp"
// (fp_strict.hpp first: see its banner.)
#include "sim/histogram.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace azsim::sim {

namespace {

// Bucket indices of the smallest subnormal (2^-1074 = 0.5 * 2^-1073) and of the largest double.
constexpr std::int32_t kMinIndex = -1073 * Histogram::kSubBuckets;
constexpr std::int32_t kMaxIndex = 1024 * Histogram::kSubBuckets + Histogram::kSubBuckets - 1;

// index = 64 e + s: the exponent e and sub-bucket s (C++20 shifts and masks are arithmetic).
int exponent_of(std::int32_t index) { return index >> Histogram::kSubBucketBits; }
int sub_of(std::int32_t index) { return index & (Histogram::kSubBuckets - 1); }

}  // namespace

std::int32_t Histogram::bucket_index(double x) {
  int e = 0;
  const double m = std::frexp(x, &e);  // exact; m in [1/2, 1)
  // (m - 1/2) is exact (Sterbenz) and the scaling by a power of two too, so the truncation
  // sees the true top mantissa bits.
  const int s = static_cast<int>((m - 0.5) * (2 * kSubBuckets));
  return e * kSubBuckets + s;
}

// A bucket [(64 + s) 2^(e-7), (65 + s) 2^(e-7)): the lower bound is m = 1/2 + s/128 times 2^e.
double Histogram::bucket_lower(std::int32_t index) {
  return std::ldexp(kSubBuckets + sub_of(index), exponent_of(index) - kSubBucketBits - 1);
}

double Histogram::bucket_upper(std::int32_t index) {
  return std::ldexp(kSubBuckets + sub_of(index) + 1, exponent_of(index) - kSubBucketBits - 1);
}

double Histogram::bucket_midpoint(std::int32_t index) {
  return std::ldexp(2 * (kSubBuckets + sub_of(index)) + 1, exponent_of(index) - kSubBucketBits - 2);
}

void Histogram::add_to_bucket(std::int32_t index, std::uint64_t n) {
  if (counts_.empty()) {
    first_index_ = index;
    counts_.assign(1, n);
    return;
  }
  if (index < first_index_) {
    counts_.insert(counts_.begin(), static_cast<std::size_t>(first_index_ - index), 0);
    first_index_ = index;
  }
  const auto at = static_cast<std::size_t>(index - first_index_);
  if (at >= counts_.size()) counts_.resize(at + 1, 0);
  counts_[at] += n;
}

void Histogram::add(double x, std::uint64_t n) {
  if (n == 0) return;
  if (!std::isfinite(x)) {
    rejected_ += n;
    return;
  }
  total_ += n;
  min_ = std::min(min_, x);
  max_ = std::max(max_, x);
  if (x <= 0) {
    zero_ += n;
    if (x < 0) negative_ += n;
    return;
  }
  add_to_bucket(bucket_index(x), n);
}

void Histogram::merge(const Histogram& other) {
  total_ += other.total_;
  zero_ += other.zero_;
  negative_ += other.negative_;
  rejected_ += other.rejected_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  if (other.counts_.empty()) return;
  // Widen once to the union of the two ranges, then add counts bucket by bucket.
  const auto other_last = static_cast<std::int32_t>(other.first_index_ + static_cast<std::int32_t>(other.counts_.size()) - 1);
  add_to_bucket(other.first_index_, 0);
  add_to_bucket(other_last, 0);
  const auto offset = static_cast<std::size_t>(other.first_index_ - first_index_);
  for (std::size_t i = 0; i < other.counts_.size(); ++i) counts_[offset + i] += other.counts_[i];
}

double Histogram::quantile(double q) const {
  if (total_ == 0 || std::isnan(q)) return std::numeric_limits<double>::quiet_NaN();
  q = std::clamp(q, 0.0, 1.0);
  const double wanted = std::ceil(q * static_cast<double>(total_));
  std::uint64_t rank = wanted < 1 ? 1 : static_cast<std::uint64_t>(wanted);
  rank = std::min(rank, total_);
  // The extremes are known exactly; only ranks in between are read off the buckets.
  if (rank == 1) return min_;
  if (rank == total_) return max_;
  double value = 0;
  std::uint64_t seen = zero_;
  if (rank > seen) {
    for (std::size_t i = 0; i < counts_.size(); ++i) {
      seen += counts_[i];
      if (rank <= seen) {
        value = bucket_midpoint(first_index_ + static_cast<std::int32_t>(i));
        break;
      }
    }
  }
  // The true value lies in [min, max], so clamping can only bring the answer closer to it.
  return std::clamp(value, min_, max_);
}

std::vector<Histogram::Bucket> Histogram::buckets() const {
  std::vector<Bucket> out;
  if (zero_ > 0) out.push_back({0.0, 0.0, zero_});
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    if (counts_[i] == 0) continue;
    const auto index = first_index_ + static_cast<std::int32_t>(i);
    out.push_back({bucket_lower(index), bucket_upper(index), counts_[i]});
  }
  return out;
}

Histogram Histogram::from_parts(std::uint64_t zero, std::uint64_t negative, std::uint64_t rejected, double min,
                                double max, std::int32_t first_index, std::vector<std::uint64_t> counts) {
  if (negative > zero) throw std::invalid_argument("histogram: more negative values than values in the zero bucket");
  if (!counts.empty()) {
    if (counts.front() == 0 || counts.back() == 0) {
      throw std::invalid_argument("histogram: the first and last bucket counts must be non-zero");
    }
    if (first_index < kMinIndex ||
        static_cast<std::int64_t>(first_index) + static_cast<std::int64_t>(counts.size()) - 1 > kMaxIndex) {
      throw std::invalid_argument("histogram: bucket indices out of range");
    }
  }
  Histogram h;
  h.zero_ = zero;
  h.negative_ = negative;
  h.rejected_ = rejected;
  h.total_ = zero;
  for (std::uint64_t c : counts) h.total_ += c;
  if (h.total_ == 0) {
    if (!(std::isinf(min) && min > 0 && std::isinf(max) && max < 0)) {
      throw std::invalid_argument("histogram: an empty histogram must have min inf and max -inf");
    }
    return h;
  }
  if (std::isnan(min) || std::isnan(max) || std::isinf(min) || std::isinf(max) || min > max) {
    throw std::invalid_argument("histogram: min and max must be finite with min <= max");
  }
  if ((negative > 0) != (min < 0)) throw std::invalid_argument("histogram: min contradicts the negative count");
  if (!counts.empty()) {
    const auto last = static_cast<std::int32_t>(first_index + static_cast<std::int32_t>(counts.size()) - 1);
    if (!(max > 0) || bucket_index(max) != last) throw std::invalid_argument("histogram: max is not in the last bucket");
    if (zero == 0 && bucket_index(min) != first_index) {
      throw std::invalid_argument("histogram: min is not in the first bucket");
    }
  } else if (max > 0) {
    throw std::invalid_argument("histogram: positive max without positive buckets");
  }
  h.min_ = min;
  h.max_ = max;
  h.first_index_ = first_index;
  h.counts_ = std::move(counts);
  return h;
}

}  // namespace azsim::sim
