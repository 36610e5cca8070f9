// Network partitions between racks (AZs): which racks can still talk to each other when some
// inter-rack links are cut. Racks are the vertices of a complete graph; a cut removes an edge;
// two racks talk when a path of working links joins them (Boost Graph connected_components).
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace azsim::data {

/// A cut link between racks a < b.
using RackLink = std::pair<std::size_t, std::size_t>;

/// Component index of every rack (0-based, numbered as Boost numbers them: by lowest rack) when
/// the links in `cut` (sorted, a < b) are down. No cut: every rack in component 0.
std::vector<int> rack_components(std::size_t racks, const std::vector<RackLink>& cut);

}  // namespace azsim::data
