// SingleService: one instance on one pod and one volume (seed 004's Jenkins).
//
// Its rows are readable and writable exactly while its pod is Ready; a lost volume loses every
// row for good (there is no other copy): the instance may come back and take writes, but the
// old rows stay unreadable. There is no database-side detection or start delay: the pod's
// readiness is the whole story.
#pragma once

#include "models/data/service.hpp"

namespace azsim::data {

class SingleService final : public ServiceModel {
 public:
  SingleService(const ServiceConfig& config, std::vector<ReplicaInfo> replicas, sim::Simulation& sim);

  void replica_ready(std::size_t ordinal, bool ready, sim::Time now) override;
  void volume_lost(std::size_t ordinal, sim::Time now) override;
  /// The first added replica becomes the instance (a Deployment recreating its pod keeps the
  /// same ordinal 0; call replica_ready instead). More than one replica is a programming error.
  void replica_added(ReplicaInfo info, sim::Time now) override;
  /// The instance is gone until added again: nothing served meanwhile.
  void replica_removed(std::size_t ordinal, sim::Time now) override;
  sim::Duration startup_delay(std::size_t ordinal) const override;

 private:
  void publish(sim::Time now);

  bool ready_ = false;
  bool lost_ = false;
};

}  // namespace azsim::data
