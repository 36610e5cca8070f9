// HeapQueue: the event queue on an implicit 4-ary min-heap.
//
// O(log n) insert and pop with no per-event allocation and nothing to tune. A 4-ary heap is half
// as deep as a binary one and its four children sit in adjacent memory, so a pop touches about
// half as many cache lines; it beats the ladder queue when few events are pending, and is the
// reference the ladder queue is checked against. The ladder queue also uses it for its bottom tier.
#pragma once

#include <algorithm>
#include <cstddef>
#include <span>
#include <vector>

#include "sim/event_queue.hpp"

namespace azsim::sim {

namespace detail {

/// A 4-ary min-heap of QueueEntry (an EventStore). Node i has children 4i+1 .. 4i+4.
class QuaternaryHeap {
 public:
  void push(const QueueEntry& e) {
    std::size_t i = v_.size();
    v_.push_back(e);
    QueueEntry* a = v_.data();
    while (i > 0) {
      const std::size_t parent = (i - 1) / 4;
      if (!before(e, a[parent])) break;
      a[i] = a[parent];
      i = parent;
    }
    a[i] = e;
  }

  const QueueEntry& min() const { return v_.front(); }
  /// The root and its children: the next minimum is among them (cancelled entries included).
  std::span<const QueueEntry> upcoming() const { return {v_.data(), std::min<std::size_t>(v_.size(), 5)}; }

  void pop_min() {
    const QueueEntry last = v_.back();
    v_.pop_back();
    if (!v_.empty()) sift_down(0, last);
  }

  bool empty() const { return v_.empty(); }
  std::size_t size() const { return v_.size(); }

  template <class Dead>
  void purge(Dead dead) {
    std::erase_if(v_, dead);
    heapify();
  }

  /// Adds entries in bulk and restores the heap in O(n) (cheaper than n pushes).
  void append(const QueueEntry* first, std::size_t count);
  /// Restores the heap property over the whole array in O(n).
  void heapify();
  void clear() { v_.clear(); }
  /// The entries in heap order (for bulk redistribution).
  const std::vector<QueueEntry>& entries() const { return v_; }

 private:
  // Moves the hole at i down to where e belongs, then stores e there.
  void sift_down(std::size_t i, const QueueEntry& e) {
    QueueEntry* a = v_.data();
    const std::size_t n = v_.size();
    for (;;) {
      const std::size_t c = 4 * i + 1;
      if (c >= n) break;
      std::size_t best;
      if (c + 4 <= n) {
        // Start loading the grandchildren while the children are compared: in a large heap each
        // level is a cache miss, and this overlaps them instead of paying them one by one.
        const std::size_t g = 4 * c + 1;
        if (g + 16 <= n) {
          const char* first = reinterpret_cast<const char*>(&a[g]);
          constexpr std::size_t kBytes = 16 * sizeof(QueueEntry);
          for (std::size_t off = 0; off < kBytes; off += 64) __builtin_prefetch(first + off);
          __builtin_prefetch(first + kBytes - 1);  // the last line, when the group straddles one more
        }
        // Tournament over the four children: two independent compares, then one.
        const std::size_t m01 = before(a[c + 1], a[c]) ? c + 1 : c;
        const std::size_t m23 = before(a[c + 3], a[c + 2]) ? c + 3 : c + 2;
        best = before(a[m23], a[m01]) ? m23 : m01;
      } else {
        best = c;
        for (std::size_t k = c + 1; k < n; ++k) {
          if (before(a[k], a[best])) best = k;
        }
      }
      if (!before(a[best], e)) break;
      a[i] = a[best];
      i = best;
    }
    a[i] = e;
  }

  std::vector<QueueEntry> v_;
};

}  // namespace detail

/// The event queue on a 4-ary heap: O(log n) insert/pop, O(1) cancel. See EventQueue.
template <class Payload = detail::NoPayload>
using BasicHeapQueue = BasicEventQueue<detail::QuaternaryHeap, Payload>;
using HeapQueue = BasicHeapQueue<>;
static_assert(EventQueue<HeapQueue>);

}  // namespace azsim::sim
