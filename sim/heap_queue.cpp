#include "sim/heap_queue.hpp"

namespace azsim::sim::detail {

void QuaternaryHeap::append(const QueueEntry* first, std::size_t count) {
  v_.insert(v_.end(), first, first + count);
  heapify();
}

void QuaternaryHeap::heapify() {
  const std::size_t n = v_.size();
  if (n < 2) return;
  // Floyd's construction: sift down every internal node, deepest first.
  for (std::size_t i = (n - 2) / 4 + 1; i-- > 0;) {
    const QueueEntry e = v_[i];
    sift_down(i, e);
  }
}

}  // namespace azsim::sim::detail
