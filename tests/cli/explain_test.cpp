// `azsim explain SCENARIO --pod NAME --at T`: why a pod is where it is, node by node, with the
// first failing kube-scheduler filter for each node.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <nlohmann/json.hpp>

#include "run_cli.hpp"

namespace azsim::cli::testing {
namespace {

using json = nlohmann::json;
using ::testing::HasSubstr;

const std::string kWhatif000 = (source_dir() / "scenarios" / "whatif-000-eks-cassandra-1-node-per-az.yaml").string();

// The rows of the node table of `explain`: node name -> (zone, verdict).
std::map<std::string, std::pair<std::string, std::string>> node_verdicts(const std::string& out) {
  std::map<std::string, std::pair<std::string, std::string>> rows;
  bool in_table = false;
  for (const auto& l : lines(out)) {
    if (l.rfind("    NODE ", 0) == 0) {
      in_table = true;
      continue;
    }
    if (!in_table) continue;
    if (l.rfind("    ", 0) != 0) break;
    // "    NAME   ZONE   VERDICT..." with columns separated by two or more spaces.
    const std::string rest = l.substr(4);
    const auto a = rest.find("  ");
    const auto z = rest.find_first_not_of(' ', a);
    const auto b = rest.find("  ", z);
    const auto v = rest.find_first_not_of(' ', b);
    rows[rest.substr(0, a)] = {rest.substr(z, b - z), rest.substr(v)};
  }
  return rows;
}

TEST(CliExplain, Whatif000NamesWhyEachNodeRejectsCassandra0) {
  // whatif-000: 3 t3.small nodes, one per zone, each Cassandra pod requesting 1Gi of memory.
  // At 10m the node of cassandra-0 is cordoned and the pod deleted; at 15m the re-created pod
  // is Pending: its own node is unschedulable, and each other node (in another zone) already
  // holds a 1Gi Cassandra pod, which leaves too little of a t3.small's allocatable memory;
  // NodeResourcesFit runs before VolumeBinding, so memory is the reason given for them.
  const Result r = azsim({"explain", kWhatif000, "--pod", "cassandra-0", "--at", "15m"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_THAT(r.out, ::testing::StartsWith("pod default/cassandra-0 at +15m (seed 1)\n"));
  EXPECT_THAT(r.out, HasSubstr("  status: Pending, not Ready (Unschedulable)\n"));
  EXPECT_THAT(r.out, HasSubstr("  node: <none>\n"));
  EXPECT_THAT(r.out, HasSubstr("  nodes (0 of 3 fit now;"));
  EXPECT_THAT(r.out, HasSubstr("  would be reported as: 0/3 nodes are available: 1 node(s) were unschedulable, 2 "
                               "Insufficient memory.\n"));

  const auto rows = node_verdicts(r.out);
  ASSERT_EQ(rows.size(), 3u) << r.out;
  std::string cordoned_zone;
  int memory = 0;
  std::set<std::string> zones;
  for (const auto& [node, zv] : rows) {
    zones.insert(zv.first);
    if (zv.second == "NodeUnschedulable: node(s) were unschedulable") {
      cordoned_zone = zv.first;
    } else if (zv.second == "NodeResourcesFit: Insufficient memory") {
      ++memory;
    } else {
      ADD_FAILURE() << node << ": unexpected verdict \"" << zv.second << "\"";
    }
  }
  EXPECT_EQ(memory, 2);
  EXPECT_EQ(zones, (std::set<std::string>{"us-west-2a", "us-west-2b", "us-west-2c"}));

  // The cordoned node is in the zone of cassandra-0's volume (WaitForFirstConsumer created it
  // where the pod first ran), which is why no other node could ever take the pod.
  const Result run = azsim({"run", kWhatif000, "--format", "json"});
  ASSERT_EQ(run.status, 0) << run.err;
  const json report = json::parse(run.out);
  std::string volume_zone;
  for (const auto& v : report.at("volumes"))
    if (v.at("claim") == "default/cassandra-data-cassandra-0") volume_zone = v.at("zone");
  EXPECT_EQ(cordoned_zone, volume_zone);
}

TEST(CliExplain, RunningPodFitsItsNode) {
  // Before the faults, in seed 000 (2 nodes per zone), cassandra-0 runs and is Ready.
  const std::string seed000 = (source_dir() / "scenarios" / "seed-000-eks-cassandra.yaml").string();
  const Result r = azsim({"explain", seed000, "--pod", "cassandra-0", "--at", "5m"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("  status: Running, Ready\n"));
  EXPECT_THAT(r.out, ::testing::Not(HasSubstr("  node: <none>")));
}

TEST(CliExplain, PlacedPodIsJudgedWithoutItself) {
  // seed 001 at 1m: cassandra-1 runs on a worker in the zone of its volume. Its required
  // anti-affinity (one Cassandra pod per node) must not count the pod against itself: placed
  // anew, its own node is the one that fits (the other workers hold a Cassandra pod or are
  // in another zone than the volume, the masters are tainted).
  const std::string seed001 = (source_dir() / "scenarios" / "seed-001-kops-cassandra.yaml").string();
  const Result r = azsim({"explain", seed001, "--pod", "cassandra-1", "--at", "1m"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("  status: Running, Ready\n"));
  EXPECT_THAT(r.out, HasSubstr("  nodes (were it placed anew now, without itself: 1 of 9 fit;"));
  std::string node;
  for (const auto& l : lines(r.out))
    if (l.rfind("  node: ", 0) == 0) node = l.substr(8);
  const auto rows = node_verdicts(r.out);
  ASSERT_EQ(rows.size(), 9u) << r.out;
  ASSERT_TRUE(rows.count(node)) << r.out;
  EXPECT_EQ(rows.at(node).second, "fits") << r.out;
  int anti_affinity = 0;
  for (const auto& [n, zv] : rows)
    if (zv.second == "InterPodAffinity: node(s) didn't match pod anti-affinity rules") ++anti_affinity;
  EXPECT_EQ(anti_affinity, 1) << "the one other worker in the volume's zone holds a Cassandra pod\n" << r.out;
  EXPECT_THAT(r.out, ::testing::Not(HasSubstr("would be reported as")));
}

TEST(CliExplain, PastTheDurationFailuresGoOnAsInRunUntil) {
  // A 10-minute scenario with instance failures every 20 minutes per node: at 3h the nodes are
  // replacements of replacements, the same ones `run --until 3h` ends with.
  const std::string file = (data_dir() / "failures-past-duration.yaml").string();
  const Result run = azsim({"run", file, "--until", "3h", "--format", "json"});
  ASSERT_EQ(run.status, 0) << run.err;
  const json end_report = json::parse(run.out);
  std::set<std::string> at_end;
  for (const auto& n : end_report.at("nodes")) at_end.insert(n.at("name").get<std::string>());
  const Result at_duration = azsim({"run", file, "--format", "json"});
  ASSERT_EQ(at_duration.status, 0) << at_duration.err;
  const json duration_report = json::parse(at_duration.out);
  std::set<std::string> at_10m;
  for (const auto& n : duration_report.at("nodes")) at_10m.insert(n.at("name").get<std::string>());
  ASSERT_NE(at_end, at_10m) << "failures after 10m must have replaced nodes";

  const Result r = azsim({"explain", file, "--pod", "kv-0", "--at", "3h"});
  ASSERT_EQ(r.status, 0) << r.err;
  std::set<std::string> explained;
  for (const auto& [node, zv] : node_verdicts(r.out)) explained.insert(node);
  EXPECT_EQ(explained, at_end) << r.out;
}

}  // namespace
}  // namespace azsim::cli::testing
