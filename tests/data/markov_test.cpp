#include "models/data/markov.hpp"

#include <cmath>

#include <gtest/gtest.h>

#include "models/data/cassandra.hpp"
#include "models/data/chains.hpp"
#include "models/data/service.hpp"
#include "tests/data/helpers.hpp"

namespace azsim::data {
namespace {

double binomial(std::size_t n, std::size_t k, double p) {
  double c = 1;
  for (std::size_t i = 0; i < k; ++i) c = c * static_cast<double>(n - i) / static_cast<double>(i + 1);
  return c * std::pow(p, static_cast<double>(k)) * std::pow(1 - p, static_cast<double>(n - k));
}

TEST(Ctmc, TwoStateChain) {
  Ctmc c(2);
  c.add_rate(0, 1, 0.25);
  c.add_rate(1, 0, 4.0);
  const auto pi = c.steady_state();
  EXPECT_NEAR(pi[1], 0.25 / 4.25, 1e-15);
  EXPECT_NEAR(pi[0] + pi[1], 1.0, 1e-15);
  EXPECT_THROW(c.add_rate(0, 1, -1.0), std::invalid_argument);
}

TEST(Ctmc, BirthDeathIsBinomialForIndependentReplicas) {
  for (std::size_t n : {1u, 3u, 5u}) {
    const double lambda = 1.0 / 90.0;
    const double mu = 1.0 / 10.0;
    const auto dist = birth_death_down_distribution(n, lambda, mu);
    ASSERT_EQ(dist.size(), n + 1);
    for (std::size_t k = 0; k <= n; ++k) EXPECT_NEAR(dist[k], binomial(n, k, 0.1), 1e-14) << n << " " << k;
  }
}

TEST(Ctmc, MeanTimeToAbsorptionOfTwoCopies) {
  // Two copies lost at rate nu each, a lost one rebuilt at rho; absorbed when both are lost.
  // T0 = 1/(2 nu) + T1, T1 = 1/(nu + rho) + rho/(nu + rho) T0  =>  T0 = (3 nu + rho) / (2 nu^2).
  const double nu = 0.01;
  const double rho = 2.0;
  Ctmc c(3);
  c.add_rate(0, 1, 2 * nu);
  c.add_rate(1, 0, rho);
  c.add_rate(1, 2, nu);
  const auto t = c.mean_time_to_absorption({0, 0, 1});
  EXPECT_NEAR(t[0], (3 * nu + rho) / (2 * nu * nu), 1e-9 * t[0]);
  EXPECT_EQ(t[2], 0.0);
}

TEST(Ctmc, ExploreFindsTheReachableStates) {
  // A walk on 0..4 that can only go up by 2 from 0: reaches 0, 2, 4.
  const auto chain = explore(0, [](int s, auto&& emit) {
    if (s + 2 <= 4) emit(s + 2, 1.0);
    if (s > 0) emit(s - 2, 1.0);
  }, 10);
  EXPECT_EQ(chain.states, (std::vector<int>{0, 2, 4}));
  EXPECT_THROW(explore(0, [](int s, auto&& emit) { emit(s + 1, 1.0); }, 50), ChainTooLarge);
}

/// The probability that fewer than `need` of three independent replicas are up, each down
/// with probability p.
double fewer_than(int need, double p) {
  double out = 0;
  for (int up = 0; up < need; ++up) out += binomial(3, static_cast<std::size_t>(3 - up), p);
  return out;
}

struct ChainOf : ::testing::Test {
  sim::Simulation sim;
  std::unique_ptr<ServiceModel> make(const ServiceConfig& c, std::vector<ReplicaInfo> r) {
    return make_service(c, std::move(r), sim::RandomStream(9, 0, "chain"), sim);
  }
};

TEST_F(ChainOf, CassandraRf3MatchesTheBinomialAtEveryLevel) {
  auto cfg = testing::cassandra_config(3);
  cfg.report_consistency = {"ONE", "ALL"};
  const double lambda = 1.0 / 9.0;
  const double mu = 1.0;
  const double p = 0.1;
  FailureRates rates;
  rates.replica_failure = lambda;
  rates.replica_repair = mu;
  // Three nodes (every key on all three): the birth-death chain.
  auto three = make(cfg, testing::replicas_in({"1a", "1b", "1c"}));
  const auto a = analyze_chain(*three, rates);
  EXPECT_EQ(a.method, "birth-death");
  ASSERT_EQ(a.levels.size(), 3u);
  EXPECT_NEAR(a.levels[0].read, fewer_than(2, p), 1e-12);  // QUORUM
  EXPECT_NEAR(a.levels[0].write, fewer_than(2, p), 1e-12);
  EXPECT_NEAR(a.levels[1].read, fewer_than(1, p), 1e-12);  // ONE
  EXPECT_NEAR(a.levels[2].read, fewer_than(3, p), 1e-12);  // ALL
  // Six nodes over three AZs: every key has three independent replicas, so the share of keys
  // unavailable has the same expectation, now from the full state space over the placement.
  auto six = make(cfg, testing::replicas_round_robin(6, {"1a", "1b", "1c"}));
  const auto b = analyze_chain(*six, rates);
  EXPECT_EQ(b.method, "full state space");
  EXPECT_EQ(b.states, 64u);
  EXPECT_NEAR(b.levels[0].read, fewer_than(2, p), 1e-12);
  EXPECT_NEAR(b.levels[1].read, fewer_than(1, p), 1e-12);
  EXPECT_NEAR(b.levels[2].read, fewer_than(3, p), 1e-12);
  EXPECT_NEAR(b.levels[0].read_keyspace, fewer_than(2, p), 1e-12);
}

TEST_F(ChainOf, ZoneFailuresAddToEachReplicasDowntime) {
  // NTS puts a key's three replicas in three AZs: a replica is up when its node and its AZ are,
  // independently of the others: down with probability q = 1 - (1 - p)(1 - pz).
  auto six = make(testing::cassandra_config(3), testing::replicas_round_robin(6, {"1a", "1b", "1c"}));
  FailureRates rates;
  rates.replica_failure = 1.0 / 9.0;
  rates.replica_repair = 1.0;
  rates.zone_failure = 1.0 / 19.0;
  rates.zone_repair = 1.0;
  const double q = 1 - 0.9 * 0.95;
  const auto a = analyze_chain(*six, rates);
  EXPECT_EQ(a.states, 64u * 8u);
  EXPECT_NEAR(a.levels[0].read, fewer_than(2, q), 1e-12);
}

TEST_F(ChainOf, KeyspaceShareWeightsEveryRangeByItsWidth) {
  // Hand-made ring, node i at token (i + 1) * 100: the range ending at node 0 wraps around and
  // holds all but 500 / 2^64 of the token space; SimpleStrategy puts it on nodes 0, 1, 2,
  // i.e. AZs 1a, 1a, 1b. Only zones fail: QUORUM fails exactly when 1a is down.
  const auto replicas = testing::replicas_in({"1a", "1a", "1b", "1b", "1c", "1c"});
  std::vector<std::vector<std::int64_t>> tokens;
  for (std::int64_t i = 0; i < 6; ++i) tokens.push_back({(i + 1) * 100});
  auto cfg = testing::cassandra_config(3, true);
  cfg.report_consistency = {"ONE", "ALL"};
  CassandraService svc(cfg, replicas, tokens, {450}, sim);  // the key at 450 is on 4, 5, 0
  FailureRates rates;
  rates.zone_failure = 1.0 / 19.0;
  rates.zone_repair = 1.0;
  const double q = 0.05;
  const auto a = analyze_chain(svc, rates);
  EXPECT_EQ(a.states, 8u);
  EXPECT_NEAR(a.levels[0].read_keyspace, q, 1e-12);                  // QUORUM: 1a down
  EXPECT_NEAR(a.levels[1].read_keyspace, q * q, 1e-12);              // ONE: 1a and 1b down
  EXPECT_NEAR(a.levels[2].read_keyspace, 1 - (1 - q) * (1 - q), 1e-12);  // ALL: either
  // The one key sits on 4, 5 (1c) and 0 (1a): QUORUM fails exactly when 1c is down.
  EXPECT_NEAR(a.levels[0].read, q, 1e-12);
  EXPECT_NEAR(a.levels[1].read, q * q, 1e-12);
}

TEST_F(ChainOf, StaticMajorityIsTheBinomialTail) {
  ServiceConfig c;
  c.name = "etcd";
  c.type = ServiceType::Galera;
  c.quorum = "static";
  FailureRates rates;
  rates.replica_failure = 1.0 / 9.0;
  rates.replica_repair = 1.0;
  for (std::size_t n : {3u, 5u}) {
    auto g = make(c, testing::replicas_round_robin(n, {"a", "b", "c"}, "etcd"));
    const auto a = analyze_chain(*g, rates);
    EXPECT_EQ(a.method, "birth-death");
    double expected = 0;
    for (std::size_t down = (n + 1) / 2; down <= n; ++down) expected += binomial(n, down, 0.1);
    EXPECT_NEAR(a.levels[0].read, expected, 1e-12) << n;
    EXPECT_NEAR(a.levels[0].write, expected, 1e-12) << n;
  }
}

TEST_F(ChainOf, SingleInstanceIsTheTwoStateAnswerAndMttdlIsOneOverNu) {
  ServiceConfig c;
  c.name = "jenkins";
  c.type = ServiceType::Single;
  FailureRates rates;
  rates.replica_failure = 0.5;
  rates.replica_repair = 4.5;
  rates.volume_failure = 1e-3;
  auto s = make(c, {{"jenkins-0", "a", "eu-west"}});
  const auto a = analyze_chain(*s, rates);
  EXPECT_NEAR(a.levels[0].read, 0.1, 1e-14);
  EXPECT_NEAR(a.mttdl_seconds, 1e3, 1e-9);
}

TEST_F(ChainOf, MttdlOfTwoCopiesMatchesTheClosedForm) {
  ServiceConfig c;
  c.name = "mysql";
  c.type = ServiceType::LeaderFollower;
  FailureRates rates;
  rates.volume_failure = 0.01;
  rates.rebuild = 2.0;
  auto s = make(c, testing::replicas_round_robin(2, {"a", "b"}, "mysql"));
  const auto a = analyze_chain(*s, rates);
  EXPECT_NEAR(a.mttdl_seconds, (3 * 0.01 + 2.0) / (2 * 0.01 * 0.01), 1e-6);
  EXPECT_EQ(a.mttdl_states, 4u);
}

TEST_F(ChainOf, CassandraMttdlNeedsAllReplicasOfOneRangeLost) {
  // Three nodes, RF 3: the same as a three-copy chain. T0 = 1/(3n) + T1, T1 = 1/(2n+r) +
  // r/(2n+r) T0 + 2n/(2n+r) T2, T2 = 1/(n+2r) + 2r/(n+2r) T1 (with the MTTDL chain where every
  // lost copy is rebuilt at r on its own).
  const double n = 0.01;
  const double r = 1.0;
  FailureRates rates;
  rates.volume_failure = n;
  rates.rebuild = r;
  auto three = make(testing::cassandra_config(3), testing::replicas_in({"1a", "1b", "1c"}));
  const auto a = analyze_chain(*three, rates);
  Ctmc c(4);
  c.add_rate(0, 1, 3 * n);
  c.add_rate(1, 0, r);
  c.add_rate(1, 2, 2 * n);
  c.add_rate(2, 1, 2 * r);
  c.add_rate(2, 3, n);
  const double expected = c.mean_time_to_absorption({0, 0, 0, 1})[0];
  EXPECT_NEAR(a.mttdl_seconds, expected, 1e-9 * expected);
  // Far longer than the time to lose any one volume.
  EXPECT_GT(a.mttdl_seconds, 1000 / (3 * n));
}

}  // namespace
}  // namespace azsim::data
