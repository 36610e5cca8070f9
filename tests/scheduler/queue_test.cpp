// The scheduling queue: backoff doubling, the 5-minute flush, requeue on registered cluster
// events, and PrioritySort order.
#include <gtest/gtest.h>

#include "models/scheduler/queue.hpp"

namespace azsim::scheduler {
namespace {

using namespace azsim::sim::literals;
constexpr sim::Time T0 = sim::Time::origin();

TEST(SchedulingQueue, BackoffDoublesToTenSeconds) {
  SchedulingQueue q;
  const sim::Duration want[] = {1_s, 2_s, 4_s, 8_s, 10_s, 10_s};
  for (int attempt = 1; attempt <= 6; ++attempt) EXPECT_EQ(q.backoff_duration(attempt), want[attempt - 1]) << attempt;
}

TEST(SchedulingQueue, FailedPodsWaitTheirBackoff) {
  SchedulingQueue q;
  q.add("default/p", 0, T0);
  sim::Time now = T0;
  const sim::Duration want[] = {1_s, 2_s, 4_s, 8_s, 10_s, 10_s};
  for (int i = 0; i < 6; ++i) {
    auto p = q.pop(now);
    ASSERT_TRUE(p) << i;
    EXPECT_EQ(p->attempts, i + 1);
    q.add_backoff(*p, now);
    EXPECT_EQ(q.next_wakeup(), now + want[i]);
    EXPECT_FALSE(q.pop(now + want[i] - 1_ms)) << "still backing off";
    now = now + want[i];
  }
}

TEST(SchedulingQueue, UnschedulablePodsAreFlushedAfterFiveMinutes) {
  SchedulingQueue q;
  q.add("default/p", 0, T0);
  auto p = q.pop(T0);
  q.add_unschedulable(*p, mask_of(PluginId::NodeResourcesFit), T0);
  EXPECT_STREQ(q.location("default/p"), "unschedulable");
  EXPECT_EQ(q.next_wakeup(), T0 + 5_min);
  EXPECT_FALSE(q.pop(T0 + 5_min - 1_s));
  auto again = q.pop(T0 + 5_min);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->attempts, 2);
  EXPECT_EQ(q.next_wakeup(), sim::Time::infinity());
}

TEST(SchedulingQueue, NodeAddMovesPodsRejectedByNodePlugins) {
  SchedulingQueue q;
  q.add("default/p", 0, T0);
  q.add_unschedulable(*q.pop(T0), mask_of(PluginId::NodeResourcesFit), T0);
  // A PV event is not registered by NodeResourcesFit: the pod stays.
  q.on_event({EventResource::PersistentVolume, kAdd}, T0 + 10_s);
  EXPECT_STREQ(q.location("default/p"), "unschedulable");
  // A node added after the backoff (1 s) expired: straight to active.
  q.on_event({EventResource::Node, kAdd}, T0 + 20_s);
  EXPECT_STREQ(q.location("default/p"), "active");
}

TEST(SchedulingQueue, EventDuringBackoffGoesThroughBackoff) {
  SchedulingQueue q;
  q.add("default/p", 0, T0);
  q.add_unschedulable(*q.pop(T0), mask_of(PluginId::VolumeBinding), T0);
  q.on_event({EventResource::PersistentVolumeClaim, kUpdate}, T0 + 500_ms);
  EXPECT_STREQ(q.location("default/p"), "backoff");
  EXPECT_EQ(q.next_wakeup(), T0 + 1_s);
  EXPECT_FALSE(q.pop(T0 + 999_ms));
  EXPECT_TRUE(q.pop(T0 + 1_s));
}

TEST(SchedulingQueue, PriorityThenTimestamp) {
  SchedulingQueue q;
  q.add("default/low", 0, T0);
  q.add("default/high", 100, T0 + 2_s);
  q.add("default/low-later", 0, T0 + 1_s);
  EXPECT_EQ(q.pop(T0 + 3_s)->key, "default/high");
  EXPECT_EQ(q.pop(T0 + 3_s)->key, "default/low");
  EXPECT_EQ(q.pop(T0 + 3_s)->key, "default/low-later");
}

TEST(SchedulingQueue, PodWithoutRecordedRejectorsMovesOnAnyEvent) {
  SchedulingQueue q;
  q.add("default/p", 0, T0);
  q.add_unschedulable(*q.pop(T0), 0, T0);
  q.on_event({EventResource::StorageClass, kAdd}, T0 + 5_s);
  EXPECT_STREQ(q.location("default/p"), "active");
}

}  // namespace
}  // namespace azsim::scheduler
