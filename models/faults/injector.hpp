// FaultInjector: plays a scenario's scripted faults (spec.faults) on a Cluster at their
// simulated times, resolving each target (a node by name, by the pod it runs, or by zone and
// index; pods by name, workload or selector; a volume by id or claim) when the fault fires.
//
// Every fault leaves an event in the cluster's log (reason `Fault`, source `azsim`), so reports
// and traces show it; a fault whose target does not exist at that moment is skipped with a
// Warning event `FaultSkipped` and a run warning.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "models/controllers/cluster.hpp"
#include "models/scenario/scenario.hpp"

namespace azsim::faults {

class FaultInjector {
 public:
  FaultInjector(controllers::Cluster& cluster, const scenario::Scenario& scenario, sim::RandomStream rng);

  /// Schedules every fault at t0 + at (+ jitter drawn from the fault's own stream).
  void schedule(sim::Time t0);
  /// Replaces the root stream of the jitters (before schedule()).
  void reseed(sim::RandomStream rng) { rng_ = std::move(rng); }
  /// Runs one fault now.
  void fire(const scenario::Fault& f);

  /// Problems found while running (a target missing at its time), in time order.
  const std::vector<std::string>& warnings() const { return warnings_; }

  /// Resolvers, public for tests and `azsim explain`.
  std::string resolve_node(const scenario::NodeTarget& t) const;   // "" when none
  std::vector<std::string> resolve_pods(const scenario::PodTarget& t) const;  // pod keys
  std::string resolve_volume(const scenario::VolumeTarget& t) const;  // EBS id, "" when none

 private:
  void note(const std::string& what);
  void skip(const scenario::Fault& f, const std::string& why);
  void drain(const std::string& node, const scenario::Fault& f, sim::Time deadline);
  /// The end of a stop-instance with `for`: starts the instance once it is stopped.
  void restart_stopped(const std::string& inst, const scenario::Fault& f);
  bool eviction_allowed(const k8s::Pod& pod) const;
  std::int32_t expected_pods(const k8s::PodDisruptionBudget& pdb) const;
  /// The namespace a workload reference names: as written, else "default", else the only
  /// namespace holding a workload of that kind and name ("" when none or ambiguous).
  std::string resolve_workload_namespace(const scenario::WorkloadRef& w) const;
  void delete_claim_when_unused(const std::string& key);

  controllers::Cluster& cluster_;
  const scenario::Scenario& scenario_;
  sim::RandomStream rng_;
  std::vector<std::string> warnings_;
  std::set<std::string> doomed_claims_;
  std::set<std::string> refused_;  // pods whose eviction a PodDisruptionBudget refused (reported once)
};

}  // namespace azsim::faults
