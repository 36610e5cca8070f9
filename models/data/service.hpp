// ServiceModel: a data service (Cassandra ring, MySQL leader/follower, Galera, single instance)
// living on a workload's pods, answering "can the data still be read and written?".
//
// The cluster wiring tells the model what happens to its replicas; the model keeps, per
// reported consistency level, how many of the service's `rows` keys can be read and written,
// schedules its own timers (failure detection, failover, rebuild) on the Simulation, and
// reports a ServiceResult at the end.
//
// Inputs and their contract (all times are the Simulation's current time, non-decreasing):
// - replica_ready(ordinal, ready, now): the database process of replica `ordinal` starts or
//   stops serving. Call it with the pod's real serving state: false from the instant its node
//   dies or its container stops (not only when the API marks the pod NotReady ~50 s later),
//   true when the pod turns Ready (which includes startup_delay()). Repeated calls with the same
//   value are ignored. Every replica starts not ready.
// - volume_lost(ordinal, now): the replica's volume and data are gone for good; the replica is
//   out of service at once and, when it is ready again, must rebuild (stream or clone its data
//   from the others) before it serves reads.
// - replica_added(info, now): scale-up; the new replica takes the next ordinal.
// - replica_removed(ordinal, now): scale-down; see each service for what it means.
// - replica_leaving(ordinal, now): the replica's database stops cleanly, i.e. its process gets
//   SIGTERM while its node is alive (pod deletion, scale-down, drain eviction) and shuts down
//   in order, telling its peers. Instead of replica_ready(false) for such a stop; a replica
//   whose node or process dies (node lost, kill) goes through replica_ready(false). Services
//   without a clean-leave protocol treat both alike (the default).
// Ordinals out of range are programming errors (std::out_of_range).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "models/data/config.hpp"
#include "models/data/recorder.hpp"
#include "models/data/result.hpp"
#include "sim/random.hpp"
#include "sim/simulation.hpp"

namespace azsim::data {

/// Interface of every data service model. Not copyable (timers capture `this`); destroy it
/// only when its Simulation holds no pending event of it, or never runs again.
class ServiceModel {
 public:
  ServiceModel(const ServiceModel&) = delete;
  ServiceModel& operator=(const ServiceModel&) = delete;
  virtual ~ServiceModel();

  virtual void replica_ready(std::size_t ordinal, bool ready, sim::Time now) = 0;
  virtual void volume_lost(std::size_t ordinal, sim::Time now) = 0;
  virtual void replica_added(ReplicaInfo info, sim::Time now) = 0;
  virtual void replica_removed(std::size_t ordinal, sim::Time now) = 0;
  /// A clean stop (see the banner); by default the same as replica_ready(ordinal, false, now).
  virtual void replica_leaving(std::size_t ordinal, sim::Time now) { replica_ready(ordinal, false, now); }
  /// How long the database needs after its container starts before it serves, to be added to
  /// the pod's readiness (Cassandra: gossip settle, FIDELITY A "RING_DELAY" note; others: 0).
  virtual sim::Duration startup_delay(std::size_t ordinal) const = 0;
  /// Restarts the model's streams from `rng`, derived as make_service derives them (a
  /// Monte-Carlo trial after a shared setup); a model without randomness ignores it.
  virtual void reseed(const sim::RandomStream& rng) { (void)rng; }

  const ServiceConfig& config() const { return config_; }
  std::size_t replica_count() const { return replicas_.size(); }
  const ReplicaInfo& replica(std::size_t ordinal) const { return replicas_.at(ordinal); }

  /// The reported levels; level 0 is the configured one.
  const std::vector<LevelSpec>& levels() const { return recorder_.levels(); }
  std::int64_t rows() const { return recorder_.rows(); }
  std::int64_t rows_readable(std::size_t level = 0) const { return recorder_.current(level).readable; }
  std::int64_t rows_writable(std::size_t level = 0) const { return recorder_.current(level).writable; }
  std::int64_t rows_lost() const { return recorder_.rows_lost(); }
  /// "Rows available" time series of a level, for a trace counter track.
  const std::vector<RowsSample>& series(std::size_t level = 0) const { return recorder_.series(level); }
  /// Whether every row has all its replicas serving and consistent right now.
  bool fully_redundant() const { return recorder_.fully_redundant(); }

  /// The result over [t0, end]; callable several times (const).
  ServiceResult finish(sim::Time t0, sim::Time end) const {
    return recorder_.finish(config_.name, config_.type, t0, end);
  }

 protected:
  ServiceModel(ServiceConfig config, std::vector<ReplicaInfo> replicas, sim::Simulation& sim,
               std::vector<LevelSpec> levels, std::int64_t rows);
  void check_ordinal(std::size_t ordinal) const;

  ServiceConfig config_;
  std::vector<ReplicaInfo> replicas_;
  sim::Simulation& sim_;
  Recorder recorder_;
};

/// Problems with a service's configuration, each "field: what is wrong" (empty when valid).
/// make_service refuses a config with problems.
std::vector<std::string> validate_config(const ServiceConfig& config, const std::vector<ReplicaInfo>& replicas);

/// The model for config.type over `replicas` (ordinal order). `rng` seeds its randomness
/// (Cassandra tokens and key tokens; leader/follower failover times); `sim` runs its timers.
/// Throws std::invalid_argument listing validate_config's problems.
std::unique_ptr<ServiceModel> make_service(const ServiceConfig& config, std::vector<ReplicaInfo> replicas,
                                           sim::RandomStream rng, sim::Simulation& sim);

/// Time to stream or clone one replica's data: data_gib_per_replica at stream_mib_per_s.
sim::Duration stream_time(const ServiceConfig& config);

}  // namespace azsim::data
