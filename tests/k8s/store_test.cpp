#include "models/k8s/store.hpp"

#include <gtest/gtest.h>

using namespace azsim::k8s;

namespace {

Pod make_pod(const std::string& name) {
  Pod p;
  p.meta.name = name;
  return p;
}

TEST(ObjectStore, CreateAssignsIdentityAndNotifies) {
  ObjectStore store;
  azsim::sim::Time now = azsim::sim::Time::from_micros(5);
  store.set_clock([&] { return now; });
  std::vector<std::string> seen;
  store.watch<Pod>([&](WatchEventType t, const Pod* old_obj, const Pod* new_obj) {
    if (t == WatchEventType::Added) seen.push_back("add " + new_obj->meta.name);
    if (t == WatchEventType::Modified) seen.push_back("mod " + old_obj->status.message + "->" + new_obj->status.message);
    if (t == WatchEventType::Deleted) seen.push_back("del " + old_obj->meta.name);
  });
  const Pod& a = store.create(make_pod("a"));
  EXPECT_EQ(a.meta.uid, 1u);
  EXPECT_EQ(a.meta.creation_timestamp, now);
  store.create(make_pod("b"));
  EXPECT_THROW(store.create(make_pod("a")), StoreError);
  store.mutate<Pod>("default/a", [](Pod& p) { p.status.message = "x"; });
  EXPECT_EQ(store.get<Pod>("default", "a")->meta.uid, 1u);
  EXPECT_TRUE(store.remove<Pod>("default/b"));
  EXPECT_FALSE(store.remove<Pod>("default/b"));
  EXPECT_EQ(seen, (std::vector<std::string>{"add a", "add b", "mod ->x", "del b"}));
}

TEST(ObjectStore, ListsInKeyOrder) {
  ObjectStore store;
  for (auto n : {"c", "a", "b"}) store.create(make_pod(n));
  std::string order;
  for (const Pod* p : store.list<Pod>()) order += p->meta.name;
  EXPECT_EQ(order, "abc");
  Node n;
  n.meta.name = "node-1";
  n.meta.ns = "";
  store.create(n);
  EXPECT_NE(store.get<Node>("node-1"), nullptr);
  EXPECT_NE(store.get<Node>("", "node-1"), nullptr);
}

TEST(ObjectStore, UpdateOfMissingObjectIsAnError) {
  ObjectStore store;
  EXPECT_THROW(store.update(make_pod("ghost")), StoreError);
  EXPECT_THROW(store.mutate<Pod>("default/ghost", [](Pod&) {}), StoreError);
}

// Replaced objects are recycled for later writes: every watcher must still see the exact old
// and new versions, also when a watcher writes another object of the same kind meanwhile.
TEST(ObjectStore, RepeatedAndNestedWritesKeepOldAndNewVersions) {
  ObjectStore store;
  store.create(make_pod("a"));
  store.create(make_pod("b"));
  std::vector<std::string> seen;
  store.watch<Pod>([&](WatchEventType t, const Pod* old_obj, const Pod* new_obj) {
    if (t != WatchEventType::Modified) return;
    seen.push_back(new_obj->meta.name + ":" + old_obj->status.message + "->" + new_obj->status.message);
    // Writing "a" also stamps "b" (nested, delivered before this handler returns).
    if (new_obj->meta.name == "a")
      store.mutate<Pod>("default/b", [&](Pod& p) { p.status.message = "b-after-" + new_obj->status.message; });
    // `old_obj` and `new_obj` are still intact after the nested write.
    seen.push_back("still " + old_obj->status.message + "->" + new_obj->status.message);
  });
  for (const char* m : {"1", "2", "3"}) store.mutate<Pod>("default/a", [&](Pod& p) { p.status.message = m; });
  EXPECT_EQ(seen, (std::vector<std::string>{
                      "a:->1", "b:->b-after-1", "still ->b-after-1", "still ->1",
                      "a:1->2", "b:b-after-1->b-after-2", "still b-after-1->b-after-2", "still 1->2",
                      "a:2->3", "b:b-after-2->b-after-3", "still b-after-2->b-after-3", "still 2->3"}));
  const Pod* a = store.get<Pod>("default/a");
  const Pod* b = store.get<Pod>("default/b");
  EXPECT_EQ(a->status.message, "3");
  EXPECT_EQ(b->status.message, "b-after-3");
  EXPECT_EQ(a->meta.uid, 1u);
  EXPECT_EQ(b->meta.uid, 2u);
  // Versions: 2 creates, then per round a's write then b's.
  EXPECT_EQ(a->meta.resource_version, 7u);
  EXPECT_EQ(b->meta.resource_version, 8u);
}

// Lookups (by hash) follow every create, update and removal, also of a key created again.
TEST(ObjectStore, LookupsFollowCreatesUpdatesAndRemovals) {
  ObjectStore store;
  for (int i = 0; i < 50; ++i) store.create(make_pod("p" + std::to_string(i)));
  for (int i = 0; i < 50; i += 2) EXPECT_TRUE(store.remove<Pod>("default/p" + std::to_string(i)));
  for (int i = 0; i < 50; ++i) {
    const Pod* p = store.get<Pod>("default/p" + std::to_string(i));
    if (i % 2 == 0) {
      EXPECT_EQ(p, nullptr) << i;
    } else {
      ASSERT_NE(p, nullptr) << i;
      EXPECT_EQ(p->meta.name, "p" + std::to_string(i));
    }
  }
  store.mutate<Pod>("default/p1", [](Pod& p) { p.status.message = "changed"; });
  EXPECT_EQ(store.get<Pod>("default", "p1")->status.message, "changed");
  const Pod& again = store.create(make_pod("p0"));
  EXPECT_EQ(store.get<Pod>("default/p0"), &again);
  EXPECT_EQ(again.meta.uid, 51u);
  EXPECT_EQ(store.table<Pod>().size(), 26u);
  EXPECT_EQ(store.list<Pod>().front()->meta.name, "p0");  // listing stays in key order
  EXPECT_EQ(store.get<Pod>("default/p"), nullptr);
  EXPECT_EQ(store.get<Node>("default/p1"), nullptr);  // tables are per kind
}

// mutate() writes back to the copy's key, as update() does: renaming in `f` targets the object
// of the new name (or fails when there is none) and leaves the original untouched.
TEST(ObjectStore, MutateThatRenamesWritesTheNewKey) {
  ObjectStore store;
  store.create(make_pod("a"));
  store.create(make_pod("b"));
  store.mutate<Pod>("default/a", [](Pod& p) {
    p.meta.name = "b";
    p.status.message = "from a";
  });
  EXPECT_EQ(store.get<Pod>("default/a")->status.message, "");
  EXPECT_EQ(store.get<Pod>("default/b")->status.message, "from a");
  EXPECT_EQ(store.get<Pod>("default/b")->meta.uid, 2u);
  EXPECT_THROW(store.mutate<Pod>("default/a", [](Pod& p) { p.meta.name = "ghost"; }), StoreError);
  EXPECT_EQ(store.get<Pod>("default/a")->meta.name, "a");
}

}  // namespace
