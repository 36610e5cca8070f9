// Cost of one Monte-Carlo trial of a Cassandra keyspace: build the ring (6 nodes x 256 vnodes,
// NTS RF 3 over 3 AZs, `rows` keys), replay a simulated year of replica failures (each replica
// fails every 30 days on average and is back within an hour), and compute the result.
//
// Two contestants per key count, in one process:
//   data/per_row_baseline   the same ring and events, but every event re-evaluates every key
//                           against its replica set (the obvious implementation);
//   data/incremental        CassandraService: keys grouped by replica set, counts updated only
//                           for the groups of the replica that changed.
// The summary gives trials/s and the ratio of the incremental model to the baseline.
//
// AZSIM_BENCH_SMOKE=1 shrinks the run so CI finishes in well under a second.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "models/data/cassandra.hpp"
#include "sim/distributions.hpp"

namespace {

using namespace azsim;

bool smoke_mode() {
  const char* v = std::getenv("AZSIM_BENCH_SMOKE");
  return v != nullptr && std::strcmp(v, "1") == 0;
}

struct Event {
  sim::Time t;
  std::size_t replica;
  bool ready;
};

std::vector<data::ReplicaInfo> replicas() {
  std::vector<data::ReplicaInfo> out;
  const char* zones[] = {"1a", "1b", "1c"};
  for (std::size_t i = 0; i < 6; ++i) out.push_back({"cassandra-" + std::to_string(i), zones[i % 3], "eu-west"});
  return out;
}

data::ServiceConfig config(std::int64_t rows) {
  data::ServiceConfig c;
  c.name = "cassandra";
  c.rows = rows;
  c.replication = {{"eu-west", 3}};
  return c;
}

/// A year of failures and repairs per replica, in time order.
std::vector<Event> year_of_events(std::uint64_t trial) {
  std::vector<Event> out;
  const auto up = sim::Exponential::with_mean(30.0 * 86400.0);
  const auto down = sim::Exponential::with_mean(1800.0);
  for (std::size_t r = 0; r < 6; ++r) {
    sim::RandomStream rs(1, trial, "bench/failures");
    rs = rs.child(r);
    sim::Time t = sim::Time::origin();
    const sim::Time end = sim::Time::origin() + sim::Duration::days(365);
    while (true) {
      t += sim::sample_duration(up, rs);
      if (t > end) break;
      out.push_back({t, r, false});
      t += sim::sample_duration(down, rs);
      if (t > end) break;
      out.push_back({t, r, true});
    }
  }
  std::sort(out.begin(), out.end(), [](const Event& a, const Event& b) { return a.t < b.t; });
  return out;
}

void incremental(benchmark::State& state) {
  const std::int64_t rows = state.range(0);
  std::uint64_t trial = 0;
  double availability = 0;
  for (auto _ : state) {
    const auto events = year_of_events(trial);
    sim::Simulation sim;
    data::CassandraService svc(config(rows), replicas(), sim::RandomStream(1, trial, "data"), sim);
    for (std::size_t i = 0; i < 6; ++i) svc.replica_ready(i, true, sim.now());
    for (const auto& e : events) {
      sim.run_until(e.t);
      svc.replica_ready(e.replica, e.ready, e.t);
    }
    sim.run_until(sim::Time::origin() + sim::Duration::days(365));
    availability += svc.finish(sim::Time::origin(), sim.now()).levels[0].read_availability;
    ++trial;
  }
  benchmark::DoNotOptimize(availability);
  state.SetItemsProcessed(state.iterations());
}

void per_row_baseline(benchmark::State& state) {
  const std::int64_t rows = state.range(0);
  std::uint64_t trial = 0;
  double availability = 0;
  for (auto _ : state) {
    const auto events = year_of_events(trial);
    sim::Simulation sim;
    data::CassandraService svc(config(rows), replicas(), sim::RandomStream(1, trial, "data"), sim);
    const auto& groups = svc.groups();
    const auto& req = svc.requirement(0, false);
    std::vector<char> ready(6, 1);
    std::vector<std::int32_t> live_dc(1);
    double integral = 0;
    sim::Time last = sim::Time::origin();
    std::int64_t readable = rows;
    for (const auto& e : events) {
      integral += static_cast<double>(readable) * (e.t - last).seconds_f();
      last = e.t;
      ready[e.replica] = e.ready ? 1 : 0;
      readable = 0;
      for (std::size_t k = 0; k < static_cast<std::size_t>(rows); ++k) {
        std::int32_t live = 0;
        for (auto m : groups.members[groups.group_of_row[k]]) live += ready[m];
        live_dc[0] = live;
        readable += req.satisfied(live, live_dc) ? 1 : 0;
      }
    }
    const sim::Time end = sim::Time::origin() + sim::Duration::days(365);
    integral += static_cast<double>(readable) * (end - last).seconds_f();
    availability += integral / (static_cast<double>(rows) * (end - sim::Time::origin()).seconds_f());
    ++trial;
  }
  benchmark::DoNotOptimize(availability);
  state.SetItemsProcessed(state.iterations());
}

class SummaryReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& reports) override {
    ConsoleReporter::ReportRuns(reports);
    for (const Run& r : reports) {
      if (r.error_occurred || r.run_type != Run::RT_Iteration) continue;
      const auto it = r.counters.find("items_per_second");
      if (it != r.counters.end()) rates_[{std::stoll(r.run_name.args), r.run_name.function_name}] = it->second.value;
    }
  }
  void print() const {
    std::printf("\ndata_availability summary: trials/s and ratio incremental / per_row_baseline\n");
    std::printf("%10s  %14s  %14s %8s\n", "rows", "baseline", "incremental", "ratio");
    std::map<std::int64_t, std::pair<double, double>> by_rows;
    for (const auto& [key, rate] : rates_) {
      auto& slot = by_rows[key.first];
      (key.second == "data/incremental" ? slot.second : slot.first) = rate;
    }
    for (const auto& [rows, pair] : by_rows) {
      std::printf("%10lld  %14.3e  %14.3e %8.2f\n", static_cast<long long>(rows), pair.first, pair.second,
                  pair.first > 0 ? pair.second / pair.first : 0.0);
    }
  }

 private:
  std::map<std::pair<std::int64_t, std::string>, double> rates_;
};

}  // namespace

int main(int argc, char** argv) {
  const bool smoke = smoke_mode();
  const std::vector<std::int64_t> sizes = smoke ? std::vector<std::int64_t>{100} : std::vector<std::int64_t>{100, 100'000};
  for (std::int64_t rows : sizes) {
    auto* a = benchmark::RegisterBenchmark("data/per_row_baseline", per_row_baseline)->Arg(rows);
    auto* b = benchmark::RegisterBenchmark("data/incremental", incremental)->Arg(rows);
    for (auto* bm : {a, b}) {
      bm->Unit(benchmark::kMicrosecond);
      if (smoke) bm->Iterations(3);
    }
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  SummaryReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.print();
  benchmark::Shutdown();
  return 0;
}
