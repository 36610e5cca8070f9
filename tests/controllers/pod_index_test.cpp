// PodIndex: every answer equals the filtered scan of the store's pods it replaces, in the same
// order, through creations, bindings, owner and volume changes, status-only updates and
// deletions; and inside a running Cluster at every pod change.
#include "models/controllers/pod_index.hpp"

#include "models/controllers/internal.hpp"  // the index a running Cluster keeps
#include "models/k8s/store.hpp"
#include "tests/controllers/world.hpp"

namespace azsim::controllers::testing {
namespace {

using Keys = std::vector<std::string>;

Keys keys_of(const PodIndex::Keys& s) { return {s.begin(), s.end()}; }

/// The scans the index replaces, written as the controllers used to write them.
Keys scan_node(const k8s::ObjectStore& st, const std::string& node) {
  Keys out;
  for (const auto* p : st.list<k8s::Pod>())
    if (p->bound() && p->spec.node_name == node) out.push_back(p->meta.key());
  return out;
}
Keys scan_owner(const k8s::ObjectStore& st, const std::string& kind, const std::string& ns, const std::string& name) {
  Keys out;
  for (const auto* p : st.list<k8s::Pod>())
    if (p->meta.ns == ns && p->meta.owner && p->meta.owner->kind == kind && p->meta.owner->name == name)
      out.push_back(p->meta.key());
  return out;
}
Keys scan_bare(const k8s::ObjectStore& st) {
  Keys out;
  for (const auto* p : st.list<k8s::Pod>())
    if (!p->meta.owner) out.push_back(p->meta.key());
  return out;
}
Keys scan_with_volumes(const k8s::ObjectStore& st) {
  Keys out;
  for (const auto* p : st.list<k8s::Pod>())
    for (const auto& v : p->spec.volumes)
      if (v.pvc_claim_name || v.aws_ebs_volume_id) {
        out.push_back(p->meta.key());
        break;
      }
  return out;
}

const std::vector<std::string> kNodes = {"n1", "n2", "n3"};
const std::vector<std::string> kNamespaces = {"default", "other"};
const std::vector<std::pair<std::string, std::string>> kOwners = {{"ReplicaSet", "web"}, {"StatefulSet", "db"}, {"", ""}};

/// Compares every query the controllers make with its scan.
void expect_consistent(const PodIndex& idx, const k8s::ObjectStore& st, int step) {
  SCOPED_TRACE("step " + std::to_string(step));
  std::size_t bound = 0;
  for (const auto& n : kNodes) {
    EXPECT_EQ(keys_of(idx.on_node(n)), scan_node(st, n));
    bound += idx.on_node(n).size();
  }
  // No node listed without pods, no pod on a node outside kNodes.
  for (const auto& [node, keys] : idx.nodes()) EXPECT_FALSE(keys.empty()) << node;
  std::size_t scanned_bound = 0;
  for (const auto* p : st.list<k8s::Pod>()) scanned_bound += p->bound() ? 1 : 0;
  EXPECT_EQ(bound, scanned_bound);
  for (const auto& ns : kNamespaces) {
    for (const auto& [kind, name] : kOwners)
      if (!kind.empty()) {
        EXPECT_EQ(keys_of(idx.owned_by(kind, ns, name)), scan_owner(st, kind, ns, name));
        std::size_t terminating = 0;
        for (const auto& k : scan_owner(st, kind, ns, name)) terminating += st.get<k8s::Pod>(k)->terminating() ? 1 : 0;
        EXPECT_EQ(idx.owned_terminating(kind, ns, name), terminating);
      }
  }
  EXPECT_EQ(keys_of(idx.bare()), scan_bare(st));
  EXPECT_EQ(keys_of(idx.with_volumes()), scan_with_volumes(st));
}

TEST(PodIndex, MatchesTheScansItReplacesThroughEveryKindOfChange) {
  k8s::ObjectStore st;
  PodIndex idx;
  st.watch<k8s::Pod>([&](k8s::WatchEventType, const k8s::Pod* o, const k8s::Pod* n) { idx.on_event(o, n); });
  // A fixed pseudo-random walk (splitmix64) over creations, rebinds, owner and volume changes,
  // status-only updates and deletions of 12 pod names in two namespaces.
  std::uint64_t x = 42;
  auto next = [&x](std::uint64_t n) {
    x += 0x9E3779B97F4A7C15ull;
    std::uint64_t z = x;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return (z ^ (z >> 31)) % n;
  };
  int changes_seen[5] = {0, 0, 0, 0, 0};
  for (int step = 0; step < 600; ++step) {
    const std::string ns = kNamespaces[next(2)];
    const std::string name = "p" + std::to_string(next(6));
    const k8s::Pod* cur = st.get<k8s::Pod>(ns, name);
    if (!cur) {
      k8s::Pod p;
      p.meta.name = name;
      p.meta.ns = ns;
      const auto& [kind, owner] = kOwners[next(3)];
      if (!kind.empty()) p.meta.owner = k8s::OwnerReference{kind, owner, 1, true};
      if (next(2)) p.spec.node_name = kNodes[next(3)];
      if (next(2)) p.spec.volumes.push_back(k8s::PodVolume{"d", std::string(next(2) ? "data-a" : "data-b"), false, std::nullopt, {}});
      if (next(3) == 0) p.spec.volumes.push_back(k8s::PodVolume{"e", std::nullopt, false, std::string("vol-1"), {}});
      st.create(std::move(p));
      ++changes_seen[0];
    } else {
      const std::string key = cur->meta.key();
      switch (next(6)) {
        case 0:
          st.remove<k8s::Pod>(key);
          ++changes_seen[1];
          break;
        case 1:  // bind, move or unbind
          st.mutate<k8s::Pod>(key, [&](k8s::Pod& p) { p.spec.node_name = next(4) == 0 ? "" : kNodes[next(3)]; });
          ++changes_seen[2];
          break;
        case 2:  // adopt, orphan or re-own
          st.mutate<k8s::Pod>(key, [&](k8s::Pod& p) {
            const auto& [kind, owner] = kOwners[next(3)];
            if (kind.empty()) p.meta.owner.reset();
            else p.meta.owner = k8s::OwnerReference{kind, owner, 1, true};
          });
          ++changes_seen[3];
          break;
        case 3:  // volumes change (claim renamed, inline volume swapped, all dropped)
          st.mutate<k8s::Pod>(key, [&](k8s::Pod& p) {
            if (next(3) == 0) p.spec.volumes.clear();
            else p.spec.volumes = {k8s::PodVolume{"e", std::nullopt, false, std::string(next(2) ? "vol-1" : "vol-2"), {}},
                                   k8s::PodVolume{"d", std::string("data-b"), false, std::nullopt, {}}};
          });
          ++changes_seen[4];
          break;
        case 4:  // deletion requested (never undone, as in the API)
          if (!cur->terminating()) st.mutate<k8s::Pod>(key, [](k8s::Pod& p) { p.meta.deletion_timestamp = sim::Time::origin(); });
          break;
        default:  // status only: nothing indexed moves
          st.mutate<k8s::Pod>(key, [](k8s::Pod& p) { p.status.ready = !p.status.ready; });
          break;
      }
    }
    expect_consistent(idx, st, step);
    if (::testing::Test::HasFailure()) return;
  }
  for (int c : changes_seen) EXPECT_GT(c, 10);  // the walk exercised every kind of change
}

TEST(PodIndex, StaysInStepWithTheStoreThroughANodeLossAndEvictions) {
  World w;
  w.group("nodes", 3, {"eu-west-1a", "eu-west-1b"});
  w.settle();
  w.cluster.apply(ebs_class());
  w.cluster.apply(statefulset(2));
  w.cluster.apply(deployment("web", 4));
  const PodIndex& idx = w.cluster.impl().pod_index;
  int checks = 0;
  // Observers run after the controllers' own pod watch: the index already reflects the change.
  w.cluster.subscribe_pod_changed([&](const std::string&, PodCause) {
    ++checks;
    for (const auto* n : w.cluster.store().list<k8s::Node>())
      ASSERT_EQ(keys_of(idx.on_node(n->meta.name)), w.pods_on(n->meta.name)) << "at " << w.sim.now().seconds_f();
    ASSERT_EQ(keys_of(idx.owned_by("StatefulSet", "default", "db")), scan_owner(w.cluster.store(), "StatefulSet", "default", "db"));
  });
  w.settle();
  ASSERT_TRUE(w.cluster.workloads_ready());
  // Lose the node with the most pods: its pods are evicted after 300 s, the ReplicaSet's are
  // replaced elsewhere, the node is deleted and PodGC removes the rest.
  std::string victim;
  for (const auto* n : w.cluster.store().list<k8s::Node>())
    if (victim.empty() || w.pods_on(n->meta.name).size() > w.pods_on(victim).size()) victim = n->meta.name;
  ASSERT_FALSE(idx.on_node(victim).empty());
  w.cluster.terminate_instance(w.cluster.instance_of_node(victim));
  w.sim.run_until(w.sim.now() + 30_min);
  EXPECT_TRUE(idx.on_node(victim).empty());
  EXPECT_EQ(idx.nodes().count(victim), 0u);
  EXPECT_EQ(keys_of(idx.owned_by("ReplicaSet", "default", w.cluster.store().list<k8s::ReplicaSet>().front()->meta.name)).size(), 4u);
  EXPECT_GT(checks, 20);
}

}  // namespace
}  // namespace azsim::controllers::testing
