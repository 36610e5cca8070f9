// --out writes the report atomically (CONTRACT.md): the file holds a complete report or is left
// as it was; a failed run never truncates or replaces it, and no temporary file stays behind.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "run_cli.hpp"

namespace azsim::cli::testing {
namespace {

using ::testing::ElementsAre;

const std::string kValid = (data_dir() / "valid.yaml").string();
const std::string kInvalid = (data_dir() / "bad-unknown-field.yaml").string();

TEST(CliOutFile, ReportLandsCompleteAndEqualsStdout) {
  TempDir dir;
  for (const std::string format : {"text", "json"}) {
    const fs::path out = dir / ("report." + format);
    const Result to_file = azsim({"run", kValid, "--format", format, "--out", out.string()});
    ASSERT_EQ(to_file.status, 0) << to_file.err;
    EXPECT_EQ(to_file.out, "") << format;  // the report went to the file only
    const Result to_stdout = azsim({"run", kValid, "--format", format});
    ASSERT_EQ(to_stdout.status, 0) << to_stdout.err;
    EXPECT_TRUE(read_file(out) == to_stdout.out) << format;
  }
  EXPECT_TRUE(nlohmann::json::accept(read_file(dir / "report.json")));
  EXPECT_THAT(dir.entries(), ElementsAre("report.json", "report.text"));  // no temporary left
}

TEST(CliOutFile, ReplacesAnExistingFile) {
  TempDir dir;
  const fs::path out = dir / "report.json";
  write_file(out, std::string(100000, 'x'));  // longer than the report: no tail may survive
  const Result r = azsim({"run", kValid, "--format", "json", "--out", out.string()});
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string content = read_file(out);
  EXPECT_EQ(content.find('x' + std::string(9, 'x')), std::string::npos);
  EXPECT_TRUE(nlohmann::json::accept(content));
  EXPECT_THAT(dir.entries(), ElementsAre("report.json"));
}

TEST(CliOutFile, InvalidScenarioLeavesExistingFileUntouched) {
  TempDir dir;
  const fs::path out = dir / "report.json";
  write_file(out, "previous report\n");
  const Result r = azsim({"run", kInvalid, "--format", "json", "--out", out.string()});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(read_file(out), "previous report\n");
  EXPECT_THAT(dir.entries(), ElementsAre("report.json"));
}

TEST(CliOutFile, InvalidScenarioCreatesNoFile) {
  TempDir dir;
  const Result r = azsim({"run", kInvalid, "--out", (dir / "report.txt").string()});
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(dir.entries().empty());
}

TEST(CliOutFile, InvalidArgumentsLeaveExistingFileUntouched) {
  TempDir dir;
  const fs::path out = dir / "report.json";
  write_file(out, "previous report\n");
  const Result r = azsim({"run", kValid, "--format", "json", "--at", "5x", "--out", out.string()});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(read_file(out), "previous report\n");
  EXPECT_THAT(dir.entries(), ElementsAre("report.json"));
}

TEST(CliOutFile, FailedTraceLeavesExistingReportUntouched) {
  // The trace cannot be written (no such directory): the run fails before the report replaces
  // the old one.
  TempDir dir;
  const fs::path out = dir / "report.json";
  write_file(out, "previous report\n");
  const std::string trace = (dir / "missing" / "trace.json").string();
  const Result r = azsim({"run", kValid, "--format", "json", "--trace", trace, "--out", out.string()});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "azsim: cannot write " + trace + ": No such file or directory\n");
  EXPECT_EQ(read_file(out), "previous report\n");
  EXPECT_THAT(dir.entries(), ElementsAre("report.json"));
}

TEST(CliOutFile, MissingDirectoryFailsClearly) {
  TempDir dir;
  const std::string out = (dir / "no-such-dir" / "report.json").string();
  const Result r = azsim({"run", kValid, "--out", out});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "azsim: cannot write " + out + ": No such file or directory\n");
  EXPECT_TRUE(dir.entries().empty());
}

TEST(CliOutFile, DirectoryAsTargetFailsAndStaysADirectory) {
  TempDir dir;
  fs::create_directory(dir / "report.json");
  const Result r = azsim({"run", kValid, "--out", (dir / "report.json").string()});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.err, "azsim: cannot write " + (dir / "report.json").string() + ": Is a directory\n");
  EXPECT_TRUE(fs::is_directory(dir / "report.json"));
  EXPECT_THAT(dir.entries(), ElementsAre("report.json"));  // the temporary was removed
}

}  // namespace
}  // namespace azsim::cli::testing
