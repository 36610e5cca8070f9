// Seed 003: the EKS Workshop MySQL leader/follower StatefulSet (namespace mysql, 1 t3.small per
// zone, in-tree gp2 WaitForFirstConsumer, reclaim Delete): readiness failure, pod deletion,
// scale 2 -> 3 -> 2, delete the removed replica's claim (notes/seed-outcomes.md, seed 003 (c)).
#include "tests/seeds/replay.hpp"

namespace azsim::seeds::testing {
namespace {

std::string mysql(int i) { return "mysql/mysql-" + std::to_string(i); }
std::string data(int i) { return "mysql/data-mysql-" + std::to_string(i); }

TEST(Seed003, SetupOrderedReadyOnDifferentNodesClaimsInTheirZones) {
  auto s = load_shipped("seed-003-eks-mysql");
  ASSERT_TRUE(s);
  Replay r(*s);
  EXPECT_NE(r.node_of(mysql(0)), r.node_of(mysql(1)));  // 1124Mi each: one per t3.small
  for (int i = 0; i < 2; ++i) {
    SCOPED_TRACE(mysql(i));
    EXPECT_EQ(r.cause(mysql(i)), PodCause::Ready);
    const auto* pvc = r.cluster().store().get<k8s::PersistentVolumeClaim>(data(i));
    ASSERT_NE(pvc, nullptr);
    EXPECT_EQ(pvc->phase, k8s::PvcPhase::Bound);
    EXPECT_EQ(pvc->request_bytes, std::int64_t{10} << 30);
    EXPECT_EQ(pvc->access_modes, std::vector<k8s::AccessMode>{k8s::AccessMode::ReadWriteOnce});
    EXPECT_EQ(pvc->storage_class_name.value_or("(default)"), "gp2");
    EXPECT_EQ(r.volume_zone(r.volume_of_claim(data(i))), r.zone_of_node(r.node_of(mysql(i))));
  }
  // OrderedReady: mysql-1 is created once mysql-0 is Running and Ready.
  const auto created = r.events("SuccessfulCreate", "statefulset/mysql");
  ASSERT_EQ(created.size(), 2u);
  EXPECT_GE(created[1].time, *r.first(mysql(0), PodCause::Ready, sim::Time::origin()));
}

TEST(Seed003, ReplayOfTheWorkshop) {
  auto s = load_shipped("seed-003-eks-mysql");
  ASSERT_TRUE(s);
  Replay r(*s);
  const std::string node1 = r.node_of(mysql(1));
  const std::uint64_t uid1 = r.pod(mysql(1))->meta.uid;
  const std::string vol1 = r.volume_of_claim(data(1));

  // 10m-15m: readiness failure (`mv /usr/bin/mysql /usr/bin/mysql.off`). The probe runs every
  // 2 s (failureThreshold 3): not Ready within 6 s, Running all along (same pod, no restart), and
  // Ready again at the first probe (<= 2 s) after the fix.
  r.advance_to(19_min);
  const auto down = r.first(mysql(1), PodCause::NotReady, r.at(10_min));
  ASSERT_TRUE(down);
  EXPECT_GT(*down, r.at(10_min));
  EXPECT_LE(*down, r.at(10_min + 6_s));
  const auto up = r.first(mysql(1), PodCause::Ready, *down);
  ASSERT_TRUE(up);
  EXPECT_GE(*up, r.at(15_min));
  EXPECT_LE(*up, r.at(15_min + 2_s));
  EXPECT_EQ(r.causes(mysql(1), *down, *up), std::vector<PodCause>{PodCause::NotReady});
  EXPECT_EQ(r.pod(mysql(1))->meta.uid, uid1);
  EXPECT_EQ(r.events("Started", "pod/mysql-1", r.at(10_min)).size(), 0u);
  ASSERT_EQ(r.events("Unhealthy", "pod/mysql-1", r.at(10_min)).size(), 1u);

  // 20m: delete mysql-1: Terminating (grace <= 30 s), re-created with the same name on the same
  // node (one node per zone) and the same claim; Running 2/2 within about 20 s (tutorial: 18 s).
  r.advance_to(29_min);
  const auto created = r.events("SuccessfulCreate", "statefulset/mysql", r.at(20_min));
  ASSERT_EQ(created.size(), 1u);
  EXPECT_LE(created[0].time, r.at(20_min + 30_s));
  EXPECT_EQ(r.causes(mysql(1), r.at(20_min), created[0].time), std::vector<PodCause>{PodCause::NotReady});  // Terminating
  EXPECT_NE(r.pod(mysql(1))->meta.uid, uid1);
  EXPECT_EQ(r.node_of(mysql(1)), node1);
  EXPECT_EQ(r.volume_of_claim(data(1)), vol1);
  const auto ready = r.first(mysql(1), PodCause::Ready, created[0].time);
  ASSERT_TRUE(ready);
  EXPECT_LT(*ready - created[0].time, 30_s);

  // 30m: scale to 3: mysql-2 on the third node (the only one with room), its claim provisioned in
  // that node's zone.
  r.advance_to(44_min);
  ASSERT_NE(r.pod(mysql(2)), nullptr);
  EXPECT_EQ(r.cause(mysql(2)), PodCause::Ready);
  const std::string node2 = r.node_of(mysql(2));
  EXPECT_NE(node2, r.node_of(mysql(0)));
  EXPECT_NE(node2, r.node_of(mysql(1)));
  const std::string vol2 = r.volume_of_claim(data(2));
  EXPECT_EQ(r.volume_zone(vol2), r.zone_of_node(node2));

  // 45m: scale to 2: the highest ordinal goes; its claim stays Bound with its volume.
  r.advance_to(49_min);
  EXPECT_EQ(r.pod(mysql(2)), nullptr);
  const auto deleted = r.events("SuccessfulDelete", "statefulset/mysql", r.at(45_min));
  ASSERT_EQ(deleted.size(), 1u);
  EXPECT_EQ(deleted[0].message, "delete Pod mysql-2 in StatefulSet mysql successful");
  for (int i = 0; i < 2; ++i) EXPECT_EQ(r.not_ready(mysql(i), r.at(30_min), r.at(49_min)), sim::Duration::zero());
  const auto* pvc2 = r.cluster().store().get<k8s::PersistentVolumeClaim>(data(2));
  ASSERT_NE(pvc2, nullptr);
  EXPECT_EQ(pvc2->phase, k8s::PvcPhase::Bound);
  EXPECT_EQ(r.volume_of_claim(data(2)), vol2);
  const std::string pv2 = pvc2->volume_name;

  // 50m: delete the claim: reclaim policy Delete removes the PV and the EBS volume.
  r.advance_to(60_min);
  EXPECT_EQ(r.cluster().store().get<k8s::PersistentVolumeClaim>(data(2)), nullptr);
  EXPECT_EQ(r.cluster().store().get<k8s::PersistentVolume>(pv2), nullptr);
  ASSERT_NE(r.cluster().cloud().volume(vol2), nullptr);
  EXPECT_EQ(r.cluster().cloud().volume(vol2)->state, cloud::VolumeState::Deleted);

  const auto rep = r.world().report();
  ASSERT_EQ(rep.data.size(), 1u);
  EXPECT_EQ(rep.data[0].rows, 1);
  EXPECT_EQ(rep.data[0].rows_lost, 0);
  EXPECT_DOUBLE_EQ(rep.data[0].read_availability, 1.0);  // mysql-0 serves reads and writes
  EXPECT_DOUBLE_EQ(rep.data[0].write_availability, 1.0);
}

// The tutorial's other reclaim policy: with Retain ("you can still see the EBS volume in your AWS
// EC2 console, with its state as available") the claim's deletion leaves the PV Released and the
// volume detached and available.
TEST(Seed003, WithReclaimRetainTheVolumeOutlivesTheClaim) {
  auto s = load_shipped("seed-003-eks-mysql");
  ASSERT_TRUE(s);
  ASSERT_EQ(s->manifests.storage_classes.size(), 1u);
  s->manifests.storage_classes[0].object.reclaim_policy = k8s::ReclaimPolicy::Retain;
  Replay r(*s);
  r.advance_to(49_min);
  const std::string pv2 = r.cluster().store().get<k8s::PersistentVolumeClaim>(data(2))->volume_name;
  const std::string vol2 = r.volume_of_claim(data(2));
  ASSERT_FALSE(vol2.empty());
  r.advance_to(60_min);
  EXPECT_EQ(r.cluster().store().get<k8s::PersistentVolumeClaim>(data(2)), nullptr);
  const auto* pv = r.cluster().store().get<k8s::PersistentVolume>(pv2);
  ASSERT_NE(pv, nullptr);
  EXPECT_EQ(pv->phase, k8s::PvPhase::Released);
  const cloud::Volume* v = r.cluster().cloud().volume(vol2);
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->state, cloud::VolumeState::Available);
  EXPECT_EQ(v->attach_state, cloud::AttachState::Detached);
  EXPECT_FALSE(v->lost);
}

}  // namespace
}  // namespace azsim::seeds::testing
