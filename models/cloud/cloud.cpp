// The simulated AWS behind cloud.hpp. Everything lives in Cloud::Impl:
//   - records (InstanceRec, VolumeRec, ZoneRec, GroupRec) in std::maps keyed by id, never erased,
//     so pointers captured by scheduled events stay valid and iteration order is by id (volumes
//     also have a hash index for lookups);
//   - every instance state or impairment change goes through set_state()/set_impaired(), every
//     volume change through change_volume(): they update the record, then call the observer,
//     then let the Auto Scaling groups react;
//   - nothing polls: events are scheduled only for transitions already decided (a boot, a
//     shutdown, a health check of an impaired member, the end of an outage).
#include "models/cloud/cloud.hpp"

#include <algorithm>
#include <array>
#include <deque>
#include <functional>
#include <optional>
#include <set>
#include <stdexcept>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "sim/str_order.hpp"

namespace azsim::cloud {

namespace {

// kops-style addressing: the VPC 172.20.0.0/16 and one /19 per zone (zone k: 172.20.32(k+1).0).
constexpr std::uint32_t kSubnetSize = 8192;
// AWS reserves the first four addresses and the last one of every subnet.
constexpr std::uint32_t kFirstUsable = 4;
constexpr std::uint32_t kUsable = kSubnetSize - 5;
// Random draws before falling back to a scan for a free address (a nearly full subnet).
constexpr int kIpDrawAttempts = 32;

std::string hex17(std::uint64_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s(17, '0');
  for (int i = 16; i >= 0 && n != 0; --i, n >>= 4) s[static_cast<std::size_t>(i)] = kDigits[n & 0xf];
  return s;
}

// The address at `offset` in the /19 of zone index `zone`, as four octets.
std::array<std::uint32_t, 4> ip_octets(std::size_t zone, std::uint32_t offset) {
  const auto subnet = static_cast<std::uint32_t>(zone) + 1;  // 172.20.0.0/19 is left free, as kops does
  const std::uint32_t second = 20 + subnet / 8;
  const std::uint32_t third = (subnet % 8) * 32 + offset / 256;
  return {172, second, third, offset % 256};
}

std::string dotted(const std::array<std::uint32_t, 4>& o, char sep) {
  std::string s;
  for (std::size_t i = 0; i < 4; ++i) {
    if (i != 0) s += sep;
    s += std::to_string(o[i]);
  }
  return s;
}

std::string hostname_for(const std::array<std::uint32_t, 4>& o, const std::string& region) {
  // us-east-1 kept the original EC2 domain; every other region uses <region>.compute.internal.
  const std::string domain = region == "us-east-1" ? "ec2.internal" : region + ".compute.internal";
  return "ip-" + dotted(o, '-') + "." + domain;
}

bool running_or_pending(InstanceState s) { return s == InstanceState::Pending || s == InstanceState::Running; }

// --- Messages, worded as the EC2 API words its errors -------------------------------------------

std::string insufficient_capacity(const std::string& type, const std::string& zone) {
  return std::string(kReasonInsufficientCapacity) + ": We currently do not have sufficient " + type +
         " capacity in the Availability Zone you requested (" + zone + ").";
}
std::string no_free_addresses(const std::string& zone) {
  return std::string(kReasonNoFreeAddresses) + ": There are not enough free addresses in the subnet of " + zone +
         " to satisfy the requested number of instances.";
}

}  // namespace

const char* to_string(InstanceState s) {
  switch (s) {
    case InstanceState::Pending: return "pending";
    case InstanceState::Running: return "running";
    case InstanceState::Stopping: return "stopping";
    case InstanceState::Stopped: return "stopped";
    case InstanceState::ShuttingDown: return "shutting-down";
    case InstanceState::Terminated: return "terminated";
  }
  return "unknown";
}

const char* to_string(VolumeState s) {
  switch (s) {
    case VolumeState::Creating: return "creating";
    case VolumeState::Available: return "available";
    case VolumeState::InUse: return "in-use";
    case VolumeState::Deleting: return "deleting";
    case VolumeState::Deleted: return "deleted";
    case VolumeState::Error: return "error";
  }
  return "unknown";
}

const char* to_string(AttachState s) {
  switch (s) {
    case AttachState::Detached: return "detached";
    case AttachState::Attaching: return "attaching";
    case AttachState::Attached: return "attached";
    case AttachState::Detaching: return "detaching";
  }
  return "unknown";
}

struct Cloud::Impl {
  struct GroupRec;

  struct InstanceRec {
    Instance pub;
    std::size_t zone = 0;               // index in the region's zones
    std::uint32_t ip_offset = 0;        // in the zone's subnet
    GroupRec* group = nullptr;
    std::size_t group_zone = 0;         // index in group->zones
    sim::EventId transition;            // the pending Running / Stopped / Terminated step
    sim::EventId health_check;          // the group's pending look at this member
    sim::Time health_check_at;
    bool boot_blocked = false;          // its boot finished while impaired: waits for recovery
    bool hw_impaired = false;           // impair_instance(), independent of zone outages
    bool out_of_service = false;        // its group no longer counts it (being replaced or removed)
    bool rebalance = false;             // an AZRebalance launch whose matching termination is due
    std::set<std::string> volumes;      // volumes attaching, attached or detaching here
  };

  struct VolumeRec {
    Volume pub;
    std::size_t zone = 0;
    sim::EventId op;  // the pending end of create / attach / detach / delete
    std::function<void(const Volume&)> create_done;
    std::function<void(bool, const std::string&)> attach_done;
    std::vector<std::function<void()>> detach_waiters;
    bool create_blocked = false;    // creation finished while the zone was out
    bool delete_requested = false;  // delete once detached / created
  };

  struct ZoneRec {
    sim::RandomStream ip_rng;
    std::vector<bool> ip_used;             // ever handed out, by subnet offset
    std::uint32_t ip_used_count = 0;
    std::deque<std::uint32_t> ip_released; // offsets of terminated instances, reused only when full
    std::set<std::string> live;            // instances not yet terminated
    sim::EventId outage_end;
    sim::Time outage_until;
  };

  struct GroupRec {
    GroupSpec spec;
    std::vector<std::size_t> zones;        // region zone index of each group zone
    std::vector<std::int32_t> counts;      // in-service members per group zone
    std::map<std::string, InstanceRec*> members;  // until terminated and out of service
    std::int32_t surplus = 0;              // AZRebalance launches not yet matched by a termination
    bool reconciling = false;
    bool retry_pending = false;            // the last launch attempt failed (balanced-only or no zone up)
    sim::Time retry_anchor;                // when the current run of failures began
    sim::EventId retry_event;
  };

  Impl(sim::Simulation& s, sim::RandomStream rng, CloudParams p, std::string r, std::vector<std::string> zone_names)
      : sim(s), launch_rng(sim::StreamKey{}), ebs_rng(sim::StreamKey{}), tie_rng(sim::StreamKey{}), params(std::move(p)),
        region(std::move(r)) {
    if (zone_names.empty()) throw std::invalid_argument("cloud: a region needs at least one zone");
    for (auto& name : zone_names) {
      if (name.empty()) throw std::invalid_argument("cloud: empty zone name");
      if (!zone_index.emplace(name, zone_states.size()).second)
        throw std::invalid_argument("cloud: zone " + name + " listed twice");
      zone_states.push_back(ZoneState{name, false});
      zone_recs.push_back(ZoneRec{sim::RandomStream(sim::StreamKey{}), std::vector<bool>(kSubnetSize, false), 0, {}, {}, {}, {}});
    }
    reseed(rng);
  }

  /// Every stream of the cloud, fresh from root `rng` (addresses in use stay in use).
  void reseed(const sim::RandomStream& rng) {
    launch_rng = rng.child("launch");
    ebs_rng = rng.child("ebs");
    tie_rng = rng.child("az-tie");
    const sim::RandomStream ip_root = rng.child("ip");
    for (std::size_t z = 0; z < zone_recs.size(); ++z) zone_recs[z].ip_rng = ip_root.child(zone_states[z].name);
  }

  ~Impl() {
    // Scheduled events capture this Impl; the Simulation may run on after the Cloud is gone.
    for (auto& [id, r] : instances) {
      sim.cancel(r.transition);
      sim.cancel(r.health_check);
    }
    for (auto& [id, v] : volumes) sim.cancel(v.op);
    for (auto& z : zone_recs) sim.cancel(z.outage_end);
    for (auto& [name, g] : groups) sim.cancel(g.retry_event);
  }

  sim::Simulation& sim;
  sim::RandomStream launch_rng;
  sim::RandomStream ebs_rng;
  sim::RandomStream tie_rng;  // AzTieBreak::Random draws
  CloudParams params;
  std::string region;
  std::vector<ZoneState> zone_states;
  std::vector<ZoneRec> zone_recs;
  std::map<std::string, std::size_t> zone_index;
  std::map<std::string, InstanceRec, sim::StrLess> instances;
  std::map<std::string, VolumeRec, sim::StrLess> volumes;
  /// The volumes by id, hashed: the controllers look volumes up on every pass, and the map
  /// above keeps the id order that iteration (and so output) needs. The keys view the map's
  /// own keys, which never move (records are never erased).
  std::unordered_map<std::string_view, VolumeRec*, std::hash<std::string_view>, sim::StrEqual> volume_by_id;
  std::map<std::string, GroupRec> groups;
  std::uint64_t next_instance = 1;
  std::uint64_t next_volume = 1;
  CloudObserver observer;

  // --- Lookups ---------------------------------------------------------------------------------

  std::size_t zone_of(const std::string& zone) const {
    const auto it = zone_index.find(zone);
    if (it == zone_index.end()) throw std::invalid_argument("cloud: unknown zone " + zone + " in region " + region);
    return it->second;
  }
  InstanceRec& inst(const std::string& id) {
    const auto it = instances.find(id);
    if (it == instances.end()) throw std::invalid_argument("cloud: unknown instance " + id);
    return it->second;
  }
  VolumeRec* find_volume(std::string_view id) const {
    const auto it = volume_by_id.find(id);
    return it == volume_by_id.end() ? nullptr : it->second;
  }
  VolumeRec& vol(const std::string& id) {
    VolumeRec* v = find_volume(id);
    if (v == nullptr) throw std::invalid_argument("cloud: unknown volume " + id);
    return *v;
  }
  VolumeRec& new_volume_rec(const std::string& id) {
    const auto [it, inserted] = volumes.try_emplace(id);
    if (inserted) volume_by_id.emplace(it->first, &it->second);
    return it->second;
  }
  bool out(std::size_t zone) const { return zone_states[zone].out; }

  // --- The one place for instance changes ---------------------------------------------------

  void set_state(InstanceRec& r, InstanceState s) {
    const InstanceState old = r.pub.state;
    if (old == s) return;
    r.pub.state = s;
    if (s == InstanceState::Terminated) {
      ZoneRec& z = zone_recs[r.zone];
      z.live.erase(r.pub.id);
      z.ip_released.push_back(r.ip_offset);
    }
    if (observer.instance_state) observer.instance_state(r.pub, old);
    after_instance_change(r);
  }

  /// Impaired = its zone is out (while Pending/Running when the outage began) or impair_instance.
  void set_impaired(InstanceRec& r, bool impaired) {
    if (r.pub.impaired == impaired) return;
    r.pub.impaired = impaired;
    if (observer.instance_reachability) observer.instance_reachability(r.pub, impaired);
    if (!impaired && r.boot_blocked && r.pub.state == InstanceState::Pending) {
      // The boot could not finish while impaired; it starts over now.
      r.boot_blocked = false;
      schedule_boot(r);
    }
    after_instance_change(r);
  }

  /// The group's reaction to a member's change: health checks, AZRebalance follow-up, cleanup.
  void after_instance_change(InstanceRec& r) {
    GroupRec* g = r.group;
    if (g == nullptr) return;
    if (r.out_of_service) {
      if (r.pub.state == InstanceState::Terminated) g->members.erase(r.pub.id);
      return;
    }
    update_health_check(r);
    if (r.rebalance && r.pub.state == InstanceState::Running) {
      // The replacement is up: now the group may terminate one in an over-represented zone.
      r.rebalance = false;
      --g->surplus;
      reconcile(*g);
    }
  }

  // --- EC2 ---------------------------------------------------------------------------------------

  void launch_failed(const GroupRec* g, std::size_t zone, const std::string& reason) {
    if (observer.launch_failed) observer.launch_failed(g ? g->spec.name : std::string(), zone_states[zone].name, reason);
  }

  /// A fresh private address in the zone's subnet: random while unused ones remain (a scan if
  /// the draws keep hitting used ones), then the oldest released one; nullopt when all are taken.
  std::optional<std::uint32_t> allocate_ip(ZoneRec& z) {
    if (z.ip_used_count < kUsable) {
      std::uint32_t offset = 0;
      bool found = false;
      for (int i = 0; i < kIpDrawAttempts && !found; ++i) {
        offset = kFirstUsable + static_cast<std::uint32_t>(z.ip_rng.uniform_index(kUsable));
        found = !z.ip_used[offset];
      }
      for (std::uint32_t k = 0; !found && k < kUsable; ++k) {
        offset = kFirstUsable + (offset - kFirstUsable + 1) % kUsable;
        found = !z.ip_used[offset];
      }
      z.ip_used[offset] = true;
      ++z.ip_used_count;
      return offset;
    }
    if (z.ip_released.empty()) return std::nullopt;
    const std::uint32_t offset = z.ip_released.front();
    z.ip_released.pop_front();
    return offset;
  }

  /// Launches one instance (Pending now), or reports the failure and returns nullptr.
  InstanceRec* launch(const std::string& type, std::size_t zone, GroupRec* g, std::size_t group_zone, bool rebalance) {
    if (out(zone)) {
      launch_failed(g, zone, insufficient_capacity(type, zone_states[zone].name));
      return nullptr;
    }
    ZoneRec& z = zone_recs[zone];
    const auto offset = allocate_ip(z);
    if (!offset) {
      launch_failed(g, zone, no_free_addresses(zone_states[zone].name));
      return nullptr;
    }
    const std::string id = "i-" + hex17(next_instance++);
    InstanceRec& r = instances[id];
    r.zone = zone;
    r.ip_offset = *offset;
    r.pub.id = id;
    r.pub.type = type;
    r.pub.zone = zone_states[zone].name;
    r.pub.state = InstanceState::Pending;
    const auto octets = ip_octets(zone, *offset);
    r.pub.private_ip = dotted(octets, '.');
    r.pub.hostname = hostname_for(octets, region);
    r.pub.launch_time = sim.now();
    z.live.insert(id);
    if (g != nullptr) {
      r.group = g;
      r.group_zone = group_zone;
      r.rebalance = rebalance;
      r.pub.group = g->spec.name;
      g->members.emplace(id, &r);
      ++g->counts[group_zone];
      if (rebalance) ++g->surplus;
    }
    if (observer.instance_state) observer.instance_state(r.pub, InstanceState::Pending);
    if (r.pub.state == InstanceState::Pending) schedule_boot(r);  // unless an observer moved it on
    return &r;
  }

  void schedule_boot(InstanceRec& r) {
    sim.cancel(r.transition);
    r.transition = sim.after(sample(params.launch_to_ready, launch_rng), [this, rp = &r] { boot_done(*rp); }, 0,
                             "cloud/instance-ready");
  }

  void boot_done(InstanceRec& r) {
    r.transition = {};
    if (r.pub.state != InstanceState::Pending) return;
    if (r.pub.impaired) {
      r.boot_blocked = true;  // set_impaired(false) restarts the boot
      return;
    }
    set_state(r, InstanceState::Running);
  }

  void terminate(InstanceRec& r) {
    if (r.pub.state == InstanceState::ShuttingDown || r.pub.state == InstanceState::Terminated) return;
    sim.cancel(r.transition);
    r.transition = {};
    r.boot_blocked = false;
    set_state(r, InstanceState::ShuttingDown);
    if (r.pub.state != InstanceState::ShuttingDown) return;  // an observer moved it on
    r.transition = sim.after(kShuttingDownDuration, [this, rp = &r] {
      rp->transition = {};
      set_state(*rp, InstanceState::Terminated);
    }, 0, "cloud/instance-terminated");
    // EBS detaches the volumes of a terminated instance by itself.
    const std::vector<std::string> attached(r.volumes.begin(), r.volumes.end());
    for (const auto& vid : attached) {
      VolumeRec& v = vol(vid);
      if (v.pub.attach_state != AttachState::Attaching && v.pub.attach_state != AttachState::Attached) continue;
      auto interrupted = cut_attach(v);
      start_detach(v, params.terminate_detach_delay);
      if (interrupted) interrupted(false, "IncorrectState: instance " + r.pub.id + " is shutting down");
    }
  }

  void stop(InstanceRec& r) {
    if (!running_or_pending(r.pub.state)) return;
    sim.cancel(r.transition);
    r.transition = {};
    r.boot_blocked = false;
    set_state(r, InstanceState::Stopping);
    if (r.pub.state != InstanceState::Stopping) return;
    r.transition = sim.after(kStoppingDuration, [this, rp = &r] {
      rp->transition = {};
      set_state(*rp, InstanceState::Stopped);
    }, 0, "cloud/instance-stopped");
  }

  void start(InstanceRec& r) {
    if (r.pub.state != InstanceState::Stopped) return;
    if (out(r.zone)) {
      launch_failed(r.group, r.zone, insufficient_capacity(r.pub.type, r.pub.zone));
      return;
    }
    r.hw_impaired = false;  // a stop/start moves the instance to other hardware
    set_impaired(r, false);
    r.pub.launch_time = sim.now();
    set_state(r, InstanceState::Pending);
    if (r.pub.state == InstanceState::Pending) schedule_boot(r);
  }

  // --- Auto Scaling ----------------------------------------------------------------------------

  /// Schedules (or cancels) the group's look at member `r`: kAsgStateCheckDelay after it leaves
  /// the running state; ec2_status_check_delay after an impairment, not before its grace period
  /// ends. An earlier pending check is kept.
  void update_health_check(InstanceRec& r) {
    std::optional<sim::Time> when;
    if (!running_or_pending(r.pub.state)) {
      when = sim.now() + kAsgStateCheckDelay;
    } else if (r.pub.impaired) {
      const sim::Duration grace = r.group->spec.health_check_grace_period.value_or(params.asg_health_check_grace_period);
      when = std::max(sim.now() + params.ec2_status_check_delay, r.pub.launch_time + grace);
    }
    if (!when) {
      sim.cancel(r.health_check);
      r.health_check = {};
      return;
    }
    if (sim.pending(r.health_check) && r.health_check_at <= *when) return;
    sim.cancel(r.health_check);
    r.health_check_at = *when;
    r.health_check = sim.at(*when, [this, rp = &r] { health_check(*rp); }, 0, "cloud/asg-health-check");
  }

  void health_check(InstanceRec& r) {
    r.health_check = {};
    GroupRec* g = r.group;
    if (g == nullptr || r.out_of_service) return;
    if (running_or_pending(r.pub.state) && !r.pub.impaired) return;
    // Unhealthy: the group terminates it, then launches a replacement.
    remove_from_service(*g, r);
    terminate(r);
    reconcile(*g);
  }

  void remove_from_service(GroupRec& g, InstanceRec& r) {
    if (r.out_of_service) return;
    r.out_of_service = true;
    --g.counts[r.group_zone];
    if (r.rebalance) {
      r.rebalance = false;
      --g.surplus;
    }
    sim.cancel(r.health_check);
    r.health_check = {};
    if (r.pub.state == InstanceState::Terminated) g.members.erase(r.pub.id);
  }

  /// The group zone (index in g.zones) with the fewest (or most) in-service members among
  /// `eligible` zones; nullopt when none is eligible. Ties go to the first in the group's order,
  /// or to one drawn from the "az-tie" stream (AzTieBreak::Random; a draw only when there is a tie).
  template <class Eligible>
  std::optional<std::size_t> pick_zone(const GroupRec& g, bool fewest, Eligible eligible) {
    std::vector<std::size_t> best;
    for (std::size_t i = 0; i < g.zones.size(); ++i) {
      if (!eligible(i)) continue;
      if (!best.empty() && g.counts[i] == g.counts[best.front()]) {
        best.push_back(i);
      } else if (best.empty() || (fewest ? g.counts[i] < g.counts[best.front()] : g.counts[i] > g.counts[best.front()])) {
        best.assign(1, i);
      }
    }
    if (best.empty()) return std::nullopt;
    if (best.size() == 1 || g.spec.az_tie_break.value_or(params.az_tie_break) == AzTieBreak::ZoneOrder) return best.front();
    return best[static_cast<std::size_t>(tie_rng.uniform_index(best.size()))];
  }

  /// Where the next launch goes, reporting the failed attempt when the balanced choice is out.
  std::optional<std::size_t> launch_zone(GroupRec& g) {
    const auto balanced = pick_zone(g, true, [](std::size_t) { return true; });
    if (!out(g.zones[*balanced])) return balanced;
    launch_failed(&g, g.zones[*balanced], insufficient_capacity(g.spec.instance_type, zone_states[g.zones[*balanced]].name));
    if (g.spec.az_distribution == AzDistribution::BalancedOnly) return std::nullopt;
    return pick_zone(g, true, [&](std::size_t i) { return !out(g.zones[i]); });
  }

  bool scale_in_one(GroupRec& g) {
    const auto zone = pick_zone(g, false, [&](std::size_t i) { return g.counts[i] > 0; });
    if (!zone) return false;
    for (auto it = g.members.rbegin(); it != g.members.rend(); ++it) {  // newest first
      InstanceRec& r = *it->second;
      if (r.out_of_service || r.group_zone != *zone) continue;
      remove_from_service(g, r);
      terminate(r);
      return true;
    }
    return false;
  }

  /// One AZRebalance step: launch in the least-populated up zone when it has at least 2 fewer
  /// members than the most-populated up zone, within the max_size + 10 % allowance.
  bool rebalance_one(GroupRec& g, std::int32_t in_service) {
    const std::int32_t allowance = std::max<std::int32_t>(1, g.spec.max_size / 10);
    if (in_service + 1 > g.spec.max_size + allowance) return false;
    const auto up = [&](std::size_t i) { return !out(g.zones[i]); };
    const auto low = pick_zone(g, true, up);
    const auto high = pick_zone(g, false, up);
    if (!low || g.counts[*high] - g.counts[*low] < 2) return false;
    return launch(g.spec.instance_type, g.zones[*low], &g, *low, true) != nullptr;
  }

  /// Launches the group's first instances where spec.initial_placement says, up to desired;
  /// reconcile() then launches any remainder balanced. A zone that is out fails its launches
  /// (reported as usual) and reconcile() places them elsewhere.
  void place_initial(GroupRec& g) {
    std::int32_t left = g.spec.desired;
    for (const auto& [zone, count] : g.spec.initial_placement) {
      const std::size_t zi = zone_of(zone);
      const auto gz = static_cast<std::size_t>(std::find(g.zones.begin(), g.zones.end(), zi) - g.zones.begin());
      for (std::int32_t k = 0; k < count && left > 0; ++k, --left) launch(g.spec.instance_type, zi, &g, gz, false);
    }
  }

  /// Brings the group to desired (+ rebalance surplus) in-service members, then rebalances.
  /// Re-entrant calls (from observers) are folded into the running one.
  void reconcile(GroupRec& g) {
    if (g.reconciling) return;  // the running loop re-reads the counts after every step
    g.reconciling = true;
    bool failed = false;
    for (;;) {
      std::int32_t in_service = 0;
      for (auto c : g.counts) in_service += c;
      const std::int32_t target = g.spec.desired + g.surplus;
      if (in_service < target) {
        const auto zone = launch_zone(g);
        if (!zone || launch(g.spec.instance_type, g.zones[*zone], &g, *zone, false) == nullptr) {
          failed = true;
          break;
        }
        continue;
      }
      if (in_service > target) {
        if (!scale_in_one(g)) break;
        continue;
      }
      if (!rebalance_one(g, in_service)) break;
    }
    g.reconciling = false;
    if (!failed) {
      g.retry_pending = false;
    } else if (!g.retry_pending) {
      g.retry_pending = true;
      g.retry_anchor = sim.now();
    }
  }

  /// After a zone recovers: a group whose launches were failing retries at its next retry tick;
  /// any other group reconciles (AZRebalance) at once.
  void zone_recovered(GroupRec& g) {
    if (!g.retry_pending) {
      reconcile(g);
      return;
    }
    if (sim.pending(g.retry_event)) return;
    const std::int64_t period = kAsgLaunchRetryInterval.us();
    const std::int64_t waited = (sim.now() - g.retry_anchor).us();
    const std::int64_t ticks = (waited + period - 1) / period;
    g.retry_event = sim.at(g.retry_anchor + sim::Duration::micros(ticks * period), [this, gp = &g] {
      gp->retry_event = {};
      reconcile(*gp);
    }, 0, "cloud/asg-launch-retry");
  }

  // --- Zones -----------------------------------------------------------------------------------

  void outage_begin(std::size_t zone) {
    zone_states[zone].out = true;
    ZoneRec& z = zone_recs[zone];
    const std::vector<std::string> live(z.live.begin(), z.live.end());
    for (const auto& id : live) {
      InstanceRec& r = instances.at(id);
      if (running_or_pending(r.pub.state)) set_impaired(r, true);
    }
    for (auto& [id, v] : volumes)
      if (v.zone == zone && v.pub.state != VolumeState::Deleted)
        change_volume(v, [](Volume& p) { p.impaired = true; });
  }

  void outage_end(std::size_t zone) {
    ZoneRec& z = zone_recs[zone];
    sim.cancel(z.outage_end);
    z.outage_end = {};
    if (!zone_states[zone].out) return;
    zone_states[zone].out = false;
    const std::vector<std::string> live(z.live.begin(), z.live.end());
    for (const auto& id : live) {
      InstanceRec& r = instances.at(id);
      set_impaired(r, r.hw_impaired);
    }
    for (auto& [id, v] : volumes) {
      if (v.zone != zone) continue;
      if (v.pub.impaired) change_volume(v, [](Volume& p) { p.impaired = false; });
      if (v.create_blocked) {
        v.create_blocked = false;
        create_finished(v);
      }
    }
    for (auto& [name, g] : groups)
      if (std::find(g.zones.begin(), g.zones.end(), zone) != g.zones.end()) zone_recovered(g);
  }

  // --- EBS -------------------------------------------------------------------------------------

  template <class Mutate>
  void change_volume(VolumeRec& v, Mutate mutate) {
    mutate(v.pub);
    if (observer.volume_changed) observer.volume_changed(v.pub);
  }

  std::string new_volume_id() {
    for (;;) {
      std::string id = "vol-" + hex17(next_volume++);
      if (find_volume(id) == nullptr) return id;
    }
  }

  void create_finished(VolumeRec& v) {
    v.op = {};
    if (v.pub.state != VolumeState::Creating) return;
    if (out(v.zone)) {
      v.create_blocked = true;  // completes when the zone recovers
      return;
    }
    change_volume(v, [](Volume& p) { p.state = VolumeState::Available; });
    finish_create(v);
    if (v.delete_requested) start_delete(v);
  }

  void finish_create(VolumeRec& v) {
    auto done = std::move(v.create_done);
    v.create_done = nullptr;
    if (done) done(v.pub);
  }

  std::string attach_error(const std::string& volume_id, const std::string& instance_id) const {
    const VolumeRec* vr = find_volume(volume_id);
    if (vr == nullptr) return "InvalidVolume.NotFound: The volume '" + volume_id + "' does not exist.";
    const auto iit = instances.find(instance_id);
    if (iit == instances.end()) return "InvalidInstanceID.NotFound: The instance ID '" + instance_id + "' does not exist";
    const Volume& v = vr->pub;
    const Instance& i = iit->second.pub;
    if (v.attach_state != AttachState::Detached) return "VolumeInUse: " + v.id + " is already attached to an instance";
    if (v.state != VolumeState::Available)
      return "IncorrectState: " + v.id + " is '" + to_string(v.state) + "', not 'available'";
    if (v.zone != i.zone)
      return "InvalidVolume.ZoneMismatch: The volume '" + v.id + "' is not in the same availability zone as instance '" +
             i.id + "'";
    if (i.state != InstanceState::Running)
      return "IncorrectInstanceState: Instance '" + i.id + "' is '" + to_string(i.state) + "', not 'running'";
    if (v.impaired) return "Unavailable: " + v.id + " is impaired (" + v.zone + " is unavailable)";
    if (i.impaired) return "Unavailable: instance '" + i.id + "' is impaired (status checks failing)";
    return {};
  }

  /// Cancels a pending attach and hands back its callback, to be run once the state is settled.
  std::function<void(bool, const std::string&)> cut_attach(VolumeRec& v) {
    if (v.pub.attach_state != AttachState::Attaching) return nullptr;
    sim.cancel(v.op);
    v.op = {};
    auto done = std::move(v.attach_done);
    v.attach_done = nullptr;
    return done;
  }

  void start_detach(VolumeRec& v, sim::Duration delay) {
    sim.cancel(v.op);
    change_volume(v, [](Volume& p) { p.attach_state = AttachState::Detaching; });
    v.op = sim.after(delay, [this, vp = &v] { detach_finished(*vp); }, 0, "cloud/volume-detached");
  }

  void detach_finished(VolumeRec& v) {
    v.op = {};
    if (v.pub.attach_state != AttachState::Detaching) return;
    if (auto it = instances.find(v.pub.attached_to); it != instances.end()) it->second.volumes.erase(v.pub.id);
    change_volume(v, [](Volume& p) {
      p.attach_state = AttachState::Detached;
      p.attached_to.clear();
      if (p.state == VolumeState::InUse) p.state = VolumeState::Available;
    });
    auto waiters = std::move(v.detach_waiters);
    v.detach_waiters.clear();
    for (auto& w : waiters)
      if (w) w();
    if (v.delete_requested && v.pub.attach_state == AttachState::Detached) start_delete(v);
  }

  void start_delete(VolumeRec& v) {
    v.delete_requested = false;
    change_volume(v, [](Volume& p) { p.state = VolumeState::Deleting; });
    v.op = sim.after(kVolumeDeleteDuration, [this, vp = &v] {
      vp->op = {};
      change_volume(*vp, [](Volume& p) { p.state = VolumeState::Deleted; });
    }, 0, "cloud/volume-deleted");
  }
};

// --- Cloud: argument checks and forwarding ----------------------------------------------------

Cloud::Cloud(sim::Simulation& sim, sim::RandomStream rng, CloudParams params, std::string region,
             std::vector<std::string> zones)
    : impl_(std::make_unique<Impl>(sim, rng, std::move(params), std::move(region), std::move(zones))) {}

Cloud::~Cloud() = default;

void Cloud::reseed(const sim::RandomStream& rng) { impl_->reseed(rng); }

void Cloud::set_observer(CloudObserver o) { impl_->observer = std::move(o); }
const CloudParams& Cloud::params() const { return impl_->params; }
const std::string& Cloud::region() const { return impl_->region; }
const std::vector<ZoneState>& Cloud::zones() const { return impl_->zone_states; }
bool Cloud::zone_out(const std::string& zone) const { return impl_->out(impl_->zone_of(zone)); }

std::vector<const Instance*> Cloud::instances() const {
  std::vector<const Instance*> out;
  out.reserve(impl_->instances.size());
  for (const auto& [id, r] : impl_->instances) out.push_back(&r.pub);
  return out;
}

const Instance* Cloud::instance(const std::string& id) const {
  const auto it = impl_->instances.find(id);
  return it == impl_->instances.end() ? nullptr : &it->second.pub;
}

std::string Cloud::launch_instance(const std::string& type, const std::string& zone) {
  if (!find_instance_type(type)) throw std::invalid_argument("cloud: unknown instance type " + type);
  const auto* r = impl_->launch(type, impl_->zone_of(zone), nullptr, 0, false);
  return r ? r->pub.id : std::string();
}

void Cloud::terminate_instance(const std::string& id) { impl_->terminate(impl_->inst(id)); }
void Cloud::stop_instance(const std::string& id) { impl_->stop(impl_->inst(id)); }
void Cloud::start_instance(const std::string& id) { impl_->start(impl_->inst(id)); }

void Cloud::impair_instance(const std::string& id, bool impaired) {
  auto& r = impl_->inst(id);
  if (r.pub.state == InstanceState::Terminated) return;
  r.hw_impaired = impaired;
  impl_->set_impaired(r, impaired || (impl_->out(r.zone) && r.pub.impaired));
}

void Cloud::add_group(GroupSpec spec) {
  if (spec.name.empty()) throw std::invalid_argument("cloud: Auto Scaling group without a name");
  if (impl_->groups.count(spec.name) != 0) throw std::invalid_argument("cloud: Auto Scaling group " + spec.name + " exists");
  if (!find_instance_type(spec.instance_type))
    throw std::invalid_argument("cloud: group " + spec.name + ": unknown instance type " + spec.instance_type);
  if (spec.zones.empty()) throw std::invalid_argument("cloud: group " + spec.name + " has no zones");
  if (spec.min_size < 0 || spec.min_size > spec.max_size)
    throw std::invalid_argument("cloud: group " + spec.name + ": need 0 <= minSize <= maxSize");
  Impl::GroupRec g;
  for (const auto& z : spec.zones) {
    const std::size_t zi = impl_->zone_of(z);
    if (std::find(g.zones.begin(), g.zones.end(), zi) != g.zones.end())
      throw std::invalid_argument("cloud: group " + spec.name + " lists zone " + z + " twice");
    g.zones.push_back(zi);
  }
  g.counts.assign(g.zones.size(), 0);
  spec.desired = std::clamp(spec.desired, spec.min_size, spec.max_size);
  if (!spec.health_check_grace_period) spec.health_check_grace_period = impl_->params.asg_health_check_grace_period;
  if (!spec.az_distribution) spec.az_distribution = impl_->params.az_distribution;
  if (!spec.az_tie_break) spec.az_tie_break = impl_->params.az_tie_break;
  for (const auto& [zone, count] : spec.initial_placement) {
    if (std::find(spec.zones.begin(), spec.zones.end(), zone) == spec.zones.end())
      throw std::invalid_argument("cloud: group " + spec.name + ": initial placement zone " + zone + " is not a group zone");
    if (count < 0) throw std::invalid_argument("cloud: group " + spec.name + ": negative initial placement in " + zone);
  }
  const std::string name = spec.name;
  g.spec = std::move(spec);
  auto& stored = impl_->groups.emplace(name, std::move(g)).first->second;
  impl_->place_initial(stored);
  impl_->reconcile(stored);
}

const GroupSpec* Cloud::group(const std::string& name) const {
  const auto it = impl_->groups.find(name);
  return it == impl_->groups.end() ? nullptr : &it->second.spec;
}

std::vector<std::string> Cloud::group_names() const {
  std::vector<std::string> out;
  for (const auto& [name, g] : impl_->groups) out.push_back(name);
  return out;
}

void Cloud::set_desired_capacity(const std::string& group, std::int32_t desired) {
  const auto it = impl_->groups.find(group);
  if (it == impl_->groups.end()) throw std::invalid_argument("cloud: unknown Auto Scaling group " + group);
  auto& g = it->second;
  g.spec.desired = std::clamp(desired, g.spec.min_size, g.spec.max_size);
  impl_->reconcile(g);
}

std::vector<const Instance*> Cloud::group_instances(const std::string& group) const {
  const auto it = impl_->groups.find(group);
  if (it == impl_->groups.end()) throw std::invalid_argument("cloud: unknown Auto Scaling group " + group);
  std::vector<const Instance*> out;
  for (const auto& [id, r] : it->second.members)
    if (!r->out_of_service && running_or_pending(r->pub.state)) out.push_back(&r->pub);
  return out;
}

void Cloud::start_zone_outage(const std::string& zone, std::optional<sim::Duration> duration) {
  const std::size_t zi = impl_->zone_of(zone);
  auto& z = impl_->zone_recs[zi];
  auto& sim = impl_->sim;
  const sim::Time until = duration ? sim.now() + *duration : sim::Time::infinity();
  const bool already = impl_->out(zi);
  // Overlapping outages: the zone comes back at the latest of the requested ends.
  if (already && z.outage_until >= until) return;
  z.outage_until = until;
  sim.cancel(z.outage_end);
  z.outage_end = {};
  if (!until.is_infinite())
    z.outage_end = sim.at(until, [impl = impl_.get(), zi] { impl->outage_end(zi); }, 0, "cloud/zone-outage-end");
  if (!already) impl_->outage_begin(zi);
}

void Cloud::end_zone_outage(const std::string& zone) { impl_->outage_end(impl_->zone_of(zone)); }

void Cloud::add_existing_volume(Volume v) {
  if (v.id.empty()) throw std::invalid_argument("cloud: volume without an id");
  if (impl_->find_volume(v.id) != nullptr) throw std::invalid_argument("cloud: volume " + v.id + " exists");
  const std::size_t zi = impl_->zone_of(v.zone);
  if (!v.attached_to.empty() || v.attach_state != AttachState::Detached)
    throw std::invalid_argument("cloud: volume " + v.id + ": a declared volume starts detached");
  if (v.state != VolumeState::Available && v.state != VolumeState::Error)
    throw std::invalid_argument("cloud: volume " + v.id + ": a declared volume is available or error");
  v.impaired = impl_->out(zi);
  const std::string id = v.id;
  auto& rec = impl_->new_volume_rec(id);
  rec.zone = zi;
  impl_->change_volume(rec, [&](Volume& p) { p = std::move(v); });
}

std::string Cloud::create_volume(const std::string& zone, std::int64_t size_gib, const std::string& type,
                                 std::function<void(const Volume&)> done) {
  const std::size_t zi = impl_->zone_of(zone);
  const std::string id = impl_->new_volume_id();
  auto& v = impl_->new_volume_rec(id);
  v.zone = zi;
  v.create_done = std::move(done);
  impl_->change_volume(v, [&](Volume& p) {
    p.id = id;
    p.zone = zone;
    p.size_gib = size_gib;
    p.type = type;
    p.state = VolumeState::Creating;
    p.impaired = impl_->out(zi);
  });
  v.op = impl_->sim.after(sample(impl_->params.ebs_create_latency, impl_->ebs_rng),
                          [impl = impl_.get(), vp = &v] { impl->create_finished(*vp); }, 0, "cloud/volume-created");
  return id;
}

std::string Cloud::create_volume_now(const std::string& zone, std::int64_t size_gib, const std::string& type) {
  const std::size_t zi = impl_->zone_of(zone);
  const std::string id = impl_->new_volume_id();
  auto& v = impl_->new_volume_rec(id);
  v.zone = zi;
  impl_->change_volume(v, [&](Volume& p) {
    p.id = id;
    p.zone = zone;
    p.size_gib = size_gib;
    p.type = type;
    p.state = VolumeState::Available;
    p.impaired = impl_->out(zi);
  });
  return id;
}

const Volume* Cloud::volume(const std::string& id) const {
  const Impl::VolumeRec* v = impl_->find_volume(id);
  return v == nullptr ? nullptr : &v->pub;
}

std::vector<const Volume*> Cloud::volumes() const {
  std::vector<const Volume*> out;
  out.reserve(impl_->volumes.size());
  for (const auto& [id, v] : impl_->volumes) out.push_back(&v.pub);
  return out;
}

std::string Cloud::attach_error(const std::string& volume_id, const std::string& instance_id) const {
  return impl_->attach_error(volume_id, instance_id);
}

void Cloud::attach_volume(const std::string& volume_id, const std::string& instance_id,
                          std::function<void(bool ok, const std::string& error)> done) {
  const std::string error = impl_->attach_error(volume_id, instance_id);
  if (!error.empty()) {
    if (done) done(false, error);
    return;
  }
  auto& v = impl_->vol(volume_id);
  impl_->instances.at(instance_id).volumes.insert(volume_id);
  v.attach_done = std::move(done);
  impl_->change_volume(v, [&](Volume& p) {
    p.attach_state = AttachState::Attaching;
    p.attached_to = instance_id;
    p.state = VolumeState::InUse;
  });
  if (v.pub.attach_state != AttachState::Attaching) return;  // an observer detached it already
  v.op = impl_->sim.after(sample(impl_->params.ebs_attach_latency, impl_->ebs_rng), [impl = impl_.get(), vp = &v] {
    vp->op = {};
    if (vp->pub.attach_state != AttachState::Attaching) return;
    impl->change_volume(*vp, [](Volume& p) { p.attach_state = AttachState::Attached; });
    auto cb = std::move(vp->attach_done);
    vp->attach_done = nullptr;
    if (cb) cb(true, std::string());
  }, 0, "cloud/volume-attached");
}

void Cloud::detach_volume(const std::string& volume_id, std::function<void()> done) {
  auto& v = impl_->vol(volume_id);
  switch (v.pub.attach_state) {
    case AttachState::Detached:
      if (done) done();
      return;
    case AttachState::Detaching:
      v.detach_waiters.push_back(std::move(done));
      return;
    case AttachState::Attaching:
    case AttachState::Attached: {
      auto interrupted = impl_->cut_attach(v);
      v.detach_waiters.push_back(std::move(done));
      impl_->start_detach(v, sample(impl_->params.ebs_detach_latency, impl_->ebs_rng));
      if (interrupted) interrupted(false, "IncorrectState: " + volume_id + " was detached before its attachment completed");
      return;
    }
  }
}

void Cloud::fail_volume(const std::string& volume_id) {
  auto& v = impl_->vol(volume_id);
  const VolumeState s = v.pub.state;
  if (s == VolumeState::Deleting || s == VolumeState::Deleted || s == VolumeState::Error) return;
  if (s == VolumeState::Creating) {
    impl_->sim.cancel(v.op);
    v.op = {};
    v.create_blocked = false;
  }
  impl_->change_volume(v, [](Volume& p) {
    p.lost = true;
    p.state = VolumeState::Error;
  });
  if (s == VolumeState::Creating) {
    impl_->finish_create(v);
    if (v.delete_requested) impl_->start_delete(v);
  }
}

void Cloud::delete_volume(const std::string& volume_id) {
  auto& v = impl_->vol(volume_id);
  const VolumeState s = v.pub.state;
  if (s == VolumeState::Deleting || s == VolumeState::Deleted) return;
  if (s == VolumeState::Creating || v.pub.attach_state != AttachState::Detached) {
    v.delete_requested = true;
    return;
  }
  impl_->start_delete(v);
}

}  // namespace azsim::cloud
