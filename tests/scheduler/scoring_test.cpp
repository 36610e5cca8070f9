// Scoring and host selection: LeastAllocated prefers the emptier node, preferred anti-affinity
// steers away from a matching pod, and ties are broken by the caller's function exactly as
// selectHost's reservoir sampling does.
#include <gtest/gtest.h>

#include <cstdio>

#include "models/scheduler/framework.hpp"
#include "tests/scheduler/conformance_table.hpp"

namespace azsim::scheduler::testing {
namespace {

TEST(Scoring, LeastAllocatedPicksTheEmptierNode) {
  World w;
  w.store.create(make_node("n1"));
  w.store.create(make_node("n2"));
  w.store.create(on_node(with_requests(make_pod("busy"), 2000, 2 * kGi), "n1"));
  Scheduler& s = w.start();
  w.store.create(with_requests(make_pod("p"), 500, 512 * kMi));
  ScheduleResult r = s.schedule_and_bind(w.now);
  ASSERT_EQ(r.outcome, ScheduleResult::Outcome::Scheduled);
  EXPECT_EQ(r.node, "n2");
  EXPECT_EQ(w.store.get<k8s::Pod>("default/p")->spec.node_name, "n2");
  ASSERT_FALSE(w.events.events().empty());
  EXPECT_EQ(w.events.events().back().reason, "Scheduled");
  EXPECT_EQ(w.events.events().back().message, "Successfully assigned default/p to n2");
}

TEST(Scoring, PreferredAntiAffinityAvoidsTheMatchingPod) {
  World w;
  w.store.create(make_node("n1"));
  w.store.create(make_node("n2"));
  // The web pod sits on n2, the otherwise emptier node, with no requests either way.
  w.store.create(on_node(make_pod("web0", {{"app", "web"}}), "n2"));
  w.store.create(on_node(with_requests(make_pod("filler"), 100, 0), "n1"));
  Scheduler& s = w.start();
  k8s::Pod p = make_pod("p", {{"app", "web"}});
  p.spec.affinity.pod_anti_affinity = k8s::PodAffinity{};
  p.spec.affinity.pod_anti_affinity->preferred.push_back({100, term({{"app", "web"}}, k8s::wellknown::kHostname)});
  w.store.create(p);
  ScheduleResult r = s.schedule_one(w.now);
  ASSERT_EQ(r.outcome, ScheduleResult::Outcome::Scheduled);
  EXPECT_EQ(r.node, "n1");
}

TEST(SelectHost, ReservoirSamplingUsesTheTieBreak) {
  std::vector<std::uint64_t> asked;
  auto record = [&](std::uint64_t answer) {
    return [&asked, answer](std::uint64_t n) {
      asked.push_back(n);
      return answer;
    };
  };
  const std::vector<std::int64_t> totals = {5, 9, 3, 9, 9};
  // Never replace: the first maximum (index 1) stays; asked for the 2nd and 3rd tie.
  EXPECT_EQ(select_host(totals, record(1)), 1u);
  EXPECT_EQ(asked, (std::vector<std::uint64_t>{2, 3}));
  asked.clear();
  // Always replace: the last maximum wins.
  EXPECT_EQ(select_host(totals, record(0)), 4u);
  EXPECT_EQ(asked, (std::vector<std::uint64_t>{2, 3}));
  // A unique maximum never consults the tie-break.
  asked.clear();
  EXPECT_EQ(select_host(std::vector<std::int64_t>{1, 7, 2}, record(0)), 1u);
  EXPECT_TRUE(asked.empty());
}

TEST(SelectHost, TieBreakDecidesBetweenIdenticalNodes) {
  for (std::uint64_t answer : {0u, 1u}) {
    World w;
    w.store.create(make_node("n1"));
    w.store.create(make_node("n2"));
    Scheduler& s = w.start({}, [answer](std::uint64_t) { return answer; });
    w.store.create(make_pod("p"));
    ScheduleResult r = s.schedule_one(w.now);
    ASSERT_EQ(r.outcome, ScheduleResult::Outcome::Scheduled);
    EXPECT_EQ(r.node, answer == 0 ? "n2" : "n1");
  }
}

TEST(NodesToFind, AdaptivePercentage) {
  EXPECT_EQ(num_feasible_nodes_to_find(0, 50), 50);      // under 100 nodes: all
  EXPECT_EQ(num_feasible_nodes_to_find(0, 100), 100);    // 49 % of 100 -> 49, raised to 100
  EXPECT_EQ(num_feasible_nodes_to_find(0, 1000), 420);   // 50 - 8 = 42 %
  EXPECT_EQ(num_feasible_nodes_to_find(0, 5000), 500);   // 50 - 40 = 10 %
  EXPECT_EQ(num_feasible_nodes_to_find(0, 6000), 300);   // max(5, 50 - 48) = 5 %
  EXPECT_EQ(num_feasible_nodes_to_find(30, 1000), 300);
  EXPECT_EQ(num_feasible_nodes_to_find(100, 1000), 1000);
}

TEST(NodesToFind, StartIndexRotates) {
  // 150 identical nodes: each cycle checks 100 (the minimum) from where the last one stopped.
  World w;
  for (int i = 0; i < 150; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "n%03d", i);
    w.store.create(make_node(name));
  }
  Scheduler& s = w.start();
  w.store.create(make_pod("a"));
  w.store.create(make_pod("b"));
  ScheduleResult a = s.schedule_one(w.now);
  EXPECT_EQ(a.evaluated_nodes, 100);
  EXPECT_EQ(a.feasible_nodes, 100);
  ScheduleResult b = s.schedule_one(w.now);
  EXPECT_EQ(b.evaluated_nodes, 100);
  // With keep-first tie-breaking each cycle picks the first (emptiest) node it checked: n000,
  // then n100 where the second cycle's window starts.
  EXPECT_EQ(a.node, "n000");
  EXPECT_EQ(b.node, "n100");
}

}  // namespace
}  // namespace azsim::scheduler::testing
