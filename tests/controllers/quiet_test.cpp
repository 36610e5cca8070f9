// No controller polls while nothing changes: a settled cluster simulated for a year processes
// (almost) no events, whatever the real controllers' periods (node monitor 5 s, PodGC 20 s,
// attach/detach reconciler 100 ms would be ~300 million ticks a year).
#include "tests/controllers/world.hpp"

namespace azsim::controllers::testing {
namespace {

TEST(Quiet, ASettledClusterCostsNothingForAYear) {
  World w;
  w.group("nodes", 4, {"eu-west-1a", "eu-west-1b"});
  w.cluster.apply(ebs_class());
  w.cluster.apply(statefulset(3));
  w.cluster.apply(deployment("web", 4));
  const sim::Time t0 = w.settle();
  ASSERT_TRUE(w.cluster.workloads_ready());
  // Let what the setup left in flight finish (a reconciler tick, a probe).
  w.sim.run_until(t0 + 1_min);
  const std::uint64_t before = w.sim.events_processed();
  w.sim.run_until(t0 + sim::Duration::days(365));
  EXPECT_LT(w.sim.events_processed() - before, 1000u);
  EXPECT_EQ(w.sim.pending_count(), 0u);  // nothing scheduled: nothing will ever happen by itself
  EXPECT_TRUE(w.cluster.workloads_ready());
}

TEST(Quiet, ALostNodeSettlesToNoEventsToo) {
  // A stuck pod, an Unknown node, a pending replacement waiting on Multi-Attach: nothing left to
  // poll once the timers (grace, toleration, force detach) have run.
  World w;
  w.group("nodes", 2, {"eu-west-1a"});
  w.cluster.apply(deployment("web", 2));
  const sim::Time t0 = w.settle();
  w.cluster.kubelet_down(w.nodes_in("eu-west-1a").at(0), std::nullopt);
  w.sim.run_until(t0 + 1_h);
  const std::uint64_t before = w.sim.events_processed();
  w.sim.run_until(t0 + sim::Duration::days(365));
  EXPECT_LT(w.sim.events_processed() - before, 1000u);
}

}  // namespace
}  // namespace azsim::controllers::testing
