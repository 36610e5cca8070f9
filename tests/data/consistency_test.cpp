#include "models/data/consistency.hpp"

#include <gtest/gtest.h>

namespace azsim::data {
namespace {

TEST(Consistency, ParsesCqlNamesCaseInsensitively) {
  EXPECT_EQ(parse_consistency("QUORUM"), ConsistencyLevel::kQuorum);
  EXPECT_EQ(parse_consistency("quorum"), ConsistencyLevel::kQuorum);
  EXPECT_EQ(parse_consistency("Local_Quorum"), ConsistencyLevel::kLocalQuorum);
  EXPECT_EQ(parse_consistency("EACH_QUORUM"), ConsistencyLevel::kEachQuorum);
  EXPECT_FALSE(parse_consistency("QUORUMS").has_value());
  EXPECT_FALSE(parse_consistency("").has_value());
  for (auto cl : {ConsistencyLevel::kOne, ConsistencyLevel::kTwo, ConsistencyLevel::kThree, ConsistencyLevel::kQuorum,
                  ConsistencyLevel::kLocalOne, ConsistencyLevel::kLocalQuorum, ConsistencyLevel::kEachQuorum,
                  ConsistencyLevel::kAll}) {
    EXPECT_EQ(parse_consistency(to_string(cl)), cl) << to_string(cl);
  }
}

TEST(Consistency, QuorumIsHalfPlusOneRoundedDown) {
  EXPECT_EQ(quorum_for(1), 1);
  EXPECT_EQ(quorum_for(2), 2);
  EXPECT_EQ(quorum_for(3), 2);
  EXPECT_EQ(quorum_for(4), 3);
  EXPECT_EQ(quorum_for(5), 3);
  EXPECT_EQ(quorum_for(6), 4);
}

struct TwoDcs : ::testing::Test {
  // DC "eu-west" RF 3, "us-east" RF 2: RF = 5.
  Replication r{true, 0, {{"eu-west", 3}, {"us-east", 2}}};
  std::vector<std::string> dcs{"eu-west", "us-east"};
};

TEST_F(TwoDcs, BlockForCountsOverTheWholeKeyspace) {
  EXPECT_EQ(r.total_rf(), 5);
  EXPECT_EQ(requirement_for(ConsistencyLevel::kOne, r, dcs, 0).total, 1);
  EXPECT_EQ(requirement_for(ConsistencyLevel::kTwo, r, dcs, 0).total, 2);
  EXPECT_EQ(requirement_for(ConsistencyLevel::kThree, r, dcs, 0).total, 3);
  EXPECT_EQ(requirement_for(ConsistencyLevel::kQuorum, r, dcs, 0).total, 3);  // floor(5/2)+1
  EXPECT_EQ(requirement_for(ConsistencyLevel::kAll, r, dcs, 0).total, 5);
}

TEST_F(TwoDcs, LocalQuorumCountsOnlyTheCoordinatorsDc) {
  const auto eu = requirement_for(ConsistencyLevel::kLocalQuorum, r, dcs, 0);
  EXPECT_EQ(eu.total, 0);
  EXPECT_EQ(eu.local_dc, 0);
  EXPECT_EQ(eu.local, 2);
  const auto us = requirement_for(ConsistencyLevel::kLocalQuorum, r, dcs, 1);
  EXPECT_EQ(us.local, 2);  // floor(2/2)+1
  // 2 live in eu-west and none in us-east: LOCAL_QUORUM from eu-west holds, from us-east not.
  const std::vector<std::int32_t> live{2, 0};
  EXPECT_TRUE(eu.satisfied(2, live));
  EXPECT_FALSE(us.satisfied(2, live));
  const auto local_one = requirement_for(ConsistencyLevel::kLocalOne, r, dcs, 1);
  EXPECT_FALSE(local_one.satisfied(2, live));
  EXPECT_TRUE(local_one.satisfied(1, std::vector<std::int32_t>{0, 1}));
}

TEST_F(TwoDcs, EachQuorumNeedsAQuorumInEveryDc) {
  const auto each = requirement_for(ConsistencyLevel::kEachQuorum, r, dcs, 0);
  ASSERT_EQ(each.per_dc.size(), 2u);
  EXPECT_EQ(each.per_dc[0], 2);
  EXPECT_EQ(each.per_dc[1], 2);
  EXPECT_TRUE(each.satisfied(4, std::vector<std::int32_t>{2, 2}));
  EXPECT_FALSE(each.satisfied(4, std::vector<std::int32_t>{3, 1}));  // QUORUM (3 of 5) would pass
  EXPECT_TRUE(requirement_for(ConsistencyLevel::kQuorum, r, dcs, 0).satisfied(4, std::vector<std::int32_t>{3, 1}));
}

TEST(Consistency, SimpleStrategyFallsBackToQuorumForDcLevels) {
  Replication simple{false, 3, {}};
  const std::vector<std::string> dcs{"eu-west"};
  EXPECT_EQ(requirement_for(ConsistencyLevel::kLocalQuorum, simple, dcs, 0).total, 2);
  EXPECT_EQ(requirement_for(ConsistencyLevel::kEachQuorum, simple, dcs, 0).total, 2);
  EXPECT_EQ(requirement_for(ConsistencyLevel::kAll, simple, dcs, 0).total, 3);
}

TEST(Consistency, RequirementsComeFromTheConfiguredRfNotFromTheNodes) {
  // THREE with RF 2 can never be met, whatever is alive (Cassandra: UnavailableException).
  Replication r{true, 0, {{"eu-west", 2}}};
  const auto three = requirement_for(ConsistencyLevel::kThree, r, {"eu-west"}, 0);
  EXPECT_FALSE(three.satisfied(2, std::vector<std::int32_t>{2}));
}

TEST(Consistency, ParsesReplicationMaps) {
  Replication r;
  EXPECT_EQ(parse_replication("SimpleStrategy", {{"replication_factor", 3}}, r), "");
  EXPECT_FALSE(r.network_topology);
  EXPECT_EQ(r.total_rf(), 3);
  EXPECT_EQ(parse_replication("org.apache.cassandra.locator.NetworkTopologyStrategy", {{"eu-west", 3}}, r), "");
  EXPECT_TRUE(r.network_topology);
  EXPECT_EQ(r.rf_in("eu-west"), 3);
  EXPECT_EQ(r.rf_in("us-east"), 0);
  EXPECT_NE(parse_replication("SimpleStrategy", {{"eu-west", 3}}, r), "");
  EXPECT_NE(parse_replication("SimpleStrategy", {}, r), "");
  EXPECT_NE(parse_replication("NetworkTopologyStrategy", {{"replication_factor", 3}}, r), "");
  EXPECT_NE(parse_replication("NetworkTopologyStrategy", {{"eu-west", 0}}, r), "");
  EXPECT_NE(parse_replication("OldNetworkTopologyStrategy", {{"eu-west", 3}}, r), "");
}

}  // namespace
}  // namespace azsim::data
