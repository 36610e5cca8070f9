#include "models/run/data_config.hpp"

#include <algorithm>
#include <set>
#include <string>

#include "models/data/consistency.hpp"
#include "models/data/snitch.hpp"
#include "models/scenario/reader.hpp"

namespace azsim::run {

namespace {

data::ServiceType service_type(scenario::DataType t) {
  switch (t) {
    case scenario::DataType::Cassandra: return data::ServiceType::Cassandra;
    case scenario::DataType::LeaderFollower: return data::ServiceType::LeaderFollower;
    case scenario::DataType::Galera: return data::ServiceType::Galera;
    case scenario::DataType::Single: return data::ServiceType::Single;
  }
  return data::ServiceType::Single;
}

// The `params` keys each service type understands (scenarios/README.md documents them).
const std::vector<std::string> kCassandraKeys = {"snitch",        "ec2NamingScheme", "numTokens",         "downDetection",
                                                 "gossipSettle",  "hintWindow",      "ringDelay",         "dataGiBPerReplica",
                                                 "streamMiBPerSecond", "localDc",    "reportConsistency", "hintReplay"};
const std::vector<std::string> kLeaderKeys = {"leader",          "failover",          "failoverDetection", "failoverPromotion",
                                              "replication",     "semiSyncTimeout",   "asyncLagRows"};
const std::vector<std::string> kGaleraKeys = {"suspectTimeout", "inactiveTimeout", "quorum", "weights"};

std::string join_quoted(const std::set<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "\"" : ", \"") + n + "\"";
  return out;
}

}  // namespace

std::optional<data::ServiceConfig> data_config(const scenario::Scenario& s, const scenario::DataService& d,
                                               scenario::Diagnostics& diags) {
  data::ServiceConfig c;
  c.name = d.name;
  c.type = service_type(d.type);
  c.rows = d.rows;
  if (d.replication) {
    using Strategy = scenario::Replication::Strategy;
    if (d.replication->strategy == Strategy::Simple) {
      c.replication_class = "SimpleStrategy";
      c.replication["replication_factor"] = d.replication->replication_factor;
    } else {
      c.replication_class = "NetworkTopologyStrategy";
      for (const auto& [dc, rf] : d.replication->per_dc) c.replication[dc] = rf;
    }
  }
  if (!d.consistency.empty()) {
    c.read_consistency = scenario::to_string(d.consistency.front().read);
    c.write_consistency = scenario::to_string(d.consistency.front().write);
    for (std::size_t i = 1; i < d.consistency.size(); ++i) {
      c.report_consistency.push_back(scenario::to_string(d.consistency[i].read));
      if (d.consistency[i].write != d.consistency[i].read)
        c.report_consistency.push_back(scenario::to_string(d.consistency[i].write));
    }
  }
  if (!d.params) return c;

  const std::size_t errors_before = diags.error_count();
  scenario::ReadContext ctx{s.source.file, &diags};
  const scenario::Field p = scenario::Field::root(*d.params, d.path + ".params", ctx);
  if (!p.expect_map()) return std::nullopt;
  switch (c.type) {
    case data::ServiceType::Cassandra: {
      p.check_keys(kCassandraKeys, scenario::UnknownKeys::Error);
      p["snitch"].one_of({"Ec2Snitch"});
      if (auto v = p["ec2NamingScheme"].one_of({"legacy", "standard"})) c.ec2_legacy_naming = *v == "legacy";
      if (auto v = p["numTokens"].int32(1, 1536)) c.num_tokens = *v;
      if (auto v = p["downDetection"].duration()) c.down_detection = *v;
      if (auto v = p["gossipSettle"].duration()) c.gossip_settle = *v;
      if (auto v = p["hintWindow"].duration()) c.hint_window = *v;
      if (auto v = p["ringDelay"].duration()) c.ring_delay = *v;
      if (auto v = p["hintReplay"].duration()) c.hint_replay = *v;
      if (auto v = p["dataGiBPerReplica"].number(0, 1e6)) c.data_gib_per_replica = *v;
      if (auto v = p["streamMiBPerSecond"].number(1e-3, 1e6)) c.stream_mib_per_s = *v;
      if (auto v = p["localDc"].str()) {
        // The datacenters there can be: those the keyspace names, and those Ec2Snitch names
        // after the cloud's zones.
        std::set<std::string> dcs;
        if (c.replication_class == "NetworkTopologyStrategy")
          for (const auto& [dc, rf] : c.replication) dcs.insert(dc);
        for (const auto& zone : s.cloud.zones) dcs.insert(data::ec2_snitch_location(zone, c.ec2_legacy_naming).dc);
        if (dcs.count(*v))
          c.local_dc = *v;
        else
          p["localDc"].error("unknown datacenter \"" + *v + "\" (this cluster has " + join_quoted(dcs) + ")");
      }
      for (const auto& item : p["reportConsistency"].items()) {
        if (auto l = item.str(); l && data::parse_consistency(*l))
          c.report_consistency.push_back(*l);
        else if (l)
          item.error("\"" + *l + "\" is not a Cassandra consistency level (ONE, QUORUM, LOCAL_QUORUM, ALL, ...)");
      }
      break;
    }
    case data::ServiceType::LeaderFollower: {
      p.check_keys(kLeaderKeys, scenario::UnknownKeys::Error);
      if (p.has("leader")) {
        const std::string want = d.workload.name + "-0";
        if (auto v = p["leader"].str(); v && *v != want)
          p["leader"].error("the leader is the workload's first pod, \"" + want + "\"");
      }
      if (auto v = p["failover"].one_of({"none", "auto"})) c.auto_failover = *v == "auto";
      if (auto v = p["failoverDetection"].duration()) c.failover_detection = *v;
      if (auto v = p["failoverPromotion"].duration()) c.failover_promotion = *v;
      if (auto v = p["replication"].one_of({"async", "semi-sync"})) c.semi_sync = *v == "semi-sync";
      if (auto v = p["semiSyncTimeout"].duration()) c.semi_sync_timeout = *v;
      if (auto v = p["asyncLagRows"].number(0, 1e12)) c.async_lag_rows = *v;
      break;
    }
    case data::ServiceType::Galera: {
      p.check_keys(kGaleraKeys, scenario::UnknownKeys::Error);
      if (auto v = p["suspectTimeout"].duration()) c.galera_suspect = *v;
      if (auto v = p["inactiveTimeout"].duration()) c.galera_inactive = *v;
      if (auto v = p["quorum"].one_of({"dynamic", "static"})) c.quorum = *v;
      for (const auto& w : p["weights"].items())
        if (auto v = w.number(0, 255)) c.member_weights.push_back(*v);
      if (!c.member_weights.empty() && std::all_of(c.member_weights.begin(), c.member_weights.end(), [](double w) { return w == 0; }))
        p["weights"].error("every weight is 0: no component could ever hold a majority of the weight");
      break;
    }
    case data::ServiceType::Single:
      p.check_keys({}, scenario::UnknownKeys::Error);
      break;
  }
  if (diags.error_count() > errors_before) return std::nullopt;
  return c;
}

std::vector<scenario::Diagnostic> check_runtime(const scenario::Scenario& s) {
  scenario::Diagnostics diags;
  for (const auto& d : s.data) data_config(s, d, diags);
  return diags.sorted();
}

}  // namespace azsim::run
