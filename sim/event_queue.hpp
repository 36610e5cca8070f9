// The pending-event set of the discrete-event core: a priority queue of events in a total order,
// with O(1) cancellation through always-safe handles.
//
// Order: (time, priority, insertion sequence). Earlier time first; at the same instant the lower
// priority value first; then the event inserted first. Nothing is left to chance, so two runs of
// the same scenario always process the same events in the same order.
//
// Every implementation has the same small interface (the EventQueue concept): insert, peek, pop,
// cancel, pending, size/empty. They share the handle logic below (BasicEventQueue) and differ only
// in the structure that orders the entries (a "store"): a 4-ary heap (heap_queue.hpp) and a
// ladder queue (ladder_queue.hpp). tests/sim/event_queue_test.cpp runs one typed suite over all.
#pragma once

#include <bit>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <vector>

#include "sim/time.hpp"

namespace azsim::sim {

/// Event priorities: at the same instant, the lower value runs first. 0 is the default.
inline constexpr int kMinPriority = -32768;
inline constexpr int kMaxPriority = 32767;

/// A handle to one inserted event. Cheap to copy and always safe to use: asking about or
/// cancelling an event that already ran, was cancelled, or belongs to nobody (a default-made
/// handle) is a harmless no-op. Slots are reused, but a handle also carries the event's unique
/// sequence number, so an old handle never matches a newer event in the same slot.
class EventId {
 public:
  constexpr EventId() = default;
  /// For queue implementations and tests; users get handles from insert()/at()/after().
  constexpr EventId(std::uint32_t slot, std::uint64_t seq) : seq_(seq), slot_(slot) {}

  /// True for a default-made handle, which never refers to an event.
  constexpr bool is_null() const { return seq_ == 0; }
  /// Index of the slot the event occupies while pending (dense, reused after the event ends).
  constexpr std::uint32_t slot() const { return slot_; }
  /// Insertion sequence number: unique within one queue, starting at 1, increasing.
  constexpr std::uint64_t seq() const { return seq_; }

  friend constexpr bool operator==(const EventId&, const EventId&) = default;

 private:
  std::uint64_t seq_ = 0;
  std::uint32_t slot_ = 0;
};

/// An event as the queue returns it from peek() and pop().
struct QueuedEvent {
  Time time;
  int priority = 0;
  EventId id;
};

/// The interface every event queue offers. Contracts:
/// - insert(t, p): p in [kMinPriority, kMaxPriority] (std::out_of_range otherwise); O(1) or
///   O(log n); returns a handle that is pending until the event is popped or cancelled.
/// - peek()/pop(): the earliest live event in the total order; std::out_of_range when empty.
///   peek() is not const: it may discard cancelled entries on the way.
/// - cancel(id): O(1); true if the event was pending (and now is not), false otherwise.
/// - pending(id): whether the event is still in the queue, not popped nor cancelled.
/// - size()/empty(): live (not cancelled) events only.
template <class Q>
concept EventQueue = requires(Q q, const Q cq, Time t, int priority, EventId id) {
  { q.insert(t, priority) } -> std::same_as<EventId>;
  { q.peek() } -> std::same_as<QueuedEvent>;
  { q.pop() } -> std::same_as<QueuedEvent>;
  { q.cancel(id) } -> std::same_as<bool>;
  { cq.pending(id) } -> std::same_as<bool>;
  { cq.size() } -> std::same_as<std::size_t>;
  { cq.empty() } -> std::same_as<bool>;
};

namespace detail {

/// What a store orders: 24 bytes. `time` is the instant mapped to an unsigned key (sign bit
/// flipped, so unsigned order is time order); `order` packs the priority (high 16 bits, offset
/// to unsigned) above the 48-bit sequence number, so (time, order) compared as unsigned
/// integers is exactly the event order.
struct QueueEntry {
  std::uint64_t time;
  std::uint64_t order;
  std::uint32_t slot;
};

inline constexpr int kSeqBits = 48;
inline constexpr std::uint64_t kSeqMask = (std::uint64_t{1} << kSeqBits) - 1;
inline constexpr std::uint64_t kTimeSignFlip = std::uint64_t{1} << 63;

constexpr std::uint64_t time_key(Time t) { return std::bit_cast<std::uint64_t>(t.us()) ^ kTimeSignFlip; }
constexpr Time key_time(std::uint64_t key) { return Time::from_micros(std::bit_cast<std::int64_t>(key ^ kTimeSignFlip)); }
constexpr std::uint64_t entry_seq(const QueueEntry& e) { return e.order & kSeqMask; }
constexpr int entry_priority(const QueueEntry& e) { return static_cast<int>(e.order >> kSeqBits) + kMinPriority; }

/// Strict "runs before" on entries; branch-free on x86-64 (one 128-bit compare).
inline bool before(const QueueEntry& a, const QueueEntry& b) {
  __extension__ using u128 = unsigned __int128;
  return ((u128{a.time} << 64) | a.order) < ((u128{b.time} << 64) | b.order);
}

/// No per-event data: what the plain queues (HeapQueue, LadderQueue) carry.
struct NoPayload {};

/// The handle table shared by every queue: for each slot, the sequence number of the live event
/// in it (or, when free, a link in the free list) next to the caller's per-event Payload. O(1)
/// acquire/release; the last released slot is reused first, so its cache line is still warm.
/// Keeping the payload beside the sequence number lets a caller that stores its event data
/// there (Simulation keeps the callback) check and dispatch an event with one cache miss.
template <class Payload>
class SlotTable {
 public:
  /// Takes a free slot (or grows the table) and marks it as holding event `seq`. The payload of
  /// a reused slot is whatever its previous event left there.
  std::uint32_t acquire(std::uint64_t seq) {
    if (free_head_ != kNone) {
      const std::uint32_t slot = free_head_;
      free_head_ = static_cast<std::uint32_t>(slots_[slot].tag & ~kFreeBit);
      slots_[slot].tag = seq;
      return slot;
    }
    if (slots_.size() >= kNone) throw std::length_error("event queue: more than 2^32-1 pending events");
    slots_.emplace_back().tag = seq;
    return static_cast<std::uint32_t>(slots_.size() - 1);
  }
  /// Frees `slot` (its payload is left alone). Precondition: it holds a live event.
  void release(std::uint32_t slot) {
    slots_[slot].tag = kFreeBit | free_head_;
    free_head_ = slot;
  }
  /// True when `slot` exists and holds the live event `seq` (seq 0, the null handle, never does).
  bool holds(std::uint32_t slot, std::uint64_t seq) const { return slot < slots_.size() && slots_[slot].tag == seq; }
  /// One past the highest slot ever used.
  std::size_t capacity() const { return slots_.size(); }
  Payload& payload(std::uint32_t slot) { return slots_[slot].payload; }
  /// Starts loading the slot's cache line (a hint; `slot` must exist).
  void prefetch(std::uint32_t slot) const { __builtin_prefetch(&slots_[slot]); }

 private:
  static constexpr std::uint64_t kFreeBit = std::uint64_t{1} << 63;
  static constexpr std::uint32_t kNone = 0xFFFF'FFFFu;
  // A slot that fills a cache line exactly is aligned to one, so each event costs one line.
  static constexpr std::size_t kSlotAlign = (sizeof(std::uint64_t) + sizeof(Payload)) % 64 == 0 ? 64 : alignof(std::uint64_t);
  struct alignas(kSlotAlign) Slot {
    std::uint64_t tag = 0;
    [[no_unique_address]] Payload payload;
  };
  std::vector<Slot> slots_;
  std::uint32_t free_head_ = kNone;
};

/// What a store must offer to BasicEventQueue. min() is not const (a store may reorganise itself
/// to find the minimum); min()/pop_min() require !empty(). upcoming() is some entries likely
/// to be popped soon, known without work (possibly none; used only for prefetching).
/// purge(dead) removes every entry for which dead(entry) is true.
template <class S>
concept EventStore = requires(S s, const S cs, const QueueEntry& e, bool (*dead)(const QueueEntry&)) {
  s.push(e);
  { s.min() } -> std::same_as<const QueueEntry&>;
  s.pop_min();
  { cs.empty() } -> std::same_as<bool>;
  { s.upcoming() } -> std::same_as<std::span<const QueueEntry>>;
  s.purge(dead);
};

}  // namespace detail

/// The handle logic common to all queues: sequence numbers, slots, lazy O(1) cancellation, and
/// optionally a Payload per event kept in its slot.
/// A cancelled event's entry stays in the store and is skipped when it reaches the front; when
/// cancelled entries outnumber live ones the store is purged, so memory stays proportional to
/// the live events (amortised O(1) per cancel).
template <detail::EventStore Store, class Payload = detail::NoPayload>
class BasicEventQueue {
 public:
  EventId insert(Time t, int priority = 0) {
    if (priority < kMinPriority || priority > kMaxPriority) {
      throw std::out_of_range("event priority outside [-32768, 32767]");
    }
    if (next_seq_ > detail::kSeqMask) throw std::length_error("event queue: sequence numbers exhausted");
    const std::uint64_t seq = next_seq_++;
    const std::uint32_t slot = slots_.acquire(seq);
    const std::uint64_t order = (static_cast<std::uint64_t>(priority - kMinPriority) << detail::kSeqBits) | seq;
    store_.push(detail::QueueEntry{detail::time_key(t), order, slot});
    ++live_;
    return EventId(slot, seq);
  }

  QueuedEvent peek() {
    const detail::QueueEntry& e = front();
    return decode(e);
  }

  QueuedEvent pop() {
    const detail::QueueEntry e = front();
    store_.pop_min();
    slots_.release(e.slot);
    --live_;
    return decode(e);
  }

  bool cancel(EventId id) {
    if (!pending(id)) return false;
    slots_.release(id.slot());
    --live_;
    if (++dead_ > live_ && dead_ >= kPurgeMin) purge();
    return true;
  }

  bool pending(EventId id) const {
    // Only sequence numbers this queue can issue, [1, 2^48), may match: a forged handle must
    // never be taken for a free slot's free-list link.
    return id.seq() - 1 < detail::kSeqMask && slots_.holds(id.slot(), id.seq());
  }
  std::size_t size() const { return live_; }
  bool empty() const { return live_ == 0; }
  /// Starts loading the slots (handle state and payload) of the entries likely to be popped
  /// next, when those are known cheaply. Purely a speed hint: called right after pop(), it lets
  /// the caller's work on the popped event hide the next events' cache misses.
  void prefetch_next() {
    for (const detail::QueueEntry& e : store_.upcoming()) slots_.prefetch(e.slot);
  }

  /// Every pending handle's slot() is below this.
  std::size_t slot_capacity() const { return slots_.capacity(); }
  /// The caller's data for the event in `slot` (see SlotTable). Precondition: slot <
  /// slot_capacity(). It stays in place after the event is popped or cancelled, until the
  /// slot is reused by a later insert.
  Payload& payload(std::uint32_t slot) { return slots_.payload(slot); }

 private:
  static constexpr std::size_t kPurgeMin = 1024;

  bool live(const detail::QueueEntry& e) const { return slots_.holds(e.slot, detail::entry_seq(e)); }

  // The earliest live entry, discarding cancelled ones in front of it.
  const detail::QueueEntry& front() {
    if (live_ == 0) throw std::out_of_range("event queue is empty");
    for (;;) {
      const detail::QueueEntry& e = store_.min();
      if (live(e)) return e;
      store_.pop_min();
      --dead_;
    }
  }

  void purge() {
    store_.purge([this](const detail::QueueEntry& e) { return !live(e); });
    dead_ = 0;
  }

  static QueuedEvent decode(const detail::QueueEntry& e) {
    return QueuedEvent{detail::key_time(e.time), detail::entry_priority(e), EventId(e.slot, detail::entry_seq(e))};
  }

  Store store_;
  detail::SlotTable<Payload> slots_;
  std::uint64_t next_seq_ = 1;
  std::size_t live_ = 0;
  std::size_t dead_ = 0;
};

}  // namespace azsim::sim
