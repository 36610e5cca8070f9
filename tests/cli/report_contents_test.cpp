// What the JSON report's numbers must satisfy beyond its schema (CONTRACT.md): pending_s and
// not_ready_s agree with the intervals, intervals lie within the run and do not overlap, a pod
// is ready at the end exactly when no interval reaches the end, and the options show up.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "run_cli.hpp"

namespace azsim::cli::testing {
namespace {

using json = nlohmann::json;

// Causes during which the pod object exists in phase Pending: not bound yet, or bound and
// waiting for its volumes or for its containers to start.
const std::set<std::string> kPendingCauses = {"Unschedulable", "WaitingForNode", "VolumeAttach", "ContainerStart"};

void check_report(const json& r, const std::string& what) {
  const double duration = r.at("duration_s");
  for (const auto& p : r.at("pods")) {
    const std::string name = what + " " + p.at("name").get<std::string>();
    double total = 0, pending = 0, last_end = 0;
    for (const auto& i : p.at("intervals")) {
      const double from = i.at("from_s"), to = i.at("to_s");
      EXPECT_LE(0.0, from) << name;
      EXPECT_LT(from, to) << name;
      EXPECT_LE(to, duration) << name;
      EXPECT_LE(last_end, from) << name << ": intervals overlap or are out of order";
      last_end = to;
      total += to - from;
      if (kPendingCauses.count(i.at("cause").get<std::string>())) pending += to - from;
    }
    EXPECT_NEAR(p.at("not_ready_s").get<double>(), total, 1e-6) << name;
    EXPECT_NEAR(p.at("pending_s").get<double>(), pending, 1e-6) << name;
    // A pod that no longer exists (deleted for good: scaled down, or a Deployment's pod
    // replaced by one with another name) is not Ready, and its intervals end when it went.
    // Any other pod is Ready at the end exactly when no interval runs to the end.
    const bool down_at_end = !p.at("intervals").empty() && p.at("intervals").back().at("to_s").get<double>() >= duration;
    if (p.at("phase") == "Absent") {
      EXPECT_FALSE(p.at("ready").get<bool>()) << name;
    } else {
      EXPECT_EQ(p.at("ready").get<bool>(), !down_at_end) << name;
    }
    if (p.at("ready").get<bool>()) {
      EXPECT_EQ(p.at("phase"), "Running") << name;
    }
    if (p.at("phase") == "Absent") {
      EXPECT_EQ(p.at("node"), "") << name;
    }
  }
  double last_t = 0;
  for (const auto& e : r.at("events")) {
    const double t = e.at("t_s");
    EXPECT_LE(last_t, t) << what << ": events out of order";
    EXPECT_LE(t, duration) << what;
    last_t = t;
  }
  for (const auto& d : r.at("data")) {
    const std::int64_t rows = d.at("rows");
    EXPECT_LE(d.at("rows_readable_min").get<std::int64_t>(), rows) << what;
    EXPECT_LE(d.at("rows_writable_min").get<std::int64_t>(), rows) << what;
    EXPECT_LE(d.at("rows_lost").get<std::int64_t>(), rows) << what;
    for (const auto& w : d.at("unavailable_windows")) {
      EXPECT_LE(w.at("from_s").get<double>(), w.at("to_s").get<double>()) << what;
      EXPECT_LE(w.at("rows_unavailable").get<std::int64_t>(), rows) << what;
    }
    // Time to full redundancy is restored_s - fault_s, both unset when not restored by the end.
    for (const auto& e : d.value("redundancy", json::array())) {
      EXPECT_EQ(e.at("restored_s").is_null(), e.at("time_to_full_redundancy_s").is_null()) << what;
      if (!e.at("restored_s").is_null()) {
        EXPECT_NEAR(e.at("time_to_full_redundancy_s").get<double>(),
                    e.at("restored_s").get<double>() - e.at("fault_s").get<double>(), 1e-6)
            << what;
        EXPECT_LE(e.at("restored_s").get<double>(), duration) << what;
      }
    }
  }
}

TEST(CliReportContents, EveryShippedScenarioIsConsistent) {
  for (const auto& sc : shipped_scenarios()) {
    const Result r = azsim({"run", sc.string(), "--format", "json"});
    ASSERT_EQ(r.status, 0) << sc << ": " << r.err;
    const json j = json::parse(r.out);
    EXPECT_EQ(j.at("scenario"), sc.stem().string());  // every shipped scenario is named after its file
    check_report(j, sc.stem().string());
  }
}

TEST(CliReportContents, SeedAndUntilOptionsShowInTheReport) {
  const std::string valid = (data_dir() / "valid.yaml").string();
  const Result dflt = azsim({"run", valid, "--format", "json"});
  ASSERT_EQ(dflt.status, 0) << dflt.err;
  const json d = json::parse(dflt.out);
  EXPECT_EQ(d.at("scenario"), "cli-valid");
  EXPECT_EQ(d.at("seed"), 3);              // spec.seed
  EXPECT_EQ(d.at("duration_s"), 1200.0);   // spec.duration 20m
  EXPECT_EQ(d.at("azsim").at("schema"), 1);
  check_report(d, "valid");

  const Result opts = azsim({"run", valid, "--format", "json", "--seed", "11", "--until", "4m"});
  ASSERT_EQ(opts.status, 0) << opts.err;
  const json o = json::parse(opts.out);
  EXPECT_EQ(o.at("seed"), 11);
  EXPECT_EQ(o.at("duration_s"), 240.0);
  // The only fault is at 5m, after the end: nothing happened, every pod stayed Ready.
  for (const auto& p : o.at("pods")) {
    EXPECT_TRUE(p.at("intervals").empty()) << p.at("name");
    EXPECT_TRUE(p.at("ready").get<bool>()) << p.at("name");
  }
  check_report(o, "valid --until 4m");
}

TEST(CliReportContents, ValidScenarioDeletePodIsSeen) {
  // valid.yaml deletes kv-0 at 5m: it is not Ready from 5m, comes back (StatefulSet), and kv-1
  // is never touched.
  const Result r = azsim({"run", (data_dir() / "valid.yaml").string(), "--format", "json"});
  ASSERT_EQ(r.status, 0) << r.err;
  const json j = json::parse(r.out);
  ASSERT_EQ(j.at("pods").size(), 2u);
  for (const auto& p : j.at("pods")) {
    EXPECT_TRUE(p.at("ready").get<bool>()) << p.at("name");
    if (p.at("name") == "kv-0") {
      ASSERT_FALSE(p.at("intervals").empty());
      EXPECT_EQ(p.at("intervals")[0].at("from_s"), 300.0);
      EXPECT_GT(p.at("not_ready_s").get<double>(), 0.0);
    } else {
      EXPECT_TRUE(p.at("intervals").empty());
    }
  }
  EXPECT_EQ(j.at("volumes").size(), 2u);  // one dynamic claim per replica, kept across the deletion
}

}  // namespace
}  // namespace azsim::cli::testing
