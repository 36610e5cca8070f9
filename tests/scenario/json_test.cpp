// A JSON scenario reads exactly like its YAML twin, and its mistakes are located as precisely.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "scenario_test_util.hpp"

namespace azsim::scenario::testing {
namespace {

using ::testing::ElementsAre;

const std::string kYaml = R"(apiVersion: azsim/v1alpha1
kind: Scenario
metadata: {name: twin}
spec:
  seed: 9
  duration: 2h
  cloud:
    zones: [eu-west-1a, eu-west-1b]
    nodeGroups: [{name: ng, instanceType: t3.medium, desiredCapacity: 2, maxSize: 4}]
  manifests:
    - file: sts.json
  faults:
    - {at: 10m, action: terminate-instance, node: {runningPod: cassandra-1}}
)";

const std::string kJson = R"({
  "apiVersion": "azsim/v1alpha1",
  "kind": "Scenario",
  "metadata": {"name": "twin"},
  "spec": {
    "seed": 9,
    "duration": "2h",
    "cloud": {
      "zones": ["eu-west-1a", "eu-west-1b"],
      "nodeGroups": [{"name": "ng", "instanceType": "t3.medium", "desiredCapacity": 2, "maxSize": 4}]
    },
    "manifests": [{"file": "sts.json"}],
    "faults": [{"at": "10m", "action": "terminate-instance", "node": {"runningPod": "cassandra-1"}}]
  }
}
)";

const std::string kStsJson = R"({
  "apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "cassandra"},
  "spec": {
    "replicas": 2,
    "selector": {"matchLabels": {"app": "c"}},
    "template": {"metadata": {"labels": {"app": "c"}}, "spec": {"containers": [{"name": "c"}]}}
  }
})";

TEST(Json, SameScenarioAsYaml) {
  const Files files = {{"sts.json", kStsJson}};
  const LoadResult y = load(kYaml, "s.yaml", files);
  const LoadResult j = load(kJson, "s.json", files);
  ASSERT_TRUE(y.ok()) << y.report();
  ASSERT_TRUE(j.ok()) << j.report();
  const Scenario& a = *y.scenario;
  const Scenario& b = *j.scenario;
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.seed, b.seed);
  EXPECT_EQ(a.duration, b.duration);
  EXPECT_EQ(a.cloud.region, b.cloud.region);
  EXPECT_EQ(a.cloud.zones, b.cloud.zones);
  EXPECT_EQ(a.cloud.node_groups.at(0).max_size, b.cloud.node_groups.at(0).max_size);
  EXPECT_EQ(a.manifests.stateful_sets.at(0).object.replicas, b.manifests.stateful_sets.at(0).object.replicas);
  EXPECT_EQ(a.faults.at(0).node->pod, b.faults.at(0).node->pod);
  // Positions are kept in JSON too.
  EXPECT_EQ(b.at("spec.faults[0].node").line, 13);
}

TEST(Json, TypesAreStrictInJsonToo) {
  const LoadResult r = load(replace_first(kJson, "\"seed\": 9", "\"seed\": \"9\""), "s.json", {{"sts.json", kStsJson}});
  // Line 6 `    "seed": "9",`: the value starts at column 13.
  EXPECT_THAT(errors(r), ElementsAre("s.json:6:13: spec.seed: expected an integer, got the string \"9\""));
}

TEST(Json, ErrorsInAJsonManifestFile) {
  const LoadResult r =
      load(kYaml, "s.yaml", {{"sts.json", replace_first(kStsJson, "\"replicas\": 2", "\"replicas\": 2.5")}});
  EXPECT_THAT(
      errors(r),
      ElementsAre("sts.json:4:17: StatefulSet/cassandra.spec.replicas: expected an integer, got the number 2.5"));
}

TEST(Json, SyntaxErrorInAJsonManifestFile) {
  const LoadResult r =
      load(kYaml, "s.yaml", {{"sts.json", replace_first(kStsJson, "\"replicas\": 2,", "\"replicas\": 2")}});
  // The missing comma is noticed at the next key, line 5 column 5.
  EXPECT_THAT(errors(r),
              ElementsAre("sts.json:5:5: invalid JSON: syntax error while parsing object - unexpected string "
                          "literal; expected '}'"));
}

}  // namespace
}  // namespace azsim::scenario::testing
