#include "models/data/cassandra.hpp"

#include <algorithm>
#include <set>

#include <gtest/gtest.h>

#include "tests/data/helpers.hpp"

namespace azsim::data {
namespace {

using namespace sim::literals;
using testing::cassandra_config;
using testing::replicas_in;
using testing::replicas_round_robin;

sim::Time at(sim::Duration d) { return sim::Time::origin() + d; }

/// A Cassandra service on a Simulation, with helpers to move time and change replicas.
struct Cluster {
  sim::Simulation sim;
  std::unique_ptr<ServiceModel> svc;
  CassandraService* c = nullptr;

  Cluster(const ServiceConfig& cfg, std::vector<ReplicaInfo> replicas, std::uint64_t seed = 1) {
    svc = make_service(cfg, std::move(replicas), sim::RandomStream(seed, 0, "data/cassandra"), sim);
    c = dynamic_cast<CassandraService*>(svc.get());
  }
  Cluster(const ServiceConfig& cfg, std::vector<ReplicaInfo> replicas, const std::vector<std::vector<std::int64_t>>& tokens,
          std::vector<std::int64_t> keys) {
    auto s = std::make_unique<CassandraService>(cfg, std::move(replicas), tokens, std::move(keys), sim);
    c = s.get();
    svc = std::move(s);
  }
  void all_ready() {
    for (std::size_t i = 0; i < svc->replica_count(); ++i) svc->replica_ready(i, true, sim.now());
  }
  void go(sim::Duration d) { sim.run_until(at(d)); }
  void down(std::size_t o) { svc->replica_ready(o, false, sim.now()); }
  void up(std::size_t o) { svc->replica_ready(o, true, sim.now()); }
  std::int64_t readable(std::size_t level = 0) const { return svc->rows_readable(level); }
  std::int64_t writable(std::size_t level = 0) const { return svc->rows_writable(level); }
};

/// Index of a reported level by name.
std::size_t level(const ServiceModel& s, const std::string& name) {
  for (std::size_t i = 0; i < s.levels().size(); ++i) {
    if (s.levels()[i].consistency == name) return i;
  }
  ADD_FAILURE() << "no level " << name;
  return 0;
}

TEST(Cassandra, Rf3OverThreeAzsOneAzDownKeepsQuorumTwoLeaveOnlyOne) {
  auto cfg = cassandra_config(3);
  cfg.report_consistency = {"ONE", "ALL"};
  Cluster k(cfg, replicas_in({"1a", "1b", "1c"}));
  EXPECT_EQ(k.readable(), 0);  // nothing serves before the pods are ready
  k.all_ready();
  const std::size_t one = level(*k.svc, "ONE");
  const std::size_t all = level(*k.svc, "ALL");
  EXPECT_EQ(k.readable(), 100);
  EXPECT_EQ(k.writable(), 100);
  EXPECT_EQ(k.readable(all), 100);
  k.go(10_min);
  k.down(0);
  EXPECT_EQ(k.readable(), 100);
  EXPECT_EQ(k.writable(), 100);
  EXPECT_EQ(k.readable(all), 0);
  k.down(1);
  EXPECT_EQ(k.readable(), 0);
  EXPECT_EQ(k.writable(), 0);
  EXPECT_EQ(k.readable(one), 100);
  EXPECT_EQ(k.writable(one), 100);
}

TEST(Cassandra, Seed001SixReplicasTwoPerAzNtsRf3KeepsAllRowsAtQuorum) {
  Cluster k(cassandra_config(3), replicas_round_robin(6, {"1a", "1b", "1c"}));
  k.all_ready();
  ASSERT_EQ(k.readable(), 100);
  // One replica (cassandra-1) down.
  k.go(10_min);
  k.down(1);
  EXPECT_EQ(k.readable(), 100);
  EXPECT_EQ(k.writable(), 100);
  k.up(1);
  // Both replicas of AZ 1a (cassandra-0 and cassandra-3) down.
  k.go(20_min);
  k.down(0);
  k.down(3);
  EXPECT_EQ(k.readable(), 100);
  EXPECT_EQ(k.writable(), 100);
  const auto r = k.svc->finish(at(0_s), at(1_h));
  EXPECT_EQ(r.levels[0].rows_readable_min, 100);
  EXPECT_TRUE(r.levels[0].unavailable_windows.empty());
  EXPECT_DOUBLE_EQ(r.levels[0].read_availability, 1.0);
}

TEST(Cassandra, SimpleStrategyRf3OnSixNodesLosesQuorumWhenAnAzGoes) {
  // Hand-made ring: node i has token (i + 1) * 100, nodes 2 and 3 in AZ 1b. A key at 150 is
  // on nodes 1, 2, 3 (SimpleStrategy): losing 1b leaves it one replica, below QUORUM.
  const auto replicas = replicas_in({"1a", "1a", "1b", "1b", "1c", "1c"});
  std::vector<std::vector<std::int64_t>> tokens;
  for (std::int64_t i = 0; i < 6; ++i) tokens.push_back({(i + 1) * 100});
  {
    Cluster k(cassandra_config(3, true), replicas, tokens, {150, 350});
    k.all_ready();
    k.down(2);
    k.down(3);
    EXPECT_EQ(k.readable(), 1);  // the key at 350 is on 3, 4, 5: two left
    EXPECT_EQ(k.writable(), 1);
  }
  {
    // The same ring with NetworkTopologyStrategy: the key at 150 is on 1, 2, 4 instead.
    Cluster k(cassandra_config(3), replicas, tokens, {150, 350});
    k.all_ready();
    k.down(2);
    k.down(3);
    EXPECT_EQ(k.readable(), 2);
  }
}

TEST(Cassandra, SimpleStrategyWithVnodesSomeAzLossBreaksQuorumForTheRowsItHoldsTwice) {
  Cluster k(cassandra_config(3, true), replicas_round_robin(6, {"1a", "1b", "1c"}));
  const auto& topo = k.c->topology();
  const auto& groups = k.c->groups();
  std::int64_t worst = 0;
  for (std::int32_t rack = 0; rack < 3; ++rack) {
    // Rows whose replica set has at least two replicas in this AZ, from the placement alone.
    std::int64_t expected = 0;
    for (std::size_t g = 0; g < groups.members.size(); ++g) {
      int in_rack = 0;
      for (auto m : groups.members[g]) in_rack += topo.rack_of[m] == rack;
      if (in_rack >= 2) expected += groups.rows[g];
    }
    Cluster z(cassandra_config(3, true), replicas_round_robin(6, {"1a", "1b", "1c"}));
    z.all_ready();
    for (std::size_t o = 0; o < 6; ++o) {
      if (topo.rack_of[o] == rack) z.down(o);
    }
    EXPECT_EQ(100 - z.readable(), expected) << "rack " << rack;
    worst = std::max(worst, expected);
  }
  EXPECT_GT(worst, 0);
}

TEST(Cassandra, DetectionDelayDoesNotHideADeadReplica) {
  auto cfg = cassandra_config(3);
  cfg.report_consistency = {"ALL"};
  Cluster k(cfg, replicas_in({"1a", "1b", "1c"}));
  k.all_ready();
  k.go(1_min);
  k.down(2);
  // Requests at ALL need the dead replica: they time out before it is convicted and fail fast
  // after; either way none succeeds from the instant it died.
  EXPECT_EQ(k.readable(level(*k.svc, "ALL")), 0);
}

TEST(Cassandra, ReplicaBackWithinTheHintWindowIsConsistentAtOnce) {
  Cluster k(cassandra_config(3), replicas_in({"1a", "1b", "1c"}));
  k.all_ready();
  k.go(10_min);
  k.down(0);
  // Down for exactly detection + hint window: hints still cover it.
  k.go(10_min + 18_s + 3_h);
  k.up(0);
  EXPECT_EQ(k.c->data_state(0), CassandraService::DataState::kConsistent);
  k.down(1);
  EXPECT_EQ(k.readable(), 100);
}

TEST(Cassandra, IntactReplicaBackWithinTheHintWindowServesAtOnceAndIsRedundantAfterHintReplay) {
  auto cfg = cassandra_config(3);
  cfg.report_consistency = {"ALL"};
  ASSERT_EQ(cfg.hint_replay, 10_s);  // HintsService dispatch period
  Cluster k(cfg, replicas_in({"1a", "1b", "1c"}));
  k.all_ready();
  k.go(10_min);
  k.down(2);
  EXPECT_FALSE(k.svc->fully_redundant());
  // Back 8 minutes later (the seed 001 pod's downtime), volume intact: a normal member at once,
  // so even ALL works, but its ranges are fully redundant only after the hints are replayed,
  // in seconds, not after a stream of its data.
  k.go(18_min);
  k.up(2);
  EXPECT_TRUE(k.c->replaying_hints(2));
  EXPECT_EQ(k.readable(level(*k.svc, "ALL")), 100);
  EXPECT_EQ(k.writable(level(*k.svc, "ALL")), 100);
  EXPECT_FALSE(k.svc->fully_redundant());
  k.sim.run_until(at(18_min) + 10_s - 1_us);
  EXPECT_FALSE(k.svc->fully_redundant());
  k.sim.run_until(at(18_min) + 10_s);
  EXPECT_TRUE(k.svc->fully_redundant());
  EXPECT_FALSE(k.c->replaying_hints(2));
  // Down again during a replay: the replay stops and starts over when it is back.
  k.go(20_min);
  k.down(2);
  k.go(21_min);
  k.up(2);
  k.go(21_min + 5_s);
  k.down(2);
  k.go(22_min);
  k.up(2);
  k.go(23_min);
  const auto r = k.svc->finish(at(0_s), at(23_min));
  ASSERT_EQ(r.redundancy.size(), 3u);
  EXPECT_EQ(*r.redundancy[0].restored, at(18_min + 10_s));
  EXPECT_EQ(r.redundancy[1].fault, at(20_min));
  EXPECT_EQ(r.redundancy[2].fault, at(21_min + 5_s));  // a serving replica went down mid-replay
  EXPECT_EQ(*r.redundancy[1].restored, at(22_min + 10_s));
  EXPECT_EQ(*r.redundancy[2].restored, at(22_min + 10_s));
  // A first start is no outage: nothing to replay.
  Cluster fresh(cfg, replicas_in({"1a", "1b", "1c"}));
  fresh.all_ready();
  EXPECT_FALSE(fresh.c->replaying_hints(0));
  EXPECT_TRUE(fresh.svc->fully_redundant());
}

TEST(Cassandra, ReplicaBackAfterTheHintWindowServesReadsOnlyAfterRepair) {
  auto cfg = cassandra_config(3);
  Cluster k(cfg, replicas_in({"1a", "1b", "1c"}));
  k.all_ready();
  k.go(10_min);
  k.down(0);
  k.go(10_min + 18_s + 3_h + 1_s);
  k.up(0);
  EXPECT_EQ(k.c->data_state(0), CassandraService::DataState::kStale);
  EXPECT_FALSE(k.c->serves_reads(0));
  EXPECT_TRUE(k.c->serves_writes(0));
  const sim::Time back = k.sim.now();
  k.down(1);
  // Replicas 0 (stale) and 2 are up: QUORUM writes work, QUORUM reads do not.
  EXPECT_EQ(k.readable(), 0);
  EXPECT_EQ(k.writable(), 100);
  // Repair streams 1 GiB at 24 MiB/s = 42.666667 s.
  const sim::Duration repair = stream_time(cfg);
  EXPECT_EQ(repair, sim::Duration::micros(42'666'667));
  k.sim.run_until(back + repair - 1_us);
  EXPECT_EQ(k.readable(), 0);
  k.sim.run_until(back + repair);
  EXPECT_EQ(k.readable(), 100);
  EXPECT_EQ(k.c->data_state(0), CassandraService::DataState::kConsistent);
}

TEST(Cassandra, LostVolumeRebuildsBeforeServingAndCannotHelpWrites) {
  auto cfg = cassandra_config(3);
  Cluster k(cfg, replicas_in({"1a", "1b", "1c"}));
  k.all_ready();
  k.go(5_min);
  k.down(0);
  k.svc->volume_lost(0, k.sim.now());
  k.go(10_min);
  k.up(0);
  EXPECT_EQ(k.c->data_state(0), CassandraService::DataState::kEmpty);
  k.down(1);
  // The replacing node takes writes but blockFor grows by one: QUORUM needs 3 of {0, 2} plus
  // the pending node, impossible; reads cannot use it at all.
  EXPECT_EQ(k.writable(), 0);
  EXPECT_EQ(k.readable(), 0);
  const sim::Duration rebuild = cfg.ring_delay + stream_time(cfg);
  k.sim.run_until(at(10_min) + rebuild);
  EXPECT_EQ(k.c->data_state(0), CassandraService::DataState::kConsistent);
  EXPECT_EQ(k.readable(), 100);
  EXPECT_EQ(k.writable(), 100);
  EXPECT_EQ(k.svc->rows_lost(), 0);
}

TEST(Cassandra, RowsWhoseEveryReplicaLostItsVolumeAreLost) {
  Cluster k(cassandra_config(3), replicas_round_robin(6, {"1a", "1b", "1c"}));
  k.all_ready();
  // Replicas 0 and 3 share AZ 1a: NTS never puts a row on both, so nothing is lost.
  k.go(1_min);
  k.svc->volume_lost(0, k.sim.now());
  k.svc->volume_lost(3, k.sim.now());
  EXPECT_EQ(k.svc->rows_lost(), 0);
  // Now 1 (1b) and 2 (1c) too: exactly the rows all of whose replicas are in {0, 1, 2, 3}
  // are gone, i.e. those on {0, 1, 2} or {1, 2, 3}.
  std::int64_t expected = 0;
  const auto& groups = k.c->groups();
  for (std::size_t g = 0; g < groups.members.size(); ++g) {
    const auto& m = groups.members[g];
    if (std::all_of(m.begin(), m.end(), [](std::uint32_t r) { return r <= 3; })) expected += groups.rows[g];
  }
  EXPECT_GT(expected, 0);
  k.svc->volume_lost(1, k.sim.now());
  k.svc->volume_lost(2, k.sim.now());
  EXPECT_EQ(k.svc->rows_lost(), expected);
  EXPECT_LE(k.readable(level(*k.svc, "QUORUM")), 100 - expected);
}

TEST(Cassandra, AllReplicasOfAllRowsLostMeansEveryRowLostForGood) {
  auto cfg = cassandra_config(3);
  Cluster k(cfg, replicas_in({"1a", "1b", "1c"}));
  k.all_ready();
  k.go(1_min);
  for (std::size_t o = 0; o < 3; ++o) {
    k.down(o);
    k.svc->volume_lost(o, k.sim.now());
  }
  EXPECT_EQ(k.svc->rows_lost(), 100);
  k.go(2_min);
  for (std::size_t o = 0; o < 3; ++o) k.up(o);
  k.sim.run_until(at(2_min) + cfg.ring_delay + stream_time(cfg));
  // The nodes serve again (writes work) but the old rows are gone.
  EXPECT_EQ(k.writable(), 100);
  EXPECT_EQ(k.readable(), 0);
  // Lost rows never have their replicas again: full redundancy does not come back.
  EXPECT_FALSE(k.svc->fully_redundant());
  const auto r = k.svc->finish(at(0_s), at(1_h));
  EXPECT_EQ(r.rows_lost, 100);
  ASSERT_FALSE(r.redundancy.empty());
  for (const auto& e : r.redundancy) EXPECT_FALSE(e.restored.has_value()) << "replica " << e.replica;
}

TEST(Cassandra, TimeToFullRedundancyRunsFromTheFaultToTheLastConsistentReplica) {
  auto cfg = cassandra_config(3);
  Cluster k(cfg, replicas_in({"1a", "1b", "1c"}));
  k.all_ready();
  k.go(10_min);
  k.down(0);
  k.go(20_min);
  k.up(0);  // within the hint window: redundancy is back once the hints are replayed
  k.go(30_min);
  k.down(1);
  k.go(30_min + 4_h);
  k.up(1);  // beyond it: back after the repair
  k.go(6_h);
  const auto r = k.svc->finish(at(0_s), at(6_h));
  ASSERT_EQ(r.redundancy.size(), 2u);
  EXPECT_EQ(r.redundancy[0].fault, at(10_min));
  EXPECT_EQ(*r.redundancy[0].restored, at(20_min) + cfg.hint_replay);
  EXPECT_EQ(r.redundancy[1].replica, 1u);
  EXPECT_EQ(*r.redundancy[1].restored, at(30_min + 4_h) + stream_time(cfg));
}

TEST(Cassandra, ScaleUpBootstrapsThenTakesOverRanges) {
  auto cfg = cassandra_config(3);
  Cluster k(cfg, replicas_in({"1a", "1b", "1c"}));
  k.all_ready();
  ASSERT_EQ(k.c->groups().members.size(), 1u);  // three nodes, RF 3: every row on all
  k.go(1_min);
  k.svc->replica_added({"cassandra-3", "1a", "eu-west"}, k.sim.now());
  k.svc->replica_ready(3, true, k.sim.now());
  EXPECT_EQ(k.c->ring().nodes().size(), 3u);  // still bootstrapping
  k.sim.run_until(at(1_min) + cfg.ring_delay + stream_time(cfg));
  EXPECT_EQ(k.c->ring().nodes().size(), 4u);
  EXPECT_GT(k.c->groups().members.size(), 1u);
  EXPECT_EQ(k.readable(), 100);
  // Every row still has a replica in each AZ.
  for (const auto& members : k.c->groups().members) {
    std::set<std::int32_t> racks;
    for (auto m : members) racks.insert(k.c->topology().rack_of[m]);
    EXPECT_EQ(racks.size(), 3u);
  }
}

TEST(Cassandra, StartupDelayIsTheGossipSettle) {
  Cluster k(cassandra_config(3), replicas_in({"1a", "1b", "1c"}));
  EXPECT_EQ(k.svc->startup_delay(0), 5_s);
  EXPECT_THROW(k.svc->replica_ready(7, true, k.sim.now()), std::out_of_range);
}

TEST(Cassandra, SameSeedSamePlacementAndDifferentSeedDifferent) {
  Cluster a(cassandra_config(3), replicas_round_robin(6, {"1a", "1b", "1c"}), 5);
  Cluster b(cassandra_config(3), replicas_round_robin(6, {"1a", "1b", "1c"}), 5);
  Cluster c(cassandra_config(3), replicas_round_robin(6, {"1a", "1b", "1c"}), 6);
  EXPECT_EQ(a.c->groups().members, b.c->groups().members);
  EXPECT_EQ(a.c->groups().rows, b.c->groups().rows);
  EXPECT_NE(a.c->groups().rows, c.c->groups().rows);
}

TEST(Cassandra, RejectsBadConfiguration) {
  sim::Simulation sim;
  auto cfg = cassandra_config(3);
  cfg.read_consistency = "QUARUM";
  EXPECT_THROW(make_service(cfg, replicas_in({"1a"}), sim::RandomStream(1, 0, "x"), sim), std::invalid_argument);
  cfg = cassandra_config(3);
  cfg.replication = {{"eu-west-1", 3}};  // the standard region name, not Ec2Snitch's legacy DC
  const auto errors = validate_config(cfg, replicas_in({"1a", "1b", "1c"}));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("eu-west-1"), std::string::npos);
}

}  // namespace
}  // namespace azsim::data
