// EC2 instances: ids, addresses, launch latency, terminate/stop/start, launches into a zone
// that is out, and single-instance impairment.
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <set>

#include "tests/cloud/cloud_fixture.hpp"

namespace azsim::cloud::testing {
namespace {

using Ec2Test = CloudTest;

TEST_F(Ec2Test, IdsCountUpWithSeventeenHexDigits) {
  make(fixed_params());
  EXPECT_EQ(cloud->launch_instance("t3.small", "eu-west-1a"), "i-00000000000000001");
  EXPECT_EQ(cloud->launch_instance("t3.small", "eu-west-1b"), "i-00000000000000002");
  for (int i = 0; i < 14; ++i) cloud->launch_instance("t3.small", "eu-west-1c");
  EXPECT_EQ(cloud->instances().back()->id, "i-00000000000000010");  // the 16th, in hex
}

TEST_F(Ec2Test, PrivateAddressesLieInTheZoneSubnetAndAreDistinct) {
  make(fixed_params());
  // Zone k owns 172.20.32(k+1).0/19: third octet in [32(k+1), 32(k+1)+31].
  const std::regex ip(R"(172\.20\.(\d+)\.(\d+))");
  std::set<std::string> seen;
  for (int k = 0; k < 3; ++k) {
    for (int n = 0; n < 300; ++n) {
      const auto id = cloud->launch_instance("t3.small", three_zones()[static_cast<std::size_t>(k)]);
      const Instance* inst = cloud->instance(id);
      ASSERT_NE(inst, nullptr);
      std::smatch m;
      ASSERT_TRUE(std::regex_match(inst->private_ip, m, ip)) << inst->private_ip;
      const int third = std::stoi(m[1]);
      const int fourth = std::stoi(m[2]);
      EXPECT_GE(third, 32 * (k + 1));
      EXPECT_LE(third, 32 * (k + 1) + 31);
      // AWS reserves the first four and the last address of the subnet.
      EXPECT_FALSE(third == 32 * (k + 1) && fourth < 4) << inst->private_ip;
      EXPECT_FALSE(third == 32 * (k + 1) + 31 && fourth == 255) << inst->private_ip;
      EXPECT_TRUE(seen.insert(inst->private_ip).second) << "duplicate " << inst->private_ip;
      std::string dashed = inst->private_ip;
      std::replace(dashed.begin(), dashed.end(), '.', '-');
      EXPECT_EQ(inst->hostname, "ip-" + dashed + ".eu-west-1.compute.internal");
    }
  }
}

TEST_F(Ec2Test, UsEast1HostnamesUseTheEc2InternalDomain) {
  make(fixed_params(), 1, "us-east-1", {"us-east-1a", "us-east-1b"});
  const Instance* inst = cloud->instance(cloud->launch_instance("m5.large", "us-east-1b"));
  ASSERT_NE(inst, nullptr);
  std::string dashed = inst->private_ip;
  std::replace(dashed.begin(), dashed.end(), '.', '-');
  EXPECT_EQ(inst->hostname, "ip-" + dashed + ".ec2.internal");
  EXPECT_EQ(inst->private_ip.rfind("172.20.", 0), 0u);
}

TEST_F(Ec2Test, LaunchIsPendingThenRunningAfterLaunchToReady) {
  CloudParams p = fixed_params();
  p.launch_to_ready = DurationDistribution::uniform(60_s, 90_s);
  make(p);
  sim.run_until(at_s(100));
  for (int i = 0; i < 300; ++i) cloud->launch_instance("t3.small", three_zones()[static_cast<std::size_t>(i % 3)]);
  ASSERT_EQ(launches().size(), 300u);
  for (const auto* inst : cloud->instances()) EXPECT_EQ(inst->state, InstanceState::Pending);
  sim.run();
  const auto running = transitions(InstanceState::Running);
  ASSERT_EQ(running.size(), 300u);
  double lo = 1e9, hi = 0;
  for (const auto& e : running) {
    const double latency = (e.time - at_s(100)).seconds_f();
    lo = std::min(lo, latency);
    hi = std::max(hi, latency);
  }
  EXPECT_GE(lo, 60.0);
  EXPECT_LE(hi, 90.0);
  EXPECT_LT(lo, 62.0);  // drawn per instance, over the whole range
  EXPECT_GT(hi, 88.0);
}

TEST_F(Ec2Test, DefaultLaunchLatencyHasTheFidelityMedian) {
  make();  // FIDELITY A: lognormal, median 75 s, p95 150 s
  for (int i = 0; i < 3000; ++i) cloud->launch_instance("t3.small", three_zones()[static_cast<std::size_t>(i % 3)]);
  sim.run();
  std::vector<double> latency;
  for (const auto& e : transitions(InstanceState::Running)) latency.push_back(e.time.seconds_f());
  ASSERT_EQ(latency.size(), 3000u);
  std::sort(latency.begin(), latency.end());
  EXPECT_NEAR(latency[1500], 75.0, 75.0 * 0.06);
  EXPECT_NEAR(latency[2850], 150.0, 150.0 * 0.08);
}

TEST_F(Ec2Test, LaunchIntoAZoneThatIsOutFailsAndCreatesNothing) {
  make(fixed_params());
  cloud->start_zone_outage("eu-west-1b", std::nullopt);
  EXPECT_TRUE(cloud->zone_out("eu-west-1b"));
  EXPECT_EQ(cloud->launch_instance("t3.small", "eu-west-1b"), "");
  EXPECT_TRUE(cloud->instances().empty());
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].group, "");
  EXPECT_EQ(failures[0].zone, "eu-west-1b");
  EXPECT_EQ(failures[0].reason.rfind(kReasonInsufficientCapacity, 0), 0u) << failures[0].reason;
  EXPECT_NE(failures[0].reason.find("t3.small"), std::string::npos);
  // Other zones still launch.
  EXPECT_NE(cloud->launch_instance("t3.small", "eu-west-1a"), "");
}

TEST_F(Ec2Test, UnknownTypeOrZoneIsAProgrammingError) {
  make(fixed_params());
  EXPECT_THROW(cloud->launch_instance("t9.huge", "eu-west-1a"), std::invalid_argument);
  EXPECT_THROW(cloud->launch_instance("t3.small", "eu-west-9z"), std::invalid_argument);
  EXPECT_THROW(cloud->terminate_instance("i-nope"), std::invalid_argument);
}

TEST_F(Ec2Test, TerminateIsShuttingDownThenTerminated) {
  make(fixed_params());
  const auto id = cloud->launch_instance("t3.small", "eu-west-1a");
  sim.run_until(at_s(120));
  cloud->terminate_instance(id);
  EXPECT_EQ(cloud->instance(id)->state, InstanceState::ShuttingDown);
  cloud->terminate_instance(id);  // no-op
  sim.run();
  EXPECT_EQ(cloud->instance(id)->state, InstanceState::Terminated);
  const auto t = transitions(InstanceState::Terminated);
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].time, at_s(120) + kShuttingDownDuration);
  EXPECT_EQ(t[0].from, InstanceState::ShuttingDown);
  EXPECT_EQ(cloud->instances().size(), 1u);  // terminated instances stay listed
}

TEST_F(Ec2Test, TerminateWhilePendingNeverRuns) {
  make(fixed_params());
  const auto id = cloud->launch_instance("t3.small", "eu-west-1a");
  sim.run_until(at_s(10));
  cloud->terminate_instance(id);
  sim.run();
  EXPECT_TRUE(transitions(InstanceState::Running).empty());
  EXPECT_EQ(cloud->instance(id)->state, InstanceState::Terminated);
}

TEST_F(Ec2Test, StopThenStartKeepsIdentityAndBootsAgain) {
  make(fixed_params());
  const auto id = cloud->launch_instance("t3.small", "eu-west-1a");
  const std::string ip = cloud->instance(id)->private_ip;
  sim.run_until(at_s(100));
  cloud->stop_instance(id);
  EXPECT_EQ(cloud->instance(id)->state, InstanceState::Stopping);
  sim.run_until(at_s(200));
  EXPECT_EQ(cloud->instance(id)->state, InstanceState::Stopped);
  EXPECT_EQ(transitions(InstanceState::Stopped).at(0).time, at_s(100) + kStoppingDuration);
  cloud->start_instance(id);
  EXPECT_EQ(cloud->instance(id)->state, InstanceState::Pending);
  EXPECT_EQ(cloud->instance(id)->launch_time, at_s(200));
  sim.run();
  EXPECT_EQ(cloud->instance(id)->state, InstanceState::Running);
  EXPECT_EQ(transitions(InstanceState::Running).back().time, at_s(260));
  EXPECT_EQ(cloud->instance(id)->private_ip, ip);
}

TEST_F(Ec2Test, StartInAZoneThatIsOutFails) {
  make(fixed_params());
  const auto id = cloud->launch_instance("t3.small", "eu-west-1a");
  sim.run_until(at_s(100));
  cloud->stop_instance(id);
  sim.run_until(at_s(200));
  cloud->start_zone_outage("eu-west-1a", 1_h);
  cloud->start_instance(id);
  EXPECT_EQ(cloud->instance(id)->state, InstanceState::Stopped);
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].zone, "eu-west-1a");
}

TEST_F(Ec2Test, ZoneOutageImpairsItsInstancesUntilItEnds) {
  make(fixed_params());
  const auto a = cloud->launch_instance("t3.small", "eu-west-1a");
  const auto b = cloud->launch_instance("t3.small", "eu-west-1b");
  sim.run_until(at_s(100));
  cloud->start_zone_outage("eu-west-1a", 30_min);
  EXPECT_TRUE(cloud->instance(a)->impaired);
  EXPECT_FALSE(cloud->instance(b)->impaired);
  ASSERT_EQ(reach.size(), 1u);
  EXPECT_EQ(reach[0].id, a);
  EXPECT_TRUE(reach[0].unreachable);
  sim.run();
  EXPECT_FALSE(cloud->zone_out("eu-west-1a"));
  EXPECT_FALSE(cloud->instance(a)->impaired);
  ASSERT_EQ(reach.size(), 2u);
  EXPECT_EQ(reach[1].time, at_s(100 + 1800));
  EXPECT_FALSE(reach[1].unreachable);
  EXPECT_EQ(cloud->instance(a)->state, InstanceState::Running);  // an outage is not a termination
}

TEST_F(Ec2Test, OverlappingOutagesEndAtTheLatestEnd) {
  make(fixed_params());
  cloud->start_zone_outage("eu-west-1a", 10_min);
  sim.run_until(at_s(60));
  cloud->start_zone_outage("eu-west-1a", 20_min);  // ends at 21 min
  cloud->start_zone_outage("eu-west-1a", 1_min);   // earlier: changes nothing
  sim.run_until(at_s(20 * 60));
  EXPECT_TRUE(cloud->zone_out("eu-west-1a"));
  sim.run_until(at_s(21 * 60));
  EXPECT_FALSE(cloud->zone_out("eu-west-1a"));
}

TEST_F(Ec2Test, APendingInstanceInAFailedZoneBootsOnlyAfterRecovery) {
  make(fixed_params());
  const auto id = cloud->launch_instance("t3.small", "eu-west-1a");
  sim.run_until(at_s(30));
  cloud->start_zone_outage("eu-west-1a", 10_min);  // ends at 630 s
  sim.run_until(at_s(600));
  EXPECT_EQ(cloud->instance(id)->state, InstanceState::Pending);
  sim.run();
  // The boot starts over at recovery: 630 s + 60 s.
  ASSERT_EQ(transitions(InstanceState::Running).size(), 1u);
  EXPECT_EQ(transitions(InstanceState::Running)[0].time, at_s(690));
}

TEST_F(Ec2Test, ImpairInstanceIsIndependentOfZones) {
  make(fixed_params());
  const auto id = cloud->launch_instance("t3.small", "eu-west-1a");
  sim.run_until(at_s(100));
  cloud->impair_instance(id, true);
  EXPECT_TRUE(cloud->instance(id)->impaired);
  cloud->start_zone_outage("eu-west-1a", 1_min);
  sim.run_until(at_s(200));  // the outage ended; the hardware fault did not
  EXPECT_TRUE(cloud->instance(id)->impaired);
  cloud->impair_instance(id, false);
  EXPECT_FALSE(cloud->instance(id)->impaired);
  ASSERT_EQ(reach.size(), 2u);  // one signal each way, none from the outage in between
  EXPECT_TRUE(reach[0].unreachable);
  EXPECT_FALSE(reach[1].unreachable);
}

TEST_F(Ec2Test, AFullSubnetFailsLaunchesUntilAnAddressIsReleased) {
  make(fixed_params());
  // A /19 holds 8192 addresses, AWS reserves 5.
  std::set<std::string> ips;
  for (int i = 0; i < 8187; ++i) ips.insert(cloud->instance(cloud->launch_instance("t3.small", "eu-west-1a"))->private_ip);
  EXPECT_EQ(ips.size(), 8187u);
  EXPECT_TRUE(failures.empty());
  EXPECT_EQ(cloud->launch_instance("t3.small", "eu-west-1a"), "");
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].reason.rfind(kReasonNoFreeAddresses, 0), 0u);
  const std::string victim = cloud->instances()[100]->id;
  cloud->terminate_instance(victim);
  sim.run_until(at_s(10));
  const auto id = cloud->launch_instance("t3.small", "eu-west-1a");
  ASSERT_NE(id, "");
  EXPECT_EQ(cloud->instance(id)->private_ip, cloud->instance(victim)->private_ip);
}

TEST_F(Ec2Test, AnObserverMayTerminateAnInstanceAsItLaunches) {
  make(fixed_params());
  CloudObserver o;
  o.instance_state = [this](const Instance& i, InstanceState) {
    states.push_back({sim.now(), i.id, i.zone, i.group, InstanceState::Pending, i.state});
    if (i.state == InstanceState::Pending) cloud->terminate_instance(i.id);
  };
  cloud->set_observer(o);
  const auto id = cloud->launch_instance("t3.small", "eu-west-1a");
  sim.run();
  EXPECT_EQ(cloud->instance(id)->state, InstanceState::Terminated);
  EXPECT_TRUE(transitions(InstanceState::Running).empty());
}

}  // namespace
}  // namespace azsim::cloud::testing
