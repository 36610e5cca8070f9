// The hold model (Jones 1986), the classic event-set benchmark: N events pending; each step
// removes the earliest and schedules one at now + Exp(1 s), so N stays constant.
//
// Three contestants per N, in one process:
//   hold/baseline_pq   std::priority_queue of (double time, uint64 seq), no callbacks at all;
//   hold/sim_heap      the full Simulation loop on the 4-ary heap queue;
//   hold/sim_ladder    the full Simulation loop on the ladder queue.
// In the Simulation runs each event is a real callback that schedules its successor. The
// summary printed at the end gives events/s and the ratio of each to the baseline per N.
//
// AZSIM_BENCH_SMOKE=1 shrinks N and the iteration count so CI finishes in well under a second.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <queue>
#include <string>
#include <utility>
#include <vector>

#include "sim/simulation.hpp"

namespace {

using azsim::sim::Duration;
using azsim::sim::QueueKind;
using azsim::sim::Simulation;
using azsim::sim::Time;

// Self-contained deterministic Exp(1): splitmix64 -> uniform in (0, 1] -> -log(u).
class ExpSource {
 public:
  explicit ExpSource(std::uint64_t seed) : s_(seed) {}
  double next() {
    std::uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    const double u = (static_cast<double>(z >> 11) + 1.0) * 0x1.0p-53;
    return -std::log(u);
  }

 private:
  std::uint64_t s_;
};

constexpr std::uint64_t kSeed = 20240601;
// Events per benchmark iteration: large enough that the benchmark loop itself costs nothing.
constexpr std::int64_t kBatch = 1000;

bool smoke_mode() {
  const char* v = std::getenv("AZSIM_BENCH_SMOKE");
  return v != nullptr && std::strcmp(v, "1") == 0;
}

// Steps run before timing starts, so each queue reaches its steady state (the ladder queue lays
// out its first rung, arrays reach their working size).
std::int64_t warmup_steps(std::int64_t n) { return smoke_mode() ? n : std::max<std::int64_t>(n, 100'000); }

void hold_baseline(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  ExpSource exp(kSeed);
  using Item = std::pair<double, std::uint64_t>;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> pq;
  std::uint64_t seq = 0;
  for (std::int64_t i = 0; i < n; ++i) pq.emplace(exp.next(), seq++);
  auto step = [&] {
    const double now = pq.top().first;
    pq.pop();
    pq.emplace(now + exp.next(), seq++);
  };
  for (std::int64_t i = 0; i < warmup_steps(n); ++i) step();
  for (auto _ : state) {
    for (std::int64_t i = 0; i < kBatch; ++i) step();
  }
  benchmark::DoNotOptimize(pq.top());
  state.SetItemsProcessed(state.iterations() * kBatch);
}

// Shared by all hold events of one run; the callback itself captures only a pointer to it.
struct HoldContext {
  Simulation* sim;
  ExpSource exp;
  std::int64_t remaining;  // events left in this batch; the last one stops the run
};

struct HoldEvent {
  HoldContext* ctx;
  void operator()() const {
    ctx->sim->after(Duration::from_seconds(ctx->exp.next()), HoldEvent{ctx});
    if (--ctx->remaining == 0) ctx->sim->stop();
  }
};

void hold_simulation(benchmark::State& state, QueueKind kind) {
  const std::int64_t n = state.range(0);
  Simulation sim(kind);
  HoldContext ctx{&sim, ExpSource(kSeed), 0};
  for (std::int64_t i = 0; i < n; ++i) sim.at(Time::origin() + Duration::from_seconds(ctx.exp.next()), HoldEvent{&ctx});
  ctx.remaining = warmup_steps(n);
  sim.run();
  for (auto _ : state) {
    ctx.remaining = kBatch;
    sim.run();
  }
  if (sim.pending_count() != static_cast<std::size_t>(n)) state.SkipWithError("pending count drifted");
  state.SetItemsProcessed(state.iterations() * kBatch);
}

// Prints the normal console output and keeps each run's events/s for the summary.
class SummaryReporter : public benchmark::ConsoleReporter {
 public:
  SummaryReporter() : ConsoleReporter(OO_Tabular) {}

  void ReportRuns(const std::vector<Run>& reports) override {
    ConsoleReporter::ReportRuns(reports);
    for (const Run& r : reports) {
      if (r.error_occurred || r.run_type != Run::RT_Iteration) continue;
      const auto it = r.counters.find("items_per_second");
      if (it == r.counters.end()) continue;
      rates_[{std::stoll(r.run_name.args), r.run_name.function_name}].push_back(it->second.value);
    }
  }

  // Median over repetitions (a single value without --benchmark_repetitions).
  double rate(std::int64_t n, const std::string& name) const {
    const auto it = rates_.find({n, name});
    if (it == rates_.end() || it->second.empty()) return 0.0;
    std::vector<double> v = it->second;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  }

  std::vector<std::int64_t> sizes() const {
    std::vector<std::int64_t> out;
    for (const auto& [key, values] : rates_) {
      if (out.empty() || out.back() != key.first) out.push_back(key.first);
    }
    return out;
  }

 private:
  std::map<std::pair<std::int64_t, std::string>, std::vector<double>> rates_;
};

void print_summary(const SummaryReporter& rep) {
  std::printf("\nhold_model summary: events/s, and ratio to hold/baseline_pq at the same N\n");
  std::printf("%10s  %14s  %14s %7s  %14s %7s\n", "N", "baseline_pq", "sim_heap", "ratio", "sim_ladder", "ratio");
  for (std::int64_t n : rep.sizes()) {
    const double base = rep.rate(n, "hold/baseline_pq");
    const double heap = rep.rate(n, "hold/sim_heap");
    const double ladder = rep.rate(n, "hold/sim_ladder");
    auto ratio = [base](double v) { return base > 0 ? v / base : 0.0; };
    std::printf("%10lld  %14.3e  %14.3e %7.2f  %14.3e %7.2f\n", static_cast<long long>(n), base, heap, ratio(heap),
                ladder, ratio(ladder));
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("peak RSS of this process: %.0f MiB\n", static_cast<double>(usage.ru_maxrss) / 1024.0);
}

}  // namespace

int main(int argc, char** argv) {
  const bool smoke = smoke_mode();
  const std::vector<std::int64_t> sizes =
      smoke ? std::vector<std::int64_t>{16, 128, 1024} : std::vector<std::int64_t>{1'000, 100'000, 1'000'000};
  auto configure = [smoke](benchmark::internal::Benchmark* b, std::int64_t n) {
    b->Arg(n)->Unit(benchmark::kMillisecond);
    if (smoke) b->Iterations(5);
  };
  for (std::int64_t n : sizes) {
    configure(benchmark::RegisterBenchmark("hold/baseline_pq", hold_baseline), n);
    configure(benchmark::RegisterBenchmark("hold/sim_heap", hold_simulation, QueueKind::kHeap), n);
    configure(benchmark::RegisterBenchmark("hold/sim_ladder", hold_simulation, QueueKind::kLadder), n);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  SummaryReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  print_summary(reporter);
  benchmark::Shutdown();
  return 0;
}
