// Internal to the scenario loader: name lookups over a scenario's pods, claims and workloads,
// built once so that cross-reference checks stay O(n log n) however large the scenario is.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "models/scenario/scenario.hpp"

namespace azsim::scenario::check {

class ObjectIndex {
 public:
  explicit ObjectIndex(const Scenario& s);

  enum class Pod { Exists, Generated, Missing };

  /// Whether a pod named `name` (in `ns`, or in any namespace when `ns` is empty) can ever
  /// exist: a bare Pod, or a StatefulSet's NAME-ORDINAL below the replicas it has or a `scale`
  /// fault gives it. Generated when the name would belong to a Deployment or ReplicaSet (their
  /// pod names are random); `owner` then says which ("deployment/web"). A StatefulSet that had
  /// errors counts as having every ordinal, so its errors are not repeated as missing pods.
  Pod find_pod(const std::string& name, const std::string& ns, std::string* owner = nullptr) const;

  /// Whether a claim can ever exist: a PersistentVolumeClaim object, or a StatefulSet's
  /// TEMPLATE-SET-ORDINAL as above. `own` also matches whatever its namespace.
  bool claim_exists(const std::string& name, const std::string& ns, const k8s::StatefulSet* own = nullptr) const;

  bool workload_exists(const WorkloadRef& w) const;

  /// A bounded list of pod and claim names for "did you mean" (the first ordinals of each set).
  const std::vector<std::string>& pod_names() const { return pod_names_; }
  const std::vector<std::string>& claim_names() const { return claim_names_; }

  /// Replicas a StatefulSet can reach: the larger of its own and any `scale` fault's.
  std::int32_t reach(const k8s::StatefulSet& sts) const;

 private:
  bool ordinal_in(const Declared<k8s::StatefulSet>& d, const std::string& ordinal) const;

  std::map<std::string, std::vector<std::string>> bare_pods_;                             // name -> namespaces
  std::map<std::string, std::vector<std::string>> bare_claims_;                           // name -> namespaces
  std::map<std::string, std::vector<const Declared<k8s::StatefulSet>*>> sets_;            // set name
  std::map<std::string, std::vector<const Declared<k8s::StatefulSet>*>> claim_prefixes_;  // "TEMPLATE-SET"
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> generators_;    // name -> (ns, "kind/name")
  std::map<std::string, std::vector<std::string>> workloads_;                             // "kind/name" -> namespaces
  std::map<std::string, std::int32_t> scaled_;                                            // set name -> largest scale
  std::vector<std::string> pod_names_;
  std::vector<std::string> claim_names_;
};

}  // namespace azsim::scenario::check
