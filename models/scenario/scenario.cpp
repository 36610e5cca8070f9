#include "models/scenario/scenario.hpp"

#include "models/scenario/reader.hpp"

namespace azsim::scenario {

SourceLoc SourceDoc::at(const std::string& path) const {
  if (!root) return SourceLoc{file, 0, 0};
  const Node& n = locate(*root, path);
  return SourceLoc{file, n.line, n.col};
}

std::int32_t NodeGroup::effective_max_pods() const {
  if (max_pods) return *max_pods;
  const auto t = cloud::find_instance_type(instance_type);
  return t ? t->eni_max_pods : 0;
}

std::size_t Manifests::size() const {
  return storage_classes.size() + persistent_volumes.size() + persistent_volume_claims.size() + stateful_sets.size() +
         deployments.size() + replica_sets.size() + pods.size() + pod_disruption_budgets.size() + services.size() +
         namespaces.size();
}

std::int32_t Replication::total() const {
  if (strategy == Strategy::Simple) return replication_factor;
  std::int64_t sum = 0;
  for (const auto& [dc, n] : per_dc) sum += n;
  return static_cast<std::int32_t>(sum);
}

std::string WorkloadRef::str() const {
  switch (kind) {
    case Kind::StatefulSet:
      return "statefulset/" + name;
    case Kind::Deployment:
      return "deployment/" + name;
    case Kind::ReplicaSet:
      return "replicaset/" + name;
  }
  return name;
}

const char* to_string(DataType t) {
  switch (t) {
    case DataType::Cassandra:
      return "cassandra";
    case DataType::LeaderFollower:
      return "leader-follower";
    case DataType::Galera:
      return "galera";
    case DataType::Single:
      return "single";
  }
  return "?";
}

const char* to_string(ConsistencyLevel c) {
  switch (c) {
    case ConsistencyLevel::Any:
      return "ANY";
    case ConsistencyLevel::One:
      return "ONE";
    case ConsistencyLevel::Two:
      return "TWO";
    case ConsistencyLevel::Three:
      return "THREE";
    case ConsistencyLevel::Quorum:
      return "QUORUM";
    case ConsistencyLevel::All:
      return "ALL";
    case ConsistencyLevel::LocalQuorum:
      return "LOCAL_QUORUM";
    case ConsistencyLevel::EachQuorum:
      return "EACH_QUORUM";
    case ConsistencyLevel::LocalOne:
      return "LOCAL_ONE";
  }
  return "?";
}

const char* to_string(FaultAction a) {
  switch (a) {
    case FaultAction::TerminateInstance:
      return "terminate-instance";
    case FaultAction::StopInstance:
      return "stop-instance";
    case FaultAction::StartInstance:
      return "start-instance";
    case FaultAction::KubeletDown:
      return "kubelet-down";
    case FaultAction::Cordon:
      return "cordon";
    case FaultAction::Uncordon:
      return "uncordon";
    case FaultAction::Drain:
      return "drain";
    case FaultAction::DeletePod:
      return "delete-pod";
    case FaultAction::OutOfServiceTaint:
      return "out-of-service-taint";
    case FaultAction::ZoneOutage:
      return "zone-outage";
    case FaultAction::VolumeFailure:
      return "volume-failure";
    case FaultAction::ReadinessFailure:
      return "readiness-failure";
    case FaultAction::Scale:
      return "scale";
    case FaultAction::DeletePvc:
      return "delete-pvc";
  }
  return "?";
}

const char* to_string(InstanceFailures::Mode m) {
  switch (m) {
    case InstanceFailures::Mode::Terminate:
      return "terminate";
    case InstanceFailures::Mode::Stop:
      return "stop";
    case InstanceFailures::Mode::Unreachable:
      return "unreachable";
  }
  return "?";
}

}  // namespace azsim::scenario
