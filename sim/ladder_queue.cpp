#include "sim/ladder_queue.hpp"

#include <algorithm>
#include <limits>

namespace azsim::sim::detail {

namespace {

constexpr std::uint64_t kMaxKey = std::numeric_limits<std::uint64_t>::max();

// The last key below an exclusive bound that may be 2^64 (the bounds are 128-bit for that).
template <class U128>
std::uint64_t last_below(U128 upper) {
  const U128 last = upper - 1;
  return last > kMaxKey ? kMaxKey : static_cast<std::uint64_t>(last);
}

}  // namespace

std::size_t LadderStore::count(const Bucket& bucket) const {
  if (bucket.head == kNoBlock) return 0;
  std::size_t n = bucket.fill;
  for (std::uint32_t b = blocks_[bucket.head].next; b != kNoBlock; b = blocks_[b].next) n += kBlockEntries;
  return n;
}

void LadderStore::take(Bucket& bucket, std::vector<QueueEntry>& out) {
  std::uint32_t b = bucket.head;
  std::uint32_t fill = bucket.fill;
  while (b != kNoBlock) {
    Block& block = blocks_[b];
    out.insert(out.end(), block.entries, block.entries + fill);
    const std::uint32_t next = block.next;
    block.next = free_block_;
    free_block_ = b;
    b = next;
    fill = kBlockEntries;
  }
  bucket = Bucket{};
}

void LadderStore::refill() {
  for (;;) {
    if (depth_ == 0) {
      if (top_.empty()) return;  // nothing anywhere: the caller broke min()'s precondition
      // Everything pending is in top. Later keys above top_max_ keep going to top.
      top_floor_ = u128{top_max_} + 1;
      if (top_.size() <= kSplitThreshold) {
        // Few events: a rung would not pay for itself, the queue works as a plain heap.
        bottom_.append(top_.data(), top_.size());
        top_.clear();
        bottom_limit_ = std::max(kBottomFloor, 2 * bottom_.size());
        refilled_ = true;
        return;
      }
      lay_out_rung(top_min_, top_max_, top_);
      top_.clear();
      continue;
    }
    Rung& g = rungs_[depth_ - 1];
    if (g.count == 0) {
      // Used up: keys in its remaining range now belong to the tier below (the empty bottom).
      --depth_;
      continue;
    }
    std::size_t b = g.cur;
    while (g.buckets[b].head == kNoBlock) ++b;
    g.cur = b + 1;
    g.lo = u128{g.start} + (u128{g.cur} << g.shift);
    scratch_.clear();
    take(g.buckets[b], scratch_);
    g.count -= scratch_.size();

    if (scratch_.size() > kSplitThreshold && g.shift > 0 && depth_ < kMaxDepth) {
      std::uint64_t mn = kMaxKey;
      std::uint64_t mx = 0;
      for (const QueueEntry& e : scratch_) {
        mn = std::min(mn, e.time);
        mx = std::max(mx, e.time);
      }
      if (mn != mx) {
        // Too many to sort now: subdivide the bucket into a finer rung covering the rest of
        // its span, [mn, g.lo).
        lay_out_rung(mn, last_below(g.lo), scratch_);
        continue;
      }
      // All at one instant: nothing to subdivide, the heap orders them by (priority, seq).
    }
    bottom_.append(scratch_.data(), scratch_.size());
    bottom_limit_ = std::max(kBottomFloor, 2 * bottom_.size());
    refilled_ = true;
    return;
  }
}

void LadderStore::split_bottom() {
  const std::vector<QueueEntry>& entries = bottom_.entries();
  std::uint64_t mn = kMaxKey;
  std::uint64_t mx = 0;
  for (const QueueEntry& e : entries) {
    mn = std::min(mn, e.time);
    mx = std::max(mx, e.time);
  }
  if (depth_ == kMaxDepth || mn == mx) {
    // Cannot subdivide further: let the heap grow, and look again once it has doubled.
    bottom_limit_ = 2 * bottom_.size();
    return;
  }
  // The bottom holds every key below the deepest rung's lower bound (or below top_floor_).
  const u128 upper = depth_ > 0 ? rungs_[depth_ - 1].lo : top_floor_;
  scratch_.assign(entries.begin(), entries.end());
  bottom_.clear();
  lay_out_rung(mn, last_below(upper), scratch_);
  bottom_limit_ = kBottomFloor;
}

void LadderStore::lay_out_rung(std::uint64_t lo, std::uint64_t hi, const std::vector<QueueEntry>& entries) {
  Rung& g = rungs_[depth_];
  const std::uint64_t range = hi - lo;
  // At least two buckets, so that a shift of 63 always suffices and each split makes progress.
  const std::size_t target = std::clamp<std::size_t>(entries.size() / kEntriesPerBucket, 2, kMaxBuckets);
  unsigned shift = 0;
  while ((range >> shift) >= target) ++shift;
  g.start = lo;
  g.shift = shift;
  g.nb = static_cast<std::size_t>(range >> shift) + 1;
  g.cur = 0;
  g.lo = lo;
  g.count = entries.size();
  if (g.buckets.size() < g.nb) g.buckets.resize(g.nb);
  for (const QueueEntry& e : entries) append(g.buckets[(e.time - lo) >> shift], e);
  ++depth_;
}

}  // namespace azsim::sim::detail
