// Scenario: everything a scenario file says, parsed, defaulted and cross-checked.
//
// This is the value the loader (loader.hpp) produces and the builder turns into a simulated
// world. It holds no behaviour. Every default comes from FIDELITY.md through the parameter
// structs it embeds (controllers::KubernetesParams, cloud::CloudParams) or is documented in
// scenarios/README.md. Each part remembers where it was written (file, line, column) and its
// path in the document, so a later stage that finds a problem can report it at the right place:
// `scenario.at(fault.path + ".node")`.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/cloud/instance_types.hpp"
#include "models/cloud/params.hpp"
#include "models/controllers/params.hpp"
#include "models/k8s/objects.hpp"
#include "models/scenario/diagnostics.hpp"
#include "models/scenario/tree.hpp"
#include "sim/time.hpp"

namespace azsim::scenario {

/// A document tree kept alive for location look-ups after loading.
struct SourceDoc {
  std::string file;
  std::shared_ptr<const Node> root;

  /// The position of the field at `path` (as Diagnostic paths are written), or of its nearest
  /// written ancestor.
  SourceLoc at(const std::string& path) const;
};

// ---------------------------------------------------------------------------------------------
// Cluster

/// One Auto Scaling group of worker nodes (spec.cloud.nodeGroups[] or an eksctl node group).
struct NodeGroup {
  std::string name;
  std::string instance_type;
  std::vector<std::string> zones;  // never empty after loading: defaults to the cloud's zones
  std::int32_t desired_capacity = 0;
  std::int32_t min_size = 0;
  std::int32_t max_size = 0;
  k8s::Labels labels;  // extra node labels (eksctl adds its nodegroup labels here)
  std::vector<k8s::Taint> taints;
  std::optional<std::int32_t> max_pods;                    // unset: the instance type's ENI limit (eni_max_pods)
  cloud::KubeletReservation kubelet_reservation;           // "eks" (default) or "none" (kops era)
  std::optional<std::int32_t> volume_size_gib;             // root volume (eksctl volumeSize); informational
  std::optional<sim::Duration> health_check_grace_period;  // unset: CloudParams
  std::optional<cloud::AzDistribution> az_distribution;    // unset: CloudParams
  std::optional<cloud::AzTieBreak> az_tie_break;           // unset: CloudParams
  /// Where the first desiredCapacity instances go (zone, count), as written;
  /// empty: balanced over the zones as the Auto Scaling group would place them. Lets a
  /// scenario reproduce a tutorial's actual, not necessarily balanced, starting layout.
  std::vector<std::pair<std::string, std::int32_t>> initial_placement;
  bool from_eksctl = false;
  SourceDoc source;  // where the group was written (the scenario or the eksctl file)
  std::string path;  // "spec.cloud.nodeGroups[0]" or "managedNodeGroups[0]"

  /// Pods a node of this group can hold (max_pods or the type's ENI limit).
  std::int32_t effective_max_pods() const;
};

/// An EBS volume that exists before the scenario starts (created by hand with
/// `aws ec2 create-volume`), referenced by PersistentVolumes or pods by its id.
struct DeclaredVolume {
  std::string id;
  std::string zone;
  std::int64_t size_gib = 0;
  std::string type = "gp2";  // the create-volume default
  std::string path;          // "spec.cloud.volumes[0]"
};

struct CloudSpec {
  std::string region;
  std::vector<std::string> zones;
  std::vector<NodeGroup> node_groups;
  std::vector<DeclaredVolume> volumes;
  cloud::CloudParams params;  // every field overridable under spec.cloud (camelCase)
};

/// Where the eksctl ClusterConfig came from (node groups, zones, region, version).
struct EksctlSource {
  std::string file;          // the eksctl file, or the scenario file when inline
  std::string cluster_name;  // metadata.name
};

// ---------------------------------------------------------------------------------------------
// Kubernetes objects

/// A Kubernetes object from a manifest, with the document it came from.
template <class T>
struct Declared {
  T object;
  std::string api_version;
  SourceDoc source;  // the manifest document (its root is the object)
  std::string ref;   // "StatefulSet/cassandra", the prefix of its diagnostics' paths
  /// False when reading the object reported errors: some fields then hold stand-in values,
  /// and checks that depend on them are skipped rather than piling up follow-on errors.
  bool clean = true;
};

/// Every object the scenario's manifests declare, by kind, in file order. Namespaced objects
/// have meta.ns set ("default" unless given); cluster-scoped ones have it empty.
struct Manifests {
  std::vector<Declared<k8s::StorageClass>> storage_classes;
  std::vector<Declared<k8s::PersistentVolume>> persistent_volumes;
  std::vector<Declared<k8s::PersistentVolumeClaim>> persistent_volume_claims;
  std::vector<Declared<k8s::StatefulSet>> stateful_sets;
  std::vector<Declared<k8s::Deployment>> deployments;
  std::vector<Declared<k8s::ReplicaSet>> replica_sets;
  std::vector<Declared<k8s::Pod>> pods;
  std::vector<Declared<k8s::PodDisruptionBudget>> pod_disruption_budgets;
  std::vector<Declared<k8s::Service>> services;
  std::vector<std::string> namespaces;  // Namespace objects (others are created implicitly)

  std::size_t size() const;
};

// ---------------------------------------------------------------------------------------------
// Data services

enum class DataType { Cassandra, LeaderFollower, Galera, Single };

/// Cassandra consistency levels (cqlsh CONSISTENCY names).
enum class ConsistencyLevel { Any, One, Two, Three, Quorum, All, LocalQuorum, EachQuorum, LocalOne };

struct Consistency {
  ConsistencyLevel read = ConsistencyLevel::One;  // cqlsh's default
  ConsistencyLevel write = ConsistencyLevel::One;
};

/// keyspace.replication as CREATE KEYSPACE writes it.
struct Replication {
  enum class Strategy { Simple, NetworkTopology };
  Strategy strategy = Strategy::Simple;
  std::int32_t replication_factor = 0;                       // SimpleStrategy
  std::vector<std::pair<std::string, std::int32_t>> per_dc;  // NetworkTopologyStrategy, file order

  std::int32_t total() const;
};

/// A reference to a workload: "statefulset/NAME" or "deployment/NAME" (+ namespace).
struct WorkloadRef {
  enum class Kind { StatefulSet, Deployment, ReplicaSet };
  Kind kind = Kind::StatefulSet;
  std::string name;
  std::string ns;  // resolved after loading: the namespace where the workload exists

  std::string str() const;  // "statefulset/cassandra"
};

/// A data service living on a workload's pods (spec.data[]).
struct DataService {
  std::string name;
  DataType type = DataType::Single;
  WorkloadRef workload;
  std::int64_t rows = 100;
  std::optional<Replication> replication;  // Cassandra only (required there)
  std::vector<Consistency> consistency;    // Cassandra only; at least one after loading
  /// Service-specific settings (spec.data[].params), kept as written for the data models to
  /// read with a Field (reader.hpp) so that their errors point into the scenario file.
  std::shared_ptr<const Node> params;
  std::string path;  // "spec.data[0]"
  /// False when reading it reported errors (e.g. an unknown type): fields may hold stand-ins,
  /// so checks that depend on them are skipped rather than adding follow-on diagnostics.
  bool clean = true;
};

// ---------------------------------------------------------------------------------------------
// Faults

enum class FaultAction {
  TerminateInstance,
  StopInstance,
  StartInstance,
  KubeletDown,
  Cordon,
  Uncordon,
  Drain,
  DeletePod,
  OutOfServiceTaint,
  ZoneOutage,
  VolumeFailure,
  ReadinessFailure,
  Scale,
  DeletePvc,
};

/// Which node a fault or setup step hits, resolved when it happens.
struct NodeTarget {
  enum class By { RunningPod, Name, Index };
  By by = By::Name;
  std::string pod;     // RunningPod: the node the pod runs on at that time
  std::string pod_ns;  // its namespace ("" = the only pod of that name)
  std::string name;    // Name
  /// Index: the index-th node, ordered by name, among the nodes at that time that are in
  /// `zone` (when set) and belong to node group `group` (when set); at least one is set.
  std::string zone;
  std::string group;
  std::int32_t index = 0;
};

/// Which pods a pod fault hits: one pod by name, the pods of a workload, or a label selector.
struct PodTarget {
  enum class By { Name, Workload, Selector };
  By by = By::Name;
  std::string name;
  WorkloadRef workload;
  k8s::LabelSelector selector;
  std::string ns;  // "" = any namespace (names must then be unique)
};

/// A PersistentVolumeClaim by name (delete-pvc).
struct ClaimRef {
  std::string name;
  std::string ns;  // "" = the only claim of that name
};

/// Which EBS volume a volume fault hits: a declared volume id or the volume bound to a claim.
struct VolumeTarget {
  std::string id;
  std::string claim;     // PVC name, e.g. cassandra-storage-cassandra-1
  std::string claim_ns;  // "" = the only claim of that name
};

struct Fault {
  sim::Duration at;
  FaultAction action = FaultAction::TerminateInstance;
  std::optional<NodeTarget> node;
  std::optional<PodTarget> pods;
  std::optional<WorkloadRef> workload;        // scale
  std::optional<std::string> zone;            // zone-outage
  std::optional<VolumeTarget> volume;         // volume-failure
  std::optional<ClaimRef> pvc;                // delete-pvc
  std::optional<sim::Duration> for_;          // how long until the fault is undone (actions that allow it)
  bool force = false;                         // delete-pod: immediate deletion; drain: also bare pods
  std::optional<sim::Duration> grace_period;  // delete-pod, drain
  std::optional<sim::Duration> timeout;       // drain: give up after (unset: wait forever)
  std::optional<std::int32_t> replicas;       // scale
  sim::Duration jitter;                       // Monte-Carlo: the fault fires uniformly in [at, at + jitter]
  std::string path;                           // "spec.faults[2]"
};

/// An operator step done once the nodes are Ready and before the manifests are applied
/// (spec.setup), e.g. `kubectl label nodes NODE azs=ap-northeast-1a` in a tutorial.
struct SetupStep {
  enum class Action { LabelNode };
  Action action = Action::LabelNode;
  NodeTarget node;
  k8s::Labels labels;
  std::string path;  // "spec.setup[0]"
};

// ---------------------------------------------------------------------------------------------
// Stochastic failures (spec.failures)

/// Events per span of time, as written: "0.5/y" is {0.5, 1y}.
struct Rate {
  double count = 0;
  sim::Duration per = sim::Duration::days(365);
  double per_second() const { return per.us() > 0 ? count / per.seconds_f() : 0.0; }
};

struct InstanceFailures {
  enum class Mode { Terminate, Stop, Unreachable };
  sim::Duration mtbf;  // mean time between failures of one instance
  Mode mode = Mode::Terminate;
  double shape = 1.0;                                   // Weibull shape of the time to failure (1 = exponential)
  std::optional<cloud::DurationDistribution> duration;  // Stop/Unreachable: time until it is back
  std::string path;
};

struct ZoneFailures {
  Rate rate;  // outages per zone
  // FIDELITY D: real AZ outages lasted ~2 h (2012) to ~10 h (2021); multi-day ones are rarer.
  cloud::DurationDistribution duration =
      cloud::DurationDistribution::lognormal(sim::Duration::hours(2), sim::Duration::hours(10));
  double volume_loss = 0.0;  // share of the zone's volumes whose data is lost (FIDELITY D: 2011)
  std::string path;
};

struct VolumeFailures {
  /// Annual failure rate; unset: by volume type (FIDELITY A "EBS annual failure rate":
  /// gp2/gp3/io1/st1/sc1 0.2 %, io2 0.001 %).
  std::optional<double> afr;
  std::string path;
};

/// Correlated failures (FIDELITY D, Ford et al.): a share of instance failures come in bursts.
struct Bursts {
  enum class Scope { Zone, Region };
  double share = 0.37;  // share of failures that start a burst
  std::int32_t min_size = 2;
  std::int32_t max_size = 2;
  Scope scope = Scope::Zone;                         // burst members share the first failure's zone
  sim::Duration spread = sim::Duration::minutes(1);  // members fail within this long
  std::string path;
};

struct Failures {
  std::optional<InstanceFailures> instance;
  std::optional<ZoneFailures> zone;
  std::optional<VolumeFailures> volume;
  std::optional<Bursts> bursts;

  bool any() const { return instance || zone || volume; }
};

// ---------------------------------------------------------------------------------------------

struct Scenario {
  std::string name;         // metadata.name (default: the file name without extension)
  std::string description;  // metadata.description
  std::uint64_t seed = 1;
  sim::Duration duration = sim::Duration::hours(1);
  sim::Duration setup_timeout = sim::Duration::minutes(30);
  controllers::KubernetesParams kubernetes;
  /// spec.kubernetes.enableAdmissionPlugins as written. PersistentVolumeLabel has already been
  /// applied by the loader (zone and region labels and node affinity on in-tree EBS PVs); the
  /// others listed there are on in every cluster azsim simulates.
  std::vector<std::string> admission_plugins;
  CloudSpec cloud;
  std::optional<EksctlSource> eksctl;
  Manifests manifests;
  std::vector<DataService> data;
  std::vector<SetupStep> setup;
  std::vector<Fault> faults;
  Failures failures;

  SourceDoc source;  // the Scenario document

  /// Position of a field of the Scenario document ("spec.faults[2].node").
  SourceLoc at(const std::string& path) const { return source.at(path); }
};

const char* to_string(DataType t);
const char* to_string(ConsistencyLevel c);
const char* to_string(FaultAction a);
const char* to_string(InstanceFailures::Mode m);

}  // namespace azsim::scenario
