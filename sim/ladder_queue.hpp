// LadderQueue: the event queue on a ladder queue (Tang, Goh and Thng, ACM TOMACS 2005), O(1)
// amortised insert and pop for the event-time distributions simulations produce.
//
// Three tiers, by key range, earliest first:
//   bottom  a small 4-ary heap holding every entry earlier than the deepest rung's next bucket;
//           pops come from here;
//   rungs   up to kMaxDepth arrays of unsorted buckets, each bucket a fixed power-of-two span of
//           time; rung r+1 subdivides the bucket of rung r that was being consumed when it
//           turned out too full to sort cheaply;
//   top     an unsorted vector of entries later than everything the rungs cover.
// Inserting is a comparison per tier and an append; when the bottom runs dry, the next
// non-empty bucket is either heapified into it (small) or split into a finer rung (large).
// Entries are sorted only when their time comes, a few dozen at a time, so each entry is moved
// a bounded number of times whatever the queue size: that is why it beats a heap at 1e5+
// pending events. Skewed times (one far event, a burst at one instant) at worst degrade to the
// heap's O(log n): identical times end up in the bottom heap, and an overfull bottom is
// redistributed into a new rung. With at most kSplitThreshold events pending it is simply the
// bottom heap, since rungs would not pay for themselves.
//
// Memory: buckets are chains of fixed-size blocks from a pool owned by the store, recycled
// through a free list, so a queue in steady state allocates nothing. Storage grows to the peak
// number of pending events and is kept until the queue is destroyed.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "sim/event_queue.hpp"
#include "sim/heap_queue.hpp"

namespace azsim::sim {

namespace detail {

/// The ladder queue's entry store (an EventStore). Keys are QueueEntry::time (unsigned).
class LadderStore {
 public:
  void push(const QueueEntry& e) {
    ++size_;
    const std::uint64_t t = e.time;
    if (t >= top_floor_) {
      if (top_.empty()) {
        top_min_ = t;
        top_max_ = t;
      } else {
        top_min_ = t < top_min_ ? t : top_min_;
        top_max_ = t > top_max_ ? t : top_max_;
      }
      top_.push_back(e);
      return;
    }
    for (std::size_t r = 0; r < depth_; ++r) {
      Rung& g = rungs_[r];
      if (t >= g.lo) {
        append(g.buckets[(t - g.start) >> g.shift], e);
        ++g.count;
        return;
      }
    }
    bottom_.push(e);
    if (bottom_.size() > bottom_limit_) split_bottom();
  }

  const QueueEntry& min() {
    if (bottom_.empty()) refill();
    return bottom_.min();
  }

  /// Right after a refill, the bottom heap's first entries (a freshly sorted bucket: all of
  /// them will be popped soon); otherwise its root and the root's children.
  std::span<const QueueEntry> upcoming() {
    if (refilled_) {
      refilled_ = false;
      return {bottom_.entries().data(), std::min<std::size_t>(bottom_.size(), kPrefetchMax)};
    }
    return bottom_.upcoming();
  }

  void pop_min() {
    if (bottom_.empty()) refill();
    bottom_.pop_min();
    --size_;
  }

  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }

  template <class Dead>
  void purge(Dead dead) {
    bottom_.purge(dead);
    std::size_t n = bottom_.size();
    for (std::size_t r = 0; r < depth_; ++r) {
      Rung& g = rungs_[r];
      g.count = 0;
      for (std::size_t b = g.cur; b < g.nb; ++b) {
        Bucket& bucket = g.buckets[b];
        if (bucket.head == kNoBlock) continue;
        scratch_.clear();
        take(bucket, scratch_);
        for (const QueueEntry& e : scratch_) {
          if (!dead(e)) append(bucket, e);
        }
        g.count += count(bucket);
      }
      n += g.count;
    }
    std::erase_if(top_, dead);  // top_min_/top_max_ stay valid (if loose) bounds
    n += top_.size();
    size_ = n;
    scratch_.clear();
  }

 private:
  __extension__ using u128 = unsigned __int128;

  static constexpr std::uint32_t kNoBlock = 0xFFFF'FFFFu;
  // Entries per block: 10 x 24 bytes plus the link fill four cache lines.
  static constexpr std::uint32_t kBlockEntries = 10;

  struct alignas(64) Block {
    QueueEntry entries[kBlockEntries];
    std::uint32_t next;  // the next (older, full) block of the same bucket, or kNoBlock
  };

  /// A bucket: a chain of blocks, newest first; only the newest may be partly filled. The
  /// header is 8 bytes so that a rung's bucket array stays small enough to live in cache.
  struct Bucket {
    std::uint32_t head = kNoBlock;
    std::uint32_t fill = 0;  // entries in the head block
  };

  /// One rung: buckets [cur, nb) of width 2^shift starting at key `start` hold the entries
  /// with keys in [lo, upper), where upper is the next coarser tier's lower bound.
  struct Rung {
    std::uint64_t start = 0;
    unsigned shift = 0;
    std::size_t cur = 0;
    std::size_t nb = 0;
    u128 lo = 0;  // start + cur * 2^shift: first key still accepted (may exceed 2^64-1)
    std::size_t count = 0;
    std::vector<Bucket> buckets;  // only [0, nb) in use
  };

  static constexpr std::size_t kMaxDepth = 8;
  // A bucket with more entries than this is split into a finer rung instead of heapified.
  static constexpr std::size_t kSplitThreshold = 256;
  // The bottom heap is redistributed into a rung when it grows past twice its size at the last
  // refill and past this floor (the doubling keeps redistribution amortised O(1)).
  static constexpr std::size_t kBottomFloor = 256;
  // Target number of entries per bucket when a rung is laid out.
  static constexpr std::size_t kEntriesPerBucket = 8;
  static constexpr std::size_t kMaxBuckets = std::size_t{1} << 20;
  // At most this many slots are prefetched after a refill (a few KiB of cache).
  static constexpr std::size_t kPrefetchMax = 64;

  void append(Bucket& bucket, const QueueEntry& e) {
    if (bucket.head == kNoBlock || bucket.fill == kBlockEntries) {
      const std::uint32_t b = new_block();
      blocks_[b].next = bucket.head;
      bucket.head = b;
      bucket.fill = 0;
    }
    blocks_[bucket.head].entries[bucket.fill++] = e;
  }

  std::uint32_t new_block() {
    if (free_block_ != kNoBlock) {
      const std::uint32_t b = free_block_;
      free_block_ = blocks_[b].next;
      return b;
    }
    blocks_.emplace_back();
    return static_cast<std::uint32_t>(blocks_.size() - 1);
  }

  std::size_t count(const Bucket& bucket) const;
  // Appends the bucket's entries to `out`, returns its blocks to the pool, empties it.
  void take(Bucket& bucket, std::vector<QueueEntry>& out);
  void refill();
  void split_bottom();
  // Lays out rung `depth_` over keys [lo, hi] (inclusive), sized for `entries`, distributes
  // them into it and makes it the deepest rung. Every entry's key must lie in [lo, hi].
  void lay_out_rung(std::uint64_t lo, std::uint64_t hi, const std::vector<QueueEntry>& entries);

  QuaternaryHeap bottom_;
  std::array<Rung, kMaxDepth> rungs_{};
  std::size_t depth_ = 0;
  std::vector<QueueEntry> top_;
  std::uint64_t top_min_ = 0;
  std::uint64_t top_max_ = 0;
  u128 top_floor_ = 0;  // keys >= top_floor_ go to top_
  std::size_t bottom_limit_ = kBottomFloor;
  bool refilled_ = false;  // the bottom was refilled since upcoming() last looked
  std::size_t size_ = 0;
  std::vector<Block> blocks_;
  std::uint32_t free_block_ = kNoBlock;
  std::vector<QueueEntry> scratch_;
};

}  // namespace detail

/// The event queue on a ladder queue: O(1) amortised insert/pop, O(1) cancel. See EventQueue.
template <class Payload = detail::NoPayload>
using BasicLadderQueue = BasicEventQueue<detail::LadderStore, Payload>;
using LadderQueue = BasicLadderQueue<>;
static_assert(EventQueue<LadderQueue>);

}  // namespace azsim::sim
