#include "models/data/recorder.hpp"

#include <gtest/gtest.h>

namespace azsim::data {
namespace {

using namespace sim::literals;
sim::Time at(sim::Duration d) { return sim::Time::origin() + d; }

Recorder make(std::int64_t rows = 100) { return Recorder({{"QUORUM", "QUORUM", "QUORUM"}}, rows, at(0_s)); }

TEST(Recorder, AvailabilityIsTheTimeAverageOfTheShareOfRows) {
  auto r = make();
  r.set(0, 100, 100, 100, at(0_s));
  r.set(0, 40, 100, 40, at(10_s));   // 60 rows unreadable for 20 s
  r.set(0, 100, 100, 100, at(30_s));
  r.set(0, 100, 0, 0, at(60_s));     // nothing writable for 40 s
  r.set(0, 100, 100, 100, at(100_s));
  const auto res = r.finish("s", ServiceType::Cassandra, at(0_s), at(200_s));
  const auto& l = res.levels[0];
  EXPECT_DOUBLE_EQ(l.read_availability, 1.0 - 0.6 * 20.0 / 200.0);
  EXPECT_DOUBLE_EQ(l.write_availability, 1.0 - 40.0 / 200.0);
  EXPECT_EQ(l.rows_readable_min, 40);
  EXPECT_EQ(l.rows_writable_min, 0);
  ASSERT_EQ(l.unavailable_windows.size(), 2u);
  EXPECT_EQ(l.unavailable_windows[0].from, at(10_s));
  EXPECT_EQ(l.unavailable_windows[0].to, at(30_s));
  EXPECT_EQ(l.unavailable_windows[0].rows_unavailable, 60);
  EXPECT_EQ(l.unavailable_windows[1].rows_unwritable, 100);
  EXPECT_EQ(l.unavailable_windows[1].rows_unreadable, 0);
}

TEST(Recorder, AdjacentUnavailableStatesMergeIntoOneWindowWithTheirMaximum) {
  auto r = make();
  r.set(0, 90, 90, 90, at(10_s));
  r.set(0, 50, 90, 50, at(20_s));
  r.set(0, 90, 90, 90, at(30_s));
  r.set(0, 100, 100, 100, at(40_s));
  const auto w = r.finish("s", ServiceType::Cassandra, at(0_s), at(100_s)).levels[0].unavailable_windows;
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].from, at(10_s));
  EXPECT_EQ(w[0].to, at(40_s));
  EXPECT_EQ(w[0].rows_unavailable, 50);
}

TEST(Recorder, StatesOfAnInstantDoNotCount) {
  // An AZ's replicas going down one after the other at the same microsecond, then all back
  // within that instant: no window, no minimum.
  auto r = make();
  r.set(0, 70, 70, 70, at(10_s));
  r.set(0, 0, 0, 0, at(10_s));
  r.set(0, 100, 100, 100, at(10_s));
  EXPECT_EQ(r.series(0).size(), 1u);
  const auto l = r.finish("s", ServiceType::Cassandra, at(0_s), at(100_s)).levels[0];
  EXPECT_TRUE(l.unavailable_windows.empty());
  EXPECT_EQ(l.rows_readable_min, 100);
}

TEST(Recorder, OnlyTheMeasuredIntervalCounts) {
  auto r = make();
  r.set(0, 0, 0, 0, at(0_s));         // setup: nothing ready
  r.set(0, 100, 100, 100, at(50_s));  // time 0 of the report
  r.set(0, 0, 100, 0, at(80_s));
  r.set(0, 100, 100, 100, at(90_s));
  const auto l = r.finish("s", ServiceType::Cassandra, at(50_s), at(150_s)).levels[0];
  EXPECT_DOUBLE_EQ(l.read_availability, 0.9);
  ASSERT_EQ(l.unavailable_windows.size(), 1u);
  EXPECT_EQ(l.unavailable_windows[0].from, at(80_s));
  // A window cut by the end of the run ends there.
  const auto cut = r.finish("s", ServiceType::Cassandra, at(50_s), at(85_s)).levels[0];
  ASSERT_EQ(cut.unavailable_windows.size(), 1u);
  EXPECT_EQ(cut.unavailable_windows[0].to, at(85_s));
  EXPECT_DOUBLE_EQ(cut.read_availability, 30.0 / 35.0);
  // An empty interval reports the instant's state.
  EXPECT_DOUBLE_EQ(r.finish("s", ServiceType::Cassandra, at(85_s), at(85_s)).levels[0].read_availability, 0.0);
}

TEST(Recorder, EpisodesCloseWhenRedundancyReturnsAndOpenOnesStayOpen) {
  auto r = make();
  r.fault(1, at(10_s));
  r.redundancy(false, at(10_s));
  r.fault(2, at(15_s));
  r.redundancy(true, at(40_s));
  r.fault(0, at(60_s));
  r.redundancy(false, at(60_s));
  const auto e = r.finish("s", ServiceType::Cassandra, at(0_s), at(100_s)).redundancy;
  ASSERT_EQ(e.size(), 3u);
  EXPECT_EQ(*e[0].restored, at(40_s));
  EXPECT_EQ(*e[1].restored, at(40_s));
  EXPECT_FALSE(e[2].restored.has_value());
  r.set(0, 50, 50, 50, at(50_s));
  EXPECT_THROW(r.set(0, 1, 1, 1, at(5_s)), std::logic_error);
}

TEST(Recorder, TimeBeforeTheFirstSampleCountsWithItsValue) {
  Recorder r({{"QUORUM", "QUORUM", "QUORUM"}}, 10, at(100_s));
  r.set(0, 5, 10, 5, at(100_s));
  r.set(0, 10, 10, 10, at(150_s));
  // [0, 150) at 5 of 10 rows readable, [150, 200) at 10.
  EXPECT_DOUBLE_EQ(r.finish("s", ServiceType::Single, at(0_s), at(200_s)).levels[0].read_availability,
                   (150.0 * 0.5 + 50.0) / 200.0);
}

TEST(ServiceType, RoundTripsTheScenarioNames) {
  for (auto t : {ServiceType::Cassandra, ServiceType::LeaderFollower, ServiceType::Galera, ServiceType::Single}) {
    EXPECT_EQ(parse_service_type(to_string(t)), t);
  }
  EXPECT_EQ(parse_service_type("leader-follower"), ServiceType::LeaderFollower);
  EXPECT_FALSE(parse_service_type("mysql").has_value());
}

}  // namespace
}  // namespace azsim::data
