// Running a scenario: build the world from a Scenario, simulate the setup (instances launch,
// nodes register, manifests are applied, workloads become Ready), then play the faults for the
// scenario's duration and report.
//
// Time 0 of the report is the moment every workload is first Ready after the setup; if the
// setup does not converge within spec.setupTimeout the run goes on from there with a warning.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/controllers/cluster.hpp"
#include "models/data/service.hpp"
#include "models/metrics/report.hpp"
#include "models/scenario/scenario.hpp"

namespace azsim::faults {
class FailureProcesses;
}

namespace azsim::run {

/// A problem in the scenario found only when the world is built (e.g. a data service whose
/// keyspace names no datacenter of its replicas). The message is `FILE:LINE:COL: path: what`.
class ScenarioError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct RunOptions {
  std::optional<std::uint64_t> seed;      // overrides spec.seed
  std::optional<sim::Duration> until;     // overrides spec.duration
  /// A Monte-Carlo trial: the setup runs on the streams of `azsim run` (seed, trial 0), then
  /// from time 0 on every stream is the trial's own, derived from (seed, trial) under the name
  /// "trial". Unset (`azsim run`): one set of streams, (seed, 0), from start to end.
  std::optional<std::uint64_t> trial;
  /// Called at each of these times after time 0 with the cluster (kubectl-style snapshots).
  std::vector<sim::Duration> snapshots_at;
  std::function<void(sim::Duration at, const controllers::Cluster&)> on_snapshot;
  /// Called before every simulated event (traces); nullptr = off.
  std::function<void(sim::Time, const char* label)> on_event;
  /// Whether the run keeps its narrative: the cluster's event log (k8s::EventLog) and the
  /// scheduler's message on each not-Ready interval of the pod timeline. Off for Monte-Carlo
  /// trials, whose outcome reads neither: they skip building the messages, and a pod's pending
  /// time is not split where only the message changed (the totals are the same). Nothing else
  /// changes.
  bool record_events = true;
};

/// A world built from a scenario, kept alive after the run for inspection (explain, tests).
class World {
 public:
  World(const scenario::Scenario& s, const RunOptions& opts);
  ~World();
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  /// Runs the setup, then until time 0 + duration (RunOptions::until, else spec.duration).
  /// Returns the report, in full or only what a trial's outcome reads.
  metrics::RunReport run(metrics::ReportDetail detail = metrics::ReportDetail::Full);
  /// Runs the setup only (setup_shared() then the faults of this run); returns time 0.
  sim::Time setup();
  /// The part of the setup every Monte-Carlo trial shares: the cluster comes up and the data
  /// services start at time 0; nothing of spec.faults or spec.failures is scheduled yet.
  sim::Time setup_shared();
  /// After setup_shared(): switches to the streams of Monte-Carlo trial `trial` (see
  /// RunOptions::trial) and schedules the faults. std::logic_error once the faults started
  /// (setup(), run(), data_services() or an earlier start_trial()).
  void start_trial(std::uint64_t trial);
  /// Advances to `t` after time 0 (after setup()).
  void advance_to(sim::Duration since_t0);
  /// Builds the report covering [t0, now] (ReportDetail::Outcome: only what a Monte-Carlo
  /// trial's metrics::outcome_of reads).
  metrics::RunReport report(metrics::ReportDetail detail = metrics::ReportDetail::Full);

  /// The data services after setup(), with the node each replica runs on ("" when none).
  struct DataService {
    const data::ServiceModel* model = nullptr;
    std::vector<std::string> node_of_replica;
  };
  std::vector<DataService> data_services();

  controllers::Cluster& cluster();
  sim::Simulation& simulation();
  /// The stochastic fault processes of spec.failures after setup(); nullptr when it has none.
  const faults::FailureProcesses* failures() const;
  sim::Time t0() const;
  std::uint64_t seed() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Builds a world and runs it: the report of `azsim run`.
metrics::RunReport run_scenario(const scenario::Scenario& s, const RunOptions& opts = {});

}  // namespace azsim::run
