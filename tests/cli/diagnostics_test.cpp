// Bad scenarios through the command line: every problem is printed on stderr exactly as
// FILE:LINE:COL: path: message (scenarios/README.md "Diagnostics"), `validate` and `run` exit 1
// and print nothing on stdout; a warning alone does not stop either.
//
// The files are in tests/cli/data. Most start with the same 12 lines (an azsim/v1alpha1
// Scenario with spec.duration on line 6, zones on line 8 and one node group "workers" on lines
// 10-12); the comment of each case works out where the line and column point. The binary runs
// in tests/cli/data so the messages name the files as given on the command line.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "models/cloud/instance_types.hpp"
#include "run_cli.hpp"

namespace azsim::cli::testing {
namespace {

struct Case {
  std::string file;
  std::string err;       // the whole of stderr
  bool warning = false;  // only warnings: the file is valid
};

// The instance types the loader lists after an unknown one, in the order it prints them.
std::string known_types() {
  std::vector<std::string> names;
  for (const auto& t : cloud::instance_types()) names.push_back(t.name);
  std::sort(names.begin(), names.end());
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::vector<Case> cases() {
  return {
      // Line 4 opens a flow sequence ("  duration: [20m") that never closes; line 5 "  seed: 1"
      // continues it as a plain scalar until its ':' at column 7, which cannot appear there.
      {"bad-malformed-yaml.yaml", "bad-malformed-yaml.yaml:5:7: invalid YAML: end of sequence flow not found\n"},
      // Line 13 "  seeed: 4": the unknown key at column 3.
      {"bad-unknown-field.yaml", "bad-unknown-field.yaml:13:3: spec.seeed: unknown field \"seeed\" (did you mean \"seed\"?)\n"},
      // Line 13 `  seed: "4"`: the quoted value starts at column 9.
      {"bad-wrong-type.yaml", "bad-wrong-type.yaml:13:9: spec.seed: expected an integer, got the string \"4\"\n"},
      // Lines 13-14 manifests, 15 "  faults:", 16 "    - at: 5x": the value at column 11.
      {"bad-duration.yaml",
       "bad-duration.yaml:16:11: spec.faults[0].at: \"5x\" is not a duration: unknown unit \"x\" (use one of us, ms, s, m, h, "
       "d, y)\n"},
      // Same place, "    - at: 300": a bare number other than 0 is not a duration.
      {"bad-bare-number-duration.yaml",
       "bad-bare-number-duration.yaml:16:11: spec.faults[0].at: \"300\" is not a duration: missing unit (use one of us, ms, "
       "s, m, h, d, y)\n"},
      // Line 6 "  duration: -20m": the value at column 13.
      {"bad-negative-duration.yaml",
       "bad-negative-duration.yaml:6:13: spec.duration: \"-20m\" is not a duration: negative durations are not allowed "
       "here\n"},
      // Only a StorageClass document: the problem is the file's, at its start.
      {"bad-no-scenario.yaml",
       "bad-no-scenario.yaml:1:1: no Scenario document: a scenario file needs one document with apiVersion: "
       "azsim/v1alpha1 and kind: Scenario (the other documents may be Kubernetes manifests)\n"},
      // The 12 lines twice with "---" on line 13: the second "kind: Scenario" is line 15, value
      // at column 7.
      {"bad-two-scenarios.yaml",
       "bad-two-scenarios.yaml:15:7: kind: a second Scenario document (the first is at line 1): a scenario file holds "
       "exactly one\n"},
      // Line 11 "        instanceType: t3.smal": 8 spaces and "instanceType: " put the value at 23.
      {"bad-instance-type.yaml",
       "bad-instance-type.yaml:11:23: spec.cloud.nodeGroups[0].instanceType: unknown instance type \"t3.smal\" (did you "
       "mean \"t3.small\"?); azsim knows " +
           known_types() + "\n"},
      // Line 13 "        zones: [eu-west-1a, eu-west-1c]": '[' at 16, the second zone at 29.
      {"bad-zone.yaml",
       "bad-zone.yaml:13:29: spec.cloud.nodeGroups[0].zones[1]: zone \"eu-west-1c\" is not one of the cloud's zones "
       "(eu-west-1a, eu-west-1b)\n"},
      // Line 14 "    - file: no-such-manifests.yaml": the value at column 13.
      {"bad-missing-manifest.yaml",
       "bad-missing-manifest.yaml:14:13: spec.manifests[0].file: cannot read \"no-such-manifests.yaml\": no such file, or "
       "it cannot be opened\n"},
      // Line 9 "  eksctl: {file: no-such-cluster.yaml}" (node groups removed): the value at 18.
      {"bad-eksctl-missing.yaml",
       "bad-eksctl-missing.yaml:9:18: spec.eksctl.file: cannot read \"no-such-cluster.yaml\": no such file, or it cannot "
       "be opened\n"},
      // Line 12 `    metadata: {name: c, region: "${AWS_REGION}"}`: the quoted value at 33.
      {"bad-eksctl-shell-var.yaml",
       "bad-eksctl-shell-var.yaml:12:33: spec.eksctl.metadata.region: \"${AWS_REGION}\" looks like an unexpanded shell "
       "variable: write the value itself\n"},
      // An inline claim (lines 15-21) of class "fast", which nothing defines; line 20
      // "          storageClassName: fast": the value at 29.
      {"bad-missing-storageclass.yaml",
       "bad-missing-storageclass.yaml:20:29: PersistentVolumeClaim/data.spec.storageClassName: StorageClass \"fast\" does "
       "not exist and no PersistentVolume has that class: the claim would stay Pending\n"},
      // Line 22 "          resources: {requests: {storage: 1Gx}}": the value at 43.
      {"bad-quantity.yaml",
       "bad-quantity.yaml:22:43: PersistentVolumeClaim/extra.spec.resources.requests.storage: \"1Gx\" is not a Kubernetes "
       "quantity: unknown suffix (use Ki Mi Gi Ti Pi Ei, m k M G T P E, or an exponent)\n"},
      // In the manifest file, line 15 "  replicas: -1": the value at 13.
      {"bad-replicas-negative.yaml",
       "bad-replicas-negative-manifests.yaml:15:13: StatefulSet/kv.spec.replicas: must be at least 0, got -1\n"},
      {"bad-replicas-limit.yaml",
       "bad-replicas-limit-manifests.yaml:15:13: StatefulSet/kv.spec.replicas: must be at most 100000 (azsim's limit on "
       "replicas), got 100001\n"},
      // In the manifest file, line 20 "      labels: {app: kvv}": the label map at 15.
      {"bad-selector.yaml",
       "bad-selector-manifests.yaml:20:15: StatefulSet/kv.spec.template.metadata.labels: selector does not match the "
       "template labels\n"},
      // Line 18 "      pod: kv-2": the StatefulSet has 2 replicas and no scale fault; value at 12.
      {"bad-fault-missing-pod.yaml",
       "bad-fault-missing-pod.yaml:18:12: spec.faults[0].pod: pod \"kv-2\" never exists (StatefulSet pods are "
       "NAME-ORDINAL for the replicas it has or is scaled to; bare Pods by name)\n"},
      // The fault (line 16 "    - at: 5m", its map starting at column 7) has no node.
      {"bad-fault-no-target.yaml",
       "bad-fault-no-target.yaml:16:7: spec.faults[0]: terminate-instance needs node: {runningPod: POD} | {name: NODE} | "
       "{zone: ZONE, group: GROUP, index: I}\n"},
      // Line 17 "      action: terminate-instnace": the value at 15.
      {"bad-fault-action.yaml",
       "bad-fault-action.yaml:17:15: spec.faults[0].action: unknown action \"terminate-instnace\" (did you mean "
       "\"terminate-instance\"?); actions are terminate-instance, stop-instance, start-instance, kubelet-down, cordon, "
       "uncordon, drain, delete-pod, out-of-service-taint, zone-outage, volume-failure, readiness-failure, scale or "
       "delete-pvc\n"},
      // Line 21 "      consistency: {read: QUORUM, write: QUARUM}": the write value at 42.
      {"bad-consistency.yaml",
       "bad-consistency.yaml:21:42: spec.data[0].consistency.write: \"QUARUM\" is not a Cassandra consistency level: use "
       "ONE, TWO, THREE, QUORUM, ALL, LOCAL_QUORUM, EACH_QUORUM or LOCAL_ONE (did you mean \"QUORUM\"?)\n"},
      // Line 18 "      workload: statefulset/kvs": the value at 17.
      {"bad-data-workload.yaml",
       "bad-data-workload.yaml:18:17: spec.data[0].workload: statefulset/kvs is not defined by any manifest (did you mean "
       "\"statefulset/kv\"?)\n"},
      // Line 21 "        x: 1" under params of a leader-follower service (checked by
      // models/run/data_config.cpp after the load): the unknown key at column 9.
      {"bad-data-params.yaml", "bad-data-params.yaml:21:9: spec.data[0].params.x: unknown field \"x\"\n"},
      // Line 21 "        localDc: mars" (the value at 18) and line 22
      // "        reportConsistency: [ONE, BOGUS]" (the second item at 34): both checked by
      // validate as well as by run.
      {"bad-data-local-dc.yaml",
       "bad-data-local-dc.yaml:21:18: spec.data[0].params.localDc: unknown datacenter \"mars\" (this cluster has "
       "\"eu-west\")\n"
       "bad-data-local-dc.yaml:22:34: spec.data[0].params.reportConsistency[1]: \"BOGUS\" is not a Cassandra "
       "consistency level (ONE, QUORUM, LOCAL_QUORUM, ALL, ...)\n"},
      // Line 20 "        weights: [1, 2, 3]": three weights for the two replicas of kv, at 18.
      {"bad-galera-weights.yaml",
       "bad-galera-weights.yaml:20:18: spec.data[0].params.weights: 3 weights for the 2 replicas of statefulset/kv: "
       "give one per member, in ordinal order\n"},
      // Manifest line 15 "  replicas: two": the value at 13. The StatefulSet's replicas are not
      // known, so the replication factor is not checked against them (no follow-on warning).
      {"bad-data-replicas-unread.yaml",
       "bad-data-replicas-unread-manifests.yaml:15:13: StatefulSet/kv.spec.replicas: expected an integer, got the "
       "string \"two\"\n"},
      // Line 20 "        weights: [0, 0]": no majority is possible, at 18.
      {"bad-galera-zero-weights.yaml",
       "bad-galera-zero-weights.yaml:20:18: spec.data[0].params.weights: every weight is 0: no component could ever "
       "hold a majority of the weight\n"},
      // Line 13 "        minSize: 3" (maxSize 1 on line 14): the value at 18.
      {"bad-min-max.yaml", "bad-min-max.yaml:13:18: spec.cloud.nodeGroups[0].minSize: minSize 3 is greater than maxSize 1\n"},
      // Line 14 "      - {id: vol-01, zone: eu-west-1a, sizeGiB: 0}": the size at 49.
      {"bad-volume-size.yaml", "bad-volume-size.yaml:14:49: spec.cloud.volumes[0].sizeGiB: must be at least 1, got 0\n"},
      // Line 1 "apiVersion: azsim/v1": the value at 13.
      {"bad-api-version.yaml",
       "bad-api-version.yaml:1:13: apiVersion: \"azsim/v1\" is not a scenario version this azsim reads: use "
       "azsim/v1alpha1\n"},
      // Line 13 "  duration: 30m" repeats line 6's key: both positions are the keys' (column 3).
      {"bad-duplicate-key.yaml", "bad-duplicate-key.yaml:13:3: spec.duration: mapping key \"duration\" already defined at 6:3\n"},
      // Line 4 "  name: yes": YAML 1.1 reads yes as a boolean; the value at 9.
      {"bad-unquoted-yes.yaml",
       "bad-unquoted-yes.yaml:4:9: metadata.name: expected a string, got the boolean yes; quote it (\"yes\") if it is "
       "meant as text\n"},
      // Line 7 `    "cloud": {"zones": ["eu-west-1a"],},`: the '}' after the trailing comma at 39.
      {"bad-syntax.json",
       "bad-syntax.json:7:39: invalid JSON: syntax error while parsing object key - unexpected '}'; expected string "
       "literal\n"},
      // Two problems, printed in the order of their lines (11:23, then 13:3).
      {"bad-two-errors.yaml",
       "bad-two-errors.yaml:11:23: spec.cloud.nodeGroups[0].instanceType: unknown instance type \"t3.smal\" (did you "
       "mean \"t3.small\"?); azsim knows " +
           known_types() +
           "\n"
           "bad-two-errors.yaml:13:3: spec.seeed: unknown field \"seeed\" (did you mean \"seed\"?)\n"},
      // A StatefulSet defined twice in one namespace (manifest line 12 "  name: kv", value at 9):
      // reported there once, not again where the data service names it.
      {"bad-workload-defined-twice.yaml",
       "valid-manifests.yaml:12:9: StatefulSet/kv.metadata.name: StatefulSet \"default/kv\" is already defined at "
       "bad-workload-defined-twice.yaml:23:9\n"},
      // A manifest file listed twice (line 15 "    - ./valid-manifests.yaml", at 7) is read once.
      {"warn-manifest-listed-twice.yaml",
       "warn-manifest-listed-twice.yaml:15:7: warning: spec.manifests[1]: \"./valid-manifests.yaml\" is listed already "
       "at spec.manifests[0].file: it is read once\n",
       true},
      // Warnings: a kind azsim does not model (line 15 "kind: HorizontalPodAutoscaler", value at 7)...
      {"warn-unknown-kind.yaml",
       "warn-unknown-kind.yaml:15:7: warning: HorizontalPodAutoscaler/web.kind: kind HorizontalPodAutoscaler "
       "(autoscaling/v2) is not modelled by azsim: this object is ignored; workloads keep the replicas they are given\n",
       true},
      // ... and a field Kubernetes does not have (manifest line 15 "  replica: 2", key at 3).
      {"warn-manifest-field.yaml",
       "warn-manifest-field-manifests.yaml:15:3: warning: StatefulSet/kv.spec.replica: unknown field \"replica\" (did "
       "you mean \"replicas\"?)\n",
       true},
  };
}

TEST(CliDiagnostics, AtLeastTwentyFiveKinds) { EXPECT_GE(cases().size(), 25u); }

TEST(CliDiagnostics, ValidatePrintsEachProblemWithLineAndColumn) {
  for (const auto& c : cases()) {
    const Result r = azsim({"validate", c.file}, data_dir());
    EXPECT_EQ(r.err, c.err) << c.file;
    if (c.warning) {
      EXPECT_EQ(r.status, 0) << c.file;
      EXPECT_EQ(r.out, c.file + ": ok (bad)\n") << c.file;
    } else {
      EXPECT_EQ(r.status, 1) << c.file;
      EXPECT_EQ(r.out, "") << c.file;
    }
  }
}

TEST(CliDiagnostics, RunRefusesInvalidScenariosTheSameWay) {
  for (const auto& c : cases()) {
    const Result r = azsim({"run", c.file, "--format", "json"}, data_dir());
    EXPECT_EQ(r.err, c.err) << c.file;
    if (c.warning) {
      EXPECT_EQ(r.status, 0) << c.file;
      EXPECT_THAT(r.out, ::testing::StartsWith("{")) << c.file;
    } else {
      EXPECT_EQ(r.status, 1) << c.file;
      EXPECT_EQ(r.out, "") << c.file;  // no report, not even a partial one
    }
  }
}

TEST(CliDiagnostics, ExplainRefusesInvalidScenarios) {
  for (const std::string file : {"bad-unknown-field.yaml", "bad-data-params.yaml", "bad-syntax.json"}) {
    const Result r = azsim({"explain", file, "--pod", "kv-0"}, data_dir());
    EXPECT_EQ(r.status, 1) << file;
    EXPECT_EQ(r.out, "") << file;
    EXPECT_THAT(r.err, ::testing::StartsWith(file + ":")) << file;
  }
}

TEST(CliDiagnostics, SetupCutShortBeforeTheDataServiceIsPlacedIsAnError) {
  // setupTimeout 10s: no node is up yet, so no replica of the NetworkTopologyStrategy keyspace
  // has a datacenter. The error is at setupTimeout and says why; run and mc alike.
  const std::string want =
      "bad-setup-too-short.yaml:9:17: spec.setupTimeout: the setup did not converge within 10s: kv-0, kv-1 of data "
      "service \"kv\" not placed on a node yet, so it could not start (kv: keyspace.replication.eu-west: no replica is "
      "in datacenter \"eu-west\" (Ec2Snitch names it after the region, e.g. eu-west-1 -> eu-west)); give the setup "
      "more time\n";
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"run", "bad-setup-too-short.yaml"},
        std::vector<std::string>{"mc", "bad-setup-too-short.yaml", "--trials", "2", "--no-progress"}}) {
    const Result r = azsim(args, data_dir());
    EXPECT_EQ(r.status, 1) << args[0];
    EXPECT_EQ(r.out, "") << args[0];
    EXPECT_THAT(r.err, ::testing::EndsWith(want)) << args[0];  // mc first warns of no spec.failures
  }
}

TEST(CliDiagnostics, FilesAreNamedAsGiven) {
  // From the repository root the same problem names the file by the path given, and a
  // manifest file by its path relative to the current directory (joined to the scenario's).
  const Result r = azsim({"validate", "tests/cli/data/bad-replicas-negative.yaml"}, source_dir());
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "tests/cli/data/bad-replicas-negative-manifests.yaml:15:13: StatefulSet/kv.spec.replicas: must be at least 0, got -1\n");
}

TEST(CliDiagnostics, UnknownDataTypeIsAnError) {
  // Line 17 "      type: mongodb": the value at 13. (The full stderr is checked in known_bugs_test.cpp.)
  const Result r = azsim({"validate", "bad-data-type.yaml"}, data_dir());
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "");
  ASSERT_FALSE(lines(r.err).empty());
  EXPECT_EQ(lines(r.err)[0],
            "bad-data-type.yaml:17:13: spec.data[0].type: \"mongodb\" is not one of cassandra, leader-follower, galera or single");
}

}  // namespace
}  // namespace azsim::cli::testing
