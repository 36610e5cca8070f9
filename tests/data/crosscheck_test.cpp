// Cross-check of the service models against the exact Markov-chain answers: each replica is
// driven by an alternating renewal process with exponential up and down times (fixed seeds),
// the measured unavailability over a long horizon is cut into batches, and the chain's answer
// must fall inside the batch-means confidence interval (Student t, 99 %). The interval must
// also be narrow enough that the check means something.
#include <gtest/gtest.h>

#include "models/data/chains.hpp"
#include "models/data/service.hpp"
#include "sim/distributions.hpp"
#include "sim/stats.hpp"
#include "tests/data/helpers.hpp"

namespace azsim::data {
namespace {

using namespace sim::literals;

/// Independent exponential up (rate lambda) and down (rate mu) periods for every replica,
/// all starting up at time 0, fed to the service as readiness changes.
class RenewalDriver {
 public:
  RenewalDriver(sim::Simulation& sim, ServiceModel& svc, double lambda, double mu, sim::RandomStream rng)
      : sim_(sim), svc_(svc), up_(sim::Exponential::with_rate(lambda)), down_(sim::Exponential::with_rate(mu)) {
    for (std::size_t i = 0; i < svc.replica_count(); ++i) streams_.push_back(rng.child(i));
  }
  void start() {
    for (std::size_t i = 0; i < svc_.replica_count(); ++i) {
      svc_.replica_ready(i, true, sim_.now());
      schedule(i, false);
    }
  }

 private:
  void schedule(std::size_t i, bool next_ready) {
    const auto& dist = next_ready ? down_ : up_;
    sim_.after(sim::sample_duration(dist, streams_[i]), [this, i, next_ready] {
      svc_.replica_ready(i, next_ready, sim_.now());
      schedule(i, !next_ready);
    });
  }

  sim::Simulation& sim_;
  ServiceModel& svc_;
  sim::Exponential up_;
  sim::Exponential down_;
  std::vector<sim::RandomStream> streams_;
};

struct Estimate {
  double mean = 0;
  sim::Interval ci;
};

/// Batch means of the unavailability (1 - availability) of level 0 over [t0, t0 + batches * len].
Estimate batch_means(const ServiceModel& svc, sim::Time t0, sim::Duration len, int batches, bool write,
                     std::size_t level = 0) {
  sim::StreamingStats stats;
  for (int b = 0; b < batches; ++b) {
    const auto r = svc.finish(t0 + len * b, t0 + len * (b + 1));
    stats.add(1.0 - (write ? r.levels[level].write_availability : r.levels[level].read_availability));
  }
  return {stats.mean(), stats.mean_ci(0.99)};
}

constexpr double kHour = 3600.0;
// Down 20 % of the time: mean up 4 h, mean down 1 h.
constexpr double kLambda = 1.0 / (4 * kHour);
constexpr double kMu = 1.0 / kHour;

struct DrivenRun {
  sim::Simulation sim;
  std::unique_ptr<ServiceModel> svc;
  std::unique_ptr<RenewalDriver> driver;  // its pending events point to it: destroyed first
  DrivenRun(const ServiceConfig& cfg, std::vector<ReplicaInfo> replicas, std::uint64_t seed) {
    svc = make_service(cfg, std::move(replicas), sim::RandomStream(seed, 0, "data"), sim);
    driver = std::make_unique<RenewalDriver>(sim, *svc, kLambda, kMu, sim::RandomStream(seed, 0, "renewal"));
    driver->start();
    sim.run_until(sim::Time::origin() + kWarmup + kBatch * kBatches);
  }
  static constexpr sim::Duration kWarmup = sim::Duration::hours(50);
  static constexpr sim::Duration kBatch = sim::Duration::hours(2500);
  static constexpr int kBatches = 20;
  Estimate measure(bool write, std::size_t level = 0) const {
    return batch_means(*svc, sim::Time::origin() + kWarmup, kBatch, kBatches, write, level);
  }
};

void expect_within(const Estimate& e, double exact, double max_relative_half_width, const char* what) {
  EXPECT_LE(e.ci.lo, exact) << what << ": measured " << e.mean << " exact " << exact;
  EXPECT_GE(e.ci.hi, exact) << what << ": measured " << e.mean << " exact " << exact;
  EXPECT_LT((e.ci.hi - e.ci.lo) / 2, max_relative_half_width * exact) << what << ": interval too wide to tell";
}

FailureRates rates() {
  FailureRates r;
  r.replica_failure = kLambda;
  r.replica_repair = kMu;
  return r;
}

TEST(CrossCheck, CassandraNtsRf3AtQuorumAndOne) {
  auto cfg = testing::cassandra_config(3);
  cfg.report_consistency = {"ONE"};
  cfg.hint_window = sim::Duration::days(365 * 100);  // the chain assumes hints cover every outage
  DrivenRun run(cfg, testing::replicas_round_robin(6, {"1a", "1b", "1c"}), 11);
  const auto exact = analyze_chain(*run.svc, rates());
  expect_within(run.measure(false, 0), exact.levels[0].read, 0.1, "QUORUM read");
  expect_within(run.measure(true, 0), exact.levels[0].write, 0.1, "QUORUM write");
  expect_within(run.measure(false, 1), exact.levels[1].read, 0.3, "ONE read");
}

TEST(CrossCheck, LeaderFollowerWithExponentialFailover) {
  ServiceConfig cfg;
  cfg.name = "mysql";
  cfg.type = ServiceType::LeaderFollower;
  cfg.failover_time = sim::Exponential::with_mean(0.5 * kHour);
  DrivenRun run(cfg, testing::replicas_round_robin(3, {"a", "b", "c"}, "mysql"), 12);
  const auto exact = analyze_chain(*run.svc, rates());
  EXPECT_EQ(exact.method, "full state space");
  expect_within(run.measure(true), exact.levels[0].write, 0.1, "leader write");
  expect_within(run.measure(false), exact.levels[0].read, 0.3, "any-replica read");
}

TEST(CrossCheck, GaleraMajorityOfThreeAndFive) {
  for (const std::string quorum : {"dynamic", "static"}) {
    for (std::size_t n : {3u, 5u}) {
      ServiceConfig cfg;
      cfg.name = "galera";
      cfg.type = ServiceType::Galera;
      cfg.quorum = quorum;
      cfg.galera_suspect = sim::Duration::zero();  // the chain's view changes are instantaneous
      DrivenRun run(cfg, testing::replicas_round_robin(n, {"a", "b", "c"}, "galera"), 13 + n);
      const auto exact = analyze_chain(*run.svc, rates());
      const std::string what = quorum + " majority of " + std::to_string(n);
      expect_within(run.measure(false), exact.levels[0].read, 0.15, what.c_str());
    }
  }
}

TEST(CrossCheck, SingleInstance) {
  ServiceConfig cfg;
  cfg.name = "jenkins";
  cfg.type = ServiceType::Single;
  DrivenRun run(cfg, {{"jenkins-0", "a", "eu-west"}}, 21);
  const auto exact = analyze_chain(*run.svc, rates());
  EXPECT_NEAR(exact.levels[0].read, 0.2, 1e-12);
  expect_within(run.measure(false), exact.levels[0].read, 0.1, "single");
}

}  // namespace
}  // namespace azsim::data
