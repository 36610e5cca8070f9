// `azsim run --at T`: kubectl-style snapshots (`kubectl get nodes -L topology.kubernetes.io/zone`,
// `kubectl get pods -o wide`, `kubectl get pvc`) at simulated times, checked on seed 001 (kops,
// 3 masters + 6 workers over eu-west-1a/b/c, 6 Cassandra pods; at 10m the instance running
// cassandra-1 is terminated) and against the same run's JSON report.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "run_cli.hpp"

namespace azsim::cli::testing {
namespace {

using json = nlohmann::json;
using ::testing::ElementsAre;
using Row = std::map<std::string, std::string>;

const std::string kSeed001 = (source_dir() / "scenarios" / "seed-001-kops-cassandra.yaml").string();

// One kubectl table: its column names and rows (column name -> cell).
struct Table {
  std::vector<std::string> columns;
  std::vector<Row> rows;
  const Row* find(const std::string& name) const {
    for (const auto& r : rows)
      if (r.at("NAME") == name) return &r;
    return nullptr;
  }
};

std::string trim(const std::string& s) {
  const auto a = s.find_first_not_of(' ');
  if (a == std::string::npos) return "";
  return s.substr(a, s.find_last_not_of(' ') - a + 1);
}

// Columns start at the first character and after every run of two or more spaces, as in
// kubectl's aligned output (a single space stays inside a name: "NOMINATED NODE").
Table parse_table(const std::vector<std::string>& text) {
  Table t;
  if (text.empty()) return t;
  const std::string& h = text[0];
  std::vector<std::size_t> starts;
  for (std::size_t i = 0; i < h.size(); ++i)
    if (h[i] != ' ' && (i == 0 || (i >= 2 && h[i - 1] == ' ' && h[i - 2] == ' '))) starts.push_back(i);
  for (std::size_t c = 0; c < starts.size(); ++c)
    t.columns.push_back(trim(h.substr(starts[c], c + 1 < starts.size() ? starts[c + 1] - starts[c] : std::string::npos)));
  for (std::size_t l = 1; l < text.size(); ++l) {
    Row r;
    for (std::size_t c = 0; c < starts.size(); ++c) {
      const std::string& line = text[l];
      r[t.columns[c]] = starts[c] < line.size()
                            ? trim(line.substr(starts[c], c + 1 < starts.size() ? starts[c + 1] - starts[c] : std::string::npos))
                            : "";
    }
    t.rows.push_back(std::move(r));
  }
  return t;
}

// The three tables of the snapshot headed "=== at +WHEN" in `out`.
struct Snapshot {
  Table nodes, pods, pvc;
};

Snapshot snapshot(const std::string& out, const std::string& when) {
  const auto ls = lines(out);
  Snapshot s;
  std::size_t i = 0;
  while (i < ls.size() && ls[i] != "=== at +" + when) ++i;
  EXPECT_LT(i, ls.size()) << "no snapshot at +" << when;
  auto table_after = [&](const std::string& command) {
    while (i < ls.size() && ls[i] != command) ++i;
    EXPECT_LT(i, ls.size()) << "no `" << command << "` at +" << when;
    std::vector<std::string> text;
    for (++i; i < ls.size() && !ls[i].empty(); ++i) text.push_back(ls[i]);
    return parse_table(text);
  };
  s.nodes = table_after("$ kubectl get nodes -L topology.kubernetes.io/zone");
  s.pods = table_after("$ kubectl get pods -o wide");
  s.pvc = table_after("$ kubectl get pvc");
  return s;
}

json seed001_report() {
  const Result r = azsim({"run", kSeed001, "--format", "json"});
  EXPECT_EQ(r.status, 0) << r.err;
  return json::parse(r.out);
}

// The interval of cassandra-1 whose cause is one of `causes`, from the JSON report.
json interval_of(const json& report, const std::string& pod, const std::set<std::string>& causes) {
  for (const auto& p : report.at("pods"))
    if (p.at("name") == pod)
      for (const auto& i : p.at("intervals"))
        if (causes.count(i.at("cause").get<std::string>())) return i;
  return json();
}

std::string micros(double seconds) { return std::to_string(static_cast<long long>(seconds * 1e6 + 0.5)) + "us"; }

TEST(CliSnapshot, Seed001At11mHasTheThreeKubectlTables) {
  const Result r = azsim({"run", kSeed001, "--at", "11m"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.out, ::testing::StartsWith("=== at +11m\n$ kubectl get nodes -L topology.kubernetes.io/zone\n"));
  const Snapshot s = snapshot(r.out, "11m");
  EXPECT_THAT(s.nodes.columns, ElementsAre("NAME", "STATUS", "ROLES", "AGE", "VERSION", "ZONE"));
  EXPECT_THAT(s.pods.columns, ElementsAre("NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED NODE",
                                          "READINESS GATES"));
  EXPECT_THAT(s.pvc.columns, ElementsAre("NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS", "AGE"));

  // Nodes: kops' three masters (label node-role.kubernetes.io/master), one per zone, and
  // workers with role "node"; version 1.29 as spec.kubernetes.version says.
  std::set<std::string> node_names, master_zones;
  for (const auto& n : s.nodes.rows) {
    node_names.insert(n.at("NAME"));
    EXPECT_THAT(n.at("ZONE"), ::testing::AnyOf("eu-west-1a", "eu-west-1b", "eu-west-1c"));
    EXPECT_THAT(n.at("VERSION"), ::testing::StartsWith("v1.29"));
    if (n.at("ROLES") == "master") {
      master_zones.insert(n.at("ZONE"));
    } else {
      EXPECT_EQ(n.at("ROLES"), "node") << n.at("NAME");
    }
  }
  EXPECT_EQ(master_zones, (std::set<std::string>{"eu-west-1a", "eu-west-1b", "eu-west-1c"}));

  // Pods: at 11m (60 s after the termination) cassandra-1 is not Ready: its node stopped
  // renewing at 10m, is NotReady after node-monitor-grace-period (40 s), and the node lifecycle
  // controller then deletes the Node (its instance is gone) within a period; the pod object
  // stays bound to that vanished node until PodGC's 40 s quarantine is over. kubectl shows it
  // 0/1 on a node that `get nodes` no longer lists. The other five are untouched.
  ASSERT_EQ(s.pods.rows.size(), 6u);
  const Row* c1 = s.pods.find("cassandra-1");
  ASSERT_NE(c1, nullptr);
  EXPECT_EQ(c1->at("READY"), "0/1");
  EXPECT_EQ(node_names.count(c1->at("NODE")), 0u) << c1->at("NODE") << " should be gone";
  for (const std::string other : {"cassandra-0", "cassandra-2", "cassandra-3", "cassandra-4", "cassandra-5"}) {
    const Row* p = s.pods.find(other);
    ASSERT_NE(p, nullptr) << other;
    EXPECT_EQ(p->at("READY"), "1/1") << other;
    EXPECT_EQ(p->at("STATUS"), "Running") << other;
    EXPECT_EQ(node_names.count(p->at("NODE")), 1u) << other;
  }

  // Claims: one 10Gi ReadWriteOnce claim per replica from the volumeClaimTemplate, in the
  // default class gp2 of kops' storage-aws addon; all still Bound.
  ASSERT_EQ(s.pvc.rows.size(), 6u);
  for (int i = 0; i < 6; ++i) {
    const Row* c = s.pvc.find("cassandra-storage-cassandra-" + std::to_string(i));
    ASSERT_NE(c, nullptr) << i;
    EXPECT_EQ(c->at("STATUS"), "Bound");
    EXPECT_EQ(c->at("CAPACITY"), "10Gi");
    EXPECT_EQ(c->at("ACCESS MODES"), "RWO");
    EXPECT_EQ(c->at("STORAGECLASS"), "gp2");
  }

  // The JSON report of the same run agrees: 11m lies in a not-ready interval of cassandra-1.
  const json report = seed001_report();
  bool inside = false;
  for (const auto& p : report.at("pods"))
    if (p.at("name") == "cassandra-1")
      for (const auto& i : p.at("intervals")) inside = inside || (i.at("from_s") <= 660.0 && 660.0 < i.at("to_s"));
  EXPECT_TRUE(inside);
}

TEST(CliSnapshot, PendingAndContainerCreatingMatchTheReportsIntervals) {
  const json report = seed001_report();
  // While the re-created cassandra-1 waits for a node it is unbound: kubectl shows Pending with
  // no node and no IP.
  const json waiting = interval_of(report, "cassandra-1", {"Unschedulable", "WaitingForNode"});
  ASSERT_TRUE(waiting.is_object()) << "seed 001: cassandra-1 never waited for a node";
  const std::string t1 = micros((waiting.at("from_s").get<double>() + waiting.at("to_s").get<double>()) / 2);
  // Once bound and waiting for its volume to attach it is ContainerCreating on a node of the
  // zone of its EBS volume (volumes are zonal).
  const json attach = interval_of(report, "cassandra-1", {"VolumeAttach"});
  ASSERT_TRUE(attach.is_object()) << "seed 001: cassandra-1 never waited for its volume";
  const std::string t2 = micros((attach.at("from_s").get<double>() + attach.at("to_s").get<double>()) / 2);
  std::string volume_zone;
  for (const auto& v : report.at("volumes"))
    if (v.at("claim") == "default/cassandra-storage-cassandra-1") volume_zone = v.at("zone");
  ASSERT_FALSE(volume_zone.empty());

  const Result r = azsim({"run", kSeed001, "--at", t1, "--at", t2});
  ASSERT_EQ(r.status, 0) << r.err;
  // The headings use Go-style durations; find them in order.
  std::vector<std::string> headings;
  for (const auto& l : lines(r.out))
    if (l.rfind("=== at +", 0) == 0) headings.push_back(l.substr(8));
  ASSERT_EQ(headings.size(), 2u);

  const Snapshot pending = snapshot(r.out, headings[0]);
  const Row* p = pending.pods.find("cassandra-1");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->at("READY"), "0/1");
  EXPECT_EQ(p->at("STATUS"), "Pending");
  EXPECT_EQ(p->at("NODE"), "<none>");
  EXPECT_EQ(p->at("IP"), "<none>");

  const Snapshot creating = snapshot(r.out, headings[1]);
  const Row* c = creating.pods.find("cassandra-1");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->at("READY"), "0/1");
  EXPECT_EQ(c->at("STATUS"), "ContainerCreating");
  const Row* node = creating.nodes.find(c->at("NODE"));
  ASSERT_NE(node, nullptr) << c->at("NODE");
  EXPECT_EQ(node->at("ZONE"), volume_zone);
  EXPECT_EQ(node->at("STATUS"), "Ready");
}

TEST(CliSnapshot, SeveralTimesInOrderAndTheSameInJson) {
  const Result text = azsim({"run", kSeed001, "--at", "20m", "--at", "11m"});
  ASSERT_EQ(text.status, 0) << text.err;
  std::vector<std::string> headings;
  for (const auto& l : lines(text.out))
    if (l.rfind("=== at ", 0) == 0) headings.push_back(l);
  EXPECT_THAT(headings, ElementsAre("=== at +11m", "=== at +20m"));  // simulated time runs forward

  const Result js = azsim({"run", kSeed001, "--at", "20m", "--at", "11m", "--format", "json"});
  ASSERT_EQ(js.status, 0) << js.err;
  const std::string snapshots = json::parse(js.out).at("snapshots");
  EXPECT_EQ(text.out.substr(0, snapshots.size()), snapshots);  // the text report follows them
  EXPECT_THAT(snapshots, ::testing::HasSubstr("=== at +20m\n"));
}

}  // namespace
}  // namespace azsim::cli::testing
