#include "models/data/blast_radius.hpp"

#include <algorithm>
#include <bit>
#include <numeric>
#include <stdexcept>

#include "models/data/cassandra.hpp"
#include "models/data/leader_follower.hpp"
#include "models/data/partition.hpp"

namespace azsim::data {

namespace {

/// Replicas grouped into named domains.
struct Domains {
  std::string kind;
  std::vector<std::string> names;
  std::vector<std::size_t> of;  // per replica
};

Domains make_domains(std::string kind, const std::vector<std::string>& per_replica) {
  Domains d;
  d.kind = std::move(kind);
  for (const auto& name : per_replica) {
    const auto it = std::find(d.names.begin(), d.names.end(), name);
    d.of.push_back(static_cast<std::size_t>(it - d.names.begin()));
    if (it == d.names.end()) d.names.push_back(name);
  }
  return d;
}

/// A smallest set of domains whose replicas carry at least `need` of the weight in `weight`
/// (per replica, 0 for replicas outside the condition). Empty optional when impossible.
struct Pick {
  bool possible = false;
  std::vector<std::size_t> domains;
};

Pick cheapest(const Domains& d, const std::vector<double>& weight, double need) {
  Pick p;
  if (need <= 0) {
    p.possible = true;
    return p;
  }
  std::vector<double> per_domain(d.names.size(), 0.0);
  for (std::size_t i = 0; i < weight.size(); ++i) per_domain[d.of[i]] += weight[i];
  std::vector<std::size_t> order(d.names.size());
  std::iota(order.begin(), order.end(), 0);
  // Heaviest first; ties by name so the example is stable.
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (per_domain[a] != per_domain[b]) return per_domain[a] > per_domain[b];
    return d.names[a] < d.names[b];
  });
  double got = 0;
  for (std::size_t idx : order) {
    if (per_domain[idx] <= 0) break;
    got += per_domain[idx];
    p.domains.push_back(idx);
    if (got >= need) {
      p.possible = true;
      return p;
    }
  }
  p.domains.clear();
  return p;
}

/// Keeps the better of the current best and a candidate.
void consider(BlastRadius& best, const Domains& d, const Pick& p) {
  if (!p.possible) return;
  const auto n = static_cast<std::int32_t>(p.domains.size());
  if (best.min_failures >= 0 && best.min_failures <= n) return;
  best.min_failures = n;
  best.example.clear();
  for (std::size_t idx : p.domains) best.example.push_back(d.names[idx]);
  std::sort(best.example.begin(), best.example.end());
}

/// Conditions of one Cassandra requirement over one group's members: each a weight vector
/// (1 for the replicas it counts) and how many of them must fail to break it.
void cassandra_conditions(const Requirement& req, const std::vector<std::uint32_t>& members, const Topology& topo,
                          std::size_t n, const Domains& d, BlastRadius& best) {
  auto check = [&](auto counts, std::int32_t needed) {
    std::vector<double> w(n, 0.0);
    std::int32_t m = 0;
    for (std::uint32_t r : members) {
      if (counts(r)) {
        w[r] = 1.0;
        ++m;
      }
    }
    consider(best, d, cheapest(d, w, static_cast<double>(m - needed + 1)));
  };
  if (req.total > 0) check([](std::uint32_t) { return true; }, req.total);
  if (req.local_dc >= 0) {
    check([&](std::uint32_t r) { return topo.dc_of[r] == req.local_dc; }, req.local);
  }
  for (std::size_t dc = 0; dc < req.per_dc.size(); ++dc) {
    if (req.per_dc[dc] <= 0) continue;
    check([&](std::uint32_t r) { return static_cast<std::size_t>(topo.dc_of[r]) == dc; }, req.per_dc[dc]);
  }
}

std::string link_name(const std::vector<std::string>& zones, const RackLink& l) {
  return zones[l.first] + "|" + zones[l.second];
}

}  // namespace

std::vector<BlastRadius> blast_radius(const ServiceModel& model, const std::vector<std::string>& node_of_replica) {
  const std::size_t n = model.replica_count();
  std::vector<std::string> zone_names;
  std::vector<std::string> node_names;
  std::vector<std::string> pod_names;
  for (std::size_t i = 0; i < n; ++i) {
    zone_names.push_back(model.replica(i).rack);
    pod_names.push_back(model.replica(i).pod);
    node_names.push_back(i < node_of_replica.size() && !node_of_replica[i].empty() ? node_of_replica[i]
                                                                                  : model.replica(i).pod);
  }
  const std::vector<Domains> domains = {make_domains("zone", zone_names), make_domains("node", node_names)};
  const Domains volumes = make_domains("volume", pod_names);
  const auto& cfg = model.config();
  std::vector<BlastRadius> out;

  auto row = [&](const std::string& level, const char* op, const Domains& d) {
    BlastRadius b;
    b.consistency = level;
    b.operation = op;
    b.domain = d.kind;
    return b;
  };
  std::vector<double> all_weights(n, 1.0);
  if (cfg.type == ServiceType::Galera) {
    for (std::size_t i = 0; i < n && i < cfg.member_weights.size(); ++i) all_weights[i] = cfg.member_weights[i];
  }
  const double total_weight = std::accumulate(all_weights.begin(), all_weights.end(), 0.0);

  for (std::size_t l = 0; l < model.levels().size(); ++l) {
    const auto& spec = model.levels()[l];
    for (const auto& d : domains) {
      for (int w = 0; w < 2; ++w) {
        BlastRadius b = row(spec.consistency, w ? "write" : "read", d);
        switch (cfg.type) {
          case ServiceType::Cassandra: {
            const auto& c = dynamic_cast<const CassandraService&>(model);
            for (const auto& members : c.groups().members) {
              cassandra_conditions(c.requirement(l, w == 1), members, c.topology(), n, d, b);
            }
            break;
          }
          case ServiceType::LeaderFollower: {
            const auto& lf = dynamic_cast<const LeaderFollowerService&>(model);
            std::vector<double> weight(n, 0.0);
            if (w == 1) {
              weight[lf.leader()] = 1.0;  // writes need the leader (until a failover)
              consider(b, d, cheapest(d, weight, 1.0));
            } else {
              consider(b, d, cheapest(d, all_weights, static_cast<double>(n)));
            }
            break;
          }
          case ServiceType::Galera:
            // No component keeps more than half of the weight once half of it is gone.
            consider(b, d, cheapest(d, all_weights, total_weight / 2));
            break;
          case ServiceType::Single:
            consider(b, d, cheapest(d, all_weights, 1.0));
            break;
        }
        out.push_back(std::move(b));
      }
    }
  }

  // Partitions between zones with every replica running: only a quorum service cares.
  if (cfg.type == ServiceType::Galera) {
    const Domains& zones = domains[0];
    for (int w = 0; w < 2; ++w) {
      BlastRadius b;
      b.consistency = model.levels()[0].consistency;
      b.operation = w ? "write" : "read";
      b.domain = "zone-link";
      std::vector<RackLink> links;
      for (std::size_t a = 0; a < zones.names.size(); ++a) {
        for (std::size_t c = a + 1; c < zones.names.size(); ++c) links.push_back({a, c});
      }
      if (zones.names.size() <= 6) {
        const std::size_t nl = links.size();
        for (std::size_t k = 0; k <= nl && b.min_failures < 0; ++k) {
          // Subsets of size k in lexicographic order (bitmask enumeration filtered by size).
          for (std::uint32_t mask = 0; mask < (1u << nl) && b.min_failures < 0; ++mask) {
            if (static_cast<std::size_t>(std::popcount(mask)) != k) continue;
            std::vector<RackLink> cut;
            for (std::size_t i = 0; i < nl; ++i) {
              if ((mask >> i) & 1u) cut.push_back(links[i]);
            }
            const auto comp = rack_components(zones.names.size(), cut);
            std::vector<double> weight(zones.names.size(), 0.0);
            for (std::size_t i = 0; i < n; ++i) weight[static_cast<std::size_t>(comp[zones.of[i]])] += all_weights[i];
            const bool majority = std::any_of(weight.begin(), weight.end(), [&](double x) { return 2 * x > total_weight; });
            if (!majority) {
              b.min_failures = static_cast<std::int32_t>(k);
              for (const auto& l : cut) b.example.push_back(link_name(zones.names, l));
              std::sort(b.example.begin(), b.example.end());
            }
          }
        }
      }
      out.push_back(std::move(b));
    }
  }

  // Data loss: every copy of some row on lost volumes.
  BlastRadius data = row("-", "data", volumes);
  if (cfg.type == ServiceType::Cassandra) {
    const auto& c = dynamic_cast<const CassandraService&>(model);
    for (const auto& members : c.groups().members) {
      std::vector<double> w(n, 0.0);
      for (std::uint32_t r : members) w[r] = 1.0;
      if (!members.empty()) consider(data, volumes, cheapest(volumes, w, static_cast<double>(members.size())));
    }
  } else {
    consider(data, volumes, cheapest(volumes, std::vector<double>(n, 1.0), static_cast<double>(n)));
  }
  out.push_back(std::move(data));
  return out;
}

}  // namespace azsim::data
