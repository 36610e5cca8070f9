#include "models/data/cassandra.hpp"

#include <algorithm>
#include <stdexcept>

namespace azsim::data {

namespace {

Replication parse_or_throw(const ServiceConfig& config) {
  Replication r;
  const std::string error = parse_replication(config.replication_class, config.replication, r);
  if (!error.empty()) throw std::invalid_argument(config.name + ": keyspace.replication." + error);
  return r;
}

ConsistencyLevel level_or_throw(const ServiceConfig& config, const std::string& name) {
  const auto cl = parse_consistency(name);
  if (!cl) throw std::invalid_argument(config.name + ": unknown consistency level \"" + name + "\"");
  return *cl;
}

std::vector<LevelSpec> level_specs(const ServiceConfig& config) {
  const std::string read = to_string(level_or_throw(config, config.read_consistency));
  const std::string write = to_string(level_or_throw(config, config.write_consistency));
  std::vector<LevelSpec> out;
  out.push_back({read == write ? read : read + "/" + write, read, write});
  for (const auto& extra : config.report_consistency) {
    const std::string name = to_string(level_or_throw(config, extra));
    const bool known = std::any_of(out.begin(), out.end(), [&](const LevelSpec& s) {
      return s.read_level == name && s.write_level == name;
    });
    if (!known) out.push_back({name, name, name});
  }
  return out;
}

}  // namespace

CassandraService::CassandraService(const ServiceConfig& config, std::vector<ReplicaInfo> replicas,
                                   sim::Simulation& sim, Replication replication)
    : ServiceModel(config, std::move(replicas), sim, level_specs(config), config.rows),
      replication_(std::move(replication)),
      token_rng_(sim::StreamKey{}) {
  topology_ = Topology::build(replicas_, replication_);
  nodes_.resize(replicas_.size());
  pending_tokens_.resize(replicas_.size());
  init_levels();
}

CassandraService::CassandraService(const ServiceConfig& config, std::vector<ReplicaInfo> replicas,
                                   sim::RandomStream rng, sim::Simulation& sim)
    : CassandraService(config, std::move(replicas), sim, parse_or_throw(config)) {
  token_rng_ = rng.child("tokens");
  std::vector<std::vector<std::int64_t>> tokens(replicas_.size());
  for (std::size_t i = 0; i < replicas_.size(); ++i) {
    auto rs = token_rng_.child(static_cast<std::uint64_t>(i));
    tokens[i] = raw_tokens(rs, config.num_tokens);
  }
  if (!ring_.assign(tokens)) {
    // Two equal tokens (probability ~1e-13 for 1536 tokens): redraw node by node.
    for (std::size_t i = 0; i < replicas_.size(); ++i) {
      auto rs = token_rng_.child(static_cast<std::uint64_t>(i));
      ring_.add_node(static_cast<std::uint32_t>(i), random_tokens(rs, config.num_tokens, ring_));
    }
  }
  auto rows_rng = rng.child("rows");
  std::vector<std::int64_t> row_tokens(static_cast<std::size_t>(std::max<std::int64_t>(config.rows, 0)));
  for (auto& t : row_tokens) t = static_cast<std::int64_t>(rows_rng.next_u64());
  place(std::move(row_tokens));
}

CassandraService::CassandraService(const ServiceConfig& config, std::vector<ReplicaInfo> replicas,
                                   const std::vector<std::vector<std::int64_t>>& node_tokens,
                                   std::vector<std::int64_t> row_tokens, sim::Simulation& sim)
    : CassandraService(
          [&] {
            ServiceConfig c = config;
            c.rows = static_cast<std::int64_t>(row_tokens.size());
            return c;
          }(),
          std::move(replicas), sim, parse_or_throw(config)) {
  if (node_tokens.size() != replicas_.size()) {
    throw std::invalid_argument("CassandraService: one token list per replica expected");
  }
  for (std::size_t i = 0; i < node_tokens.size(); ++i) ring_.add_node(static_cast<std::uint32_t>(i), node_tokens[i]);
  place(std::move(row_tokens));
}

CassandraService::~CassandraService() {
  for (auto& n : nodes_) sim_.cancel(n.timer);
}

void CassandraService::init_levels() {
  std::int32_t local = -1;
  if (!config_.local_dc.empty()) {
    local = topology_.dc_index(config_.local_dc);
  } else if (replication_.network_topology) {
    for (const auto& [dc, rf] : replication_.dc_rf) {
      if (rf > 0) {
        local = topology_.dc_index(dc);
        break;
      }
    }
  } else if (!topology_.dc_of.empty()) {
    local = topology_.dc_of[0];
  }
  levels_.clear();
  for (const auto& spec : recorder_.levels()) {
    levels_.push_back(Level{
        requirement_for(*parse_consistency(spec.read_level), replication_, topology_.dcs, local),
        requirement_for(*parse_consistency(spec.write_level), replication_, topology_.dcs, local),
    });
  }
}

void CassandraService::place(std::vector<std::int64_t> row_tokens) {
  row_tokens_ = std::move(row_tokens);
  // The keys were written with every replica present (time 0 of the report): every node holds
  // its data; none serves until its pod is ready.
  regroup(sim_.now());
}

bool CassandraService::wants_read(const Node& n) const {
  return n.in_ring && n.ready && n.data == DataState::kConsistent;
}

bool CassandraService::wants_write(const Node& n) const {
  // A stale node is a normal member for writes; an empty one is a pending replacement whose ack
  // cannot change the outcome (blockFor + pending), see the header.
  return n.in_ring && n.ready && n.data != DataState::kEmpty;
}

void CassandraService::regroup(sim::Time now) {
  if (ring_.empty()) {
    groups_ = RowGroups{};
    groups_.members.push_back({});
    groups_.rows.push_back(static_cast<std::int64_t>(row_tokens_.size()));
    groups_.group_of_row.assign(row_tokens_.size(), 0);
  } else {
    groups_ = group_rows(ring_, row_tokens_, topology_, replication_);
  }
  const std::size_t ng = groups_.members.size();
  const std::size_t ndc = topology_.dcs.size();
  groups_of_.assign(nodes_.size(), {});
  for (std::size_t g = 0; g < ng; ++g) {
    for (std::uint32_t m : groups_.members[g]) groups_of_[m].push_back(static_cast<std::uint32_t>(g));
  }
  live_read_.assign(ng, 0);
  live_write_.assign(ng, 0);
  live_read_dc_.assign(ng * ndc, 0);
  live_write_dc_.assign(ng * ndc, 0);
  holders_.assign(ng, 0);
  replaying_.assign(ng, 0);
  rows_lost_.assign(ng, 0);
  degraded_.assign(ng, 0);
  const std::size_t nl = levels_.size();
  readable_.assign(nl * ng, 0);
  writable_.assign(nl * ng, 0);
  available_.assign(nl * ng, 0);
  total_readable_.assign(nl, 0);
  total_writable_.assign(nl, 0);
  total_available_.assign(nl, 0);
  degraded_total_ = 0;
  if (!row_lost_.empty()) {
    for (std::size_t k = 0; k < row_tokens_.size(); ++k) rows_lost_[groups_.group_of_row[k]] += row_lost_[k];
  }
  for (std::size_t o = 0; o < nodes_.size(); ++o) {
    Node& n = nodes_[o];
    n.counted_read = wants_read(n);
    n.counted_write = wants_write(n);
    n.counted_data = n.in_ring && n.data != DataState::kEmpty;
    n.counted_replay = n.in_ring && n.replaying;
    const auto dc = static_cast<std::size_t>(topology_.dc_of[o]);
    for (std::uint32_t g : groups_of_[o]) {
      live_read_[g] += n.counted_read;
      live_write_[g] += n.counted_write;
      live_read_dc_[g * ndc + dc] += n.counted_read;
      live_write_dc_[g * ndc + dc] += n.counted_write;
      holders_[g] += n.counted_data;
      replaying_[g] += n.counted_replay;
    }
  }
  for (std::size_t g = 0; g < ng; ++g) {
    // A group nobody holds any more (only possible when keys moved onto emptied nodes) is lost.
    lose_if_unheld(g);
    evaluate(g);
  }
  publish(now);
}

void CassandraService::lose_if_unheld(std::size_t g) {
  if (holders_[g] != 0 || rows_lost_[g] >= groups_.rows[g]) return;
  recorder_.lose_rows(groups_.rows[g] - rows_lost_[g]);
  if (row_lost_.empty()) row_lost_.assign(row_tokens_.size(), 0);
  for (std::size_t k = 0; k < row_tokens_.size(); ++k)
    if (groups_.group_of_row[k] == g) row_lost_[k] = 1;
  rows_lost_[g] = groups_.rows[g];
}

void CassandraService::evaluate(std::size_t g) {
  const std::size_t ng = groups_.members.size();
  const std::size_t ndc = topology_.dcs.size();
  const std::span<const std::int32_t> read_dc(live_read_dc_.data() + g * ndc, ndc);
  const std::span<const std::int32_t> write_dc(live_write_dc_.data() + g * ndc, ndc);
  const std::int64_t rows = groups_.rows[g];
  const std::int64_t intact = rows - rows_lost_[g];
  for (std::size_t l = 0; l < levels_.size(); ++l) {
    const bool r = levels_[l].read.satisfied(live_read_[g], read_dc);
    const bool w = levels_[l].write.satisfied(live_write_[g], write_dc);
    const std::size_t i = l * ng + g;
    const std::int64_t readable = r ? intact : 0;
    const std::int64_t writable = w ? rows : 0;
    const std::int64_t available = r && w ? intact : 0;
    total_readable_[l] += readable - readable_[i];
    total_writable_[l] += writable - writable_[i];
    total_available_[l] += available - available_[i];
    readable_[i] = readable;
    writable_[i] = writable;
    available_[i] = available;
  }
  const auto size = static_cast<std::int32_t>(groups_.members[g].size());
  // Lost rows never again have all their replicas: their group stays short of full redundancy
  // (counted as one row when none is intact, so that the total stays positive).
  const std::int64_t degraded = rows_lost_[g] > 0 ? std::max<std::int64_t>(intact, 1)
                                : live_read_[g] < size || replaying_[g] > 0 || size == 0 ? intact
                                                                                          : 0;
  degraded_total_ += degraded - degraded_[g];
  degraded_[g] = degraded;
}

void CassandraService::publish(sim::Time now) {
  for (std::size_t l = 0; l < levels_.size(); ++l) {
    recorder_.set(l, total_readable_[l], total_writable_[l], total_available_[l], now);
  }
  recorder_.redundancy(degraded_total_ == 0, now);
}

void CassandraService::refresh(std::size_t o, sim::Time now) {
  Node& n = nodes_[o];
  const bool read = wants_read(n);
  const bool write = wants_write(n);
  const bool data = n.in_ring && n.data != DataState::kEmpty;
  const bool replay = n.in_ring && n.replaying;
  if (read == n.counted_read && write == n.counted_write && data == n.counted_data && replay == n.counted_replay) return;
  const int dr = static_cast<int>(read) - static_cast<int>(n.counted_read);
  const int dw = static_cast<int>(write) - static_cast<int>(n.counted_write);
  const int dd = static_cast<int>(data) - static_cast<int>(n.counted_data);
  const int dp = static_cast<int>(replay) - static_cast<int>(n.counted_replay);
  n.counted_replay = replay;
  n.counted_read = read;
  n.counted_write = write;
  n.counted_data = data;
  const std::size_t ndc = topology_.dcs.size();
  const auto dc = static_cast<std::size_t>(topology_.dc_of[o]);
  for (std::uint32_t g : groups_of_[o]) {
    live_read_[g] += dr;
    live_write_[g] += dw;
    live_read_dc_[g * ndc + dc] += dr;
    live_write_dc_[g * ndc + dc] += dw;
    holders_[g] += dd;
    replaying_[g] += dp;
    lose_if_unheld(g);
    evaluate(g);
  }
  publish(now);
}

void CassandraService::start_timer(std::size_t o, sim::Duration delay, sim::Time now) {
  Node& n = nodes_[o];
  sim_.cancel(n.timer);
  n.timer = sim_.at(now + delay, [this, o] { timer_done(o, sim_.now()); }, 0, "data/cassandra-stream");
}

void CassandraService::timer_done(std::size_t o, sim::Time now) {
  Node& n = nodes_[o];
  if (!n.in_ring) {
    // Bootstrap finished: the node joins the ring with its tokens; keys move to it.
    ring_.add_node(static_cast<std::uint32_t>(o), pending_tokens_[o]);
    pending_tokens_[o].clear();
    n.in_ring = true;
    n.data = DataState::kConsistent;
    regroup(now);
    return;
  }
  // Repair, rebuild or hint replay done.
  n.data = DataState::kConsistent;
  n.replaying = false;
  refresh(o, now);
}

void CassandraService::replica_ready(std::size_t o, bool ready, sim::Time now) {
  check_ordinal(o);
  Node& n = nodes_[o];
  if (n.removed || n.ready == ready) return;
  if (!ready) {
    if (n.counted_read) recorder_.fault(o, now);
    n.ready = false;
    n.replaying = false;
    n.down_since = now;
    sim_.cancel(n.timer);
    refresh(o, now);
    return;
  }
  n.ready = true;
  const sim::Duration stream = stream_time(config_);
  if (!n.in_ring) {
    start_timer(o, config_.ring_delay + stream, now);
  } else if (n.data == DataState::kEmpty) {
    start_timer(o, config_.ring_delay + stream, now);
  } else {
    // Hints cover the outage only while the node has been marked down (after down_detection)
    // for at most hint_window.
    if (n.ever_ready && now - n.down_since > config_.down_detection + config_.hint_window) {
      n.data = DataState::kStale;
    }
    if (n.data == DataState::kStale) {
      start_timer(o, stream, now);
    } else if (n.ever_ready && config_.hint_replay > sim::Duration::zero()) {
      // Intact and within the hint window: the others replay their hints to it.
      n.replaying = true;
      start_timer(o, config_.hint_replay, now);
    }
  }
  n.ever_ready = true;
  refresh(o, now);
}

void CassandraService::volume_lost(std::size_t o, sim::Time now) {
  check_ordinal(o);
  Node& n = nodes_[o];
  if (n.counted_read) recorder_.fault(o, now);
  n.data = DataState::kEmpty;
  n.replaying = false;
  sim_.cancel(n.timer);
  // A node that keeps running on a fresh volume replaces itself at once.
  if (n.ready && n.in_ring) start_timer(o, config_.ring_delay + stream_time(config_), now);
  if (!n.in_ring) {
    // A bootstrapping node loses nothing that others do not have; it starts over when ready.
    n.data = DataState::kConsistent;
    if (n.ready) start_timer(o, config_.ring_delay + stream_time(config_), now);
  }
  refresh(o, now);
}

void CassandraService::replica_added(ReplicaInfo info, sim::Time now) {
  for (std::size_t o = 0; o < replicas_.size(); ++o) {
    if (replicas_[o].pod == info.pod && nodes_[o].removed) {
      // The StatefulSet scaled back up: the same pod and PVC return.
      nodes_[o].removed = false;
      return;
    }
  }
  const std::size_t o = replicas_.size();
  topology_.add(info);
  replicas_.push_back(std::move(info));
  nodes_.push_back(Node{});
  nodes_.back().in_ring = false;
  groups_of_.emplace_back();
  auto rs = token_rng_.child(static_cast<std::uint64_t>(o));
  pending_tokens_.push_back(random_tokens(rs, config_.num_tokens, ring_));
  // A new DC may change LOCAL/EACH requirements' DC list sizes.
  init_levels();
  regroup(now);
}

void CassandraService::replica_removed(std::size_t o, sim::Time now) {
  check_ordinal(o);
  replica_ready(o, false, now);
  nodes_[o].removed = true;
}

sim::Duration CassandraService::startup_delay(std::size_t o) const {
  check_ordinal(o);
  return config_.gossip_settle;
}

}  // namespace azsim::data
