// Seed 000: Cassandra on EKS (3 replicas, EBS CSI WaitForFirstConsumer), cordon the node of
// cassandra-0 and delete the pod (notes/seed-outcomes.md, seed 000 (c) and (c')).
#include <set>

#include "tests/seeds/replay.hpp"

namespace azsim::seeds::testing {
namespace {

const char* kPods[] = {"default/cassandra-0", "default/cassandra-1", "default/cassandra-2"};

TEST(Seed000, TimeZeroThreeReplicasOnThreeNodesInThreeZones) {
  auto s = load_shipped("seed-000-eks-cassandra");
  ASSERT_TRUE(s);
  Replay r(*s);
  // 6 t3.small Ready, 2 per zone.
  const auto by_zone = r.group_nodes("nodegroup");
  ASSERT_EQ(by_zone.size(), 3u);
  for (const auto& [zone, names] : by_zone) EXPECT_EQ(names.size(), 2u) << zone;
  std::set<std::string> nodes, zones;
  for (const char* key : kPods) {
    SCOPED_TRACE(key);
    EXPECT_EQ(r.cause(key), PodCause::Ready);
    const std::string node = r.node_of(key);
    nodes.insert(node);
    zones.insert(r.zone_of_node(node));
    // Claim Bound, 1Gi, its volume in the pod's zone (WaitForFirstConsumer) and attached there.
    const std::string claim = std::string("default/cassandra-data-") + (key + 8);
    const auto* pvc = r.cluster().store().get<k8s::PersistentVolumeClaim>(claim);
    ASSERT_NE(pvc, nullptr);
    EXPECT_EQ(pvc->phase, k8s::PvcPhase::Bound);
    EXPECT_EQ(pvc->request_bytes, std::int64_t{1} << 30);
    const std::string vol = r.volume_of_claim(claim);
    EXPECT_EQ(r.volume_zone(vol), r.zone_of_node(node));
    EXPECT_EQ(r.node_of_volume(vol), node);
  }
  // One 1Gi pod per t3.small (under 2Gi allocatable): three nodes; the tutorial's "running
  // in different AZs": three zones.
  EXPECT_EQ(nodes.size(), 3u);
  EXPECT_EQ(zones.size(), 3u);
}

TEST(Seed000, CordonAndDeleteRestartsOnTheOtherNodeOfItsZoneWithTheSameVolume) {
  auto s = load_shipped("seed-000-eks-cassandra");
  ASSERT_TRUE(s);
  Replay r(*s);
  const std::string key = "default/cassandra-0";
  const std::string old_node = r.node_of(key);
  const std::string zone = r.zone_of_node(old_node);
  const std::string vol = r.volume_of_claim("default/cassandra-data-cassandra-0");
  ASSERT_FALSE(vol.empty());

  r.advance_to(10_min);
  // `kubectl cordon`: SchedulingDisabled.
  EXPECT_TRUE(r.cluster().store().get<k8s::Node>(old_node)->spec.unschedulable);
  ASSERT_EQ(r.events("NodeNotSchedulable", "node/" + old_node).size(), 1u);

  r.advance_to(30_min);
  const std::string new_node = r.node_of(key);
  EXPECT_NE(new_node, old_node);
  EXPECT_EQ(r.zone_of_node(new_node), zone);  // the volume is zonal
  EXPECT_EQ(r.cause(key), PodCause::Ready);
  EXPECT_EQ(r.volume_of_claim("default/cassandra-data-cassandra-0"), vol);  // same claim, same EBS volume
  EXPECT_EQ(r.node_of_volume(vol), new_node);
  // Re-created by the StatefulSet under the same name.
  EXPECT_EQ(r.events("SuccessfulCreate", "statefulset/cassandra", r.at(10_min)).size(), 1u);

  // Down time: graceful stop (preStop drain, 2 s), detach and attach (1-4 s each), container start
  // (5 s), readinessProbe initialDelaySeconds 15: at least 22 s, and minutes at most.
  const sim::Duration down = r.not_ready(key, r.at(10_min), r.at(30_min));
  EXPECT_GE(down, 22_s);
  EXPECT_LT(down, 5_min);
  const auto causes = r.causes(key, r.at(10_min), r.at(30_min));
  EXPECT_EQ(std::count(causes.begin(), causes.end(), PodCause::Unschedulable), 0);
  EXPECT_EQ(causes.back(), PodCause::Ready);
  // Nothing else changed.
  for (const char* other : {"default/cassandra-1", "default/cassandra-2"})
    EXPECT_EQ(r.not_ready(other, r.t0(), r.at(30_min)), sim::Duration::zero()) << other;

  const auto rep = r.world().report();
  ASSERT_EQ(rep.data.size(), 1u);
  EXPECT_EQ(rep.data[0].consistency, "QUORUM");
  EXPECT_EQ(rep.data[0].rows, 2);
  EXPECT_EQ(rep.data[0].rows_lost, 0);
  EXPECT_DOUBLE_EQ(rep.data[0].read_availability, 1.0);
  EXPECT_DOUBLE_EQ(rep.data[0].write_availability, 1.0);
}

TEST(Seed000WhatIf, OneNodePerZoneStaysPendingWithTheSchedulersExactMessage) {
  auto s = load_shipped("whatif-000-eks-cassandra-1-node-per-az");
  ASSERT_TRUE(s);
  Replay r(*s);
  const auto by_zone = r.group_nodes("nodegroup");
  ASSERT_EQ(by_zone.size(), 3u);
  for (const auto& [zone, names] : by_zone) EXPECT_EQ(names.size(), 1u) << zone;
  const std::string key = "default/cassandra-0";
  const std::string old_node = r.node_of(key);

  r.advance_to(30_min);
  const k8s::Pod* pod = r.pod(key);
  ASSERT_NE(pod, nullptr);
  EXPECT_FALSE(pod->bound());
  EXPECT_EQ(r.cause(key), PodCause::Unschedulable);
  // Derived by hand (1.21, 3 nodes): the cordoned node fails NodeUnschedulable, the first filter.
  // The two others each hold a Cassandra pod requesting 1Gi; a t3.small's allocatable memory is
  // under 2Gi (2 GiB less the kernel's share, 255Mi + 11 x 11Mi kube-reserved and the 100Mi
  // eviction threshold), so they fail NodeResourcesFit, which runs before VolumeBinding (whose
  // zone conflict stays hidden). The "preemption: ..." part exists only from 1.24.
  const std::string msg = "0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient memory.";
  EXPECT_EQ(r.cluster().scheduling_message(key), msg);
  const auto failed = r.events("FailedScheduling", "pod/cassandra-0", r.at(10_min));
  ASSERT_FALSE(failed.empty());
  for (const auto& e : failed) EXPECT_EQ(e.message, msg);
  // Pending from the re-creation to the end; the old node stays cordoned.
  const auto created = r.events("SuccessfulCreate", "statefulset/cassandra", r.at(10_min));
  ASSERT_EQ(created.size(), 1u);
  EXPECT_EQ(r.causes(key, created[0].time, r.at(30_min)), std::vector<PodCause>{PodCause::Unschedulable});
  EXPECT_TRUE(r.cluster().store().get<k8s::Node>(old_node)->spec.unschedulable);

  const auto rep = r.world().report();
  ASSERT_EQ(rep.data.size(), 1u);
  EXPECT_EQ(rep.data[0].rows_lost, 0);
  EXPECT_DOUBLE_EQ(rep.data[0].read_availability, 1.0);   // 2 of 3 replicas: QUORUM
  EXPECT_DOUBLE_EQ(rep.data[0].write_availability, 1.0);
}

TEST(Seed000WhatIf, As129TheMessageGainsThePreemptionPart) {
  auto s = load_shipped("whatif-000-eks-cassandra-1-node-per-az");
  ASSERT_TRUE(s);
  s->kubernetes.version = k8s::KubeVersion{1, 29};
  Replay r(*s);
  r.advance_to(15_min);
  // NodeUnschedulable is UnschedulableAndUnresolvable ("not helpful"); NodeResourcesFit is
  // resolvable, but the only victims have the same priority (0): "No preemption victims".
  EXPECT_EQ(r.cluster().scheduling_message("default/cassandra-0"),
            "0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient memory. preemption: 0/3 nodes are "
            "available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.");
}

}  // namespace
}  // namespace azsim::seeds::testing
