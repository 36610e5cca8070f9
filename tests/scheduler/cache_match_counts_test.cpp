// The cache's matching pods per node (Cache::matching_pods_per_node), which topology spread
// reads instead of scanning every pod each cycle: kept up to date as pods are added, assumed,
// replaced, terminated, moved and removed, rebuilt the same after it was dropped, and nodes
// that are gone do not count for the spread.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "models/scheduler/cache.hpp"
#include "tests/scheduler/conformance_table.hpp"

namespace azsim::scheduler::testing {
namespace {

struct Fixture {
  k8s::ObjectStore store;
  SymbolTable syms;
  Cache cache{syms};

  PodInfo info(const std::string& name, k8s::Labels labels, const std::string& ns = "default",
               bool terminating = false) {
    k8s::Pod p = in_ns(make_pod(name, std::move(labels)), ns);
    PodInfo i = compile_pod(p, syms, store);
    i.terminating = terminating;
    return i;
  }
  CompiledSelector web() {
    CompiledSelector s;
    s.add_equals(syms.intern("app"), syms.intern("web"));
    return s;
  }
  std::vector<std::int32_t> counts(const CompiledSelector& sel, const std::string& ns = "default") {
    const auto span = cache.matching_pods_per_node(syms.intern(ns), sel);
    std::vector<std::int32_t> v(span.begin(), span.end());
    v.resize(3, 0);  // slots of nodes added later read as 0
    return v;
  }
};

TEST(CacheMatchCounts, FollowEveryPodChange) {
  Fixture f;
  for (const char* n : {"n0", "n1", "n2"}) f.cache.upsert_node(make_node(n));
  using V = std::vector<std::int32_t>;
  EXPECT_EQ(f.counts(f.web()), (V{0, 0, 0})) << "asked for before any pod";

  f.cache.add_bound_pod(f.info("web-0", {{"app", "web"}}), "n0");
  f.cache.add_bound_pod(f.info("web-1", {{"app", "web"}, {"tier", "x"}}), "n0");
  f.cache.add_bound_pod(f.info("web-2", {{"app", "web"}}), "n1");
  f.cache.add_bound_pod(f.info("db-0", {{"app", "db"}}), "n1");
  f.cache.add_bound_pod(f.info("web-x", {{"app", "web"}}, "other"), "n2");
  EXPECT_EQ(f.counts(f.web()), (V{2, 1, 0})) << "bound pods; another namespace does not count";
  EXPECT_EQ(f.counts(f.web(), "other"), (V{0, 0, 1}));

  f.cache.assume(f.info("web-3", {{"app", "web"}}), f.cache.node_index("n2"));
  EXPECT_EQ(f.counts(f.web()), (V{2, 1, 1})) << "an assumed pod counts";
  f.cache.forget("default/web-3");
  EXPECT_EQ(f.counts(f.web()), (V{2, 1, 0})) << "a forgotten one no longer";

  f.cache.update_bound_pod(f.info("web-0", {{"app", "web"}}, "default", true), "n0");
  EXPECT_EQ(f.counts(f.web()), (V{1, 1, 0})) << "a terminating pod does not count";
  f.cache.update_bound_pod(f.info("web-2", {{"app", "web"}}), "n2");
  EXPECT_EQ(f.counts(f.web()), (V{1, 0, 1})) << "a pod seen on another node moves";
  f.cache.update_bound_pod(f.info("db-0", {{"app", "web"}}), "n1");
  EXPECT_EQ(f.counts(f.web()), (V{1, 1, 1})) << "a relabelled pod starts to match";
  f.cache.remove_pod("default/web-1");
  EXPECT_EQ(f.counts(f.web()), (V{0, 1, 1})) << "a removed pod no longer counts";

  // Selectors asked for since: the web counts are dropped, then built anew from the pods.
  f.cache.add_bound_pod(f.info("web-4", {{"app", "web"}}), "n0");
  for (int i = 0; i < 12; ++i) {
    CompiledSelector other;
    other.add_equals(f.syms.intern("app"), f.syms.intern("other-" + std::to_string(i)));
    EXPECT_EQ(f.counts(other), (V{0, 0, 0}));
    f.cache.add_bound_pod(f.info("filler-" + std::to_string(i), {{"app", "filler"}}), "n2");
  }
  EXPECT_EQ(f.counts(f.web()), (V{1, 1, 1})) << "rebuilt after it was dropped";

  // A node added after the counts were built gets a slot of its own.
  f.cache.upsert_node(make_node("n3"));
  f.cache.add_bound_pod(f.info("web-5", {{"app", "web"}}), "n3");
  const auto span = f.cache.matching_pods_per_node(f.syms.intern("default"), f.web());
  ASSERT_EQ(span.size(), 4u);
  EXPECT_EQ(span[f.cache.node_index("n3")], 1);
}

// Zone spread, maxSkew 1: zone-a's node n0 holds two matching pods and is deleted (its pods
// stay in the cache until they are deleted too), zone-b's n2 holds one. The pods of a node
// that is gone do not count, so zone-a (0) is below zone-b (1) and the pod goes to n1; were
// they counted, zone-a would hold 2 and only zone-b's n2 would keep the skew.
TEST(CacheMatchCounts, PodsOfADeletedNodeDoNotCountForSpread) {
  for (const bool counted_before : {false, true}) {
    SCOPED_TRACE(counted_before ? "counts built before the deletion" : "counts built after it");
    World w;
    w.store.create(make_node("n0", "zone-a"));
    w.store.create(make_node("n1", "zone-a"));
    w.store.create(make_node("n2", "zone-b"));
    w.store.create(on_node(make_pod("web-0", {{"app", "web"}}), "n0"));
    w.store.create(on_node(make_pod("web-1", {{"app", "web"}}), "n0"));
    w.store.create(on_node(make_pod("web-2", {{"app", "web"}}), "n2"));
    Scheduler& s = w.start();
    if (counted_before) {  // a pod of another namespace: same selector, counted per namespace
      w.store.create(in_ns(spread(make_pod("first", {{"app", "web"}}), k8s::wellknown::kZone, 1, {{"app", "web"}}), "other"));
      ASSERT_EQ(s.schedule_one(w.now).outcome, ScheduleResult::Outcome::Scheduled);
      w.store.create(spread(make_pod("probe", {{"app", "web"}}), k8s::wellknown::kZone, 3, {{"app", "web"}}));
      const ScheduleResult r = s.schedule_one(w.now);
      ASSERT_EQ(r.outcome, ScheduleResult::Outcome::Scheduled) << r.message;
      w.store.remove<k8s::Pod>("default/probe");
    }
    w.store.remove<k8s::Node>("n0");
    w.store.create(spread(make_pod("new", {{"app", "web"}}), k8s::wellknown::kZone, 1, {{"app", "web"}}));
    const ScheduleResult r = s.schedule_one(w.now);
    ASSERT_EQ(r.outcome, ScheduleResult::Outcome::Scheduled) << r.message;
    EXPECT_EQ(r.node, "n1");
  }
}

}  // namespace
}  // namespace azsim::scheduler::testing
