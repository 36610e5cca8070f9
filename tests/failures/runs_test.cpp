// Stochastic faults in whole runs: reproducible from (seed, trial), different across trials,
// correlated across designs through per-entity streams, visible in the run's report, and the
// shipped what-if scenario survives a simulated year of them.
#include <set>

#include "tests/failures/helpers.hpp"

namespace azsim::failures::testing {
namespace {

Inline busy() {
  Inline in;
  in.nodes = 4;
  in.duration = "90d";
  in.failures =
      "    instance: {mtbf: 20d, mode: terminate}\n"
      "    zone: {rate: 4/y, duration: {lognormal: {median: 2h, p95: 10h}}}\n"
      "    volume: {afr: \"30%\"}\n"
      "    bursts: {share: \"50%\", size: 2}\n";
  in.volumes = "      - {id: vol-a1, zone: eu-west-1a, sizeGiB: 1}\n      - {id: vol-b1, zone: eu-west-1b, sizeGiB: 1}\n";
  return in;
}

std::vector<std::string> fault_events(const metrics::RunReport& rep) {
  std::vector<std::string> out;
  for (const auto& e : rep.events)
    if (e.reason == "Fault") out.push_back(sim::format_duration(e.t) + " " + e.message);
  return out;
}

TEST(Runs, SameSeedAndTrialGiveTheSameEventsAndAnotherTrialDoesNot) {
  auto s = load(busy());
  ASSERT_TRUE(s);
  run::RunOptions a;
  a.trial = 5;
  const auto r1 = run::run_scenario(*s, a);
  const auto r2 = run::run_scenario(*s, a);
  ASSERT_GT(fault_events(r1).size(), 5u);
  EXPECT_EQ(fault_events(r1), fault_events(r2));
  ASSERT_EQ(r1.events.size(), r2.events.size());
  for (std::size_t i = 0; i < r1.events.size(); ++i) {
    EXPECT_EQ(r1.events[i].t, r2.events[i].t);
    EXPECT_EQ(r1.events[i].message, r2.events[i].message);
  }
  run::RunOptions b = a;
  b.trial = 6;
  EXPECT_NE(fault_events(run::run_scenario(*s, b)), fault_events(r1));
  run::RunOptions c = a;
  c.seed = 2;
  EXPECT_NE(fault_events(run::run_scenario(*s, c)), fault_events(r1));
}

TEST(Runs, EveryStochasticFaultIsAnEventOfTheReport) {
  auto s = load(busy());
  ASSERT_TRUE(s);
  TrialRun r(*s);
  const auto rep = r.world->run();
  const auto& hist = r.history();
  ASSERT_GT(hist.size(), 5u);
  std::size_t stochastic = 0;
  for (const auto& e : rep.events)
    if (e.reason == "Fault" && e.message.rfind("stochastic ", 0) == 0) ++stochastic;
  EXPECT_EQ(stochastic, hist.size());  // terminate mode: nothing else is noted
  std::size_t next = 0;  // history and events are in the same order
  for (const auto& e : rep.events) {
    if (e.reason != "Fault" || next >= hist.size()) continue;
    const auto& f = hist[next++];
    EXPECT_EQ(e.t, f.at - r.t0);
    EXPECT_EQ(e.type, "Normal");
    EXPECT_NE(e.message.find(f.target), std::string::npos) << e.message;
  }
  // No failure at or after the end of the run.
  for (const auto& f : hist) EXPECT_LT(f.at, r.t0 + sim::Duration::days(90));
  // The warning of earlier versions is gone.
  for (const auto& w : rep.warnings) EXPECT_EQ(w.find("spec.failures"), std::string::npos) << w;
}

TEST(Runs, UntilBoundsTheProcesses) {
  auto s = load(busy());
  ASSERT_TRUE(s);
  run::RunOptions o;
  o.until = sim::Duration::days(10);
  TrialRun r(*s, o);
  r.world->run();
  const auto upto10 = r.history();
  r.world->advance_to(sim::Duration::days(90));
  EXPECT_EQ(r.history().size(), upto10.size());  // nothing scheduled beyond --until
}

TEST(Runs, DesignsOnTheSameTrialShareTheirEntitiesStreams) {
  // Common random numbers: a 4-node and a 6-node design see the same failures of the instances
  // they share (by id) and the same zone outages.
  Inline small;
  small.nodes = 4;
  small.duration = "1y";
  small.failures =
      "    instance: {mtbf: 20d, mode: unreachable, duration: 1m}\n"
      "    zone: {rate: 2/y, duration: 1h}\n";
  Inline large = small;
  large.nodes = 6;
  auto a = load(small), b = load(large);
  ASSERT_TRUE(a && b);
  TrialRun ra(*a), rb(*b);
  std::set<std::string> shared;  // the small design's instances at time 0: i-1 .. i-4 in both
  for (const auto* inst : ra.world->cluster().cloud().instances()) shared.insert(inst->id);
  ASSERT_EQ(shared.size(), 4u);
  ra.world->advance_to(sim::Duration::days(365));
  rb.world->advance_to(sim::Duration::days(365));
  // Time 0 differs with the number of nodes booting; compare times since time 0.
  // (Zone outages make the groups replace instances; replacements' ids differ between designs.)
  auto first_failures = [&shared](const TrialRun& r) {
    std::map<std::string, sim::Duration> out;
    for (const auto& f : r.of(Kind::Instance))
      if (shared.count(f.target)) out.emplace(f.target, f.at - r.t0);
    return out;
  };
  const auto fa = first_failures(ra), fb = first_failures(rb);
  ASSERT_GE(fa.size(), 3u);
  for (const auto& [id, at] : fa) {
    ASSERT_TRUE(fb.count(id)) << id;
    EXPECT_EQ(fb.at(id), at) << id;
  }
  auto outages = [](const TrialRun& r) {
    std::vector<std::pair<std::string, sim::Duration>> out;
    for (const auto& f : r.of(Kind::ZoneOutage)) out.emplace_back(f.target, f.at - r.t0);
    return out;
  };
  ASSERT_FALSE(outages(ra).empty());
  EXPECT_EQ(outages(ra), outages(rb));
}

TEST(Runs, WhatIf001PlaysAYearOfFailuresAndConvergesAgain) {
  auto s = load_shipped("whatif-001-kops-cassandra-failures");
  ASSERT_TRUE(s);
  run::RunOptions o;
  o.until = sim::Duration::days(365);  // azsim run --until 1y
  TrialRun r(*s, o);
  const auto rep = r.world->run();
  EXPECT_EQ(rep.duration, sim::Duration::days(365));
  // 9 instances with an MTBF of 1 y, 3 zones at 0.5 outages a year: ~10 instance failures and
  // ~1.5 outages expected; this seed plays at least some.
  EXPECT_GE(r.failures().count(Kind::Instance), 3u);
  std::size_t in_report = 0;
  for (const auto& e : rep.events)
    if (e.reason == "Fault" && e.message.rfind("stochastic ", 0) == 0) ++in_report;
  EXPECT_EQ(in_report, r.history().size());
  // Once the last outage is over the cluster converges again: every node Ready, every
  // Cassandra replica Ready.
  r.world->advance_to(sim::Duration::days(365 + 7));
  auto& cluster = r.world->cluster();
  EXPECT_TRUE(cluster.workloads_ready());
  int ready = 0;
  for (const auto* n : cluster.store().list<k8s::Node>())
    if (n->status.ready == k8s::ConditionStatus::True) ++ready;
  EXPECT_EQ(ready, 9);
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(cluster.cause("default/cassandra-" + std::to_string(i)), controllers::PodCause::Ready) << i;
}

}  // namespace
}  // namespace azsim::failures::testing
