// Internal to the scenario loader: reading Kubernetes manifests into the k8s:: types.
//
// Kubernetes objects are read the way the API server would accept them: fields azsim reads
// must have the right type and valid values (errors at the field); fields Kubernetes has but
// azsim does not model (env, image, volumeMounts, ...) are accepted silently; fields Kubernetes
// does not have at all are probably typos and get a warning with a suggestion (kubectl's
// default --validate=strict would reject them).
#pragma once

#include <map>
#include <memory>
#include <string>

#include "models/k8s/objects.hpp"
#include "models/scenario/reader.hpp"
#include "models/scenario/scenario.hpp"

namespace azsim::scenario::manifest {

/// PriorityClass values by name (built-in system classes included), for resolving
/// priorityClassName after every manifest is read.
struct PriorityClasses {
  std::map<std::string, std::int32_t> values;
  std::optional<std::int32_t> global_default;
};

/// Reads one manifest document into `out`. `doc` owns the tree; `ctx` names its file.
/// Kinds azsim does not model are reported as warnings; `kind: List` is read item by item.
void read_manifest(const std::shared_ptr<const Node>& doc, const ReadContext& ctx, Manifests& out,
                   PriorityClasses& priorities);

// --- Pieces shared by the per-kind readers (pod_parse.cpp, storage_parse.cpp, ...) ----------

/// metadata: name (required, validated), namespace (namespaced kinds), labels, annotations.
k8s::ObjectMeta read_meta(const Field& meta, bool namespaced, const char* kind);
/// metav1.LabelSelector.
k8s::LabelSelector read_label_selector(const Field& f);
/// v1.NodeSelectorTerm (node affinity, PV node affinity).
k8s::NodeSelectorTerm read_node_selector_term(const Field& f);
/// v1.NodeSelector {nodeSelectorTerms: [...]}.
k8s::NodeSelector read_node_selector(const Field& f);
/// Labels-like string maps, with Kubernetes' key and value syntax checked when `labels`.
k8s::Labels read_string_map(const Field& f, bool labels);
/// A pod template (metadata + spec).
k8s::PodTemplate read_pod_template(const Field& f, const std::string& ns);
k8s::PodSpec read_pod_spec(const Field& f);
/// A PersistentVolumeClaim's spec into `pvc` (also used for volumeClaimTemplates).
void read_pvc_spec(const Field& spec, k8s::PersistentVolumeClaim& pvc);
/// An int or "N%" (PDB minAvailable/maxUnavailable, rolling update maxSurge...).
std::optional<k8s::IntOrPercent> read_int_or_percent(const Field& f);
/// An EBS volume id as written in a PV or pod ("vol-0abc" or "aws://eu-west-1a/vol-0abc"):
/// the bare id, and the zone when the URL form gives one.
std::string ebs_volume_id(const std::string& written, std::string* zone_out = nullptr);
// --- One reader per kind; `root` is the whole document (metadata already read into meta) --

void read_storage_class(const Field& root, k8s::StorageClass& sc);
void read_persistent_volume(const Field& root, k8s::PersistentVolume& pv);
void read_persistent_volume_claim(const Field& root, k8s::PersistentVolumeClaim& pvc);
void read_pod(const Field& root, k8s::Pod& pod);
void read_stateful_set(const Field& root, const std::string& api_version, k8s::StatefulSet& sts);
void read_deployment(const Field& root, const std::string& api_version, k8s::Deployment& d);
void read_replica_set(const Field& root, const std::string& api_version, k8s::ReplicaSet& rs);
/// False when the budget selects no pods at all (it then has no effect and is dropped).
bool read_pod_disruption_budget(const Field& root, const std::string& api_version, k8s::PodDisruptionBudget& pdb);
void read_service(const Field& root, k8s::Service& svc);

/// kubectl-style validity of object names: a DNS-1123 subdomain (or label when `label`).
bool valid_dns_name(const std::string& name, bool label);

}  // namespace azsim::scenario::manifest
