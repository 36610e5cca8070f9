// The scheduler's allocation-light failure path: reasons counted once each (ReasonCounts) and
// formatted by the same function as FitError.Error(), the DefaultPreemption message built from
// counts, the compact result expanded back into a Diagnosis, and the node cache skipping
// label-derived work on status-only node updates.
#include <gtest/gtest.h>

#include "models/scheduler/fit_error.hpp"
#include "models/scheduler/reasons.hpp"
#include "tests/scheduler/conformance_table.hpp"

namespace azsim::scheduler::testing {
namespace {

TEST(ReasonCounts, AggregatesByTextInFirstAddedOrder) {
  const std::string a1 = "Insufficient cpu", a2 = "Insufficient cpu";  // equal text, distinct storage
  ReasonCounts rc;
  rc.add("node(s) were unschedulable");
  rc.add(a1);
  rc.add(a2, 3);
  rc.add("node(s) were unschedulable");
  ASSERT_EQ(rc.items().size(), 2u);
  EXPECT_EQ(rc.items()[0].first, "node(s) were unschedulable");
  EXPECT_EQ(rc.items()[0].second, 2);
  EXPECT_EQ(rc.items()[1].first, "Insufficient cpu");
  EXPECT_EQ(rc.items()[1].second, 4);
  rc.clear();
  EXPECT_TRUE(rc.items().empty());
}

TEST(FormatFitError, SortsCountStringsAndAppliesVersionRules) {
  ReasonCounts rc;
  rc.add("Insufficient cpu", 2);
  rc.add("node(s) were unschedulable", 10);
  // "10 ..." sorts before "2 ..." as strings.
  EXPECT_EQ(format_fit_error(12, rc, {}, "preemption: x", {1, 29}),
            "0/12 nodes are available: 10 node(s) were unschedulable, 2 Insufficient cpu. preemption: x");
  EXPECT_EQ(format_fit_error(12, rc, {}, "preemption: x", {1, 27}),
            "0/12 nodes are available: 10 node(s) were unschedulable, 2 Insufficient cpu. preemption: x.");
  EXPECT_EQ(format_fit_error(12, rc, {}, "preemption: x", {1, 23}),
            "0/12 nodes are available: 10 node(s) were unschedulable, 2 Insufficient cpu.");
  // From 1.25 a PreFilter message replaces the counted reasons.
  EXPECT_EQ(format_fit_error(12, rc, "pre", {}, {1, 25}), "0/12 nodes are available: pre.");
  EXPECT_EQ(format_fit_error(0, ReasonCounts{}, {}, {}, {1, 29}), "0/0 nodes are available:");
}

TEST(PreemptionMessage, FromCountsEqualsFromStatuses) {
  const std::string victims(reasons::kNoPreemptionVictims);
  for (const k8s::KubeVersion v : {k8s::KubeVersion{1, 27}, k8s::KubeVersion{1, 29}, k8s::KubeVersion{1, 34}}) {
    ReasonCounts rc;
    rc.add(victims);
    rc.add("Insufficient cpu");
    const std::string from_counts = preemption_post_filter_message(4, rc, 2, v);
    const std::string from_statuses = preemption_post_filter_message(
        4,
        {{"n1", Status::make(Code::UnschedulableAndUnresolvable, victims)},
         {"n2", Status::make(Code::Unschedulable, "Insufficient cpu")}},
        v);
    EXPECT_EQ(from_counts, from_statuses);
  }
  ReasonCounts rc;
  rc.add(victims);
  EXPECT_EQ(preemption_post_filter_message(3, rc, 1, {1, 29}),
            "preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is "
            "not helpful for scheduling.");
}

// A PreFilter rejection (VolumeBinding: an unbound claim of an Immediate class): the message
// replaces the node list from 1.25 on and is counted per node before; preemption cannot help
// (UnschedulableAndUnresolvable) anywhere.
TEST(FailurePath, PreFilterRejectionMatchesTheDiagnosis) {
  const std::vector<std::pair<k8s::KubeVersion, std::string>> cases = {
      {{1, 29},
       "0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/2 nodes are "
       "available: 2 Preemption is not helpful for scheduling."},
      {{1, 24},
       "0/2 nodes are available: 2 pod has unbound immediate PersistentVolumeClaims. preemption: 0/2 nodes are "
       "available: 2 Preemption is not helpful for scheduling.."},
  };
  for (const auto& [version, expected] : cases) {
    World w(version);
    w.store.create(make_class("now", "ebs.csi.aws.com", k8s::VolumeBindingMode::Immediate));
    w.store.create(make_claim("data", "now"));
    w.store.create(make_node("n1"));
    w.store.create(make_node("n2"));
    Scheduler& s = w.start();
    w.store.create(with_claim(make_pod("p"), "data"));
    const ScheduleResult r = s.schedule_one(w.now);
    ASSERT_EQ(r.outcome, ScheduleResult::Outcome::Unschedulable);
    EXPECT_EQ(r.message, expected);
    EXPECT_TRUE(r.rejections.empty());
    const Diagnosis d = s.diagnosis(r);
    EXPECT_TRUE(d.node_statuses.empty());
    EXPECT_EQ(d.pre_filter_msg, "pod has unbound immediate PersistentVolumeClaims");
    ASSERT_TRUE(d.absent_nodes_status.has_value());
    EXPECT_EQ(fit_error_message(FitError{2, d}, version), r.message);
    EXPECT_EQ(s.explain(*w.store.get<k8s::Pod>("default/p")).message, r.message);
  }
}

// Preemption's dry run: a node running a lower-priority pod keeps its filter reason, a node
// running only higher-priority pods has no victims.
TEST(FailurePath, DryRunKeepsTheReasonWhereLowerPriorityPodsRun) {
  World w;
  w.store.create(make_node("n1"));
  w.store.create(make_node("n2"));
  k8s::Pod low = on_node(with_requests(make_pod("low"), 3500, 0), "n1");
  low.spec.priority = 0;
  k8s::Pod high = on_node(with_requests(make_pod("high"), 3500, 0), "n2");
  high.spec.priority = 10;
  w.store.create(low);
  w.store.create(high);
  Scheduler& s = w.start();
  k8s::Pod p = with_requests(make_pod("p"), 1000, 0);
  p.spec.priority = 5;
  w.store.create(p);
  const ScheduleResult r = s.schedule_one(w.now);
  ASSERT_EQ(r.outcome, ScheduleResult::Outcome::Unschedulable);
  EXPECT_EQ(r.message,
            "0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: 1 Insufficient cpu, 1 "
            "No preemption victims found for incoming pod.");
  ASSERT_EQ(r.rejections.size(), 2u);
  const Diagnosis d = s.diagnosis(r);
  ASSERT_EQ(d.node_statuses.size(), 2u);
  for (const auto& ns : d.node_statuses) {
    EXPECT_EQ(ns.status.code, Code::Unschedulable);
    EXPECT_EQ(ns.status.plugin, "NodeResourcesFit");
    EXPECT_EQ(ns.status.reasons, std::vector<std::string>{"Insufficient cpu"});
  }
  EXPECT_EQ(fit_error_message(FitError{2, d}, w.version), r.message);
  EXPECT_EQ(s.explain(*w.store.get<k8s::Pod>("default/p")).message, r.message);
}

// The cache rebuilds label-derived data only when labels change: a status-only update must not
// lose them, and a later relabel or taint must still be seen.
TEST(FailurePath, NodeUpdatesKeepLabelsAndSeeRelabelsAndTaints) {
  World w;
  w.store.create(make_node("n1", "zone-a"));
  Scheduler& s = w.start();
  w.store.mutate<k8s::Node>("n1", [](k8s::Node& n) { n.status.ready = k8s::ConditionStatus::False; });
  k8s::Pod in_a = make_pod("in-a");
  in_a.spec.node_selector[k8s::wellknown::kZone] = "zone-a";
  w.store.create(in_a);
  ScheduleResult r = s.schedule_and_bind(w.now);
  ASSERT_EQ(r.outcome, ScheduleResult::Outcome::Scheduled) << r.message;
  EXPECT_EQ(r.node, "n1");

  w.store.mutate<k8s::Node>("n1", [](k8s::Node& n) {
    n.meta.labels[k8s::wellknown::kZone] = "zone-b";
    n.meta.labels[k8s::wellknown::kZoneLegacy] = "zone-b";
  });
  k8s::Pod in_b = make_pod("in-b");
  in_b.spec.node_selector[k8s::wellknown::kZone] = "zone-b";
  w.store.create(in_b);
  r = s.schedule_and_bind(w.now);
  ASSERT_EQ(r.outcome, ScheduleResult::Outcome::Scheduled) << r.message;

  w.store.mutate<k8s::Node>("n1", [](k8s::Node& n) {
    k8s::Taint t;
    t.key = "dedicated";
    t.value = "gpu";
    t.effect = k8s::TaintEffect::NoSchedule;
    n.spec.taints.push_back(t);
  });
  w.store.create(make_pod("plain"));
  r = s.schedule_one(w.now);
  ASSERT_EQ(r.outcome, ScheduleResult::Outcome::Unschedulable);
  EXPECT_EQ(r.message,
            "0/1 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}. preemption: 0/1 nodes are "
            "available: 1 Preemption is not helpful for scheduling.");
}

// A pod retried with nothing changed (the 5-minute flush) fails again with the same result,
// reused from its last failed cycle; any change a Filter reads must end that reuse: here a
// taint lifted, allocatable grown, and a bound pod deleted, each alone.
TEST(FailurePath, ARetryReusesTheFailureOnlyWhileNothingItReadChanged) {
  auto taint = [](k8s::Node& n) {
    k8s::Taint t;
    t.key = "dedicated";
    t.effect = k8s::TaintEffect::NoSchedule;
    n.spec.taints.push_back(t);
  };
  auto retry = [](World& w, Scheduler& s) {
    w.now = w.now + sim::Duration::minutes(5) + sim::Duration::seconds(1);
    return s.schedule_one(w.now);
  };
  {  // taints
    World w;
    k8s::Node n = make_node("n1");
    taint(n);
    w.store.create(n);
    Scheduler& s = w.start();
    w.store.create(make_pod("p"));
    const ScheduleResult first = s.schedule_one(w.now);
    ASSERT_EQ(first.outcome, ScheduleResult::Outcome::Unschedulable);
    const ScheduleResult again = retry(w, s);
    ASSERT_EQ(again.outcome, ScheduleResult::Outcome::Unschedulable);
    EXPECT_EQ(again.message, first.message);
    EXPECT_EQ(again.rejections.size(), first.rejections.size());
    EXPECT_EQ(fit_error_message(FitError{1, s.diagnosis(again)}, w.version), first.message);
    w.store.mutate<k8s::Node>("n1", [](k8s::Node& nd) { nd.spec.taints.clear(); });
    const ScheduleResult after = retry(w, s);
    EXPECT_EQ(after.outcome, ScheduleResult::Outcome::Scheduled) << after.message;
  }
  {  // allocatable
    World w;
    w.store.create(make_node("n1"));
    Scheduler& s = w.start();
    w.store.create(with_requests(make_pod("big"), 6000, 0));
    const ScheduleResult first = s.schedule_one(w.now);
    ASSERT_EQ(first.outcome, ScheduleResult::Outcome::Unschedulable);
    EXPECT_EQ(retry(w, s).message, first.message);
    w.store.mutate<k8s::Node>("n1", [](k8s::Node& nd) { nd.status.allocatable.milli_cpu = 8000; });
    const ScheduleResult after = retry(w, s);
    EXPECT_EQ(after.outcome, ScheduleResult::Outcome::Scheduled) << after.message;
  }
  {  // pods
    World w;
    w.store.create(make_node("n1"));
    w.store.create(on_node(with_requests(make_pod("hog"), 3500, 0), "n1"));
    Scheduler& s = w.start();
    w.store.create(with_requests(make_pod("p"), 1000, 0));
    const ScheduleResult first = s.schedule_one(w.now);
    ASSERT_EQ(first.outcome, ScheduleResult::Outcome::Unschedulable);
    EXPECT_EQ(retry(w, s).message, first.message);
    w.store.remove<k8s::Pod>("default/hog");
    const ScheduleResult after = retry(w, s);
    EXPECT_EQ(after.outcome, ScheduleResult::Outcome::Scheduled) << after.message;
  }
}

}  // namespace
}  // namespace azsim::scheduler::testing
