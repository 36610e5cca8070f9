#include "models/run/batch.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "models/run/runner.hpp"
#include "sim/arena.hpp"

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
  ro.record_events = false;
  return metrics::outcome_of(World(s, ro).run(metrics::ReportDetail::Outcome));
}

namespace {

/// Runs `f` inside `arena`; an exception leaving it is rethrown as a copy on the ordinary heap
/// (its message may live in the arena, which a later restore overwrites). std::bad_alloc
/// (the arena is full) holds nothing of the arena and passes as it is.
template <class F>
void in_arena(sim::Arena& arena, F&& f) {
  try {
    const sim::Arena::Scope inside(arena);
    f();
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const ScenarioError& e) {
    throw ScenarioError(e.what());
  } catch (const std::exception& e) {
    throw std::runtime_error(e.what());
  } catch (...) {
    throw std::runtime_error("a trial failed with an exception of unknown type");
  }
}

/// The trials of one scenario. With BatchOptions::shared_setup, its worlds saved at time 0,
/// each in its own arena and used by one thread at a time: a trial takes an idle one (or builds
/// one), restores it and plays from time 0. Without, or when no arena can be had, or one fills
/// up (a world far larger than any shipped scenario's), a trial builds its world anew: the
/// same bits, more slowly.
class ScenarioTrials {
 public:
  ScenarioTrials(const scenario::Scenario& s, const BatchOptions& opts)
      : s_(s), opts_(opts), gave_up_(!opts.shared_setup) {
    setup_opts_.seed = opts.seed;
    setup_opts_.until = opts.until;
    setup_opts_.record_events = false;
  }

  metrics::TrialOutcome run(std::uint64_t trial) {
    std::unique_ptr<Saved> w = take();
    if (!w) return run_trial(s_, opts_, trial);
    std::optional<metrics::RunReport> report;
    try {
      in_arena(*w->arena, [&] {
        w->arena->restore();
        w->world->start_trial(trial);
        report.emplace(w->world->run(metrics::ReportDetail::Outcome));
      });
    } catch (const std::bad_alloc&) {
      report.reset();
      give_up();
      return run_trial(s_, opts_, trial);
    }
    metrics::TrialOutcome outcome = metrics::outcome_of(*report);
    report.reset();
    give_back(std::move(w));
    return outcome;
  }

 private:
  // The world is never destroyed: releasing the arena releases all of it.
  struct Saved {
    std::unique_ptr<sim::Arena> arena;
    World* world = nullptr;
  };

  /// An idle saved world, else a new one; nullptr when no arena can be had.
  std::unique_ptr<Saved> take() {
    {
      std::lock_guard lock(mutex_);
      if (gave_up_) return nullptr;
      if (!idle_.empty()) {
        auto w = std::move(idle_.back());
        idle_.pop_back();
        return w;
      }
    }
    auto w = std::make_unique<Saved>();
    w->arena = sim::Arena::create();
    if (!w->arena) return nullptr;
    try {
      in_arena(*w->arena, [&] {
        w->world = new World(s_, setup_opts_);
        w->world->setup_shared();
        w->arena->save();
      });
    } catch (const std::bad_alloc&) {
      give_up();
      return nullptr;
    }
    return w;
  }

  /// No shared setup (any more): every later trial builds its world anew.
  void give_up() {
    std::lock_guard lock(mutex_);
    gave_up_ = true;
  }

  void give_back(std::unique_ptr<Saved> w) {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(w));
  }

  const scenario::Scenario& s_;
  const BatchOptions& opts_;
  RunOptions setup_opts_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Saved>> idle_;
  bool gave_up_;
};

/// Plays the trials [first, last) of the shard (local indices) on `threads` threads into one
/// result. Each thread adds into its own result; the exact summaries make the merge order moot.
metrics::McResult run_block(ScenarioTrials& a, ScenarioTrials* b, const BatchOptions& opts, std::uint64_t first,
                            std::uint64_t last) {
  auto play = [&](std::uint64_t local, metrics::McResult& into) {
    const std::uint64_t trial = opts.shard_index + local * opts.shard_count;
    const metrics::TrialOutcome ta = a.run(trial);
    if (b) {
      const metrics::TrialOutcome tb = b->run(trial);
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
  ScenarioTrials trials_a(a, opts);
  std::optional<ScenarioTrials> trials_b;
  if (b) trials_b.emplace(*b, opts);
  while (!state.complete && state.blocks_done < blocks) {
    if (opts.interrupt && opts.interrupt->load()) return state;
    const std::uint64_t first = state.blocks_done * kBlockTrials;
    const std::uint64_t last = std::min(n, first + kBlockTrials);
    state.result.merge(run_block(trials_a, trials_b ? &*trials_b : nullptr, opts, first, last));
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
