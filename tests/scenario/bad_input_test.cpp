// Bad scenarios and the exact diagnostic each one gets: FILE:LINE:COL: path: message.
//
// Every case is a small text whose line and column numbers are worked out in the comments;
// kBase (12 lines) and kCassandra (26 lines) are in scenario_test_util.hpp.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "models/cloud/instance_types.hpp"
#include "models/scenario/suggest.hpp"
#include "scenario_test_util.hpp"

namespace azsim::scenario::testing {
namespace {

using ::testing::Contains;

struct BadCase {
  const char* name;
  std::string text;
  std::string expected;  // one formatted diagnostic that must be reported
  std::string file = "s.yaml";
  bool warning = false;  // the expected line is a warning and the load succeeds
  bool disk = false;     // use the real file system (missing files)
};

std::string replace(std::string s, const std::string& from, const std::string& to) {
  const auto at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

const std::string kHeader = "apiVersion: azsim/v1alpha1\nkind: Scenario\n";

std::string faults(const std::string& items) { return kBase + "  faults:\n" + items; }  // items from line 14

std::string known_types() {
  std::vector<std::string> names;
  for (const auto& t : cloud::instance_types()) names.push_back(t.name);
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::vector<BadCase> cases() {
  std::vector<BadCase> c;
  // Line 4 opens a flow list that is never closed; the ':' of line 5 (column 11) cannot be in it.
  c.push_back({"malformed_yaml", kHeader + "spec:\n  seed: [1, 2\n  duration: 3h\n",
               "s.yaml:5:11: invalid YAML: end of sequence flow not found"});
  // Line breaks as YAML 1.2 knows them: CR LF, and a CR alone (old Mac OS files), count one line
  // each, as LF does: line 13 in both.
  {
    std::string crlf, cr;
    for (const char ch : kBase + "  duraton: 3h\n") {
      crlf += ch == '\n' ? std::string("\r\n") : std::string(1, ch);
      cr += ch == '\n' ? '\r' : ch;
    }
    const std::string expected = "s.yaml:13:3: spec.duraton: unknown field \"duraton\" (did you mean \"duration\"?)";
    c.push_back({"crlf_line_breaks", crlf, expected});
    c.push_back({"lone_cr_line_breaks", cr, expected});
  }
  c.push_back({"unknown_field_with_suggestion", kBase + "  duraton: 3h\n",
               "s.yaml:13:3: spec.duraton: unknown field \"duraton\" (did you mean \"duration\"?)"});
  // `  seed: "7"`: the quoted value starts at column 9.
  c.push_back(
      {"wrong_type", kBase + "  seed: \"7\"\n", "s.yaml:13:9: spec.seed: expected an integer, got the string \"7\""});
  // The third fault's `at` (line 20, `    - at: 5x`) has its value at column 11.
  c.push_back({"bad_duration",
               faults("    - at: 1m\n      action: cordon\n      node: {zone: eu-west-1a, index: 0}\n"
                      "    - at: 2m\n      action: uncordon\n      node: {zone: eu-west-1a, index: 0}\n"
                      "    - at: 5x\n      action: cordon\n      node: {zone: eu-west-1b, index: 0}\n"),
               "s.yaml:20:11: spec.faults[2].at: \"5x\" is not a duration: unknown unit \"x\" (use one of us, ms, s, "
               "m, h, d, y)"});
  c.push_back({"negative_duration", kBase + "  duration: -1h\n",
               "s.yaml:13:13: spec.duration: \"-1h\" is not a duration: negative durations are not allowed here"});
  c.push_back({"missing_scenario_document", "apiVersion: v1\nkind: Service\nmetadata: {name: web}\n",
               "s.yaml:1:1: no Scenario document: a scenario file needs one document with apiVersion: azsim/v1alpha1 "
               "and kind: Scenario (the other documents may be Kubernetes manifests)"});
  // The second document starts at line 14 ("---" is line 13); its kind value is at 15:7.
  c.push_back(
      {"two_scenario_documents", kBase + "---\n" + kBase,
       "s.yaml:15:7: kind: a second Scenario document (the first is at line 1): a scenario file holds exactly one"});
  c.push_back({"unknown_instance_type", replace(kBase, "t3.small", "t3.smal"),
               "s.yaml:11:23: spec.cloud.nodeGroups[0].instanceType: unknown instance type \"t3.smal\" (did you mean "
               "\"t3.small\"?); azsim knows " +
                   known_types()});
  // eu-west-1d is equally close to 1a, 1b and 1c: no suggestion.
  c.push_back({"zone_not_in_cloud", kBase + "        zones: [eu-west-1a, eu-west-1d]\n",
               "s.yaml:13:29: spec.cloud.nodeGroups[0].zones[1]: zone \"eu-west-1d\" is not one of the cloud's zones "
               "(eu-west-1a, eu-west-1b, eu-west-1c)"});
  {
    BadCase m{"missing_manifest_file", kBase + "  manifests:\n    - file: nope.yaml\n",
              "/nonexistent-azsim-dir/s.yaml:14:13: spec.manifests[0].file: cannot read \"nope.yaml\" "
              "(/nonexistent-azsim-dir/nope.yaml): no such file, or it cannot be opened",
              "/nonexistent-azsim-dir/s.yaml"};
    m.disk = true;
    c.push_back(m);
  }
  // kCassandra's storageClassName is its line 25, i.e. line 37; the value is at column 27.
  c.push_back({"missing_storage_class", kBase + replace(kCassandra, "storageClassName: gp2", "storageClassName: fast"),
               "s.yaml:37:27: StatefulSet/cassandra.spec.volumeClaimTemplates[0].spec.storageClassName: StorageClass "
               "\"fast\" does not exist and no PersistentVolume has that class: the claim would stay Pending"});
  // Line 32 (kCassandra +20): `          resources: {requests: {cpu: 12Qi, ...` puts the value at column 39.
  c.push_back(
      {"bad_quantity", kBase + replace(kCassandra, "cpu: 500m", "cpu: 12Qi"),
       "s.yaml:32:39: StatefulSet/cassandra.spec.template.spec.containers[0].resources.requests.cpu: \"12Qi\" is "
       "not a Kubernetes quantity: unknown suffix (use Ki Mi Gi Ti Pi Ei, m k M G T P E, or an exponent)"});
  c.push_back({"negative_replicas", kBase + replace(kCassandra, "replicas: 3", "replicas: -1"),
               "s.yaml:25:13: StatefulSet/cassandra.spec.replicas: must be at least 0, got -1"});
  c.push_back({"over_limit_replicas", kBase + replace(kCassandra, "replicas: 3", "replicas: 200000"),
               "s.yaml:25:13: StatefulSet/cassandra.spec.replicas: must be at most 100000 (azsim's limit on replicas), "
               "got 200000"});
  c.push_back({"wrong_type_in_manifest", kBase + replace(kCassandra, "replicas: 3", "replicas: three"),
               "s.yaml:25:13: StatefulSet/cassandra.spec.replicas: expected an integer, got the string \"three\""});
  // 3 replicas: cassandra-0..2. cassandra-3 is one edit from each of them: no suggestion.
  c.push_back(
      {"fault_names_missing_pod",
       faults("    - at: 10m\n      action: delete-pod\n      pod: cassandra-3\n") + kCassandra,
       "s.yaml:16:12: spec.faults[0].pod: pod \"cassandra-3\" never exists (StatefulSet pods are NAME-ORDINAL for "
       "the replicas it has or is scaled to; bare Pods by name)"});
  // A fault's map starts at its first key, `at` on line 14 column 7.
  c.push_back({"fault_missing_target", faults("    - at: 10m\n      action: terminate-instance\n"),
               "s.yaml:14:7: spec.faults[0]: terminate-instance needs node: {runningPod: POD} | {name: NODE} | "
               "{zone: ZONE, group: GROUP, index: I}"});
  c.push_back({"fault_missing_at", faults("    - action: cordon\n      node: {zone: eu-west-1a}\n"),
               "s.yaml:14:7: spec.faults[0].at: required: when the fault happens, counted from the time the cluster is "
               "ready (e.g. 10m)"});
  c.push_back(
      {"unknown_fault_action",
       faults("    - at: 10m\n      action: delete-pods\n      pod: cassandra-0\n") + kCassandra,
       "s.yaml:15:15: spec.faults[0].action: unknown action \"delete-pods\" (did you mean \"delete-pod\"?); actions "
       "are terminate-instance, stop-instance, start-instance, kubelet-down, cordon, uncordon, drain, delete-pod, "
       "out-of-service-taint, zone-outage, volume-failure, readiness-failure, scale or delete-pvc"});
  c.push_back({"field_not_used_by_action",
               faults("    - at: 10m\n      action: terminate-instance\n      node: {zone: eu-west-1a, index: 0}\n     "
                      " for: 5m\n"),
               "s.yaml:17:12: spec.faults[0].for: not used by action terminate-instance"});
  c.push_back(
      {"node_name_never_exists", faults("    - at: 10m\n      action: cordon\n      node: {name: worker-1}\n"),
       "s.yaml:16:13: spec.faults[0].node: node \"worker-1\" never exists: nodes are named by their EC2 private "
       "DNS name (e.g. ip-10-0-1-23.eu-west-1.compute.internal), chosen at run time; target a node by "
       "{runningPod: POD} or {zone: ZONE, index: I}"});
  c.push_back({"zone_index_beyond_capacity",
               faults("    - at: 10m\n      action: cordon\n      node: {zone: eu-west-1a, index: 3}\n"),
               "s.yaml:16:39: spec.faults[0].node.index: zone eu-west-1a never has more than 3 node(s) (the maxSize of "
               "its node groups), so index 3 never exists"});
  const std::string data = kBase +
                           "  data:\n    - name: c\n      type: cassandra\n      workload: statefulset/cassandra\n"
                           "      keyspace: {replication: {class: SimpleStrategy, replication_factor: 3}}\n";
  c.push_back(
      {"bad_consistency_level", data + "      consistency: {read: QUORUMM, write: QUORUM}\n" + kCassandra,
       "s.yaml:18:27: spec.data[0].consistency.read: \"QUORUMM\" is not a Cassandra consistency level: use "
       "ONE, TWO, THREE, QUORUM, ALL, LOCAL_QUORUM, EACH_QUORUM or LOCAL_ONE (did you mean \"QUORUM\"?)"});
  c.push_back(
      {"write_consistency_any", data + "      consistency: [{read: QUORUM, write: QUORUM}, {read: ONE, write: ANY}]\n" + kCassandra,
       "s.yaml:18:71: spec.data[0].consistency[1].write: ANY is not modelled by azsim (it needs no live replica, only a "
       "live coordinator): use ONE, the weakest level it models"});
  // Line 16 "      workload: statefulset/cassandra" (3 replicas): the value at 17.
  c.push_back({"single_on_three_replicas",
               kBase + "  data:\n    - name: c\n      type: single\n      workload: statefulset/cassandra\n" + kCassandra,
               "s.yaml:16:17: spec.data[0].workload: a single-instance service runs on one pod, statefulset/cassandra has "
               "3 replicas (leader-follower and galera model several)"});
  c.push_back(
      {"unknown_data_type", replace(data, "type: cassandra", "type: mongodb") + kCassandra,
       "s.yaml:15:13: spec.data[0].type: \"mongodb\" is not one of cassandra, leader-follower, galera or single"});
  c.push_back({"data_workload_missing",
               kBase + "  data:\n    - name: db\n      type: single\n      workload: deployment/db\n",
               "s.yaml:16:17: spec.data[0].workload: deployment/db is not defined by any manifest"});
  // Line 17 `      keyspace: {replication: {class: NetworkTopologyStrategy, eu-west-2: 3}}`: the factor is at 75.
  c.push_back(
      {"unknown_data_center",
       replace(data, "{class: SimpleStrategy, replication_factor: 3}",
               "{class: NetworkTopologyStrategy, eu-west-2: 3}") +
           kCassandra,
       "s.yaml:17:75: spec.data[0].keyspace.replication.eu-west-2: no data center \"eu-west-2\" in this cluster: "
       "Ec2Snitch names region eu-west-1 \"eu-west\" with legacy naming, the default (\"eu-west-1\" with "
       "params.ec2NamingScheme: standard) (did you mean \"eu-west\"?)"});
  // The data center of the other naming scheme: "eu-west-1" is standard naming, "eu-west" legacy.
  c.push_back(
      {"data_center_of_the_other_naming",
       replace(data, "{class: SimpleStrategy, replication_factor: 3}",
               "{class: NetworkTopologyStrategy, eu-west-1: 3}") +
           kCassandra,
       "s.yaml:17:75: spec.data[0].keyspace.replication.eu-west-1: no data center \"eu-west-1\" in this cluster: "
       "Ec2Snitch names region eu-west-1 \"eu-west\" with legacy naming, the default (\"eu-west-1\" with "
       "params.ec2NamingScheme: standard) (did you mean \"eu-west\"?)"});
  c.push_back(
      {"data_center_of_the_other_naming_standard",
       replace(data, "{class: SimpleStrategy, replication_factor: 3}}",
               "{class: NetworkTopologyStrategy, eu-west: 3}}\n      params: {ec2NamingScheme: standard}") +
           kCassandra,
       "s.yaml:17:73: spec.data[0].keyspace.replication.eu-west: no data center \"eu-west\" in this cluster: "
       "Ec2Snitch names region eu-west-1 \"eu-west-1\" with params.ec2NamingScheme: standard (\"eu-west\" with "
       "legacy naming) (did you mean \"eu-west-1\"?)"});
  c.push_back({"min_greater_than_max", kBase + "        minSize: 5\n        maxSize: 4\n",
               "s.yaml:13:18: spec.cloud.nodeGroups[0].minSize: minSize 5 is greater than maxSize 4"});
  // kCassandra's apiVersion is its line 8: line 20, value at column 13.
  c.push_back({"bad_api_version", kBase + replace(kCassandra, "apiVersion: apps/v1", "apiVersion: apps/v2"),
               "s.yaml:20:13: StatefulSet.apiVersion: \"apps/v2\" does not serve kind StatefulSet: use apps/v1, "
               "apps/v1beta2 or apps/v1beta1 (did you mean \"apps/v1\"?)"});
  {
    BadCase w{
        "unknown_kind_warning",
        kBase + "---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\n",
        "s.yaml:15:7: warning: HorizontalPodAutoscaler/web.kind: kind HorizontalPodAutoscaler (autoscaling/v2) is not "
        "modelled by azsim: this object is ignored; workloads keep the replicas they are given"};
    w.warning = true;
    c.push_back(w);
  }
  {
    BadCase w{"typo_in_manifest_warning", kBase + replace(kCassandra, "replicas: 3", "replica: 3"),
              "s.yaml:25:3: warning: StatefulSet/cassandra.spec.replica: unknown field \"replica\" (did you mean "
              "\"replicas\"?)"};
    w.warning = true;
    c.push_back(w);
  }
  c.push_back({"eksctl_file_missing", kHeader + "spec:\n  eksctl: {file: eks.yaml}\n",
               "s.yaml:4:18: spec.eksctl.file: cannot read \"eks.yaml\": no such file"});
  c.push_back(
      {"eksctl_shell_variable",
       kHeader + "spec:\n  eksctl:\n    apiVersion: eksctl.io/v1alpha5\n    kind: ClusterConfig\n    metadata:\n"
                 "      name: c\n      region: ${AWS_REGION}\n    availabilityZones: [us-west-2a]\n"
                 "    managedNodeGroups: [{name: ng, instanceType: t3.small, desiredCapacity: 2}]\n",
       "s.yaml:9:15: spec.eksctl.metadata.region: \"${AWS_REGION}\" looks like an unexpanded shell variable: write "
       "the value itself"});
  // `  "spec": {"seed": 1,}`: the '}' after the trailing comma is column 22.
  c.push_back(
      {"json_syntax_error",
       "{\n  \"apiVersion\": \"azsim/v1alpha1\",\n  \"kind\": \"Scenario\",\n  \"spec\": {\"seed\": 1,}\n}\n",
       "s.json:4:22: invalid JSON: syntax error while parsing object key - unexpected '}'; expected string literal",
       "s.json"});
  // The second copy of kCassandra starts at line 39; its "  name: cassandra" is its line 11.
  c.push_back(
      {"duplicate_names", kBase + kCassandra + kCassandra,
       "s.yaml:49:9: StatefulSet/cassandra.metadata.name: StatefulSet \"default/cassandra\" is already defined at "
       "s.yaml:23:9"});
  c.push_back(
      {"undeclared_ebs_volume",
       kBase + "---\napiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pv1}\nspec:\n  capacity: {storage: 5Gi}\n"
               "  accessModes: [ReadWriteOnce]\n  awsElasticBlockStore: {volumeID: vol-0abc}\n",
       "s.yaml:20:36: PersistentVolume/pv1.spec.awsElasticBlockStore.volumeID: EBS volume \"vol-0abc\" is not "
       "declared in spec.cloud.volumes (a volume created by hand needs its id, zone and size there)"});
  c.push_back(
      {"volume_zone_not_in_cloud", kBase + "    volumes:\n      - {id: vol-1, zone: eu-west-2a, sizeGiB: 10}\n",
       "s.yaml:14:27: spec.cloud.volumes[0].zone: zone \"eu-west-2a\" is not one of the cloud's zones (eu-west-1a, "
       "eu-west-1b, eu-west-1c) (did you mean \"eu-west-1a\"?)"});
  c.push_back({"scenario_api_version", replace(kBase, "azsim/v1alpha1", "azsim/v1"),
               "s.yaml:1:13: apiVersion: \"azsim/v1\" is not a scenario version this azsim reads: use azsim/v1alpha1"});
  // kCassandra's template labels are its line 16 (line 28); the labels map starts at column 24.
  c.push_back({"selector_does_not_match_template",
               kBase + replace(kCassandra, "metadata: {labels: {app: cassandra}}", "metadata: {labels: {app: cass}}"),
               "s.yaml:28:24: StatefulSet/cassandra.spec.template.metadata.labels: selector does not match the "
               "template labels"});
  // Line 4 "  name: ..." (double-quoted, escapes read by YAML): the value at 9.
  c.push_back({"control_character_in_name", replace(kBase, "  name: t\n", "  name: \"t\\e[31m\"\n"),
               "s.yaml:4:9: metadata.name: must not contain control characters: the name heads every report"});
  c.push_back({"c1_control_in_name", replace(kBase, "  name: t\n", "  name: \"t\\x85\"\n"),
               "s.yaml:4:9: metadata.name: must not contain control characters: the name heads every report"});
  c.push_back({"negative_seed", kBase + "  seed: -1\n", "s.yaml:13:9: spec.seed: must be at least 0, got -1"});
  c.push_back({"seed_past_64_bits", kBase + "  seed: 18446744073709551616\n",
               "s.yaml:13:9: spec.seed: 18446744073709551616 is out of range (at most 18446744073709551615)"});
  c.push_back({"duplicate_yaml_key", kBase + "  seed: 1\n  seed: 2\n",
               "s.yaml:14:3: spec.seed: mapping key \"seed\" already defined at 13:3"});
  c.push_back({"document_not_a_map", kBase + "---\n- just\n- a list\n",
               "s.yaml:14:1: expected the Scenario document or a Kubernetes object (a map), got a list"});
  // Each level repeats the previous one ten times; the budget of 500000 values (anchored
  // copies included) runs out at the third *e of line 6 (column 16), see yaml_tree.cpp.
  c.push_back({"alias_bomb",
               "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
               "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
               "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
               "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
               "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
               "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n",
               "s.yaml:6:16: more than 500000 values (after expanding aliases): the file is too large for a scenario"});
  // Line 14 `    - file: ""`: the empty value at column 13 (an empty path once read as "inline").
  c.push_back({"empty_manifest_path", kBase + "  manifests:\n    - file: \"\"\n",
               "s.yaml:14:13: spec.manifests[0].file: empty path: name a file (relative to the scenario file)"});
  c.push_back({"empty_eksctl_path", kBase + "  eksctl: \"\"\n",
               "s.yaml:13:11: spec.eksctl: empty path: name a file (relative to the scenario file)"});
  // Line 4 "  name: t\xC3(x": 0xC3 opens a two-byte sequence that '(' does not continue; column 10.
  c.push_back({"invalid_utf8", replace(kBase, "  name: t\n", "  name: t\xC3(x\n"),
               "s.yaml:4:10: byte 0xC3 is not valid UTF-8 here: scenario files are UTF-8 text"});
  // A surrogate (U+D800, ED A0 80) is not valid UTF-8 either.
  c.push_back({"utf8_surrogate", replace(kBase, "  name: t\n", "  name: t\xED\xA0\x80\n"),
               "s.yaml:4:10: byte 0xED is not valid UTF-8 here: scenario files are UTF-8 text"});
  // Line 13 "  seed: 1" then a NUL byte at column 10.
  c.push_back({"nul_byte", kBase + std::string("  seed: 1\0\n", 11),
               "s.yaml:13:10: control character 0x00 (not allowed in YAML or JSON text)"});
  // Line 14 "    nodeEvictionRate: .nan": YAML's not-a-number, at column 23.
  c.push_back({"nan_number", kBase + "  kubernetes:\n    nodeEvictionRate: .nan\n",
               "s.yaml:14:23: spec.kubernetes.nodeEvictionRate: must be a finite number, got .nan"});
  c.push_back({"infinite_number", kBase + "  kubernetes:\n    unhealthyZoneThreshold: -.inf\n",
               "s.yaml:14:29: spec.kubernetes.unhealthyZoneThreshold: must be a finite number, got -.inf"});
  // Line 14 `    version: 1.30`: a number (YAML reads 1.3), at column 14.
  c.push_back({"unquoted_version", kBase + "  kubernetes:\n    version: 1.30\n",
               "s.yaml:14:14: spec.kubernetes.version: expected a string, got the number 1.30; quote it (\"1.30\") if "
               "it is meant as text"});
  // Line 14 `    volume: {afr: "0x10%"}`: hexadecimal is not a percentage; the value at column 19.
  c.push_back({"hex_percentage", kBase + "  failures:\n    volume: {afr: \"0x10%\"}\n",
               "s.yaml:14:19: spec.failures.volume.afr: \"0x10%\" is not a percentage between 0% and 100%"});
  c.push_back({"bare_percent_sign", kBase + "  failures:\n    volume: {afr: \"%\"}\n",
               "s.yaml:14:19: spec.failures.volume.afr: \"%\" is not a percentage between 0% and 100%"});
  // Line 14 "    zone: {rate: 0x10/y, duration: 1h}": the rate at column 18.
  c.push_back({"hex_rate", kBase + "  failures:\n    zone: {rate: 0x10/y, duration: 1h}\n",
               "s.yaml:14:18: spec.failures.zone.rate: \"0x10/y\" is not a rate: write COUNT/SPAN, e.g. 0.5/y or 2/10y"});
  // Line 13 "        zones: []" under the node group: the list at column 16.
  c.push_back({"empty_group_zones", kBase + "        zones: []\n",
               "s.yaml:13:16: spec.cloud.nodeGroups[0].zones: an empty list: name the group's zones, or leave zones "
               "out for all of the cloud's"});
  // Lines 13-17: a cassandra service with "      consistency: []" at line 17, column 20.
  c.push_back({"empty_consistency_list",
               kBase + "  data:\n    - name: c\n      type: cassandra\n      workload: statefulset/cassandra\n"
                       "      consistency: []\n      keyspace: {replication: {class: SimpleStrategy, replication_factor: 3}}\n" +
                   kCassandra,
               "s.yaml:17:20: spec.data[0].consistency: an empty list: give at least one {read, write} pair, or leave "
               "consistency out for ONE"});
  return c;
}

class BadInput : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadInput, ReportsTheExpectedDiagnostic) {
  const BadCase& c = GetParam();
  const LoadResult r = c.disk ? load_scenario_from_string(c.text, c.file) : load(c.text, c.file);
  if (c.warning) {
    EXPECT_TRUE(r.ok()) << r.report();
    EXPECT_THAT(warnings(r), Contains(c.expected)) << r.report();
  } else {
    EXPECT_FALSE(r.ok());
    EXPECT_THAT(errors(r), Contains(c.expected)) << r.report();
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, BadInput, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<BadCase>& p) { return std::string(p.param.name); });

TEST(BadInputTable, CoversAtLeastTwentyFiveKinds) { EXPECT_GE(cases().size(), 25u); }

}  // namespace
}  // namespace azsim::scenario::testing
