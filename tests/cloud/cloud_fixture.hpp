// Shared set-up for the cloud tests: a Simulation, a Cloud over three zones, and an observer
// that records every signal with its time, so tests can assert on what happened when.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "models/cloud/cloud.hpp"
#include "sim/random.hpp"
#include "sim/simulation.hpp"

namespace azsim::cloud::testing {

using namespace azsim::sim::literals;

inline sim::Time at_s(std::int64_t s) { return sim::Time::origin() + sim::Duration::seconds(s); }

struct StateEvent {
  sim::Time time;
  std::string id;
  std::string zone;
  std::string group;
  InstanceState from;
  InstanceState to;
};
struct ReachEvent {
  sim::Time time;
  std::string id;
  bool unreachable;
};
struct FailEvent {
  sim::Time time;
  std::string group;
  std::string zone;
  std::string reason;
};
struct VolumeEvent {
  sim::Time time;
  Volume v;  // a copy of the volume after the change
};

class CloudTest : public ::testing::Test {
 protected:
  static std::vector<std::string> three_zones() { return {"eu-west-1a", "eu-west-1b", "eu-west-1c"}; }

  void make(CloudParams p = {}, std::uint64_t seed = 1, std::string region = "eu-west-1",
            std::vector<std::string> zones = three_zones()) {
    cloud = std::make_unique<Cloud>(sim, sim::RandomStream(seed, 0, "cloud"), std::move(p), std::move(region),
                                    std::move(zones));
    CloudObserver o;
    o.instance_state = [this](const Instance& i, InstanceState old) {
      states.push_back({sim.now(), i.id, i.zone, i.group, old, i.state});
    };
    o.instance_reachability = [this](const Instance& i, bool u) { reach.push_back({sim.now(), i.id, u}); };
    o.launch_failed = [this](const std::string& g, const std::string& z, const std::string& r) {
      failures.push_back({sim.now(), g, z, r});
    };
    o.volume_changed = [this](const Volume& v) { volume_events.push_back({sim.now(), v}); };
    cloud->set_observer(std::move(o));
  }

  /// Params whose latencies are constants, so that tests can name exact instants.
  static CloudParams fixed_params() {
    CloudParams p;
    p.launch_to_ready = DurationDistribution::constant(60_s);
    p.ebs_attach_latency = DurationDistribution::constant(2_s);
    p.ebs_detach_latency = DurationDistribution::constant(3_s);
    p.ebs_create_latency = DurationDistribution::constant(1_s);
    return p;
  }

  static GroupSpec group_spec(std::int32_t n, std::vector<std::string> zones = three_zones()) {
    GroupSpec g;
    g.name = "nodes";
    g.instance_type = "t3.small";
    g.zones = std::move(zones);
    g.min_size = n;
    g.desired = n;
    g.max_size = n;
    return g;
  }

  /// In-service members of a group per zone.
  std::map<std::string, int> zone_counts(const std::string& group) const {
    std::map<std::string, int> out;
    for (const auto* i : cloud->group_instances(group)) ++out[i->zone];
    return out;
  }

  /// Changes into `to` from another state, in order.
  std::vector<StateEvent> transitions(InstanceState to) const {
    std::vector<StateEvent> out;
    for (const auto& e : states)
      if (e.to == to && e.from != to) out.push_back(e);
    return out;
  }
  /// Launches (the Pending -> Pending signal sent once per new instance), in order.
  std::vector<StateEvent> launches() const {
    std::vector<StateEvent> out;
    for (const auto& e : states)
      if (e.from == InstanceState::Pending && e.to == InstanceState::Pending) out.push_back(e);
    return out;
  }

  sim::Simulation sim;
  std::unique_ptr<Cloud> cloud;
  std::vector<StateEvent> states;
  std::vector<ReachEvent> reach;
  std::vector<FailEvent> failures;
  std::vector<VolumeEvent> volume_events;
};

}  // namespace azsim::cloud::testing
