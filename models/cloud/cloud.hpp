// Cloud: AWS as the cluster sees it, in simulated time. EC2 instances and their lifecycle,
// Auto Scaling groups that keep their desired capacity across AZs, EBS volumes with their
// attach/detach/create latencies and failures, and AZ outages.
//
// The Cloud knows nothing of Kubernetes. It reports what happens through observer callbacks
// (instance state changes, volume attachment changes); the controllers layer turns those into
// Node registrations, kubelet deaths and volume attachments. All randomness (latencies, private
// IPs) comes from named random streams, so a run is reproducible from its seed.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/cloud/instance_types.hpp"
#include "models/cloud/params.hpp"
#include "sim/random.hpp"
#include "sim/simulation.hpp"

namespace azsim::cloud {

// Fixed latencies of the simulated AWS that no published figure pins down. Named here so
// reports and tests can refer to them; change them only with a reason.
/// shutting-down -> terminated: EC2 shows shutting-down for a few seconds.
inline constexpr sim::Duration kShuttingDownDuration = sim::Duration::seconds(5);
/// stopping -> stopped.
inline constexpr sim::Duration kStoppingDuration = sim::Duration::seconds(10);
/// How long an Auto Scaling group takes to notice that a member left the running state
/// (stopped, terminated by hand). AWS marks such instances unhealthy "immediately", i.e. on its
/// next health check, without waiting for the health-check grace period.
inline constexpr sim::Duration kAsgStateCheckDelay = sim::Duration::seconds(10);
/// balanced-only groups retry a launch into a failed zone on this period. The retries that
/// would fail while the zone is out are not simulated: the group relaunches at the first retry
/// tick at or after the zone's recovery (same outcome, no polling events).
inline constexpr sim::Duration kAsgLaunchRetryInterval = sim::Duration::seconds(10);
/// deleting -> deleted for an EBS volume.
inline constexpr sim::Duration kVolumeDeleteDuration = sim::Duration::seconds(2);

/// Error codes that open launch-failure reasons (the rest of the reason is AWS's message).
inline constexpr const char* kReasonInsufficientCapacity = "InsufficientInstanceCapacity";
inline constexpr const char* kReasonNoFreeAddresses = "InsufficientFreeAddressesInSubnet";

enum class InstanceState { Pending, Running, Stopping, Stopped, ShuttingDown, Terminated };

/// One EC2 instance. `impaired` (unreachable) is true while its AZ is out or it is hung
/// (kubelet-down faults are the controllers' business, not the cloud's).
struct Instance {
  std::string id;          // "i-" + 17 hex digits from a counter: "i-00000000000000001"
  std::string type;        // "t3.small"
  std::string zone;
  std::string group;       // Auto Scaling group name, "" when launched by hand
  InstanceState state = InstanceState::Pending;
  std::string private_ip;  // "172.20.35.200": random in zone k's /19, 172.20.32(k+1).0/19 as kops
                           // lays them out (from the 8th zone on: 172.21.0.0/19, ...); never reused
                           // while the subnet has addresses never handed out
  std::string hostname;    // "ip-172-20-35-200.eu-west-1.compute.internal" (us-east-1: ".ec2.internal")
  sim::Time launch_time;
  bool impaired = false;   // EC2 status checks failing (AZ outage, hardware)
};

enum class VolumeState { Creating, Available, InUse, Deleting, Deleted, Error };
enum class AttachState { Detached, Attaching, Attached, Detaching };

/// One EBS volume. `lost` means its data is gone (volume-failure fault, or an AZ outage that
/// destroyed it). fail_volume() also puts it in state Error, as EBS does: it stays attached if
/// it was (useless), but cannot be attached again. A volume declared with lost=true and state
/// Available can be attached; the data on it is empty.
struct Volume {
  std::string id;
  std::string zone;
  std::int64_t size_gib = 0;
  std::string type = "gp3";
  VolumeState state = VolumeState::Available;
  AttachState attach_state = AttachState::Detached;
  std::string attached_to;  // instance id while Attaching/Attached/Detaching
  bool impaired = false;    // I/O unavailable (its AZ is out)
  bool lost = false;
};

/// An Auto Scaling group's configuration.
struct GroupSpec {
  std::string name;
  std::string instance_type;
  std::vector<std::string> zones;
  std::int32_t min_size = 0;
  std::int32_t desired = 0;
  std::int32_t max_size = 0;
  std::optional<sim::Duration> health_check_grace_period;  // default: CloudParams
  std::optional<AzDistribution> az_distribution;           // default: CloudParams
  std::optional<AzTieBreak> az_tie_break;                  // default: CloudParams
  /// Where the group's first instances go, (zone, count) in launch order, instead of the
  /// balanced choice: a tutorial's actual starting layout. At most `desired` instances are
  /// placed this way; any remainder is launched balanced. Empty: all balanced.
  std::vector<std::pair<std::string, std::int32_t>> initial_placement;
};

struct ZoneState {
  std::string name;
  bool out = false;  // AZ outage in progress
};

/// Observer callbacks. Each is optional; set them before the first event runs. They run after
/// the Cloud's own state is updated, so an observer may read it and may call back into the
/// Cloud (e.g. terminate an instance from an instance_state callback).
struct CloudObserver {
  /// An instance changed state (also called once with Pending at launch).
  std::function<void(const Instance&, InstanceState old_state)> instance_state;
  /// An instance became unreachable (true) or reachable again (false): AZ outage start/end,
  /// or impair_instance().
  std::function<void(const Instance&, bool unreachable)> instance_reachability;
  /// A volume's attach state changed (Attached, Detached...), or it was created/failed/impaired.
  std::function<void(const Volume&)> volume_changed;
  /// A launch failed (AZ out): "group", "zone", "reason" — for reports.
  std::function<void(const std::string& group, const std::string& zone, const std::string& reason)> launch_failed;
};

class Cloud {
 public:
  /// `rng` is this cloud's root stream; sub-streams are derived by name ("launch", "ebs", and
  /// "ip" / <zone name>). `sim` must outlive the Cloud; the Cloud cancels its pending events
  /// when destroyed. Throws std::invalid_argument for no zones or a repeated zone.
  Cloud(sim::Simulation& sim, sim::RandomStream rng, CloudParams params, std::string region,
        std::vector<std::string> zones);
  ~Cloud();
  Cloud(const Cloud&) = delete;
  Cloud& operator=(const Cloud&) = delete;

  /// Restarts every stream from root `rng`, as the constructor derives them (a Monte-Carlo
  /// trial's streams after a shared setup).
  void reseed(const sim::RandomStream& rng);
  void set_observer(CloudObserver o);
  const CloudParams& params() const;
  const std::string& region() const;
  const std::vector<ZoneState>& zones() const;
  bool zone_out(const std::string& zone) const;

  // --- EC2 -----------------------------------------------------------------------------------
  /// Instances in id (launch) order, including terminated ones.
  std::vector<const Instance*> instances() const;
  const Instance* instance(const std::string& id) const;
  /// Launches one instance outside any group (Pending now, Running after launch_to_ready).
  /// Returns "" and reports launch_failed when the zone is out (or its subnet is full).
  /// An instance whose zone goes out while it is Pending stays Pending until it recovers, then
  /// boots again (a new launch_to_ready sample).
  std::string launch_instance(const std::string& type, const std::string& zone);
  /// ShuttingDown now, Terminated after kShuttingDownDuration. Its volumes go Detaching at once
  /// and Detached after terminate_detach_delay (a pending attach fails). No-op when already
  /// shutting down or terminated.
  void terminate_instance(const std::string& id);
  /// Stopping now, Stopped after kStoppingDuration; from Pending or Running only. As on AWS,
  /// EBS volumes stay attached to a stopped instance (detach_volume still works on them), and
  /// the instance keeps its private IP. An Auto Scaling group replaces a stopped member.
  void stop_instance(const std::string& id);
  /// Pending then Running after launch_to_ready; from Stopped only. A start moves the instance
  /// to new hardware, so it clears impair_instance(); it fails (launch_failed) in a zone that is out.
  void start_instance(const std::string& id);
  /// Marks one instance impaired (true: hung, failing EC2 status checks, unreachable) or
  /// healthy again (false), independently of zone outages. A group member that stays impaired
  /// is replaced like one in a failed zone.
  void impair_instance(const std::string& id, bool impaired);

  // --- Auto Scaling ----------------------------------------------------------------------------
  /// Adds a group and launches `desired` instances, balanced over its zones. The stored spec has
  /// desired clamped to [min, max] and the optional fields resolved from CloudParams. Throws
  /// std::invalid_argument for a duplicate name, an unknown zone or type, or min > max.
  ///
  /// Behaviour (EC2 health checks, AWS defaults):
  /// - the first instances follow spec.initial_placement when given (zones must be the group's);
  /// - launches go to the group zone with the fewest in-service members (ties: az_tie_break);
  /// - a member that leaves the running state is replaced kAsgStateCheckDelay later; an impaired
  ///   one ec2_status_check_delay after the impairment, but not before its grace period ends:
  ///   the group terminates it, then launches the replacement;
  /// - balanced-best-effort: a launch whose zone is out goes to the least-populated zone that
  ///   is up; balanced-only: it fails and is retried (kAsgLaunchRetryInterval) until the zone
  ///   recovers;
  /// - AZRebalance, when a zone comes back: launch one in the least-populated zone, and once it
  ///   is Running terminate one in the most-populated zone; repeat while the zones differ by 2
  ///   or more (at most max(1, max/10) instances over max_size meanwhile);
  /// - scale-in (and AZRebalance) terminate in the zone with the most members (ties: az_tie_break),
  ///   newest instance first. AWS's default policy also weighs launch templates and billing
  ///   hours; those do not exist here.
  void add_group(GroupSpec spec);
  const GroupSpec* group(const std::string& name) const;
  std::vector<std::string> group_names() const;
  /// Sets the desired capacity (clamped to [min, max]); launches or terminates to reach it.
  void set_desired_capacity(const std::string& group, std::int32_t desired);
  /// In-service (Pending or Running, not being replaced) instances of a group.
  std::vector<const Instance*> group_instances(const std::string& group) const;

  // --- Zones ---------------------------------------------------------------------------------
  /// AZ outage: the zone's Pending and Running instances become unreachable and impaired, its
  /// volumes impaired, launches there fail. With `duration` the zone recovers after that long
  /// (else call end_zone_outage); overlapping outages end at the latest requested end. At the
  /// end impairments clear and groups rebalance; what the groups terminated stays terminated.
  void start_zone_outage(const std::string& zone, std::optional<sim::Duration> duration);
  void end_zone_outage(const std::string& zone);

  // --- EBS -----------------------------------------------------------------------------------
  /// Declares a volume that already exists (created by hand before the scenario).
  void add_existing_volume(Volume v);
  /// Creates a volume; `done` runs when it is Available (after ebs_create_latency). In a zone
  /// that is out the volume stays Creating until the zone recovers. If the volume fails or is
  /// deleted while Creating, `done` runs then with that state.
  std::string create_volume(const std::string& zone, std::int64_t size_gib, const std::string& type,
                            std::function<void(const Volume&)> done);
  /// Creates a volume that is Available at once and returns its id: for callers that already
  /// spent the CreateVolume latency themselves (a provisioner that samples ebs_create_latency
  /// before binding). Impaired when its zone is out.
  std::string create_volume_now(const std::string& zone, std::int64_t size_gib, const std::string& type);
  const Volume* volume(const std::string& id) const;
  std::vector<const Volume*> volumes() const;
  /// Why attaching the volume to the instance would fail now, as AWS words it
  /// ("VolumeInUse: vol-... is already attached to an instance"), or "" when it would start.
  std::string attach_error(const std::string& volume_id, const std::string& instance_id) const;
  /// Starts attaching; `done(ok, error)` runs after ebs_attach_latency. Fails at once (no
  /// latency) when the volume is attached elsewhere, is in another zone, or either side is
  /// impaired/not running (see attach_error). An attach cut short by a detach or by the
  /// instance's termination runs done(false, reason).
  void attach_volume(const std::string& volume_id, const std::string& instance_id,
                     std::function<void(bool ok, const std::string& error)> done);
  /// Starts detaching; `done` runs after ebs_detach_latency (or at once if already detached).
  void detach_volume(const std::string& volume_id, std::function<void()> done);
  void fail_volume(const std::string& volume_id);  // data lost; state Error until re-created
  /// Deleting then Deleted after kVolumeDeleteDuration. A volume still attached (or Creating)
  /// is deleted once it is detached (or created), as a CSI driver retrying DeleteVolume would.
  void delete_volume(const std::string& volume_id);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// AWS spellings: "pending", "running", "stopping", "stopped", "shutting-down", "terminated";
/// "creating", "available", "in-use", "deleting", "deleted", "error"; "attaching", "attached",
/// "detaching", "detached".
const char* to_string(InstanceState s);
const char* to_string(VolumeState s);
const char* to_string(AttachState s);

}  // namespace azsim::cloud
