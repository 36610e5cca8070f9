// Seed 002: the EKS "Persistence" training. A hand-made EBS volume mounted inline by a MySQL
// Deployment pinned by a node label (delete the pod), and a 3-node Galera StatefulSet on the
// default in-tree gp2 class with Immediate binding (delete a pod, scale 3 -> 0 -> 3)
// (notes/seed-outcomes.md, seed 002 (c)).
#include <set>

#include "tests/seeds/replay.hpp"

namespace azsim::seeds::testing {
namespace {

std::string db(int i) { return "default/db-" + std::to_string(i); }
std::string claim(int i) { return "default/pv-data-db-" + std::to_string(i); }

/// The Deployment's pods (generated names), in name order.
std::vector<const k8s::Pod*> deployment_pods(Replay& r) {
  std::vector<const k8s::Pod*> out;
  for (const auto* p : r.cluster().store().list<k8s::Pod>())
    if (p->meta.owner && p->meta.owner->kind == "ReplicaSet") out.push_back(p);
  return out;
}

TEST(Seed002Manual, DeletedPodComesBackOnTheLabelledNodeWithTheVolumeStillAttached) {
  auto s = load_shipped("seed-002-mysql-manual-ebs");
  ASSERT_TRUE(s);
  Replay r(*s);
  const std::string vol = "vol-068c0000fe3b7cc41";
  // Setup: the label is on exactly one node, the first NodeGroup worker of ap-northeast-1a.
  std::vector<std::string> labelled;
  for (const auto* n : r.cluster().store().list<k8s::Node>())
    if (n->meta.labels.count("azs")) labelled.push_back(n->meta.name);
  ASSERT_EQ(labelled.size(), 1u);
  EXPECT_EQ(labelled[0], r.group_nodes("NodeGroup").at("ap-northeast-1a").at(0));
  auto pods = deployment_pods(r);
  ASSERT_EQ(pods.size(), 1u);
  const std::string old_key = pods[0]->meta.key();
  EXPECT_EQ(pods[0]->spec.node_name, labelled[0]);
  EXPECT_EQ(r.cause(old_key), PodCause::Ready);
  EXPECT_EQ(r.node_of_volume(vol), labelled[0]);
  // Watch the volume: it must never leave the node.
  std::vector<cloud::AttachState> states;
  r.cluster().subscribe_volume_changed([&](const cloud::Volume& v) {
    if (v.id == vol) states.push_back(v.attach_state);
  });

  r.advance_to(30_min);
  // The ReplicaSet creates the replacement (a new name) at once.
  const auto created = r.events("SuccessfulCreate", "", r.at(10_min));
  ASSERT_EQ(created.size(), 1u);
  EXPECT_EQ(created[0].time, r.at(10_min));
  pods = deployment_pods(r);
  ASSERT_EQ(pods.size(), 1u);
  const std::string new_key = pods[0]->meta.key();
  EXPECT_NE(new_key, old_key);
  EXPECT_EQ(created[0].message, "Created pod: " + pods[0]->meta.name);
  EXPECT_EQ(pods[0]->spec.node_name, labelled[0]);  // only the labelled node matches
  EXPECT_EQ(r.cause(new_key), PodCause::Ready);
  // While the old pod terminates on that node, VolumeRestrictions refuses a second pod with the
  // same EBS volume there; the two other nodes lack the label (UnschedulableAndUnresolvable).
  for (const auto& e : r.events("FailedScheduling", "pod/" + pods[0]->meta.name))
    EXPECT_EQ(e.message,
              "0/3 nodes are available: 1 node(s) had no available disk, 2 node(s) didn't match Pod's node "
              "affinity/selector. preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, "
              "2 Preemption is not helpful for scheduling.");
  // Running again within about a minute, the volume attached to the same node all along.
  const auto ready = r.first(new_key, PodCause::Ready, r.at(10_min));
  ASSERT_TRUE(ready);
  EXPECT_LT(*ready - r.at(10_min), 1_min);
  EXPECT_EQ(r.node_of_volume(vol), labelled[0]);
  EXPECT_EQ(std::count(states.begin(), states.end(), cloud::AttachState::Detaching), 0);
  EXPECT_TRUE(r.events("FailedAttachVolume").empty());

  const auto rep = r.world().report();
  ASSERT_EQ(rep.data.size(), 1u);
  EXPECT_EQ(rep.data[0].rows, 3);
  EXPECT_EQ(rep.data[0].rows_lost, 0);
  // Unavailable only from the old pod's end to the new pod's Ready.
  ASSERT_EQ(rep.data[0].unavailable_windows.size(), 1u);
  EXPECT_EQ(rep.data[0].unavailable_windows[0].from, 10_min);
  EXPECT_EQ(rep.data[0].unavailable_windows[0].to, *ready - r.t0());
}

TEST(Seed002Galera, SetupOrderedStartClaimsAndDynamicVolume) {
  auto s = load_shipped("seed-002-galera-ebs");
  ASSERT_TRUE(s);
  Replay r(*s);
  // PVC dynamic-data: provisioned at once in ap-northeast-1b (Immediate: FNV-1("dynamic-data")
  // mod 3 = 1), Bound, 50Gi, reclaim Delete, and never attached (no pod uses it).
  const auto* pvc = r.cluster().store().get<k8s::PersistentVolumeClaim>("default/dynamic-data");
  ASSERT_NE(pvc, nullptr);
  EXPECT_EQ(pvc->phase, k8s::PvcPhase::Bound);
  const auto* pv = r.cluster().store().get<k8s::PersistentVolume>(pvc->volume_name);
  ASSERT_NE(pv, nullptr);
  EXPECT_EQ(pv->capacity_bytes, std::int64_t{50} << 30);
  EXPECT_EQ(pv->reclaim_policy, k8s::ReclaimPolicy::Delete);
  const std::string dyn = r.volume_of_claim("default/dynamic-data");
  EXPECT_EQ(r.volume_zone(dyn), "ap-northeast-1b");
  EXPECT_EQ(r.cluster().cloud().volume(dyn)->attach_state, cloud::AttachState::Detached);
  EXPECT_EQ(r.cluster().cloud().volume(dyn)->size_gib, 50);

  // Claims pv-data-db-N by ordinal from FNV-1("db") mod 3 = 1: 1b, 1c, 1a; each pod in its
  // volume's zone.
  const char* zone_of[] = {"ap-northeast-1b", "ap-northeast-1c", "ap-northeast-1a"};
  for (int i = 0; i < 3; ++i) {
    SCOPED_TRACE(db(i));
    EXPECT_EQ(r.volume_zone(r.volume_of_claim(claim(i))), zone_of[i]);
    EXPECT_EQ(r.zone_of_node(r.node_of(db(i))), zone_of[i]);
    EXPECT_EQ(r.cause(db(i)), PodCause::Ready);
  }
  // OrderedReady: db-N+1 is created only once db-N is Ready. The readiness probe (initial delay
  // 5 s, period 10 s, successThreshold 2) passes twice, so Ready is at least 15 s after the
  // container started, on the probe grid (5 s + k x 10 s).
  const auto created = r.events("SuccessfulCreate", "statefulset/db");
  ASSERT_GE(created.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    SCOPED_TRACE(db(i));
    const auto started = r.events("Started", "pod/db-" + std::to_string(i));
    ASSERT_EQ(started.size(), 1u);
    const auto ready = r.first(db(i), PodCause::Ready, sim::Time::origin());
    ASSERT_TRUE(ready);
    const sim::Duration after = *ready - started[0].time;
    EXPECT_GE(after, 15_s);
    EXPECT_EQ((after - 5_s).us() % (10_s).us(), 0);
    if (i < 2) {
      EXPECT_GE(created[static_cast<std::size_t>(i) + 1].time, *ready);
    }
  }
}

TEST(Seed002Galera, DeletePodThenScaleToZeroAndBackKeepsClaimsVolumesAndData) {
  auto s = load_shipped("seed-002-galera-ebs");
  ASSERT_TRUE(s);
  Replay r(*s);
  std::string vols[3], zones[3];
  for (int i = 0; i < 3; ++i) {
    vols[i] = r.volume_of_claim(claim(i));
    zones[i] = r.zone_of_node(r.node_of(db(i)));
  }

  // 10m: db-0 deleted, re-created with the same name, claim, volume and zone.
  r.advance_to(19_min);
  const auto recreated = r.events("SuccessfulCreate", "statefulset/db", r.at(10_min));
  ASSERT_EQ(recreated.size(), 1u);
  EXPECT_EQ(recreated[0].message, "create Pod db-0 in StatefulSet db successful");
  EXPECT_EQ(r.cause(db(0)), PodCause::Ready);
  EXPECT_EQ(r.volume_of_claim(claim(0)), vols[0]);
  EXPECT_EQ(r.zone_of_node(r.node_of(db(0))), zones[0]);
  for (int i : {1, 2}) EXPECT_EQ(r.not_ready(db(i), r.t0(), r.at(19_min)), sim::Duration::zero());

  // 20m: scale to 0: db-2, db-1, db-0, each deleted once the previous one is gone.
  r.advance_to(24_min);
  const auto deletes = r.events("SuccessfulDelete", "statefulset/db", r.at(20_min));
  ASSERT_EQ(deletes.size(), 3u);
  const char* order[] = {"db-2", "db-1", "db-0"};
  for (int k = 0; k < 3; ++k) {
    EXPECT_EQ(deletes[static_cast<std::size_t>(k)].message,
              std::string("delete Pod ") + order[k] + " in StatefulSet db successful");
    if (k > 0) {
      const auto gone = r.first("default/" + std::string(order[k - 1]), PodCause::Absent, r.at(20_min));
      ASSERT_TRUE(gone);
      EXPECT_GE(deletes[static_cast<std::size_t>(k)].time, *gone);
    }
  }
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(r.pod(db(i)), nullptr);
    const auto* pvc = r.cluster().store().get<k8s::PersistentVolumeClaim>(claim(i));
    ASSERT_NE(pvc, nullptr);  // whenScaled: Retain
    EXPECT_EQ(pvc->phase, k8s::PvcPhase::Bound);
    EXPECT_EQ(r.volume_of_claim(claim(i)), vols[i]);
  }

  // 25m: scale to 3: db-0 first, then db-1, db-2, on the same claims and volumes.
  r.advance_to(45_min);
  const auto creates = r.events("SuccessfulCreate", "statefulset/db", r.at(25_min));
  ASSERT_EQ(creates.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(creates[static_cast<std::size_t>(i)].message,
              "create Pod db-" + std::to_string(i) + " in StatefulSet db successful");
    EXPECT_EQ(r.cause(db(i)), PodCause::Ready);
    EXPECT_EQ(r.volume_of_claim(claim(i)), vols[i]);
    EXPECT_EQ(r.node_of_volume(vols[i]), r.node_of(db(i)));
  }
  const auto rep = r.world().report();
  ASSERT_EQ(rep.data.size(), 1u);
  EXPECT_EQ(rep.data[0].rows, 3);
  EXPECT_EQ(rep.data[0].rows_lost, 0);
  EXPECT_EQ(rep.data[0].rows_readable_min, 0);  // nothing to read while scaled to 0
}

}  // namespace
}  // namespace azsim::seeds::testing
