// Simulation: event order, cancellation, run/run_until/stop semantics, past-scheduling errors,
// the trace hook, and that scheduling small callbacks does not allocate. Every test runs on both
// queue implementations.
#include "sim/simulation.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "sim/callback.hpp"

// Counts every global allocation made by this test binary, so tests can assert that a code path
// makes none. (A program may replace these functions once; this file is the one place that
// does it for test_sim.)
namespace {
std::atomic<std::uint64_t> g_allocations{0};

void* counted_alloc(std::size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}

void* counted_aligned_alloc(std::size_t n, std::align_val_t al) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  const auto a = static_cast<std::size_t>(al);
  const std::size_t rounded = (n + a - 1) / a * a;  // aligned_alloc wants a multiple of a
  if (void* p = std::aligned_alloc(a, rounded == 0 ? a : rounded)) return p;
  throw std::bad_alloc();
}
}  // namespace

void* operator new(std::size_t n) { return counted_alloc(n); }
void* operator new[](std::size_t n) { return counted_alloc(n); }
void* operator new(std::size_t n, std::align_val_t al) { return counted_aligned_alloc(n, al); }
void* operator new[](std::size_t n, std::align_val_t al) { return counted_aligned_alloc(n, al); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }

using namespace azsim::sim;
using namespace azsim::sim::literals;

namespace {

Time at_s(std::int64_t s) { return Time::origin() + Duration::seconds(s); }

class SimulationTest : public ::testing::TestWithParam<QueueKind> {
 protected:
  Simulation sim{GetParam()};
  std::vector<std::string> log;
  // A callback that appends `name` to the log.
  auto note(std::string name) {
    return [this, name = std::move(name)] { log.push_back(name); };
  }
};

INSTANTIATE_TEST_SUITE_P(Queues, SimulationTest, ::testing::Values(QueueKind::kLadder, QueueKind::kHeap),
                         [](const ::testing::TestParamInfo<QueueKind>& param_info) {
                           return param_info.param == QueueKind::kLadder ? std::string("Ladder") : std::string("Heap");
                         });

TEST_P(SimulationTest, UsesTheRequestedQueue) { EXPECT_EQ(sim.queue_kind(), GetParam()); }

TEST(SimulationDefaults, DefaultQueueIsLadder) { EXPECT_EQ(Simulation().queue_kind(), QueueKind::kLadder); }

TEST_P(SimulationTest, RunsEventsInTimeOrderAndAdvancesNow) {
  std::vector<std::int64_t> seen;
  for (std::int64_t s : {30, 10, 20}) {
    sim.at(at_s(s), [this, &seen] { seen.push_back(sim.now().us()); });
  }
  EXPECT_EQ(sim.pending_count(), 3u);
  EXPECT_EQ(sim.next_event_time(), at_s(10));
  sim.run();
  EXPECT_EQ(seen, (std::vector<std::int64_t>{10'000'000, 20'000'000, 30'000'000}));
  EXPECT_EQ(sim.now(), at_s(30));
  EXPECT_EQ(sim.pending_count(), 0u);
  EXPECT_EQ(sim.events_processed(), 3u);
  EXPECT_EQ(sim.next_event_time(), Time::infinity());
}

TEST_P(SimulationTest, SameInstantRunsByPriorityThenSchedulingOrder) {
  sim.at(at_s(5), note("b0"));
  sim.at(at_s(5), note("c+1"), 1);
  sim.at(at_s(5), note("a-1"), -1);
  sim.at(at_s(5), note("b0'"));
  sim.at(at_s(4), note("early+9"), 9);
  sim.run();
  EXPECT_EQ(log, (std::vector<std::string>{"early+9", "a-1", "b0", "b0'", "c+1"}));
}

TEST_P(SimulationTest, AfterIsRelativeToNow) {
  sim.at(at_s(100), [this] { sim.after(5_s, note("later")); });
  sim.run();
  EXPECT_EQ(log, std::vector<std::string>{"later"});
  EXPECT_EQ(sim.now(), at_s(105));
}

TEST_P(SimulationTest, EventsScheduledForTheCurrentInstantRunInThatInstant) {
  // At t=1: "first" schedules two zero-delay events; one with a lower priority overtakes the
  // already-pending "second" (same instant, priority 0), the other queues behind it.
  sim.at(at_s(1), [this] {
    log.push_back("first");
    sim.after(Duration::zero(), note("zero-delay p0"));
    sim.at(sim.now(), note("zero-delay p-1"), -1);
  });
  sim.at(at_s(1), note("second"));
  sim.at(at_s(2), note("next instant"));
  std::vector<std::int64_t> times;
  sim.set_trace([&times](Time t, EventId, const char*) { times.push_back(t.us()); });
  sim.run();
  EXPECT_EQ(log, (std::vector<std::string>{"first", "zero-delay p-1", "second", "zero-delay p0", "next instant"}));
  EXPECT_EQ(times, (std::vector<std::int64_t>{1'000'000, 1'000'000, 1'000'000, 1'000'000, 2'000'000}));
}

TEST_P(SimulationTest, CancelPreventsTheEventAndIsSafeToRepeat) {
  const EventId keep = sim.at(at_s(1), note("keep"));
  const EventId drop = sim.at(at_s(2), note("drop"));
  EXPECT_TRUE(sim.pending(drop));
  EXPECT_TRUE(sim.cancel(drop));
  EXPECT_FALSE(sim.pending(drop));
  EXPECT_FALSE(sim.cancel(drop));
  EXPECT_FALSE(sim.cancel(EventId{}));
  EXPECT_EQ(sim.pending_count(), 1u);
  sim.run();
  EXPECT_EQ(log, std::vector<std::string>{"keep"});
  EXPECT_FALSE(sim.pending(keep));
  EXPECT_FALSE(sim.cancel(keep)) << "cancelling an event that ran is a no-op";
  EXPECT_EQ(sim.events_processed(), 1u);
}

TEST_P(SimulationTest, CancelFromWithinACallback) {
  EventId victim;
  EventId self;
  bool self_pending_inside = true;
  bool cancel_self_result = true;
  self = sim.at(at_s(1), [&] {
    log.push_back("canceller");
    EXPECT_TRUE(sim.cancel(victim));
    self_pending_inside = sim.pending(self);
    cancel_self_result = sim.cancel(self);
  });
  victim = sim.at(at_s(2), note("victim"));
  sim.at(at_s(3), note("bystander"));
  sim.run();
  EXPECT_EQ(log, (std::vector<std::string>{"canceller", "bystander"}));
  EXPECT_FALSE(self_pending_inside) << "an event is not pending while it runs";
  EXPECT_FALSE(cancel_self_result);
}

TEST_P(SimulationTest, CancelDestroysTheCallbackAtOnce) {
  auto token = std::make_shared<int>(7);
  const EventId id = sim.at(at_s(1), [token] {});
  EXPECT_EQ(token.use_count(), 2);
  sim.cancel(id);
  EXPECT_EQ(token.use_count(), 1);
}

TEST_P(SimulationTest, CallbacksAreDestroyedAfterRunningAndWithTheSimulation) {
  auto ran = std::make_shared<int>(0);
  {
    Simulation local(GetParam());
    local.at(at_s(1), [ran] { ++*ran; });
    local.at(at_s(2), [ran] { ++*ran; });
    local.run_until(at_s(1));
    EXPECT_EQ(*ran, 1);
    EXPECT_EQ(ran.use_count(), 2) << "the callback that ran has been destroyed";
  }
  EXPECT_EQ(ran.use_count(), 1) << "the pending one died with the simulation";
}

TEST_P(SimulationTest, MoveOnlyAndLargeCapturesWork) {
  auto owned = std::make_unique<int>(41);
  sim.at(at_s(1), [this, p = std::move(owned)] { log.push_back(std::to_string(*p + 1)); });
  struct Big {
    char bytes[200];
  } big{};
  big.bytes[199] = 'z';
  sim.at(at_s(2), [this, big] { log.push_back(std::string(1, big.bytes[199])); });
  sim.run();
  EXPECT_EQ(log, (std::vector<std::string>{"42", "z"}));
}

TEST_P(SimulationTest, RunUntilIncludesEventsExactlyAtTheBound) {
  sim.at(at_s(10) - 1_us, note("before"));
  sim.at(at_s(10), [this] {
    log.push_back("at");
    sim.after(Duration::zero(), note("at, scheduled at the bound"));
  });
  sim.at(at_s(10) + 1_us, note("after"));
  sim.run_until(at_s(10));
  EXPECT_EQ(log, (std::vector<std::string>{"before", "at", "at, scheduled at the bound"}));
  EXPECT_EQ(sim.now(), at_s(10));
  EXPECT_EQ(sim.pending_count(), 1u);
  sim.run_until(at_s(10) + 1_us);
  EXPECT_EQ(log.back(), "after");
  EXPECT_EQ(sim.pending_count(), 0u);
}

TEST_P(SimulationTest, RunUntilAdvancesNowPastTheLastEvent) {
  sim.at(at_s(1), note("one"));
  sim.run_until(at_s(60));
  EXPECT_EQ(sim.now(), at_s(60));
  sim.run_until(at_s(60));  // same instant again: allowed, nothing to do
  EXPECT_EQ(sim.now(), at_s(60));
  EXPECT_THROW(sim.at(at_s(30), note("past")), std::logic_error) << "now really moved to 60 s";
  EXPECT_THROW(sim.run_until(at_s(59)), std::logic_error);
  EXPECT_EQ(sim.now(), at_s(60));
}

TEST_P(SimulationTest, StopEndsRunAfterTheCurrentEvent) {
  sim.at(at_s(1), note("a"));
  sim.at(at_s(2), [this] {
    log.push_back("b stops");
    sim.stop();
  });
  sim.at(at_s(2), note("c same instant"));
  sim.at(at_s(3), note("d"));
  sim.run();
  EXPECT_EQ(log, (std::vector<std::string>{"a", "b stops"}));
  EXPECT_EQ(sim.now(), at_s(2));
  EXPECT_EQ(sim.pending_count(), 2u);
  sim.run();  // a new run resumes where the last one stopped
  EXPECT_EQ(log, (std::vector<std::string>{"a", "b stops", "c same instant", "d"}));
}

TEST_P(SimulationTest, StopInsideRunUntilKeepsNowAtTheStoppingEvent) {
  sim.at(at_s(5), [this] { sim.stop(); });
  sim.at(at_s(6), note("not yet"));
  sim.run_until(at_s(100));
  EXPECT_EQ(sim.now(), at_s(5));
  EXPECT_TRUE(log.empty());
  sim.run_until(at_s(100));
  EXPECT_EQ(sim.now(), at_s(100));
  EXPECT_EQ(log, std::vector<std::string>{"not yet"});
}

TEST_P(SimulationTest, StopOutsideARunIsForgotten) {
  sim.at(at_s(1), note("runs"));
  sim.stop();
  sim.run();
  EXPECT_EQ(log, std::vector<std::string>{"runs"});
}

TEST_P(SimulationTest, SchedulingInThePastThrowsAndChangesNothing) {
  sim.at(at_s(10), [] {});
  sim.run();
  ASSERT_EQ(sim.now(), at_s(10));
  EXPECT_THROW(sim.at(at_s(10) - 1_us, note("x")), std::logic_error);
  EXPECT_THROW(sim.after(-1_us, note("x")), std::logic_error);
  EXPECT_EQ(sim.pending_count(), 0u);
  EXPECT_NO_THROW(sim.at(at_s(10), note("now is fine")));
  EXPECT_THROW(sim.after(Duration::max(), note("x")), std::overflow_error);
  EXPECT_EQ(sim.pending_count(), 1u);
  try {
    sim.at(at_s(9), note("x"));
    FAIL() << "expected std::logic_error";
  } catch (const std::logic_error& e) {
    EXPECT_NE(std::string(e.what()).find("before now (10s)"), std::string::npos) << e.what();
  }
}

TEST_P(SimulationTest, PriorityOutOfRangeThrows) {
  EXPECT_THROW(sim.at(at_s(1), note("x"), kMaxPriority + 1), std::out_of_range);
  EXPECT_EQ(sim.pending_count(), 0u);
}

TEST_P(SimulationTest, ACallbackExceptionPropagatesAndTheRunCanContinue) {
  sim.at(at_s(1), [] { throw std::runtime_error("boom"); });
  sim.at(at_s(2), note("after boom"));
  EXPECT_THROW(sim.run(), std::runtime_error);
  EXPECT_EQ(sim.now(), at_s(1));
  EXPECT_EQ(sim.events_processed(), 1u);
  sim.run();
  EXPECT_EQ(log, std::vector<std::string>{"after boom"});
}

TEST_P(SimulationTest, RunFromInsideACallbackIsRejected) {
  bool threw = false;
  sim.at(at_s(1), [&] {
    try {
      sim.run();
    } catch (const std::logic_error&) {
      threw = true;
    }
  });
  sim.run();
  EXPECT_TRUE(threw);
}

TEST_P(SimulationTest, TraceHookSeesEveryEventInOrderWithLabels) {
  struct Seen {
    std::int64_t us;
    std::uint64_t seq;
    std::string label;
  };
  std::vector<Seen> seen;
  sim.set_trace([&](Time t, EventId id, const char* label) {
    EXPECT_EQ(t, sim.now()) << "now() is already the event's time";
    seen.push_back({t.us(), id.seq(), label != nullptr ? label : "-"});
  });
  const EventId a = sim.at(at_s(2), [] {}, 0, "a");
  const EventId b = sim.at(at_s(1), [this] { sim.after(1_s, [] {}, 0, "child"); }, 0, "b");
  const EventId c = sim.at(at_s(3), [] {});
  const EventId cancelled = sim.at(at_s(2), [] {}, 0, "cancelled");
  sim.cancel(cancelled);
  sim.run();
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen[0].seq, b.seq());
  EXPECT_EQ(seen[0].label, "b");
  EXPECT_EQ(seen[1].seq, a.seq());
  EXPECT_EQ(seen[1].label, "a");
  EXPECT_EQ(seen[2].label, "child");
  EXPECT_EQ(seen[2].us, 2'000'000);
  EXPECT_EQ(seen[3].seq, c.seq());
  EXPECT_EQ(seen[3].label, "-");
  EXPECT_EQ(sim.events_processed(), 4u);

  sim.set_trace(nullptr);
  sim.at(sim.now(), [] {});
  sim.run();
  EXPECT_EQ(seen.size(), 4u) << "removed hook is not called";
}

// The hold model: every event schedules one successor, so the pending count stays constant.
struct Hold {
  Simulation* sim;
  std::uint64_t* state;
  void operator()() const {
    *state = *state * 6364136223846793005ull + 1442695040888963407ull;  // LCG: cheap, deterministic
    sim->after(Duration::micros(static_cast<std::int64_t>(*state >> 44)), Hold{sim, state});
  }
};

TEST_P(SimulationTest, SteadyStateSchedulingDoesNotAllocate) {
  std::uint64_t state = 1;
  for (int i = 0; i < 5000; ++i) sim.at(Time::from_micros(i * 7), Hold{&sim, &state});
  // Warm up: the slab, the queue's arrays and buckets reach their working size.
  sim.run_until(sim.now() + 30_s);
  const std::uint64_t processed_before = sim.events_processed();
  ASSERT_GT(processed_before, 20'000u);

  const std::uint64_t before = g_allocations.load();
  sim.run_until(sim.now() + 2_s);
  const std::uint64_t allocations = g_allocations.load() - before;
  const std::uint64_t events = sim.events_processed() - processed_before;
  ASSERT_GT(events, 1000u);
  EXPECT_EQ(sim.pending_count(), 5000u);
  EXPECT_EQ(allocations, 0u) << "over " << events << " events";
}

TEST(CallbackTest, SmallCapturesAreInlineAndDoNotAllocate) {
  int hits = 0;
  int* p = &hits;
  const std::uint64_t before = g_allocations.load();
  // Five 8-byte captures: exactly the 40 inline bytes.
  Callback small([p, a = 1.0, b = 2.0, c = 3.0, d = 9.0] { *p += static_cast<int>(a + b + c + d); });
  Callback moved = std::move(small);
  moved();
  EXPECT_EQ(g_allocations.load() - before, 0u);
  EXPECT_TRUE(moved.is_inline());
  EXPECT_FALSE(small);  // NOLINT(bugprone-use-after-move): moved-from is empty by contract
  EXPECT_EQ(hits, 15);
  static_assert(sizeof(Callback) == Callback::kInlineSize + sizeof(void*));
}

TEST(CallbackTest, LargeCapturesFallBackToOneAllocation) {
  struct Big {
    char bytes[64];
  } big{};
  big.bytes[63] = 9;
  int out = 0;
  const std::uint64_t before = g_allocations.load();
  Callback cb([&out, big] { out = big.bytes[63]; });
  EXPECT_EQ(g_allocations.load() - before, 1u);
  EXPECT_FALSE(cb.is_inline());
  Callback moved = std::move(cb);
  EXPECT_EQ(g_allocations.load() - before, 1u) << "moving a heap callback moves the pointer";
  moved();
  EXPECT_EQ(out, 9);
}

int g_function_calls = 0;
void count_call() { ++g_function_calls; }

TEST(CallbackTest, PlainFunctionsAndFunctionPointersWork) {
  Callback by_reference(count_call);
  Callback by_pointer(&count_call);
  by_reference();
  by_pointer();
  EXPECT_EQ(g_function_calls, 2);
  EXPECT_TRUE(by_reference.is_inline());
}

TEST(CallbackTest, NonTrivialInlineCallableIsMovedAndDestroyedOnce) {
  auto token = std::make_shared<int>(3);
  {
    Callback a([token] { ++*token; });
    EXPECT_TRUE(a.is_inline());
    EXPECT_EQ(token.use_count(), 2);
    Callback b = std::move(a);
    EXPECT_EQ(token.use_count(), 2) << "moved, not copied";
    Callback c;
    c = std::move(b);
    c();
    EXPECT_EQ(*token, 4);
    c.reset();
    EXPECT_EQ(token.use_count(), 1);
    EXPECT_FALSE(c);
  }
  EXPECT_EQ(token.use_count(), 1);
}

}  // namespace
