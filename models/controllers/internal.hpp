// Internal state of a Cluster shared by its controllers (not part of the public model API).
// Each controller's behaviour lives in its own .cpp file as member functions of Impl.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "models/controllers/cluster.hpp"
#include "models/controllers/periodic.hpp"
#include "models/controllers/pod_index.hpp"
#include "sim/str_order.hpp"

namespace azsim::scheduler {
class Scheduler;
}

namespace azsim::controllers {

class EbsProvisioner;

/// What the cluster knows about one node's machine and kubelet.
struct NodeRuntime {
  std::string instance;
  std::string zone;
  std::string group;
  bool running = false;            // instance Running
  bool reachable = true;           // not cut off by an AZ outage
  bool kubelet_down = false;       // kubelet-down fault
  sim::Duration renew_phase;       // lease renewals at renew_phase + k * renew interval
  std::optional<sim::Time> dead_since;
  sim::Time unknown_at;            // when the node monitor marks it Unknown
  bool noexec_queued = false;      // waiting for the zone's eviction rate limiter
  sim::EventId kubelet_back;       // pending end of a kubelet-down with `for`
  bool containers_lost = false;    // instance stopped/started: containers must restart
  /// A new value (Cluster::Impl::touch) whenever the node registers or its kubelet's liveness
  /// or instance changes (kubelet_changed).
  std::uint64_t epoch = 0;
  /// The kubelet runs and the control plane reaches it.
  bool kubelet_alive() const { return running && reachable && !kubelet_down; }
};

/// Kubelet-side progress of one pod.
struct PodRuntime {
  sim::EventId start;       // pending container start
  sim::EventId ready;       // pending readiness
  sim::EventId unready;     // pending readiness-probe failure (failureThreshold probes)
  sim::EventId stop;        // pending container stop (graceful deletion)
  sim::EventId eviction;    // pending NoExecute eviction
  sim::Time eviction_at;    // when it is due
  sim::Time started_at;     // when its containers last started (the probes' time grid)
  bool readiness_failing = false;
  bool provisioning = false;  // WaitForFirstConsumer volumes being provisioned for it
};

/// One entry of the attach/detach controller's actual state of world: where the controller
/// believes an EBS volume is attached. It changes only through the controller's own attach and
/// detach operations, as in kube-controller-manager with CSI (VolumeAttachment objects): when
/// EC2 detaches a terminated instance's volumes by itself, the controller still holds the
/// volume there until it detaches it (FIDELITY B "Volumes": Multi-Attach until force detach).
struct AdcAttachment {
  enum class State { Attaching, Attached, Detaching };
  std::string node;      // node name (the Node object may be gone since)
  std::string instance;  // its EC2 instance
  State state = State::Attaching;
  std::optional<sim::Time> detach_requested;  // first reconcile that found it no longer desired
  /// A new value (Cluster::Impl::touch) whenever the entry or its EBS volume changes.
  std::uint64_t epoch = 0;
  /// Whether the desired state of version `wanted_version` wants it on `node`.
  std::uint64_t wanted_version = 0;
  bool wanted = false;
};

/// When the kubelet last found a pod steady (started, Ready, its volumes attached and usable):
/// Cluster::Impl::claims_epoch, the epochs of its node's runtime and of the volume's attachment,
/// and the pod's resource_version then. For a pod with this one volume, equal values now mean
/// kubelet_sync_pod would find it steady again and do nothing.
struct KubeletSteady {
  bool one_volume = false;  // the pod has no other EBS volume (set with the desired state)
  std::uint64_t claims = 0;
  std::uint64_t node = 0;
  std::uint64_t attachment = 0;
  std::uint64_t pod_version = 0;
  bool operator==(const KubeletSteady&) const = default;
};

/// One node's claim on a volume in the attach/detach controller's desired state of world.
struct AdcWant {
  std::string node;
  std::string pv_name;            // the name events use ("" for inline volumes: the volume id)
  std::vector<std::string> pods;  // pod keys
  mutable std::vector<KubeletSteady> steady;  // per pod: the reconciler's kubelet re-checks
};

struct Cluster::Impl {
  Impl(Cluster& c, const sim::RandomStreams& rng);
  ~Impl();
  /// The control plane's streams, fresh from `rng` (kubelet, names, scheduler).
  void reseed(const sim::RandomStreams& rng);

  Cluster& c;
  sim::Simulation& sim;
  k8s::ObjectStore& store;
  k8s::EventLog& events;
  cloud::Cloud& cloud;
  const KubernetesParams& p;
  sim::RandomStream rng_kubelet;
  sim::RandomStream rng_names;
  sim::RandomStream rng_sched;

  std::map<std::string, NodeGroupConfig> groups;
  std::map<std::string, NodeRuntime, sim::StrLess> nodes;           // by node name
  std::map<std::string, std::string, sim::StrLess> node_by_instance;
  std::map<std::string, PodRuntime, sim::StrLess> pods;             // by pod key
  std::map<std::string, bool, sim::StrLess> volume_unusable;        // volume id -> impaired or failed, as last seen
  /// The store's pods by node, owner and volume; updated first thing in the pod watch, so every
  /// controller sees it in step with the store.
  PodIndex pod_index;
  /// The pod keys of `keys` as a vector: for loops whose body writes to the store (a nested
  /// watch event may change the set being walked).
  static std::vector<std::string> copy_keys(const PodIndex::Keys& keys) { return {keys.begin(), keys.end()}; }
  /// Pods (in key order, once per matching volume, as a scan of every pod would list them)
  /// whose volumes include the EBS volume `volume_id`.
  std::vector<std::string> pods_using_volume(const std::string& volume_id) const;

  // Event helpers
  void record(k8s::EventType type, std::string reason, std::string object, std::string message, std::string source);
  /// Whether the event log keeps events: when not, callers skip building their messages.
  bool recording() const { return events.enabled(); }

  // --- kubelet.cpp --------------------------------------------------------------------------
  void on_instance_state(const cloud::Instance& inst, cloud::InstanceState old_state);
  void on_instance_reachability(const cloud::Instance& inst, bool unreachable);
  void register_node(const cloud::Instance& inst);
  void kubelet_changed(const std::string& node);
  bool kubelet_alive(const std::string& node) const;
  /// The kubelet's pod worker: starts containers once the volumes are there, runs readiness,
  /// stops a terminating pod. Returns true when the pod is steady (nothing to do, see
  /// KubeletSteady).
  bool kubelet_sync_pod(const std::string& pod_key);
  /// The source of NodeRuntime::epoch and claims_epoch values (each change takes a new one).
  std::uint64_t runtime_epochs = 1;
  void touch(NodeRuntime& n) { n.epoch = ++runtime_epochs; }
  /// Moves whenever a claim or a PV changes: with the pod itself, its node's runtime
  /// (NodeRuntime::epoch) and its volume's attachment (AdcAttachment::epoch), everything
  /// kubelet_sync_pod reads of a steady pod.
  std::uint64_t claims_epoch = 1;
  void kubelet_sync_node(const std::string& node);
  /// Every volume of the pod is attached to its node (as the attach/detach controller and EC2
  /// both see it) and usable (not impaired by an AZ outage, not failed).
  bool volumes_ready(const k8s::Pod& pod) const;
  /// volumes_ready for a pod on `node` (its NodeRuntime, already looked up).
  bool volumes_ready_on(const k8s::Pod& pod, const NodeRuntime& node) const;
  /// When a readiness probe first passes for a pod whose containers started at `started` and
  /// whose application can serve from `serving` on: the first probe tick at or after `serving`
  /// (ticks at started + initialDelaySeconds + k * periodSeconds) plus successThreshold - 1
  /// periods; `serving` itself when the pod has no readiness probe.
  sim::Time readiness_time(const k8s::Pod& pod, sim::Time started, sim::Time serving) const;
  /// The labels a node of this group, zone and type registers with (group labels, zone,
  /// hostname, ...).
  k8s::Labels node_labels(const std::string& group, const std::string& zone, const std::string& type,
                          const std::string& hostname) const;
  /// Extra time between container start and Ready that a data service needs (database start);
  /// set by Cluster::set_startup_delay, zero by default.
  std::function<sim::Duration(const k8s::Pod&)> extra_ready_delay = [](const k8s::Pod&) { return sim::Duration::zero(); };

  // --- node_lifecycle.cpp -------------------------------------------------------------------
  std::unique_ptr<PeriodicTrigger> monitor;
  std::map<std::string, sim::Time> zone_next_taint;
  void node_monitor();
  void schedule_noexec_taints();
  void apply_noexec_taint(const std::string& node);
  void schedule_evictions(const std::string& node, sim::Time taint_time);
  void evict(const std::string& pod_key);
  void cancel_evictions(const std::string& node);
  void remove_noexec_taints(const std::string& node);

  // --- cloud_node_lifecycle.cpp / pod_gc.cpp -------------------------------------------------
  std::unique_ptr<PeriodicTrigger> cloud_lifecycle;
  void cloud_node_lifecycle();
  std::unique_ptr<PeriodicTrigger> podgc;
  std::map<std::string, sim::Time> orphan_first_seen;  // node name -> first PodGC pass that saw it gone
  void pod_gc();

  // --- workloads.cpp ------------------------------------------------------------------------
  std::set<std::string> sync_pending;  // "statefulset|ns/name", "replicaset|ns/name"
  /// Syncs the workload `key` ("ns/name") of `kind` ("statefulset", "replicaset") after the
  /// current event, once however often it is asked before then.
  void request_workload_sync(std::string_view kind, const std::string& key) { request_workload_sync(kind, "", key); }
  /// The same for the workload `name` in namespace `ns` (its key built only when not pending).
  void request_workload_sync(std::string_view kind, std::string_view ns, std::string_view name);
  std::string sync_id_buf;  // request_workload_sync's id, in a reused buffer (most requests find one pending)
  void sync_statefulset(const std::string& key);
  void sync_replicaset(const std::string& key);
  void create_pod(k8s::Pod pod);
  std::string random_suffix(std::size_t n);

  // --- volumes.cpp (PV controller, EBS CSI provisioner) -------------------------------------
  std::set<std::string> provisioning;                 // PVC keys being provisioned (Immediate)
  void pv_sync_claim(const std::string& pvc_key);
  std::optional<std::string> resolve_class(const k8s::PersistentVolumeClaim& pvc) const;
  std::vector<std::string> zones_with_nodes() const;
  void pv_claim_deleted(const k8s::PersistentVolumeClaim& pvc);
  /// The EBS volume ids a pod needs, in the order of its volumes, each with the PV name it is
  /// known by (an inline volume: its own id; an unbound claim: "" and ""), handed to
  /// `f(vol, pv_name)` as references into the store (no copies: the reconciler and the kubelet
  /// call it on every pass). `f` returns false to stop; for_each_volume then returns false.
  template <class F>
  bool for_each_volume(const k8s::Pod& pod, F&& f) const;
  mutable std::string volume_key_buf;  // for_each_volume's claim key (only read by the lookup)

  // --- attach_detach.cpp (attach/detach controller) -----------------------------------------
  std::unique_ptr<PeriodicTrigger> adc;
  std::map<std::string, AdcAttachment, sim::StrLess> adc_asw;  // volume id -> where the controller attached it
  std::uint64_t attachment_epochs = 0;
  void touch(AdcAttachment& a) { a.epoch = ++attachment_epochs; }
  std::set<std::string, sim::StrLess> multi_attach_reported;  // "volume|node" (once per desired entry, as the reconciler)
  std::set<std::string, sim::StrLess> attach_error_reported;  // "volume|node|error"
  std::string adc_key_buf;                                    // a reused buffer for those keys
  /// The desired state of world: volume id -> nodes whose scheduled, not yet terminated pods use it.
  using AdcDesired = std::map<std::string, std::vector<AdcWant>, sim::StrLess>;
  AdcDesired adc_desired() const;
  /// adc_desired() is a function of the store's pods with EBS volumes, claims and PVs only: the
  /// watches of those bump adc_inputs_version, and a pass rebuilds adc_desired_cache only when
  /// it changed since (most passes follow cloud or node changes, or pods without volumes).
  AdcDesired adc_desired_cache;
  /// The stamp adc_desired_cache holds for `pod` using `vol` on `node` (none when it holds none).
  KubeletSteady steady_before(const std::string& vol, const std::string& node, const std::string& pod) const;
  std::uint64_t adc_inputs_version = 1;
  std::uint64_t adc_cache_version = 0;
  std::uint64_t reports_swept_version = 0;  // adc_cache_version when the reports were last swept
  void attach_detach();
  void adc_report_multi_attach(const std::string& vol, const AdcWant& w, const std::vector<AdcWant>& wants);

  // --- scheduling.cpp -----------------------------------------------------------------------
  std::unique_ptr<EbsProvisioner> provisioner;
  std::unique_ptr<scheduler::Scheduler> scheduler;
  sim::EventId sched_event;
  sim::Time sched_time;
  void scheduler_setup();
  void request_scheduling(sim::Time at);
  /// Runs a scheduling cycle when the scheduler's queue has work now or at a new, earlier
  /// wakeup (a watch event may have moved pods out of the unschedulable queue).
  void kick_scheduler();
  /// Instances launching (EC2 pending) in an Auto Scaling group, by what decides whether their
  /// nodes could take a pod: (group, zone, instance type) -> count. Kept up to date from the
  /// cloud's signals so that classifying a pod costs no scan of every instance.
  struct LaunchKey {
    std::string group, zone, type;
    auto operator<=>(const LaunchKey&) const = default;
  };
  std::map<LaunchKey, int> launching;
  std::map<std::string, LaunchKey> launching_ids;  // instance id -> its key
  void track_launch(const cloud::Instance& inst);
  /// Whether a node of a launching instance could take the pod: room for its requests, its
  /// group's taints tolerated, its labels matching the pod's node selector and required node
  /// affinity, and in the zone of every bound EBS volume of the pod (cause WaitingForNode).
  bool instance_may_fit(const k8s::Pod& pod, const LaunchKey& launch) const;
  /// node_labels(group, zone, type, "") per launch key: asked for every pending pod and every
  /// launching group, and fixed once the group exists (add_node_group clears it).
  const k8s::Labels& launch_labels(const LaunchKey& launch) const;
  mutable std::map<LaunchKey, k8s::Labels> launch_labels_cache;
  void scheduling_cycle();
  std::map<std::string, std::string, sim::StrLess> last_diagnosis;  // pod key -> FailedScheduling message
};

template <class F>
bool Cluster::Impl::for_each_volume(const k8s::Pod& pod, F&& f) const {
  static const std::string unbound;
  for (const auto& v : pod.spec.volumes) {
    if (v.aws_ebs_volume_id) {
      if (!f(*v.aws_ebs_volume_id, *v.aws_ebs_volume_id)) return false;
    } else if (v.pvc_claim_name) {
      // The claim's key built in a reused buffer: no allocation per lookup.
      volume_key_buf.assign(pod.meta.ns);
      if (!pod.meta.ns.empty()) volume_key_buf.append("/");
      volume_key_buf.append(*v.pvc_claim_name);
      const auto* pvc = store.get<k8s::PersistentVolumeClaim>(std::string_view(volume_key_buf));
      const auto* pv = pvc && !pvc->volume_name.empty() ? store.get<k8s::PersistentVolume>(pvc->volume_name) : nullptr;
      const bool known = pv && !pv->source.volume_id.empty();
      if (!f(known ? pv->source.volume_id : unbound, known ? pv->meta.name : unbound)) return false;
    }
  }
  return true;
}

/// The first tick of a readiness probe at or after `t`, for containers started at `started`:
/// probes run at started + initialDelaySeconds + k * periodSeconds.
inline sim::Time next_probe_tick(const k8s::Probe& pr, sim::Time started, sim::Time t) {
  const sim::Time first = started + pr.initial_delay;
  const std::int64_t period = pr.period.us() > 0 ? pr.period.us() : 1;
  const std::int64_t k = t <= first ? 0 : ((t - first).us() + period - 1) / period;
  return first + sim::Duration::micros(k * period);
}

/// "ns/name" of an object's meta.
inline std::string key_of(const std::string& ns, const std::string& name) { return ns.empty() ? name : ns + "/" + name; }

}  // namespace azsim::controllers
