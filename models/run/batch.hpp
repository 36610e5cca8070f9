// Monte-Carlo batches: many independent trials of a scenario (and, for a comparison, of a
// second scenario on the same trial streams), reduced to a metrics::McResult.
//
// Trial i runs run::World with RunOptions{seed = S, trial = i}: the setup is the one of
// `azsim run --seed S`, and from time 0 on every random stream of the trial is derived from
// (S, i) and its own name alone, so a trial's outcome does not depend on the thread, shard,
// rank or machine that ran it, and design B's trial i sees the same streams as design A's
// (common random numbers).
//
// Since every trial starts from the same setup, a thread builds it once: the world lives in a
// sim::Arena saved at time 0, and each trial restores the arena and goes on from there with
// its own streams. The outcome is the same bits as building the world anew
// (BatchOptions::shared_setup = false, and the fallback when arenas are unavailable).
//
// The summary is exact (integer sums, see mc_summary.hpp), so the result is the same bits for
// every thread count.
//
// A shard K/N (0-based index K here) runs trials K, K+N, K+2N, ... below the trial count. Its
// trials are played in blocks of kBlockTrials in order: the threads share one block at a time,
// and progress, checkpoints and the early-stop test happen only between blocks, after a
// whole number of blocks, so where a batch stops or resumes never depends on timing.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "models/metrics/mc_summary.hpp"
#include "models/scenario/scenario.hpp"
#include "sim/time.hpp"

namespace azsim::run {

struct BatchOptions {
  std::uint64_t trials = 0;                // trials of the whole batch, over all shards
  unsigned threads = 1;
  std::optional<std::uint64_t> seed;       // overrides spec.seed
  std::optional<sim::Duration> until;      // overrides spec.duration of every trial
  std::uint64_t shard_index = 0;           // 0-based
  std::uint64_t shard_count = 1;
  /// Early stop: after a block, stop once this metric's 95 % interval (of design A) is at most
  /// `width` wide (metrics::ci_width). Checked from the second block on.
  std::optional<std::string> until_ci_metric;
  double until_ci_width = 0;
  /// When set and true (e.g. from a SIGINT handler), the batch returns before its next block
  /// with `complete` false: the blocks done so far are kept, a resume picks up from there.
  const std::atomic<bool>* interrupt = nullptr;
  /// Trials restore a world saved after the setup (one per thread and scenario, in a
  /// sim::Arena) instead of building their own; false builds every trial's world anew. The
  /// results are the same bits either way.
  bool shared_setup = true;
};

/// Where a batch is: the result of its first `blocks_done` blocks of this shard's trials.
struct BatchState {
  metrics::McResult result;
  std::uint64_t blocks_done = 0;
  bool stopped_early = false;  // --until-ci was met
  bool complete = false;       // every trial of the shard ran, or stopped early
};

inline constexpr std::uint64_t kBlockTrials = 64;

/// The blocks of a shard of `trials` trials, and the trials of its first `blocks` blocks.
inline std::uint64_t block_count(std::uint64_t trials) { return (trials + kBlockTrials - 1) / kBlockTrials; }
inline std::uint64_t trials_in_blocks(std::uint64_t trials, std::uint64_t blocks) {
  return blocks >= block_count(trials) ? trials : blocks * kBlockTrials;
}

/// The number of trials of shard `index` of `count` among `trials`.
std::uint64_t shard_trials(std::uint64_t trials, std::uint64_t index, std::uint64_t count);

/// Called between blocks with the state so far (progress bars, checkpoints).
using BlockCallback = std::function<void(const BatchState&)>;

/// Runs (or resumes from `start`) a batch of `a`, and of `b` on the same streams when given.
/// Returns a complete state, unless `opts.interrupt` was raised. Exceptions of a trial (e.g.
/// run::ScenarioError) stop the batch and are rethrown.
BatchState run_batch(const scenario::Scenario& a, const scenario::Scenario* b, const BatchOptions& opts,
                     BatchState start = {}, const BlockCallback& on_block = nullptr);

/// One trial's outcome, its world built anew (the building block, public for tests and
/// benchmarks).
metrics::TrialOutcome run_trial(const scenario::Scenario& s, const BatchOptions& opts, std::uint64_t trial);

}  // namespace azsim::run
