// Cluster: the simulated control plane and its cloud, wired together in simulated time.
//
// One Cluster owns the API server (ObjectStore), the event log, the AWS model (Cloud), the
// scheduler and every controller: kubelets, node lifecycle, cloud node lifecycle, PodGC,
// StatefulSet / ReplicaSet / Deployment controllers, the PV controller with the EBS CSI
// provisioner, and the attach/detach controller. Controllers talk through the store, as in
// Kubernetes; the cloud reports through its observer. Faults act on the Cluster through its
// small public API (terminate an instance, take a kubelet down, cordon, delete a pod, ...).
//
// Observers (metrics, data services, traces) subscribe to the store and to `on_pod_changed`,
// which fires whenever anything that decides a pod's readiness or its pending cause changed.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "models/cloud/cloud.hpp"
#include "models/controllers/params.hpp"
#include "models/k8s/events.hpp"
#include "models/k8s/store.hpp"
#include "sim/random.hpp"
#include "sim/simulation.hpp"

namespace azsim::scheduler {
class Scheduler;
}

namespace azsim::controllers {

/// How a node group's instances become Nodes: the labels, taints and pod capacity its
/// kubelets register with.
struct NodeGroupConfig {
  cloud::GroupSpec group;
  k8s::Labels labels;
  std::vector<k8s::Taint> taints;
  std::optional<std::int32_t> max_pods;  // default: the instance type's eni-max-pods
  cloud::KubeletReservation reservation;
};

/// Why a pod is not Ready right now (CONTRACT.md's cause list), or Ready.
enum class PodCause {
  Ready,
  NodeLost,          // its node's kubelet is gone, not yet detected (node still Ready)
  EvictionWait,      // node NotReady/Unknown, pod not yet marked for deletion
  StuckTerminating,  // marked for deletion, cannot finish (node unreachable)
  Unschedulable,     // Pending: not placed yet (the scheduler found no node, or has yet to try)
  WaitingForNode,    // Pending, unschedulable, while a node that may fit is launching
  VolumeAttach,      // placed, waiting for volumes (provisioning, attach, Multi-Attach)
  ContainerStart,    // volumes ready, containers starting
  NotReady,          // running but not Ready (readiness probe, database start, graceful stop)
  Absent,            // no pod object with that name exists
};
const char* to_string(PodCause c);

class Cluster {
 public:
  Cluster(sim::Simulation& sim, const sim::RandomStreams& rng, KubernetesParams kube, cloud::CloudParams cloud_params,
          std::string region, std::vector<std::string> zones);
  ~Cluster();
  Cluster(const Cluster&) = delete;
  Cluster& operator=(const Cluster&) = delete;

  /// Restarts every random stream of the cluster and its cloud from `rng`, as the constructor
  /// derives them: a Monte-Carlo trial goes on from a shared setup with its own streams.
  void reseed(const sim::RandomStreams& rng);

  // --- Building -------------------------------------------------------------------------------
  /// Adds an Auto Scaling group; its instances launch now and register as Nodes when Running.
  void add_node_group(NodeGroupConfig cfg);
  /// Applies a manifest object as `kubectl apply` would (admission included).
  void apply(k8s::StorageClass sc);
  void apply(k8s::PersistentVolume pv);
  void apply(k8s::PersistentVolumeClaim pvc);
  void apply(k8s::Pod pod);
  void apply(k8s::StatefulSet sts);
  void apply(k8s::Deployment d);
  void apply(k8s::ReplicaSet rs);
  void apply(k8s::PodDisruptionBudget pdb);
  void apply(k8s::Service svc);

  // --- Faults and operations ------------------------------------------------------------------
  void terminate_instance(const std::string& instance_id);
  void stop_instance(const std::string& instance_id);
  void start_instance(const std::string& instance_id);
  /// The kubelet stops (node unreachable, instance still running); `for` brings it back.
  void kubelet_down(const std::string& node, std::optional<sim::Duration> duration);
  void kubelet_up(const std::string& node);
  void cordon(const std::string& node, bool unschedulable = true);
  /// Deletes a pod as `kubectl delete pod` does: graceful (grace period of the pod, or given),
  /// or force (removed from the API at once, whatever its node does).
  void delete_pod(const std::string& pod_key, bool force, std::optional<sim::Duration> grace);
  void add_taint(const std::string& node, k8s::Taint t);
  void scale(const std::string& workload /* "statefulset/NAME" */, const std::string& ns, std::int32_t replicas);
  void set_readiness_failure(const std::string& pod_key, bool failing);
  /// Extra start-up time a pod needs after its containers start before it can be Ready (a
  /// database's own start: Cassandra's gossip settle, ...). Data services install this.
  void set_startup_delay(std::function<sim::Duration(const k8s::Pod&)> fn);

  // --- Queries --------------------------------------------------------------------------------
  sim::Simulation& sim() { return sim_; }
  k8s::ObjectStore& store() { return store_; }
  const k8s::ObjectStore& store() const { return store_; }
  k8s::EventLog& events() { return events_; }
  const k8s::EventLog& events() const { return events_; }
  cloud::Cloud& cloud() { return *cloud_; }
  const KubernetesParams& params() const { return kube_; }
  scheduler::Scheduler& scheduler();
  /// Node name of an instance (empty before it ever registered).
  std::string node_of_instance(const std::string& instance_id) const;
  /// Instance id behind a node name (empty when unknown).
  std::string instance_of_node(const std::string& node) const;
  /// The EBS volume ids a pod keeps its data on: its bound claims' and its inline volumes'.
  std::vector<std::string> pod_volume_ids(const k8s::Pod& pod) const;
  bool kubelet_alive(const std::string& node) const;
  /// The current cause for the pod named `pod_key` ("ns/name"), Absent if none exists.
  PodCause cause(const std::string& pod_key) const;
  /// The pod's last scheduler diagnosis while it is unschedulable ("" otherwise).
  std::string scheduling_message(const std::string& pod_key) const;
  /// Every pod name the workloads ever created or own, for reports ("ns/name").
  const std::set<std::string>& known_pods() const { return known_pods_; }
  /// True when every workload has all replicas Ready and every bare pod is Ready.
  bool workloads_ready() const;

  /// Called whenever anything that decides a pod's cause changed (the pod may be gone), with
  /// its cause now (computed once for every observer).
  void subscribe_pod_changed(std::function<void(const std::string& pod_key, PodCause cause)> fn) {
    pod_changed_.push_back(std::move(fn));
  }
  /// Called whenever an EBS volume changes (attached, detached, impaired, failed...).
  void subscribe_volume_changed(std::function<void(const cloud::Volume&)> fn) {
    volume_changed_.push_back(std::move(fn));
  }
  /// Signals to observers that `pod_key`'s cause may have changed.
  void pod_changed(const std::string& pod_key);

  // Internal wiring between controllers (public so the controllers, each a class of its own
  // file, can reach one another; not for models outside controllers/).
  struct Impl;
  Impl& impl() { return *impl_; }

 private:
  sim::Simulation& sim_;
  KubernetesParams kube_;
  k8s::ObjectStore store_;
  k8s::EventLog events_;
  std::unique_ptr<cloud::Cloud> cloud_;
  std::set<std::string> known_pods_;
  std::vector<std::function<void(const std::string&, PodCause)>> pod_changed_;
  std::vector<std::function<void(const cloud::Volume&)>> volume_changed_;
  std::unique_ptr<Impl> impl_;
  friend struct Impl;
};

}  // namespace azsim::controllers
