#include "models/run/batch.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "models/run/runner.hpp"

namespace azsim::run {

std::uint64_t shard_trials(std::uint64_t trials, std::uint64_t index, std::uint64_t count) {
  if (count == 0 || index >= count || index >= trials) return 0;
  return (trials - index - 1) / count + 1;
}

metrics::TrialOutcome run_trial(const scenario::Scenario& s, const BatchOptions& opts, std::uint64_t trial) {
  RunOptions ro;
  ro.seed = opts.seed;
  ro.until = opts.until;
  ro.trial = trial;
  return metrics::outcome_of(World(s, ro).run(metrics::ReportDetail::Outcome));
}

namespace {

/// Plays the trials [first, last) of the shard (local indices) on `threads` threads into one
/// result. Each thread adds into its own result; the exact summaries make the merge order moot.
metrics::McResult run_block(const scenario::Scenario& a, const scenario::Scenario* b, const BatchOptions& opts,
                            std::uint64_t first, std::uint64_t last) {
  auto play = [&](std::uint64_t local, metrics::McResult& into) {
    const std::uint64_t trial = opts.shard_index + local * opts.shard_count;
    const metrics::TrialOutcome ta = run_trial(a, opts, trial);
    if (b) {
      const metrics::TrialOutcome tb = run_trial(*b, opts, trial);
      into.add(ta, &tb);
    } else {
      into.add(ta, nullptr);
    }
  };
  const unsigned threads = static_cast<unsigned>(std::min<std::uint64_t>(std::max(1u, opts.threads), last - first));
  metrics::McResult total;
  if (threads <= 1) {
    for (std::uint64_t j = first; j < last; ++j) play(j, total);
    return total;
  }
  std::atomic<std::uint64_t> next{first};
  std::atomic<bool> failed{false};
  // The error of the lowest failing trial, whichever thread saw it first.
  std::exception_ptr error;
  std::uint64_t error_trial = 0;
  std::mutex error_mutex;
  std::vector<metrics::McResult> partial(threads);
  {
    std::vector<std::jthread> pool;
    pool.reserve(threads);
    for (unsigned w = 0; w < threads; ++w)
      pool.emplace_back([&, w] {
        std::uint64_t j = 0;
        try {
          for (j = next++; j < last && !failed; j = next++) play(j, partial[w]);
        } catch (...) {
          std::lock_guard lock(error_mutex);
          if (!error || j < error_trial) {
            error = std::current_exception();
            error_trial = j;
          }
          failed = true;
        }
      });
  }
  if (error) std::rethrow_exception(error);
  for (const auto& p : partial) total.merge(p);
  return total;
}

}  // namespace

BatchState run_batch(const scenario::Scenario& a, const scenario::Scenario* b, const BatchOptions& opts,
                     BatchState state, const BlockCallback& on_block) {
  const std::uint64_t n = shard_trials(opts.trials, opts.shard_index, opts.shard_count);
  if (b) {  // a comparison says so even when this shard has no trial
    if (!state.result.b) state.result.b.emplace();
    if (!state.result.diff) state.result.diff.emplace();
  }
  const std::uint64_t blocks = block_count(n);
  while (!state.complete && state.blocks_done < blocks) {
    if (opts.interrupt && opts.interrupt->load()) return state;
    const std::uint64_t first = state.blocks_done * kBlockTrials;
    const std::uint64_t last = std::min(n, first + kBlockTrials);
    state.result.merge(run_block(a, b, opts, first, last));
    ++state.blocks_done;
    if (opts.until_ci_metric && state.blocks_done >= 2) {
      const auto width = metrics::ci_width(metrics::figures_of(state.result.a), *opts.until_ci_metric);
      if (width && *width <= opts.until_ci_width) state.stopped_early = true;
    }
    if (state.stopped_early || state.blocks_done >= blocks) state.complete = true;
    if (on_block) on_block(state);
  }
  state.complete = true;
  return state;
}

}  // namespace azsim::run
