// CassandraService: a Cassandra keyspace on a StatefulSet's pods (seeds 000, 001).
//
// Placement: every replica gets num_tokens random tokens (stream rng.child("tokens").child(N)
// for ordinal N, so adding a replica never moves the others' tokens) and the `rows` keys get
// random tokens (rng.child("rows")); keys are grouped by the replica set that holds them
// (ring.hpp) and every count below is kept per group, updated when one replica changes.
//
// Replica states and what they count for (the choices, with the real behaviour behind them):
// - Not ready: counts for nothing. A dead node that the phi detector has not yet convicted
//   (~18 s, down_detection) still gets requests, which time out: for availability it is as
//   absent as a convicted one (writes go to all replicas and need blockFor acks; reads that
//   picked it are rescued by speculative retry, default 99p, when enough others answer). So a
//   level is satisfied exactly when enough replicas really answer. The detection delay matters
//   for hints: hints are written for a node only while it has been marked down for less than
//   max_hint_window, so the window starts at down + down_detection.
// - Ready and consistent: counts for reads and writes.
// - Stale: back after more than down_detection + hint_window down. It is a normal member (UN)
//   and takes writes at once, but misses writes from beyond the window; azsim counts it for
//   reads only after a repair streaming its data (stream_time). Conservative: a real QUORUM read
//   that includes it is still correct through digest mismatch and read repair, a read at ONE
//   served by it is not.
// - Empty (volume lost): the node comes back as a replacement of itself (same tokens,
//   replace_address_first_boot): it waits ring_delay, streams its ranges (stream_time), and
//   only then serves. During that time it is a pending endpoint: writes are sent to it, but
//   Cassandra raises blockFor by the number of pending endpoints (ConsistencyLevel.blockForWrite),
//   so it can never complete a write that would fail without it: azsim counts it for neither
//   reads nor writes. The pod looks Ready meanwhile (the sample images' probe, `nodetool status`
//   showing UN, would keep it NotReady; availability is the same either way). Streaming is
//   assumed to find a source for every range that still has one.
// - A key is lost when every replica of its group has lost its data (volume lost, not yet
//   rebuilt) at once; lost keys stay unreadable (but writable) for the rest of the run.
// - Scale-up: a new replica is a bootstrapping node: once Ready it waits ring_delay, streams
//   (stream_time), then joins the ring with its own tokens and keys move to it. Scale-down
//   without decommission (a StatefulSet scale-down only drains) leaves it in the ring as down.
// - Back after a short outage (volume intact, down at most down_detection + hint_window): the
//   node is a normal member again at once (reads and writes; a QUORUM read that meets a replica
//   still missing a hinted write is corrected by digest mismatch and read repair), and the other
//   nodes replay their hints to it within hint_replay. Its ranges count as fully redundant only
//   once the replay is done: the redundancy episode of the outage ends at Ready + hint_replay,
//   whereas a lost volume needs ring_delay + stream_time and an over-long outage stream_time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "models/data/consistency.hpp"
#include "models/data/ring.hpp"
#include "models/data/service.hpp"

namespace azsim::data {

class CassandraService final : public ServiceModel {
 public:
  /// What a replica holds.
  enum class DataState : std::uint8_t {
    kConsistent,  ///< all writes (directly or through hints)
    kStale,       ///< missed writes beyond the hint window: needs repair before serving reads
    kEmpty,       ///< volume lost: needs rebuild (replace) before serving
  };

  /// Random tokens and key tokens drawn from `rng` (see the file banner).
  CassandraService(const ServiceConfig& config, std::vector<ReplicaInfo> replicas, sim::RandomStream rng,
                   sim::Simulation& sim);
  /// Explicit tokens: node_tokens[ordinal] and one token per key (config.rows is ignored).
  CassandraService(const ServiceConfig& config, std::vector<ReplicaInfo> replicas,
                   const std::vector<std::vector<std::int64_t>>& node_tokens, std::vector<std::int64_t> row_tokens,
                   sim::Simulation& sim);
  ~CassandraService() override;

  void replica_ready(std::size_t ordinal, bool ready, sim::Time now) override;
  void volume_lost(std::size_t ordinal, sim::Time now) override;
  void replica_added(ReplicaInfo info, sim::Time now) override;
  void replica_removed(std::size_t ordinal, sim::Time now) override;
  sim::Duration startup_delay(std::size_t ordinal) const override;
  /// New replicas' tokens come from rng.child("tokens") from now on.
  void reseed(const sim::RandomStream& rng) override { token_rng_ = rng.child("tokens"); }

  const TokenRing& ring() const { return ring_; }
  const Topology& topology() const { return topology_; }
  const RowGroups& groups() const { return groups_; }
  const Replication& replication() const { return replication_; }
  DataState data_state(std::size_t ordinal) const { return nodes_.at(ordinal).data; }
  /// Whether the replica is back after a short outage and still receiving hints.
  bool replaying_hints(std::size_t ordinal) const { return nodes_.at(ordinal).replaying; }
  /// Whether the replica currently counts for reads / for writes (see the banner).
  bool serves_reads(std::size_t ordinal) const { return nodes_.at(ordinal).counted_read; }
  bool serves_writes(std::size_t ordinal) const { return nodes_.at(ordinal).counted_write; }
  /// What reported level `level` needs from a range's live replicas, for reads or writes
  /// (DC indices as in topology()).
  const Requirement& requirement(std::size_t level, bool write) const {
    return write ? levels_.at(level).write : levels_.at(level).read;
  }

 private:
  struct Node {
    bool ready = false;
    bool ever_ready = false;
    bool in_ring = true;   // false while a scale-up replica has not finished bootstrapping
    bool removed = false;
    bool replaying = false;  // back after a short outage, receiving hints
    DataState data = DataState::kConsistent;
    sim::Time down_since;
    sim::EventId timer;    // repair, rebuild or bootstrap in progress
    // What the group counts currently reflect for this node.
    bool counted_read = false;
    bool counted_write = false;
    bool counted_data = false;
    bool counted_replay = false;
  };
  struct Level {
    Requirement read;
    Requirement write;
  };

  CassandraService(const ServiceConfig& config, std::vector<ReplicaInfo> replicas, sim::Simulation& sim,
                   Replication replication);
  void init_levels();
  void place(std::vector<std::int64_t> row_tokens);
  void regroup(sim::Time now);
  void refresh(std::size_t ordinal, sim::Time now);
  void evaluate(std::size_t group);
  /// Counts the rows of `group` lost, once, when no node holds its keys any more: a later
  /// rebuild has nothing to stream them from.
  void lose_if_unheld(std::size_t group);
  void publish(sim::Time now);
  void start_timer(std::size_t ordinal, sim::Duration delay, sim::Time now);
  void timer_done(std::size_t ordinal, sim::Time now);
  bool wants_read(const Node& n) const;
  bool wants_write(const Node& n) const;

  Replication replication_;
  Topology topology_;
  TokenRing ring_;
  std::vector<std::int64_t> row_tokens_;
  std::vector<std::vector<std::int64_t>> pending_tokens_;  // per ordinal, for bootstrapping replicas
  sim::RandomStream token_rng_;
  RowGroups groups_;
  std::vector<std::vector<std::uint32_t>> groups_of_;  // per ordinal
  std::vector<Node> nodes_;
  std::vector<Level> levels_;

  // Per group.
  std::vector<std::int32_t> live_read_;
  std::vector<std::int32_t> live_write_;
  std::vector<std::int32_t> live_read_dc_;   // group * ndc + dc
  std::vector<std::int32_t> live_write_dc_;
  std::vector<std::int32_t> holders_;        // members holding the group's data
  std::vector<std::int32_t> replaying_;      // members still receiving hints
  std::vector<std::int64_t> rows_lost_;      // keys of the group already lost
  std::vector<std::int64_t> degraded_;       // contribution to degraded_total_
  std::vector<char> row_lost_;               // per key, allocated at the first loss
  // Per level and group (level * groups + group): contribution to the totals.
  std::vector<std::int64_t> readable_;
  std::vector<std::int64_t> writable_;
  std::vector<std::int64_t> available_;
  std::vector<std::int64_t> total_readable_;
  std::vector<std::int64_t> total_writable_;
  std::vector<std::int64_t> total_available_;
  std::int64_t degraded_total_ = 0;
};

}  // namespace azsim::data
