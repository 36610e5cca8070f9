// Each instance failure mode does what scenarios/README.md says: terminate (the Auto Scaling
// group replaces the instance), stop (started again after `duration`; a group member is
// replaced instead, as AWS does), unreachable (the node goes NotReady and comes back).
#include "models/controllers/cluster.hpp"
#include "tests/failures/helpers.hpp"

namespace azsim::failures::testing {
namespace {

bool has_event(const TrialRun& r, const std::string& prefix) {
  for (const auto& e : r.stochastic_events())
    if (e.find(prefix) != std::string::npos) return true;
  return false;
}

int ready_nodes(TrialRun& r) {
  int n = 0;
  for (const auto* node : r.world->cluster().store().list<k8s::Node>())
    if (node->status.ready == k8s::ConditionStatus::True) ++n;
  return n;
}

TEST(Modes, TerminateLetsTheAutoScalingGroupReplaceTheInstance) {
  Inline in;
  in.nodes = 4;
  in.duration = "60d";
  in.failures = "    instance: {mtbf: 30d, mode: terminate}\n";
  auto s = load(in);
  ASSERT_TRUE(s);
  TrialRun r(*s);
  const auto f = r.until_first(Kind::Instance, sim::Duration::days(60));
  ASSERT_TRUE(f);
  const std::string id = f->target;
  EXPECT_TRUE(has_event(r, "stochastic terminate-instance " + id));
  EXPECT_EQ(r.instance(id)->state, cloud::InstanceState::ShuttingDown);
  r.world->advance_to(f->at - r.t0 + 15_min);
  EXPECT_EQ(r.instance(id)->state, cloud::InstanceState::Terminated);
  // The group launched a replacement that registered as a Ready node.
  const auto members = r.world->cluster().cloud().group_instances("nodes");
  ASSERT_EQ(members.size(), 4u);
  int newer = 0;
  for (const auto* m : members) {
    EXPECT_NE(m->id, id);
    EXPECT_EQ(m->state, cloud::InstanceState::Running);
    if (m->launch_time > f->at) ++newer;
  }
  EXPECT_EQ(newer, 1);
  EXPECT_EQ(ready_nodes(r), 4);
  EXPECT_EQ(r.world->cluster().store().get<k8s::Node>(r.world->cluster().node_of_instance(id)), nullptr);
}

TEST(Modes, UnreachableTakesTheNodeNotReadyForTheDuration) {
  Inline in;
  in.nodes = 4;
  in.duration = "60d";
  in.failures = "    instance: {mtbf: 30d, mode: unreachable, duration: 10m}\n";
  auto s = load(in);
  ASSERT_TRUE(s);
  TrialRun r(*s);
  const auto f = r.until_first(Kind::Instance, sim::Duration::days(60));
  ASSERT_TRUE(f);
  EXPECT_EQ(f->duration, 10_min);
  const std::string id = f->target;
  const std::string node = r.world->cluster().node_of_instance(id);
  EXPECT_TRUE(has_event(r, "stochastic kubelet-down node " + node + " (instance " + id + ") for 10m"));
  // After the node-monitor grace period (50 s) it is no longer Ready; the instance runs on.
  r.world->advance_to(f->at - r.t0 + 2_min);
  ASSERT_NE(r.node_of(id), nullptr);
  EXPECT_NE(r.node_of(id)->status.ready, k8s::ConditionStatus::True);
  EXPECT_EQ(r.instance(id)->state, cloud::InstanceState::Running);
  // The kubelet is back after 10 minutes: the same node is Ready again.
  r.world->advance_to(f->at - r.t0 + 11_min);
  ASSERT_NE(r.node_of(id), nullptr);
  EXPECT_EQ(r.node_of(id)->status.ready, k8s::ConditionStatus::True);
  EXPECT_EQ(r.world->cluster().node_of_instance(id), node);
}

TEST(Modes, StopOfAGroupMemberEndsInItsReplacement) {
  // EC2 Auto Scaling replaces a stopped member (it left the running state), so the start after
  // `duration` finds it terminated and does nothing.
  Inline in;
  in.nodes = 2;
  in.duration = "60d";
  in.failures = "    instance: {mtbf: 30d, mode: stop, duration: 30m}\n";
  auto s = load(in);
  ASSERT_TRUE(s);
  TrialRun r(*s);
  const auto f = r.until_first(Kind::Instance, sim::Duration::days(60));
  ASSERT_TRUE(f);
  EXPECT_TRUE(has_event(r, "stochastic stop-instance " + f->target));
  EXPECT_EQ(r.instance(f->target)->state, cloud::InstanceState::Stopping);
  r.world->advance_to(f->at - r.t0 + 40_min);
  EXPECT_EQ(r.instance(f->target)->state, cloud::InstanceState::Terminated);
  EXPECT_FALSE(has_event(r, "stochastic start-instance " + f->target));
  EXPECT_EQ(ready_nodes(r), 2);
}

TEST(Modes, StopOfAStandaloneInstanceStartsItAgainAfterTheDuration) {
  // An instance launched by hand (no Auto Scaling group) stays stopped until the failure ends.
  sim::Simulation sim;
  const sim::RandomStreams streams(3, 0);
  cloud::CloudParams params;
  params.launch_to_ready = cloud::DurationDistribution::constant(60_s);
  controllers::Cluster cluster(sim, streams, controllers::KubernetesParams{}, params, "eu-west-1", {"eu-west-1a"});
  const std::string id = cluster.cloud().launch_instance("t3.medium", "eu-west-1a");
  ASSERT_FALSE(id.empty());
  sim.run_until(sim::Time::origin() + 2_min);
  const std::string node = cluster.node_of_instance(id);
  ASSERT_FALSE(node.empty());

  scenario::Scenario sc;
  scenario::InstanceFailures inst;
  inst.mtbf = sim::Duration::days(10);
  inst.mode = scenario::InstanceFailures::Mode::Stop;
  inst.duration = cloud::DurationDistribution::constant(30_min);
  sc.failures.instance = inst;
  faults::FailureProcesses fp(cluster, sc, streams);
  fp.schedule(sim.now() + sim::Duration::days(365));
  while (fp.history().empty() && sim.next_event_time() < sim::Time::origin() + sim::Duration::days(365))
    sim.run_until(sim.next_event_time());
  ASSERT_FALSE(fp.history().empty());
  const auto f = fp.history().front();
  EXPECT_EQ(f.target, id);
  EXPECT_EQ(f.duration, 30_min);
  sim.run_until(f.at + 29_min);
  EXPECT_EQ(cluster.cloud().instance(id)->state, cloud::InstanceState::Stopped);
  EXPECT_NE(cluster.store().get<k8s::Node>(node)->status.ready, k8s::ConditionStatus::True);
  sim.run_until(f.at + 30_min + 1_s);
  EXPECT_EQ(cluster.cloud().instance(id)->state, cloud::InstanceState::Pending);
  // Boot (60 s), then the kubelet reports Ready on the same node.
  sim.run_until(f.at + 33_min);
  EXPECT_EQ(cluster.cloud().instance(id)->state, cloud::InstanceState::Running);
  EXPECT_EQ(cluster.store().get<k8s::Node>(node)->status.ready, k8s::ConditionStatus::True);
  bool started = false;
  for (const auto& e : cluster.events().events())
    started = started || (e.reason == "Fault" && e.message == "stochastic start-instance " + id + " (end of stochastic stop-instance)");
  EXPECT_TRUE(started);
  // It keeps failing afterwards: a renewal process.
  sim.run_until(sim::Time::origin() + sim::Duration::days(365));
  EXPECT_GT(fp.count(Kind::Instance), 10u);  // ~36 expected
}

}  // namespace
}  // namespace azsim::failures::testing
