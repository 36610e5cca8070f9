// The cache's per-key topology columns: dense domain ids are found by a scan while a key has
// few values and by a hash map beyond that; both must place pods the same way.
#include <gtest/gtest.h>

#include <algorithm>

#include "models/scheduler/cache.hpp"
#include "tests/scheduler/conformance_table.hpp"

namespace azsim::scheduler::testing {
namespace {

// Checks one column against the expected label value of every node slot ("" = no label):
// values per slot, and dense domain ids in order of first use.
void expect_column(Cache& cache, SymbolTable& syms, const std::vector<std::string>& expected, const std::string& what) {
  const Sym rack = syms.intern("rack");
  const auto values = cache.topology_values(rack);
  const Cache::Domains d = cache.topology_domains(rack);
  ASSERT_EQ(values.size(), expected.size()) << what;
  ASSERT_EQ(d.of_node.size(), expected.size()) << what;
  std::vector<Sym> first_use;
  for (std::size_t slot = 0; slot < expected.size(); ++slot) {
    if (expected[slot].empty()) {
      EXPECT_EQ(values[slot], kNoSym) << what << ", slot " << slot;
      EXPECT_EQ(d.of_node[slot], kNoDomain) << what << ", slot " << slot;
      continue;
    }
    const Sym v = syms.find(expected[slot]);
    EXPECT_EQ(values[slot], v) << what << ", slot " << slot;
    if (std::find(first_use.begin(), first_use.end(), v) == first_use.end()) first_use.push_back(v);
    ASSERT_LT(d.of_node[slot], d.values.size()) << what;
    EXPECT_EQ(d.values[d.of_node[slot]], v) << what << ", slot " << slot;
  }
  EXPECT_EQ(std::vector<Sym>(d.values.begin(), d.values.end()), first_use) << what;
}

k8s::Node rack_node(int i, const std::string& rack) {
  k8s::Node n = make_node("n" + std::to_string(i));
  if (!rack.empty()) n.meta.labels["rack"] = rack;
  return n;
}

// The column over node changes: built, extended by new nodes, rebuilt after a relabel, and
// unchanged by a removal (a removed node keeps its slot and labels), for keys with fewer and
// more distinct values than the scan handles (values repeat after the switch to the map, and
// one node lacks the key).
TEST(CacheColumns, DomainIdsStayDenseInFirstUseOrderOverNodeChanges) {
  for (int distinct : {5, 32, 33, 45}) {
    SymbolTable syms;
    Cache cache(syms);
    const int nodes = distinct + 12;
    std::vector<std::string> expected;
    for (int i = 0; i < nodes; ++i) {
      expected.push_back(i == 3 ? std::string() : "r" + std::to_string((i * 7) % distinct));
      cache.upsert_node(rack_node(i, expected.back()));
      if (i == nodes / 2) expect_column(cache, syms, expected, std::to_string(distinct) + " values, first half");
    }
    const std::string what = std::to_string(distinct) + " values";
    expect_column(cache, syms, expected, what + ", all nodes");
    expected[0] = "r-new";  // relabel the first node: its value, and ids, change
    cache.upsert_node(rack_node(0, expected[0]));
    expect_column(cache, syms, expected, what + ", relabelled");
    cache.remove_node("n1");
    expect_column(cache, syms, expected, what + ", one removed");
    expected[1] = "r0";  // back again with another label
    cache.upsert_node(rack_node(1, expected[1]));
    expect_column(cache, syms, expected, what + ", re-added");
  }
}

// Required pod anti-affinity on the hostname: every node but one runs a matching pod, so that
// one node is the only fit, whichever side of the scan/map switch (32 values) the count is.
TEST(CacheColumns, HostnameAntiAffinityFindsTheOneFreeNode) {
  for (int nodes : {3, 32, 33, 40}) {
    for (int free_node : {0, nodes / 2, nodes - 1}) {
      World w;
      for (int i = 0; i < nodes; ++i) {
        const std::string name = "n" + std::to_string(i);
        w.store.create(make_node(name, i % 2 ? "zone-a" : "zone-b"));
        if (i != free_node) w.store.create(on_node(make_pod("db-" + std::to_string(i), {{"app", "db"}}), name));
      }
      Scheduler& s = w.start();
      w.store.create(with_anti_affinity(make_pod("new", {{"app", "db"}}), term({{"app", "db"}}, k8s::wellknown::kHostname)));
      const ScheduleResult r = s.schedule_one(w.now);
      ASSERT_EQ(r.outcome, ScheduleResult::Outcome::Scheduled) << nodes << " nodes: " << r.message;
      EXPECT_EQ(r.node, "n" + std::to_string(free_node)) << nodes << " nodes";
    }
  }
}

// Topology spread reads the dense domain ids: with one matching pod on every node but one and
// maxSkew 1 over hostnames, only the empty node keeps the skew.
TEST(CacheColumns, HostnameSpreadFindsTheEmptyDomain) {
  for (int nodes : {3, 32, 33, 40}) {
    const int empty = nodes - 2;
    World w;
    for (int i = 0; i < nodes; ++i) {
      const std::string name = "n" + std::to_string(i);
      w.store.create(make_node(name));
      if (i != empty) w.store.create(on_node(make_pod("web-" + std::to_string(i), {{"app", "web"}}), name));
    }
    Scheduler& s = w.start();
    w.store.create(spread(make_pod("new", {{"app", "web"}}), k8s::wellknown::kHostname, 1, {{"app", "web"}}));
    const ScheduleResult r = s.schedule_one(w.now);
    ASSERT_EQ(r.outcome, ScheduleResult::Outcome::Scheduled) << nodes << " nodes: " << r.message;
    EXPECT_EQ(r.node, "n" + std::to_string(empty)) << nodes << " nodes";
  }
}

}  // namespace
}  // namespace azsim::scheduler::testing
