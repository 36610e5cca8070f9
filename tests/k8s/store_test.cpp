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

}  // namespace
