// The JSON report of `azsim run --format json` against tools/azsim/report.schema.json, checked
// by an independent validator: Debian's python3-jsonschema (a declared dependency, installed by
// tools/setup.sh). Its command `jsonschema -i INSTANCE... SCHEMA` checks the schema against its
// meta-schema, then each instance; it exits 0 when all are valid and 1 otherwise, printing one
// line per error (`INSTANCE: MESSAGE`) on stderr.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>

#include "run_cli.hpp"

namespace azsim::cli::testing {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;

const fs::path kJsonschema = "/usr/bin/jsonschema";  // from the Debian package python3-jsonschema

std::string schema_path() { return (source_dir() / "tools" / "azsim" / "report.schema.json").string(); }

// Validates the given files against the report schema; fails the test when the validator is
// missing (it is a dependency, not an option).
Result validate(const std::vector<fs::path>& instances) {
  std::vector<std::string> args;
  for (const auto& i : instances) {
    args.push_back("-i");
    args.push_back(i.string());
  }
  args.push_back(schema_path());
  return run_program(kJsonschema.string(), args);
}

#define REQUIRE_VALIDATOR()                                                                                        \
  ASSERT_TRUE(fs::exists(kJsonschema)) << kJsonschema.string()                                                     \
                                       << " not found: the JSON Schema checks need Debian's python3-jsonschema " \
                                          "(tools/setup.sh installs it; apt-get install python3-jsonschema)"

TEST(CliReportSchema, SchemaIsJsonAndNamesTheContractFields) {
  const json s = json::parse(read_file(schema_path()));
  const std::vector<std::string> required = s.at("required");
  for (const std::string f : {"azsim", "scenario", "seed", "duration_s", "setup_s", "pods", "nodes", "volumes", "data", "events"})
    EXPECT_NE(std::find(required.begin(), required.end(), f), required.end()) << f;
  const std::vector<std::string> causes = s.at("$defs").at("cause").at("enum");
  EXPECT_EQ(causes, (std::vector<std::string>{"NodeLost", "EvictionWait", "StuckTerminating", "Unschedulable", "WaitingForNode",
                                              "VolumeAttach", "ContainerStart", "NotReady", "Absent"}));
}

TEST(CliReportSchema, EveryShippedScenarioReportValidates) {
  REQUIRE_VALIDATOR();
  TempDir dir;
  std::vector<fs::path> reports;
  const auto scenarios = shipped_scenarios();
  ASSERT_GE(scenarios.size(), 8u);
  for (const auto& sc : scenarios) {
    const fs::path out = dir / (sc.stem().string() + ".json");
    const Result r = azsim({"run", sc.string(), "--format", "json", "--out", out.string()});
    ASSERT_EQ(r.status, 0) << sc << ": " << r.err;
    reports.push_back(out);
  }
  // Optional parts too: the snapshots of --at, and another seed.
  const std::string seed001 = (source_dir() / "scenarios" / "seed-001-kops-cassandra.yaml").string();
  const fs::path at = dir / "with-at.json";
  ASSERT_EQ(azsim({"run", seed001, "--format", "json", "--at", "11m", "--out", at.string()}).status, 0);
  EXPECT_TRUE(json::parse(read_file(at)).contains("snapshots"));
  reports.push_back(at);
  const fs::path seed7 = dir / "seed-7.json";
  ASSERT_EQ(azsim({"run", seed001, "--format", "json", "--seed", "7", "--out", seed7.string()}).status, 0);
  reports.push_back(seed7);

  const Result v = validate(reports);
  EXPECT_EQ(v.status, 0) << v.err;
  EXPECT_EQ(v.err, "");
}

// `base` changed by `mutate` must fail validation with a message containing `expected`.
void expect_invalid(const json& base, const std::string& what, const std::function<void(json&)>& mutate,
                    const std::string& expected) {
  TempDir dir;
  json report = base;
  mutate(report);
  write_file(dir / "bad.json", report.dump(2));
  const Result bad = validate({dir / "bad.json"});
  EXPECT_EQ(bad.status, 1) << what;
  EXPECT_THAT(bad.err, HasSubstr(expected)) << what;
}

TEST(CliReportSchema, MutatedReportsFail) {
  REQUIRE_VALIDATOR();
  // A report of seed 001: it has intervals, events and a data service. Unchanged, it passes,
  // so each failure below is its mutation's doing.
  TempDir dir;
  const Result r = azsim({"run", (source_dir() / "scenarios" / "seed-001-kops-cassandra.yaml").string(), "--format", "json"});
  ASSERT_EQ(r.status, 0) << r.err;
  const json base = json::parse(r.out);
  write_file(dir / "good.json", base.dump(2));
  const Result good = validate({dir / "good.json"});
  ASSERT_EQ(good.status, 0) << good.err;

  expect_invalid(base, "no pods", [](json& j) { j.erase("pods"); }, "'pods' is a required property");
  expect_invalid(
      base, "unknown cause",
      [](json& j) {
        for (auto& p : j["pods"])
          if (!p["intervals"].empty()) {
            p["intervals"][0]["cause"] = "Sleeping";
            return;
          }
        FAIL() << "seed 001 has no interval";
      },
      "'Sleeping' is not one of");
  expect_invalid(base, "ready as a string", [](json& j) { j["pods"][0]["ready"] = "yes"; }, "'yes' is not of type 'boolean'");
  expect_invalid(base, "availability above 1", [](json& j) { j["data"][0]["read_availability"] = 1.5; },
                 "1.5 is greater than the maximum of 1");
  expect_invalid(base, "undocumented field", [](json& j) { j["extra"] = 1; }, "'extra' was unexpected");
  expect_invalid(base, "interval without cause", [](json& j) {
    for (auto& p : j["pods"])
      if (!p["intervals"].empty()) {
        p["intervals"][0].erase("cause");
        return;
      }
  }, "'cause' is a required property");
  expect_invalid(base, "schema version", [](json& j) { j["azsim"]["schema"] = 2; }, "1 was expected");
}

}  // namespace
}  // namespace azsim::cli::testing
