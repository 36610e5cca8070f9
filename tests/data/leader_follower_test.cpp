#include "models/data/leader_follower.hpp"

#include <gtest/gtest.h>

#include "tests/data/helpers.hpp"

namespace azsim::data {
namespace {

using namespace sim::literals;
sim::Time at(sim::Duration d) { return sim::Time::origin() + d; }

ServiceConfig mysql_config(std::int64_t rows = 100) {
  ServiceConfig c;
  c.name = "mysql";
  c.type = ServiceType::LeaderFollower;
  c.rows = rows;
  return c;
}

struct Mysql {
  sim::Simulation sim;
  std::unique_ptr<ServiceModel> svc;
  LeaderFollowerService* lf = nullptr;
  explicit Mysql(const ServiceConfig& cfg, std::size_t n = 3) {
    svc = make_service(cfg, testing::replicas_round_robin(n, {"a", "b", "c"}, "mysql"), sim::RandomStream(3, 0, "data/mysql"),
                       sim);
    lf = dynamic_cast<LeaderFollowerService*>(svc.get());
    for (std::size_t i = 0; i < n; ++i) svc->replica_ready(i, true, sim.now());
  }
  void go(sim::Duration d) { sim.run_until(at(d)); }
  void set(std::size_t o, bool ready) { svc->replica_ready(o, ready, sim.now()); }
};

TEST(LeaderFollower, FollowerReadinessFailureKeepsReadsAndWrites) {
  Mysql m(mysql_config());
  m.go(10_min);
  m.set(2, false);
  EXPECT_EQ(m.svc->rows_readable(), 100);
  EXPECT_EQ(m.svc->rows_writable(), 100);
  m.go(11_min);
  m.set(2, true);
  const auto r = m.svc->finish(at(0_s), at(1_h));
  EXPECT_TRUE(r.levels[0].unavailable_windows.empty());
  EXPECT_EQ(r.failovers, 0);
  ASSERT_EQ(r.redundancy.size(), 1u);
  EXPECT_EQ(*r.redundancy[0].restored, at(11_min));
}

TEST(LeaderFollower, LeaderLossStopsWritesForDetectionPlusPromotionAndLosesAsyncLag) {
  auto cfg = mysql_config();
  cfg.async_lag_rows = 3;
  Mysql m(cfg);
  m.go(10_min);
  m.set(0, false);
  EXPECT_EQ(m.svc->rows_readable(), 100);  // followers still serve reads
  EXPECT_EQ(m.svc->rows_writable(), 0);
  EXPECT_EQ(m.lf->mode(), LeaderFollowerService::Mode::kFailingOver);
  const sim::Duration failover = cfg.failover_detection + cfg.failover_promotion;
  m.sim.run_until(at(10_min) + failover - 1_us);
  EXPECT_EQ(m.svc->rows_writable(), 0);
  m.sim.run_until(at(10_min) + failover);
  EXPECT_EQ(m.svc->rows_writable(), 100);
  EXPECT_EQ(m.lf->leader(), 1u);  // the lowest serving follower
  m.go(1_h);
  const auto r = m.svc->finish(at(0_s), at(1_h));
  EXPECT_EQ(r.failovers, 1);
  EXPECT_DOUBLE_EQ(r.commits_lost, 3.0);
  EXPECT_EQ(r.rows_lost, 3);
  ASSERT_EQ(r.levels[0].unavailable_windows.size(), 1u);
  const auto& w = r.levels[0].unavailable_windows[0];
  EXPECT_EQ(w.from, at(10_min));
  EXPECT_EQ(w.to, at(10_min) + failover);
  EXPECT_EQ(w.rows_unwritable, 100);
  EXPECT_EQ(w.rows_unreadable, 0);
  // 15 s of 3600 s without writes.
  EXPECT_DOUBLE_EQ(r.levels[0].write_availability, 1.0 - 15.0 / 3600.0);
  EXPECT_DOUBLE_EQ(r.levels[0].read_availability, 1.0);
}

TEST(LeaderFollower, OldLeaderReturningAsFollowerIsReclonedAfterALossyFailover) {
  auto cfg = mysql_config();
  cfg.async_lag_rows = 1;
  Mysql m(cfg);
  m.go(10_min);
  m.set(0, false);
  m.go(20_min);
  m.set(0, true);
  EXPECT_FALSE(m.lf->serving(0));
  m.sim.run_until(at(20_min) + stream_time(cfg));
  EXPECT_TRUE(m.lf->serving(0));
  EXPECT_EQ(m.lf->leader(), 1u);
}

TEST(LeaderFollower, SemiSyncLosesNothingUnlessItFellBackToAsync) {
  auto cfg = mysql_config();
  cfg.async_lag_rows = 5;
  cfg.semi_sync = true;
  {
    Mysql m(cfg);
    m.go(10_min);
    m.set(0, false);
    m.go(11_min);
    EXPECT_EQ(m.svc->finish(at(0_s), at(11_min)).commits_lost, 0.0);
    EXPECT_EQ(m.lf->leader(), 1u);
  }
  {
    // Both followers gone for 10 s (semi_sync_timeout): the leader went asynchronous.
    Mysql m(cfg);
    m.go(10_min);
    m.set(1, false);
    m.set(2, false);
    m.go(10_min + 10_s);
    m.set(1, true);  // back, but the leader dies at the same instant it would have caught up
    m.set(0, false);
    m.go(11_min);
    // Follower 1 reconnected before the leader died: semi-sync resumed, nothing lost.
    EXPECT_EQ(m.svc->finish(at(0_s), at(11_min)).commits_lost, 0.0);
  }
  {
    Mysql m(cfg);
    m.go(10_min);
    m.set(1, false);
    m.set(2, false);
    m.go(10_min + 10_s);
    m.set(0, false);  // alone for exactly the timeout: fell back to async
    m.go(10_min + 26_s);
    // The failover found no serving follower (at 10m25s): leaderless.
    EXPECT_EQ(m.lf->mode(), LeaderFollowerService::Mode::kLeaderless);
    m.go(10_min + 30_s);
    m.set(2, true);   // the first replica back becomes the leader at once
    EXPECT_EQ(m.lf->leader(), 2u);
    EXPECT_EQ(m.svc->rows_writable(), 100);
    EXPECT_EQ(m.svc->finish(at(0_s), at(11_min)).commits_lost, 5.0);
  }
}

TEST(LeaderFollower, LeaderBackBeforePromotionStaysLeader) {
  auto cfg = mysql_config();
  cfg.async_lag_rows = 2;
  Mysql m(cfg);
  m.go(10_min);
  m.set(0, false);
  m.go(10_min + 5_s);
  m.set(0, true);
  EXPECT_EQ(m.svc->rows_writable(), 100);
  m.go(1_h);
  const auto r = m.svc->finish(at(0_s), at(1_h));
  EXPECT_EQ(r.failovers, 0);
  EXPECT_EQ(r.commits_lost, 0.0);
  EXPECT_EQ(m.lf->leader(), 0u);
}

TEST(LeaderFollower, WithoutAutomaticFailoverWritesWaitForTheLeader) {
  auto cfg = mysql_config();
  cfg.auto_failover = false;
  Mysql m(cfg);
  m.go(10_min);
  m.set(0, false);
  m.go(40_min);
  EXPECT_EQ(m.svc->rows_writable(), 0);
  EXPECT_EQ(m.svc->rows_readable(), 100);
  m.set(0, true);
  EXPECT_EQ(m.svc->rows_writable(), 100);
  EXPECT_DOUBLE_EQ(m.svc->finish(at(0_s), at(1_h)).levels[0].write_availability, 1.0 - 30.0 / 60.0);
}

TEST(LeaderFollower, ReadsNeedAnyReplicaAndLostVolumesCloneBeforeServing) {
  auto cfg = mysql_config();
  Mysql m(cfg, 2);
  m.go(1_min);
  m.set(1, false);
  m.svc->volume_lost(1, m.sim.now());
  m.set(0, false);
  EXPECT_EQ(m.svc->rows_readable(), 0);
  m.go(2_min);
  m.set(1, true);  // cloning: not serving yet
  EXPECT_EQ(m.svc->rows_readable(), 0);
  m.sim.run_until(at(2_min) + stream_time(cfg));
  EXPECT_EQ(m.svc->rows_readable(), 100);
  EXPECT_EQ(m.svc->rows_lost(), 0);
  // Now both volumes gone: nothing left to clone from.
  m.svc->volume_lost(0, m.sim.now());
  m.svc->volume_lost(1, m.sim.now());
  EXPECT_EQ(m.svc->rows_lost(), 100);
}

TEST(LeaderFollower, FailoverTimeCanBeADistribution) {
  auto cfg = mysql_config();
  cfg.failover_time = sim::Exponential::with_mean(30.0);
  Mysql m(cfg);
  m.go(10_min);
  m.set(0, false);
  m.go(1_h);
  EXPECT_EQ(m.lf->leader(), 1u);
  const auto w = m.svc->finish(at(0_s), at(1_h)).levels[0].unavailable_windows;
  ASSERT_EQ(w.size(), 1u);
  // The draw is reproducible: the same stream gives the same delay.
  sim::RandomStream rs = sim::RandomStream(3, 0, "data/mysql").child("failover");
  EXPECT_EQ(w[0].to - w[0].from, sim::sample_duration(*cfg.failover_time, rs));
}

}  // namespace
}  // namespace azsim::data
