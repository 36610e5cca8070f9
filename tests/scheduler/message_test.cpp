// The FailedScheduling message: the pure FitError function (sorting, counting, PreFilter
// replacement, preemption suffix, version variants) and the message a real cycle produces.
#include <gtest/gtest.h>

#include "models/scheduler/fit_error.hpp"
#include "tests/scheduler/conformance_table.hpp"

namespace azsim::scheduler::testing {
namespace {

Status st(Code c, std::vector<std::string> reasons) { return Status{c, std::move(reasons), "P"}; }

FitError nodes(int n, std::vector<std::pair<int, std::string>> groups) {
  FitError e;
  e.num_all_nodes = n;
  int i = 0;
  for (const auto& [count, reason] : groups)
    for (int k = 0; k < count; ++k)
      e.diagnosis.node_statuses.push_back({"n" + std::to_string(i++), st(Code::Unschedulable, {reason})});
  return e;
}

TEST(FitErrorMessage, SortsCountedReasonsAsStrings) {
  // "10 ..." sorts before "2 ..." because the strings, not the counts, are sorted.
  FitError e = nodes(12, {{2, "Insufficient memory"}, {10, "node(s) didn't match Pod's node affinity/selector"}});
  EXPECT_EQ(fit_error_message(e, {1, 29}),
            "0/12 nodes are available: 10 node(s) didn't match Pod's node affinity/selector, 2 Insufficient memory.");
}

TEST(FitErrorMessage, MixedRejectionsWithPreemption) {
  FitError e = nodes(6, {{3, "Insufficient cpu"}, {1, "node(s) were unschedulable"},
                         {2, "node(s) had untolerated taint {dedicated: gpu}"}});
  e.diagnosis.post_filter_msg = preemption_post_filter_message(
      6,
      {{"n0", st(Code::UnschedulableAndUnresolvable, {"No preemption victims found for incoming pod"})},
       {"n1", st(Code::UnschedulableAndUnresolvable, {"No preemption victims found for incoming pod"})},
       {"n2", st(Code::UnschedulableAndUnresolvable, {"No preemption victims found for incoming pod"})}},
      {1, 29});
  EXPECT_EQ(fit_error_message(e, {1, 29}),
            "0/6 nodes are available: 1 node(s) were unschedulable, 2 node(s) had untolerated taint {dedicated: gpu}, "
            "3 Insufficient cpu. preemption: 0/6 nodes are available: 3 No preemption victims found for incoming pod, "
            "3 Preemption is not helpful for scheduling.");
}

TEST(FitErrorMessage, EveryReasonOfANodeCounts) {
  FitError e;
  e.num_all_nodes = 2;
  e.diagnosis.node_statuses = {{"a", st(Code::Unschedulable, {"Insufficient cpu", "Insufficient memory"})},
                               {"b", st(Code::Unschedulable, {"Insufficient cpu"})}};
  EXPECT_EQ(fit_error_message(e, {1, 30}), "0/2 nodes are available: 1 Insufficient memory, 2 Insufficient cpu.");
}

TEST(FitErrorMessage, PreFilterRejectionReplacesTheNodeList) {
  FitError e;
  e.num_all_nodes = 3;
  e.diagnosis.pre_filter_msg = "pod has unbound immediate PersistentVolumeClaims";
  e.diagnosis.absent_nodes_status =
      st(Code::UnschedulableAndUnresolvable, {"pod has unbound immediate PersistentVolumeClaims"});
  e.diagnosis.post_filter_msg = preemption_post_filter_message(3, {}, {1, 29});
  EXPECT_EQ(fit_error_message(e, {1, 29}),
            "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are "
            "available: 3 Preemption is not helpful for scheduling.");
  // Before 1.25 the PreFilter status was copied to every node and counted; before 1.28 the
  // PostFilter message got a second period.
  EXPECT_EQ(fit_error_message(e, {1, 24}),
            "0/3 nodes are available: 3 pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are "
            "available: 3 Preemption is not helpful for scheduling..");
}

TEST(FitErrorMessage, DoublePeriodBefore128) {
  FitError e = nodes(1, {{1, "Insufficient cpu"}});
  e.diagnosis.post_filter_msg = preemption_post_filter_message(
      1, {{"n0", st(Code::UnschedulableAndUnresolvable, {"No preemption victims found for incoming pod"})}}, {1, 27});
  EXPECT_EQ(fit_error_message(e, {1, 27}),
            "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption "
            "victims found for incoming pod..");
  e.diagnosis.post_filter_msg = preemption_post_filter_message(
      1, {{"n0", st(Code::UnschedulableAndUnresolvable, {"No preemption victims found for incoming pod"})}}, {1, 28});
  EXPECT_EQ(fit_error_message(e, {1, 28}),
            "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption "
            "victims found for incoming pod.");
}

TEST(FitErrorMessage, Version134AddsTheDynamicResourcesPostFilter) {
  FitError e = nodes(2, {{2, "node(s) had untolerated taint(s)"}});
  e.diagnosis.post_filter_msg = preemption_post_filter_message(2, {}, {1, 34});
  EXPECT_EQ(fit_error_message(e, {1, 34}),
            "0/2 nodes are available: 2 node(s) had untolerated taint(s). no new claims to deallocate, preemption: "
            "0/2 nodes are available: 2 Preemption is not helpful for scheduling.");
}

TEST(FitErrorMessage, NoPostFilterBefore124) {
  FitError e = nodes(1, {{1, "Insufficient cpu"}});
  e.diagnosis.post_filter_msg = "preemption: whatever";
  EXPECT_EQ(fit_error_message(e, {1, 23}), "0/1 nodes are available: 1 Insufficient cpu.");
}

// A real cycle: one tainted node (unresolvable) and two full nodes (preemption might help but
// there are no lower-priority pods), in both wording generations of the taint and volume reasons.
TEST(FailedSchedulingMessage, FromASchedulingCycle) {
  const std::pair<k8s::KubeVersion, std::string> cases[] = {
      {{1, 29},
       "0/4 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 1 node(s) had volume node "
       "affinity conflict, 2 Insufficient cpu. preemption: 0/4 nodes are available: 2 No preemption victims found "
       "for incoming pod, 2 Preemption is not helpful for scheduling."},
      // 1.34: new wordings sort differently, a request above the node's size is unresolvable, and
      // the DynamicResources PostFilter message comes first.
      {{1, 34},
       "0/4 nodes are available: 1 node(s) didn't match PersistentVolume's node affinity, 1 node(s) had untolerated "
       "taint(s), 2 Insufficient cpu. no new claims to deallocate, preemption: 0/4 nodes are available: 4 "
       "Preemption is not helpful for scheduling."},
  };
  for (const auto& [version, expected] : cases) {
    World w(version);
    w.store.create(make_class("gp2", "ebs.csi.aws.com", k8s::VolumeBindingMode::WaitForFirstConsumer, true));
    w.store.create(make_pv("pv1", "gp2", "zone-a"));
    w.store.create(make_claim("data", "gp2"));
    bind_claim(w.store, "data", "pv1");
    w.store.create(tainted(make_node("n1", "zone-a"), "dedicated", "gpu", k8s::TaintEffect::NoSchedule));
    w.store.create(with_alloc(make_node("n2", "zone-a"), 500, 8 * kGi, 110));
    w.store.create(with_alloc(make_node("n3", "zone-a"), 500, 8 * kGi, 110));
    w.store.create(make_node("n4", "zone-b"));
    Scheduler& s = w.start();
    w.store.create(with_claim(with_requests(make_pod("p"), 1000, 0), "data"));
    ScheduleResult r = s.schedule_one(w.now);
    ASSERT_EQ(r.outcome, ScheduleResult::Outcome::Unschedulable);
    EXPECT_EQ(r.message, expected);
    // The cycle counts reasons by id; the pure function over the spelled-out diagnosis must
    // give the same bytes.
    const Diagnosis d = s.diagnosis(r);
    ASSERT_EQ(d.node_statuses.size(), 4u);
    EXPECT_EQ(d.node_statuses[0].node, "n1");
    EXPECT_EQ(fit_error_message(FitError{4, d}, version), r.message);
    ASSERT_EQ(w.events.events().size(), 1u);
    const auto& ev = w.events.events()[0];
    EXPECT_EQ(ev.type, k8s::EventType::Warning);
    EXPECT_EQ(ev.reason, "FailedScheduling");
    EXPECT_EQ(ev.source, "default-scheduler");
    EXPECT_EQ(ev.object, "pod/p");
    EXPECT_EQ(ev.message, r.message);
    const auto* pod = w.store.get<k8s::Pod>("default/p");
    ASSERT_NE(pod, nullptr);
    EXPECT_FALSE(pod->status.scheduled);
    EXPECT_EQ(pod->status.reason, "Unschedulable");
    EXPECT_EQ(pod->status.message, r.message);
  }
}

TEST(FailedSchedulingMessage, NoNodes) {
  World w;
  Scheduler& s = w.start();
  w.store.create(make_pod("p"));
  EXPECT_EQ(s.schedule_one(w.now).message, "no nodes available to schedule pods");
}

}  // namespace
}  // namespace azsim::scheduler::testing
