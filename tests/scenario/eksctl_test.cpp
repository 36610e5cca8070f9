// The eksctl ClusterConfig as a cluster source: by file, inline, or as a document of the
// scenario stream; eksctl's defaults; conflicts with spec.cloud.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "scenario_test_util.hpp"

namespace azsim::scenario::testing {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const std::string kScenario = "apiVersion: azsim/v1alpha1\nkind: Scenario\nmetadata: {name: e}\nspec:\n";

const std::string kCluster = R"(apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata:
  name: demo
  region: us-west-2
  version: "1.27"
availabilityZones: ["us-west-2a", "us-west-2b", "us-west-2c"]
managedNodeGroups:
- name: ng
  desiredCapacity: 6
  instanceType: t3.small
  ssh: {enableSsm: true}
  labels: {team: a}
  taints: [{key: dedicated, value: db, effect: NoSchedule}]
nodeGroups:
- name: old
  minSize: 1
  maxSize: 4
  availabilityZones: [us-west-2a]
  maxPodsPerNode: 20
  volumeSize: 50
  taints: {legacy: "yes:NoExecute"}
secretsEncryption: {keyARN: "arn:aws:kms:us-west-2:123456789012:key/x"}
)";

TEST(Eksctl, FromAFileWithEksctlDefaults) {
  const LoadResult r =
      load(kScenario + "  eksctl: {file: clusters/eks.yaml}\n", "dir/s.yaml", {{"dir/clusters/eks.yaml", kCluster}});
  ASSERT_TRUE(r.ok()) << r.report();
  const Scenario& s = *r.scenario;
  EXPECT_EQ(s.eksctl->cluster_name, "demo");
  EXPECT_EQ(s.eksctl->file, "dir/clusters/eks.yaml");
  EXPECT_EQ(s.cloud.region, "us-west-2");
  EXPECT_EQ(s.cloud.zones, (std::vector<std::string>{"us-west-2a", "us-west-2b", "us-west-2c"}));
  EXPECT_EQ(s.kubernetes.version.str(), "1.27");
  ASSERT_EQ(s.cloud.node_groups.size(), 2u);
  const NodeGroup& ng = s.cloud.node_groups[0];
  EXPECT_TRUE(ng.from_eksctl);
  EXPECT_EQ(ng.desired_capacity, 6);
  EXPECT_EQ(ng.min_size, 6);  // eksctl: minSize and maxSize default to desiredCapacity
  EXPECT_EQ(ng.max_size, 6);
  EXPECT_EQ(ng.zones, s.cloud.zones);  // the cluster's availabilityZones
  EXPECT_EQ(ng.labels.at("team"), "a");
  EXPECT_EQ(ng.labels.at("eks.amazonaws.com/nodegroup"), "ng");
  EXPECT_EQ(ng.labels.at("eks.amazonaws.com/capacityType"), "ON_DEMAND");
  EXPECT_EQ(ng.labels.at("alpha.eksctl.io/nodegroup-name"), "ng");
  EXPECT_EQ(ng.labels.at("alpha.eksctl.io/cluster-name"), "demo");
  EXPECT_EQ(ng.taints.at(0).value, "db");
  EXPECT_EQ(ng.source.file, "dir/clusters/eks.yaml");
  EXPECT_EQ(ng.source.at(ng.path + ".instanceType").line, 11);
  const NodeGroup& old = s.cloud.node_groups[1];
  EXPECT_EQ(old.instance_type, "m5.large");  // eksctl's default type
  EXPECT_EQ(old.desired_capacity, 1);        // from minSize
  EXPECT_EQ(old.max_size, 4);
  EXPECT_EQ(old.max_pods, 20);
  EXPECT_EQ(old.volume_size_gib, 50);
  EXPECT_EQ(old.labels.count("eks.amazonaws.com/nodegroup"), 0u);  // not a managed group
  ASSERT_EQ(old.taints.size(), 1u);                                // the old map form {key: "value:Effect"}
  EXPECT_EQ(old.taints[0].key, "legacy");
  EXPECT_EQ(old.taints[0].value, "yes");
  EXPECT_EQ(old.taints[0].effect, k8s::TaintEffect::NoExecute);
  // secretsEncryption and ssh do not matter to the simulation: no warning.
  EXPECT_TRUE(warnings(r).empty()) << r.report();
}

TEST(Eksctl, InlineAndAsAStreamDocumentGiveTheSameCluster) {
  std::string indented;
  for (std::size_t start = 0; start < kCluster.size();) {
    const auto end = kCluster.find('\n', start);
    indented += "    " + kCluster.substr(start, end - start + 1);
    start = end + 1;
  }
  const LoadResult inl = load(kScenario + "  eksctl:\n" + indented);
  const LoadResult doc = load(kScenario + "  duration: 2h\n---\n" + kCluster);
  ASSERT_TRUE(inl.ok()) << inl.report();
  ASSERT_TRUE(doc.ok()) << doc.report();
  ASSERT_EQ(inl.scenario->cloud.node_groups.size(), doc.scenario->cloud.node_groups.size());
  for (std::size_t i = 0; i < inl.scenario->cloud.node_groups.size(); ++i) {
    const auto& a = inl.scenario->cloud.node_groups[i];
    const auto& b = doc.scenario->cloud.node_groups[i];
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.instance_type, b.instance_type);
    EXPECT_EQ(a.desired_capacity, b.desired_capacity);
    EXPECT_EQ(a.zones, b.zones);
    EXPECT_EQ(a.labels, b.labels);
  }
  // Inline node groups are located in the scenario document itself.
  const NodeGroup& g = inl.scenario->cloud.node_groups[0];
  EXPECT_EQ(g.path, "spec.eksctl.managedNodeGroups[0]");
  EXPECT_EQ(g.source.at(g.path + ".instanceType").line, 16);  // kCluster line 11, after 5 lines
}

TEST(Eksctl, FieldsThatCouldMatterAreWarnedAbout) {
  const std::string cluster = replace_first(kCluster, "  ssh: {enableSsm: true}\n", "  spot: true\n  subnets: [a]\n") +
                              "karpenter: {version: v0.20.0}\n";
  const LoadResult r = load(kScenario + "  eksctl: {file: e.yaml}\n", "s.yaml", {{"e.yaml", cluster}});
  ASSERT_TRUE(r.ok()) << r.report();
  EXPECT_THAT(warnings(r),
              ElementsAre("e.yaml:12:9: warning: managedNodeGroups[0].spot: spot interruptions are not modelled; "
                          "instances behave as on-demand",
                          "e.yaml:13:12: warning: managedNodeGroups[0].subnets: subnets are not modelled; the group "
                          "spans its availability zones",
                          "e.yaml:25:12: warning: karpenter: Karpenter is not modelled; only the node groups' Auto "
                          "Scaling groups launch nodes"));
  EXPECT_EQ(r.scenario->cloud.node_groups[0].labels.at("eks.amazonaws.com/capacityType"), "SPOT");
}

// Versions outside 1.21 to 1.34 load with a warning at the version, from the scenario or from
// the eksctl config, saying what they behave as; versions within it load without one.
TEST(Eksctl, VersionsOutsideTheModelledRangeWarn) {
  auto cluster = [](const std::string& v) {
    std::string c = kCluster;
    c.replace(c.find("\"1.27\""), 6, "\"" + v + "\"");
    return c;
  };
  const LoadResult old = load(kScenario + "  eksctl: {file: e.yaml}\n", "s.yaml", {{"e.yaml", cluster("1.8")}});
  ASSERT_TRUE(old.ok()) << old.report();
  EXPECT_THAT(warnings(old), ElementsAre("e.yaml:6:12: warning: metadata.version: 1.8 is older than the versions azsim "
                                         "models (1.21 to 1.34): it behaves as 1.21"));
  const LoadResult newer = load(kScenario + "  kubernetes: {version: \"1.40\"}\n  eksctl: {file: e.yaml}\n", "s.yaml",
                                {{"e.yaml", cluster("1.40")}});
  ASSERT_TRUE(newer.ok()) << newer.report();
  EXPECT_THAT(warnings(newer), ElementsAre("s.yaml:5:25: warning: spec.kubernetes.version: 1.40 is newer than the "
                                           "versions azsim models (1.21 to 1.34): it behaves as 1.34, without later "
                                           "changes"));
  for (const std::string v : {"1.21", "1.34"}) {
    const LoadResult r = load(kScenario + "  eksctl: {file: e.yaml}\n", "s.yaml", {{"e.yaml", cluster(v)}});
    ASSERT_TRUE(r.ok()) << r.report();
    EXPECT_THAT(warnings(r), ::testing::IsEmpty()) << v;
  }
}

TEST(Eksctl, ConflictsWithSpecCloudAreErrors) {
  const std::string text =
      kScenario +
      "  kubernetes: {version: \"1.29\"}\n  cloud:\n    region: eu-west-1\n"
      "    zones: [us-west-2a]\n    nodeGroups: [{name: x, instanceType: t3.small, desiredCapacity: 1}]\n"
      "  eksctl: {file: e.yaml}\n";
  const LoadResult r = load(text, "s.yaml", {{"e.yaml", kCluster}});
  const auto e = errors(r);
  EXPECT_THAT(
      e, Contains("s.yaml:5:25: spec.kubernetes.version: \"1.29\" differs from the eksctl config's version \"1.27\""));
  EXPECT_THAT(
      e,
      Contains("s.yaml:7:13: spec.cloud.region: \"eu-west-1\" differs from the eksctl config's region \"us-west-2\""));
  EXPECT_THAT(e,
              Contains("s.yaml:8:12: spec.cloud.zones: differs from the eksctl config's availabilityZones (us-west-2a, "
                       "us-west-2b, us-west-2c)"));
  EXPECT_THAT(e,
              Contains("s.yaml:9:17: spec.cloud.nodeGroups: node groups come from the eksctl config here; give them in "
                       "one place only"));
}

TEST(Eksctl, AConfigThatIsNotEksctl) {
  const LoadResult r =
      load(kScenario + "  eksctl: {file: e.yaml}\n", "s.yaml", {{"e.yaml", "apiVersion: v1\nkind: Service\n"}});
  EXPECT_THAT(errors(r),
              Contains("s.yaml:5:18: spec.eksctl.file: \"e.yaml\" holds no eksctl ClusterConfig (apiVersion: "
                       "eksctl.io/v1alpha5, kind: ClusterConfig)"));
}

TEST(Eksctl, TwoClusterDefinitionsAreAnError) {
  const LoadResult r = load(kScenario + "  eksctl: {file: e.yaml}\n---\n" + kCluster, "s.yaml", {{"e.yaml", kCluster}});
  EXPECT_THAT(errors(r), Contains(HasSubstr("a second eksctl ClusterConfig: a scenario takes one cluster definition")));
}

TEST(Eksctl, NodeGroupZonesMustBeTheClusters) {
  const std::string cluster =
      replace_first(kCluster, "  availabilityZones: [us-west-2a]", "  availabilityZones: [us-west-2d]");
  const LoadResult r = load(kScenario + "  eksctl: {file: e.yaml}\n", "s.yaml", {{"e.yaml", cluster}});
  EXPECT_THAT(errors(r),
              ElementsAre("e.yaml:19:23: nodeGroups[0].availabilityZones[0]: zone \"us-west-2d\" is not one of the "
                          "cloud's zones (us-west-2a, us-west-2b, us-west-2c)"));
}

// The old map form needs VALUE:EFFECT, as the kubelet's --register-with-taints does: a value
// alone is an error at the value (line 22 `  taints: {legacy: "yes"}`, column 20), not a
// taint with no effect.
TEST(Eksctl, AMapTaintWithoutAnEffectIsAnError) {
  const std::string cluster = replace_first(kCluster, "{legacy: \"yes:NoExecute\"}", "{legacy: \"yes\"}");
  const LoadResult r = load(kScenario + "  eksctl: {file: e.yaml}\n", "s.yaml", {{"e.yaml", cluster}});
  EXPECT_THAT(errors(r), ElementsAre("e.yaml:22:20: nodeGroups[0].taints.legacy: \"yes\" has no effect: write "
                                     "VALUE:EFFECT, e.g. \"yes:NoSchedule\""));
}

}  // namespace
}  // namespace azsim::scenario::testing
