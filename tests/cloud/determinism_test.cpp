// Reproducibility: a seed fixes instance ids, addresses and event times; another seed moves
// the random parts (addresses, latencies) and nothing else.
#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "tests/cloud/cloud_fixture.hpp"

namespace azsim::cloud::testing {
namespace {

/// A run with random latencies (the defaults), an ASG, a zone outage and volumes, written as
/// one line per signal.
std::vector<std::string> trace(std::uint64_t seed) {
  sim::Simulation sim;
  Cloud cloud(sim, sim::RandomStream(seed, 0, "cloud"), CloudParams{}, "eu-west-1",
              {"eu-west-1a", "eu-west-1b", "eu-west-1c"});
  std::vector<std::string> out;
  CloudObserver o;
  o.instance_state = [&](const Instance& i, InstanceState) {
    std::ostringstream s;
    s << sim.now().us() << " " << i.id << " " << to_string(i.state) << " " << i.zone << " " << i.private_ip;
    out.push_back(s.str());
  };
  o.volume_changed = [&](const Volume& v) {
    std::ostringstream s;
    s << sim.now().us() << " " << v.id << " " << to_string(v.state) << " " << to_string(v.attach_state);
    out.push_back(s.str());
  };
  cloud.set_observer(std::move(o));
  GroupSpec g;
  g.name = "nodes";
  g.instance_type = "t3.small";
  g.zones = {"eu-west-1a", "eu-west-1b", "eu-west-1c"};
  g.min_size = g.desired = g.max_size = 6;
  cloud.add_group(g);
  sim.run_until(sim::Time::origin() + sim::Duration::minutes(10));
  for (const auto* i : cloud.group_instances("nodes")) {
    const auto vol = cloud.create_volume(i->zone, 10, "gp3", nullptr);
    const std::string id = i->id;
    sim.after(sim::Duration::seconds(10), [&cloud, vol, id] { cloud.attach_volume(vol, id, nullptr); });
  }
  cloud.start_zone_outage("eu-west-1b", sim::Duration::hours(1));
  sim.run();
  return out;
}

TEST(CloudDeterminism, SameSeedSameTrace) {
  const auto a = trace(42);
  const auto b = trace(42);
  ASSERT_GT(a.size(), 50u);
  EXPECT_EQ(a, b);
}

TEST(CloudDeterminism, DifferentSeedsDrawDifferentAddressesAndTimes) {
  const auto ips = [](std::uint64_t seed) {
    sim::Simulation sim;
    Cloud cloud(sim, sim::RandomStream(seed, 0, "cloud"), CloudParams{}, "eu-west-1", {"eu-west-1a"});
    std::vector<std::string> out;
    for (int i = 0; i < 5; ++i) out.push_back(cloud.instance(cloud.launch_instance("t3.small", "eu-west-1a"))->private_ip);
    return out;
  };
  EXPECT_EQ(ips(1), ips(1));
  EXPECT_NE(ips(1), ips(2));
  EXPECT_NE(trace(1), trace(2));
}

TEST(CloudDeterminism, IdsDoNotDependOnTheSeed) {
  sim::Simulation s1, s2;
  Cloud c1(s1, sim::RandomStream(1, 0, "cloud"), CloudParams{}, "eu-west-1", {"eu-west-1a"});
  Cloud c2(s2, sim::RandomStream(2, 0, "cloud"), CloudParams{}, "eu-west-1", {"eu-west-1a"});
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(c1.launch_instance("t3.small", "eu-west-1a"), c2.launch_instance("t3.small", "eu-west-1a"));
}

}  // namespace
}  // namespace azsim::cloud::testing
