// GaleraService: a majority-quorum cluster (Galera, seed 002; with quorum "static", an
// etcd/Raft-like fixed majority).
//
// Reads and writes need a Primary Component: a group of members that see each other and hold
// a weighted majority (pc.weight, default 1 each). The rules:
// - A member is present while its pod is Ready (a joiner still receiving its state transfer is
//   present: it counts for the quorum but does not serve).
// - Departures are noticed after galera_suspect (evs.suspect_timeout, 5 s). Members that depart
//   while a view change is pending are evicted in the same view change once they too are
//   suspected (the membership protocol needs every member of the new view to answer), so
//   failures within one suspect timeout count as simultaneous. Until the view change the group
//   cannot deliver writesets: writes stall (reads on the primary members go on).
//   galera_inactive (evs.inactive_timeout) is not used: it bounds eviction when members
//   disagree about a suspect, which pod-level inputs cannot express.
// - "dynamic" (Galera): a component is primary when its weight among the members of the LAST
//   primary component is more than half of that component's weight. So 5 members losing 3 at
//   once lose the primary, but losing them one by one (each beyond the suspect timeout) keeps
//   it (2 of the last 3). Exactly half is not a majority. A clean leave (replica_leaving: SIGTERM,
//   orderly shutdown, as on a pod deletion or scale-down; or replica_removed) is announced to the
//   group, which installs a view without the member at once: no suspicion, no write stall, and
//   the last primary component shrinks, so the remaining members keep the Primary Component
//   whatever their number (3 -> 2 -> 1 one by one). Only abrupt losses (node lost, process
//   killed: replica_ready(false)) count against the quorum. When the last member of the primary
//   component leaves cleanly the cluster is shut down in order; the next member to start
//   bootstraps it again (its grastate.dat says safe_to_bootstrap: 1). The first member ever to start bootstraps the
//   cluster alone. Once non-primary, the component becomes primary again when members of the
//   last primary component holding a majority of its weight are back together (Galera proper
//   may need all of them after a full crash, or a manual bootstrap: azsim is optimistic there).
// - "static": primary when the component holds more than half of all configured members'
//   weight.
// - Joins (a member becoming present, a healed link) take effect at once unless a view change
//   is pending, in which case they are part of it.
// - Network partitions between racks (set_link) split present members into connected
//   components of the rack graph (partition.hpp); a partitioned minority
//   refuses reads and writes.
// - A lost volume: the member, once present again, receives a state snapshot transfer
//   (stream_time) before serving. When no member holds the data any more, every row is lost.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "models/data/partition.hpp"
#include "models/data/service.hpp"

namespace azsim::data {

class GaleraService final : public ServiceModel {
 public:
  GaleraService(const ServiceConfig& config, std::vector<ReplicaInfo> replicas, sim::Simulation& sim);
  ~GaleraService() override;

  void replica_ready(std::size_t ordinal, bool ready, sim::Time now) override;
  void volume_lost(std::size_t ordinal, sim::Time now) override;
  void replica_added(ReplicaInfo info, sim::Time now) override;
  void replica_removed(std::size_t ordinal, sim::Time now) override;
  void replica_leaving(std::size_t ordinal, sim::Time now) override;
  sim::Duration startup_delay(std::size_t ordinal) const override;

  /// Cuts (connected = false) or heals the network between two racks (by rack name). A cut is
  /// noticed after the suspect timeout, a heal at once.
  void set_link(const std::string& rack_a, const std::string& rack_b, bool connected, sim::Time now);

  bool primary() const { return primary_; }
  /// Members of the current (or, when not primary, the last) primary component.
  std::vector<std::size_t> primary_members() const;
  bool view_change_pending() const { return sim_.pending(view_change_); }

 private:
  struct Member {
    bool ready = false;
    bool removed = false;
    bool has_data = true;
    sim::EventId transfer;  // state snapshot transfer in progress
    bool in_view = false;   // part of the group's current view (may be absent, awaiting eviction)
    bool in_pc = false;     // member of the last primary component
    double weight = 1.0;
  };

  bool present(std::size_t o) const { return members_[o].ready && !members_[o].removed; }
  bool serving(std::size_t o) const;
  std::vector<std::int32_t> components() const;  // per member, -1 when absent
  void depart(sim::Time now);
  void leave(std::size_t o, sim::Time now);
  void join(sim::Time now);
  void view_change(sim::Time now);
  void start_transfer(std::size_t o, sim::Time now);
  void publish(sim::Time now);

  std::vector<Member> members_;
  std::vector<std::string> racks_;      // distinct rack names
  std::vector<std::size_t> rack_of_;    // per member
  std::vector<RackLink> cut_;           // cut rack pairs (a < b), sorted
  bool static_quorum_ = false;
  bool bootstrapped_ = false;
  bool primary_ = false;
  bool lost_ = false;
  sim::Time view_change_at_;
  sim::EventId view_change_;
};

}  // namespace azsim::data
