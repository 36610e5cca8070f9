// LeaderFollowerService: MySQL-style asynchronous (or semi-synchronous) replication from one
// leader to followers (seed 003).
//
// - Reads need any serving replica (the read Service skips pods that are not Ready).
// - Writes need the leader serving.
// - Leader lost with auto_failover: after the failover delay (failover_detection +
//   failover_promotion, or a draw from failover_time) the serving follower with the lowest
//   ordinal is promoted (all serving followers are taken as equally up to date). If none is
//   serving then, the first replica to serve again becomes the leader at once. If the old leader
//   serves again before the promotion, it simply stays the leader. Without auto_failover, writes
//   wait for the leader.
// - Lost commits: with asynchronous replication every promotion loses async_lag_rows commits
//   (those not yet replicated when the leader died). With semi_sync, nothing is lost unless the
//   leader had been running without any serving follower for at least semi_sync_timeout when it
//   died (MySQL then falls back to asynchronous replication until a follower reconnects). After a
//   lossy promotion the old leader holds errant transactions and is re-cloned when it returns.
// - A lost volume: the replica, when ready again, clones its data from a peer (stream_time)
//   before it serves (the StatefulSet example's init container does this before the pod starts;
//   azsim counts the time after readiness). When no replica holds the data any more, every row
//   is lost.
// - Scale-down removes a replica (a removed leader is a lost leader); scaling back up returns
//   the same pod and volume; a new pod clones before serving.
// Replication catch-up after a follower's outage is taken as instantaneous.
#pragma once

#include <optional>

#include "models/data/service.hpp"

namespace azsim::data {

class LeaderFollowerService final : public ServiceModel {
 public:
  enum class Mode : std::uint8_t {
    kNormal,       ///< the leader is the write target (serving or not, waiting for it)
    kFailingOver,  ///< the leader was lost; promotion pending
    kLeaderless,   ///< failover found no serving follower; waiting for any replica
  };

  /// Replica 0 starts as the leader. `rng` feeds failover_time draws.
  LeaderFollowerService(const ServiceConfig& config, std::vector<ReplicaInfo> replicas, sim::RandomStream rng,
                        sim::Simulation& sim);
  ~LeaderFollowerService() override;

  void replica_ready(std::size_t ordinal, bool ready, sim::Time now) override;
  void volume_lost(std::size_t ordinal, sim::Time now) override;
  void replica_added(ReplicaInfo info, sim::Time now) override;
  void replica_removed(std::size_t ordinal, sim::Time now) override;
  sim::Duration startup_delay(std::size_t ordinal) const override;
  /// Failover times come from rng.child("failover") from now on.
  void reseed(const sim::RandomStream& rng) override { rng_ = rng.child("failover"); }

  std::size_t leader() const { return leader_; }
  Mode mode() const { return mode_; }
  bool serving(std::size_t ordinal) const;

 private:
  struct Member {
    bool ready = false;
    bool removed = false;
    bool has_data = true;     // holds a copy of the rows (false after volume loss until cloned)
    bool needs_clone = false;
    sim::EventId clone;       // clone in progress
  };

  void changed(std::size_t ordinal, bool was_serving, sim::Time now);
  void leader_lost(sim::Time now);
  void failover_due(sim::Time now);
  void promote(std::size_t ordinal, sim::Time now);
  void publish(sim::Time now);
  void start_clone(std::size_t ordinal, sim::Time now);
  sim::Duration failover_delay();

  std::vector<Member> members_;
  std::size_t leader_ = 0;
  Mode mode_ = Mode::kNormal;
  sim::EventId failover_;
  bool lossy_promotion_ = false;           // decided when the leader was lost
  std::optional<sim::Time> alone_since_;   // leader serving without any serving follower
  bool lost_ = false;                      // every copy lost
  sim::RandomStream rng_;
};

}  // namespace azsim::data
