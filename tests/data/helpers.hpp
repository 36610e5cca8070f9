// Shared builders for the data-service tests.
#pragma once

#include <string>
#include <vector>

#include "models/data/config.hpp"

namespace azsim::data::testing {

/// `n` replicas "<prefix>-i" spread over `racks` in ordinal order round robin (like a
/// StatefulSet with zone spreading): replica i in racks[i % racks.size()], DC `dc`.
inline std::vector<ReplicaInfo> replicas_round_robin(std::size_t n, const std::vector<std::string>& racks,
                                                     const std::string& prefix = "cassandra",
                                                     const std::string& dc = "eu-west") {
  std::vector<ReplicaInfo> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back({prefix + "-" + std::to_string(i), racks[i % racks.size()], dc});
  return out;
}

/// Replicas with explicit racks, in ordinal order.
inline std::vector<ReplicaInfo> replicas_in(const std::vector<std::string>& racks, const std::string& prefix = "cassandra",
                                            const std::string& dc = "eu-west") {
  std::vector<ReplicaInfo> out;
  for (std::size_t i = 0; i < racks.size(); ++i) out.push_back({prefix + "-" + std::to_string(i), racks[i], dc});
  return out;
}

/// A Cassandra service config: NTS RF `rf` in "eu-west", or SimpleStrategy when `simple`.
inline ServiceConfig cassandra_config(int rf, bool simple = false, std::int64_t rows = 100) {
  ServiceConfig c;
  c.name = "cassandra";
  c.type = ServiceType::Cassandra;
  c.rows = rows;
  if (simple) {
    c.replication_class = "SimpleStrategy";
    c.replication = {{"replication_factor", rf}};
  } else {
    c.replication_class = "NetworkTopologyStrategy";
    c.replication = {{"eu-west", rf}};
  }
  c.read_consistency = "QUORUM";
  c.write_consistency = "QUORUM";
  return c;
}

}  // namespace azsim::data::testing
