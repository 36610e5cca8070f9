#include "models/data/single.hpp"

#include <algorithm>
#include <stdexcept>

namespace azsim::data {

SingleService::SingleService(const ServiceConfig& config, std::vector<ReplicaInfo> replicas, sim::Simulation& sim)
    : ServiceModel(config, std::move(replicas), sim, {{"INSTANCE", "INSTANCE", "INSTANCE"}}, config.rows) {
  if (replicas_.size() > 1) throw std::invalid_argument(config_.name + ": a single instance has one replica");
  publish(sim.now());
}

void SingleService::publish(sim::Time now) {
  const std::int64_t rows = recorder_.rows();
  const std::int64_t readable = ready_ && !lost_ ? rows : 0;
  const std::int64_t writable = ready_ ? rows : 0;
  recorder_.set(0, readable, writable, std::min(readable, writable), now);
  recorder_.redundancy(ready_ && !replicas_.empty() && !lost_, now);  // lost rows never come back
}

void SingleService::replica_ready(std::size_t ordinal, bool ready, sim::Time now) {
  check_ordinal(ordinal);
  if (ready_ == ready) return;
  if (!ready) recorder_.fault(ordinal, now);
  ready_ = ready;
  publish(now);
}

void SingleService::volume_lost(std::size_t ordinal, sim::Time now) {
  check_ordinal(ordinal);
  if (!lost_) recorder_.lose_rows(recorder_.rows());
  if (ready_) recorder_.fault(ordinal, now);
  lost_ = true;
  publish(now);
}

void SingleService::replica_added(ReplicaInfo info, sim::Time now) {
  if (!replicas_.empty()) {
    if (replicas_[0].pod == info.pod) return;
    throw std::invalid_argument(config_.name + ": a single instance has one replica");
  }
  replicas_.push_back(std::move(info));
  publish(now);
}

void SingleService::replica_removed(std::size_t ordinal, sim::Time now) { replica_ready(ordinal, false, now); }

sim::Duration SingleService::startup_delay(std::size_t ordinal) const {
  check_ordinal(ordinal);
  return sim::Duration::zero();
}

}  // namespace azsim::data
