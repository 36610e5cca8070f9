// Failure-domain view ("blast radius"): the smallest number of zones, nodes or volumes whose
// simultaneous loss makes some row unreadable or unwritable at each level (or loses some row),
// with one such set, from the model's own placement. Part of `azsim analyze`.
//
// Every question reduces to conditions "kill at least k of the replicas in set M" (a Cassandra
// range at QUORUM: k = |M| - quorum + 1 of its replicas; LOCAL_QUORUM and EACH_QUORUM: the same
// within a DC), or, for a weighted majority, "kill at least half of the total weight". Domains
// (zones, nodes) hold disjoint sets of replicas, so taking the domains with the most of M first
// is optimal: the answer per condition is exact, and the minimum over conditions is the answer.
// Galera also gets "zone-link": the fewest inter-zone links to cut (the replicas all running) so
// that no partition holds a majority, by brute force over link subsets (at most 6 zones) with
// connected components (partition.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/data/service.hpp"

namespace azsim::data {

/// One row of the blast-radius table.
struct BlastRadius {
  std::string consistency;  // level name; "-" for data loss, which does not depend on the level
  std::string operation;    // "read", "write" or "data" (every copy lost)
  std::string domain;       // "zone", "node", "volume" or "zone-link"
  /// Fewest domains whose loss does it; 0 when rows are unavailable with nothing failed (e.g.
  /// ALL with fewer nodes than RF); -1 when no set of such domains does.
  std::int32_t min_failures = -1;
  std::vector<std::string> example;  // one smallest set (zone / node / pod names, links "a|b"), sorted
};

/// The table for `model` (its placement and configuration; its current state is ignored).
/// `node_of_replica[i]` names the node replica i runs on; empty means one node per replica,
/// named after the pod. Zones are the replicas' racks.
std::vector<BlastRadius> blast_radius(const ServiceModel& model, const std::vector<std::string>& node_of_replica = {});

}  // namespace azsim::data
