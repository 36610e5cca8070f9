// What the seed tutorials report about their data, asserted from the report of a full run of
// each shipped scenario (notes/seed-outcomes.md): rows readable at the tutorial's consistency
// level through the faults, and, for each check, a stricter reading or a variant in which the
// same assertion must fail, so that the pass means something.
#include <algorithm>

#include "models/data/cassandra.hpp"
#include "models/metrics/report.hpp"
#include "tests/seeds/replay.hpp"

namespace azsim::seeds::testing {
namespace {

/// The data report of `service` at `consistency` (a failure when missing).
const metrics::DataReport* level(const metrics::RunReport& rep, const std::string& service, const std::string& consistency) {
  for (const auto& d : rep.data)
    if (d.service == service && d.consistency == consistency) return &d;
  ADD_FAILURE() << "no data report for " << service << " at " << consistency;
  return nullptr;
}

/// Also report ALL (reads and writes) for the scenario's first data service.
void report_all_too(scenario::Scenario& s) {
  s.data.at(0).consistency.push_back({scenario::ConsistencyLevel::All, scenario::ConsistencyLevel::All});
}

/// The redundancy episode opened by `pod` at `fault` (since time 0).
const metrics::RedundancyReport* episode(const metrics::DataReport& d, const std::string& pod, sim::Duration fault) {
  for (const auto& e : d.redundancy)
    if (e.replica == pod && e.fault == fault) return &e;
  ADD_FAILURE() << "no redundancy episode of " << pod << " at " << sim::format_duration(fault);
  return nullptr;
}

// Seed 001: "The Read Query still returns 100 rows, quorum reads requires two of the three
// replicas to succeed" after one instance is terminated (10m), and "all data is still
// available ... the read query which still return 100 records" after both instances of
// eu-west-1a are (30m). NetworkTopologyStrategy {eu-west: 3} over racks = zones.
TEST(DataOutcomes, Seed001AllHundredRowsStayReadableAtQuorumThroughBothSteps) {
  auto s = load_shipped("seed-001-kops-cassandra");
  ASSERT_TRUE(s);
  report_all_too(*s);
  Replay r(*s);
  r.advance_to(s->duration);
  const metrics::RunReport rep = r.world().report();
  const auto* quorum = level(rep, "cassandra", "QUORUM");
  const auto* all = level(rep, "cassandra", "ALL");
  ASSERT_TRUE(quorum && all);
  EXPECT_EQ(quorum->rows, 100);
  EXPECT_EQ(quorum->rows_readable_min, 100);
  EXPECT_EQ(quorum->rows_writable_min, 100);
  EXPECT_EQ(quorum->read_availability, 1.0);
  EXPECT_EQ(quorum->write_availability, 1.0);
  EXPECT_TRUE(quorum->unavailable_windows.empty());
  EXPECT_EQ(quorum->rows_lost, 0);
  // The faults did reach the data: ALL, which needs every replica, failed from each fault
  // instant: in step 1 for the rows with a replica on cassandra-1 (each row's eu-west-1c replica
  // is cassandra-1 or cassandra-4), in step 2 for every row (each has one replica in eu-west-1a).
  const auto services = r.world().data_services();
  ASSERT_EQ(services.size(), 1u);
  const auto* ring = dynamic_cast<const data::CassandraService*>(services[0].model);
  ASSERT_NE(ring, nullptr);
  std::int64_t on_cassandra1 = 0;
  for (std::size_t g = 0; g < ring->groups().members.size(); ++g) {
    const auto& m = ring->groups().members[g];
    if (std::find(m.begin(), m.end(), 1u) != m.end()) on_cassandra1 += ring->groups().rows[g];
  }
  EXPECT_GT(on_cassandra1, 0);
  EXPECT_LT(on_cassandra1, 100);
  EXPECT_EQ(all->rows_readable_min, 0);
  EXPECT_LT(all->read_availability, 1.0);
  ASSERT_EQ(all->unavailable_windows.size(), 2u);
  EXPECT_EQ(all->unavailable_windows[0].from, 10_min);
  EXPECT_EQ(all->unavailable_windows[0].rows_unavailable, on_cassandra1);
  EXPECT_EQ(all->unavailable_windows[1].from, 30_min);
  EXPECT_EQ(all->unavailable_windows[1].rows_unavailable, 100);
  // Each lost replica opened a redundancy episode at its fault.
  EXPECT_TRUE(episode(*quorum, "cassandra-1", 10_min));
  EXPECT_TRUE(episode(*quorum, "cassandra-2", 30_min));
  EXPECT_TRUE(episode(*quorum, "cassandra-5", 30_min));
}

// Cassandra's time to full redundancy (FIDELITY B "hints cover a replica down <= 3 h"): the
// returning replica's volume is intact and it was down for minutes, so it is consistent once the
// others have replayed their hints (hint_replay, seconds), not after a rebuild. The episode may
// only last as long as the pod was not Ready (the cluster's part: node loss, PodGC, the volume's
// force detach, start) plus the replay.
TEST(DataOutcomes, Seed001RedundancyIsBackOnceTheReturningReplicaHasReplayedItsHints) {
  auto s = load_shipped("seed-001-kops-cassandra");
  ASSERT_TRUE(s);
  Replay r(*s);
  r.advance_to(s->duration);
  const metrics::RunReport rep = r.world().report();
  const auto* quorum = level(rep, "cassandra", "QUORUM");
  ASSERT_TRUE(quorum);
  const data::ServiceConfig defaults;
  const auto ready_again = [&](const std::string& pod, sim::Duration after) {
    const auto t = r.first("default/" + pod, PodCause::Ready, r.at(after + 1_s));
    EXPECT_TRUE(t) << pod;
    return t ? *t - r.t0() : sim::Duration::zero();
  };
  const auto* one = episode(*quorum, "cassandra-1", 10_min);
  ASSERT_TRUE(one && one->restored);
  const sim::Duration back1 = ready_again("cassandra-1", 10_min);
  EXPECT_EQ(*one->restored, back1 + defaults.hint_replay);
  // Not a rebuild: that would add ring_delay + streaming (> 1 min) after Ready.
  EXPECT_LT(*one->restored - back1, defaults.ring_delay);
  // Both 1a replicas down: redundancy is back when the later of the two has replayed.
  const sim::Duration back_zone = std::max(ready_again("cassandra-2", 30_min), ready_again("cassandra-5", 30_min));
  for (const char* pod : {"cassandra-2", "cassandra-5"}) {
    const auto* e = episode(*quorum, pod, 30_min);
    ASSERT_TRUE(e && e->restored) << pod;
    EXPECT_EQ(*e->restored, back_zone + defaults.hint_replay) << pod;
  }
}

// Seed 000: cordon the node of cassandra-0, delete the pod; with two nodes per zone it restarts
// in its zone; meanwhile "the data is still available" (2 rows, SimpleStrategy RF 3, QUORUM).
TEST(DataOutcomes, Seed000TheTwoRowsStayReadableAtQuorumDuringCordonAndDelete) {
  auto s = load_shipped("seed-000-eks-cassandra");
  ASSERT_TRUE(s);
  report_all_too(*s);
  Replay r(*s);
  r.advance_to(s->duration);
  const metrics::RunReport rep = r.world().report();
  const auto* quorum = level(rep, "cassandra", "QUORUM");
  const auto* all = level(rep, "cassandra", "ALL");
  ASSERT_TRUE(quorum && all);
  EXPECT_EQ(quorum->rows, 2);
  EXPECT_EQ(quorum->rows_readable_min, 2);
  EXPECT_EQ(quorum->read_availability, 1.0);
  EXPECT_TRUE(quorum->unavailable_windows.empty());
  EXPECT_EQ(quorum->rows_lost, 0);
  // cassandra-0 really was down (it holds a replica of both rows: RF 3 on 3 nodes): ALL failed.
  EXPECT_GT(r.not_ready("default/cassandra-0", r.at(10_min), r.at(s->duration)), sim::Duration::zero());
  EXPECT_EQ(all->rows_readable_min, 0);
  ASSERT_FALSE(all->unavailable_windows.empty());
  EXPECT_EQ(all->unavailable_windows[0].from, 10_min);
}

// Seed 003: mysql-1 fails its readiness probe for 5 minutes; "mysql-read ... not sending
// traffic to the failed container": reads go on through mysql-0, writes (mysql-0, the leader)
// too. The same fault on the leader stops writes, while reads go on through mysql-1.
TEST(DataOutcomes, Seed003ReadinessFailureOfTheFollowerKeepsReadsAndWrites) {
  auto s = load_shipped("seed-003-eks-mysql");
  ASSERT_TRUE(s);
  Replay r(*s);
  r.advance_to(19_min);
  const metrics::RunReport rep = r.world().report();
  const auto* d = level(rep, "mysql", "LEADER");
  ASSERT_TRUE(d);
  // mysql-1 was out of the read service from its third failed probe to the fix.
  EXPECT_GT(r.not_ready("mysql/mysql-1", r.at(10_min), r.at(16_min)), 4_min);
  // The service saw it: mysql-1's redundancy episode runs from its NotReady to its return.
  const auto down1 = r.first("mysql/mysql-1", PodCause::NotReady, r.at(10_min));
  ASSERT_TRUE(down1);
  const auto* e = episode(*d, "mysql-1", *down1 - r.t0());
  ASSERT_TRUE(e && e->restored);
  EXPECT_EQ(*e->restored, *r.first("mysql/mysql-1", PodCause::Ready, *down1) - r.t0());
  EXPECT_EQ(d->rows_readable_min, 1);
  EXPECT_EQ(d->rows_writable_min, 1);
  EXPECT_EQ(d->read_availability, 1.0);
  EXPECT_EQ(d->write_availability, 1.0);
  EXPECT_TRUE(d->unavailable_windows.empty());

  auto leader = load_shipped("seed-003-eks-mysql");
  ASSERT_TRUE(leader);
  ASSERT_EQ(leader->faults.at(0).action, scenario::FaultAction::ReadinessFailure);
  ASSERT_TRUE(leader->faults.at(0).pods);
  leader->faults.at(0).pods->name = "mysql-0";
  Replay l(*leader);
  l.advance_to(19_min);
  const metrics::RunReport lrep = l.world().report();
  const auto* ld = level(lrep, "mysql", "LEADER");
  ASSERT_TRUE(ld);
  EXPECT_EQ(ld->rows_readable_min, 1);
  EXPECT_EQ(ld->rows_writable_min, 0);
  ASSERT_EQ(ld->unavailable_windows.size(), 1u);
  // Writes are out exactly while mysql-0 is not Ready (the manifest has no failover).
  const auto down = l.first("mysql/mysql-0", PodCause::NotReady, l.at(10_min));
  ASSERT_TRUE(down);
  const auto up = l.first("mysql/mysql-0", PodCause::Ready, *down);
  ASSERT_TRUE(up);
  EXPECT_EQ(ld->unavailable_windows[0].from, *down - l.t0());
  EXPECT_EQ(ld->unavailable_windows[0].to, *up - l.t0());
}

/// [from, to) intervals since time 0, sorted and merged where they touch or overlap.
std::vector<std::pair<sim::Duration, sim::Duration>> merged(std::vector<std::pair<sim::Duration, sim::Duration>> v) {
  std::sort(v.begin(), v.end());
  std::vector<std::pair<sim::Duration, sim::Duration>> out;
  for (const auto& iv : v) {
    if (!out.empty() && iv.first <= out.back().second) {
      out.back().second = std::max(out.back().second, iv.second);
    } else {
      out.push_back(iv);
    }
  }
  return out;
}

// Seed 004: Jenkins is one pod; it is unavailable exactly while no Jenkins pod is Ready: the
// service's unavailable windows equal the union of the pods' not-Ready intervals of the pod
// report, to the microsecond (old pod lost with its node, new pod waiting for the replacement
// node and the volume). Several seeds: the replacement lands in us-east-2a or us-east-2b. Also
// the zone outage (the old pod stuck Terminating while the new one is Pending).
TEST(DataOutcomes, Seed004JenkinsIsUnavailableExactlyWhileItsPodIsNotReady) {
  for (const char* name : {"seed-004-jenkins-ebs", "seed-004-jenkins-ebs-zone-outage"}) {
    for (std::uint64_t seed : {1u, 2u, 3u, 4u}) {
      SCOPED_TRACE(std::string(name) + " seed " + std::to_string(seed));
      auto s = load_shipped(name);
      ASSERT_TRUE(s);
      run::RunOptions opts;
      opts.seed = seed;
      Replay r(*s, opts);
      r.advance_to(s->duration);
      const metrics::RunReport rep = r.world().report();
      const auto* d = level(rep, "jenkins", "INSTANCE");
      ASSERT_TRUE(d);
      std::vector<std::pair<sim::Duration, sim::Duration>> pods;
      for (const auto& p : rep.pods) {
        if (p.ns != "jenkins") continue;
        for (const auto& iv : p.intervals) pods.emplace_back(iv.from, iv.to);
      }
      std::vector<std::pair<sim::Duration, sim::Duration>> windows;
      for (const auto& w : d->unavailable_windows) windows.emplace_back(w.from, w.to);
      ASSERT_FALSE(windows.empty());
      EXPECT_EQ(windows.front().first, 10_min);  // the fault
      EXPECT_EQ(merged(pods), windows);
      EXPECT_EQ(d->rows_lost, 0);
    }
  }
}

// Seed 002 (Galera, 3 members): `kubectl delete pod db-0` stops mysqld with SIGTERM, a clean
// leave: the other two install a view without it at once and keep the Primary Component, so
// writes never stop; scale 3 -> 0 keeps the data available until db-0, the last, stops.
// The run reports a clean stop (ServiceModel::replica_leaving) for a pod deleted on a live node;
// an abrupt loss would stall writes for evs.suspect_timeout (5 s).
TEST(DataOutcomes, Seed002GaleraCleanLeavesCauseNoWriteGap) {
  auto s = load_shipped("seed-002-galera-ebs");
  ASSERT_TRUE(s);
  Replay r(*s);
  r.advance_to(s->duration);
  const metrics::RunReport rep = r.world().report();
  const auto* d = level(rep, "galera", "PRIMARY_COMPONENT");
  ASSERT_TRUE(d);
  ASSERT_GT(r.not_ready("default/db-0", r.at(10_min), r.at(20_min)), sim::Duration::zero());
  ASSERT_EQ(d->unavailable_windows.size(), 1u);
  // The only window: from db-0's stop (the last member) to its return after the scale-up.
  const auto last_stop = r.first("default/db-0", PodCause::NotReady, r.at(20_min));
  ASSERT_TRUE(last_stop);
  EXPECT_GT(d->unavailable_windows[0].from, 20_min);
  EXPECT_EQ(d->unavailable_windows[0].from, *last_stop - r.t0());
  const auto back = r.first("default/db-0", PodCause::Ready, r.at(25_min));
  ASSERT_TRUE(back);
  EXPECT_EQ(d->unavailable_windows[0].to, *back - r.t0());
  EXPECT_EQ(d->rows_lost, 0);
}

}  // namespace
}  // namespace azsim::seeds::testing
