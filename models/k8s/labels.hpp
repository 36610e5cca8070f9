// Labels and the selectors that match them: LabelSelector (matchLabels/matchExpressions, as used
// by workloads, PDBs, pod affinity and topology spread) and NodeSelector (node affinity terms).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace azsim::k8s {

/// Key/value labels, ordered by key so iteration (and everything printed) is deterministic.
using Labels = std::map<std::string, std::string, std::less<>>;

/// Well-known label and taint keys.
namespace wellknown {
inline constexpr const char* kZone = "topology.kubernetes.io/zone";
inline constexpr const char* kRegion = "topology.kubernetes.io/region";
inline constexpr const char* kZoneLegacy = "failure-domain.beta.kubernetes.io/zone";
inline constexpr const char* kRegionLegacy = "failure-domain.beta.kubernetes.io/region";
inline constexpr const char* kHostname = "kubernetes.io/hostname";
inline constexpr const char* kInstanceType = "node.kubernetes.io/instance-type";
inline constexpr const char* kInstanceTypeLegacy = "beta.kubernetes.io/instance-type";
inline constexpr const char* kOs = "kubernetes.io/os";
inline constexpr const char* kArch = "kubernetes.io/arch";
inline constexpr const char* kEbsCsiZone = "topology.ebs.csi.aws.com/zone";
inline constexpr const char* kTaintNotReady = "node.kubernetes.io/not-ready";
inline constexpr const char* kTaintUnreachable = "node.kubernetes.io/unreachable";
inline constexpr const char* kTaintUnschedulable = "node.kubernetes.io/unschedulable";
inline constexpr const char* kTaintOutOfService = "node.kubernetes.io/out-of-service";
inline constexpr const char* kTaintShutdown = "node.cloudprovider.kubernetes.io/shutdown";
inline constexpr const char* kTaintMaster = "node-role.kubernetes.io/master";
inline constexpr const char* kTaintControlPlane = "node-role.kubernetes.io/control-plane";
inline constexpr const char* kAnnotationDefaultClass = "storageclass.kubernetes.io/is-default-class";
inline constexpr const char* kAnnotationDefaultClassBeta = "storageclass.beta.kubernetes.io/is-default-class";
}  // namespace wellknown

/// Operators of LabelSelectorRequirement and NodeSelectorRequirement (Gt/Lt: node selectors only).
enum class SelectorOp { In, NotIn, Exists, DoesNotExist, Gt, Lt };

/// One `key op values` requirement.
struct Requirement {
  std::string key;
  SelectorOp op = SelectorOp::In;
  std::vector<std::string> values;

  /// True when `labels` satisfies the requirement (Kubernetes semantics: NotIn and
  /// DoesNotExist match when the key is absent; Gt/Lt compare integers, absent -> false).
  bool matches(const Labels& labels) const;
};

/// metav1.LabelSelector: matchLabels AND matchExpressions. An empty selector matches everything;
/// a missing (nullopt) selector where one is optional matches nothing (callers decide).
struct LabelSelector {
  Labels match_labels;
  std::vector<Requirement> match_expressions;

  bool empty() const { return match_labels.empty() && match_expressions.empty(); }
  bool matches(const Labels& labels) const;
};

/// v1.NodeSelectorTerm: requirements on labels (matchExpressions) and fields (matchFields,
/// only metadata.name), ANDed. An empty term matches nothing, as in Kubernetes.
struct NodeSelectorTerm {
  std::vector<Requirement> match_expressions;
  std::vector<Requirement> match_fields;

  bool matches(const Labels& node_labels, const std::string& node_name) const;
};

/// v1.NodeSelector: terms ORed.
struct NodeSelector {
  std::vector<NodeSelectorTerm> terms;

  bool matches(const Labels& node_labels, const std::string& node_name) const;
};

const char* to_string(SelectorOp op);
std::optional<SelectorOp> parse_selector_op(const std::string& s);

}  // namespace azsim::k8s
