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
#include <vector>

#include "models/controllers/cluster.hpp"
#include "models/controllers/periodic.hpp"

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
};

/// Kubelet-side progress of one pod.
struct PodRuntime {
  sim::EventId start;       // pending container start
  sim::EventId ready;       // pending readiness
  sim::EventId stop;        // pending container stop (graceful deletion)
  sim::EventId eviction;    // pending NoExecute eviction
  bool readiness_failing = false;
  bool provisioning = false;  // WaitForFirstConsumer volumes being provisioned for it
};

struct Cluster::Impl {
  Impl(Cluster& c, const sim::RandomStreams& rng);
  ~Impl();

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
  std::map<std::string, NodeRuntime> nodes;          // by node name
  std::map<std::string, std::string> node_by_instance;
  std::map<std::string, PodRuntime> pods;            // by pod key

  // Event helpers
  void record(k8s::EventType type, const std::string& reason, const std::string& object, const std::string& message,
              const std::string& source);

  // --- kubelet.cpp --------------------------------------------------------------------------
  void on_instance_state(const cloud::Instance& inst, cloud::InstanceState old_state);
  void on_instance_reachability(const cloud::Instance& inst, bool unreachable);
  void register_node(const cloud::Instance& inst);
  void kubelet_changed(const std::string& node);
  bool kubelet_alive(const std::string& node) const;
  void kubelet_sync_pod(const std::string& pod_key);
  void kubelet_sync_node(const std::string& node);
  bool volumes_ready(const k8s::Pod& pod) const;
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

  // --- cloud_node_lifecycle.cpp / pod_gc.cpp -------------------------------------------------
  std::unique_ptr<PeriodicTrigger> cloud_lifecycle;
  void cloud_node_lifecycle();
  std::unique_ptr<PeriodicTrigger> podgc;
  std::map<std::string, sim::Time> orphan_first_seen;  // node name -> first PodGC pass that saw it gone
  void pod_gc();

  // --- workloads.cpp ------------------------------------------------------------------------
  std::set<std::string> sync_pending;  // "statefulset/ns/name", "replicaset/ns/name"
  void request_workload_sync(const std::string& kind, const std::string& key);
  void sync_statefulset(const std::string& key);
  void sync_replicaset(const std::string& key);
  void create_pod(k8s::Pod pod);
  std::string random_suffix(std::size_t n);

  // --- volumes.cpp (PV controller, EBS CSI provisioner, attach/detach) ----------------------
  std::unique_ptr<PeriodicTrigger> adc;
  std::map<std::string, sim::Time> undesired_since;   // volume id -> when it stopped being desired where attached
  std::set<std::string> multi_attach_reported;        // "pod|volume"
  std::set<std::string> attach_in_flight;             // volume ids
  std::map<std::string, sim::Time> attach_retry_at;   // volume id -> earliest retry after a failed attach
  std::set<std::string> provisioning;                 // PVC keys being provisioned (Immediate)
  void pv_sync_claim(const std::string& pvc_key);
  std::optional<std::string> resolve_class(const k8s::PersistentVolumeClaim& pvc) const;
  std::vector<std::string> zones_with_nodes() const;
  void pv_claim_deleted(const k8s::PersistentVolumeClaim& pvc);
  void attach_detach();
  /// EBS volume ids a pod needs, with the PV name each is known by ("" for inline volumes).
  std::vector<std::pair<std::string, std::string>> pod_volume_ids(const k8s::Pod& pod) const;

  // --- scheduling.cpp -----------------------------------------------------------------------
  std::unique_ptr<EbsProvisioner> provisioner;
  std::unique_ptr<scheduler::Scheduler> scheduler;
  sim::EventId sched_event;
  sim::Time sched_time;
  void scheduler_setup();
  void request_scheduling(sim::Time at);
  void scheduling_cycle();
  std::map<std::string, std::string> last_diagnosis;  // pod key -> FailedScheduling message
};

/// "ns/name" of an object's meta.
inline std::string key_of(const std::string& ns, const std::string& name) { return ns.empty() ? name : ns + "/" + name; }

}  // namespace azsim::controllers
