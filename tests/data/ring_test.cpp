#include "models/data/ring.hpp"

#include <algorithm>
#include <limits>
#include <set>

#include <gtest/gtest.h>

#include "tests/data/helpers.hpp"

namespace azsim::data {
namespace {

using testing::replicas_in;

// Six nodes with one token each: node i owns token (i + 1) * 100; racks a a b b c c.
struct SixNodes : ::testing::Test {
  std::vector<ReplicaInfo> replicas = replicas_in({"1a", "1a", "1b", "1b", "1c", "1c"});
  TokenRing ring;
  Replication nts{true, 0, {{"eu-west", 3}}};
  Replication simple{false, 3, {}};
  Topology topo;
  void SetUp() override {
    for (std::uint32_t i = 0; i < 6; ++i) {
      const std::vector<std::int64_t> t{static_cast<std::int64_t>(i + 1) * 100};
      ring.add_node(i, t);
    }
    topo = Topology::build(replicas, nts);
  }
};

TEST_F(SixNodes, KeyBelongsToTheFirstTokenAtOrAfterIt) {
  EXPECT_EQ(ring[ring.first_at_or_after(150)].owner, 1u);
  EXPECT_EQ(ring[ring.first_at_or_after(200)].owner, 1u);  // range (100, 200]
  EXPECT_EQ(ring[ring.first_at_or_after(201)].owner, 2u);
  EXPECT_EQ(ring[ring.first_at_or_after(650)].owner, 0u);  // wraps
  EXPECT_EQ(ring[ring.first_at_or_after(-5)].owner, 0u);
}

TEST_F(SixNodes, SimpleStrategyTakesTheNextDistinctNodesIgnoringRacks) {
  EXPECT_EQ(simple_replicas(ring, ring.first_at_or_after(150), 3), (std::vector<std::uint32_t>{1, 2, 3}));
  EXPECT_EQ(simple_replicas(ring, ring.first_at_or_after(650), 3), (std::vector<std::uint32_t>{0, 1, 2}));
  // Nodes 2 and 3 share rack 1b: SimpleStrategy does not care.
  EXPECT_EQ(topo.rack_of[2], topo.rack_of[3]);
}

TEST_F(SixNodes, NetworkTopologyStrategySkipsRepeatedRacks) {
  // From node 1 (1a): node 2 (1b) is a new rack, node 3 (1b) is skipped, node 4 (1c) taken.
  EXPECT_EQ(nts_replicas(ring, ring.first_at_or_after(150), topo, nts), (std::vector<std::uint32_t>{1, 2, 4}));
  for (std::size_t i = 0; i < ring.size(); ++i) {
    const auto reps = nts_replicas(ring, i, topo, nts);
    ASSERT_EQ(reps.size(), 3u);
    std::set<std::int32_t> racks;
    for (auto r : reps) racks.insert(topo.rack_of[r]);
    EXPECT_EQ(racks.size(), 3u) << "range " << i;
  }
}

TEST(Ring, NetworkTopologyStrategyFillsWithRepeatsWhenRacksAreFewerThanRf) {
  // Four nodes on two racks, RF 3: one rack repeat is allowed, taken at the first repeat met.
  const auto replicas = replicas_in({"1a", "1a", "1b", "1b"});
  const Replication nts{true, 0, {{"eu-west", 3}}};
  const auto topo = Topology::build(replicas, nts);
  TokenRing ring;
  for (std::uint32_t i = 0; i < 4; ++i) ring.add_node(i, std::vector<std::int64_t>{static_cast<std::int64_t>(i + 1) * 100});
  EXPECT_EQ(nts_replicas(ring, 0, topo, nts), (std::vector<std::uint32_t>{0, 1, 2}));
  EXPECT_EQ(nts_replicas(ring, 1, topo, nts), (std::vector<std::uint32_t>{1, 2, 3}));
  // Every rack is used by every range.
  for (std::size_t i = 0; i < 4; ++i) {
    std::set<std::int32_t> racks;
    for (auto r : nts_replicas(ring, i, topo, nts)) racks.insert(topo.rack_of[r]);
    EXPECT_EQ(racks.size(), 2u);
  }
}

TEST(Ring, NetworkTopologyStrategyCapsRfAtTheNodesOfTheDc) {
  const auto replicas = replicas_in({"1a", "1b"});
  const Replication nts{true, 0, {{"eu-west", 3}}};
  const auto topo = Topology::build(replicas, nts);
  TokenRing ring;
  ring.add_node(0, std::vector<std::int64_t>{10});
  ring.add_node(1, std::vector<std::int64_t>{20});
  EXPECT_EQ(nts_replicas(ring, 0, topo, nts).size(), 2u);
}

TEST(Ring, NetworkTopologyStrategyPlacesPerDcAndSkipsUnreplicatedDcs) {
  // Ring order: e0 u0 e1 u1 e2 x0 (x: DC with RF 0).
  std::vector<ReplicaInfo> replicas{{"n0", "1a", "eu-west"}, {"n1", "1a", "us-east"}, {"n2", "1b", "eu-west"},
                                    {"n3", "1b", "us-east"}, {"n4", "1c", "eu-west"}, {"n5", "1a", "ap-south"}};
  const Replication nts{true, 0, {{"eu-west", 2}, {"us-east", 1}, {"ap-south", 0}}};
  const auto topo = Topology::build(replicas, nts);
  TokenRing ring;
  for (std::uint32_t i = 0; i < 6; ++i) ring.add_node(i, std::vector<std::int64_t>{static_cast<std::int64_t>(i + 1) * 10});
  // From n5 (RF 0 in its DC): n0 (eu 1a), n1 (us), n2 (eu 1b).
  EXPECT_EQ(nts_replicas(ring, 5, topo, nts), (std::vector<std::uint32_t>{0, 1, 2}));
  // Racks are (dc, rack) pairs: us-east's 1a is not eu-west's 1a.
  EXPECT_NE(topo.rack_of[0], topo.rack_of[1]);
}

TEST(Ring, RandomTokensAreDistinctAndReproducible) {
  sim::RandomStream a(7, 0, "tokens");
  sim::RandomStream b(7, 0, "tokens");
  TokenRing ring;
  const auto ta = random_tokens(a, 256, ring);
  const auto tb = random_tokens(b, 256, ring);
  EXPECT_EQ(ta, tb);
  std::set<std::int64_t> unique(ta.begin(), ta.end());
  EXPECT_EQ(unique.size(), 256u);
  ring.add_node(0, ta);
  EXPECT_THROW(ring.add_node(1, std::vector<std::int64_t>{ta[3]}), std::invalid_argument);
}

TEST(Ring, VnodesNtsKeepsRacksDistinctWhileSimpleStrategyDoesNot) {
  const auto replicas = testing::replicas_round_robin(6, {"1a", "1b", "1c"});
  const Replication nts{true, 0, {{"eu-west", 3}}};
  const Replication simple{false, 3, {}};
  const auto topo = Topology::build(replicas, nts);
  TokenRing ring;
  sim::RandomStream rs(1, 0, "ring");
  for (std::uint32_t i = 0; i < 6; ++i) {
    auto s = rs.child(i);
    ring.add_node(i, random_tokens(s, 256, ring));
  }
  std::size_t simple_repeats = 0;
  for (std::size_t i = 0; i < ring.size(); ++i) {
    std::set<std::int32_t> nts_racks;
    for (auto r : nts_replicas(ring, i, topo, nts)) nts_racks.insert(topo.rack_of[r]);
    EXPECT_EQ(nts_racks.size(), 3u);
    std::set<std::int32_t> simple_racks;
    for (auto r : simple_replicas(ring, i, 3)) simple_racks.insert(topo.rack_of[r]);
    simple_repeats += simple_racks.size() < 3;
  }
  // With 1536 random vnodes, two of the next three distinct nodes share an AZ for a large share
  // of ranges (for a random next node, 1 - (4/5)(2/4) = 60 %).
  EXPECT_GT(simple_repeats, ring.size() / 4);
}

TEST(Ring, GroupRowsCountsEveryKeyOnceByReplicaSet) {
  const auto replicas = replicas_in({"1a", "1a", "1b", "1b", "1c", "1c"});
  const Replication simple{false, 3, {}};
  const auto topo = Topology::build(replicas, simple);
  TokenRing ring;
  for (std::uint32_t i = 0; i < 6; ++i) ring.add_node(i, std::vector<std::int64_t>{static_cast<std::int64_t>(i + 1) * 100});
  // Keys 150 and 170 share range (100, 200]; 250 is in (200, 300]; 650 wraps to node 0.
  const std::vector<std::int64_t> keys{150, 250, 170, 650};
  const auto g = group_rows(ring, keys, topo, simple);
  ASSERT_EQ(g.members.size(), 3u);
  EXPECT_EQ(g.group_of_row[0], g.group_of_row[2]);
  std::int64_t sum = 0;
  for (auto r : g.rows) sum += r;
  EXPECT_EQ(sum, 4);
  EXPECT_EQ(g.members[g.group_of_row[0]], (std::vector<std::uint32_t>{1, 2, 3}));
  EXPECT_EQ(g.members[g.group_of_row[3]], (std::vector<std::uint32_t>{0, 1, 2}));
  EXPECT_EQ(g.rows[g.group_of_row[0]], 2);
}

// assign() sorts all nodes' tokens at once; it must build the ring add_node builds, for
// uniform random tokens and for tokens bunched into a few buckets (the fallback sort), and
// refuse equal tokens.
TEST(TokenRingAssign, EqualsTheRingBuiltNodeByNode) {
  std::uint64_t x = 0x9e3779b97f4a7c15ull;
  auto next = [&x] {  // splitmix64: fixed test data, not a simulation stream
    std::uint64_t z = (x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  };
  for (const bool bunched : {false, true}) {
    std::vector<std::vector<std::int64_t>> tokens(6);
    std::uint64_t k = 0;
    for (auto& list : tokens)
      for (int i = 0; i < 256; ++i, ++k) {
        // Bunched: distinct tokens in scrambled order just above three spots of the ring,
        // 512 to a bucket.
        const std::uint64_t scrambled = (k * 7919) % 1536;
        list.push_back(static_cast<std::int64_t>(bunched ? ((scrambled % 3) << 62) + scrambled : next()));
      }
    TokenRing all, one_by_one;
    ASSERT_TRUE(all.assign(tokens));
    for (std::uint32_t i = 0; i < tokens.size(); ++i) one_by_one.add_node(i, tokens[i]);
    ASSERT_EQ(all.size(), 6u * 256u);
    for (std::size_t i = 0; i < all.size(); ++i) {
      EXPECT_EQ(all[i].token, one_by_one[i].token) << i;
      EXPECT_EQ(all[i].owner, one_by_one[i].owner) << i;
    }
  }
  TokenRing dup;
  EXPECT_FALSE(dup.assign({{5, -7, 12}, {40, 12}}));
  EXPECT_TRUE(dup.empty());
  EXPECT_TRUE(dup.assign({{std::numeric_limits<std::int64_t>::min()}, {std::numeric_limits<std::int64_t>::max(), 0}}));
  EXPECT_EQ(dup[0].token, std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(dup[2].token, std::numeric_limits<std::int64_t>::max());
}

}  // namespace
}  // namespace azsim::data
