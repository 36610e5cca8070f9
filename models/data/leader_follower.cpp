#include "models/data/leader_follower.hpp"

#include <algorithm>

namespace azsim::data {

LeaderFollowerService::LeaderFollowerService(const ServiceConfig& config, std::vector<ReplicaInfo> replicas,
                                             sim::RandomStream rng, sim::Simulation& sim)
    : ServiceModel(config, std::move(replicas), sim, {{"LEADER", "ANY_REPLICA", "LEADER"}}, config.rows),
      rng_(rng.child("failover")) {
  members_.resize(replicas_.size());
  publish(sim.now());
}

LeaderFollowerService::~LeaderFollowerService() {
  sim_.cancel(failover_);
  for (auto& m : members_) sim_.cancel(m.clone);
}

bool LeaderFollowerService::serving(std::size_t o) const {
  const Member& m = members_.at(o);
  return m.ready && !m.removed && m.has_data && !m.needs_clone;
}

sim::Duration LeaderFollowerService::failover_delay() {
  if (config_.failover_time) return sim::sample_duration(*config_.failover_time, rng_);
  return config_.failover_detection + config_.failover_promotion;
}

void LeaderFollowerService::publish(sim::Time now) {
  bool any = false;
  bool follower = false;
  bool all = true;
  for (std::size_t o = 0; o < members_.size(); ++o) {
    const bool s = serving(o);
    any = any || s;
    follower = follower || (s && o != leader_);
    all = all && (s || members_[o].removed);
  }
  const bool leader_ok = mode_ == Mode::kNormal && leader_ < members_.size() && serving(leader_);
  if (leader_ok && !follower) {
    if (!alone_since_) alone_since_ = now;
  } else {
    alone_since_.reset();
  }
  const std::int64_t rows = recorder_.rows();
  const std::int64_t readable = any && !lost_ ? rows : 0;
  const std::int64_t writable = leader_ok ? rows : 0;
  recorder_.set(0, readable, writable, std::min(readable, writable), now);
  recorder_.redundancy(all && leader_ok && !members_.empty() && !lost_, now);  // lost rows never come back
}

void LeaderFollowerService::leader_lost(sim::Time now) {
  if (!config_.auto_failover) return;
  const bool degraded = alone_since_ && now - *alone_since_ >= config_.semi_sync_timeout;
  lossy_promotion_ = !config_.semi_sync || degraded;
  mode_ = Mode::kFailingOver;
  failover_ = sim_.at(now + failover_delay(), [this] { failover_due(sim_.now()); }, 0, "data/failover");
}

void LeaderFollowerService::failover_due(sim::Time now) {
  for (std::size_t o = 0; o < members_.size(); ++o) {
    if (o != leader_ && serving(o)) {
      promote(o, now);
      return;
    }
  }
  mode_ = Mode::kLeaderless;
  publish(now);
}

void LeaderFollowerService::promote(std::size_t o, sim::Time now) {
  if (o != leader_) {
    if (lossy_promotion_ && config_.async_lag_rows > 0) {
      recorder_.lose_commits(config_.async_lag_rows);
      // The old leader kept commits nobody else has (errant transactions): re-clone it.
      members_[leader_].needs_clone = true;
    }
    recorder_.count_failover();
    leader_ = o;
  }
  sim_.cancel(failover_);
  mode_ = Mode::kNormal;
  publish(now);
}

void LeaderFollowerService::changed(std::size_t o, bool was_serving, sim::Time now) {
  const bool is_serving = serving(o);
  if (was_serving && !is_serving) {
    recorder_.fault(o, now);
    // alone_since_ must reflect the state just before the loss: publish() is not yet called.
    if (o == leader_ && mode_ == Mode::kNormal) leader_lost(now);
  } else if (!was_serving && is_serving) {
    if (mode_ == Mode::kFailingOver && o == leader_) {
      promote(o, now);  // the old leader is back before the promotion: it stays the leader
      return;
    }
    if (mode_ == Mode::kLeaderless) {
      promote(o, now);
      return;
    }
  }
  publish(now);
}

void LeaderFollowerService::start_clone(std::size_t o, sim::Time now) {
  Member& m = members_[o];
  sim_.cancel(m.clone);
  m.clone = sim_.at(now + stream_time(config_), [this, o] {
    Member& c = members_[o];
    const bool before = serving(o);
    c.needs_clone = false;
    c.has_data = true;
    changed(o, before, sim_.now());
  }, 0, "data/clone");
}

void LeaderFollowerService::replica_ready(std::size_t o, bool ready, sim::Time now) {
  check_ordinal(o);
  Member& m = members_[o];
  if (m.removed || m.ready == ready) return;
  const bool was = serving(o);
  m.ready = ready;
  if (!ready) {
    sim_.cancel(m.clone);
  } else if (m.needs_clone || !m.has_data) {
    start_clone(o, now);
  }
  changed(o, was, now);
}

void LeaderFollowerService::volume_lost(std::size_t o, sim::Time now) {
  check_ordinal(o);
  Member& m = members_[o];
  const bool was = serving(o);
  m.has_data = false;
  sim_.cancel(m.clone);
  // The process restarts on its new volume and clones at once.
  if (m.ready) start_clone(o, now);
  const bool anyone = std::any_of(members_.begin(), members_.end(), [](const Member& x) { return x.has_data; });
  if (!anyone && !lost_) {
    lost_ = true;
    recorder_.lose_rows(recorder_.rows());
  }
  changed(o, was, now);
}

void LeaderFollowerService::replica_added(ReplicaInfo info, sim::Time now) {
  for (std::size_t o = 0; o < replicas_.size(); ++o) {
    if (replicas_[o].pod == info.pod && members_[o].removed) {
      members_[o].removed = false;  // same pod, same volume
      publish(now);
      return;
    }
  }
  replicas_.push_back(std::move(info));
  Member m;
  m.has_data = false;  // a new pod clones from a peer before it serves
  members_.push_back(m);
  publish(now);
}

void LeaderFollowerService::replica_removed(std::size_t o, sim::Time now) {
  check_ordinal(o);
  const bool was = serving(o);
  members_[o].removed = true;
  members_[o].ready = false;
  sim_.cancel(members_[o].clone);
  changed(o, was, now);
}

sim::Duration LeaderFollowerService::startup_delay(std::size_t o) const {
  check_ordinal(o);
  return sim::Duration::zero();
}

}  // namespace azsim::data
