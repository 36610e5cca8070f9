#include "models/data/galera.hpp"

#include <gtest/gtest.h>

#include "tests/data/helpers.hpp"

namespace azsim::data {
namespace {

using namespace sim::literals;
sim::Time at(sim::Duration d) { return sim::Time::origin() + d; }

struct Galera {
  sim::Simulation sim;
  std::unique_ptr<ServiceModel> svc;
  GaleraService* g = nullptr;
  explicit Galera(std::size_t n, const std::string& quorum = "dynamic", std::vector<double> weights = {}) {
    ServiceConfig c;
    c.name = "galera";
    c.type = ServiceType::Galera;
    c.quorum = quorum;
    c.member_weights = std::move(weights);
    svc = make_service(c, testing::replicas_round_robin(n, {"a", "b", "c"}, "galera"), sim::RandomStream(2, 0, "g"), sim);
    g = dynamic_cast<GaleraService*>(svc.get());
    for (std::size_t i = 0; i < n; ++i) svc->replica_ready(i, true, sim.now());
  }
  void go(sim::Duration d) { sim.run_until(at(d)); }
  void set(std::size_t o, bool ready) { svc->replica_ready(o, ready, sim.now()); }
  bool available() const { return svc->rows_readable() == 100 && svc->rows_writable() == 100; }
};

TEST(Galera, ThreeMembersOneDownKeepsPrimaryTwoDownLoseIt) {
  Galera k(3);
  ASSERT_TRUE(k.g->primary());
  ASSERT_TRUE(k.available());
  k.go(10_min);
  k.set(0, false);
  // Until the member is evicted (suspect timeout) the group stalls writes; reads go on.
  EXPECT_EQ(k.svc->rows_readable(), 100);
  EXPECT_EQ(k.svc->rows_writable(), 0);
  k.go(10_min + 5_s);
  EXPECT_TRUE(k.g->primary());
  EXPECT_TRUE(k.available());
  EXPECT_EQ(k.g->primary_members(), (std::vector<std::size_t>{1, 2}));
  k.go(20_min);
  k.set(1, false);
  k.go(20_min + 5_s);
  EXPECT_FALSE(k.g->primary());  // 1 of the last primary component's 2: not a majority
  EXPECT_EQ(k.svc->rows_readable(), 0);
}

TEST(Galera, TwoOfThreeDownAtOnceLosePrimary) {
  Galera k(3);
  k.go(10_min);
  k.set(0, false);
  k.set(1, false);
  k.go(11_min);
  EXPECT_FALSE(k.g->primary());
  // Back together with a majority of the last primary component: primary again.
  k.set(0, true);
  EXPECT_TRUE(k.g->primary());
  EXPECT_TRUE(k.available());
}

TEST(Galera, FiveMembersTwoDownKeepThreeDownAtOnceLose) {
  Galera k(5);
  k.go(10_min);
  k.set(0, false);
  k.set(1, false);
  k.go(11_min);
  EXPECT_TRUE(k.g->primary());
  EXPECT_TRUE(k.available());
  k.set(0, true);
  k.set(1, true);
  ASSERT_TRUE(k.g->primary());
  k.go(20_min);
  k.set(0, false);
  k.set(1, false);
  k.set(2, false);
  k.go(21_min);
  EXPECT_FALSE(k.g->primary());
  EXPECT_FALSE(k.available());
}

TEST(Galera, FailuresWithinOneSuspectTimeoutCountAsSimultaneous) {
  Galera k(5);
  k.go(10_min);
  k.set(0, false);
  k.go(10_min + 2_s);
  k.set(1, false);
  k.go(10_min + 4_s);
  k.set(2, false);
  k.go(11_min);
  EXPECT_FALSE(k.g->primary());
}

TEST(Galera, SpacedFailuresShrinkTheQuorumBaseButStaticMajorityDoesNot) {
  for (const std::string quorum : {"dynamic", "static"}) {
    Galera k(5, quorum);
    for (std::size_t o = 0; o < 3; ++o) {
      k.go(10_min * static_cast<std::int64_t>(o + 1));
      k.set(o, false);
    }
    k.go(1_h);
    // dynamic: 4 of 5, 3 of 4, 2 of 3 are majorities; static: 2 of 5 is not.
    EXPECT_EQ(k.g->primary(), quorum == "dynamic") << quorum;
  }
}

TEST(Galera, MemberBackBeforeEvictionCausesNoViewChange) {
  Galera k(3);
  k.go(10_min);
  k.set(2, false);
  k.go(10_min + 3_s);
  k.set(2, true);
  EXPECT_FALSE(k.g->view_change_pending());
  EXPECT_TRUE(k.available());
  EXPECT_EQ(k.g->primary_members(), (std::vector<std::size_t>{0, 1, 2}));
  const auto r = k.svc->finish(at(0_s), at(1_h));
  ASSERT_EQ(r.levels[0].unavailable_windows.size(), 1u);
  EXPECT_EQ(r.levels[0].unavailable_windows[0].to - r.levels[0].unavailable_windows[0].from, 3_s);
}

TEST(Galera, PartitionedMinorityRefusesAndMajorityKeepsPrimary) {
  Galera k(3);  // one member per AZ a, b, c
  k.go(10_min);
  k.g->set_link("a", "b", false, k.sim.now());
  k.g->set_link("a", "c", false, k.sim.now());
  k.go(10_min + 5_s);
  EXPECT_TRUE(k.g->primary());
  EXPECT_EQ(k.g->primary_members(), (std::vector<std::size_t>{1, 2}));
  k.g->set_link("b", "c", false, k.sim.now());
  k.go(10_min + 10_s);
  EXPECT_FALSE(k.g->primary());  // three singletons
  k.g->set_link("b", "c", true, k.sim.now());
  EXPECT_TRUE(k.g->primary());
  k.g->set_link("a", "b", true, k.sim.now());
  EXPECT_EQ(k.g->primary_members(), (std::vector<std::size_t>{0, 1, 2}));
}

TEST(Galera, GracefulLeaveShrinksTheBaseSoTheNextCrashLosesQuorum) {
  Galera k(3);
  k.go(10_min);
  k.svc->replica_removed(2, k.sim.now());
  EXPECT_TRUE(k.g->primary());
  EXPECT_TRUE(k.svc->fully_redundant());
  k.go(20_min);
  k.set(1, false);
  k.go(21_min);
  EXPECT_FALSE(k.g->primary());  // 1 of 2
}

TEST(Galera, CleanLeaveOfAPodIsAViewChangeWithoutWriteGap) {
  Galera k(3);
  k.go(10_min);
  // kubectl delete pod db-0: SIGTERM, orderly shutdown, the member says goodbye.
  k.svc->replica_leaving(0, k.sim.now());
  EXPECT_TRUE(k.g->primary());
  EXPECT_FALSE(k.g->view_change_pending());
  EXPECT_EQ(k.g->primary_members(), (std::vector<std::size_t>{1, 2}));
  EXPECT_TRUE(k.available());
  EXPECT_FALSE(k.svc->fully_redundant());
  k.go(10_min + 20_s);
  k.set(0, true);  // the StatefulSet's new db-0 joins (IST: its volume is intact)
  EXPECT_EQ(k.g->primary_members(), (std::vector<std::size_t>{0, 1, 2}));
  EXPECT_TRUE(k.svc->fully_redundant());
  const auto r = k.svc->finish(at(0_s), at(11_min));
  EXPECT_TRUE(r.levels[0].unavailable_windows.empty());
  EXPECT_EQ(r.levels[0].write_availability, 1.0);
  ASSERT_EQ(r.redundancy.size(), 1u);
  EXPECT_EQ(*r.redundancy[0].restored, at(10_min + 20_s));
}

TEST(Galera, CleanLeavesOneByOneKeepThePrimaryToTheLastMemberThenItBootstrapsAgain) {
  Galera k(3);
  // Scale 3 -> 0: db-2, db-1, db-0 stop in order, each cleanly.
  k.go(20_min);
  k.svc->replica_leaving(2, k.sim.now());
  k.go(20_min + 30_s);
  k.svc->replica_leaving(1, k.sim.now());
  EXPECT_TRUE(k.g->primary());  // 1 of 1: the view shrank with each leave
  EXPECT_TRUE(k.available());
  k.go(21_min);
  k.svc->replica_leaving(0, k.sim.now());
  EXPECT_FALSE(k.g->primary());
  EXPECT_EQ(k.svc->rows_readable(), 0);
  // Scale 0 -> 3: db-0 starts first and bootstraps; the others join it.
  k.go(25_min);
  k.set(0, true);
  EXPECT_TRUE(k.g->primary());
  EXPECT_TRUE(k.available());
  k.set(1, true);
  k.set(2, true);
  EXPECT_EQ(k.g->primary_members(), (std::vector<std::size_t>{0, 1, 2}));
  const auto r = k.svc->finish(at(0_s), at(26_min));
  ASSERT_EQ(r.levels[0].unavailable_windows.size(), 1u);  // only while no member runs
  EXPECT_EQ(r.levels[0].unavailable_windows[0].from, at(21_min));
  EXPECT_EQ(r.levels[0].unavailable_windows[0].to, at(25_min));
  EXPECT_EQ(r.rows_lost, 0);
}

TEST(Galera, TwoOfThreeLeavingCleanlyAtOnceKeepPrimaryButLostAbruptlyDoNot) {
  Galera clean(3);
  clean.go(10_min);
  clean.svc->replica_leaving(0, clean.sim.now());
  clean.svc->replica_leaving(1, clean.sim.now());
  EXPECT_TRUE(clean.g->primary());
  EXPECT_TRUE(clean.available());
  Galera abrupt(3);
  abrupt.go(10_min);
  abrupt.set(0, false);
  abrupt.set(1, false);
  abrupt.go(11_min);
  EXPECT_FALSE(abrupt.g->primary());
  EXPECT_EQ(abrupt.svc->rows_readable(), 0);
}

TEST(Galera, AbruptLossOfAMinorityKeepsThePrimaryReadsNeverStop) {
  Galera k(3);
  k.go(10_min);
  k.set(2, false);  // node lost
  k.go(30_min);
  EXPECT_TRUE(k.g->primary());
  const auto r = k.svc->finish(at(0_s), at(30_min));
  EXPECT_EQ(r.levels[0].rows_readable_min, 100);
  // Writes wait only for the eviction (evs.suspect_timeout), never for a lost quorum.
  ASSERT_EQ(r.levels[0].unavailable_windows.size(), 1u);
  EXPECT_EQ(r.levels[0].unavailable_windows[0].to - r.levels[0].unavailable_windows[0].from, 5_s);
}

TEST(Galera, WeightsDecideTheMajority) {
  // Member 0 weighs 3, the others 1: it alone outweighs the two others (3 > 5/2).
  Galera k(3, "dynamic", {3.0, 1.0, 1.0});
  k.go(10_min);
  k.set(1, false);
  k.set(2, false);
  k.go(11_min);
  EXPECT_TRUE(k.g->primary());
}

TEST(Galera, LostVolumeNeedsStateTransferAndAllLostLosesRows) {
  Galera k(3);
  k.go(1_min);
  k.set(0, false);
  k.svc->volume_lost(0, k.sim.now());
  k.go(2_min);
  k.set(0, true);
  EXPECT_FALSE(k.svc->fully_redundant());
  k.sim.run_until(at(2_min) + stream_time(k.svc->config()));
  EXPECT_TRUE(k.svc->fully_redundant());
  EXPECT_EQ(k.svc->rows_lost(), 0);
  for (std::size_t o = 0; o < 3; ++o) k.svc->volume_lost(o, k.sim.now());
  EXPECT_EQ(k.svc->rows_lost(), 100);
  // Every member back and serving: the lost rows still have no replica, so redundancy stays
  // short of full.
  k.sim.run_until(k.sim.now() + 1_h);
  EXPECT_FALSE(k.svc->fully_redundant());
}

}  // namespace
}  // namespace azsim::data
