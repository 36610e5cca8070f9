// FailureProcesses: the stochastic fault processes of spec.failures, played on a Cluster in
// simulated time by every run (`azsim run`, and each trial of `azsim mc`).
//
// Four processes, each drawing from its own named random streams (sim/random.hpp) so that two
// scenarios run on the same trial see the same random events wherever their entities match
// (common random numbers):
//   - instance failures: every EC2 instance, including replacements that register later, has
//     its own time to failure, exponential with mean `mtbf` or Weibull of that shape and mean;
//     it then fails as its mode says (terminate, stop, unreachable) and, when it comes back,
//     draws its next time to failure (a renewal process). Streams "failures/instance"/<id>
//     (times to failure) and "failures/recovery"/<id>/<n-th failure> (its `duration`).
//   - bursts: with probability `share` an instance failure takes size-1 more instances of the
//     same zone (or the region) with it, each within `spread`. Streams
//     "failures/burst"/<id>/<n-th failure of that instance>.
//   - zone outages: per zone a Poisson process of the rate; each outage lasts a draw from the
//     duration distribution and, at its start, each volume of the zone loses its data with
//     probability volume_loss. Streams "failures/zone"/<zone>/"arrivals" and "durations",
//     "failures/zone-loss"/<zone>/<outage index>/<volume id>.
//   - volume failures: every EBS volume, including ones provisioned later, loses its data after
//     an exponential time of rate -ln(1 - afr) per year. Streams "failures/volume"/<id>.
//
// Only the next event of each process is in the queue, and none beyond the end of the run, so
// a quiet simulated year costs a few draws per entity. Every stochastic fault leaves a Normal
// event with reason `Fault` in the cluster's event log whose message starts with "stochastic ",
// as the scripted FaultInjector's events do, and a record in history().
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/controllers/cluster.hpp"
#include "models/scenario/scenario.hpp"
#include "sim/distributions.hpp"
#include "sim/random.hpp"

namespace azsim::faults {

/// FIDELITY A "EBS annual failure rate": io2 0.001 %, every other type (gp2, gp3, io1, st1,
/// sc1, standard) 0.2 % (the upper end of the published 0.1-0.2 %).
double default_volume_afr(const std::string& volume_type);

/// One stochastic fault that happened, in the order they happened.
struct StochasticFault {
  enum class Kind {
    Instance,          // an instance failure drawn from its own time to failure
    BurstMember,       // an instance taken down with another one by a burst
    ZoneOutage,        // a zone outage started
    Volume,            // a volume failure drawn from its AFR
    OutageVolumeLoss,  // a volume whose data was lost at the start of its zone's outage
  };
  sim::Time at;
  Kind kind = Kind::Instance;
  std::string target;     // instance id, zone name or volume id
  std::string zone;       // the zone of the target
  sim::Duration duration; // outage length; stop/unreachable time until back; zero otherwise
  std::string cause;      // BurstMember: the instance whose failure started the burst;
                          // OutageVolumeLoss: the zone; empty otherwise
};
const char* to_string(StochasticFault::Kind k);

/// Plays a scenario's spec.failures on a Cluster. Construct it before the run starts, then call
/// schedule() once; it must outlive the simulation's run (its events and subscriptions refer
/// to it) and be destroyed before the Cluster. Does nothing for processes the scenario does
/// not define.
class FailureProcesses {
 public:
  /// Throws std::invalid_argument for parameters no process can use (a non-positive mtbf).
  FailureProcesses(controllers::Cluster& cluster, const scenario::Scenario& scenario, const sim::RandomStreams& streams);
  FailureProcesses(const FailureProcesses&) = delete;
  FailureProcesses& operator=(const FailureProcesses&) = delete;

  /// Starts every process now (the instances and volumes existing now, and those that appear
  /// later) and keeps them running until `end`: no stochastic fault happens at or after `end`.
  /// Call once (later calls do nothing), with the simulation at the run's time 0.
  void schedule(sim::Time end);

  /// Every stochastic fault so far, in time order.
  const std::vector<StochasticFault>& history() const { return history_; }
  /// How many faults of that kind happened so far.
  std::size_t count(StochasticFault::Kind k) const;

 private:
  enum class InstState { Up, Down, Gone };
  struct Inst {
    std::string id;
    sim::RandomStream ttf;  // its times to failure, in order
    sim::EventId next;      // the pending failure or recovery
    std::uint64_t failures = 0;
    InstState state = InstState::Up;
  };
  struct Zone {
    std::string name;
    sim::RandomStream arrivals;
    sim::RandomStream durations;
    std::uint64_t outages = 0;
  };

  void track_instance(const std::string& id);
  void draw_next_failure(std::size_t i);
  void instance_due(std::size_t i);
  /// Whether a failure now would change anything (see the mode's rules).
  bool can_fail(const cloud::Instance& inst) const;
  /// Fails instance i now as the mode says; `burst_of` is the instance whose failure took it
  /// along ("" for a failure of its own).
  void fail_instance(std::size_t i, const std::string& burst_of);
  void restart_stopped(std::size_t i);
  void recovered(std::size_t i);
  void start_burst(std::size_t i);
  void burst_member_due(std::size_t i, std::size_t first);

  void zone_next(std::size_t z);
  void zone_due(std::size_t z);

  void track_volume(const cloud::Volume& v);
  void volume_due(std::size_t v);

  /// Schedules `fn` at `t` if it is before the end of the run.
  template <class F>
  sim::EventId at(sim::Time t, F&& fn, const char* label);
  void note(const std::string& what);
  void record(StochasticFault::Kind k, std::string target, std::string zone, sim::Duration d, std::string cause);
  std::string zone_of_instance(const std::string& id) const;

  controllers::Cluster& cluster_;
  const scenario::Failures& spec_;
  sim::RandomStream instance_root_, burst_root_, zone_root_, zone_loss_root_, volume_root_, recovery_root_;
  sim::Distribution ttf_dist_;
  bool active_ = false;
  sim::Time end_;

  std::vector<Inst> insts_;
  std::map<std::string, std::size_t> inst_index_;
  std::vector<Zone> zones_;
  std::vector<std::string> volumes_;
  std::map<std::string, std::size_t> volume_index_;
  std::vector<StochasticFault> history_;
};

}  // namespace azsim::faults
