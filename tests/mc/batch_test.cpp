// Monte-Carlo batches: exact summaries (any order of adding and merging gives the same bits),
// thread-count invariance, shards that merge to the whole batch, resume after an interruption,
// common random numbers (a design compared with itself differs by exactly 0), and a batch
// whose confidence interval must cover the exact answer of the Markov chain.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <stdexcept>

#include "models/data/chains.hpp"
#include "models/metrics/mc_summary.hpp"
#include "models/run/batch.hpp"
#include "models/run/runner.hpp"
#include "models/scenario/loader.hpp"
#include "sim/arena.hpp"

namespace azsim::run {
namespace {

using namespace sim::literals;
using metrics::ExactMoments;
using metrics::McResult;

std::string source_dir() {
  const char* env = std::getenv("AZSIM_SOURCE_DIR");
  return env ? env : AZSIM_SOURCE_DIR;
}

scenario::Scenario shipped(const std::string& name) {
  const auto r = scenario::load_scenario(source_dir() + "/scenarios/" + name + ".yaml");
  if (!r.ok()) throw std::runtime_error(r.report());
  return *r.scenario;
}

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSlowBuild = true;  // sanitizer builds run ~20x slower: fewer trials
#else
constexpr bool kSlowBuild = false;
#endif

TEST(ExactMoments, MeanAndSpreadFromIntegers) {
  ExactMoments m;
  for (std::int64_t x : {2, 4, 4, 4, 5, 5, 7, 9}) m.add(x);
  EXPECT_EQ(m.count(), 8u);
  EXPECT_EQ(m.sum(), 40);
  EXPECT_EQ(m.sum_squares(), 232);
  EXPECT_DOUBLE_EQ(m.mean(), 5.0);
  EXPECT_DOUBLE_EQ(m.stddev(), std::sqrt(32.0 / 7.0));
  EXPECT_EQ(m.min(), 2);
  EXPECT_EQ(m.max(), 9);
  const auto ci = m.mean_ci();
  EXPECT_LT(ci.lo, 5.0);
  EXPECT_GT(ci.hi, 5.0);
}

TEST(ExactMoments, MergeInAnyOrderIsTheSameBits) {
  std::vector<std::int64_t> xs;
  for (int i = 0; i < 1000; ++i) xs.push_back((i * 7919) % 1013 - 400);
  ExactMoments all, left, right;
  for (auto x : xs) all.add(x);
  for (std::size_t i = 0; i < xs.size(); ++i) (i % 3 == 0 ? left : right).add(xs[i]);
  ExactMoments lr = left, rl = right;
  lr.merge(right);
  rl.merge(left);
  EXPECT_EQ(lr, all);
  EXPECT_EQ(rl, all);
}

TEST(ExactMoments, EmptyAndSingleSampleHaveNoInterval) {
  ExactMoments m;
  EXPECT_TRUE(std::isnan(m.mean()));
  m.add(3);
  EXPECT_TRUE(std::isinf(m.mean_ci().lo));
  EXPECT_TRUE(std::isinf(m.mean_ci().hi));
}

TEST(ExactMoments, OverflowIsAnErrorNotAWrongAnswer) {
  ExactMoments m;
  const std::int64_t big = INT64_MAX;
  EXPECT_THROW(
      {
        for (int i = 0; i < 64; ++i) m.add(big);
      },
      std::overflow_error);
}

TEST(ExactMoments, FromPartsRejectsImpossibleStates) {
  EXPECT_THROW(ExactMoments::from_parts(0, 5, 25, 0, 0), std::invalid_argument);
  EXPECT_THROW(ExactMoments::from_parts(2, 5, -1, 1, 4), std::invalid_argument);
  EXPECT_THROW(ExactMoments::from_parts(2, 5, 17, 4, 1), std::invalid_argument);
  EXPECT_NO_THROW(ExactMoments::from_parts(2, 5, 17, 1, 4));
}

class Batch : public ::testing::Test {
 protected:
  // The seed-001 cluster under its stochastic failures, over a year per trial: nearly every
  // trial has instance failures and replacements, and now and then a zone outage.
  scenario::Scenario s = shipped("whatif-001-kops-cassandra-failures");
  BatchOptions opts() const {
    BatchOptions o;
    o.trials = kSlowBuild ? 6 : 16;
    o.until = sim::Duration::days(365);
    o.seed = 11;
    return o;
  }
};

TEST_F(Batch, TrialsDoSomethingAndDiffer) {
  BatchOptions o = opts();  // ~9 instance failures per trial
  const auto t0 = run_trial(s, o, 0);
  const auto t1 = run_trial(s, o, 1);
  ASSERT_EQ(t0.services.size(), 1u);
  EXPECT_EQ(t0.duration_us, sim::Duration::days(365).us());
  // Different trials, different streams: some pod's pending time differs.
  EXPECT_NE(t0.pod_pending_us, t1.pod_pending_us);
  // The same trial again: the same outcome, to the microsecond.
  const auto again = run_trial(s, o, 1);
  EXPECT_EQ(again.pod_pending_us, t1.pod_pending_us);
  EXPECT_EQ(again.services[0].redundancy_us, t1.services[0].redundancy_us);
}

TEST_F(Batch, ATrialsOutcomeIsTheOutcomeOfTheFullRunReport) {
  // run_trial builds only the parts of the report that outcome_of reads, and keeps no event
  // log (RunOptions::record_events); nothing it reads may differ from the full report of
  // `azsim run` for the same trial, which lists the events.
  BatchOptions o = opts();
  for (std::uint64_t trial : {0u, 3u, 7u}) {
    RunOptions ro;
    ro.seed = o.seed;
    ro.until = o.until;
    ro.trial = trial;
    const metrics::RunReport full = run_scenario(s, ro);
    EXPECT_TRUE(std::any_of(full.events.begin(), full.events.end(),
                            [](const metrics::EventReport& e) { return e.reason == "FailedScheduling"; }))
        << "trial " << trial;
    const auto lean = run_trial(s, o, trial);
    EXPECT_EQ(lean, metrics::outcome_of(full)) << "trial " << trial;
    EXPECT_FALSE(lean.services.at(0).redundancy_us.empty()) << "trial " << trial << " had no fault";
  }
}

TEST_F(Batch, AWorldWithoutEventsPlaysTheSameTrial) {
  // The narrative off (as in every Monte-Carlo trial): the event log stays empty, the pods'
  // not-Ready intervals carry no scheduler message (with the same pending and not-Ready
  // totals), and the cluster ends in the same state, down to each object's resource version.
  auto play = [&](bool record_events) {
    RunOptions ro;
    ro.seed = 11;
    ro.until = sim::Duration::days(365);
    ro.trial = 2;
    ro.record_events = record_events;
    auto w = std::make_unique<World>(s, ro);
    w->run(metrics::ReportDetail::Outcome);
    return w;
  };
  const auto on = play(true);
  const auto off = play(false);
  EXPECT_GT(on->cluster().events().events().size(), 100u);
  EXPECT_TRUE(off->cluster().events().events().empty());
  const auto pods_on = on->cluster().store().list<k8s::Pod>();
  const auto pods_off = off->cluster().store().list<k8s::Pod>();
  ASSERT_EQ(pods_on.size(), pods_off.size());
  for (std::size_t i = 0; i < pods_on.size(); ++i) {
    EXPECT_EQ(pods_on[i]->meta.key(), pods_off[i]->meta.key());
    EXPECT_EQ(pods_on[i]->meta.resource_version, pods_off[i]->meta.resource_version);
    EXPECT_EQ(pods_on[i]->spec.node_name, pods_off[i]->spec.node_name);
  }
  EXPECT_EQ(on->simulation().now(), off->simulation().now());

  const metrics::RunReport full_on = on->report();
  const metrics::RunReport full_off = off->report();
  ASSERT_EQ(full_on.pods.size(), full_off.pods.size());
  std::size_t messages_on = 0, messages_off = 0;
  for (std::size_t i = 0; i < full_on.pods.size(); ++i) {
    const auto& a = full_on.pods[i];
    const auto& b = full_off.pods[i];
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.pending, b.pending) << a.name;
    EXPECT_EQ(a.not_ready, b.not_ready) << a.name;
    for (const auto& iv : a.intervals) messages_on += iv.message.empty() ? 0 : 1;
    for (const auto& iv : b.intervals) messages_off += iv.message.empty() ? 0 : 1;
  }
  EXPECT_GT(messages_on, 0u);  // some pod was unschedulable during the year
  EXPECT_EQ(messages_off, 0u);
}

TEST_F(Batch, ThreadCountDoesNotChangeTheResult) {
  BatchOptions one = opts();
  one.threads = 1;
  BatchOptions two = opts();
  two.threads = 2;
  BatchOptions three = opts();
  three.threads = 3;
  const auto r1 = run_batch(s, nullptr, one);
  const auto r2 = run_batch(s, nullptr, two);
  const auto r3 = run_batch(s, nullptr, three);
  EXPECT_EQ(r1.result.a.trials, one.trials);
  EXPECT_GT(r1.result.a.pod_pending_us.sum(), 0);  // failures happened
  EXPECT_EQ(r1.result, r2.result);
  EXPECT_EQ(r1.result, r3.result);
}

TEST_F(Batch, TheSharedSetupGivesTheSameBitsAsBuildingEveryTrialsWorld) {
  // A trial restores the world its thread saved at time 0 (sim::Arena) instead of building
  // it: every outcome must be what building the world anew gives, for a comparison too.
  if (!sim::Arena::available()) GTEST_SKIP() << "no arenas in this build: both paths build anew";
  scenario::Scenario other = s;
  other.failures.instance->mtbf = sim::Duration::days(180);
  BatchOptions shared = opts();
  shared.threads = 2;
  shared.trials = kSlowBuild ? 8 : 40;
  BatchOptions anew = shared;
  anew.shared_setup = false;
  const auto a = run_batch(s, &other, shared);
  const auto b = run_batch(s, &other, anew);
  EXPECT_GT(a.result.a.pod_pending_us.sum(), 0);
  EXPECT_EQ(a.result, b.result);
  // And trial by trial against run_trial, which always builds anew.
  BatchOptions one = shared;
  one.threads = 1;
  one.trials = 3;
  McResult by_hand;
  for (std::uint64_t t = 0; t < one.trials; ++t) by_hand.add(run_trial(s, one, t), nullptr);
  EXPECT_EQ(run_batch(s, nullptr, one).result, by_hand);
}

TEST_F(Batch, ATrialMustTakeItsStreamsBeforeTheFaultsStart) {
  // start_trial after the faults of the world started would leave the setup's streams in
  // place: every trial would be the same. It is refused.
  World w(s, RunOptions{});
  w.setup();
  EXPECT_THROW(w.start_trial(1), std::logic_error);
  World fresh(s, RunOptions{});
  fresh.setup_shared();
  fresh.start_trial(1);
  EXPECT_THROW(fresh.start_trial(2), std::logic_error);
}

TEST_F(Batch, AnErrorOfTheSetupStopsTheBatchWithItsMessage) {
  // The keyspace names a datacenter none of the replicas is in: found when the data service
  // starts at time 0, inside the shared setup's arena; the error must outlive the arena.
  scenario::Scenario bad = s;
  bad.data.at(0).replication->per_dc = {{"us-west", 3}};
  BatchOptions o = opts();
  o.threads = 2;
  for (bool shared : {true, false}) {
    o.shared_setup = shared;
    try {
      run_batch(bad, nullptr, o);
      ADD_FAILURE() << "no error, shared_setup " << shared;
    } catch (const ScenarioError& e) {
      EXPECT_NE(std::string(e.what()).find("spec.data[0]"), std::string::npos) << e.what();
    }
  }
}

TEST_F(Batch, ShardsMergeToTheWholeBatch) {
  BatchOptions o = opts();
  o.threads = 2;
  const auto whole = run_batch(s, nullptr, o);
  McResult merged;
  std::uint64_t trials = 0;
  for (std::uint64_t k = 0; k < 3; ++k) {
    BatchOptions part = o;
    part.shard_index = k;
    part.shard_count = 3;
    const auto r = run_batch(s, nullptr, part);
    EXPECT_EQ(r.result.a.trials, shard_trials(o.trials, k, 3));
    trials += r.result.a.trials;
    merged.merge(r.result);
  }
  EXPECT_EQ(trials, o.trials);
  EXPECT_EQ(merged, whole.result);
}

TEST(ShardTrials, CountsEveryTrialOnce) {
  for (std::uint64_t n : {0u, 1u, 7u, 64u, 100u})
    for (std::uint64_t count : {1u, 2u, 3u, 8u}) {
      std::uint64_t total = 0;
      for (std::uint64_t k = 0; k < count; ++k) total += shard_trials(n, k, count);
      EXPECT_EQ(total, n) << n << " trials in " << count << " shards";
    }
  EXPECT_EQ(shard_trials(10, 3, 8), 1u);  // trial 3
  EXPECT_EQ(shard_trials(10, 1, 8), 2u);  // trials 1 and 9
}

TEST_F(Batch, AnInterruptedBatchResumesToTheSameResult) {
  BatchOptions o = opts();
  o.trials = kBlockTrials + 3;  // two blocks
  o.until = sim::Duration::days(3);
  const auto whole = run_batch(s, nullptr, o);
  // Interrupt after the first block, keeping the state a checkpoint would hold.
  BatchState saved;
  struct Interrupted {};
  EXPECT_THROW(run_batch(s, nullptr, o, {},
                         [&](const BatchState& st) {
                           saved = st;
                           throw Interrupted{};
                         }),
               Interrupted);
  EXPECT_EQ(saved.blocks_done, 1u);
  EXPECT_EQ(saved.result.a.trials, kBlockTrials);
  const auto resumed = run_batch(s, nullptr, o, saved);
  EXPECT_EQ(resumed.result, whole.result);
  EXPECT_EQ(resumed.result.a.trials, o.trials);
}

TEST_F(Batch, TheInterruptFlagStopsBetweenBlocksAndTheStateResumes) {
  BatchOptions o = opts();
  o.trials = 2 * kBlockTrials + 5;  // three blocks
  o.until = sim::Duration::days(3);
  o.threads = 2;
  const auto whole = run_batch(s, nullptr, o);
  std::atomic<bool> stop{false};
  o.interrupt = &stop;
  // Raised during the first block: that block completes, the next does not start.
  const auto part = run_batch(s, nullptr, o, {}, [&](const BatchState&) { stop = true; });
  EXPECT_FALSE(part.complete);
  EXPECT_EQ(part.blocks_done, 1u);
  EXPECT_EQ(part.result.a.trials, kBlockTrials);
  // Raised before the start: nothing runs, the state comes back as it went in.
  const auto none = run_batch(s, nullptr, o, part);
  EXPECT_FALSE(none.complete);
  EXPECT_EQ(none.blocks_done, 1u);
  EXPECT_EQ(none.result, part.result);
  stop = false;
  const auto resumed = run_batch(s, nullptr, o, part);
  EXPECT_TRUE(resumed.complete);
  EXPECT_EQ(resumed.blocks_done, 3u);
  EXPECT_EQ(resumed.result, whole.result);
}

TEST_F(Batch, ADesignComparedWithItselfDiffersByExactlyZero) {
  BatchOptions o = opts();
  o.threads = 2;
  const auto r = run_batch(s, &s, o);
  ASSERT_TRUE(r.result.b && r.result.diff);
  EXPECT_EQ(r.result.a, *r.result.b);
  const auto& d = *r.result.diff;
  ASSERT_EQ(d.services.size(), 1u);
  for (const ExactMoments* m : {&d.services[0].read_unavailable, &d.services[0].write_unavailable,
                                &d.services[0].unavailable_us, &d.services[0].any_unavailable,
                                &d.services[0].data_loss, &d.trial_pending_us}) {
    EXPECT_EQ(m->count(), o.trials);
    EXPECT_EQ(m->sum(), 0);
    EXPECT_EQ(m->sum_squares(), 0);
  }
  const auto f = metrics::figures_of(d, r.result.a, *r.result.b);
  EXPECT_EQ(f.services[0].read_availability.mean, 0.0);
  EXPECT_EQ(f.pod_pending_s_per_trial.ci95.lo, 0.0);
  EXPECT_EQ(f.pod_pending_s_per_trial.ci95.hi, 0.0);
  // No discordant trial is not proof of no difference: the probabilities' paired intervals
  // are centred on 0 and as wide as the sample allows, not [0, 0].
  for (const metrics::MeanCi* m : {&f.services[0].p_any_unavailable, &f.services[0].p_data_loss}) {
    EXPECT_EQ(m->mean, 0.0);
    EXPECT_GT(m->ci95.hi, 0.0);
    EXPECT_EQ(m->ci95.lo, -m->ci95.hi);
  }
  // Data loss in no trial of either: -/+ the Wilson limit of 0 of n.
  ASSERT_EQ(r.result.a.services[0].data_loss, 0u);
  EXPECT_DOUBLE_EQ(f.services[0].p_data_loss.ci95.hi, sim::wilson_interval(0, o.trials).hi);
}

TEST_F(Batch, ADifferentDesignOnTheSameStreamsShowsItsDifference) {
  // B: instances fail twice as often. Paired over the same trials, B's pods are pending longer.
  scenario::Scenario b = s;
  b.failures.instance->mtbf = sim::Duration::micros(s.failures.instance->mtbf.us() / 2);
  BatchOptions o = opts();
  o.threads = 2;
  const auto r = run_batch(s, &b, o);
  ASSERT_TRUE(r.result.diff);
  EXPECT_GT(r.result.diff->trial_pending_us.mean(), 0.0);
  EXPECT_NE(r.result.a, *r.result.b);
}

TEST_F(Batch, EarlyStopHappensBetweenBlocksOnceTheIntervalIsNarrow) {
  BatchOptions o = opts();
  o.trials = 10 * kBlockTrials;
  o.until = sim::Duration::days(1);
  o.until_ci_metric = "p_data_loss";
  o.until_ci_width = 0.06;  // Wilson width at 0 of 128 trials is ~0.029; at 64 it is ~0.057
  const auto r = run_batch(s, nullptr, o);
  EXPECT_TRUE(r.stopped_early);
  EXPECT_EQ(r.blocks_done, 2u);  // checked from the second block on
  EXPECT_EQ(r.result.a.trials, 2 * kBlockTrials);
}

// The Monte-Carlo interval must cover the exact answer. A single-instance service on one EBS
// volume that fails with a 50 % annual failure rate: its data is lost within a year with
// probability 1 - exp(-year / MTTDL), MTTDL from the Markov chain of `azsim analyze`, which is
// the AFR itself (rate -ln(1 - AFR) per year). 2,000 trials: the Wilson interval is about
// +-0.022 wide, so a rate off by the common afr/year shortcut (0.39) would be caught.
TEST(BatchVersusChain, DataLossProbabilityCoversTheChainsAnswer) {
  scenario::Scenario s = shipped("seed-004-jenkins-ebs");
  s.faults.clear();
  s.failures = {};
  s.failures.volume.emplace();
  s.failures.volume->afr = 0.5;
  BatchOptions o;
  o.trials = kSlowBuild ? 300 : 2000;
  o.threads = 2;
  o.until = sim::Duration::days(365);
  const auto r = run_batch(s, nullptr, o);
  const auto f = metrics::figures_of(r.result.a);
  ASSERT_EQ(f.services.size(), 1u);

  // The chain: one replica on one volume, volume failures only.
  World w(s, RunOptions{});
  w.setup();
  const auto services = w.data_services();
  ASSERT_EQ(services.size(), 1u);
  data::FailureRates rates;
  rates.volume_failure = -std::log(1 - 0.5) / sim::Duration::days(365).seconds_f();
  const data::ChainAnalysis chain = data::analyze_chain(*services[0].model, rates);
  ASSERT_TRUE(std::isfinite(chain.mttdl_seconds));
  const double exact = 1 - std::exp(-sim::Duration::days(365).seconds_f() / chain.mttdl_seconds);
  EXPECT_NEAR(exact, 0.5, 1e-9);
  EXPECT_LE(f.services[0].p_data_loss.ci95.lo, exact);
  EXPECT_GE(f.services[0].p_data_loss.ci95.hi, exact);
  EXPECT_LT(f.services[0].p_data_loss.ci95.hi - f.services[0].p_data_loss.ci95.lo, kSlowBuild ? 0.12 : 0.05);
}

}  // namespace
}  // namespace azsim::run
