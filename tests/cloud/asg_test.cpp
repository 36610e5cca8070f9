// Auto Scaling groups: balanced launches, replacement of terminated/stopped/impaired members,
// zone outages under balanced-best-effort and balanced-only, AZRebalance, desired capacity.
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/cloud/cloud_fixture.hpp"

namespace azsim::cloud::testing {
namespace {

using AsgTest = CloudTest;
using Counts = std::map<std::string, int>;

TEST_F(AsgTest, LaunchesDesiredBalancedOverZones) {
  make(fixed_params());
  cloud->add_group(group_spec(6));
  EXPECT_EQ(zone_counts("nodes"), (Counts{{"eu-west-1a", 2}, {"eu-west-1b", 2}, {"eu-west-1c", 2}}));
  auto five = group_spec(5);
  five.name = "five";
  cloud->add_group(five);
  // Ties go to the zones in the group's order: a, b, c, a, b.
  EXPECT_EQ(zone_counts("five"), (Counts{{"eu-west-1a", 2}, {"eu-west-1b", 2}, {"eu-west-1c", 1}}));
  for (const auto* i : cloud->group_instances("five")) EXPECT_EQ(i->group, "five");
  sim.run();
  EXPECT_EQ(transitions(InstanceState::Running).size(), 11u);
}

TEST_F(AsgTest, StoredSpecIsClampedAndResolved) {
  make(fixed_params());
  auto spec = group_spec(3);
  spec.desired = 10;
  cloud->add_group(spec);
  const GroupSpec* g = cloud->group("nodes");
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->desired, 3);
  EXPECT_EQ(g->health_check_grace_period, CloudParams{}.asg_health_check_grace_period);
  EXPECT_EQ(g->az_distribution, AzDistribution::BalancedBestEffort);
  EXPECT_EQ(cloud->group_names(), std::vector<std::string>{"nodes"});
  EXPECT_THROW(cloud->add_group(spec), std::invalid_argument);  // same name
  spec.name = "bad";
  spec.zones = {"eu-west-1a", "eu-west-9z"};
  EXPECT_THROW(cloud->add_group(spec), std::invalid_argument);
}

TEST_F(AsgTest, TerminatedMemberIsReplacedInTheSameZone) {
  make(fixed_params());
  cloud->add_group(group_spec(6));
  sim.run_until(at_s(600));
  const Instance* victim = cloud->group_instances("nodes")[3];
  const std::string id = victim->id;
  const std::string zone = victim->zone;
  cloud->terminate_instance(id);
  sim.run_until(at_s(600) + kAsgStateCheckDelay - 1_us);
  EXPECT_EQ(launches().size(), 6u);  // not noticed yet
  sim.run_until(at_s(600) + kAsgStateCheckDelay);
  ASSERT_EQ(launches().size(), 7u);
  EXPECT_EQ(launches().back().zone, zone);
  EXPECT_EQ(launches().back().time, at_s(600) + kAsgStateCheckDelay);
  sim.run();
  EXPECT_EQ(zone_counts("nodes"), (Counts{{"eu-west-1a", 2}, {"eu-west-1b", 2}, {"eu-west-1c", 2}}));
  EXPECT_EQ(cloud->instance(id)->state, InstanceState::Terminated);
}

TEST_F(AsgTest, StoppedMemberIsTerminatedAndReplacedWithoutWaitingForGrace) {
  make(fixed_params());
  cloud->add_group(group_spec(3));
  sim.run_until(at_s(70));  // inside the 300 s grace period
  const std::string id = cloud->group_instances("nodes")[0]->id;
  cloud->stop_instance(id);
  sim.run_until(at_s(70) + kAsgStateCheckDelay);
  // AWS: an instance that leaves the running state is unhealthy at once, grace or not.
  EXPECT_EQ(cloud->instance(id)->state, InstanceState::ShuttingDown);
  ASSERT_EQ(launches().size(), 4u);
  EXPECT_EQ(launches().back().zone, "eu-west-1a");
  sim.run();
  EXPECT_EQ(cloud->instance(id)->state, InstanceState::Terminated);
  EXPECT_EQ(cloud->group_instances("nodes").size(), 3u);
}

TEST_F(AsgTest, ImpairedMemberIsReplacedAfterTheStatusCheckDelay) {
  make(fixed_params());
  cloud->add_group(group_spec(3));
  sim.run_until(at_s(1000));
  const std::string id = cloud->group_instances("nodes")[1]->id;
  cloud->impair_instance(id, true);
  sim.run();
  const auto down = transitions(InstanceState::ShuttingDown);
  ASSERT_EQ(down.size(), 1u);
  EXPECT_EQ(down[0].id, id);
  EXPECT_EQ(down[0].time, at_s(1000) + CloudParams{}.ec2_status_check_delay);
  EXPECT_EQ(launches().back().zone, "eu-west-1b");
  EXPECT_EQ(launches().back().time, down[0].time);  // terminate first, then launch
}

TEST_F(AsgTest, ImpairmentShorterThanTheStatusCheckDelayIsForgiven) {
  make(fixed_params());
  cloud->add_group(group_spec(3));
  sim.run_until(at_s(1000));
  cloud->start_zone_outage("eu-west-1a", 30_s);  // the check would come at 60 s
  sim.run();
  EXPECT_TRUE(transitions(InstanceState::ShuttingDown).empty());
  EXPECT_EQ(launches().size(), 3u);
}

TEST_F(AsgTest, ImpairmentDuringGraceIsActedOnWhenGraceEnds) {
  make(fixed_params());
  cloud->add_group(group_spec(3));
  sim.run_until(at_s(100));
  cloud->start_zone_outage("eu-west-1a", 1_h);
  sim.run_until(at_s(3000));
  const auto down = transitions(InstanceState::ShuttingDown);
  ASSERT_EQ(down.size(), 1u);
  // Launched at 0 with a 300 s grace: not at 100 + 60 s.
  EXPECT_EQ(down[0].time, at_s(300));
}

class ZoneOutageTest : public CloudTest {
 protected:
  /// 6 instances over a/b/c launched at 0, zone a out from 600 s to 600 s + `outage`.
  void run_outage(AzDistribution dist, sim::Duration outage) {
    make(fixed_params());
    auto spec = group_spec(6);
    spec.az_distribution = dist;
    cloud->add_group(spec);
    sim.run_until(at_s(600));
    for (const auto* i : cloud->group_instances("nodes"))
      if (i->zone == "eu-west-1a") zone_a.push_back(i->id);
    cloud->start_zone_outage("eu-west-1a", outage);
  }
  std::vector<std::string> zone_a;
};

TEST_F(ZoneOutageTest, BalancedBestEffortReplacesInOtherZonesThenRebalances) {
  run_outage(AzDistribution::BalancedBestEffort, 1_h);
  ASSERT_EQ(zone_a.size(), 2u);
  ASSERT_EQ(reach.size(), 2u);
  for (const auto& r : reach) EXPECT_TRUE(r.unreachable);

  // Status checks fail 60 s into the outage: the group terminates both and launches in b and c.
  const sim::Time detect = at_s(600) + CloudParams{}.ec2_status_check_delay;
  sim.run_until(detect);
  for (const auto& id : zone_a) EXPECT_EQ(cloud->instance(id)->state, InstanceState::ShuttingDown);
  EXPECT_EQ(zone_counts("nodes"), (Counts{{"eu-west-1b", 3}, {"eu-west-1c", 3}}));
  ASSERT_GE(failures.size(), 1u);
  for (const auto& f : failures) {
    EXPECT_EQ(f.zone, "eu-west-1a");
    EXPECT_EQ(f.group, "nodes");
  }

  // While the zone is out nothing else happens.
  const auto launched_during_outage = launches().size();
  sim.run_until(at_s(600 + 3600) - 1_us);
  EXPECT_EQ(launches().size(), launched_during_outage);
  EXPECT_EQ(launched_during_outage, 8u);

  // Recovery: the terminated instances stay terminated; AZRebalance launches in a first, and
  // terminates in b or c only once that launch is Running.
  sim.run();
  for (const auto& id : zone_a) EXPECT_EQ(cloud->instance(id)->state, InstanceState::Terminated);
  EXPECT_EQ(zone_counts("nodes"), (Counts{{"eu-west-1a", 2}, {"eu-west-1b", 2}, {"eu-west-1c", 2}}));
  std::vector<StateEvent> after;
  for (const auto& e : states)
    if (e.time >= at_s(4200)) after.push_back(e);
  // Expected order: launch a, it runs, terminate one in b (the most populated, first in
  // order), launch a, it runs, terminate one in c.
  std::vector<std::string> story;
  for (const auto& e : after) {
    if (e.from == InstanceState::Pending && e.to == InstanceState::Pending) story.push_back("launch " + e.zone);
    if (e.to == InstanceState::Running) story.push_back("running " + e.zone);
    if (e.to == InstanceState::ShuttingDown) story.push_back("terminate " + e.zone);
  }
  EXPECT_EQ(story, (std::vector<std::string>{"launch eu-west-1a", "running eu-west-1a", "terminate eu-west-1b",
                                             "launch eu-west-1a", "running eu-west-1a", "terminate eu-west-1c"}));
  EXPECT_EQ(after.front().time, at_s(4200));
  // The rebalance terminated the newest instances of b and c: the outage replacements.
  const auto l = launches();
  EXPECT_EQ(cloud->instance(l[6].id)->state, InstanceState::Terminated);
  EXPECT_EQ(cloud->instance(l[7].id)->state, InstanceState::Terminated);
}

TEST_F(ZoneOutageTest, RebalanceNeverExceedsMaxByMoreThanItsAllowance) {
  run_outage(AzDistribution::BalancedBestEffort, 1_h);
  // max 6: the allowance is max(1, 10 %) = 1 instance.
  std::size_t peak = 0;
  while (sim.next_event_time() != sim::Time::infinity()) {
    sim.run_until(sim.next_event_time());
    peak = std::max(peak, cloud->group_instances("nodes").size());
  }
  EXPECT_EQ(peak, 7u);
}

TEST_F(ZoneOutageTest, BalancedOnlyRetriesTheFailedZoneUntilItRecovers) {
  // Detected at 660 s; the zone recovers at 4205 s; retries tick every 10 s from 660 s, so the
  // first one after recovery is at 4210 s.
  run_outage(AzDistribution::BalancedOnly, 3605_s);
  sim.run_until(at_s(4209));
  EXPECT_EQ(launches().size(), 6u);  // never in b or c
  EXPECT_EQ(zone_counts("nodes"), (Counts{{"eu-west-1b", 2}, {"eu-west-1c", 2}}));
  ASSERT_FALSE(failures.empty());
  for (const auto& f : failures) EXPECT_EQ(f.zone, "eu-west-1a");
  sim.run_until(at_s(4210));
  const auto l = launches();
  ASSERT_EQ(l.size(), 8u);
  EXPECT_EQ(l[6].zone, "eu-west-1a");
  EXPECT_EQ(l[7].zone, "eu-west-1a");
  EXPECT_EQ(l[6].time, at_s(4210));
  sim.run();
  EXPECT_EQ(zone_counts("nodes"), (Counts{{"eu-west-1a", 2}, {"eu-west-1b", 2}, {"eu-west-1c", 2}}));
  EXPECT_TRUE(std::none_of(states.begin(), states.end(), [](const StateEvent& e) {
    return e.to == InstanceState::ShuttingDown && e.zone != "eu-west-1a";
  }));
}

TEST_F(AsgTest, BestEffortWithEveryZoneOutRetriesAfterRecovery) {
  make(fixed_params());
  cloud->add_group(group_spec(2, {"eu-west-1a", "eu-west-1b"}));
  sim.run_until(at_s(600));
  cloud->start_zone_outage("eu-west-1a", 1_h);
  cloud->start_zone_outage("eu-west-1b", 2_h);
  sim.run_until(at_s(4199));
  EXPECT_EQ(cloud->group_instances("nodes").size(), 0u);
  EXPECT_EQ(launches().size(), 2u);
  // a recovered at 4200 s: the group, failing since 660 s, retried at its tick then and, b
  // still being out, put both in a.
  sim.run_until(at_s(4200));
  EXPECT_EQ(launches().size(), 4u);
  EXPECT_EQ(zone_counts("nodes"), (Counts{{"eu-west-1a", 2}}));
  // b recovers at 7800 s: AZRebalance moves one back.
  sim.run();
  EXPECT_EQ(zone_counts("nodes"), (Counts{{"eu-west-1a", 1}, {"eu-west-1b", 1}}));
}

TEST_F(AsgTest, SetDesiredCapacityClampsAndScalesInNewestFirstFromTheFullestZone) {
  make(fixed_params());
  auto spec = group_spec(6);
  spec.min_size = 2;
  spec.max_size = 9;
  cloud->add_group(spec);
  sim.run_until(at_s(100));
  cloud->set_desired_capacity("nodes", 100);
  EXPECT_EQ(cloud->group("nodes")->desired, 9);
  EXPECT_EQ(zone_counts("nodes"), (Counts{{"eu-west-1a", 3}, {"eu-west-1b", 3}, {"eu-west-1c", 3}}));
  sim.run_until(at_s(200));
  cloud->set_desired_capacity("nodes", 7);
  // 3/3/3 -> a is first among the fullest, then b; each loses its newest instance (ids 7, 8).
  const auto down = transitions(InstanceState::ShuttingDown);
  ASSERT_EQ(down.size(), 2u);
  EXPECT_EQ(down[0].id, "i-00000000000000007");
  EXPECT_EQ(down[0].zone, "eu-west-1a");
  EXPECT_EQ(down[1].id, "i-00000000000000008");
  EXPECT_EQ(down[1].zone, "eu-west-1b");
  cloud->set_desired_capacity("nodes", 0);
  EXPECT_EQ(cloud->group("nodes")->desired, 2);
  sim.run();
  EXPECT_EQ(cloud->group_instances("nodes").size(), 2u);
  EXPECT_EQ(launches().size(), 9u);  // scale-in never launched anything
}

}  // namespace
}  // namespace azsim::cloud::testing
