// The Kubernetes API objects azsim models, as plain value types close to their real schema.
//
// Field names follow the Kubernetes API in snake_case; only fields that can change scheduling,
// lifecycle or data placement are modelled. Objects live in an ObjectStore (store.hpp), which
// assigns uids and notifies watchers; controllers and the scheduler never keep raw pointers to
// objects across events, only keys.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/k8s/labels.hpp"
#include "sim/time.hpp"

namespace azsim::k8s {

/// A reference from a dependent object to its controller (StatefulSet, ReplicaSet, ...).
struct OwnerReference {
  std::string kind;  // "StatefulSet", "ReplicaSet", "Deployment"
  std::string name;
  std::uint64_t uid = 0;
  bool controller = true;
};

/// metav1.ObjectMeta. `ns` is empty for cluster-scoped objects (Node, PV, StorageClass).
struct ObjectMeta {
  std::string name;
  std::string ns = "default";
  Labels labels;
  Labels annotations;
  std::uint64_t uid = 0;                   // assigned by the store on create
  std::uint64_t resource_version = 0;      // bumped by the store on every write
  sim::Time creation_timestamp;
  std::optional<sim::Time> deletion_timestamp;  // set when graceful deletion starts
  std::optional<OwnerReference> owner;
  std::vector<std::string> finalizers;

  /// "namespace/name", or "name" for cluster-scoped objects: the store's key.
  std::string key() const { return ns.empty() ? name : ns + "/" + name; }
};

// ---------------------------------------------------------------------------------------------
// Scheduling vocabulary

enum class TaintEffect { NoSchedule, PreferNoSchedule, NoExecute };

/// v1.Taint. `time_added` is set for NoExecute taints added by the node lifecycle controller.
struct Taint {
  std::string key;
  std::string value;
  TaintEffect effect = TaintEffect::NoSchedule;
  std::optional<sim::Time> time_added;

  bool operator==(const Taint& o) const { return key == o.key && value == o.value && effect == o.effect; }
};

enum class TolerationOp { Equal, Exists };

/// v1.Toleration. An empty key with Exists tolerates every taint; an unset effect matches all.
struct Toleration {
  std::string key;
  TolerationOp op = TolerationOp::Equal;
  std::string value;
  std::optional<TaintEffect> effect;
  std::optional<std::int64_t> toleration_seconds;  // NoExecute only; unset = forever

  bool tolerates(const Taint& t) const;
};

/// Requests or capacities. cpu in millicores, memory and ephemeral storage in bytes.
struct Resources {
  std::int64_t milli_cpu = 0;
  std::int64_t memory = 0;
  std::int64_t ephemeral_storage = 0;
  std::int64_t pods = 0;  // capacity/allocatable only

  Resources& operator+=(const Resources& o);
  Resources& operator-=(const Resources& o);
  bool operator==(const Resources&) const = default;
};

struct PodAffinityTerm {
  LabelSelector label_selector;
  std::vector<std::string> namespaces;             // empty + no namespace_selector = pod's own
  std::optional<LabelSelector> namespace_selector;  // empty selector = all namespaces
  std::string topology_key;
};

struct WeightedPodAffinityTerm {
  std::int32_t weight = 1;
  PodAffinityTerm term;
};

struct PreferredSchedulingTerm {
  std::int32_t weight = 1;
  NodeSelectorTerm preference;
};

struct NodeAffinity {
  std::optional<NodeSelector> required;  // requiredDuringSchedulingIgnoredDuringExecution
  std::vector<PreferredSchedulingTerm> preferred;
};

/// Pod affinity or anti-affinity (same shape).
struct PodAffinity {
  std::vector<PodAffinityTerm> required;
  std::vector<WeightedPodAffinityTerm> preferred;
};

struct Affinity {
  std::optional<NodeAffinity> node_affinity;
  std::optional<PodAffinity> pod_affinity;
  std::optional<PodAffinity> pod_anti_affinity;
};

enum class UnsatisfiableConstraintAction { DoNotSchedule, ScheduleAnyway };
enum class NodeInclusionPolicy { Honor, Ignore };

struct TopologySpreadConstraint {
  std::int32_t max_skew = 1;
  std::string topology_key;
  UnsatisfiableConstraintAction when_unsatisfiable = UnsatisfiableConstraintAction::DoNotSchedule;
  std::optional<LabelSelector> label_selector;  // unset: matches no pods
  std::optional<std::int32_t> min_domains;
  NodeInclusionPolicy node_affinity_policy = NodeInclusionPolicy::Honor;
  NodeInclusionPolicy node_taints_policy = NodeInclusionPolicy::Ignore;
  std::vector<std::string> match_label_keys;
};

// ---------------------------------------------------------------------------------------------
// Pods

struct ContainerPort {
  std::int32_t container_port = 0;
  std::int32_t host_port = 0;  // 0 = none
  std::string protocol = "TCP";
  std::string host_ip;
};

/// A readiness probe reduced to the timings that decide when a started container turns Ready.
struct Probe {
  sim::Duration initial_delay;
  sim::Duration period = sim::Duration::seconds(10);
  std::int32_t success_threshold = 1;
  std::int32_t failure_threshold = 3;
};

struct Container {
  std::string name;
  std::string image;
  Resources requests;
  Resources limits;
  std::vector<ContainerPort> ports;
  std::optional<Probe> readiness_probe;
};

/// A pod volume. Only the sources that bind to cloud storage are distinguished.
struct PodVolume {
  std::string name;
  std::optional<std::string> pvc_claim_name;     // persistentVolumeClaim.claimName
  bool read_only = false;
  std::optional<std::string> aws_ebs_volume_id;  // in-tree awsElasticBlockStore.volumeID
  std::string aws_ebs_zone;  // the zone of a volumeID written "aws://<zone>/<id>" ("" otherwise)
};

struct PodSpec {
  std::string node_name;
  Labels node_selector;
  Affinity affinity;
  std::vector<Toleration> tolerations;
  std::vector<TopologySpreadConstraint> topology_spread_constraints;
  std::vector<Container> containers;
  std::vector<Container> init_containers;
  std::vector<PodVolume> volumes;
  std::int32_t priority = 0;
  std::string priority_class_name;
  std::string scheduler_name = "default-scheduler";
  sim::Duration termination_grace_period = sim::Duration::seconds(30);
  std::string hostname;
  std::string subdomain;
  Resources overhead;

  /// The effective request the scheduler uses: max(sum of containers, each init container)
  /// plus overhead, as NodeResourcesFit computes it.
  Resources effective_requests() const;
};

enum class PodPhase { Pending, Running, Succeeded, Failed, Unknown };

struct PodStatus {
  PodPhase phase = PodPhase::Pending;
  bool scheduled = false;         // condition PodScheduled
  bool ready = false;             // condition Ready
  bool containers_started = false;
  std::string reason;             // e.g. "Unschedulable", "NodeLost"
  std::string message;            // e.g. the FailedScheduling diagnosis
  std::string nominated_node_name;
  std::optional<sim::Time> start_time;
};

/// metadata + spec of a pod template (StatefulSet, Deployment, ReplicaSet).
struct PodTemplate {
  ObjectMeta meta;
  PodSpec spec;
};

struct Pod {
  ObjectMeta meta;
  PodSpec spec;
  PodStatus status;

  bool bound() const { return !spec.node_name.empty(); }
  bool terminating() const { return meta.deletion_timestamp.has_value(); }
};

// ---------------------------------------------------------------------------------------------
// Nodes

enum class ConditionStatus { True, False, Unknown };

struct NodeSpec {
  bool unschedulable = false;
  std::vector<Taint> taints;
  std::string provider_id;  // aws:///eu-west-1a/i-0123...
};

struct NodeStatus {
  Resources capacity;
  Resources allocatable;
  ConditionStatus ready = ConditionStatus::True;
  /// CSINode allocatable count for ebs.csi.aws.com (the attach limit); 0 = unlimited.
  std::int32_t attachable_volumes = 0;
  std::optional<sim::Time> last_heartbeat;
};

struct Node {
  ObjectMeta meta;
  NodeSpec spec;
  NodeStatus status;

  /// The node's zone label (topology.kubernetes.io/zone, falling back to the legacy label).
  std::string zone() const;
};

// ---------------------------------------------------------------------------------------------
// Storage

enum class AccessMode { ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod };
enum class ReclaimPolicy { Retain, Delete, Recycle };
enum class VolumeBindingMode { Immediate, WaitForFirstConsumer };

struct StorageClass {
  ObjectMeta meta;  // cluster-scoped: meta.ns is empty
  std::string provisioner;  // "ebs.csi.aws.com", "kubernetes.io/aws-ebs"
  std::map<std::string, std::string> parameters;
  ReclaimPolicy reclaim_policy = ReclaimPolicy::Delete;
  VolumeBindingMode volume_binding_mode = VolumeBindingMode::Immediate;
  /// allowedTopologies: each term's matchLabelExpressions as In requirements; empty = anywhere.
  std::vector<NodeSelectorTerm> allowed_topologies;
  bool allow_volume_expansion = false;

  bool is_default() const;
};

/// Where a PV's data lives. `volume_id` is the EBS volume id (vol-...) for both sources.
struct PersistentVolumeSource {
  enum class Type { Csi, AwsElasticBlockStore, Other };
  Type type = Type::Other;
  std::string driver;     // CSI driver name
  std::string volume_id;  // csi.volumeHandle or awsElasticBlockStore.volumeID
  std::string fs_type;
  std::string written_zone;  // the zone of a volumeID written "aws://<zone>/<id>" ("" otherwise)
};

struct ClaimReference {
  std::string ns;
  std::string name;
  std::uint64_t uid = 0;
};

enum class PvPhase { Pending, Available, Bound, Released, Failed };

struct PersistentVolume {
  ObjectMeta meta;  // cluster-scoped
  std::int64_t capacity_bytes = 0;
  std::vector<AccessMode> access_modes;
  std::string storage_class_name;
  ReclaimPolicy reclaim_policy = ReclaimPolicy::Retain;
  std::optional<NodeSelector> node_affinity;  // spec.nodeAffinity.required
  PersistentVolumeSource source;
  std::optional<ClaimReference> claim_ref;
  PvPhase phase = PvPhase::Available;
};

enum class PvcPhase { Pending, Bound, Lost };

struct PersistentVolumeClaim {
  ObjectMeta meta;
  std::vector<AccessMode> access_modes;
  std::int64_t request_bytes = 0;
  /// nullopt: use the default StorageClass; "": no class (static binding only).
  std::optional<std::string> storage_class_name;
  std::string volume_name;  // bound PV
  std::optional<LabelSelector> selector;
  PvcPhase phase = PvcPhase::Pending;
};

// ---------------------------------------------------------------------------------------------
// Workloads

enum class PodManagementPolicy { OrderedReady, Parallel };
enum class PvcRetentionPolicy { Retain, Delete };

struct StatefulSet {
  ObjectMeta meta;
  std::int32_t replicas = 1;
  LabelSelector selector;
  std::string service_name;
  PodTemplate template_;
  std::vector<PersistentVolumeClaim> volume_claim_templates;
  PodManagementPolicy pod_management_policy = PodManagementPolicy::OrderedReady;
  PvcRetentionPolicy when_deleted = PvcRetentionPolicy::Retain;  // FIDELITY A: GA 1.32 defaults
  PvcRetentionPolicy when_scaled = PvcRetentionPolicy::Retain;
  std::int32_t min_ready_seconds = 0;
  std::int32_t ordinals_start = 0;

  /// "<sts>-<ordinal>"
  std::string pod_name(std::int32_t ordinal) const { return meta.name + "-" + std::to_string(ordinal); }
  /// "<template>-<sts>-<ordinal>"
  std::string claim_name(const std::string& tmpl, std::int32_t ordinal) const {
    return tmpl + "-" + pod_name(ordinal);
  }
};

/// An integer or a percentage ("25%"), as used by PDBs and rolling updates.
struct IntOrPercent {
  bool is_percent = false;
  std::int32_t value = 0;

  /// Resolves against `total`: percentages round up or down as the caller's API does.
  std::int32_t resolve(std::int32_t total, bool round_up) const;
};

enum class DeploymentStrategy { RollingUpdate, Recreate };

struct Deployment {
  ObjectMeta meta;
  std::int32_t replicas = 1;
  LabelSelector selector;
  PodTemplate template_;
  DeploymentStrategy strategy = DeploymentStrategy::RollingUpdate;
  IntOrPercent max_surge{true, 25};
  IntOrPercent max_unavailable{true, 25};
};

struct ReplicaSet {
  ObjectMeta meta;
  std::int32_t replicas = 1;
  LabelSelector selector;
  PodTemplate template_;
};

struct PodDisruptionBudget {
  ObjectMeta meta;
  std::optional<IntOrPercent> min_available;
  std::optional<IntOrPercent> max_unavailable;
  LabelSelector selector;
};

struct ServicePort {
  std::string name;
  std::int32_t port = 0;
};

/// Accepted so manifests load; a Service does not affect placement.
struct Service {
  ObjectMeta meta;
  Labels selector;
  bool headless = false;  // clusterIP: None
  std::vector<ServicePort> ports;
};

// ---------------------------------------------------------------------------------------------
// Names for messages and reports

const char* to_string(TaintEffect e);
const char* to_string(PodPhase p);
const char* to_string(AccessMode m);
const char* to_string(ReclaimPolicy p);
const char* to_string(VolumeBindingMode m);
const char* to_string(PvPhase p);
const char* to_string(PvcPhase p);
const char* to_string(ConditionStatus s);

/// "kubernetes.io/hostname=node-1:NoSchedule"-style rendering used in events.
std::string to_string(const Taint& t);

}  // namespace azsim::k8s
