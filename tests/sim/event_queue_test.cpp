// One typed suite over every event queue: the order (time, priority, insertion), cancellation
// and handle safety, and long random runs checked against a std::multiset reference model.
#include "sim/event_queue.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <compare>
#include <cstdint>
#include <limits>
#include <map>
#include <ostream>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/heap_queue.hpp"
#include "sim/ladder_queue.hpp"

using namespace azsim::sim;

namespace {

// Deterministic test randomness (splitmix64): same sequence on every platform.
class TestRng {
 public:
  explicit TestRng(std::uint64_t seed) : s_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n).
  std::uint64_t below(std::uint64_t n) { return next() % n; }
  // Uniform in (0, 1].
  double unit() { return (static_cast<double>(next() >> 11) + 1.0) * 0x1.0p-53; }
  // Exponential with the given mean, rounded to whole microseconds.
  std::int64_t exp_us(double mean) { return std::llround(-std::log(unit()) * mean); }

 private:
  std::uint64_t s_;
};

// The reference order: (time, priority, insertion sequence).
struct Key {
  std::int64_t t;
  int p;
  std::uint64_t seq;
  auto operator<=>(const Key&) const = default;
};

void PrintTo(const Key& k, std::ostream* os) { *os << "{t=" << k.t << " p=" << k.p << " seq=" << k.seq << "}"; }

Key key_of(const QueuedEvent& e) { return {e.time.us(), e.priority, e.id.seq()}; }

Time us(std::int64_t v) { return Time::from_micros(v); }

template <class Q>
class EventQueueTest : public ::testing::Test {
 protected:
  // Pops everything, returning the keys in pop order.
  std::vector<Key> drain() {
    std::vector<Key> out;
    while (!q.empty()) out.push_back(key_of(q.pop()));
    return out;
  }
  Q q;
};

struct QueueNames {
  template <class T>
  static std::string GetName(int) {
    if (std::is_same_v<T, HeapQueue>) return "Heap";
    if (std::is_same_v<T, LadderQueue>) return "Ladder";
    return "Unknown";
  }
};

using QueueTypes = ::testing::Types<HeapQueue, LadderQueue>;
TYPED_TEST_SUITE(EventQueueTest, QueueTypes, QueueNames);

TYPED_TEST(EventQueueTest, StartsEmptyAndRejectsPopAndPeek) {
  EXPECT_TRUE(this->q.empty());
  EXPECT_EQ(this->q.size(), 0u);
  EXPECT_THROW(this->q.pop(), std::out_of_range);
  EXPECT_THROW(this->q.peek(), std::out_of_range);
}

TYPED_TEST(EventQueueTest, PopsInTimeOrder) {
  for (std::int64_t t : {30, 10, 20, 50, 40}) this->q.insert(us(t));
  EXPECT_EQ(this->q.size(), 5u);
  std::vector<std::int64_t> times;
  for (const Key& k : this->drain()) times.push_back(k.t);
  EXPECT_EQ(times, (std::vector<std::int64_t>{10, 20, 30, 40, 50}));
}

TYPED_TEST(EventQueueTest, SameTimeLowerPriorityFirst) {
  for (int p : {3, -2, 0, kMaxPriority, kMinPriority}) this->q.insert(us(5), p);
  this->q.insert(us(4), kMaxPriority);  // an earlier time beats any priority
  std::vector<int> prios;
  for (const Key& k : this->drain()) prios.push_back(k.p);
  EXPECT_EQ(prios, (std::vector<int>{kMaxPriority, kMinPriority, -2, 0, 3, kMaxPriority}));
}

TYPED_TEST(EventQueueTest, SameTimeAndPriorityInInsertionOrder) {
  std::vector<EventId> at7;
  for (int i = 0; i < 100; ++i) {
    at7.push_back(this->q.insert(us(7)));
    this->q.insert(us(7 + 1 + i % 3));  // noise at later instants
  }
  for (const EventId& id : at7) {
    const QueuedEvent e = this->q.pop();
    EXPECT_EQ(e.time, us(7));
    EXPECT_EQ(e.id, id);
  }
}

TYPED_TEST(EventQueueTest, SequenceNumbersIncreaseFromOne) {
  EXPECT_EQ(this->q.insert(us(9)).seq(), 1u);
  EXPECT_EQ(this->q.insert(us(1)).seq(), 2u);
  EXPECT_EQ(this->q.insert(us(5)).seq(), 3u);
}

TYPED_TEST(EventQueueTest, RejectsPriorityOutOfRange) {
  EXPECT_THROW(this->q.insert(us(1), kMaxPriority + 1), std::out_of_range);
  EXPECT_THROW(this->q.insert(us(1), kMinPriority - 1), std::out_of_range);
  EXPECT_TRUE(this->q.empty());
}

TYPED_TEST(EventQueueTest, PeekShowsWhatPopReturns) {
  this->q.insert(us(8), 1);
  const EventId first = this->q.insert(us(3), 2);
  const QueuedEvent peeked = this->q.peek();
  EXPECT_EQ(this->q.size(), 2u);
  EXPECT_EQ(peeked.id, first);
  EXPECT_EQ(peeked.time, us(3));
  EXPECT_EQ(peeked.priority, 2);
  const QueuedEvent popped = this->q.pop();
  EXPECT_EQ(popped.id, first);
  EXPECT_EQ(popped.time, us(3));
  EXPECT_EQ(popped.priority, 2);
  EXPECT_EQ(this->q.size(), 1u);
}

TYPED_TEST(EventQueueTest, CancelRemovesOnlyThatEvent) {
  const EventId a = this->q.insert(us(1));
  const EventId b = this->q.insert(us(2));
  const EventId c = this->q.insert(us(3));
  EXPECT_TRUE(this->q.pending(b));
  EXPECT_TRUE(this->q.cancel(b));
  EXPECT_FALSE(this->q.pending(b));
  EXPECT_TRUE(this->q.pending(a));
  EXPECT_TRUE(this->q.pending(c));
  EXPECT_EQ(this->q.size(), 2u);
  EXPECT_FALSE(this->q.cancel(b)) << "second cancel is a no-op";
  EXPECT_EQ(this->q.size(), 2u);
  EXPECT_EQ(this->q.pop().id, a);
  EXPECT_EQ(this->q.pop().id, c);
  EXPECT_TRUE(this->q.empty());
}

TYPED_TEST(EventQueueTest, CancellingTheFrontExposesTheNext) {
  const EventId a = this->q.insert(us(1));
  const EventId b = this->q.insert(us(2));
  EXPECT_EQ(this->q.peek().id, a);
  EXPECT_TRUE(this->q.cancel(a));
  EXPECT_EQ(this->q.peek().id, b);
  EXPECT_EQ(this->q.pop().id, b);
  EXPECT_TRUE(this->q.empty());
}

TYPED_TEST(EventQueueTest, PoppedEventIsNoLongerPendingAndCancelIsNoop) {
  const EventId a = this->q.insert(us(1));
  this->q.insert(us(2));
  EXPECT_EQ(this->q.pop().id, a);
  EXPECT_FALSE(this->q.pending(a));
  EXPECT_FALSE(this->q.cancel(a));
  EXPECT_EQ(this->q.size(), 1u);
}

TYPED_TEST(EventQueueTest, NullAndUnknownHandlesAreSafe) {
  const EventId live = this->q.insert(us(1));
  EXPECT_FALSE(this->q.pending(EventId{}));
  EXPECT_FALSE(this->q.cancel(EventId{}));
  EXPECT_FALSE(this->q.pending(EventId(123456, 1)));  // slot never used
  EXPECT_FALSE(this->q.cancel(EventId(123456, 1)));
  EXPECT_FALSE(this->q.cancel(EventId(live.slot(), live.seq() + 1)));  // right slot, wrong event
  // A forged sequence number shaped like a free slot's internal link must not match either.
  const EventId gone = this->q.insert(us(2));
  ASSERT_TRUE(this->q.cancel(gone));
  for (std::uint64_t forged : {std::uint64_t{1} << 63, (std::uint64_t{1} << 63) | 0xFFFF'FFFFu, ~std::uint64_t{0}}) {
    EXPECT_FALSE(this->q.pending(EventId(gone.slot(), forged)));
    EXPECT_FALSE(this->q.cancel(EventId(gone.slot(), forged)));
  }
  EXPECT_TRUE(this->q.pending(live));
  EXPECT_EQ(this->q.size(), 1u);
}

TYPED_TEST(EventQueueTest, ReusedSlotDoesNotRespondToOldHandle) {
  const EventId old_id = this->q.insert(us(5));
  ASSERT_TRUE(this->q.cancel(old_id));
  const EventId new_id = this->q.insert(us(5));
  ASSERT_EQ(new_id.slot(), old_id.slot()) << "test needs the slot to be reused";
  EXPECT_FALSE(this->q.pending(old_id));
  EXPECT_FALSE(this->q.cancel(old_id));
  EXPECT_TRUE(this->q.pending(new_id));
  EXPECT_EQ(this->q.pop().id, new_id);
}

TYPED_TEST(EventQueueTest, CancellingEverythingLeavesAUsableEmptyQueue) {
  TestRng rng(11);
  std::vector<EventId> ids;
  for (int i = 0; i < 5000; ++i) ids.push_back(this->q.insert(us(static_cast<std::int64_t>(rng.below(1'000'000)))));
  for (const EventId& id : ids) EXPECT_TRUE(this->q.cancel(id));
  EXPECT_TRUE(this->q.empty());
  EXPECT_THROW(this->q.pop(), std::out_of_range);
  this->q.insert(us(20));
  this->q.insert(us(10));
  const std::vector<Key> keys = this->drain();
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0].t, 10);
  EXPECT_EQ(keys[1].t, 20);
}

TYPED_TEST(EventQueueTest, MassCancellationKeepsTheRestInOrder) {
  TestRng rng(12);
  std::set<Key> model;
  std::vector<std::pair<EventId, Key>> all;
  for (int i = 0; i < 40'000; ++i) {
    const auto t = static_cast<std::int64_t>(rng.below(50'000));
    const int p = static_cast<int>(rng.below(3)) - 1;
    const EventId id = this->q.insert(us(t), p);
    all.push_back({id, Key{t, p, id.seq()}});
    model.insert(all.back().second);
  }
  // Pop one first, so that the ladder queue has laid its events out in buckets.
  ASSERT_EQ(key_of(this->q.pop()), *model.begin());
  model.erase(model.begin());
  for (const auto& [id, key] : all) {
    if (!model.contains(key)) continue;
    if (rng.below(10) != 0) {  // cancel ~90%, enough to trigger purges
      EXPECT_TRUE(this->q.cancel(id));
      model.erase(key);
    }
  }
  EXPECT_EQ(this->q.size(), model.size());
  const std::vector<Key> got = this->drain();
  EXPECT_EQ(got, std::vector<Key>(model.begin(), model.end()));
}

TYPED_TEST(EventQueueTest, ExtremeTimesOrderCorrectly) {
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  const std::vector<std::int64_t> times = {kMax, 0, kMin, -1, 1, kMax, kMin + 1, kMax - 1, kMin, 42};
  std::multiset<Key> model;
  for (std::int64_t t : times) model.insert(Key{t, 0, this->q.insert(us(t)).seq()});
  // Then keep going after the first pops, so the queue re-plans around the extremes.
  std::vector<Key> got;
  got.push_back(key_of(this->q.pop()));
  got.push_back(key_of(this->q.pop()));
  for (std::int64_t t : {kMax, kMin + 5, std::int64_t{7}}) model.insert(Key{t, 0, this->q.insert(us(t)).seq()});
  while (!this->q.empty()) got.push_back(key_of(this->q.pop()));
  // The two early pops were the two kMin events; kMin + 5 arrived after them and is later.
  EXPECT_EQ(got, std::vector<Key>(model.begin(), model.end()));
  EXPECT_EQ(got.front().t, kMin);
  EXPECT_EQ(got.back().t, kMax);
}

TYPED_TEST(EventQueueTest, EqualTimeBurstsRunByPriorityThenInsertion) {
  TestRng rng(13);
  std::multiset<Key> model;
  // Three bursts of 20,000 events at single instants, with interleaved pops and inserts at the
  // instant being popped (what zero-delay events do).
  for (std::int64_t burst : {1'000, 1'000'000, 2'000}) {
    for (int i = 0; i < 20'000; ++i) {
      const int p = static_cast<int>(rng.below(7)) - 3;
      model.insert(Key{burst, p, this->q.insert(us(burst), p).seq()});
    }
  }
  std::size_t popped = 0;
  while (!this->q.empty()) {
    const Key k = key_of(this->q.pop());
    ASSERT_EQ(k, *model.begin()) << "pop " << popped;
    model.erase(model.begin());
    ++popped;
    if (popped % 3 == 0 && popped < 30'000) {
      // Lands in the instant being popped; a priority lower than the current one runs next.
      const int p = static_cast<int>(rng.below(7)) - 3;
      model.insert(Key{k.t, p, this->q.insert(us(k.t), p).seq()});
    }
  }
  EXPECT_TRUE(model.empty());
  EXPECT_EQ(popped, 60'000u + 9'999u);
}

TYPED_TEST(EventQueueTest, ZeroDelayFanOutAfterAPop) {
  // One event fans out into 1,000 events at its own instant, as a callback scheduling work
  // "now" does; they must come out by priority, then in the order they were inserted. Once
  // with a later event pending, once with nothing else pending.
  for (bool with_later : {true, false}) {
    this->q.insert(us(10));
    EventId later;
    if (with_later) later = this->q.insert(us(20));
    ASSERT_EQ(this->q.pop().time, us(10));
    std::multiset<Key> model;
    TestRng rng(15);
    for (int i = 0; i < 1000; ++i) {
      const int p = static_cast<int>(rng.below(3));
      model.insert(Key{10, p, this->q.insert(us(10), p).seq()});
    }
    for (const Key& expected : model) ASSERT_EQ(key_of(this->q.pop()), expected);
    if (with_later) {
      EXPECT_EQ(this->q.pop().id, later);
    }
    EXPECT_TRUE(this->q.empty());
  }
}

TYPED_TEST(EventQueueTest, TightClusterBetweenExtremes) {
  // 2,000 events within 2 ms, between two events 2^63 us away on either side: the ladder queue
  // must subdivide its buckets as deep as it can before the cluster gets small enough to sort.
  TestRng rng(16);
  std::multiset<Key> model;
  auto add = [&](std::int64_t t, int p) { model.insert(Key{t, p, this->q.insert(us(t), p).seq()}); };
  add(std::numeric_limits<std::int64_t>::min(), 0);
  add(std::numeric_limits<std::int64_t>::max(), 0);
  for (int i = 0; i < 2000; ++i) add(static_cast<std::int64_t>(rng.below(2000)), static_cast<int>(rng.below(2)));
  std::size_t popped = 0;
  while (!this->q.empty()) {
    const Key k = key_of(this->q.pop());
    ASSERT_EQ(k, *model.begin()) << "pop " << popped;
    model.erase(model.begin());
    if (++popped == 10) {
      // Then a burst just after the current instant, below every bucket boundary.
      for (int i = 0; i < 600; ++i) add(k.t + static_cast<std::int64_t>(rng.below(50)), 0);
    }
  }
  EXPECT_EQ(popped, 2602u);
}

TYPED_TEST(EventQueueTest, LargeCountComesOutSorted) {
  TestRng rng(14);
  constexpr int kCount = 300'000;
  for (int i = 0; i < kCount; ++i) this->q.insert(us(rng.exp_us(1e6)), static_cast<int>(rng.below(3)));
  EXPECT_EQ(this->q.size(), static_cast<std::size_t>(kCount));
  const std::vector<Key> got = this->drain();
  ASSERT_EQ(got.size(), static_cast<std::size_t>(kCount));
  for (std::size_t i = 1; i < got.size(); ++i) ASSERT_LT(got[i - 1], got[i]) << "at " << i;
}

// How the random runs below draw event times; `now` is the time of the last pop.
enum class Shape {
  kHold,          // now + Exp(1 s): the classic hold model
  kZeroDelay,     // now + {0, 1, 2, 3} us: heavy same-instant traffic
  kUniformWide,   // anywhere in +-1e15 us, often before now
  kFewInstants,   // one of eight fixed instants
  kBimodal,       // mostly now + [0, 100] us, sometimes ~11 days away
  kExtremes,      // int64 extremes mixed with ordinary times
};

std::int64_t draw_time(Shape shape, TestRng& rng, std::int64_t now) {
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  switch (shape) {
    case Shape::kHold:
      return now + rng.exp_us(1e6);
    case Shape::kZeroDelay:
      return now + static_cast<std::int64_t>(rng.below(4));
    case Shape::kUniformWide:
      return static_cast<std::int64_t>(rng.below(2'000'000'000'000'000)) - 1'000'000'000'000'000;
    case Shape::kFewInstants:
      return static_cast<std::int64_t>(rng.below(8)) * 1'000'003;
    case Shape::kBimodal:
      return rng.below(100) == 0 ? now + 1'000'000'000'000 + static_cast<std::int64_t>(rng.below(1'000'000))
                                 : now + static_cast<std::int64_t>(rng.below(101));
    case Shape::kExtremes: {
      const std::int64_t picks[] = {kMin, kMin + 1, kMax, kMax - 1, 0, -1};
      return rng.below(3) == 0 ? picks[rng.below(6)] : static_cast<std::int64_t>(rng.next());
    }
  }
  return now;
}

// Interleaves inserts, pops and cancels (of pending and of already-gone events) and checks
// every result against the reference model.
template <class Q>
void check_against_model(Q& q, Shape shape, std::uint64_t seed, int ops) {
  TestRng rng(seed);
  std::multiset<Key> model;
  std::map<std::uint64_t, Key> live_by_seq;
  std::vector<EventId> handles;  // every handle ever returned, pending or not
  std::int64_t now = 0;
  for (int i = 0; i < ops; ++i) {
    const std::uint64_t op = rng.below(100);
    if (op < 55 || model.empty()) {
      const std::int64_t t = draw_time(shape, rng, now);
      const int p = static_cast<int>(rng.below(5)) - 2;
      const EventId id = q.insert(us(t), p);
      const Key k{t, p, id.seq()};
      model.insert(k);
      live_by_seq[id.seq()] = k;
      handles.push_back(id);
    } else if (op < 90) {
      const QueuedEvent e = q.pop();
      ASSERT_EQ(key_of(e), *model.begin()) << "op " << i;
      model.erase(model.begin());
      live_by_seq.erase(e.id.seq());
      EXPECT_FALSE(q.pending(e.id));
      now = e.time.us();
    } else {
      const EventId id = handles[rng.below(handles.size())];
      const auto it = live_by_seq.find(id.seq());
      const bool expect_pending = it != live_by_seq.end();
      ASSERT_EQ(q.pending(id), expect_pending) << "op " << i;
      ASSERT_EQ(q.cancel(id), expect_pending) << "op " << i;
      if (expect_pending) {
        model.erase(model.find(it->second));
        live_by_seq.erase(it);
      }
    }
    ASSERT_EQ(q.size(), model.size()) << "op " << i;
  }
  while (!model.empty()) {
    ASSERT_EQ(key_of(q.pop()), *model.begin());
    model.erase(model.begin());
  }
  EXPECT_TRUE(q.empty());
}

TYPED_TEST(EventQueueTest, RandomHoldMatchesModel) { check_against_model(this->q, Shape::kHold, 101, 150'000); }
TYPED_TEST(EventQueueTest, RandomZeroDelayMatchesModel) { check_against_model(this->q, Shape::kZeroDelay, 102, 150'000); }
TYPED_TEST(EventQueueTest, RandomUniformWideMatchesModel) { check_against_model(this->q, Shape::kUniformWide, 103, 150'000); }
TYPED_TEST(EventQueueTest, RandomFewInstantsMatchesModel) { check_against_model(this->q, Shape::kFewInstants, 104, 150'000); }
TYPED_TEST(EventQueueTest, RandomBimodalMatchesModel) { check_against_model(this->q, Shape::kBimodal, 105, 150'000); }
TYPED_TEST(EventQueueTest, RandomExtremesMatchesModel) { check_against_model(this->q, Shape::kExtremes, 106, 150'000); }

TYPED_TEST(EventQueueTest, GrowThenShrinkMatchesModel) {
  // A queue that swells to 200,000 pending events and drains back, twice: the ladder queue
  // re-plans its rungs several times along the way.
  TestRng rng(107);
  std::multiset<Key> model;
  std::int64_t now = 0;
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 200'000; ++i) {
      const std::int64_t t = now + rng.exp_us(5e5) * (rng.below(50) == 0 ? 1000 : 1);
      model.insert(Key{t, 0, this->q.insert(us(t)).seq()});
      if (i % 4 == 0) {
        const QueuedEvent e = this->q.pop();
        ASSERT_EQ(key_of(e), *model.begin());
        model.erase(model.begin());
        now = e.time.us();
      }
    }
    while (model.size() > 1000) {
      const QueuedEvent e = this->q.pop();
      ASSERT_EQ(key_of(e), *model.begin());
      model.erase(model.begin());
      now = e.time.us();
    }
  }
  EXPECT_EQ(this->drain(), std::vector<Key>(model.begin(), model.end()));
}

}  // namespace
