// The timeline of a lost node with the default settings (FIDELITY.md section C), on a small
// inline cluster: 4 t3.medium over two zones, one Auto Scaling group, EBS attach/detach 2 s.
//
// Derivation of the windows asserted here (FIDELITY A):
// - the kubelet renews its lease every 10 s, so the last renewal is 0-10 s before the loss; the
//   node monitor (every 5 s) records it at its next pass (probe time) and marks the node
//   Unknown at its first pass more than node-monitor-grace-period after that probe: 35-50 s
//   after the loss with the 40 s grace of 1.29, 45-60 s with the 50 s grace of 1.32;
// - the first NotReady node of a healthy zone gets its NoExecute taint at once, and a pod's
//   300 s DefaultTolerationSeconds toleration then runs out: marked for deletion 335-350 s
//   (1.29) or 345-360 s (1.32) after the loss ("~5.9 min");
// - a running but unreachable instance is never deleted by the cloud node lifecycle controller,
//   so that pod stays Terminating; its volume stays desired by it (its containers still show as
//   running), so the Deployment's replacement waits on Multi-Attach until the pod object goes.
#include "tests/seeds/inline.hpp"

namespace azsim::seeds::testing {
namespace {

using scenario::FaultAction;

struct Grace {
  const char* version;
  sim::Duration grace;
};

class HardKill : public ::testing::TestWithParam<Grace> {};

TEST_P(HardKill, KubeletDownDeploymentPodStuckTerminatingReplacementWaitsOnMultiAttach) {
  Inline in;
  in.version = GetParam().version;
  in.manifests = std::string(kStorageClass) + kDeploymentWithVolume;
  Replay r(load(in));
  const std::string p0 = app_pods(r).at(0);
  const std::string node = r.node_of(p0);
  const std::string other = sibling(r, node);
  ASSERT_FALSE(other.empty());
  const std::string vol = r.volume_of_claim("default/app-data");
  const std::string pv = r.cluster().store().get<k8s::PersistentVolumeClaim>("default/app-data")->volume_name;
  Faults faults(r);
  faults.at(10_min, node_fault(FaultAction::KubeletDown, node));

  r.advance_to(2_h);
  const sim::Duration g = GetParam().grace;
  // Not detected yet, then Unknown within the derived window.
  const auto not_ready = r.events("NodeNotReady", "node/" + node);
  ASSERT_EQ(not_ready.size(), 1u);
  const sim::Time unknown = not_ready[0].time;
  EXPECT_GT(unknown, r.at(10_min) + g - 5_s);
  EXPECT_LE(unknown, r.at(10_min) + g + 10_s);
  EXPECT_EQ(r.causes(p0, r.at(10_min), unknown), std::vector<PodCause>{PodCause::NodeLost});
  const k8s::Node* n = r.cluster().store().get<k8s::Node>(node);
  ASSERT_NE(n, nullptr);  // never deleted: the instance runs
  EXPECT_EQ(n->status.ready, k8s::ConditionStatus::Unknown);
  EXPECT_TRUE(has_taint(r, node, k8s::wellknown::kTaintUnreachable, k8s::TaintEffect::NoSchedule));
  EXPECT_TRUE(has_taint(r, node, k8s::wellknown::kTaintUnreachable, k8s::TaintEffect::NoExecute));
  // Marked for deletion when the toleration runs out.
  const auto evicted = r.events("TaintManagerEviction", "pod/" + name_of(p0));
  ASSERT_EQ(evicted.size(), 1u);
  EXPECT_EQ(evicted[0].time, unknown + 300_s);
  EXPECT_EQ(evicted[0].message, "Marking for deletion Pod " + p0);
  EXPECT_EQ(r.causes(p0, unknown, evicted[0].time), std::vector<PodCause>{PodCause::EvictionWait});
  // Stuck Terminating for good.
  ASSERT_NE(r.pod(p0), nullptr);
  EXPECT_TRUE(r.pod(p0)->terminating());
  EXPECT_EQ(r.causes(p0, evicted[0].time, r.at(2_h)), std::vector<PodCause>{PodCause::StuckTerminating});
  // The ReplicaSet replaces it at once; the replacement goes to the other node of the volume's
  // zone and gets one Multi-Attach event naming the pod that still uses the volume.
  const auto pods = app_pods(r);
  ASSERT_EQ(pods.size(), 2u);
  const std::string p1 = pods[0];
  EXPECT_EQ(r.events("SuccessfulCreate", "", evicted[0].time).at(0).time, evicted[0].time);
  EXPECT_EQ(r.node_of(p1), other);
  const auto multi = r.events("FailedAttachVolume", "pod/" + name_of(p1));
  ASSERT_EQ(multi.size(), 1u);
  EXPECT_EQ(multi[0].message, "Multi-Attach error for volume \"" + pv + "\" Volume is already used by pod(s) " + name_of(p0));
  EXPECT_EQ(r.cause(p1), PodCause::VolumeAttach);
  EXPECT_EQ(r.node_of_volume(vol), node);

  // `kubectl delete pod --force` of the stuck pod: the volume leaves the desired state; the node
  // is unhealthy, so the controller force-detaches it 6 minutes later: EC2 detaches it from the
  // running instance (2 s), then attach 2 s, start 5 s. The reconciler runs every 100 ms: one
  // tick to notice the deletion, one past the 6 minutes, one after the detach completed.
  scenario::Fault force = pod_fault(FaultAction::DeletePod, "default", name_of(p0));
  force.force = true;
  faults.at(2_h, force);
  r.advance_to(2_h + 10_min);
  EXPECT_EQ(r.pod(p0), nullptr);
  const auto attached = r.events("SuccessfulAttachVolume", "pod/" + name_of(p1));
  ASSERT_EQ(attached.size(), 1u);
  EXPECT_GT(attached[0].time, r.at(2_h + 6_min + 4_s));
  EXPECT_LE(attached[0].time, r.at(2_h + 6_min + 4_s + 300_ms));
  const auto ready = r.first(p1, PodCause::Ready, r.at(2_h));
  ASSERT_TRUE(ready);
  EXPECT_EQ(*ready, attached[0].time + 5_s);
  EXPECT_EQ(r.node_of_volume(vol), other);
  EXPECT_EQ(r.events("FailedAttachVolume", "pod/" + name_of(p1)).size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(ByVersion, HardKill,
                         ::testing::Values(Grace{"1.29", 40_s}, Grace{"1.32", 50_s}),
                         [](const ::testing::TestParamInfo<Grace>& i) {
                           return std::string("v") + (i.param.version[3] == '9' ? "129" : "132");
                         });

// Terminated instance (FIDELITY C step 4), StatefulSet pod with its volume, the ASG replaces the
// instance in the same zone while the pod moves to the other node of its zone.
TEST(NodeLoss, TerminatedInstanceNodeDeletedPodGcRecreatedForceDetachedAttached) {
  Inline in;
  in.manifests = std::string(kStorageClass) + statefulset(1);
  in.faults =
      "    - at: 10m\n"
      "      action: terminate-instance\n"
      "      node: {runningPod: db-0}\n";
  Replay r(load(in));
  const std::string pod = "default/db-0";
  const std::string node = r.node_of(pod);
  const std::string zone = r.zone_of_node(node);
  const std::string vol = r.volume_of_claim("default/data-db-0");
  const std::string pv = r.cluster().store().get<k8s::PersistentVolumeClaim>("default/data-db-0")->volume_name;

  r.advance_to(1_h);
  const auto not_ready = r.events("NodeNotReady", "node/" + node);
  ASSERT_EQ(not_ready.size(), 1u);
  EXPECT_GT(not_ready[0].time, r.at(10_min + 35_s));
  EXPECT_LE(not_ready[0].time, r.at(10_min + 50_s));
  // The cloud node lifecycle controller looks at not-Ready nodes every 5 s.
  const auto deleted = r.events("DeletingNode", "node/" + node);
  ASSERT_EQ(deleted.size(), 1u);
  EXPECT_GT(deleted[0].time, not_ready[0].time);
  EXPECT_LE(deleted[0].time, not_ready[0].time + 5_s);
  EXPECT_EQ(r.cluster().store().get<k8s::Node>(node), nullptr);
  // PodGC: at least its 40 s quarantine after the node is gone, on its 20 s period.
  const auto gc = r.events("PodGC", "pod/db-0");
  ASSERT_EQ(gc.size(), 1u);
  EXPECT_GE(gc[0].time, deleted[0].time + 40_s);
  EXPECT_LE(gc[0].time, deleted[0].time + 60_s);
  // Re-created at once with the same name, on a node of the volume's zone (the other one, or the
  // group's replacement if it joined before PodGC acted: boot 60 s after the group noticed).
  const auto created = r.events("SuccessfulCreate", "statefulset/db", r.at(10_min));
  ASSERT_EQ(created.size(), 1u);
  EXPECT_EQ(created[0].time, gc[0].time);
  const std::string other = r.node_of(pod);
  EXPECT_NE(other, node);
  EXPECT_EQ(r.zone_of_node(other), zone);
  // EC2 detached the volume when the instance terminated, but the attach/detach controller
  // still holds it on the deleted node: Multi-Attach, force detach 6 min after the pod left its
  // desired state (+ one 100 ms reconciler tick), then attach (2 s).
  const auto multi = r.events("FailedAttachVolume", "pod/db-0");
  ASSERT_EQ(multi.size(), 1u);
  EXPECT_EQ(multi[0].message, "Multi-Attach error for volume \"" + pv +
                                  "\" Volume is already exclusively attached to one node and can't be attached to another");
  const auto attached = r.events("SuccessfulAttachVolume", "pod/db-0", r.at(10_min));
  ASSERT_EQ(attached.size(), 1u);
  EXPECT_GT(attached[0].time, gc[0].time + 6_min + 2_s);
  EXPECT_LE(attached[0].time, gc[0].time + 6_min + 2_s + 200_ms);
  // Container start 5 s, then the readiness probe (initial delay 10 s) passes.
  const auto started = r.events("Started", "pod/db-0", r.at(10_min));
  ASSERT_EQ(started.size(), 1u);
  EXPECT_EQ(started[0].time, attached[0].time + 5_s);
  EXPECT_EQ(r.first(pod, PodCause::Ready, r.at(10_min)), started[0].time + 10_s);
  EXPECT_EQ(r.causes(pod, r.at(10_min), r.at(1_h)),
            (std::vector<PodCause>{PodCause::NodeLost, PodCause::EvictionWait, PodCause::VolumeAttach,
                                   PodCause::ContainerStart, PodCause::NotReady, PodCause::Ready}));
  EXPECT_EQ(r.node_of_volume(vol), other);
  // The group replaced the instance in the same zone (10 s after it left the running state).
  EXPECT_EQ(r.group_nodes("nodes").at(zone).size(), 2u);
}

// An instance stopped (not terminated) in an Auto Scaling group is replaced: the group treats a
// member that is not running as unhealthy and terminates it, so its Node goes as well.
TEST(NodeLoss, StoppedGroupMemberIsReplacedLikeATerminatedOne) {
  Inline in;
  in.manifests = std::string(kStorageClass) + statefulset(1);
  in.faults =
      "    - at: 10m\n"
      "      action: stop-instance\n"
      "      node: {runningPod: db-0}\n"
      "      for: 20m\n";
  Replay r(load(in));
  const std::string node = r.node_of("default/db-0");
  const std::string inst = r.cluster().instance_of_node(node);
  r.advance_to(1_h);
  EXPECT_EQ(r.cluster().cloud().instance(inst)->state, cloud::InstanceState::Terminated);
  EXPECT_EQ(r.events("DeletingNode", "node/" + node).size(), 1u);
  EXPECT_EQ(r.cause("default/db-0"), PodCause::Ready);
  EXPECT_NE(r.node_of("default/db-0"), node);
  // The start at the end of `for` finds the instance terminated.
  const auto skipped = r.events("FaultSkipped");
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_NE(skipped[0].message.find("the instance is terminated"), std::string::npos) << skipped[0].message;
}

// A kubelet back before the toleration runs out: the node is Ready again, its taints go, the
// pod is Ready again without a restart and is never evicted.
TEST(NodeLoss, KubeletBackWithinTheTolerationNothingIsEvicted) {
  Inline in;
  in.manifests = std::string(kStorageClass) + statefulset(1);
  in.faults =
      "    - at: 10m\n"
      "      action: kubelet-down\n"
      "      node: {runningPod: db-0}\n"
      "      for: 3m\n";
  Replay r(load(in));
  const std::string pod = "default/db-0";
  const std::string node = r.node_of(pod);
  const std::uint64_t uid = r.pod(pod)->meta.uid;
  r.advance_to(30_min);
  EXPECT_EQ(r.events("NodeNotReady", "node/" + node).size(), 1u);
  EXPECT_EQ(r.events("NodeReady", "node/" + node).size(), 1u);
  EXPECT_EQ(r.cluster().store().get<k8s::Node>(node)->status.ready, k8s::ConditionStatus::True);
  EXPECT_FALSE(has_taint(r, node, k8s::wellknown::kTaintUnreachable, k8s::TaintEffect::NoExecute));
  EXPECT_FALSE(has_taint(r, node, k8s::wellknown::kTaintUnreachable, k8s::TaintEffect::NoSchedule));
  EXPECT_TRUE(r.events("TaintManagerEviction").empty());
  EXPECT_EQ(r.pod(pod)->meta.uid, uid);
  EXPECT_TRUE(r.events("Started", "pod/db-0", r.at(10_min)).empty());  // containers kept running
  // Ready again at the next probe after the kubelet's return (period 5 s).
  const auto ready = r.first(pod, PodCause::Ready, r.at(13_min));
  ASSERT_TRUE(ready);
  EXPECT_GE(*ready, r.at(13_min));
  EXPECT_LE(*ready, r.at(13_min + 5_s));
  EXPECT_EQ(r.causes(pod, r.at(10_min), *ready),
            (std::vector<PodCause>{PodCause::NodeLost, PodCause::EvictionWait, PodCause::NotReady}));
}

}  // namespace
}  // namespace azsim::seeds::testing
