// Every fault action of CONTRACT.md on small inline clusters (tests/seeds/inline.hpp): what the
// fault does and how the control plane reacts, with times derived from the defaults and the
// scenario's constant latencies (EBS attach/detach 2 s, boot 60 s, container start 5 s).
#include <set>

#include "tests/seeds/inline.hpp"

namespace azsim::seeds::testing {
namespace {

using scenario::FaultAction;

// A Deployment without volumes, 3 replicas, and a budget of at least 2 available.
const char* kWebWithBudget =
    "---\n"
    "apiVersion: apps/v1\n"
    "kind: Deployment\n"
    "metadata: {name: web}\n"
    "spec:\n"
    "  replicas: 3\n"
    "  selector: {matchLabels: {app: web}}\n"
    "  template:\n"
    "    metadata: {labels: {app: web}}\n"
    "    spec:\n"
    "      containers:\n"
    "        - name: web\n"
    "          image: nginx\n"
    "          resources: {requests: {cpu: 100m, memory: 128Mi}}\n"
    "---\n"
    "apiVersion: policy/v1\n"
    "kind: PodDisruptionBudget\n"
    "metadata: {name: web}\n"
    "spec:\n"
    "  minAvailable: 2\n"
    "  selector: {matchLabels: {app: web}}\n";

std::vector<std::string> pods_with_label(Replay& r, const std::string& app, bool live_only = true) {
  std::vector<std::string> out;
  for (const auto* p : r.cluster().store().list<k8s::Pod>())
    if (p->meta.labels.count("app") && p->meta.labels.at("app") == app && (!live_only || !p->terminating()))
      out.push_back(p->meta.key());
  return out;
}

TEST(Faults, CordonAndUncordonByZoneGroupAndIndex) {
  Inline in;
  in.manifests = std::string(kStorageClass) + statefulset(1);
  in.faults =
      "    - at: 10m\n"
      "      action: cordon\n"
      "      node: {runningPod: db-0}\n"
      "    - at: 10m\n"
      "      action: delete-pod\n"
      "      pod: db-0\n"
      "    - at: 20m\n"
      "      action: uncordon\n"
      "      node: {zone: ZONE, group: nodes, index: INDEX}\n";
  // The uncordon names the cordoned node by zone, group and index (by name among the group's
  // nodes of that zone): find them from a first run of the same cluster.
  std::string zone, node;
  int index = 0;
  {
    Inline probe = in;
    probe.faults.clear();
    Replay r(load(probe));
    node = r.node_of("default/db-0");
    zone = r.zone_of_node(node);
    const auto names = r.group_nodes("nodes").at(zone);
    index = static_cast<int>(std::find(names.begin(), names.end(), node) - names.begin());
  }
  in.faults.replace(in.faults.find("ZONE"), 4, zone);
  in.faults.replace(in.faults.find("INDEX"), 5, std::to_string(index));
  Replay r(load(in));
  ASSERT_EQ(r.node_of("default/db-0"), node);

  r.advance_to(15_min);
  EXPECT_TRUE(r.cluster().store().get<k8s::Node>(node)->spec.unschedulable);
  ASSERT_EQ(r.events("NodeNotSchedulable", "node/" + node).size(), 1u);
  // The re-created pod avoids the cordoned node: the other node of its volume's zone.
  EXPECT_EQ(r.cause("default/db-0"), PodCause::Ready);
  EXPECT_EQ(r.node_of("default/db-0"), sibling(r, node));

  r.advance_to(25_min);
  EXPECT_FALSE(r.cluster().store().get<k8s::Node>(node)->spec.unschedulable);
  const auto back = r.events("NodeSchedulable", "node/" + node);
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].time, r.at(20_min));
  EXPECT_TRUE(r.events("FaultSkipped").empty());
}

TEST(Faults, DrainEvictsThroughThePodDisruptionBudgetAndWaitsOnIt) {
  Inline in;
  in.nodes = 2;
  in.zones = "[eu-west-1a]";
  in.manifests = kWebWithBudget;
  Replay r(load(in));
  // 3 replicas on 2 nodes: one node holds two of them.
  std::map<std::string, std::vector<std::string>> by_node;
  for (const auto& p : pods_with_label(r, "web")) by_node[r.node_of(p)].push_back(p);
  ASSERT_EQ(by_node.size(), 2u);
  std::string busy;
  for (const auto& [n, ps] : by_node)
    if (ps.size() == 2) busy = n;
  ASSERT_FALSE(busy.empty());
  Faults faults(r);
  faults.at(10_min, node_fault(FaultAction::Drain, busy));

  r.advance_to(20_min);
  EXPECT_TRUE(r.cluster().store().get<k8s::Node>(busy)->spec.unschedulable);
  const auto evicted = r.events("Evicted");
  ASSERT_EQ(evicted.size(), 2u);
  // The first eviction leaves 2 healthy pods, the budget's minimum: allowed at once. The second
  // would leave 1: refused (once reported), retried every 5 s, allowed once the first pod's
  // replacement runs on the other node (scheduled at once, Ready 5 s later: no probe).
  EXPECT_EQ(evicted[0].time, r.at(10_min));
  const auto refused = r.events("EvictionRefused");
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_EQ(refused[0].time, r.at(10_min));
  EXPECT_EQ(refused[0].message, "Cannot evict pod as it would violate the pod's disruption budget.");
  std::set<std::string> originals;
  for (const auto& [n, ps] : by_node) originals.insert(ps.begin(), ps.end());
  std::optional<sim::Time> replacement_ready;
  for (const auto& p : pods_with_label(r, "web", false))
    if (!originals.count(p))
      if (auto t = r.first(p, PodCause::Ready, r.at(10_min)); t && (!replacement_ready || *t < *replacement_ready))
        replacement_ready = t;
  ASSERT_TRUE(replacement_ready);
  EXPECT_EQ(*replacement_ready, r.at(10_min + 5_s));
  EXPECT_GE(evicted[1].time, *replacement_ready);
  EXPECT_LE(evicted[1].time, *replacement_ready + 5_s);
  EXPECT_EQ((evicted[1].time - r.at(10_min)).us() % (5_s).us(), 0);  // on kubectl's retry grid
  // Drained: nothing left on the node, 3 healthy pods elsewhere.
  for (const auto* p : r.cluster().store().list<k8s::Pod>()) EXPECT_NE(p->spec.node_name, busy);
  int healthy = 0;
  for (const auto& p : pods_with_label(r, "web")) healthy += r.cause(p) == PodCause::Ready;
  EXPECT_EQ(healthy, 3);
}

TEST(Faults, DeletePodGracefulForceAndOnALostNode) {
  Inline in;
  in.manifests = std::string(kStorageClass) + statefulset(1);
  in.faults =
      "    - at: 10m\n"
      "      action: delete-pod\n"
      "      pod: db-0\n"
      "    - at: 20m\n"
      "      action: delete-pod\n"
      "      pod: db-0\n"
      "      force: true\n"
      "    - at: 30m\n"
      "      action: kubelet-down\n"
      "      node: {runningPod: db-0}\n"
      "    - at: 31m\n"
      "      action: delete-pod\n"
      "      pod: db-0\n"
      "    - at: 40m\n"
      "      action: delete-pod\n"
      "      pod: db-0\n"
      "      force: true\n";
  Replay r(load(in));
  const std::string pod = "default/db-0";
  r.advance_to(50_min);
  const auto created = r.events("SuccessfulCreate", "statefulset/db", r.at(1_min));
  ASSERT_EQ(created.size(), 3u);
  // Graceful: SIGTERM, the containers exit (2 s, under the 30 s grace period), then it is gone.
  EXPECT_EQ(r.causes(pod, r.at(10_min), created[0].time), std::vector<PodCause>{PodCause::NotReady});
  EXPECT_EQ(created[0].time, r.at(10_min + 2_s));
  // Force: gone at once, re-created in the same instant.
  EXPECT_EQ(created[1].time, r.at(20_min));
  // On a node whose kubelet is gone, a graceful delete cannot finish: stuck Terminating until
  // the force delete at 40m.
  EXPECT_EQ(r.causes(pod, r.at(31_min), r.at(40_min)).back(), PodCause::StuckTerminating);
  EXPECT_EQ(created[2].time, r.at(40_min));
  EXPECT_FALSE(r.pod(pod)->terminating());
}

TEST(Faults, OutOfServiceTaintForceDeletesAndDetachesAtOnce) {
  Inline in;
  in.manifests = std::string(kStorageClass) + statefulset(1);
  in.faults =
      "    - at: 10m\n"
      "      action: kubelet-down\n"
      "      node: {runningPod: db-0}\n"
      "    - at: 20m\n"
      "      action: out-of-service-taint\n"
      "      node: {runningPod: db-0}\n";
  Replay r(load(in));
  const std::string pod = "default/db-0";
  const std::string node = r.node_of(pod);
  const std::string vol = r.volume_of_claim("default/data-db-0");
  r.advance_to(1_h);
  EXPECT_TRUE(has_taint(r, node, k8s::wellknown::kTaintOutOfService, k8s::TaintEffect::NoExecute));
  // Stuck Terminating since its toleration ran out, until PodGC's next pass (every 20 s) deletes
  // it: terminating, on a not-Ready node with the out-of-service taint.
  const auto gc = r.events("PodGC", "pod/db-0");
  ASSERT_EQ(gc.size(), 1u);
  EXPECT_GT(gc[0].time, r.at(20_min));
  EXPECT_LE(gc[0].time, r.at(20_min + 20_s));
  EXPECT_EQ(gc[0].message, "Deleting terminating Pod default/db-0 on out-of-service Node " + node + ".");
  // No 6-minute wait: once the pod is gone the taint lets the controller detach at once, though
  // the kubelet never unmounted (2 s), then attach (2 s); the reconciler runs every 100 ms (one
  // tick to notice the deletion, one after the detach).
  const auto attached = r.events("SuccessfulAttachVolume", "pod/db-0", r.at(10_min));
  ASSERT_EQ(attached.size(), 1u);
  EXPECT_GT(attached[0].time, gc[0].time + 4_s);
  EXPECT_LE(attached[0].time, gc[0].time + 4_s + 200_ms);
  EXPECT_TRUE(r.events("FailedAttachVolume").empty());
  EXPECT_EQ(r.cause(pod), PodCause::Ready);
  EXPECT_NE(r.node_of(pod), node);
  EXPECT_EQ(r.node_of_volume(vol), r.node_of(pod));
}

TEST(Faults, OutOfServiceTaintBeforeTheEvictionEvictsAtOnce) {
  Inline in;
  in.manifests = std::string(kStorageClass) + statefulset(1);
  in.faults =
      "    - at: 10m\n"
      "      action: kubelet-down\n"
      "      node: {runningPod: db-0}\n"
      "    - at: 12m\n"
      "      action: out-of-service-taint\n"
      "      node: {runningPod: db-0}\n";
  Replay r(load(in));
  r.advance_to(30_min);
  // The out-of-service NoExecute taint is not tolerated: marked for deletion at once, then PodGC.
  const auto evicted = r.events("TaintManagerEviction", "pod/db-0");
  ASSERT_EQ(evicted.size(), 1u);
  EXPECT_EQ(evicted[0].time, r.at(12_min));
  const auto gc = r.events("PodGC", "pod/db-0");
  ASSERT_EQ(gc.size(), 1u);
  EXPECT_LE(gc[0].time, r.at(12_min + 20_s));
  EXPECT_EQ(r.cause("default/db-0"), PodCause::Ready);
}

TEST(Faults, ZoneOutageWithForInstancesAndVolumesComeBack) {
  Inline in;
  in.group_extra = "        healthCheckGracePeriod: 3h\n";  // the group does not replace them meanwhile
  in.manifests = std::string(kStorageClass) + statefulset(4);
  in.faults =
      "    - at: 10m\n"
      "      action: zone-outage\n"
      "      zone: eu-west-1a\n"
      "      for: 3m\n";
  Replay r(load(in));
  std::vector<std::string> in_a;
  std::map<std::string, std::uint64_t> uids;
  for (int i = 0; i < 4; ++i) {
    const std::string p = "default/db-" + std::to_string(i);
    uids[p] = r.pod(p)->meta.uid;
    if (r.zone_of_node(r.node_of(p)) == "eu-west-1a") in_a.push_back(p);
  }
  ASSERT_FALSE(in_a.empty());
  const std::string vol = r.volume_of_claim("default/data-" + name_of(in_a[0]));

  r.advance_to(12_min);
  EXPECT_TRUE(r.cluster().cloud().zone_out("eu-west-1a"));
  EXPECT_TRUE(r.cluster().cloud().volume(vol)->impaired);
  const auto zone_a = r.group_nodes("nodes").at("eu-west-1a");
  for (const auto& n : zone_a) {
    EXPECT_EQ(r.cluster().store().get<k8s::Node>(n)->status.ready, k8s::ConditionStatus::Unknown) << n;
    EXPECT_FALSE(r.cluster().kubelet_alive(n));
  }
  for (const auto& p : in_a) EXPECT_EQ(r.cause(p), PodCause::EvictionWait) << p;

  r.advance_to(20_min);
  EXPECT_FALSE(r.cluster().cloud().zone_out("eu-west-1a"));
  EXPECT_FALSE(r.cluster().cloud().volume(vol)->impaired);
  for (const auto& n : zone_a)
    EXPECT_EQ(r.cluster().store().get<k8s::Node>(n)->status.ready, k8s::ConditionStatus::True) << n;
  // Back before any toleration ran out: the same pods, Ready again at their next probe.
  EXPECT_TRUE(r.events("TaintManagerEviction").empty());
  for (int i = 0; i < 4; ++i) {
    const std::string p = "default/db-" + std::to_string(i);
    EXPECT_EQ(r.pod(p)->meta.uid, uids[p]) << p;
    EXPECT_EQ(r.cause(p), PodCause::Ready) << p;
  }
  for (const auto& p : in_a) {
    const auto ready = r.first(p, PodCause::Ready, r.at(13_min));
    ASSERT_TRUE(ready);
    EXPECT_LE(*ready, r.at(13_min + 5_s));
  }
}

TEST(Faults, ZoneOutageLaunchesFailThereAndTheGroupMovesToTheHealthyZone) {
  Inline in;
  in.manifests = std::string(kStorageClass) + statefulset(1);
  in.faults =
      "    - at: 10m\n"
      "      action: zone-outage\n"
      "      zone: eu-west-1a\n"
      "      for: 30m\n";
  Replay r(load(in));
  r.advance_to(30_min);
  // EC2 status checks fail 60 s into the outage; the group terminates its members there and
  // cannot launch in the zone (balanced-best-effort: it launches in eu-west-1b instead).
  const auto failed = r.events("FailedLaunch", "asg/nodes", r.at(10_min));
  ASSERT_FALSE(failed.empty());
  EXPECT_EQ(failed[0].time, r.at(11_min));
  EXPECT_NE(failed[0].message.find("InsufficientInstanceCapacity"), std::string::npos);
  EXPECT_NE(failed[0].message.find("(eu-west-1a)"), std::string::npos);
  const auto during = r.group_nodes("nodes");
  EXPECT_EQ(during.count("eu-west-1a"), 0u);
  EXPECT_EQ(during.at("eu-west-1b").size(), 4u);
  // After the zone is back, AZRebalance moves two back.
  r.advance_to(2_h);
  const auto after = r.group_nodes("nodes");
  EXPECT_EQ(after.at("eu-west-1a").size(), 2u);
  EXPECT_EQ(after.at("eu-west-1b").size(), 2u);
  EXPECT_EQ(r.cause("default/db-0"), PodCause::Ready);
}

TEST(Faults, VolumeFailureLeavesThePodRunningButNeverReady) {
  Inline in;
  in.manifests = std::string(kStorageClass) + statefulset(1);
  in.faults =
      "    - at: 10m\n"
      "      action: volume-failure\n"
      "      volume: {claim: data-db-0}\n";
  Replay r(load(in));
  const std::string vol = r.volume_of_claim("default/data-db-0");
  r.advance_to(1_h);
  const cloud::Volume* v = r.cluster().cloud().volume(vol);
  EXPECT_TRUE(v->lost);
  EXPECT_EQ(v->state, cloud::VolumeState::Error);
  // Its I/O fails: the application cannot serve; Kubernetes leaves the pod in place.
  EXPECT_EQ(r.first("default/db-0", PodCause::NotReady, r.at(10_min)), r.at(10_min));
  EXPECT_EQ(r.cause("default/db-0"), PodCause::NotReady);
  EXPECT_TRUE(r.pod("default/db-0")->status.containers_started);
  EXPECT_EQ(r.events("Unhealthy", "pod/db-0").size(), 1u);
}

TEST(Faults, ReadinessFailureForItsDurationOnTheProbeGrid) {
  Inline in;
  in.manifests = std::string(kStorageClass) + statefulset(1);
  in.faults =
      "    - at: 10m\n"
      "      action: readiness-failure\n"
      "      pod: db-0\n"
      "      for: 2m\n";
  Replay r(load(in));
  const auto started = r.events("Started", "pod/db-0");
  ASSERT_EQ(started.size(), 1u);
  r.advance_to(20_min);
  // Probes at start + 10 s + k x 5 s. Not Ready after failureThreshold (3) failed probes, the
  // first at or after 10m; Ready at the first probe at or after 12m.
  const auto tick = [&](sim::Time t) {
    const sim::Time first = started[0].time + 10_s;
    const std::int64_t k = ((t - first).us() + (5_s).us() - 1) / (5_s).us();
    return first + sim::Duration::micros(k * (5_s).us());
  };
  const auto down = r.first("default/db-0", PodCause::NotReady, r.at(10_min));
  ASSERT_TRUE(down);
  EXPECT_EQ(*down, tick(r.at(10_min)) + 10_s);
  const auto up = r.first("default/db-0", PodCause::Ready, *down);
  ASSERT_TRUE(up);
  EXPECT_EQ(*up, tick(r.at(12_min)));
  EXPECT_EQ(r.causes("default/db-0", *down, *up), std::vector<PodCause>{PodCause::NotReady});
}

TEST(Faults, ScaleStatefulSetInReverseOrderAndDeploymentUpAndDown) {
  Inline in;
  in.manifests = std::string(kStorageClass) + statefulset(3) + kWebWithBudget;
  in.faults =
      "    - at: 10m\n"
      "      action: scale\n"
      "      workload: statefulset/db\n"
      "      replicas: 1\n"
      "    - at: 20m\n"
      "      action: scale\n"
      "      workload: deployment/web\n"
      "      replicas: 5\n"
      "    - at: 30m\n"
      "      action: scale\n"
      "      workload: deployment/web\n"
      "      replicas: 2\n";
  Replay r(load(in));
  r.advance_to(40_min);
  const auto deletes = r.events("SuccessfulDelete", "statefulset/db");
  ASSERT_EQ(deletes.size(), 2u);
  EXPECT_EQ(deletes[0].message, "delete Pod db-2 in StatefulSet db successful");
  EXPECT_EQ(deletes[1].message, "delete Pod db-1 in StatefulSet db successful");
  EXPECT_GE(deletes[1].time, *r.first("default/db-2", PodCause::Absent, r.at(10_min)));
  EXPECT_EQ(r.pod("default/db-1"), nullptr);
  EXPECT_EQ(r.cause("default/db-0"), PodCause::Ready);
  EXPECT_EQ(r.cluster().store().list<k8s::PersistentVolumeClaim>().size(), 3u);  // claims retained
  // Deployment: 3 -> 5 -> 2.
  EXPECT_EQ(r.events("SuccessfulCreate", "", r.at(20_min)).size(), 2u);
  EXPECT_EQ(pods_with_label(r, "web").size(), 2u);
}

TEST(Faults, NodeTargetsByNameShortNameRunningPodAndIndex) {
  Inline in;
  in.manifests = std::string(kStorageClass) + statefulset(1);
  Replay r(load(in));
  Faults f(r);
  auto& inj = f.injector();
  const std::string node = r.node_of("default/db-0");
  scenario::NodeTarget t = node_named(node);
  EXPECT_EQ(inj.resolve_node(t), node);
  t.name = node.substr(0, node.find('.'));  // "ip-A-B-C-D"
  EXPECT_EQ(inj.resolve_node(t), node);
  t.name = "ip-10-9-8-7";
  EXPECT_EQ(inj.resolve_node(t), "");
  scenario::NodeTarget rp;
  rp.by = scenario::NodeTarget::By::RunningPod;
  rp.pod = "db-0";
  EXPECT_EQ(inj.resolve_node(rp), node);
  rp.pod = "db-7";
  EXPECT_EQ(inj.resolve_node(rp), "");
  scenario::NodeTarget ix;
  ix.by = scenario::NodeTarget::By::Index;
  ix.zone = "eu-west-1b";
  ix.group = "nodes";
  ix.index = 1;
  EXPECT_EQ(inj.resolve_node(ix), r.group_nodes("nodes").at("eu-west-1b").at(1));
  ix.index = 2;
  EXPECT_EQ(inj.resolve_node(ix), "");
  // A fault whose target is missing is skipped with a warning, not applied elsewhere.
  scenario::Fault miss = node_fault(FaultAction::Cordon, "ip-10-9-8-7");
  f.at(1_min, miss);
  r.advance_to(2_min);
  ASSERT_EQ(r.events("FaultSkipped").size(), 1u);
  for (const auto* n : r.cluster().store().list<k8s::Node>()) EXPECT_FALSE(n->spec.unschedulable);
}

// start-instance: only an instance outside any Auto Scaling group stays stopped (a group
// replaces a stopped member). Launch one, run the Deployment's pod on it, stop and start it.
TEST(Faults, StopAndStartAStandaloneInstance) {
  Inline in;
  in.nodes = 2;
  in.zones = "[eu-west-1a]";
  in.manifests = std::string(kStorageClass) + "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: spare}\n";
  const scenario::Scenario s = load(in);
  Inline app;
  app.manifests = std::string(kStorageClass) + kDeploymentWithVolume;
  const scenario::Scenario with_app = load(app);
  Replay r(s);
  const std::string inst = r.cluster().cloud().launch_instance("t3.medium", "eu-west-1a");
  ASSERT_FALSE(inst.empty());
  r.advance_to(2_min);  // boot: 60 s
  const std::string node = r.cluster().node_of_instance(inst);
  ASSERT_FALSE(node.empty());
  // The Deployment, pinned to that node.
  k8s::PersistentVolumeClaim claim = with_app.manifests.persistent_volume_claims.at(0).object;
  k8s::Deployment d = with_app.manifests.deployments.at(0).object;
  d.template_.spec.node_selector[k8s::wellknown::kHostname] = node;
  r.cluster().apply(claim);
  r.cluster().apply(d);
  r.advance_to(5_min);
  const std::string p0 = app_pods(r).at(0);
  ASSERT_EQ(r.cause(p0), PodCause::Ready);
  const std::string vol = r.volume_of_claim("default/app-data");

  Faults faults(r);
  faults.at(10_min, node_fault(FaultAction::StopInstance, node));
  r.advance_to(1_h);
  EXPECT_EQ(r.cluster().cloud().instance(inst)->state, cloud::InstanceState::Stopped);
  // Unknown, then the cloud node lifecycle controller's shutdown taint (never a deletion).
  const auto not_ready = r.events("NodeNotReady", "node/" + node);
  ASSERT_EQ(not_ready.size(), 1u);
  EXPECT_TRUE(has_taint(r, node, k8s::wellknown::kTaintShutdown, k8s::TaintEffect::NoSchedule));
  EXPECT_TRUE(r.events("DeletingNode").empty());
  // Evicted at the end of its toleration and stuck Terminating; EBS keeps the volume attached to
  // the stopped instance; the replacement has nowhere to go (nodeSelector): Pending.
  EXPECT_EQ(r.events("TaintManagerEviction", "pod/" + name_of(p0)).at(0).time, not_ready[0].time + 300_s);
  EXPECT_EQ(r.cause(p0), PodCause::StuckTerminating);
  EXPECT_EQ(r.cluster().cloud().volume(vol)->attach_state, cloud::AttachState::Attached);
  EXPECT_EQ(r.cluster().cloud().volume(vol)->attached_to, inst);

  faults.at(1_h, node_fault(FaultAction::StartInstance, node));
  r.advance_to(1_h + 5_min);
  // Running again after its boot (60 s): Ready, taints lifted, the evicted pod cleaned up by
  // its kubelet, the replacement runs there with the volume it never lost.
  EXPECT_EQ(r.cluster().cloud().instance(inst)->state, cloud::InstanceState::Running);
  EXPECT_EQ(r.cluster().store().get<k8s::Node>(node)->status.ready, k8s::ConditionStatus::True);
  EXPECT_FALSE(has_taint(r, node, k8s::wellknown::kTaintShutdown, k8s::TaintEffect::NoSchedule));
  EXPECT_FALSE(has_taint(r, node, k8s::wellknown::kTaintUnreachable, k8s::TaintEffect::NoExecute));
  EXPECT_EQ(r.pod(p0), nullptr);
  const auto pods = app_pods(r);
  ASSERT_EQ(pods.size(), 1u);
  EXPECT_EQ(r.cause(pods[0]), PodCause::Ready);
  EXPECT_EQ(r.node_of(pods[0]), node);
  EXPECT_EQ(r.cluster().cloud().volume(vol)->attached_to, inst);
  // Boot 60 s; then the node monitor's next pass (<= 5 s) lifts the taints, the pod is scheduled,
  // and the volume (detached meanwhile if no pod wanted it: 2 s) is attached (2 s), start 5 s.
  const auto ready = r.first(pods[0], PodCause::Ready, r.at(1_h));
  ASSERT_TRUE(ready);
  EXPECT_GT(*ready, r.at(1_h + 60_s + 5_s));
  EXPECT_LE(*ready, r.at(1_h + 60_s + 20_s));
}

}  // namespace
}  // namespace azsim::seeds::testing
