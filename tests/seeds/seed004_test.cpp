// Seed 004: Jenkins (a one-replica Deployment) on a hand-made EBS volume in us-east-2a, on a kops
// cluster whose two workers are in us-east-2a and us-east-2c (notes/seed-outcomes.md, seed 004).
// The worker running Jenkins is terminated, or its whole zone goes out for 2 h.
#include <set>

#include "tests/seeds/replay.hpp"

namespace azsim::seeds::testing {
namespace {

const char* kVolume = "vol-0jenkins";
const char* kZoneA = "us-east-2a";

// Derived (1.29, in-tree PV labelled by PersistentVolumeLabel, so VolumeBinding checks its zone):
// masters fail TaintToleration first, workers outside us-east-2a fail VolumeBinding.
const char* kMessage4 =
    "0/4 nodes are available: 1 node(s) had volume node affinity conflict, 3 node(s) had untolerated taint "
    "{node-role.kubernetes.io/master: }. preemption: 0/4 nodes are available: 4 Preemption is not helpful for "
    "scheduling.";
const char* kMessage5 =
    "0/5 nodes are available: 2 node(s) had volume node affinity conflict, 3 node(s) had untolerated taint "
    "{node-role.kubernetes.io/master: }. preemption: 0/5 nodes are available: 5 Preemption is not helpful for "
    "scheduling.";
// While the zone is out and the worker's Node still exists: its unreachable NoSchedule taint is
// the first it does not tolerate; the us-east-2a master lists its master taint first.
const char* kMessage5Unreachable =
    "0/5 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 1 node(s) had "
    "volume node affinity conflict, 3 node(s) had untolerated taint {node-role.kubernetes.io/master: }. preemption: "
    "0/5 nodes are available: 5 Preemption is not helpful for scheduling.";

/// Jenkins' pods (generated names): the live one last.
std::vector<std::string> jenkins_pods(Replay& r) {
  std::vector<std::string> out;
  for (const auto* p : r.cluster().store().list<k8s::Pod>())
    if (p->meta.ns == "jenkins") out.push_back(p->meta.key());
  return out;
}

/// The worker layout the book describes (us-east-2a and us-east-2c), from the group's
/// initialPlacement.
bool has_book_layout(Replay& r) {
  const auto w = r.group_nodes("nodes");
  return w.size() == 2 && w.count("us-east-2a") && w.count("us-east-2c");
}

void expect_time_zero(Replay& r) {
  const auto* pv = r.cluster().store().get<k8s::PersistentVolume>("manual-ebs-01");
  ASSERT_NE(pv, nullptr);
  ASSERT_EQ(pv->meta.labels.count(k8s::wellknown::kZoneLegacy), 1u);  // PersistentVolumeLabel
  EXPECT_EQ(pv->meta.labels.at(k8s::wellknown::kZoneLegacy), kZoneA);
  const auto* pvc = r.cluster().store().get<k8s::PersistentVolumeClaim>("jenkins/jenkins");
  ASSERT_NE(pvc, nullptr);
  EXPECT_EQ(pvc->phase, k8s::PvcPhase::Bound);
  EXPECT_EQ(pvc->volume_name, "manual-ebs-01");
  const auto pods = jenkins_pods(r);
  ASSERT_EQ(pods.size(), 1u);
  EXPECT_EQ(r.cause(pods[0]), PodCause::Ready);
  EXPECT_EQ(r.node_of(pods[0]), r.group_nodes("nodes").at(kZoneA).at(0));
  EXPECT_EQ(r.node_of_volume(kVolume), r.node_of(pods[0]));
}

/// Outcomes shared by every case: the data survives, the claim keeps its volume.
void expect_data_kept(Replay& r) {
  EXPECT_EQ(r.cluster().store().get<k8s::PersistentVolumeClaim>("jenkins/jenkins")->volume_name, "manual-ebs-01");
  EXPECT_FALSE(r.cluster().cloud().volume(kVolume)->lost);
  const auto rep = r.world().report();
  ASSERT_EQ(rep.data.size(), 1u);
  EXPECT_EQ(rep.data[0].rows_lost, 0);
}

// The replacement worker goes to a zone with the fewest workers: us-east-2a or us-east-2b (0
// each). AWS does not publish the tie-break (the book: "a 50% chance"); with AzTieBreak::Random
// the seed decides (the worker group's `azTieBreak: random`). Seed 4 sends it to us-east-2a,
// seed 1 to us-east-2b.
scenario::Scenario node_loss(std::uint64_t seed) {
  auto s = load_shipped("seed-004-jenkins-ebs");
  EXPECT_TRUE(s);
  for (auto& g : s->cloud.node_groups)
    if (g.name == "nodes") g.az_tie_break = cloud::AzTieBreak::Random;
  s->seed = seed;
  return *s;
}

TEST(Seed004, NodeLossReplacementInTheVolumesZoneBringsJenkinsBack) {
  Replay r(node_loss(4));
  ASSERT_TRUE(has_book_layout(r)) << "nodeGroups[].initialPlacement must put the workers in us-east-2a and us-east-2c";
  expect_time_zero(r);
  const std::string old_pod = jenkins_pods(r).at(0);
  const std::string old_node = r.node_of(old_pod);

  r.advance_to(60_min);
  ASSERT_EQ(r.group_nodes("nodes").count(kZoneA), 1u) << "seed 4 no longer replaces the worker in us-east-2a";
  const auto deleted = r.events("DeletingNode", "node/" + old_node);
  ASSERT_EQ(deleted.size(), 1u);
  const auto gc = r.events("PodGC", "pod/" + old_pod.substr(old_pod.find('/') + 1));
  ASSERT_EQ(gc.size(), 1u);
  const auto pods = jenkins_pods(r);
  ASSERT_EQ(pods.size(), 1u);
  const std::string pod = pods[0];
  ASSERT_NE(pod, old_pod);
  // The ReplicaSet replaces the pod once PodGC removed it.
  EXPECT_EQ(r.first(pod, PodCause::Unschedulable, sim::Time::origin()).value_or(gc[0].time), gc[0].time);
  for (const auto& e : r.events("FailedScheduling", "pod/" + pod.substr(pod.find('/') + 1))) EXPECT_EQ(e.message, kMessage4);
  // Back on the new us-east-2a worker, after the 6-minute force detach of the volume the
  // controller still held on the terminated worker (Multi-Attach meanwhile).
  EXPECT_EQ(r.cause(pod), PodCause::Ready);
  EXPECT_EQ(r.zone_of_node(r.node_of(pod)), kZoneA);
  EXPECT_EQ(r.node_of_volume(kVolume), r.node_of(pod));
  const auto multi = r.events("FailedAttachVolume", "pod/" + pod.substr(pod.find('/') + 1));
  ASSERT_EQ(multi.size(), 1u);
  EXPECT_EQ(multi[0].message,
            "Multi-Attach error for volume \"manual-ebs-01\" Volume is already exclusively attached to one node and "
            "can't be attached to another");
  const auto attached = r.events("SuccessfulAttachVolume", "pod/" + pod.substr(pod.find('/') + 1));
  ASSERT_EQ(attached.size(), 1u);
  EXPECT_GE(attached[0].time, gc[0].time + 6_min);
  EXPECT_LE(attached[0].time, gc[0].time + 6_min + 5_s);
  const auto causes = r.causes(pod, gc[0].time, r.at(60_min));
  EXPECT_NE(std::find(causes.begin(), causes.end(), PodCause::VolumeAttach), causes.end());
  EXPECT_EQ(causes.back(), PodCause::Ready);
  expect_data_kept(r);
}

TEST(Seed004, NodeLossReplacementInAnotherZoneLeavesJenkinsPendingToTheEnd) {
  Replay r(node_loss(1));
  ASSERT_TRUE(has_book_layout(r)) << "nodeGroups[].initialPlacement must put the workers in us-east-2a and us-east-2c";
  expect_time_zero(r);
  r.advance_to(60_min);
  const auto workers = r.group_nodes("nodes");
  ASSERT_EQ(workers.count(kZoneA), 0u) << "seed 1 no longer replaces the worker outside us-east-2a";
  EXPECT_EQ(workers.count("us-east-2b"), 1u);  // balanced 0/1/1: nothing moves it
  const auto pods = jenkins_pods(r);
  ASSERT_EQ(pods.size(), 1u);
  EXPECT_EQ(r.cause(pods[0]), PodCause::Unschedulable);
  EXPECT_FALSE(r.pod(pods[0])->bound());
  EXPECT_EQ(r.cluster().scheduling_message(pods[0]), kMessage5);
  for (const auto& e : r.events("FailedScheduling", "pod/" + pods[0].substr(pods[0].find('/') + 1)))
    EXPECT_TRUE(e.message == kMessage4 || e.message == kMessage5) << e.message;
  const auto rep = r.world().report();
  ASSERT_EQ(rep.data.size(), 1u);
  ASSERT_EQ(rep.data[0].unavailable_windows.size(), 1u);
  EXPECT_EQ(rep.data[0].unavailable_windows[0].from, 10_min);
  EXPECT_EQ(rep.data[0].unavailable_windows[0].to, 60_min);
  expect_data_kept(r);
}

TEST(Seed004ZoneOutage, JenkinsIsDownForTheOutageAndTheReplacedWorkerNeverReturns) {
  auto s = load_shipped("seed-004-jenkins-ebs-zone-outage");
  ASSERT_TRUE(s);
  Replay r(*s);
  ASSERT_TRUE(has_book_layout(r)) << "nodeGroups[].initialPlacement must put the workers in us-east-2a and us-east-2c";
  expect_time_zero(r);
  const std::string pod0 = jenkins_pods(r).at(0);
  const std::string worker = r.node_of(pod0);

  r.advance_to(1_h);
  // Both us-east-2a nodes (worker and master) turn Unknown 35-50 s after the outage began.
  std::set<std::string> zone_a_nodes;
  for (const auto* n : r.cluster().store().list<k8s::Node>())
    if (n->zone() == kZoneA) zone_a_nodes.insert(n->meta.name);
  const auto not_ready = r.events("NodeNotReady", "", r.at(10_min));
  ASSERT_EQ(not_ready.size(), 2u);
  for (const auto& e : not_ready) {
    EXPECT_GT(e.time, r.at(10_min + 35_s));
    EXPECT_LE(e.time, r.at(10_min + 50_s));
  }
  EXPECT_EQ(r.causes(pod0, r.at(10_min), not_ready[0].time), std::vector<PodCause>{PodCause::NodeLost});
  // EC2 status checks fail; 60 s later the ASG terminates the impaired worker (its grace period
  // long over) and launches a replacement in the least populated healthy zone, us-east-2b. The
  // master group is single-zone: it cannot replace its master until the zone is back.
  const auto workers = r.group_nodes("nodes");
  EXPECT_EQ(workers.count(kZoneA), 0u);
  EXPECT_EQ(workers.count("us-east-2b"), 1u);
  EXPECT_EQ(r.cluster().store().get<k8s::Node>(worker), nullptr);
  EXPECT_EQ(r.cluster().cloud().group_instances("master-us-east-2a").size(), 0u);
  std::set<std::string> master_zones;
  for (const auto* n : r.cluster().store().list<k8s::Node>())
    if (n->meta.labels.count("node-role.kubernetes.io/master") && n->status.ready == k8s::ConditionStatus::True)
      master_zones.insert(n->zone());
  EXPECT_EQ(master_zones, (std::set<std::string>{"us-east-2b", "us-east-2c"}));  // 2 of 3 masters
  EXPECT_FALSE(r.events("FailedLaunch", "asg/master-us-east-2a", r.at(10_min)).empty());

  r.advance_to(4_h);
  // The zone is back at 2h10m: its master group relaunches there; the worker group is balanced
  // (0/1/1) and stays so. Jenkins' volume has no worker in its zone: Pending to the end.
  EXPECT_EQ(r.cluster().cloud().group_instances("master-us-east-2a").size(), 1u);
  EXPECT_EQ(r.group_nodes("nodes").count(kZoneA), 0u);
  const auto pods = jenkins_pods(r);
  ASSERT_EQ(pods.size(), 1u);
  EXPECT_NE(pods[0], pod0);
  EXPECT_EQ(r.cause(pods[0]), PodCause::Unschedulable);
  EXPECT_EQ(r.cluster().scheduling_message(pods[0]), kMessage5);
  EXPECT_FALSE(r.cluster().cloud().volume(kVolume)->impaired);
  const auto rep = r.world().report();
  ASSERT_EQ(rep.data.size(), 1u);
  ASSERT_EQ(rep.data[0].unavailable_windows.size(), 1u);
  EXPECT_EQ(rep.data[0].unavailable_windows[0].from, 10_min);
  EXPECT_EQ(rep.data[0].unavailable_windows[0].to, 4_h);
  expect_data_kept(r);
}

TEST(Seed004ZoneOutage, WithoutAReplacementJenkinsWaitsForTheZoneToComeBack) {
  auto s = load_shipped("seed-004-jenkins-ebs-zone-outage");
  ASSERT_TRUE(s);
  // The tutorial's "wait for the availability zone to come back online": the Auto Scaling groups
  // must not replace the unreachable instances, e.g. a health-check grace period longer than the
  // outage (the us-east-2a master's Node then stays too).
  for (auto& g : s->cloud.node_groups) g.health_check_grace_period = 3_h;
  Replay r(*s);
  ASSERT_TRUE(has_book_layout(r)) << "nodeGroups[].initialPlacement must put the workers in us-east-2a and us-east-2c";
  const std::string pod0 = jenkins_pods(r).at(0);
  const std::string worker = r.node_of(pod0);

  r.advance_to(1_h);
  const auto not_ready = r.events("NodeNotReady", "node/" + worker, r.at(10_min));
  ASSERT_EQ(not_ready.size(), 1u);
  // The zone is fully disrupted (no Ready node): NoExecute taints at the normal rate, one node per
  // 10 s; the pod is marked for deletion when its 300 s unreachable toleration ends.
  const auto evicted = r.events("TaintManagerEviction", "pod/" + pod0.substr(pod0.find('/') + 1));
  ASSERT_EQ(evicted.size(), 1u);
  EXPECT_GE(evicted[0].time, not_ready[0].time + 300_s);
  EXPECT_LE(evicted[0].time, not_ready[0].time + 310_s);
  EXPECT_EQ(r.cause(pod0), PodCause::StuckTerminating);
  const auto pods = jenkins_pods(r);
  ASSERT_EQ(pods.size(), 2u);
  const std::string pod1 = pods[0] == pod0 ? pods[1] : pods[0];
  EXPECT_EQ(r.cause(pod1), PodCause::Unschedulable);
  EXPECT_EQ(r.cluster().scheduling_message(pod1), kMessage5Unreachable);
  EXPECT_TRUE(r.cluster().cloud().volume(kVolume)->impaired);

  r.advance_to(4_h);
  // Back at 2h10m: the worker reports Ready, its kubelet removes the evicted pod, the new pod
  // runs there with the volume still attached to it (no Multi-Attach).
  EXPECT_EQ(r.pod(pod0), nullptr);
  EXPECT_EQ(r.cause(pod1), PodCause::Ready);
  EXPECT_EQ(r.node_of(pod1), worker);
  EXPECT_EQ(r.node_of_volume(kVolume), worker);
  EXPECT_TRUE(r.events("FailedAttachVolume").empty());
  const auto back = r.first(pod1, PodCause::Ready, r.at(10_min));
  ASSERT_TRUE(back);
  EXPECT_GT(*back, r.at(2_h + 10_min));
  EXPECT_LT(*back, r.at(2_h + 12_min));
  expect_data_kept(r);
}

}  // namespace
}  // namespace azsim::seeds::testing
