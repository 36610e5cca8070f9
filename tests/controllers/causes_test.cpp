// Cluster::cause(): every cause of CONTRACT.md's list, each in the situation it names.
#include "tests/controllers/world.hpp"

namespace azsim::controllers::testing {
namespace {

/// Records a pod's causes as they change (zero-length ones dropped).
struct CauseLog {
  CauseLog(World& w, std::string key) : w_(w), key_(std::move(key)) {
    w_.cluster.subscribe_pod_changed([this](const std::string& pod, PodCause c) {
      if (pod != key_) return;
      // The cause handed to observers is the one the cluster reports.
      EXPECT_EQ(c, w_.cluster.cause(pod));
      if (!seen.empty() && seen.back().first == w_.sim.now()) seen.pop_back();
      if (seen.empty() || seen.back().second != c) seen.emplace_back(w_.sim.now(), c);
    });
  }
  std::vector<PodCause> causes() const {
    std::vector<PodCause> out;
    for (const auto& [t, c] : seen) out.push_back(c);
    return out;
  }
  std::vector<std::pair<sim::Time, PodCause>> seen;

 private:
  World& w_;
  std::string key_;
};

TEST(Causes, AStatefulSetPodFromCreationToLossAndBack) {
  World w;
  w.group("nodes", 2, {"eu-west-1a"});
  w.settle();
  w.cluster.apply(ebs_class());
  CauseLog log(w, "default/db-0");
  w.cluster.apply(statefulset(1));
  const sim::Time created = w.sim.now();
  w.settle();
  // Placed at once, its claim to be provisioned (CreateVolume 1 s: VolumeAttach), then attached
  // at the attach/detach reconciler's next 100 ms tick (2 s), containers start (5 s); no probe:
  // Ready with its containers.
  EXPECT_EQ(log.causes(), (std::vector<PodCause>{PodCause::VolumeAttach, PodCause::ContainerStart, PodCause::Ready}));
  ASSERT_EQ(log.seen.size(), 3u);
  EXPECT_EQ(log.seen[0].first, created);
  EXPECT_EQ(log.seen[1].first - log.seen[0].first, 3_s + 100_ms);
  EXPECT_EQ(log.seen[2].first - log.seen[1].first, 5_s);

  // The kubelet goes: NodeLost until the node monitor notices (Unknown), EvictionWait until the
  // toleration ends, then StuckTerminating (a StatefulSet pod is not replaced).
  const std::string node = w.cluster.store().get<k8s::Pod>("default/db-0")->spec.node_name;
  const sim::Time down = w.sim.now();
  w.cluster.kubelet_down(node, std::nullopt);
  w.sim.run_until(down + 20_min);
  ASSERT_EQ(log.seen.size(), 6u);
  EXPECT_EQ(log.causes(), (std::vector<PodCause>{PodCause::VolumeAttach, PodCause::ContainerStart, PodCause::Ready,
                                                 PodCause::NodeLost, PodCause::EvictionWait, PodCause::StuckTerminating}));
  EXPECT_EQ(log.seen[3].first, down);
  EXPECT_EQ(log.seen[5].first - log.seen[4].first, 300_s);

  // Force deleted: Absent for an instant, then back as a new pod whose volume the controller
  // still holds on the lost node (Multi-Attach: VolumeAttach) for 6 minutes.
  w.cluster.delete_pod("default/db-0", true, std::nullopt);
  w.sim.run_until(down + 40_min);
  EXPECT_EQ(w.cluster.cause("default/db-0"), PodCause::Ready);
  const auto all = log.causes();
  const auto tail = std::vector<PodCause>(all.begin() + 6, all.end());
  EXPECT_EQ(tail, (std::vector<PodCause>{PodCause::VolumeAttach, PodCause::ContainerStart, PodCause::Ready}));
}

TEST(Causes, UnschedulableAndWaitingForNodeDependOnWhatIsLaunching) {
  World w;
  w.group("a", 1, {"eu-west-1a"});
  NodeGroupConfig b;  // empty for now, may grow to 2
  b.group.name = "b";
  b.group.instance_type = "t3.medium";
  b.group.zones = {"eu-west-1b"};
  b.group.max_size = 2;
  w.cluster.add_node_group(b);
  w.settle();
  // Too big for any node type here: Unschedulable with the scheduler's message.
  k8s::Pod big;
  big.meta.name = "big";
  big.spec.containers.push_back(container("big"));
  big.spec.containers[0].requests.memory = std::int64_t{64} << 30;
  w.cluster.apply(big);
  // Pinned to eu-west-1b, where no node exists yet.
  k8s::Pod pinned;
  pinned.meta.name = "pinned";
  pinned.spec.containers.push_back(container("pinned"));
  pinned.spec.node_selector[k8s::wellknown::kZone] = "eu-west-1b";
  w.cluster.apply(pinned);
  w.sim.run_until(w.sim.now() + 10_s);
  EXPECT_EQ(w.cluster.cause("default/big"), PodCause::Unschedulable);
  EXPECT_EQ(w.cluster.scheduling_message("default/big"),
            "0/1 nodes are available: 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption "
            "victims found for incoming pod.");
  EXPECT_EQ(w.cluster.cause("default/pinned"), PodCause::Unschedulable);
  // Group "b" launches an instance in eu-west-1b: the pinned pod now waits for a node that will
  // fit; the big one does not (it fits no t3.medium).
  w.cluster.cloud().set_desired_capacity("b", 1);
  w.sim.run_until(w.sim.now() + 1_s);
  EXPECT_EQ(w.cluster.cause("default/pinned"), PodCause::WaitingForNode);
  EXPECT_EQ(w.cluster.cause("default/big"), PodCause::Unschedulable);
  // Boot 60 s, then placed, started, Ready.
  w.sim.run_until(w.sim.now() + 70_s);
  EXPECT_EQ(w.cluster.cause("default/pinned"), PodCause::Ready);
  EXPECT_EQ(w.cluster.cause("default/big"), PodCause::Unschedulable);
  EXPECT_EQ(w.cluster.cause("default/nothing"), PodCause::Absent);
}

TEST(Causes, ReadinessFailureIsNotReadyAndTerminatingOnALiveNodeIsNotReady) {
  World w;
  w.group("nodes", 1, {"eu-west-1a"});
  w.cluster.apply(deployment("web", 1));
  w.settle();
  std::string pod;
  for (const auto* p : w.cluster.store().list<k8s::Pod>()) pod = p->meta.key();
  ASSERT_EQ(w.cluster.cause(pod), PodCause::Ready);
  w.cluster.set_readiness_failure(pod, true);  // no probe: at once
  EXPECT_EQ(w.cluster.cause(pod), PodCause::NotReady);
  w.cluster.set_readiness_failure(pod, false);
  w.sim.run_until(w.sim.now());  // the kubelet's readiness update, in the same instant
  EXPECT_EQ(w.cluster.cause(pod), PodCause::Ready);
  w.cluster.delete_pod(pod, false, std::nullopt);
  EXPECT_EQ(w.cluster.cause(pod), PodCause::NotReady);  // graceful stop under way
  w.sim.run_until(w.sim.now() + 3_s);
  EXPECT_EQ(w.cluster.cause(pod), PodCause::Absent);
}

}  // namespace
}  // namespace azsim::controllers::testing
