// EBS volumes: creation latency, attach/detach with AWS's checks and errors, detach on
// termination, failures, zone outages and deletion.
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/cloud/cloud_fixture.hpp"

namespace azsim::cloud::testing {
namespace {

class EbsTest : public CloudTest {
 protected:
  /// A cloud with fixed latencies and one Running instance per zone (a, b, c) at t = 60 s.
  void SetUp() override {
    make(fixed_params());
    for (const auto& z : three_zones()) nodes.push_back(cloud->launch_instance("t3.small", z));
    sim.run_until(at_s(60));
  }
  std::string volume_in(const std::string& zone) {
    const auto id = cloud->create_volume(zone, 10, "gp3", nullptr);
    sim.run_until(sim.now() + 1_s);
    return id;
  }
  struct AttachResult {
    bool called = false;
    bool ok = false;
    std::string error;
    sim::Time time;
  };
  std::function<void(bool, const std::string&)> record(AttachResult& r) {
    return [this, &r](bool ok, const std::string& e) { r = {true, ok, e, sim.now()}; };
  }
  std::vector<std::string> nodes;
};

TEST_F(EbsTest, CreateVolumeIsCreatingThenAvailable) {
  bool done = false;
  sim::Time done_at;
  const auto id = cloud->create_volume("eu-west-1b", 20, "gp2", [&](const Volume& v) {
    done = true;
    done_at = sim.now();
    EXPECT_EQ(v.state, VolumeState::Available);
  });
  EXPECT_EQ(id, "vol-00000000000000001");
  const Volume* v = cloud->volume(id);
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->state, VolumeState::Creating);
  EXPECT_EQ(v->zone, "eu-west-1b");
  EXPECT_EQ(v->size_gib, 20);
  EXPECT_EQ(v->type, "gp2");
  sim.run();
  EXPECT_TRUE(done);
  EXPECT_EQ(done_at, at_s(61));  // constant 1 s
  EXPECT_EQ(cloud->volume(id)->state, VolumeState::Available);
}

TEST(EbsCreateLatency, DefaultHasTheFidelityMedian) {
  sim::Simulation sim;
  Cloud cloud(sim, sim::RandomStream(3, 0, "cloud"), CloudParams{}, "eu-west-1", {"eu-west-1a"});
  std::vector<double> latency;
  for (int i = 0; i < 4000; ++i)
    cloud.create_volume("eu-west-1a", 1, "gp3", [&](const Volume&) { latency.push_back(sim.now().seconds_f()); });
  sim.run();
  ASSERT_EQ(latency.size(), 4000u);
  // FIDELITY A: CreateVolume median ~1.5 s, p99 ~4 s.
  EXPECT_NEAR(latency[2000], 1.5, 1.5 * 0.05);
  EXPECT_NEAR(latency[3960], 4.0, 4.0 * 0.12);
}

TEST_F(EbsTest, CreateVolumeNowIsAvailableAtOnce) {
  const auto id = cloud->create_volume_now("eu-west-1c", 5, "gp2");
  EXPECT_EQ(id, "vol-00000000000000001");
  ASSERT_NE(cloud->volume(id), nullptr);
  EXPECT_EQ(cloud->volume(id)->state, VolumeState::Available);
  EXPECT_EQ(volume_events.size(), 1u);
  EXPECT_EQ(cloud->attach_error(id, nodes[2]), "");
}

TEST_F(EbsTest, DeclaredVolumesKeepTheirIdsAndCountersSkipThem) {
  Volume v;
  v.id = "vol-00000000000000001";
  v.zone = "eu-west-1a";
  v.size_gib = 10;
  cloud->add_existing_volume(v);
  EXPECT_THROW(cloud->add_existing_volume(v), std::invalid_argument);
  EXPECT_EQ(cloud->volume("vol-00000000000000001")->state, VolumeState::Available);
  EXPECT_EQ(cloud->create_volume("eu-west-1a", 1, "gp3", nullptr), "vol-00000000000000002");
}

TEST_F(EbsTest, AttachTakesTheAttachLatency) {
  const auto vol = volume_in("eu-west-1a");
  AttachResult r;
  cloud->attach_volume(vol, nodes[0], record(r));
  EXPECT_FALSE(r.called);
  EXPECT_EQ(cloud->volume(vol)->attach_state, AttachState::Attaching);
  EXPECT_EQ(cloud->volume(vol)->state, VolumeState::InUse);
  EXPECT_EQ(cloud->volume(vol)->attached_to, nodes[0]);
  const sim::Time start = sim.now();
  sim.run();
  EXPECT_TRUE(r.called);
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.time, start + 2_s);
  EXPECT_EQ(cloud->volume(vol)->attach_state, AttachState::Attached);
}

TEST_F(EbsTest, AttachAcrossZonesFailsAtOnce) {
  const auto vol = volume_in("eu-west-1a");
  AttachResult r;
  cloud->attach_volume(vol, nodes[1], record(r));
  ASSERT_TRUE(r.called);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "InvalidVolume.ZoneMismatch: The volume '" + vol +
                         "' is not in the same availability zone as instance '" + nodes[1] + "'");
  EXPECT_EQ(cloud->volume(vol)->attach_state, AttachState::Detached);
  EXPECT_EQ(cloud->volume(vol)->state, VolumeState::Available);
}

TEST_F(EbsTest, AttachOfAVolumeAttachedElsewhereFails) {
  const auto vol = volume_in("eu-west-1a");
  const auto other = cloud->launch_instance("t3.small", "eu-west-1a");
  cloud->attach_volume(vol, nodes[0], nullptr);
  sim.run();
  AttachResult r;
  cloud->attach_volume(vol, other, record(r));
  ASSERT_TRUE(r.called);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "VolumeInUse: " + vol + " is already attached to an instance");
  EXPECT_EQ(cloud->volume(vol)->attached_to, nodes[0]);
}

TEST_F(EbsTest, AttachNeedsAnAvailableVolumeAndARunningInstance) {
  const auto creating = cloud->create_volume("eu-west-1a", 1, "gp3", nullptr);
  EXPECT_EQ(cloud->attach_error(creating, nodes[0]), "IncorrectState: " + creating + " is 'creating', not 'available'");
  const auto vol = volume_in("eu-west-1a");
  const auto pending = cloud->launch_instance("t3.small", "eu-west-1a");
  EXPECT_EQ(cloud->attach_error(vol, pending),
            "IncorrectInstanceState: Instance '" + pending + "' is 'pending', not 'running'");
  EXPECT_EQ(cloud->attach_error("vol-missing", nodes[0]).rfind("InvalidVolume.NotFound", 0), 0u);
  EXPECT_EQ(cloud->attach_error(vol, "i-missing").rfind("InvalidInstanceID.NotFound", 0), 0u);
  EXPECT_EQ(cloud->attach_error(vol, nodes[0]), "");
}

TEST_F(EbsTest, NothingAttachesInAZoneThatIsOut) {
  const auto vol = volume_in("eu-west-1a");
  cloud->start_zone_outage("eu-west-1a", 10_min);
  EXPECT_TRUE(cloud->volume(vol)->impaired);
  EXPECT_TRUE(volume_events.back().v.impaired);
  EXPECT_EQ(cloud->attach_error(vol, nodes[0]).rfind("Unavailable: " + vol, 0), 0u);
  sim.run();
  EXPECT_FALSE(cloud->volume(vol)->impaired);
  EXPECT_EQ(cloud->attach_error(vol, nodes[0]), "");
}

TEST_F(EbsTest, DetachTakesTheDetachLatency) {
  const auto vol = volume_in("eu-west-1a");
  cloud->attach_volume(vol, nodes[0], nullptr);
  sim.run();
  const sim::Time start = sim.now();
  sim::Time done_at;
  cloud->detach_volume(vol, [&] { done_at = sim.now(); });
  EXPECT_EQ(cloud->volume(vol)->attach_state, AttachState::Detaching);
  EXPECT_EQ(cloud->volume(vol)->state, VolumeState::InUse);
  sim.run();
  EXPECT_EQ(done_at, start + 3_s);
  EXPECT_EQ(cloud->volume(vol)->attach_state, AttachState::Detached);
  EXPECT_EQ(cloud->volume(vol)->state, VolumeState::Available);
  EXPECT_EQ(cloud->volume(vol)->attached_to, "");
  bool again = false;
  cloud->detach_volume(vol, [&] { again = true; });  // already detached: at once
  EXPECT_TRUE(again);
}

TEST_F(EbsTest, DetachDuringAttachCancelsTheAttach) {
  const auto vol = volume_in("eu-west-1a");
  AttachResult r;
  cloud->attach_volume(vol, nodes[0], record(r));
  cloud->detach_volume(vol, nullptr);
  ASSERT_TRUE(r.called);
  EXPECT_FALSE(r.ok);
  sim.run();
  EXPECT_EQ(cloud->volume(vol)->attach_state, AttachState::Detached);
}

TEST_F(EbsTest, TerminateDetachesItsVolumesAfterTheDelay) {
  const auto v1 = volume_in("eu-west-1a");
  const auto v2 = volume_in("eu-west-1a");
  cloud->attach_volume(v1, nodes[0], nullptr);
  cloud->attach_volume(v2, nodes[0], nullptr);
  sim.run();
  const sim::Time t = sim.now();
  volume_events.clear();
  cloud->terminate_instance(nodes[0]);
  EXPECT_EQ(cloud->volume(v1)->attach_state, AttachState::Detaching);
  EXPECT_EQ(cloud->volume(v2)->attach_state, AttachState::Detaching);
  sim.run_until(t + CloudParams{}.terminate_detach_delay - 1_us);
  EXPECT_EQ(cloud->volume(v1)->attach_state, AttachState::Detaching);
  sim.run();
  EXPECT_EQ(cloud->volume(v1)->attach_state, AttachState::Detached);
  EXPECT_EQ(cloud->volume(v1)->state, VolumeState::Available);
  // Observed: Detaching at t, Detached at t + delay, for each volume.
  ASSERT_EQ(volume_events.size(), 4u);
  for (const auto& e : volume_events) {
    if (e.v.attach_state == AttachState::Detaching) EXPECT_EQ(e.time, t);
    else EXPECT_EQ(e.time, t + CloudParams{}.terminate_detach_delay);
  }
  // The volume is free for another instance in the zone.
  const auto next = cloud->launch_instance("t3.small", "eu-west-1a");
  sim.run();
  EXPECT_EQ(cloud->attach_error(v1, next), "");
}

TEST_F(EbsTest, TerminateDuringAttachFailsTheAttach) {
  const auto vol = volume_in("eu-west-1a");
  AttachResult r;
  cloud->attach_volume(vol, nodes[0], record(r));
  cloud->terminate_instance(nodes[0]);
  ASSERT_TRUE(r.called);
  EXPECT_FALSE(r.ok);
  sim.run();
  EXPECT_EQ(cloud->volume(vol)->attach_state, AttachState::Detached);
}

TEST_F(EbsTest, StopKeepsVolumesAttachedAsOnAws) {
  const auto vol = volume_in("eu-west-1a");
  cloud->attach_volume(vol, nodes[0], nullptr);
  sim.run();
  cloud->stop_instance(nodes[0]);
  sim.run();
  EXPECT_EQ(cloud->instance(nodes[0])->state, InstanceState::Stopped);
  EXPECT_EQ(cloud->volume(vol)->attach_state, AttachState::Attached);
  cloud->detach_volume(vol, nullptr);  // a force-detach still works
  sim.run();
  EXPECT_EQ(cloud->volume(vol)->attach_state, AttachState::Detached);
}

TEST_F(EbsTest, FailedVolumeStaysAttachedButCannotBeAttachedAgain) {
  const auto vol = volume_in("eu-west-1a");
  cloud->attach_volume(vol, nodes[0], nullptr);
  sim.run();
  cloud->fail_volume(vol);
  EXPECT_TRUE(cloud->volume(vol)->lost);
  EXPECT_EQ(cloud->volume(vol)->state, VolumeState::Error);
  EXPECT_EQ(cloud->volume(vol)->attach_state, AttachState::Attached);
  cloud->detach_volume(vol, nullptr);
  sim.run();
  EXPECT_EQ(cloud->volume(vol)->state, VolumeState::Error);
  EXPECT_EQ(cloud->attach_error(vol, nodes[0]), "IncorrectState: " + vol + " is 'error', not 'available'");
}

TEST_F(EbsTest, DeleteWaitsForTheDetach) {
  const auto vol = volume_in("eu-west-1a");
  cloud->attach_volume(vol, nodes[0], nullptr);
  sim.run();
  cloud->delete_volume(vol);
  EXPECT_EQ(cloud->volume(vol)->state, VolumeState::InUse);
  cloud->detach_volume(vol, nullptr);
  const sim::Time t = sim.now();
  sim.run();
  EXPECT_EQ(cloud->volume(vol)->state, VolumeState::Deleted);
  EXPECT_EQ(volume_events.back().time, t + 3_s + kVolumeDeleteDuration);
}

TEST_F(EbsTest, CreationInAZoneThatIsOutWaitsForRecovery) {
  cloud->start_zone_outage("eu-west-1c", 10_min);
  sim::Time done_at;
  const auto vol = cloud->create_volume("eu-west-1c", 1, "gp3", [&](const Volume&) { done_at = sim.now(); });
  EXPECT_TRUE(cloud->volume(vol)->impaired);
  sim.run();
  EXPECT_EQ(done_at, at_s(60 + 600));
  EXPECT_EQ(cloud->volume(vol)->state, VolumeState::Available);
  EXPECT_FALSE(cloud->volume(vol)->impaired);
}

}  // namespace
}  // namespace azsim::cloud::testing
