// Cassandra consistency levels and the replica counts they need (ConsistencyLevel.blockFor in
// apache/cassandra), for a keyspace's replication settings.
//
// The arithmetic, for a keyspace with replication factor RF_dc per datacenter and RF = sum RF_dc:
//   ONE / TWO / THREE    1 / 2 / 3 live replicas anywhere (fails when RF is smaller)
//   QUORUM               floor(RF / 2) + 1 live replicas anywhere
//   ALL                  RF live replicas
//   LOCAL_ONE            1 live replica in the coordinator's DC
//   LOCAL_QUORUM         floor(RF_local / 2) + 1 live replicas in the coordinator's DC
//   EACH_QUORUM          floor(RF_dc / 2) + 1 live replicas in every DC with RF_dc > 0
// SimpleStrategy has no DCs: LOCAL_QUORUM and EACH_QUORUM fall back to QUORUM of RF counted over
// the whole ring (Cassandra's localQuorumForOurDc / EACH_QUORUM do the same for it).
// The needed counts come from the configured RF, not from how many nodes exist: RF 3 in a DC of
// two nodes can never reach ALL, as Cassandra answers with an UnavailableException.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace azsim::data {

/// The consistency levels azsim evaluates, for reads and for writes.
enum class ConsistencyLevel : std::uint8_t {
  kOne,
  kTwo,
  kThree,
  kQuorum,
  kLocalOne,
  kLocalQuorum,
  kEachQuorum,
  kAll,
};

/// "ONE", "LOCAL_QUORUM", ... as CQL spells them.
const char* to_string(ConsistencyLevel cl);
/// Parses a CQL consistency level name, case-insensitively ("quorum" works as in cqlsh).
std::optional<ConsistencyLevel> parse_consistency(std::string_view text);

/// floor(rf / 2) + 1: Cassandra's quorumFor.
constexpr std::int32_t quorum_for(std::int32_t rf) { return rf / 2 + 1; }

/// A keyspace's replication: SimpleStrategy with one RF, or NetworkTopologyStrategy with an RF
/// per datacenter name (DCs with RF 0 may be listed).
struct Replication {
  bool network_topology = true;
  std::int32_t simple_rf = 0;                   // SimpleStrategy only
  std::map<std::string, std::int32_t> dc_rf;    // NetworkTopologyStrategy only

  /// Sum of the RFs (Cassandra's ReplicationFactor.allReplicas).
  std::int32_t total_rf() const;
  /// RF in one DC (0 for an unknown DC); SimpleStrategy answers its RF for any DC.
  std::int32_t rf_in(const std::string& dc) const;
};

/// What one consistency level needs from the live replicas of one token range, with DCs given
/// by index into a fixed list (see CassandraService / analysis). Contract: satisfied() is true
/// exactly when a request at that level would find enough live replicas.
struct Requirement {
  std::int32_t total = 0;                  // live replicas needed over all DCs (0: none)
  std::int32_t local_dc = -1;              // DC index counted by `local`, -1 when unused
  std::int32_t local = 0;                  // live replicas needed in local_dc
  std::vector<std::int32_t> per_dc;        // live replicas needed in DC i (EACH_QUORUM), may be empty

  /// `live_total` live replicas over all DCs, `live_per_dc[i]` of them in DC i.
  bool satisfied(std::int32_t live_total, std::span<const std::int32_t> live_per_dc) const;
};

/// The requirement of `cl` for a keyspace, with `dcs` the DC names in index order and
/// `local_dc` the coordinator's DC index.
Requirement requirement_for(ConsistencyLevel cl, const Replication& r, const std::vector<std::string>& dcs,
                            std::int32_t local_dc);

/// Replication settings from a scenario's keyspace map, as CQL takes them:
/// {class: SimpleStrategy, replication_factor: N} or {class: NetworkTopologyStrategy, DC: N...}.
/// Returns an error message (empty on success) naming the offending key.
std::string parse_replication(const std::string& replication_class, const std::map<std::string, std::int32_t>& map,
                              Replication& out);

}  // namespace azsim::data
