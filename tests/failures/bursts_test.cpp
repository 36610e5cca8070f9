// Correlated bursts (FIDELITY D, Ford et al.): a share of instance failures take more instances
// with them, of the same zone (scope zone) or anywhere (scope region), within `spread`.
#include <set>

#include "tests/failures/helpers.hpp"

namespace azsim::failures::testing {
namespace {

TEST(Bursts, ABurstTakesTheOtherNodesOfTheZoneWithinTheSpread) {
  Inline in;
  in.nodes = 6;  // 3 in each zone
  in.duration = "60d";
  in.failures =
      "    instance: {mtbf: 30d, mode: unreachable, duration: 1h}\n"
      "    bursts: {share: \"100%\", size: 3, scope: zone, spread: 1m}\n";
  auto s = load(in);
  ASSERT_TRUE(s);
  TrialRun r(*s);
  const auto first = r.until_first(Kind::Instance, sim::Duration::days(60));
  ASSERT_TRUE(first);
  r.world->advance_to(first->at - r.t0 + 3_min);
  std::set<std::string> taken{first->target};
  for (const auto& m : r.of(Kind::BurstMember)) {
    EXPECT_EQ(m.cause, first->target);
    EXPECT_EQ(m.zone, first->zone);
    EXPECT_GE(m.at, first->at);
    EXPECT_LE(m.at, first->at + 1_min);
    EXPECT_EQ(m.duration, 1_h);
    taken.insert(m.target);
  }
  EXPECT_EQ(taken.size(), 3u);  // all three nodes of the zone, each once
  for (const auto& id : taken) {
    ASSERT_NE(r.node_of(id), nullptr);
    EXPECT_NE(r.node_of(id)->status.ready, k8s::ConditionStatus::True) << id;
  }
  // The other zone is untouched.
  int ready = 0;
  for (const auto* n : r.world->cluster().store().list<k8s::Node>())
    if (n->status.ready == k8s::ConditionStatus::True) {
      ++ready;
      EXPECT_NE(n->zone(), first->zone);
    }
  EXPECT_EQ(ready, 3);
}

TEST(Bursts, RegionScopeTakesInstancesOfOtherZones) {
  Inline in;
  in.nodes = 6;
  in.zones = "[eu-west-1a, eu-west-1b, eu-west-1c]";  // 2 per zone
  in.duration = "60d";
  in.failures =
      "    instance: {mtbf: 30d, mode: unreachable, duration: 1h}\n"
      "    bursts: {share: \"100%\", size: 4, scope: region, spread: 5m}\n";
  auto s = load(in);
  ASSERT_TRUE(s);
  TrialRun r(*s);
  const auto first = r.until_first(Kind::Instance, sim::Duration::days(60));
  ASSERT_TRUE(first);
  r.world->advance_to(first->at - r.t0 + 6_min);
  std::set<std::string> taken{first->target}, zones{first->zone};
  for (const auto& m : r.of(Kind::BurstMember)) {
    EXPECT_EQ(m.cause, first->target);
    EXPECT_LE(m.at, first->at + 5_min);
    taken.insert(m.target);
    zones.insert(m.zone);
  }
  EXPECT_EQ(taken.size(), 4u);
  EXPECT_GE(zones.size(), 2u);  // 4 instances cannot fit in one zone of 2
}

TEST(Bursts, TheShareOfFailuresStartingABurstIsShare) {
  Inline in;
  in.nodes = 4;
  in.failures =
      "    instance: {mtbf: 1d, mode: unreachable, duration: 1s}\n"
      "    bursts: {share: \"37%\", size: 2, scope: region, spread: 10s}\n";
  auto s = load(in);
  ASSERT_TRUE(s);
  TrialRun r(*s);
  r.world->advance_to(sim::Duration::days(365));
  const double n = static_cast<double>(r.failures().count(Kind::Instance));
  const double bursts = static_cast<double>(r.failures().count(Kind::BurstMember));
  ASSERT_GT(n, 1000);
  // Size 2: each burst takes one more instance (another one is almost always up).
  EXPECT_NEAR(bursts, 0.37 * n, kZ999 * std::sqrt(n * 0.37 * 0.63));
}

TEST(Bursts, NoBurstsWithoutTheSection) {
  Inline in;
  in.nodes = 4;
  in.duration = "30d";
  in.failures = "    instance: {mtbf: 1d, mode: unreachable, duration: 1s}\n";
  auto s = load(in);
  ASSERT_TRUE(s);
  TrialRun r(*s);
  r.world->advance_to(sim::Duration::days(30));
  EXPECT_GT(r.failures().count(Kind::Instance), 60u);
  EXPECT_EQ(r.failures().count(Kind::BurstMember), 0u);
}

}  // namespace
}  // namespace azsim::failures::testing
