// The subset of an eksctl ClusterConfig (eksctl.io/v1alpha5) that shapes a cluster: region,
// version, zones and node groups. eksctl's defaults (pkg/apis/eksctl.io/v1alpha5/defaults.go):
// instanceType m5.large, desiredCapacity 2, minSize and maxSize default to desiredCapacity.
#include "models/scenario/limits.hpp"
#include "models/scenario/manifest_parse.hpp"
#include "models/scenario/spec_parse.hpp"

namespace azsim::scenario::spec {

namespace {

constexpr const char* kDefaultInstanceType = "m5.large";
constexpr std::int32_t kDefaultNodeCount = 2;

const std::vector<std::string> kTopFields = {"apiVersion",
                                             "kind",
                                             "metadata",
                                             "kubernetesNetworkConfig",
                                             "autoModeConfig",
                                             "iam",
                                             "iamIdentityMappings",
                                             "identityProviders",
                                             "accessConfig",
                                             "vpc",
                                             "addons",
                                             "addonsConfig",
                                             "privateCluster",
                                             "nodeGroups",
                                             "managedNodeGroups",
                                             "fargateProfiles",
                                             "availabilityZones",
                                             "localZones",
                                             "cloudWatch",
                                             "secretsEncryption",
                                             "status",
                                             "gitops",
                                             "karpenter",
                                             "outpost",
                                             "zonalShiftConfig",
                                             "remoteNetworkConfig"};
const std::vector<std::string> kMetaFields = {"name", "region", "version", "tags", "annotations", "accountID"};
const std::vector<std::string> kNodeGroupFields = {"name",
                                                   "amiFamily",
                                                   "instanceType",
                                                   "availabilityZones",
                                                   "subnets",
                                                   "instancePrefix",
                                                   "instanceName",
                                                   "desiredCapacity",
                                                   "minSize",
                                                   "maxSize",
                                                   "volumeSize",
                                                   "ssh",
                                                   "labels",
                                                   "privateNetworking",
                                                   "tags",
                                                   "iam",
                                                   "ami",
                                                   "securityGroups",
                                                   "maxPodsPerNode",
                                                   "asgSuspendProcesses",
                                                   "ebsOptimized",
                                                   "volumeType",
                                                   "volumeName",
                                                   "volumeEncrypted",
                                                   "volumeKmsKeyID",
                                                   "volumeIOPS",
                                                   "volumeThroughput",
                                                   "additionalVolumes",
                                                   "preBootstrapCommands",
                                                   "overrideBootstrapCommand",
                                                   "propagateASGTags",
                                                   "disableIMDSv1",
                                                   "disablePodIMDS",
                                                   "placement",
                                                   "efaEnabled",
                                                   "instanceSelector",
                                                   "bottlerocket",
                                                   "enableDetailedMonitoring",
                                                   "capacityReservation",
                                                   "outpostARN",
                                                   "taints",
                                                   "updateConfig",
                                                   "clusterDNS",
                                                   "kubeletExtraConfig",
                                                   "containerRuntime",
                                                   "maxInstanceLifetime",
                                                   "localZones",
                                                   "targetGroupARNs",
                                                   "classicLoadBalancerNames",
                                                   "cpuCredits",
                                                   "spot",
                                                   "instanceTypes",
                                                   "releaseVersion",
                                                   "launchTemplate",
                                                   "instancesDistribution",
                                                   "asgMetricsCollection",
                                                   "warmPool",
                                                   "nodeRepairConfig",
                                                   "securityGroups",
                                                   "customLaunchTemplate"};

/// eksctl configs are often written with shell variables (${AWS_REGION}) substituted by a
/// heredoc; left as is they would name nonexistent zones.
bool unexpanded(const Field& f, const std::string& value) {
  if (value.find("${") == std::string::npos && (value.empty() || value[0] != '$')) return false;
  f.error("\"" + value + "\" looks like an unexpanded shell variable: write the value itself");
  return true;
}

std::optional<std::string> plain_string(const Field& f) {
  auto s = f.str();
  if (!s || unexpanded(f, *s)) return std::nullopt;
  return s;
}

/// Old eksctl configs write taints as a map {key: "value:Effect"}; current ones as a list.
std::vector<k8s::Taint> read_eksctl_taints(const Field& f) {
  if (!f.is_map()) return read_taints(f);
  std::vector<k8s::Taint> out;
  for (const auto& [key, v] : f.entries()) {
    auto s = v.str();
    if (!s) continue;
    const auto colon = s->rfind(':');
    if (colon == std::string::npos) {
      // The kubelet's --register-with-taints, which these become, needs key=value:effect.
      v.error("\"" + *s + "\" has no effect: write VALUE:EFFECT, e.g. \"" + *s + ":NoSchedule\"");
      continue;
    }
    k8s::Taint t;
    t.key = key;
    t.value = s->substr(0, colon);
    const std::string effect = s->substr(colon + 1);
    if (effect == "NoSchedule")
      t.effect = k8s::TaintEffect::NoSchedule;
    else if (effect == "PreferNoSchedule")
      t.effect = k8s::TaintEffect::PreferNoSchedule;
    else if (effect == "NoExecute")
      t.effect = k8s::TaintEffect::NoExecute;
    else {
      v.error("\"" + effect + "\" is not a taint effect: use NoSchedule, PreferNoSchedule or NoExecute");
      continue;
    }
    out.push_back(t);
  }
  return out;
}

void warn_unmodelled(const Field& g) {
  if (g["spot"].boolean().value_or(false))
    g["spot"].warning("spot interruptions are not modelled; instances behave as on-demand");
  if (g.has("instancesDistribution"))
    g["instancesDistribution"].warning(
        "mixed instance policies are not modelled; the group uses its first instance type");
  if (g.has("subnets")) g["subnets"].warning("subnets are not modelled; the group spans its availability zones");
  if (g.has("kubeletExtraConfig"))
    g["kubeletExtraConfig"].warning("kubelet settings are not read; the EKS AMI's reservations and limits apply");
  if (g.has("asgSuspendProcesses"))
    g["asgSuspendProcesses"].warning(
        "suspended Auto Scaling processes are not modelled; the group replaces and rebalances as usual");
  if (auto fam = g["amiFamily"].str(); fam && fam->rfind("AmazonLinux", 0) != 0)
    g["amiFamily"].warning("\"" + *fam + "\" nodes are simulated with the Amazon Linux EKS AMI's kubelet reservations");
  if (g.has("instanceSelector"))
    g["instanceSelector"].warning("instance selectors are not modelled; give instanceType");
  if (g.has("maxInstanceLifetime")) g["maxInstanceLifetime"].warning("instance refresh by lifetime is not modelled");
}

void read_group(const Field& g, bool managed, const EksctlConfig& cfg, const SourceDoc& source, NodeGroup& ng) {
  g.check_keys(kNodeGroupFields, UnknownKeys::Warn, "eksctl would reject it");
  ng.from_eksctl = true;
  ng.source = source;
  ng.path = g.path();
  if (auto n = plain_string(g["name"]))
    ng.name = *n;
  else if (!g.has("name"))
    g["name"].require();
  ng.instance_type = kDefaultInstanceType;
  if (auto t = plain_string(g["instanceType"])) {
    ng.instance_type = *t;
  } else if (const Field types = g["instanceTypes"]; types.present()) {
    if (auto list = types.str_list(); list && !list->empty()) {
      ng.instance_type = list->front();
      if (list->size() > 1) types.warning("several instance types are not modelled; the group uses " + list->front());
    }
  }
  if (auto z = g["availabilityZones"].str_list()) {
    const auto items = g["availabilityZones"].items();
    for (std::size_t i = 0; i < z->size(); ++i)
      if (!unexpanded(items[i], (*z)[i])) ng.zones.push_back((*z)[i]);
  } else {
    ng.zones = cfg.zones;
  }
  const auto max_nodes = static_cast<std::int32_t>(limits::kMaxNodes);
  const auto desired = g["desiredCapacity"].int32(0, max_nodes, "azsim's limit on nodes");
  const auto min = g["minSize"].int32(0, max_nodes, "azsim's limit on nodes");
  const auto max = g["maxSize"].int32(0, max_nodes, "azsim's limit on nodes");
  ng.desired_capacity = desired ? *desired : (min ? *min : kDefaultNodeCount);
  ng.min_size = min.value_or(ng.desired_capacity);
  ng.max_size = max.value_or(std::max(ng.desired_capacity, ng.min_size));
  if (ng.min_size > ng.max_size)
    (min ? g["minSize"] : g["maxSize"])
        .error("minSize " + std::to_string(ng.min_size) + " is greater than maxSize " + std::to_string(ng.max_size));
  else if (ng.desired_capacity < ng.min_size || ng.desired_capacity > ng.max_size)
    (desired ? g["desiredCapacity"] : g["minSize"])
        .error("desiredCapacity " + std::to_string(ng.desired_capacity) + " must be between minSize " +
               std::to_string(ng.min_size) + " and maxSize " + std::to_string(ng.max_size));
  ng.labels = manifest::read_string_map(g["labels"], true);
  // The labels eksctl and EKS put on every node of the group, which pods may select on.
  ng.labels["alpha.eksctl.io/nodegroup-name"] = ng.name;
  if (!cfg.name.empty()) ng.labels["alpha.eksctl.io/cluster-name"] = cfg.name;
  if (managed) {
    ng.labels["eks.amazonaws.com/nodegroup"] = ng.name;
    ng.labels["eks.amazonaws.com/capacityType"] = g["spot"].boolean().value_or(false) ? "SPOT" : "ON_DEMAND";
  }
  ng.taints = read_eksctl_taints(g["taints"]);
  if (auto p = g["maxPodsPerNode"].int32(1, limits::kMaxPodsPerNode, "azsim's limit on pods per node"))
    ng.max_pods = *p;
  if (auto v = g["volumeSize"].int32(1, 65536)) ng.volume_size_gib = *v;
  warn_unmodelled(g);
}

}  // namespace

std::optional<EksctlConfig> read_eksctl(const Field& root, const SourceDoc& source) {
  if (!root.expect_map()) return std::nullopt;
  root.check_keys(kTopFields, UnknownKeys::Warn, "eksctl would reject it");
  auto api = root["apiVersion"].str();
  if (!api) {
    root["apiVersion"].require("apiVersion: eksctl.io/v1alpha5");
    return std::nullopt;
  }
  if (*api != "eksctl.io/v1alpha5") {
    root["apiVersion"].error("\"" + *api + "\" is not an eksctl config version azsim reads: use eksctl.io/v1alpha5");
    return std::nullopt;
  }
  if (auto kind = root["kind"].str(); !kind || *kind != "ClusterConfig") {
    if (kind)
      root["kind"].error("\"" + *kind + "\" is not ClusterConfig");
    else
      root["kind"].require("kind: ClusterConfig");
    return std::nullopt;
  }
  EksctlConfig cfg{
      "", "", std::nullopt, {}, {}, root["metadata"]["region"], root["metadata"]["version"], root["availabilityZones"]};
  if (const Field meta = root["metadata"]; meta.expect_map()) {
    meta.check_keys(kMetaFields, UnknownKeys::Warn, "eksctl would reject it");
    if (auto n = plain_string(meta["name"])) cfg.name = *n;
    if (auto r = plain_string(meta["region"]))
      cfg.region = *r;
    else if (!meta.has("region"))
      meta["region"].require("eksctl needs the region, e.g. us-west-2");
    if (auto v = meta["version"].str()) {
      if (*v == "auto" || *v == "latest" || *v == "default")
        meta["version"].warning("\"" + *v +
                                "\" depends on the day eksctl runs; azsim uses Kubernetes 1.29 unless "
                                "spec.kubernetes.version says otherwise");
      else if (!unexpanded(meta["version"], *v))
        cfg.version = *v;
    }
  } else {
    root["metadata"].require("metadata: {name: ..., region: ...}");
  }
  if (auto zones = root["availabilityZones"].str_list()) {
    const auto items = root["availabilityZones"].items();
    for (std::size_t i = 0; i < zones->size(); ++i)
      if (!unexpanded(items[i], (*zones)[i])) cfg.zones.push_back((*zones)[i]);
  }
  if (root.has("karpenter"))
    root["karpenter"].warning("Karpenter is not modelled; only the node groups' Auto Scaling groups launch nodes");
  if (root.has("fargateProfiles"))
    root["fargateProfiles"].warning("Fargate is not modelled; every pod runs on the node groups");
  for (const char* key : {"managedNodeGroups", "nodeGroups"}) {
    for (const auto& g : root[key].items()) {
      if (!g.expect_map()) continue;
      NodeGroup ng;
      read_group(g, std::string(key) == "managedNodeGroups", cfg, source, ng);
      cfg.node_groups.push_back(std::move(ng));
    }
  }
  if (cfg.node_groups.empty() && !root.has("managedNodeGroups") && !root.has("nodeGroups"))
    root.error("the ClusterConfig has no managedNodeGroups or nodeGroups: the cluster would have no worker nodes");
  return cfg;
}

}  // namespace azsim::scenario::spec
