// The Cassandra token ring: vnode tokens per node, and the replica placement of
// SimpleStrategy and NetworkTopologyStrategy (apache/cassandra locator/), plus the grouping of
// keys by the replica set that holds them.
//
// Tokens are Murmur3Partitioner tokens (signed 64-bit). A key with token k belongs to the range
// (predecessor, t] of the first ring token t >= k, wrapping past the largest token to the
// smallest: Cassandra's TokenMetadata.firstToken. Replicas are identified by ordinal (pod
// cassandra-N).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "models/data/config.hpp"
#include "models/data/consistency.hpp"
#include "sim/random.hpp"

namespace azsim::data {

/// Where each replica lives, by index. DCs are the union of the keyspace's DCs and the
/// replicas' DCs, sorted by name; racks are distinct (dc, rack) pairs (Cassandra compares the
/// pair, so two DCs' racks named "1a" are different racks), numbered in order of first appearance
/// by ordinal.
struct Topology {
  std::vector<std::string> dcs;
  std::vector<std::string> racks;        // rack names, by rack index
  std::vector<std::int32_t> rack_dc;     // DC index of each rack
  std::vector<std::int32_t> dc_of;       // per ordinal
  std::vector<std::int32_t> rack_of;     // per ordinal

  static Topology build(const std::vector<ReplicaInfo>& replicas, const Replication& replication);
  /// Adds one more replica (scale-up), registering a new DC or rack if needed. A new DC is
  /// appended (indices stay stable), so dcs is sorted only up to the first addition.
  void add(const ReplicaInfo& info);
  std::int32_t dc_index(const std::string& name) const;  // -1 when unknown
};

/// The sorted ring of (token, owner) pairs.
class TokenRing {
 public:
  struct Entry {
    std::int64_t token;
    std::uint32_t owner;
  };

  /// Adds a node's tokens. Tokens already on the ring are a programming error
  /// (std::invalid_argument): Cassandra refuses duplicate tokens too.
  void add_node(std::uint32_t ordinal, std::span<const std::int64_t> tokens);
  /// Replaces the ring with tokens[i] for node i, sorting once (faster than add_node per node).
  /// Returns false, leaving the ring empty, when two tokens are equal.
  bool assign(const std::vector<std::vector<std::int64_t>>& tokens);
  bool contains(std::int64_t token) const;
  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  const Entry& operator[](std::size_t i) const { return entries_[i]; }
  const std::vector<Entry>& entries() const { return entries_; }
  /// Index of the first token >= `token`, wrapping to 0 past the end. Ring must not be empty.
  std::size_t first_at_or_after(std::int64_t token) const;
  /// Nodes owning at least one token, ascending.
  std::vector<std::uint32_t> nodes() const;

 private:
  std::vector<Entry> entries_;  // sorted by token
};

/// `n` distinct random tokens not already on `ring` (one 64-bit draw each, redrawn on the
/// astronomically rare collision): Cassandra's random token allocation.
/// raw_tokens draws the same values without the collision checks.
std::vector<std::int64_t> random_tokens(sim::RandomStream& rs, std::int32_t n, const TokenRing& ring);
std::vector<std::int64_t> raw_tokens(sim::RandomStream& rs, std::int32_t n);

/// SimpleStrategy: the first `rf` distinct owners walking clockwise from ring index `start`
/// (fewer when the ring has fewer nodes). Racks and DCs are ignored.
std::vector<std::uint32_t> simple_replicas(const TokenRing& ring, std::size_t start, std::int32_t rf);

/// NetworkTopologyStrategy.calculateNaturalReplicas: walking clockwise from `start`, each DC
/// with RF > 0 takes min(RF, nodes in DC) endpoints; an endpoint on a rack not yet used is
/// always taken; one on an already used rack only while the DC's allowance of rack repeats
/// (RF - racks in DC) lasts. With racks >= RF this puts every replica on a distinct rack; with
/// fewer racks every rack gets one and the rest go to the first repeats met (the same set as the
/// older "fill with skipped endpoints" version of the algorithm).
std::vector<std::uint32_t> nts_replicas(const TokenRing& ring, std::size_t start, const Topology& topology,
                                        const Replication& replication);

/// Dispatches on replication.network_topology.
std::vector<std::uint32_t> natural_replicas(const TokenRing& ring, std::size_t start, const Topology& topology,
                                            const Replication& replication);

/// Keys grouped by the set of replicas that hold them: availability depends only on that set,
/// so counts are kept per group, not per key. Groups are ordered by their sorted member lists.
struct RowGroups {
  std::vector<std::vector<std::uint32_t>> members;  // sorted ordinals, per group
  std::vector<std::int64_t> rows;                   // keys per group
  std::vector<std::uint32_t> group_of_row;          // per key, in key order
};

/// Places every key token on the ring and groups keys by replica set. The ring must not be
/// empty.
RowGroups group_rows(const TokenRing& ring, std::span<const std::int64_t> row_tokens, const Topology& topology,
                     const Replication& replication);

}  // namespace azsim::data
