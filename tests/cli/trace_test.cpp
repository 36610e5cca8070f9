// `azsim run --trace FILE`: Chrome trace-event JSON ("traceEvents"), one track per pod with its
// not-ready intervals as complete ("X") slices named by cause, node NotReady periods, and the
// faults as instant events. Checked on seed 001 against the same run's JSON report.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "run_cli.hpp"

namespace azsim::cli::testing {
namespace {

using json = nlohmann::json;

const std::string kSeed001 = (source_dir() / "scenarios" / "seed-001-kops-cassandra.yaml").string();

long long us(double seconds) { return static_cast<long long>(seconds * 1e6 + (seconds >= 0 ? 0.5 : -0.5)); }

// pid of the process named `name` and tid of its thread named `thread` (-1 when absent).
std::pair<int, int> track(const json& events, const std::string& name, const std::string& thread) {
  int pid = -1, tid = -1;
  for (const auto& e : events)
    if (e.at("ph") == "M" && e.at("name") == "process_name" && e.at("args").at("name") == name) pid = e.at("pid");
  for (const auto& e : events)
    if (e.at("ph") == "M" && e.at("name") == "thread_name" && e.at("pid") == pid && e.at("args").at("name") == thread)
      tid = e.at("tid");
  return {pid, tid};
}

std::vector<json> slices(const json& events, std::pair<int, int> t) {
  std::vector<json> out;
  for (const auto& e : events)
    if (e.at("ph") == "X" && e.at("pid") == t.first && e.at("tid") == t.second) out.push_back(e);
  return out;
}

TEST(CliTrace, Seed001HasCassandra1NotReadySlices) {
  TempDir dir;
  const fs::path trace = dir / "trace.json";
  const Result r = azsim({"run", kSeed001, "--format", "json", "--trace", trace.string()});
  ASSERT_EQ(r.status, 0) << r.err;
  const json report = json::parse(r.out);
  const json t = json::parse(read_file(trace));
  ASSERT_TRUE(t.contains("traceEvents"));
  const json& events = t.at("traceEvents");
  ASSERT_TRUE(events.is_array());

  const auto c1 = track(events, "pods", "default/cassandra-1");
  ASSERT_GE(c1.first, 0) << "no \"pods\" process";
  ASSERT_GE(c1.second, 0) << "no track for default/cassandra-1";
  const std::vector<json> got = slices(events, c1);

  // The report's intervals of cassandra-1, one slice each, in microseconds.
  json intervals;
  double not_ready_s = 0;
  for (const auto& p : report.at("pods"))
    if (p.at("name") == "cassandra-1") {
      intervals = p.at("intervals");
      not_ready_s = p.at("not_ready_s");
    }
  ASSERT_FALSE(intervals.empty());
  ASSERT_EQ(got.size(), intervals.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].at("name"), intervals[i].at("cause")) << i;
    EXPECT_EQ(got[i].at("ts").get<long long>(), us(intervals[i].at("from_s"))) << i;
    EXPECT_EQ(got[i].at("dur").get<long long>(), us(intervals[i].at("to_s").get<double>() - intervals[i].at("from_s").get<double>()))
        << i;
  }
  // The not-ready stretch starts when the fault terminates the instance, at 10m, with the
  // node lost but not yet detected, and the slices tile it without gaps.
  EXPECT_EQ(got.front().at("ts").get<long long>(), 600'000'000LL);
  EXPECT_EQ(got.front().at("name"), "NodeLost");
  long long end = got.front().at("ts");
  for (const auto& s : got) {
    EXPECT_EQ(s.at("ts").get<long long>(), end);
    end = s.at("ts").get<long long>() + s.at("dur").get<long long>();
  }
  EXPECT_NEAR(static_cast<double>(end - 600'000'000LL), not_ready_s * 1e6, 1.0);

  // The faults are instant events at 10m and 30m (twice).
  std::vector<long long> faults;
  for (const auto& e : events)
    if (e.at("ph") == "i") {
      EXPECT_THAT(e.at("name").get<std::string>(), ::testing::StartsWith("terminate-instance "));
      faults.push_back(e.at("ts"));
    }
  EXPECT_EQ(faults, (std::vector<long long>{600'000'000LL, 1'800'000'000LL, 1'800'000'000LL}));

  // The terminated node (named in the first fault's message) has a NotReady slice on its track.
  std::string first_fault;
  for (const auto& e : events)
    if (e.at("ph") == "i") {
      first_fault = e.at("name");
      break;
    }
  const auto open = first_fault.find("(node ");
  ASSERT_NE(open, std::string::npos) << first_fault;
  const std::string node = first_fault.substr(open + 6, first_fault.size() - open - 7);
  const auto n = track(events, "nodes", node);
  ASSERT_GE(n.second, 0) << "no track for " << node;
  const auto node_slices = slices(events, n);
  ASSERT_EQ(node_slices.size(), 1u);
  EXPECT_EQ(node_slices[0].at("name"), "NotReady");
  EXPECT_GE(node_slices[0].at("ts").get<long long>(), 600'000'000LL);
}

TEST(CliTrace, TraceIsDeterministic) {
  TempDir dir;
  ASSERT_EQ(azsim({"run", kSeed001, "--trace", (dir / "a.json").string()}).status, 0);
  ASSERT_EQ(azsim({"run", kSeed001, "--trace", (dir / "b.json").string()}).status, 0);
  EXPECT_TRUE(read_file(dir / "a.json") == read_file(dir / "b.json"));
}

}  // namespace
}  // namespace azsim::cli::testing
