#include "models/data/consistency.hpp"

#include <array>
#include <cctype>
#include <utility>

namespace azsim::data {

namespace {

constexpr std::array<std::pair<ConsistencyLevel, const char*>, 8> kNames = {{
    {ConsistencyLevel::kOne, "ONE"},
    {ConsistencyLevel::kTwo, "TWO"},
    {ConsistencyLevel::kThree, "THREE"},
    {ConsistencyLevel::kQuorum, "QUORUM"},
    {ConsistencyLevel::kLocalOne, "LOCAL_ONE"},
    {ConsistencyLevel::kLocalQuorum, "LOCAL_QUORUM"},
    {ConsistencyLevel::kEachQuorum, "EACH_QUORUM"},
    {ConsistencyLevel::kAll, "ALL"},
}};

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(a[i])) != std::toupper(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

}  // namespace

const char* to_string(ConsistencyLevel cl) {
  for (const auto& [level, name] : kNames) {
    if (level == cl) return name;
  }
  return "?";
}

std::optional<ConsistencyLevel> parse_consistency(std::string_view text) {
  for (const auto& [level, name] : kNames) {
    if (iequals(text, name)) return level;
  }
  return std::nullopt;
}

std::int32_t Replication::total_rf() const {
  if (!network_topology) return simple_rf;
  std::int32_t sum = 0;
  for (const auto& [dc, rf] : dc_rf) sum += rf;
  return sum;
}

std::int32_t Replication::rf_in(const std::string& dc) const {
  if (!network_topology) return simple_rf;
  const auto it = dc_rf.find(dc);
  return it == dc_rf.end() ? 0 : it->second;
}

bool Requirement::satisfied(std::int32_t live_total, std::span<const std::int32_t> live_per_dc) const {
  if (live_total < total) return false;
  if (local_dc >= 0) {
    const auto i = static_cast<std::size_t>(local_dc);
    const std::int32_t live = i < live_per_dc.size() ? live_per_dc[i] : 0;
    if (live < local) return false;
  }
  for (std::size_t i = 0; i < per_dc.size(); ++i) {
    const std::int32_t live = i < live_per_dc.size() ? live_per_dc[i] : 0;
    if (live < per_dc[i]) return false;
  }
  return true;
}

Requirement requirement_for(ConsistencyLevel cl, const Replication& r, const std::vector<std::string>& dcs,
                            std::int32_t local_dc) {
  Requirement req;
  const std::int32_t rf = r.total_rf();
  switch (cl) {
    case ConsistencyLevel::kOne: req.total = 1; break;
    case ConsistencyLevel::kTwo: req.total = 2; break;
    case ConsistencyLevel::kThree: req.total = 3; break;
    case ConsistencyLevel::kQuorum: req.total = quorum_for(rf); break;
    case ConsistencyLevel::kAll: req.total = rf; break;
    case ConsistencyLevel::kLocalOne:
      if (!r.network_topology) {
        req.total = 1;
      } else {
        req.local_dc = local_dc;
        req.local = 1;
      }
      break;
    case ConsistencyLevel::kLocalQuorum:
      if (!r.network_topology) {
        req.total = quorum_for(rf);
      } else {
        req.local_dc = local_dc;
        // A local DC without replicas can never answer (Cassandra: Unavailable, 0 of 1 needed).
        const std::int32_t local_rf =
            local_dc >= 0 && static_cast<std::size_t>(local_dc) < dcs.size() ? r.rf_in(dcs[static_cast<std::size_t>(local_dc)]) : 0;
        req.local = quorum_for(local_rf);
      }
      break;
    case ConsistencyLevel::kEachQuorum:
      if (!r.network_topology) {
        req.total = quorum_for(rf);
      } else {
        req.per_dc.assign(dcs.size(), 0);
        for (std::size_t i = 0; i < dcs.size(); ++i) {
          const std::int32_t dc_rf = r.rf_in(dcs[i]);
          if (dc_rf > 0) req.per_dc[i] = quorum_for(dc_rf);
        }
      }
      break;
  }
  return req;
}

std::string parse_replication(const std::string& replication_class, const std::map<std::string, std::int32_t>& map,
                              Replication& out) {
  out = Replication{};
  // Cassandra accepts the short and the fully qualified class names.
  const bool simple = replication_class == "SimpleStrategy" ||
                      replication_class == "org.apache.cassandra.locator.SimpleStrategy";
  const bool nts = replication_class == "NetworkTopologyStrategy" ||
                   replication_class == "org.apache.cassandra.locator.NetworkTopologyStrategy";
  if (!simple && !nts) {
    return "class: unknown replication strategy \"" + replication_class +
           "\" (expected SimpleStrategy or NetworkTopologyStrategy)";
  }
  if (simple) {
    out.network_topology = false;
    for (const auto& [key, value] : map) {
      if (key != "replication_factor") {
        return key + ": SimpleStrategy takes only replication_factor";
      }
      if (value < 1) return "replication_factor: must be at least 1";
      out.simple_rf = value;
    }
    if (out.simple_rf == 0) return "replication_factor: missing (SimpleStrategy needs one)";
    return {};
  }
  out.network_topology = true;
  for (const auto& [key, value] : map) {
    if (key == "replication_factor") {
      // Cassandra 4.0 accepts it as a default for every DC, which needs the live DC list;
      // azsim asks for explicit DC names instead.
      return "replication_factor: give an RF per datacenter name for NetworkTopologyStrategy";
    }
    if (value < 0) return key + ": replication factor must not be negative";
    out.dc_rf[key] = value;
  }
  if (out.total_rf() == 0) return "replication: NetworkTopologyStrategy needs at least one DC with RF > 0";
  return {};
}

}  // namespace azsim::data
