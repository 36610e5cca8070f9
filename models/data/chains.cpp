#include "models/data/chains.hpp"

#include <algorithm>
#include <bit>
#include <compare>
#include <map>
#include <cstdint>
#include <stdexcept>

#include "models/data/cassandra.hpp"
#include "models/data/markov.hpp"

namespace azsim::data {

namespace {

/// One state of the availability chain: the failure process (replica and rack down bits) and
/// the service's own state on top.
struct State {
  std::uint32_t down = 0;       // replica i down
  std::uint32_t rack_down = 0;  // rack r down
  std::uint32_t pc = 0;         // Galera: last primary component
  std::uint16_t leader = 0;     // leader/follower
  std::uint8_t mode = 0;        // leader/follower: 0 normal, 1 failing over, 2 leaderless
  std::uint8_t primary = 0;     // Galera
  auto operator<=>(const State&) const = default;
};

constexpr std::uint8_t kNormal = 0;
constexpr std::uint8_t kFailing = 1;
constexpr std::uint8_t kLeaderless = 2;

std::uint32_t lowest(std::uint32_t mask) { return static_cast<std::uint32_t>(std::countr_zero(mask)); }

class Analyzer {
 public:
  Analyzer(const ServiceModel& model, const FailureRates& rates) : model_(model), rates_(rates) {
    const auto& cfg = model.config();
    type_ = cfg.type;
    n_ = model.replica_count();
    if (n_ == 0) throw std::invalid_argument("analyze: the service has no replicas");
    if (n_ > 24) throw ChainTooLarge("more than 24 replicas");
    for (std::size_t i = 0; i < n_; ++i) {
      const auto& rack = model.replica(i).rack;
      const auto it = std::find(racks_.begin(), racks_.end(), rack);
      rack_of_.push_back(static_cast<std::uint32_t>(it - racks_.begin()));
      if (it == racks_.end()) racks_.push_back(rack);
    }
    use_racks_ = rates.zone_failure > 0;
    if (rates.replica_failure > 0 && rates.replica_repair <= 0) {
      throw std::invalid_argument("analyze: replica_failure > 0 needs replica_repair > 0");
    }
    if (use_racks_ && rates.zone_repair <= 0) throw std::invalid_argument("analyze: zone_failure > 0 needs zone_repair > 0");
    all_ = n_ == 32 ? ~0u : (1u << n_) - 1;
    for (std::size_t i = 0; i < n_; ++i) {
      weight_.push_back(i < cfg.member_weights.size() ? cfg.member_weights[i] : 1.0);
    }
    static_quorum_ = cfg.quorum == "static";
    auto_failover_ = cfg.auto_failover;
    if (type_ == ServiceType::LeaderFollower) {
      const double mean = cfg.failover_time ? sim::mean(*cfg.failover_time)
                                            : (cfg.failover_detection + cfg.failover_promotion).seconds_f();
      failover_rate_ = mean > 0 ? 1.0 / mean : 0.0;
      instant_failover_ = !(mean > 0);
    }
    if (type_ == ServiceType::Cassandra) {
      cassandra_ = dynamic_cast<const CassandraService*>(&model);
      if (cassandra_ == nullptr) throw std::invalid_argument("analyze: a Cassandra service must be a CassandraService");
      build_keyspace_groups();
    }
    levels_ = model.levels().size();
  }

  /// Every ring range (predecessor, token], weighted by its share of the 2^64 token space and
  /// grouped by replica set.
  void build_keyspace_groups() {
    const auto& ring = cassandra_->ring();
    std::map<std::vector<std::uint32_t>, double> by_set;
    for (std::size_t i = 0; i < ring.size(); ++i) {
      const auto prev = static_cast<std::uint64_t>(ring[(i + ring.size() - 1) % ring.size()].token);
      const auto here = static_cast<std::uint64_t>(ring[i].token);
      // Unsigned wrap-around gives the width of the range, also for the one crossing the end;
      // a single-token ring owns everything.
      const std::uint64_t width = ring.size() == 1 ? ~std::uint64_t{0} : here - prev;
      auto members = natural_replicas(ring, i, cassandra_->topology(), cassandra_->replication());
      std::sort(members.begin(), members.end());
      by_set[members] += static_cast<double>(width) * 0x1p-64;
    }
    for (auto& [members, weight] : by_set) {
      keyspace_members_.push_back(members);
      keyspace_weight_.push_back(weight);
    }
  }

  State initial() const {
    State s;
    s.pc = all_;
    s.primary = 1;
    return s;
  }

  std::uint32_t up(const State& s) const {
    std::uint32_t u = all_ & ~s.down;
    if (s.rack_down != 0) {
      for (std::size_t i = 0; i < n_; ++i) {
        if ((s.rack_down >> rack_of_[i]) & 1u) u &= ~(1u << i);
      }
    }
    return u;
  }

  /// The service's reaction when the failure process moved from `before` to `after`.
  void step(const State& before, State& after) const {
    const std::uint32_t u0 = up(before);
    const std::uint32_t u1 = up(after);
    if (u0 == u1) return;
    if (type_ == ServiceType::LeaderFollower) {
      const std::uint32_t leader_bit = 1u << after.leader;
      if (after.mode == kNormal) {
        if ((u1 & leader_bit) == 0 && (u0 & leader_bit) != 0 && auto_failover_) {
          after.mode = kFailing;
          if (instant_failover_) complete_failover(after);
        }
      } else if (after.mode == kFailing) {
        if (u1 & leader_bit) after.mode = kNormal;
      } else if (after.mode == kLeaderless) {
        const std::uint32_t newly = u1 & ~u0;
        if (newly != 0) {
          after.leader = static_cast<std::uint16_t>(lowest(newly));
          after.mode = kNormal;
        }
      }
    } else if (type_ == ServiceType::Galera) {
      // An instantaneous view change over the members now up.
      double w_in = 0;
      double base = 0;
      for (std::size_t i = 0; i < n_; ++i) {
        const std::uint32_t bit = 1u << i;
        if (static_quorum_) {
          base += weight_[i];
          if (u1 & bit) w_in += weight_[i];
        } else if (after.pc & bit) {
          base += weight_[i];
          if (u1 & bit) w_in += weight_[i];
        }
      }
      if (base > 0 && 2 * w_in > base) {
        after.primary = 1;
        after.pc = u1;
      } else {
        after.primary = 0;
      }
    }
  }

  void complete_failover(State& s) const {
    const std::uint32_t candidates = up(s) & ~(1u << s.leader);
    if (candidates != 0) {
      s.leader = static_cast<std::uint16_t>(lowest(candidates));
      s.mode = kNormal;
    } else {
      s.mode = kLeaderless;
    }
  }

  template <class Emit>
  void transitions(const State& s, Emit&& emit) const {
    for (std::size_t i = 0; i < n_; ++i) {
      State t = s;
      t.down ^= 1u << i;
      const bool is_down = (s.down >> i) & 1u;
      const double rate = is_down ? rates_.replica_repair : rates_.replica_failure;
      if (rate <= 0) continue;
      step(s, t);
      emit(t, rate);
    }
    if (use_racks_) {
      for (std::size_t r = 0; r < racks_.size(); ++r) {
        State t = s;
        t.rack_down ^= 1u << r;
        const bool is_down = (s.rack_down >> r) & 1u;
        step(s, t);
        emit(t, is_down ? rates_.zone_repair : rates_.zone_failure);
      }
    }
    if (type_ == ServiceType::LeaderFollower && s.mode == kFailing && failover_rate_ > 0) {
      State t = s;
      complete_failover(t);
      emit(t, failover_rate_);
    }
  }

  /// Share (by `weight`) of the replica sets `members` that miss each level's requirement.
  void share_unavailable(std::uint32_t u, const std::vector<std::vector<std::uint32_t>>& members,
                         const std::vector<double>& weight, std::vector<double>& read,
                         std::vector<double>& write) const {
    const auto& topo = cassandra_->topology();
    double total = 0;
    std::vector<std::int32_t> live_dc(topo.dcs.size(), 0);
    for (std::size_t g = 0; g < members.size(); ++g) {
      std::fill(live_dc.begin(), live_dc.end(), 0);
      std::int32_t live = 0;
      for (std::uint32_t m : members[g]) {
        if ((u >> m) & 1u) {
          ++live;
          ++live_dc[static_cast<std::size_t>(topo.dc_of[m])];
        }
      }
      total += weight[g];
      for (std::size_t l = 0; l < levels_; ++l) {
        if (!cassandra_->requirement(l, false).satisfied(live, live_dc)) read[l] += weight[g];
        if (!cassandra_->requirement(l, true).satisfied(live, live_dc)) write[l] += weight[g];
      }
    }
    for (std::size_t l = 0; l < levels_ && total > 0; ++l) {
      read[l] /= total;
      write[l] /= total;
    }
  }

  /// Unavailable share of rows per level, for reads and writes; for Cassandra also of the
  /// token space (keyspace_read / keyspace_write; the row shares elsewhere).
  void reward(const State& s, std::vector<double>& read, std::vector<double>& write,
              std::vector<double>& keyspace_read, std::vector<double>& keyspace_write) const {
    read.assign(levels_, 0.0);
    write.assign(levels_, 0.0);
    keyspace_read.assign(levels_, 0.0);
    keyspace_write.assign(levels_, 0.0);
    const std::uint32_t u = up(s);
    switch (type_) {
      case ServiceType::Cassandra: {
        const auto& groups = cassandra_->groups();
        const std::vector<double> rows(groups.rows.begin(), groups.rows.end());
        share_unavailable(u, groups.members, rows, read, write);
        share_unavailable(u, keyspace_members_, keyspace_weight_, keyspace_read, keyspace_write);
        return;
      }
      case ServiceType::LeaderFollower:
        read[0] = u == 0 ? 1.0 : 0.0;
        write[0] = s.mode == kNormal && ((u >> s.leader) & 1u) ? 0.0 : 1.0;
        break;
      case ServiceType::Galera:
        read[0] = write[0] = s.primary && (u & s.pc) != 0 ? 0.0 : 1.0;
        break;
      case ServiceType::Single:
        read[0] = write[0] = u == 0 ? 1.0 : 0.0;
        break;
    }
    keyspace_read = read;
    keyspace_write = write;
  }

  /// True when the availability depends only on how many replicas are down.
  bool symmetric() const {
    if (use_racks_) return false;
    switch (type_) {
      case ServiceType::Cassandra: {
        const auto& groups = cassandra_->groups();
        return cassandra_->topology().dcs.size() == 1 && groups.members.size() == 1 &&
               groups.members[0].size() == n_;
      }
      case ServiceType::Galera:
        return static_quorum_ && std::all_of(weight_.begin(), weight_.end(), [&](double w) { return w == weight_[0]; });
      case ServiceType::Single:
        return true;
      case ServiceType::LeaderFollower:
        return false;
    }
    return false;
  }

  bool data_lost(std::uint32_t lost) const {
    if (type_ == ServiceType::Cassandra) {
      for (const auto& members : cassandra_->groups().members) {
        if (members.empty()) continue;
        bool all = true;
        for (std::uint32_t m : members) all = all && ((lost >> m) & 1u);
        if (all) return true;
      }
      return false;
    }
    return (lost & all_) == all_;
  }

  ChainAnalysis run(std::size_t limit) const {
    ChainAnalysis out;
    for (const auto& spec : model_.levels()) out.levels.push_back({spec.consistency, 0.0, 0.0, 0.0, 0.0});
    std::vector<double> read;
    std::vector<double> write;
    std::vector<double> kread;
    std::vector<double> kwrite;
    auto accumulate = [&](double p) {
      for (std::size_t l = 0; l < levels_; ++l) {
        out.levels[l].read += p * read[l];
        out.levels[l].write += p * write[l];
        out.levels[l].read_keyspace += p * kread[l];
        out.levels[l].write_keyspace += p * kwrite[l];
      }
    };
    if (symmetric()) {
      out.method = "birth-death";
      const auto dist = birth_death_down_distribution(n_, rates_.replica_failure, rates_.replica_repair);
      out.states = dist.size();
      for (std::size_t k = 0; k < dist.size(); ++k) {
        State s = initial();
        s.down = k == 0 ? 0u : (1u << k) - 1;  // any k replicas: all alike here
        State stepped = s;
        step(initial(), stepped);
        reward(stepped, read, write, kread, kwrite);
        accumulate(dist[k]);
      }
    } else {
      out.method = "full state space";
      const auto chain = explore(initial(), [&](const State& s, auto&& emit) { transitions(s, emit); }, limit);
      out.states = chain.states.size();
      const Eigen::VectorXd pi = chain.chain.steady_state();
      for (std::size_t i = 0; i < chain.states.size(); ++i) {
        reward(chain.states[i], read, write, kread, kwrite);
        accumulate(pi[static_cast<Eigen::Index>(i)]);
      }
    }
    if (rates_.volume_failure > 0) {
      const auto chain = explore(
          std::uint32_t{0},
          [&](std::uint32_t lost, auto&& emit) {
            if (data_lost(lost)) return;
            for (std::size_t i = 0; i < n_; ++i) {
              const std::uint32_t bit = 1u << i;
              if (lost & bit) {
                if (rates_.rebuild > 0) emit(lost & ~bit, rates_.rebuild);
              } else {
                emit(lost | bit, rates_.volume_failure);
              }
            }
          },
          limit);
      std::vector<char> absorbing(chain.states.size());
      for (std::size_t i = 0; i < chain.states.size(); ++i) absorbing[i] = data_lost(chain.states[i]) ? 1 : 0;
      out.mttdl_seconds = chain.chain.mean_time_to_absorption(absorbing)[0];
      out.mttdl_states = chain.states.size();
    }
    return out;
  }

 private:
  const ServiceModel& model_;
  FailureRates rates_;
  ServiceType type_;
  std::size_t n_ = 0;
  std::uint32_t all_ = 0;
  std::vector<std::string> racks_;
  std::vector<std::uint32_t> rack_of_;
  std::vector<double> weight_;
  bool use_racks_ = false;
  bool static_quorum_ = false;
  bool auto_failover_ = true;
  bool instant_failover_ = false;
  double failover_rate_ = 0;
  const CassandraService* cassandra_ = nullptr;
  std::vector<std::vector<std::uint32_t>> keyspace_members_;  // Cassandra: ring ranges by replica set
  std::vector<double> keyspace_weight_;                        // their share of the token space
  std::size_t levels_ = 0;
};

}  // namespace

ChainAnalysis analyze_chain(const ServiceModel& model, const FailureRates& rates, std::size_t state_limit) {
  return Analyzer(model, rates).run(state_limit);
}

}  // namespace azsim::data
