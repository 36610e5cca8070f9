#include "models/data/single.hpp"

#include <gtest/gtest.h>

#include "models/data/service.hpp"

namespace azsim::data {
namespace {

using namespace sim::literals;
sim::Time at(sim::Duration d) { return sim::Time::origin() + d; }

std::unique_ptr<ServiceModel> jenkins(sim::Simulation& sim) {
  ServiceConfig c;
  c.name = "jenkins";
  c.type = ServiceType::Single;
  c.rows = 10;
  return make_service(c, {{"jenkins-0", "eu-west-1a", "eu-west"}}, sim::RandomStream(4, 0, "j"), sim);
}

TEST(Single, UnavailableExactlyWhileThePodIsNotReady) {
  sim::Simulation sim;
  auto s = jenkins(sim);
  s->replica_ready(0, true, at(0_s));
  sim.run_until(at(10_min));
  s->replica_ready(0, false, sim.now());
  sim.run_until(at(25_min));
  s->replica_ready(0, true, sim.now());
  const auto r = s->finish(at(0_s), at(1_h));
  ASSERT_EQ(r.levels.size(), 1u);
  EXPECT_DOUBLE_EQ(r.levels[0].read_availability, 45.0 / 60.0);
  EXPECT_DOUBLE_EQ(r.levels[0].write_availability, 45.0 / 60.0);
  ASSERT_EQ(r.levels[0].unavailable_windows.size(), 1u);
  EXPECT_EQ(r.levels[0].unavailable_windows[0].from, at(10_min));
  EXPECT_EQ(r.levels[0].unavailable_windows[0].to, at(25_min));
  EXPECT_EQ(r.levels[0].unavailable_windows[0].rows_unavailable, 10);
  EXPECT_EQ(r.levels[0].rows_readable_min, 0);
  EXPECT_EQ(r.rows_lost, 0);
  ASSERT_EQ(r.redundancy.size(), 1u);
  EXPECT_EQ(*r.redundancy[0].restored, at(25_min));
}

TEST(Single, LostVolumeLosesEveryRowForGood) {
  sim::Simulation sim;
  auto s = jenkins(sim);
  s->replica_ready(0, true, at(0_s));
  sim.run_until(at(10_min));
  s->replica_ready(0, false, sim.now());
  s->volume_lost(0, sim.now());
  sim.run_until(at(20_min));
  s->replica_ready(0, true, sim.now());
  EXPECT_EQ(s->rows_writable(), 10);  // a fresh, empty instance
  EXPECT_EQ(s->rows_readable(), 0);
  const auto r = s->finish(at(0_s), at(1_h));
  EXPECT_EQ(r.rows_lost, 10);
  EXPECT_DOUBLE_EQ(r.levels[0].read_availability, 10.0 / 60.0);
  EXPECT_DOUBLE_EQ(r.levels[0].write_availability, 50.0 / 60.0);
}

}  // namespace
}  // namespace azsim::data
