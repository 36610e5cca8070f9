// Configuration of a data service living on a workload's pods (CONTRACT.md spec.data).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/distributions.hpp"
#include "sim/time.hpp"

namespace azsim::data {

enum class ServiceType { Cassandra, LeaderFollower, Galera, Single };

/// The scenario's spelling of a service type (CONTRACT.md spec.data[].type): "cassandra",
/// "leader-follower", "galera", "single".
const char* to_string(ServiceType type);
std::optional<ServiceType> parse_service_type(std::string_view text);

/// One replica of a service: a pod of its workload (ordinal order) and where it lives.
struct ReplicaInfo {
  std::string pod;   // "cassandra-0"
  std::string rack;  // the AZ of its volume (Ec2Snitch: AZ -> rack)
  std::string dc;    // the region name with its trailing "-1" style suffix removed, as Ec2Snitch does
};

struct ServiceConfig {
  std::string name;
  ServiceType type = ServiceType::Cassandra;
  std::int64_t rows = 100;
  // Cassandra
  std::string replication_class = "NetworkTopologyStrategy";  // or SimpleStrategy
  std::map<std::string, std::int32_t> replication;             // dc -> RF (NTS) or {"replication_factor": RF}
  std::string read_consistency = "QUORUM";
  std::string write_consistency = "QUORUM";
  std::int32_t num_tokens = 256;           // cassandra.yaml default num_tokens (256 before 4.0, 16 since)
  sim::Duration down_detection = sim::Duration::seconds(18);    // FIDELITY A "phi_convict_threshold" (derived ~18 s)
  sim::Duration gossip_settle = sim::Duration::seconds(5);      // FIDELITY A "RING_DELAY" note: startup waits >= 5 s
  sim::Duration hint_window = sim::Duration::hours(3);          // FIDELITY A "max_hint_window"
  double data_gib_per_replica = 1.0;       // for rebuild streaming time
  double stream_mib_per_s = 24.0;          // stream_throughput_outbound default 24 MiB/s (3.x: 200 Mbit/s)
  // Leader/follower (MySQL)
  sim::Duration failover_detection = sim::Duration::seconds(10);  // not published; parameter
  sim::Duration failover_promotion = sim::Duration::seconds(5);   // not published; parameter
  bool semi_sync = false;
  sim::Duration semi_sync_timeout = sim::Duration::seconds(10);   // FIDELITY A "MySQL semi-sync timeout"
  double async_lag_rows = 0.0;                                    // commits not yet replicated at failover
  // Galera
  sim::Duration galera_suspect = sim::Duration::seconds(5);       // FIDELITY A "Galera keepalive / suspect / inactive"
  sim::Duration galera_inactive = sim::Duration::seconds(15);

  // --- Added by models/data (each overridable in the scenario's data entry) ---

  // Cassandra: a replacing or bootstrapping node waits RING_DELAY before it streams
  // (FIDELITY A "Cassandra RING_DELAY" 30 s, "Bootstrap/replace wait").
  sim::Duration ring_delay = sim::Duration::seconds(30);
  // Cassandra: time from a replica being back up (its volume intact, down less than the hint
  // window) to the other nodes having replayed their hints to it, after which its ranges are
  // fully redundant again. Cassandra 3.0+ (HintsService) checks for hints to dispatch every
  // 10 s and sends them at hinted_handoff_throttle (1024 KiB/s); the seeds write nothing during
  // outages, so the 10 s dispatch period bounds it. (2.x HintedHandOffManager sleeps up to 60 s
  // before delivering to stagger replicas: set 60s for that era.)
  sim::Duration hint_replay = sim::Duration::seconds(10);
  // Cassandra: the coordinator's datacenter for LOCAL_ONE / LOCAL_QUORUM. Empty: the first DC of
  // the NetworkTopologyStrategy map (by name), or replica 0's DC for SimpleStrategy. Not a
  // Cassandra setting but the client driver's local DC (DCAwareRoundRobinPolicy); parameter.
  std::string local_dc;
  // Cassandra: extra consistency levels to report besides the configured read/write pair, e.g.
  // {"ONE", "ALL"}; each is reported for both reads and writes. Reporting only; parameter.
  std::vector<std::string> report_consistency;
  // Ec2Snitch naming (FIDELITY B "Data services": region -> DC, AZ -> rack). Legacy naming gives
  // DC "eu-west" and rack "1a" for eu-west-1a, the names seed 001's keyspace uses; Cassandra
  // 4.0+ defaults to the standard scheme ("eu-west-1", "eu-west-1a"). See snitch.hpp.
  bool ec2_legacy_naming = true;

  // Leader/follower: whether an orchestrator promotes a follower when the leader is lost
  // (FIDELITY B "Data services": "async failover can lose unreplicated commits"). The plain
  // Kubernetes MySQL StatefulSet example (seed 003) has none: set false to keep writes down
  // until the leader pod returns.
  bool auto_failover = true;
  // Leader/follower: when set, the time from leader loss to promotion is drawn from this
  // distribution (seconds) instead of the fixed failover_detection + failover_promotion. Not
  // published; parameter.
  std::optional<sim::Distribution> failover_time;

  // Galera: how the Primary Component is decided. "dynamic" is Galera's rule (a component is
  // primary when it holds more than half of the weight of the LAST primary component, so crashes
  // spaced beyond the suspect timeout shrink the quorum base); "static" is a fixed majority of the
  // configured members (etcd/Raft). FIDELITY A "Galera ...": only the Primary Component accepts
  // writes.
  std::string quorum = "dynamic";
  // Galera pc.weight per ordinal (default 1 for every member, the Galera default).
  std::vector<double> member_weights;
};

}  // namespace azsim::data
