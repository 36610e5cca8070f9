// spec.data: the data services living on workloads' pods.
#include "models/scenario/limits.hpp"
#include "models/scenario/spec_parse.hpp"
#include "models/scenario/suggest.hpp"

namespace azsim::scenario::spec {

namespace {

// In ConsistencyLevel's order (ANY first).
const std::vector<std::string> kLevels = {"ANY", "ONE",          "TWO",         "THREE",    "QUORUM",
                                          "ALL", "LOCAL_QUORUM", "EACH_QUORUM", "LOCAL_ONE"};

std::optional<ConsistencyLevel> read_level(const Field& f, bool for_read) {
  auto s = f.str();
  if (!s) return std::nullopt;
  std::string up = *s;
  for (auto& c : up) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);  // cqlsh is case-insensitive
  for (std::size_t i = 0; i < kLevels.size(); ++i) {
    if (up != kLevels[i]) continue;
    const auto level = static_cast<ConsistencyLevel>(i);
    if (for_read && level == ConsistencyLevel::Any) {
      f.error("ANY is a write consistency level only");
      return std::nullopt;
    }
    if (level == ConsistencyLevel::Any) {
      // A write at ANY succeeds while any node of the cluster can coordinate it and keep a hint,
      // even with every replica down: the data models count live replicas only.
      f.error("ANY is not modelled by azsim (it needs no live replica, only a live coordinator): use ONE, the "
              "weakest level it models");
      return std::nullopt;
    }
    return level;
  }
  // The levels offered are those modelled (not ANY).
  const std::vector<std::string> modelled(kLevels.begin() + 1, kLevels.end());
  f.error("\"" + *s + "\" is not a Cassandra consistency level: use " + one_of(modelled) + did_you_mean(up, modelled));
  return std::nullopt;
}

std::optional<Consistency> read_consistency(const Field& f) {
  if (!f.expect_map()) return std::nullopt;
  f.check_keys({"read", "write"}, UnknownKeys::Error);
  Consistency c;
  if (f["read"].present()) {
    auto r = read_level(f["read"], true);
    if (!r) return std::nullopt;
    c.read = *r;
  }
  if (f["write"].present()) {
    auto w = read_level(f["write"], false);
    if (!w) return std::nullopt;
    c.write = *w;
  }
  return c;
}

/// A replication factor: an integer, or a string of digits as CQL's map literal allows.
std::optional<std::int32_t> read_factor(const Field& f, std::int32_t min) {
  const Node* n = f.node();
  if (n != nullptr && n->is_scalar() && !n->plain && !n->text.empty() && n->text.size() <= 6 &&
      n->text.find_first_not_of("0123456789") == std::string::npos) {
    const auto v = static_cast<std::int32_t>(std::stol(n->text));
    if (v < min)
      f.error("must be at least " + std::to_string(min) + ", got " + n->text);
    else
      return v;
    return std::nullopt;
  }
  return f.int32(min, 1000, "a replication factor that large is not meaningful");
}

std::optional<Replication> read_replication(const Field& f) {
  if (!f.expect_map()) return std::nullopt;
  auto cls = f["class"].str();
  if (!cls) {
    f["class"].require("NetworkTopologyStrategy or SimpleStrategy");
    return std::nullopt;
  }
  // CQL also accepts the fully qualified class names.
  std::string c = *cls;
  const std::string prefix = "org.apache.cassandra.locator.";
  if (c.rfind(prefix, 0) == 0) c = c.substr(prefix.size());
  Replication r;
  if (c == "SimpleStrategy") {
    f.check_keys({"class", "replication_factor"}, UnknownKeys::Error);
    r.strategy = Replication::Strategy::Simple;
    auto rf = read_factor(f["replication_factor"], 1);
    if (!rf) {
      f["replication_factor"].require();
      return std::nullopt;
    }
    r.replication_factor = *rf;
    return r;
  }
  if (c == "NetworkTopologyStrategy") {
    r.strategy = Replication::Strategy::NetworkTopology;
    for (const auto& [dc, v] : f.entries()) {
      if (dc == "class") continue;
      if (dc == "replication_factor") {
        v.error("NetworkTopologyStrategy takes a factor per data center ({class: NetworkTopologyStrategy, <dc>: N})");
        continue;
      }
      if (auto n = read_factor(v, 0)) r.per_dc.emplace_back(dc, *n);
    }
    if (r.per_dc.empty()) {
      f.error("NetworkTopologyStrategy needs a replication factor for at least one data center, e.g. eu-west: 3");
      return std::nullopt;
    }
    return r;
  }
  const std::vector<std::string> classes = {"NetworkTopologyStrategy", "SimpleStrategy"};
  f["class"].error("\"" + *cls + "\" is not a replication strategy: use " + one_of(classes) + did_you_mean(c, classes));
  return std::nullopt;
}

void read_service(const Field& f, DataService& d) {
  f.check_keys({"name", "type", "workload", "namespace", "rows", "keyspace", "consistency", "params"},
               UnknownKeys::Error);
  d.path = f.path();
  if (auto n = f["name"].str(); n && !n->empty())
    d.name = *n;
  else if (!n)
    f["name"].require();
  else
    f["name"].error("must not be empty");
  const std::vector<std::string> types = {"cassandra", "leader-follower", "galera", "single"};
  const auto type = f["type"].one_of(types);
  if (type) {
    d.type = *type == "cassandra"         ? DataType::Cassandra
             : *type == "leader-follower" ? DataType::LeaderFollower
             : *type == "galera"          ? DataType::Galera
                                          : DataType::Single;
  } else if (!f["type"].present()) {
    f["type"].require(one_of(types));
  }
  if (auto w = read_workload_ref(f["workload"], false))
    d.workload = *w;
  else if (!f["workload"].present())
    f["workload"].require("statefulset/NAME or deployment/NAME");
  if (auto ns = f["namespace"].str()) d.workload.ns = *ns;
  if (auto r = f["rows"].integer(0, limits::kMaxRows, "azsim's limit on rows")) d.rows = *r;
  if (const Field p = f["params"]; p.present()) {
    if (p.expect_map()) d.params = std::make_shared<const Node>(*p.node());
  }
  // Type-specific fields are checked only against a valid type (no cascade of errors).
  const bool cassandra = type && d.type == DataType::Cassandra;
  if (!type) return;
  if (const Field ks = f["keyspace"]; ks.present()) {
    if (!cassandra) {
      ks.error("keyspace applies to type cassandra only");
    } else if (ks.expect_map()) {
      ks.check_keys({"name", "replication"}, UnknownKeys::Error);
      ks["name"].str();
      d.replication = read_replication(ks["replication"]);
      if (!ks["replication"].present()) ks["replication"].require("e.g. {class: NetworkTopologyStrategy, eu-west: 3}");
    }
  } else if (cassandra) {
    f["keyspace"].require(
        "keyspace: {replication: {class: NetworkTopologyStrategy, <dc>: N}} or {class: SimpleStrategy, "
        "replication_factor: N}");
  }
  if (const Field c = f["consistency"]; c.present()) {
    if (!cassandra) {
      c.error("consistency levels apply to type cassandra only");
    } else if (c.is_seq()) {
      if (c.items().empty()) c.error("an empty list: give at least one {read, write} pair, or leave consistency out for ONE");
      for (const auto& item : c.items())
        if (auto v = read_consistency(item)) d.consistency.push_back(*v);
    } else if (auto v = read_consistency(c)) {
      d.consistency.push_back(*v);
    }
  }
  if (cassandra && d.consistency.empty() && !f["consistency"].present()) d.consistency.push_back(Consistency{});
}

}  // namespace

void read_data(const Field& f, std::vector<DataService>& out) {
  const auto items = f.items();
  if (static_cast<std::int32_t>(items.size()) > limits::kMaxDataServices) {
    f.error("at most " + std::to_string(limits::kMaxDataServices) + " data services");
    return;
  }
  for (const auto& item : items) {
    if (!item.expect_map()) continue;
    DataService d;
    const std::size_t before = item.context().diags->error_count();
    read_service(item, d);
    d.clean = item.context().diags->error_count() == before;
    out.push_back(std::move(d));
  }
}

}  // namespace azsim::scenario::spec
