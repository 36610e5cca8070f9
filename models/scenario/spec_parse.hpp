// Internal to the scenario loader: reading the Scenario document (strict: unknown fields are
// errors with a suggestion) and the eksctl ClusterConfig (lenient, like eksctl's own fields).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/cloud/params.hpp"
#include "models/controllers/params.hpp"
#include "models/scenario/reader.hpp"
#include "models/scenario/scenario.hpp"

namespace azsim::scenario::spec {

/// A manifest source named in spec.manifests: a file to load or an inline object (or list).
struct ManifestSource {
  std::string file;                   // as written (relative to the scenario file); empty when inline
  const Node* inline_node = nullptr;  // inside the Scenario document
  Field field;                        // where it was written, for errors about it
};

/// spec.eksctl: a file to load or an inline ClusterConfig.
struct EksctlRef {
  std::string file;
  const Node* inline_node = nullptr;
  Field field;
};

/// What the Scenario document asks the loader to fetch.
struct Inputs {
  std::vector<ManifestSource> manifests;
  std::optional<EksctlRef> eksctl;
};

/// Reads the Scenario document into `out` (name, seed, durations, kubernetes, cloud, data,
/// faults, failures) and lists the files and inline objects it refers to.
void read_scenario(const Field& root, Scenario& out, Inputs& inputs);

// --- Sections (each in its own file) ---------------------------------------------------------

/// spec.kubernetes into `k`; enableAdmissionPlugins into `plugins`.
void read_kubernetes(const Field& f, controllers::KubernetesParams& k, std::vector<std::string>& plugins);
void read_cloud(const Field& f, CloudSpec& cloud);
void read_data(const Field& f, std::vector<DataService>& out);
void read_faults(const Field& f, std::vector<Fault>& out);
void read_setup(const Field& f, std::vector<SetupStep>& out);
/// node: NAME | {runningPod: P [, namespace]} | {name: N} | {zone: Z, group: G, index: I}.
std::optional<NodeTarget> read_node_target(const Field& f);
void read_failures(const Field& f, Failures& out);

/// A duration distribution in any of the forms cloud::DurationDistribution documents.
std::optional<cloud::DurationDistribution> read_distribution(const Field& f);
/// "0.2%" as 0.002 (a percentage string; bare numbers are refused as ambiguous).
std::optional<double> read_percent(const Field& f);
/// Decimal digits with at most one point ("0.2", "15", ".5"): no sign, exponent, hex or spaces.
bool is_plain_decimal(std::string_view s);
/// "statefulset/NAME", "deployment/NAME" (also sts/, deploy/, replicaset/, rs/, any case).
std::optional<WorkloadRef> read_workload_ref(const Field& f, bool allow_replicaset);
/// A node group's taints: [{key, value, effect}] or ["key=value:Effect"].
std::vector<k8s::Taint> read_taints(const Field& f);

/// The result of reading an eksctl ClusterConfig.
struct EksctlConfig {
  std::string name;
  std::string region;
  std::optional<std::string> version;
  std::vector<std::string> zones;  // availabilityZones
  std::vector<NodeGroup> node_groups;
  Field region_field, version_field, zones_field;
};

/// Reads a ClusterConfig (apiVersion eksctl.io/v1alpha5). Fields eksctl has that azsim does not
/// model are accepted; those that could change the simulation get a warning.
std::optional<EksctlConfig> read_eksctl(const Field& root, const SourceDoc& source);

}  // namespace azsim::scenario::spec
