#include "models/data/service.hpp"

#include <cmath>
#include <stdexcept>

#include "models/data/cassandra.hpp"
#include "models/data/consistency.hpp"
#include "models/data/galera.hpp"
#include "models/data/leader_follower.hpp"
#include "models/data/single.hpp"

namespace azsim::data {

ServiceModel::ServiceModel(ServiceConfig config, std::vector<ReplicaInfo> replicas, sim::Simulation& sim,
                           std::vector<LevelSpec> levels, std::int64_t rows)
    : config_(std::move(config)),
      replicas_(std::move(replicas)),
      sim_(sim),
      recorder_(std::move(levels), rows, sim.now()) {}

ServiceModel::~ServiceModel() = default;

void ServiceModel::check_ordinal(std::size_t ordinal) const {
  if (ordinal >= replicas_.size()) {
    throw std::out_of_range(config_.name + ": no replica with ordinal " + std::to_string(ordinal));
  }
}

sim::Duration stream_time(const ServiceConfig& config) {
  if (config.stream_mib_per_s <= 0) return sim::Duration::zero();
  return sim::duration_from_seconds(config.data_gib_per_replica * 1024.0 / config.stream_mib_per_s);
}

std::vector<std::string> validate_config(const ServiceConfig& c, const std::vector<ReplicaInfo>& replicas) {
  std::vector<std::string> errors;
  if (c.rows < 0) errors.push_back("rows: must not be negative");
  if (c.data_gib_per_replica < 0 || !std::isfinite(c.data_gib_per_replica)) {
    errors.push_back("data_gib_per_replica: must be a finite number >= 0");
  }
  if (c.stream_mib_per_s <= 0 || !std::isfinite(c.stream_mib_per_s)) {
    errors.push_back("stream_mib_per_s: must be > 0");
  }
  auto non_negative = [&](sim::Duration d, const char* field) {
    if (d < sim::Duration::zero()) errors.push_back(std::string(field) + ": must not be negative");
  };
  non_negative(c.down_detection, "down_detection");
  non_negative(c.gossip_settle, "gossip_settle");
  non_negative(c.hint_window, "hint_window");
  non_negative(c.ring_delay, "ring_delay");
  non_negative(c.hint_replay, "hint_replay");
  non_negative(c.failover_detection, "failover_detection");
  non_negative(c.failover_promotion, "failover_promotion");
  non_negative(c.semi_sync_timeout, "semi_sync_timeout");
  non_negative(c.galera_suspect, "galera_suspect");
  non_negative(c.galera_inactive, "galera_inactive");
  if (c.async_lag_rows < 0 || !std::isfinite(c.async_lag_rows)) errors.push_back("async_lag_rows: must be >= 0");
  switch (c.type) {
    case ServiceType::Cassandra: {
      Replication r;
      const std::string e = parse_replication(c.replication_class, c.replication, r);
      if (!e.empty()) errors.push_back("keyspace.replication." + e);
      if (c.num_tokens < 1) errors.push_back("num_tokens: must be at least 1");
      for (const auto* name : {&c.read_consistency, &c.write_consistency}) {
        if (!parse_consistency(*name)) errors.push_back("consistency: unknown level \"" + *name + "\"");
      }
      for (const auto& name : c.report_consistency) {
        if (!parse_consistency(name)) errors.push_back("report_consistency: unknown level \"" + name + "\"");
      }
      if (e.empty() && r.network_topology) {
        for (const auto& [dc, rf] : r.dc_rf) {
          bool present = false;
          for (const auto& rep : replicas) present = present || rep.dc == dc;
          // Cassandra accepts it (the DC may join later) but nothing can be placed there.
          if (!present && rf > 0 && !replicas.empty()) {
            errors.push_back("keyspace.replication." + dc + ": no replica is in datacenter \"" + dc +
                             "\" (Ec2Snitch names it after the region, e.g. eu-west-1 -> eu-west)");
          }
        }
      }
      if (!c.local_dc.empty() && e.empty()) {
        bool present = r.dc_rf.count(c.local_dc) > 0;
        for (const auto& rep : replicas) present = present || rep.dc == c.local_dc;
        if (!present) errors.push_back("local_dc: unknown datacenter \"" + c.local_dc + "\"");
      }
      break;
    }
    case ServiceType::LeaderFollower:
      if (replicas.empty()) errors.push_back("workload: a leader/follower service needs at least one replica");
      break;
    case ServiceType::Galera:
      if (c.quorum != "dynamic" && c.quorum != "static") {
        errors.push_back("quorum: expected \"dynamic\" (Galera) or \"static\" (etcd), got \"" + c.quorum + "\"");
      }
      for (double w : c.member_weights) {
        if (!(w >= 0) || !std::isfinite(w)) errors.push_back("member_weights: each weight must be a finite number >= 0");
      }
      break;
    case ServiceType::Single:
      if (replicas.size() > 1) errors.push_back("workload: a single-instance service has exactly one replica");
      break;
  }
  return errors;
}

std::unique_ptr<ServiceModel> make_service(const ServiceConfig& config, std::vector<ReplicaInfo> replicas,
                                           sim::RandomStream rng, sim::Simulation& sim) {
  const auto errors = validate_config(config, replicas);
  if (!errors.empty()) {
    std::string message = config.name + ":";
    for (const auto& e : errors) message += " " + e + ";";
    message.pop_back();
    throw std::invalid_argument(message);
  }
  switch (config.type) {
    case ServiceType::Cassandra:
      return std::make_unique<CassandraService>(config, std::move(replicas), rng, sim);
    case ServiceType::LeaderFollower:
      return std::make_unique<LeaderFollowerService>(config, std::move(replicas), rng, sim);
    case ServiceType::Galera:
      return std::make_unique<GaleraService>(config, std::move(replicas), sim);
    case ServiceType::Single:
      return std::make_unique<SingleService>(config, std::move(replicas), sim);
  }
  throw std::invalid_argument("unknown service type");
}

}  // namespace azsim::data
