#include "models/data/blast_radius.hpp"

#include <gtest/gtest.h>

#include "models/data/cassandra.hpp"
#include "tests/data/helpers.hpp"

namespace azsim::data {
namespace {

const BlastRadius& find(const std::vector<BlastRadius>& t, const std::string& level, const std::string& op,
                        const std::string& domain) {
  for (const auto& b : t) {
    if (b.consistency == level && b.operation == op && b.domain == domain) return b;
  }
  static const BlastRadius none;
  ADD_FAILURE() << "no row " << level << " " << op << " " << domain;
  return none;
}

struct Table : ::testing::Test {
  sim::Simulation sim;
  std::unique_ptr<ServiceModel> make(const ServiceConfig& c, std::vector<ReplicaInfo> r) {
    return make_service(c, std::move(r), sim::RandomStream(5, 0, "blast"), sim);
  }
};

TEST_F(Table, NtsRf3OverThreeAzs) {
  auto cfg = testing::cassandra_config(3);
  cfg.report_consistency = {"ONE", "ALL"};
  auto svc = make(cfg, testing::replicas_round_robin(6, {"1a", "1b", "1c"}));
  const auto t = blast_radius(*svc);
  // QUORUM needs 2 of a range's 3 replicas, one per AZ: two AZs must go; ONE survives two.
  EXPECT_EQ(find(t, "QUORUM", "read", "zone").min_failures, 2);
  EXPECT_EQ(find(t, "QUORUM", "write", "zone").min_failures, 2);
  EXPECT_EQ(find(t, "ONE", "read", "zone").min_failures, 3);
  EXPECT_EQ(find(t, "ALL", "read", "zone").min_failures, 1);
  EXPECT_EQ(find(t, "QUORUM", "read", "node").min_failures, 2);
  EXPECT_EQ(find(t, "ONE", "read", "node").min_failures, 3);
  EXPECT_EQ(find(t, "ALL", "write", "node").min_failures, 1);
  EXPECT_EQ(find(t, "-", "data", "volume").min_failures, 3);
  const auto& ex = find(t, "QUORUM", "read", "zone").example;
  ASSERT_EQ(ex.size(), 2u);
  EXPECT_NE(ex[0], ex[1]);
}

TEST_F(Table, SimpleStrategyRf3OnSixNodesOneAzCanBreakQuorum) {
  // Hand-made ring: the key at 150 sits on nodes 1, 2, 3 and nodes 2, 3 share AZ 1b.
  const auto replicas = testing::replicas_in({"1a", "1a", "1b", "1b", "1c", "1c"});
  std::vector<std::vector<std::int64_t>> tokens;
  for (std::int64_t i = 0; i < 6; ++i) tokens.push_back({(i + 1) * 100});
  CassandraService svc(testing::cassandra_config(3, true), replicas, tokens, {150}, sim);
  const auto t = blast_radius(svc);
  const auto& z = find(t, "QUORUM", "read", "zone");
  EXPECT_EQ(z.min_failures, 1);
  EXPECT_EQ(z.example, (std::vector<std::string>{"1b"}));
  EXPECT_EQ(find(t, "QUORUM", "read", "node").min_failures, 2);
  // With NetworkTopologyStrategy the same ring needs two AZs.
  CassandraService nts(testing::cassandra_config(3), replicas, tokens, {150}, sim);
  EXPECT_EQ(find(blast_radius(nts), "QUORUM", "read", "zone").min_failures, 2);
}

TEST_F(Table, NodesHostingTwoReplicasCountOnce) {
  auto svc = make(testing::cassandra_config(3), testing::replicas_in({"1a", "1b", "1c"}));
  // Replicas 0 and 1 on the same node (no anti-affinity).
  const auto t = blast_radius(*svc, {"node-x", "node-x", "node-y"});
  const auto& n = find(t, "QUORUM", "read", "node");
  EXPECT_EQ(n.min_failures, 1);
  EXPECT_EQ(n.example, (std::vector<std::string>{"node-x"}));
}

TEST_F(Table, AllWithFewerNodesThanRfIsUnavailableWithNothingFailed) {
  auto cfg = testing::cassandra_config(3);
  cfg.report_consistency = {"ALL"};
  auto svc = make(cfg, testing::replicas_in({"1a", "1b"}));
  EXPECT_EQ(find(blast_radius(*svc), "ALL", "read", "zone").min_failures, 0);
}

TEST_F(Table, GaleraMajorities) {
  ServiceConfig c;
  c.name = "galera";
  c.type = ServiceType::Galera;
  {
    auto svc = make(c, testing::replicas_round_robin(3, {"a", "b", "c"}, "galera"));
    const auto t = blast_radius(*svc);
    EXPECT_EQ(find(t, "PRIMARY_COMPONENT", "write", "zone").min_failures, 2);
    EXPECT_EQ(find(t, "PRIMARY_COMPONENT", "write", "node").min_failures, 2);
    // Isolating one AZ leaves a majority; only cutting all three links leaves none.
    const auto& links = find(t, "PRIMARY_COMPONENT", "write", "zone-link");
    EXPECT_EQ(links.min_failures, 3);
    EXPECT_EQ(links.example, (std::vector<std::string>{"a|b", "a|c", "b|c"}));
    EXPECT_EQ(find(t, "-", "data", "volume").min_failures, 3);
  }
  {
    // Five members over a, b, c (2, 2, 1): a alone holds 2 < 2.5, a and c hold 3.
    auto svc = make(c, testing::replicas_round_robin(5, {"a", "b", "c"}, "galera"));
    const auto t = blast_radius(*svc);
    EXPECT_EQ(find(t, "PRIMARY_COMPONENT", "read", "zone").min_failures, 2);
    EXPECT_EQ(find(t, "PRIMARY_COMPONENT", "read", "node").min_failures, 3);
    EXPECT_EQ(find(t, "PRIMARY_COMPONENT", "read", "zone-link").min_failures, 3);
  }
  {
    // Two AZs (a: 2 members, b: 1): cutting the one link leaves a's majority.
    auto svc = make(c, testing::replicas_round_robin(3, {"a", "a", "b"}, "galera"));
    EXPECT_EQ(find(blast_radius(*svc), "PRIMARY_COMPONENT", "read", "zone-link").min_failures, -1);
  }
}

TEST_F(Table, LeaderFollowerAndSingle) {
  ServiceConfig lf;
  lf.name = "mysql";
  lf.type = ServiceType::LeaderFollower;
  auto m = make(lf, testing::replicas_round_robin(3, {"a", "b", "c"}, "mysql"));
  const auto t = blast_radius(*m);
  const auto& w = find(t, "LEADER", "write", "zone");
  EXPECT_EQ(w.min_failures, 1);
  EXPECT_EQ(w.example, (std::vector<std::string>{"a"}));  // mysql-0, the leader
  EXPECT_EQ(find(t, "LEADER", "read", "zone").min_failures, 3);
  EXPECT_EQ(find(t, "-", "data", "volume").min_failures, 3);
  ServiceConfig single;
  single.name = "jenkins";
  single.type = ServiceType::Single;
  auto s = make(single, {{"jenkins-0", "a", "eu-west"}});
  const auto st = blast_radius(*s);
  EXPECT_EQ(find(st, "INSTANCE", "read", "zone").min_failures, 1);
  EXPECT_EQ(find(st, "-", "data", "volume").min_failures, 1);
}

}  // namespace
}  // namespace azsim::data
