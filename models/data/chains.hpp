// Exact steady-state answers for a data service under independent exponential failures, the
// backend of `azsim analyze`: the continuous-time Markov chain of replica (and optionally
// rack) states, solved with Eigen (markov.hpp).
//
// The failure process: every replica fails at rate replica_failure and is back, serving and
// consistent, at rate replica_repair (an alternating renewal process with exponential up and
// down times, independent across replicas); optionally every rack (AZ) fails at zone_failure
// and recovers at zone_repair, taking all its replicas down meanwhile. On top of it, the
// service's own state:
//   Cassandra        none; a range is readable/writable at a level when enough of its replicas
//                    are up. The share of rows comes from the model's own placement (groups of
//                    keys by replica set), the share of the token space from every ring range
//                    weighted by its width. Hints are assumed to cover every outage (no stale
//                    replica), as with a hint window longer than any repair.
//   leader/follower  the leader and a mode (normal / failing over / leaderless); failover
//                    completes at rate 1 / mean failover delay (instantly when it is 0): the
//                    exact answer for exponentially distributed failover times.
//   Galera           the last primary component and whether the current one is primary; view
//                    changes are instantaneous (suspect timeout neglected: each failure adds a
//                    write stall of galera_suspect, i.e. about n * failure rate * suspect of
//                    write unavailability on top).
//   single           none.
// Symmetric cases (one DC, every key on all replicas; static majority with equal weights; no
// racks) use the birth-death chain on the number of replicas down; the others the full state
// space, up to a state limit.
//
// Mean time to data loss: volumes fail at volume_failure (their data is gone) and a lost
// replica is rebuilt from the others at rate `rebuild`; data is lost when some key has lost
// every copy (Cassandra: all replicas of one group; the others: all replicas). MTTDL is the
// expected time from all-intact to that absorbing event.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "models/data/service.hpp"

namespace azsim::data {

/// Rates per second of the failure and repair processes (0 disables one).
struct FailureRates {
  double replica_failure = 0;  // per replica (node/pod loss)
  double replica_repair = 0;   // per down replica: 1 / mean time to serve again
  double zone_failure = 0;     // per rack (AZ)
  double zone_repair = 0;      // per failed rack
  double volume_failure = 0;   // per volume: the data on it is lost
  double rebuild = 0;          // per lost replica: 1 / mean time to re-create and refill it
};

/// Steady-state probability that a random row cannot be read / written at one level, and
/// (Cassandra) the expected share of the token space whose ranges lack the live replicas needed:
/// the same question for a random key of an unbounded key space. The non-Cassandra services have
/// no token space; there the keyspace figures equal the row figures.
struct LevelUnavailability {
  std::string consistency;
  double read = 0;
  double write = 0;
  double read_keyspace = 0;
  double write_keyspace = 0;
};

/// The exact answers for one service.
struct ChainAnalysis {
  std::string method;  // "birth-death" or "full state space"
  std::size_t states = 0;
  std::vector<LevelUnavailability> levels;  // in the model's level order
  double mttdl_seconds = std::numeric_limits<double>::infinity();  // +inf without volume failures
  std::size_t mttdl_states = 0;
};

/// Builds and solves the chains for `model` (its configuration, replicas, placement and
/// levels; its current state is ignored). Throws ChainTooLarge when a chain would exceed
/// `state_limit` states, std::invalid_argument for rates that leave the chain reducible
/// (replica_failure > 0 needs replica_repair > 0; likewise for zones).
ChainAnalysis analyze_chain(const ServiceModel& model, const FailureRates& rates, std::size_t state_limit = 1 << 16);

}  // namespace azsim::data
