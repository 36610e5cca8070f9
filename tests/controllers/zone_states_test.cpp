// The node lifecycle controller's zone states (FIDELITY A "node-eviction-rate",
// "secondary-node-eviction-rate", "unhealthy-zone-threshold", "large-cluster-size-threshold"):
// NoExecute taints, hence evictions, stop in a partially disrupted zone of a small cluster and
// everywhere when every zone is down, and are spaced by the per-zone rate otherwise.
#include "tests/controllers/world.hpp"

namespace azsim::controllers::testing {
namespace {

using k8s::TaintEffect;
namespace wk = k8s::wellknown;

sim::Time noexec_added(const World& w, const std::string& node) {
  for (const auto& t : w.cluster.store().get<k8s::Node>(node)->spec.taints)
    if (t.key == wk::kTaintUnreachable && t.effect == TaintEffect::NoExecute && t.time_added) return *t.time_added;
  return sim::Time::infinity();
}

TEST(ZoneStates, PartialDisruptionOfASmallClusterStopsEvictionsUntilTheZoneRecovers) {
  World w;
  w.group("a", 4, {"eu-west-1a"});
  w.group("b", 2, {"eu-west-1b"});
  w.cluster.apply(deployment("web", 6));
  const sim::Time t0 = w.settle();
  const auto zone_a = w.nodes_in("eu-west-1a");
  ASSERT_EQ(zone_a.size(), 4u);
  // Two of four not Ready: still Normal (not more than 2), both get their NoExecute taint.
  w.cluster.kubelet_down(zone_a[0], std::nullopt);
  w.cluster.kubelet_down(zone_a[1], std::nullopt);
  w.sim.run_until(t0 + 10_min);
  EXPECT_TRUE(w.has_taint(zone_a[0], wk::kTaintUnreachable, TaintEffect::NoExecute));
  EXPECT_TRUE(w.has_taint(zone_a[1], wk::kTaintUnreachable, TaintEffect::NoExecute));
  // A third: 3 of 4, more than 2 and at least 55 %: PartialDisruption. The zone has 4 nodes, not
  // more than 50, so its rate drops to 0: the third node is never tainted, its pods never evicted.
  w.cluster.kubelet_down(zone_a[2], std::nullopt);
  w.sim.run_until(t0 + 1_h);
  EXPECT_EQ(w.cluster.store().get<k8s::Node>(zone_a[2])->status.ready, k8s::ConditionStatus::Unknown);
  EXPECT_TRUE(w.has_taint(zone_a[2], wk::kTaintUnreachable, TaintEffect::NoSchedule));
  EXPECT_FALSE(w.has_taint(zone_a[2], wk::kTaintUnreachable, TaintEffect::NoExecute));
  const auto stuck = w.pods_on(zone_a[2]);
  ASSERT_FALSE(stuck.empty());
  for (const auto& p : stuck) EXPECT_EQ(w.cluster.cause(p), PodCause::EvictionWait) << p;
  for (const auto& e : w.events("TaintManagerEviction"))
    for (const auto& p : stuck) EXPECT_NE(e.object, "pod/" + p.substr(p.find('/') + 1));

  // One node back: 2 of 4 not Ready is Normal again; the third is tainted at the monitor's next
  // pass and its pods are marked for deletion 300 s later.
  w.cluster.kubelet_up(zone_a[0]);
  w.sim.run_until(t0 + 2_h);
  const sim::Time tainted = noexec_added(w, zone_a[2]);
  EXPECT_GT(tainted, t0 + 1_h);
  EXPECT_LE(tainted, t0 + 1_h + 5_s);  // node-monitor-period
  for (const auto& p : stuck) {
    bool evicted = false;
    for (const auto& e : w.events("TaintManagerEviction"))
      if (e.object == "pod/" + p.substr(p.find('/') + 1)) evicted = e.time == tainted + 300_s;
    EXPECT_TRUE(evicted) << p;
  }
}

TEST(ZoneStates, EveryZoneDownEvictsNothingThenFullyDisruptedZonesEvictAtThePrimaryRate) {
  World w;
  w.group("a", 2, {"eu-west-1a"});
  w.group("b", 2, {"eu-west-1b"});
  w.cluster.apply(deployment("web", 4));
  const sim::Time t0 = w.settle();
  std::vector<std::string> all;
  for (const auto* n : w.cluster.store().list<k8s::Node>()) all.push_back(n->meta.name);
  for (const auto& n : all) w.cluster.kubelet_down(n, std::nullopt);
  w.sim.run_until(t0 + 1_h);
  // "Master disruption mode": the controller blames its own connectivity.
  for (const auto& n : all) {
    EXPECT_EQ(w.cluster.store().get<k8s::Node>(n)->status.ready, k8s::ConditionStatus::Unknown) << n;
    EXPECT_FALSE(w.has_taint(n, wk::kTaintUnreachable, TaintEffect::NoExecute)) << n;
  }
  EXPECT_TRUE(w.events("TaintManagerEviction").empty());

  // One node of eu-west-1a back: that zone is Normal, eu-west-1b is fully disrupted, which keeps
  // the primary rate: both of its nodes are tainted, 10 s apart; so is the other node of 1a.
  const auto zone_a = w.nodes_in("eu-west-1a");
  const auto zone_b = w.nodes_in("eu-west-1b");
  w.cluster.kubelet_up(zone_a[0]);
  w.sim.run_until(t0 + 2_h);
  EXPECT_FALSE(w.has_taint(zone_a[0], wk::kTaintUnreachable, TaintEffect::NoSchedule));
  const sim::Time a1 = noexec_added(w, zone_a[1]);
  const sim::Time b0 = noexec_added(w, zone_b[0]);
  const sim::Time b1 = noexec_added(w, zone_b[1]);
  EXPECT_LE(a1, t0 + 1_h + 5_s);
  EXPECT_EQ(b0, a1);  // each zone has its own limiter
  EXPECT_EQ(b1, b0 + 10_s);
}

TEST(ZoneStates, TwoNodesDownOfThreeIsNotPartialTaintsTenSecondsApart) {
  World w;
  w.group("a", 3, {"eu-west-1a"});
  w.group("b", 1, {"eu-west-1b"});
  w.cluster.apply(deployment("web", 4));
  const sim::Time t0 = w.settle();
  const auto zone_a = w.nodes_in("eu-west-1a");
  // Both go at the same instant; with their own lease phases they may turn Unknown at
  // different monitor passes. Not more than 2 not Ready: Normal, primary rate, burst 1.
  w.cluster.kubelet_down(zone_a[0], std::nullopt);
  w.cluster.kubelet_down(zone_a[1], std::nullopt);
  w.sim.run_until(t0 + 20_min);
  const auto not_ready = w.events("NodeNotReady");
  ASSERT_EQ(not_ready.size(), 2u);
  const sim::Time x = noexec_added(w, zone_a[0]);
  const sim::Time y = noexec_added(w, zone_a[1]);
  const sim::Time first = std::min(x, y), second = std::max(x, y);
  EXPECT_EQ(first, not_ready[0].time);
  EXPECT_EQ(second, std::max(not_ready[1].time, first + 10_s));
  EXPECT_FALSE(w.has_taint(zone_a[2], wk::kTaintUnreachable, TaintEffect::NoSchedule));
}

}  // namespace
}  // namespace azsim::controllers::testing
