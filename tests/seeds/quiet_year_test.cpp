// A quiet year costs almost nothing: no controller polls while nothing changes (the periodic
// checks of the node monitor, PodGC, the cloud node lifecycle and the attach/detach reconciler
// run only when something they watch changed), so a year without faults processes a handful of
// events beyond the setup.
#include "tests/seeds/replay.hpp"

namespace azsim::seeds::testing {
namespace {

TEST(QuietYear, SeedClusterWithoutFaultsProcessesAlmostNoEvents) {
  auto s = load_shipped("seed-001-kops-cassandra");  // 9 nodes, 6 Cassandra pods and volumes
  ASSERT_TRUE(s);
  s->faults.clear();
  s->duration = sim::Duration::days(365);
  Replay r(*s);
  const std::uint64_t at_t0 = r.sim().events_processed();
  r.advance_to(sim::Duration::days(365));
  const std::uint64_t during = r.sim().events_processed() - at_t0;
  EXPECT_LT(during, 1000u);
  // And nothing changed: every pod Ready all year.
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(r.not_ready("default/cassandra-" + std::to_string(i), r.t0(), r.at(sim::Duration::days(365))),
              sim::Duration::zero());
  const auto rep = r.world().report();
  ASSERT_EQ(rep.data.size(), 1u);
  EXPECT_DOUBLE_EQ(rep.data[0].read_availability, 1.0);
}

}  // namespace
}  // namespace azsim::seeds::testing
