#include "models/data/ring.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <limits>
#include <map>
#include <stdexcept>

namespace azsim::data {

Topology Topology::build(const std::vector<ReplicaInfo>& replicas, const Replication& replication) {
  Topology t;
  for (const auto& [dc, rf] : replication.dc_rf) t.dcs.push_back(dc);
  for (const auto& r : replicas) t.dcs.push_back(r.dc);
  std::sort(t.dcs.begin(), t.dcs.end());
  t.dcs.erase(std::unique(t.dcs.begin(), t.dcs.end()), t.dcs.end());
  for (const auto& r : replicas) t.add(r);
  return t;
}

void Topology::add(const ReplicaInfo& info) {
  std::int32_t dc = dc_index(info.dc);
  if (dc < 0) {
    dcs.push_back(info.dc);
    dc = static_cast<std::int32_t>(dcs.size() - 1);
  }
  std::int32_t rack = -1;
  for (std::size_t i = 0; i < racks.size(); ++i) {
    if (racks[i] == info.rack && rack_dc[i] == dc) rack = static_cast<std::int32_t>(i);
  }
  if (rack < 0) {
    racks.push_back(info.rack);
    rack_dc.push_back(dc);
    rack = static_cast<std::int32_t>(racks.size() - 1);
  }
  dc_of.push_back(dc);
  rack_of.push_back(rack);
}

std::int32_t Topology::dc_index(const std::string& name) const {
  for (std::size_t i = 0; i < dcs.size(); ++i) {
    if (dcs[i] == name) return static_cast<std::int32_t>(i);
  }
  return -1;
}

namespace {

/// True when the sorted token lists `a` and the ring share a token (one linear merge pass:
/// cheaper than a binary search per token, whose branches a random ring always mispredicts).
bool intersects(const std::vector<std::int64_t>& sorted, const std::vector<TokenRing::Entry>& ring) {
  auto it = ring.begin();
  for (std::int64_t t : sorted) {
    while (it != ring.end() && it->token < t) ++it;
    if (it == ring.end()) return false;
    if (it->token == t) return true;
  }
  return false;
}

}  // namespace

void TokenRing::add_node(std::uint32_t ordinal, std::span<const std::int64_t> tokens) {
  std::vector<std::int64_t> sorted(tokens.begin(), tokens.end());
  std::sort(sorted.begin(), sorted.end());
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) {
    throw std::invalid_argument("a node's tokens must be distinct");
  }
  if (intersects(sorted, entries_)) throw std::invalid_argument("a token is already on the ring");
  const auto middle = static_cast<std::ptrdiff_t>(entries_.size());
  for (std::int64_t t : sorted) entries_.push_back({t, ordinal});
  std::inplace_merge(entries_.begin(), entries_.begin() + middle, entries_.end(),
                     [](const Entry& a, const Entry& b) { return a.token < b.token; });
}

bool TokenRing::assign(const std::vector<std::vector<std::int64_t>>& tokens) {
  entries_.clear();
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    for (std::int64_t t : tokens[i]) entries_.push_back({t, static_cast<std::uint32_t>(i)});
  }
  // Bucket sort on the top bits of the token with its sign bit flipped (unsigned order =
  // signed order), at least as many buckets as tokens, then an insertion sort inside each
  // bucket: the tokens are uniform random draws, so a bucket holds about one, and this runs
  // per trial. (A comparison sort of random tokens mispredicts nearly every branch.) A bucket
  // that random draws would almost never fill is sorted by std::sort instead.
  const std::size_t n = entries_.size();
  const int bits = std::max(1, static_cast<int>(std::bit_width(n)));
  auto bucket = [bits](const Entry& e) {
    const std::uint64_t key = static_cast<std::uint64_t>(e.token) ^ (std::uint64_t{1} << 63);
    return static_cast<std::size_t>(key >> (64 - bits));
  };
  std::vector<std::uint32_t> start((std::size_t{1} << bits) + 1, 0);
  for (const auto& e : entries_) ++start[bucket(e) + 1];
  for (std::size_t b = 1; b < start.size(); ++b) start[b] += start[b - 1];
  std::vector<Entry> sorted(n);
  {
    std::vector<std::uint32_t> next(start.begin(), start.end() - 1);
    for (const auto& e : entries_) sorted[next[bucket(e)]++] = e;
  }
  const auto by_token = [](const Entry& a, const Entry& b) { return a.token < b.token; };
  for (std::size_t b = 0; b + 1 < start.size(); ++b) {
    const auto first = sorted.begin() + start[b], last = sorted.begin() + start[b + 1];
    if (last - first > 16) {
      std::sort(first, last, by_token);
      continue;
    }
    for (auto it = first + (first != last); it < last; ++it) {
      const Entry e = *it;
      auto hole = it;
      for (; hole != first && (hole - 1)->token > e.token; --hole) *hole = *(hole - 1);
      *hole = e;
    }
  }
  entries_.swap(sorted);
  for (std::size_t i = 1; i < entries_.size(); ++i) {
    if (entries_[i].token == entries_[i - 1].token) {
      entries_.clear();
      return false;
    }
  }
  return true;
}

bool TokenRing::contains(std::int64_t token) const {
  const auto it = std::lower_bound(entries_.begin(), entries_.end(), token,
                                   [](const Entry& e, std::int64_t t) { return e.token < t; });
  return it != entries_.end() && it->token == token;
}

std::size_t TokenRing::first_at_or_after(std::int64_t token) const {
  const auto it = std::lower_bound(entries_.begin(), entries_.end(), token,
                                   [](const Entry& e, std::int64_t t) { return e.token < t; });
  return it == entries_.end() ? 0 : static_cast<std::size_t>(it - entries_.begin());
}

std::vector<std::uint32_t> TokenRing::nodes() const {
  std::vector<char> present;
  for (const auto& e : entries_) {
    if (e.owner >= present.size()) present.resize(e.owner + 1, 0);
    present[e.owner] = 1;
  }
  std::vector<std::uint32_t> out;
  for (std::size_t i = 0; i < present.size(); ++i) {
    if (present[i]) out.push_back(static_cast<std::uint32_t>(i));
  }
  return out;
}

namespace {

// Cassandra never hands out the partitioner's minimum token (it marks the ring's start).
std::int64_t draw_token(sim::RandomStream& rs) {
  std::int64_t t;
  do {
    t = static_cast<std::int64_t>(rs.next_u64());
  } while (t == std::numeric_limits<std::int64_t>::min());
  return t;
}

}  // namespace

std::vector<std::int64_t> raw_tokens(sim::RandomStream& rs, std::int32_t n) {
  std::vector<std::int64_t> out(static_cast<std::size_t>(std::max(n, 0)));
  for (auto& t : out) t = draw_token(rs);
  return out;
}

std::vector<std::int64_t> random_tokens(sim::RandomStream& rs, std::int32_t n, const TokenRing& ring) {
  std::vector<std::int64_t> out = raw_tokens(rs, n);
  // A collision with the ring or within the draw has probability ~n * ring / 2^64: when it
  // happens, the colliding draws are replaced by the next values of the stream, in order.
  while (true) {
    std::vector<std::int64_t> sorted = out;
    std::sort(sorted.begin(), sorted.end());
    if (std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end() && !intersects(sorted, ring.entries())) {
      return out;
    }
    for (std::size_t i = 0; i < out.size(); ++i) {
      const auto first = out.begin();
      const auto here = first + static_cast<std::ptrdiff_t>(i);
      if (std::find(first, here, out[i]) != here || ring.contains(out[i])) out[i] = draw_token(rs);
    }
  }
}

std::vector<std::uint32_t> simple_replicas(const TokenRing& ring, std::size_t start, std::int32_t rf) {
  std::vector<std::uint32_t> out;
  const std::size_t n = ring.size();
  for (std::size_t step = 0; step < n && static_cast<std::int32_t>(out.size()) < rf; ++step) {
    const std::uint32_t ep = ring[(start + step) % n].owner;
    if (std::find(out.begin(), out.end(), ep) == out.end()) out.push_back(ep);
  }
  return out;
}

namespace {

/// Per DC: nodes on the ring and distinct racks among them (Cassandra's Topology counts).
struct DcCounts {
  std::vector<std::int32_t> nodes;
  std::vector<std::int32_t> racks;
};

DcCounts dc_counts(const TokenRing& ring, const Topology& topology) {
  DcCounts c;
  c.nodes.assign(topology.dcs.size(), 0);
  c.racks.assign(topology.dcs.size(), 0);
  std::vector<char> rack_present(topology.racks.size(), 0);
  for (std::uint32_t node : ring.nodes()) {
    const auto dc = static_cast<std::size_t>(topology.dc_of[node]);
    ++c.nodes[dc];
    const auto rack = static_cast<std::size_t>(topology.rack_of[node]);
    if (!rack_present[rack]) {
      rack_present[rack] = 1;
      ++c.racks[dc];
    }
  }
  return c;
}

std::vector<std::uint32_t> nts_walk(const TokenRing& ring, std::size_t start, const Topology& topology,
                                    const Replication& replication, const DcCounts& counts) {
  // Per DC: endpoints still to take and rack repeats still allowed, as in Cassandra's
  // DatacenterEndpoints.
  const std::size_t ndc = topology.dcs.size();
  std::vector<std::int32_t> rf_left(ndc, 0);
  std::vector<std::int32_t> repeats(ndc, 0);
  std::int32_t dcs_to_fill = 0;
  for (std::size_t d = 0; d < ndc; ++d) {
    const std::int32_t rf = replication.rf_in(topology.dcs[d]);
    if (rf <= 0 || counts.nodes[d] <= 0) continue;
    rf_left[d] = std::min(rf, counts.nodes[d]);
    repeats[d] = rf - counts.racks[d];
    ++dcs_to_fill;
  }
  std::vector<char> rack_seen(topology.racks.size(), 0);
  std::vector<std::uint32_t> out;
  const std::size_t n = ring.size();
  for (std::size_t step = 0; step < n && dcs_to_fill > 0; ++step) {
    const std::uint32_t ep = ring[(start + step) % n].owner;
    const auto dc = static_cast<std::size_t>(topology.dc_of[ep]);
    if (rf_left[dc] <= 0) continue;  // DC not replicated, or already full
    if (std::find(out.begin(), out.end(), ep) != out.end()) continue;
    const auto rack = static_cast<std::size_t>(topology.rack_of[ep]);
    if (!rack_seen[rack]) {
      rack_seen[rack] = 1;
    } else if (repeats[dc] > 0) {
      --repeats[dc];
    } else {
      continue;  // rfLeft distinct racks remain: no more repeats
    }
    out.push_back(ep);
    if (--rf_left[dc] == 0) --dcs_to_fill;
  }
  return out;
}

}  // namespace

std::vector<std::uint32_t> nts_replicas(const TokenRing& ring, std::size_t start, const Topology& topology,
                                        const Replication& replication) {
  return nts_walk(ring, start, topology, replication, dc_counts(ring, topology));
}

std::vector<std::uint32_t> natural_replicas(const TokenRing& ring, std::size_t start, const Topology& topology,
                                            const Replication& replication) {
  if (replication.network_topology) return nts_replicas(ring, start, topology, replication);
  return simple_replicas(ring, start, replication.simple_rf);
}

RowGroups group_rows(const TokenRing& ring, std::span<const std::int64_t> row_tokens, const Topology& topology,
                     const Replication& replication) {
  if (ring.empty()) throw std::invalid_argument("group_rows: the ring is empty");
  RowGroups g;
  // Replica sets are computed once per ring range that holds keys, then merged by set.
  std::vector<std::int32_t> range_set(ring.size(), -1);
  std::map<std::vector<std::uint32_t>, std::uint32_t> set_ids;
  std::vector<std::vector<std::uint32_t>> sets;
  std::vector<std::uint32_t> row_set(row_tokens.size());
  const DcCounts counts = dc_counts(ring, topology);
  for (std::size_t i = 0; i < row_tokens.size(); ++i) {
    const std::size_t start = ring.first_at_or_after(row_tokens[i]);
    if (range_set[start] < 0) {
      auto members = replication.network_topology ? nts_walk(ring, start, topology, replication, counts)
                                                  : simple_replicas(ring, start, replication.simple_rf);
      std::sort(members.begin(), members.end());
      const auto [it, inserted] = set_ids.emplace(members, static_cast<std::uint32_t>(sets.size()));
      if (inserted) sets.push_back(std::move(members));
      range_set[start] = static_cast<std::int32_t>(it->second);
    }
    row_set[i] = static_cast<std::uint32_t>(range_set[start]);
  }
  // Renumber by the sorted member lists so the group order does not depend on key order.
  std::vector<std::uint32_t> renumber(sets.size());
  std::uint32_t next = 0;
  for (const auto& [members, id] : set_ids) {
    renumber[id] = next++;
    g.members.push_back(members);
  }
  g.rows.assign(g.members.size(), 0);
  g.group_of_row.resize(row_tokens.size());
  for (std::size_t i = 0; i < row_tokens.size(); ++i) {
    const std::uint32_t gid = renumber[row_set[i]];
    g.group_of_row[i] = gid;
    ++g.rows[gid];
  }
  return g;
}

}  // namespace azsim::data
