#include "models/data/partition.hpp"

#include <algorithm>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/connected_components.hpp>

namespace azsim::data {

std::vector<int> rack_components(std::size_t racks, const std::vector<RackLink>& cut) {
  std::vector<int> component(racks, 0);
  if (cut.empty() || racks == 0) return component;
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;
  Graph g(racks);
  for (std::size_t a = 0; a < racks; ++a) {
    for (std::size_t b = a + 1; b < racks; ++b) {
      if (!std::binary_search(cut.begin(), cut.end(), RackLink{a, b})) boost::add_edge(a, b, g);
    }
  }
  boost::connected_components(g, component.data());
  return component;
}

}  // namespace azsim::data
