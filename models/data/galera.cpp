#include "models/data/galera.hpp"

#include <algorithm>

#include "models/data/partition.hpp"

namespace azsim::data {

GaleraService::GaleraService(const ServiceConfig& config, std::vector<ReplicaInfo> replicas, sim::Simulation& sim)
    : ServiceModel(config, std::move(replicas), sim, {{"PRIMARY_COMPONENT", "PRIMARY_COMPONENT", "PRIMARY_COMPONENT"}},
                   config.rows),
      static_quorum_(config.quorum == "static") {
  for (std::size_t o = 0; o < replicas_.size(); ++o) {
    Member m;
    if (o < config_.member_weights.size()) m.weight = config_.member_weights[o];
    members_.push_back(m);
    const auto it = std::find(racks_.begin(), racks_.end(), replicas_[o].rack);
    rack_of_.push_back(static_cast<std::size_t>(it - racks_.begin()));
    if (it == racks_.end()) racks_.push_back(replicas_[o].rack);
  }
  publish(sim.now());
}

GaleraService::~GaleraService() {
  sim_.cancel(view_change_);
  for (auto& m : members_) sim_.cancel(m.transfer);
}

bool GaleraService::serving(std::size_t o) const {
  const Member& m = members_[o];
  return primary_ && m.in_pc && present(o) && m.has_data && !sim_.pending(m.transfer);
}

std::vector<std::size_t> GaleraService::primary_members() const {
  std::vector<std::size_t> out;
  for (std::size_t o = 0; o < members_.size(); ++o) {
    if (members_[o].in_pc) out.push_back(o);
  }
  return out;
}

std::vector<std::int32_t> GaleraService::components() const {
  std::vector<std::int32_t> out(members_.size(), -1);
  const std::vector<int> rack_component = rack_components(racks_.size(), cut_);
  for (std::size_t o = 0; o < members_.size(); ++o) {
    if (present(o)) out[o] = rack_component[rack_of_[o]];
  }
  return out;
}

void GaleraService::view_change(sim::Time now) {
  sim_.cancel(view_change_);
  const auto comp = components();
  const std::int32_t ncomp = racks_.empty() ? 0 : static_cast<std::int32_t>(racks_.size());
  std::vector<double> weight(static_cast<std::size_t>(ncomp), 0.0);      // per component
  std::vector<double> weight_pc(static_cast<std::size_t>(ncomp), 0.0);   // of last-PC members
  double base = 0;
  bool anyone = false;
  for (std::size_t o = 0; o < members_.size(); ++o) {
    const Member& m = members_[o];
    if (static_quorum_) {
      if (!m.removed) base += m.weight;
    } else if (m.in_pc) {
      base += m.weight;
    }
    if (comp[o] < 0) continue;
    anyone = true;
    weight[static_cast<std::size_t>(comp[o])] += m.weight;
    if (m.in_pc) weight_pc[static_cast<std::size_t>(comp[o])] += m.weight;
  }
  std::int32_t winner = -1;
  if (!static_quorum_ && !bootstrapped_) {
    // A new cluster: the first member to start bootstraps it on its own (--wsrep-new-cluster).
    if (anyone) {
      for (std::size_t o = 0; o < members_.size() && winner < 0; ++o) winner = comp[o];
      bootstrapped_ = true;
    }
  } else {
    for (std::int32_t c = 0; c < ncomp; ++c) {
      const double w = static_quorum_ ? weight[static_cast<std::size_t>(c)] : weight_pc[static_cast<std::size_t>(c)];
      if (base > 0 && 2 * w > base) winner = c;
    }
  }
  primary_ = winner >= 0;
  for (std::size_t o = 0; o < members_.size(); ++o) {
    Member& m = members_[o];
    if (primary_) {
      m.in_pc = comp[o] == winner;
      m.in_view = m.in_pc;
    } else {
      m.in_view = comp[o] >= 0;
    }
  }
  publish(now);
}

void GaleraService::depart(sim::Time now) {
  const sim::Time due = now + config_.galera_suspect;
  if (!sim_.pending(view_change_) || due > view_change_at_) {
    sim_.cancel(view_change_);
    view_change_at_ = due;
    // After every same-instant change, so members lost together are evicted together.
    view_change_ = sim_.at(due, [this] { view_change(sim_.now()); }, 100, "data/galera-view");
  }
  publish(now);
}

void GaleraService::join(sim::Time now) {
  if (sim_.pending(view_change_)) {
    // A pending view change is moot when every member of the view is back and connected.
    const auto comp = components();
    std::int32_t c = -2;
    bool whole = true;
    for (std::size_t o = 0; o < members_.size(); ++o) {
      if (!members_[o].in_view) continue;
      if (comp[o] < 0 || (c != -2 && comp[o] != c)) whole = false;
      c = comp[o];
    }
    if (!whole) {
      publish(now);
      return;
    }
  }
  view_change(now);
}

void GaleraService::start_transfer(std::size_t o, sim::Time now) {
  Member& m = members_[o];
  sim_.cancel(m.transfer);
  m.transfer = sim_.at(now + stream_time(config_), [this, o] {
    members_[o].has_data = true;
    publish(sim_.now());
  }, 0, "data/galera-sst");
}

void GaleraService::publish(sim::Time now) {
  bool any = false;
  bool all = primary_ && !sim_.pending(view_change_);
  bool exists = false;
  for (std::size_t o = 0; o < members_.size(); ++o) {
    const bool s = serving(o);
    any = any || s;
    if (!members_[o].removed) {
      exists = true;
      all = all && s;
    }
  }
  const bool stalled = primary_ && sim_.pending(view_change_);
  const std::int64_t rows = recorder_.rows();
  const std::int64_t readable = any && !lost_ ? rows : 0;
  const std::int64_t writable = any && !stalled ? rows : 0;
  recorder_.set(0, readable, writable, std::min(readable, writable), now);
  recorder_.redundancy(all && exists && !lost_, now);  // lost rows never have their replicas again
}

void GaleraService::replica_ready(std::size_t o, bool ready, sim::Time now) {
  check_ordinal(o);
  Member& m = members_[o];
  if (m.removed || m.ready == ready) return;
  if (!ready) {
    if (serving(o)) recorder_.fault(o, now);
    m.ready = false;
    sim_.cancel(m.transfer);
    depart(now);
    return;
  }
  m.ready = true;
  if (!m.has_data) start_transfer(o, now);
  join(now);
}

void GaleraService::volume_lost(std::size_t o, sim::Time now) {
  check_ordinal(o);
  Member& m = members_[o];
  if (serving(o)) recorder_.fault(o, now);
  m.has_data = false;
  if (m.ready) start_transfer(o, now);
  const bool anyone = std::any_of(members_.begin(), members_.end(), [](const Member& x) { return x.has_data; });
  if (!anyone && !lost_) {
    lost_ = true;
    recorder_.lose_rows(recorder_.rows());
  }
  publish(now);
}

void GaleraService::replica_added(ReplicaInfo info, sim::Time now) {
  for (std::size_t o = 0; o < replicas_.size(); ++o) {
    if (replicas_[o].pod == info.pod && members_[o].removed) {
      members_[o].removed = false;
      publish(now);
      return;
    }
  }
  const std::size_t o = replicas_.size();
  Member m;
  m.has_data = false;  // joins with a state snapshot transfer
  if (o < config_.member_weights.size()) m.weight = config_.member_weights[o];
  members_.push_back(m);
  const auto it = std::find(racks_.begin(), racks_.end(), info.rack);
  rack_of_.push_back(static_cast<std::size_t>(it - racks_.begin()));
  if (it == racks_.end()) racks_.push_back(info.rack);
  replicas_.push_back(std::move(info));
  publish(now);
}

void GaleraService::leave(std::size_t o, sim::Time now) {
  Member& m = members_[o];
  if (serving(o)) recorder_.fault(o, now);
  m.ready = false;
  m.in_view = false;
  sim_.cancel(m.transfer);
  // The member announces its leave; the group installs a view without it at once, no vote. A
  // non-primary component has no primary view to shrink: the leaver stays in the last one.
  if (primary_) {
    m.in_pc = false;
    const bool members_left = std::any_of(members_.begin(), members_.end(), [](const Member& x) { return x.in_pc; });
    // The last member of the primary component shut down in order: the next start bootstraps.
    if (!members_left) bootstrapped_ = false;
  }
  if (sim_.pending(view_change_)) {
    publish(now);  // the pending view change (an abrupt loss) installs it
  } else {
    view_change(now);
  }
}

void GaleraService::replica_leaving(std::size_t o, sim::Time now) {
  check_ordinal(o);
  const Member& m = members_[o];
  if (m.removed || !m.ready) return;
  leave(o, now);
}

void GaleraService::replica_removed(std::size_t o, sim::Time now) {
  check_ordinal(o);
  Member& m = members_[o];
  if (m.removed) return;
  // Scale-down: a clean leave, and the member is no longer expected back.
  m.removed = true;
  leave(o, now);
}

sim::Duration GaleraService::startup_delay(std::size_t o) const {
  check_ordinal(o);
  return sim::Duration::zero();
}

void GaleraService::set_link(const std::string& rack_a, const std::string& rack_b, bool connected, sim::Time now) {
  const auto a = static_cast<std::size_t>(std::find(racks_.begin(), racks_.end(), rack_a) - racks_.begin());
  const auto b = static_cast<std::size_t>(std::find(racks_.begin(), racks_.end(), rack_b) - racks_.begin());
  if (a >= racks_.size() || b >= racks_.size() || a == b) return;
  const auto key = std::minmax(a, b);
  const std::pair<std::size_t, std::size_t> link{key.first, key.second};
  const auto it = std::lower_bound(cut_.begin(), cut_.end(), link);
  const bool is_cut = it != cut_.end() && *it == link;
  if (connected == !is_cut) return;
  if (!connected) {
    cut_.insert(it, link);
    depart(now);
  } else {
    cut_.erase(it);
    join(now);
  }
}

}  // namespace azsim::data
