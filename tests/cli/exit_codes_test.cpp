// Exit status of azsim (CONTRACT.md "Command line"): 0 on success, 1 when the scenario or the
// arguments are invalid, with a message on stderr and nothing on stdout. Status 2 (internal
// error) cannot be provoked from outside and is not tested here.
#include <sys/stat.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "run_cli.hpp"

namespace azsim::cli::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

const std::string kSeed001 = (source_dir() / "scenarios" / "seed-001-kops-cassandra.yaml").string();
const std::string kValid = (data_dir() / "valid.yaml").string();

TEST(CliExitCodes, HelpAndVersionSucceedOnStdout) {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{{"--help"}, {"-h"}, {"help"}}) {
    const Result r = azsim(args);
    EXPECT_EQ(r.status, 0) << args[0];
    EXPECT_THAT(r.out, HasSubstr("azsim run SCENARIO")) << args[0];
    EXPECT_THAT(r.out, HasSubstr("azsim validate SCENARIO...")) << args[0];
    EXPECT_THAT(r.out, HasSubstr("azsim explain SCENARIO --pod NAME")) << args[0];
    EXPECT_EQ(r.err, "") << args[0];
  }
  const Result v = azsim({"--version"});
  EXPECT_EQ(v.status, 0);
  EXPECT_THAT(v.out, StartsWith("azsim "));
  EXPECT_THAT(v.out, ::testing::MatchesRegex("azsim [0-9]+\\.[0-9]+\\.[0-9]+.*\n"));
  EXPECT_EQ(v.err, "");
}

TEST(CliExitCodes, EachCommandHasHelp) {
  // Every command's help starts with its own usage line, so a command that ignored --help
  // (and, say, complained about the missing SCENARIO) would fail here.
  for (const std::string cmd : {"run", "validate", "explain", "analyze"}) {
    for (const std::string flag : {"--help", "-h"}) {
      const Result r = azsim({cmd, flag});
      EXPECT_EQ(r.status, 0) << cmd << " " << flag << ": " << r.err;
      EXPECT_THAT(r.out, StartsWith("Usage: azsim " + cmd + " SCENARIO")) << cmd << " " << flag;
      EXPECT_EQ(r.err, "") << cmd << " " << flag;
    }
  }
}

// The limit on failures in one trial holds for the run's real length: --until (and explain's
// --at) as well as spec.duration (line 16 "    instance: {mtbf: 1m}", the value at column 22).
TEST(CliExitCodes, UntilIsCheckedAgainstTheFailureLimit) {
  const std::string file = (data_dir() / "frequent-failures.yaml").string();
  ASSERT_EQ(azsim({"validate", file}).status, 0);
  const std::string err = file + ":16:22: spec.failures.instance.mtbf: means about 105120000 failures in one trial of "
                                 "876000h, more than azsim's limit of 1000000: check the value\n";
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"run", file, "--until", "100y"},
           {"mc", file, "--trials", "1", "--until", "100y", "--no-progress"},
           {"explain", file, "--pod", "any", "--at", "100y"}}) {
    const Result r = azsim(args);
    EXPECT_EQ(r.status, 1) << args[0];
    EXPECT_EQ(r.err, err) << args[0];
    EXPECT_EQ(r.out, "") << args[0];
  }
}

TEST(CliExitCodes, HelpCommandShowsTheCommandsHelp) {
  for (const std::string cmd : {"run", "mc", "merge"}) {
    const Result help = azsim({"help", cmd});
    EXPECT_EQ(help.status, 0) << cmd << ": " << help.err;
    EXPECT_EQ(help.out, azsim({cmd, "--help"}).out) << cmd;
    EXPECT_THAT(help.out, StartsWith("Usage: azsim " + cmd)) << cmd;
  }
}

TEST(CliExitCodes, SuccessfulCommands) {
  const Result run = azsim({"run", kValid});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_THAT(run.out, StartsWith("azsim "));
  EXPECT_EQ(run.err, "");

  const Result validate = azsim({"validate", kValid, kSeed001});
  EXPECT_EQ(validate.status, 0) << validate.err;
  EXPECT_EQ(validate.out, kValid + ": ok (cli-valid)\n" + kSeed001 + ": ok (seed-001-kops-cassandra)\n");
  EXPECT_EQ(validate.err, "");

  const Result explain = azsim({"explain", kValid, "--pod", "kv-1", "--at", "1m"});
  EXPECT_EQ(explain.status, 0) << explain.err;
  EXPECT_THAT(explain.out, StartsWith("pod default/kv-1 at +1m (seed 3)\n"));
  EXPECT_EQ(explain.err, "");
}

// One invalid invocation and the exact message it must print (stdout stays empty).
struct BadArgs {
  std::vector<std::string> args;
  std::string err;
};

// A named pipe nobody writes to reads as empty (waiting for a writer would hang); a directory
// is named as one. Both are refused as the files they are, with exit status 1.
TEST(CliExitCodes, APipeWithoutWriterOrADirectoryIsRefusedNotWaitedFor) {
  const TempDir dir;
  const std::string fifo = (dir.path() / "pipe.yaml").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const Result v = azsim({"validate", fifo});
  EXPECT_EQ(v.status, 1);
  EXPECT_THAT(v.err, HasSubstr("pipe.yaml:1:1: no Scenario document"));
  const Result m = azsim({"merge", fifo});
  EXPECT_EQ(m.status, 1);
  EXPECT_THAT(m.err, HasSubstr("is not an `azsim mc --format json` output"));
  const Result d = azsim({"validate", dir.path().string()});
  EXPECT_EQ(d.status, 1);
  EXPECT_THAT(d.err, HasSubstr(": cannot read the scenario: it is a directory"));
}

TEST(CliExitCodes, InvalidArgumentsExitOne) {
  const std::vector<BadArgs> cases = {
      {{"frobnicate"}, "azsim: unknown command \"frobnicate\" (see azsim --help)\n"},
      {{"run"}, "azsim: run: expected exactly one SCENARIO file (see azsim run --help)\n"},
      {{"run", kValid, kValid}, "azsim: run: expected exactly one SCENARIO file (see azsim run --help)\n"},
      {{"validate"}, "azsim: validate: expected at least one SCENARIO file (see azsim validate --help)\n"},
      {{"validate", "--bogus"}, "azsim: validate: unknown option --bogus\n"},
      {{"run", "no-such-scenario.yaml"}, "no-such-scenario.yaml: cannot read the scenario: no such file, or it cannot be opened\n"},
      {{"validate", "no-such-scenario.yaml"},
       "no-such-scenario.yaml: cannot read the scenario: no such file, or it cannot be opened\n"},
      {{"explain", "no-such-scenario.yaml", "--pod", "x"},
       "no-such-scenario.yaml: cannot read the scenario: no such file, or it cannot be opened\n"},
      {{"run", kValid, "--bogus"}, "azsim: run: unrecognised option '--bogus' (see azsim run --help)\n"},
      {{"run", kValid, "--format", "xml"}, "azsim: run: --format must be text or json, not \"xml\"\n"},
      {{"run", kValid, "--format"}, "azsim: run: the required argument for option '--format' is missing (see azsim run --help)\n"},
      {{"run", kValid, "--seed", "abc"}, "azsim: run: --seed must be an integer from 0 to 18446744073709551615, not \"abc\"\n"},
      // Options are checked before the scenario is read, by every command that takes a seed.
      {{"analyze", "no-such-scenario.yaml", "--seed", "abc"},
       "azsim: analyze: --seed must be an integer from 0 to 18446744073709551615, not \"abc\"\n"},
      {{"explain", "no-such-scenario.yaml", "--pod", "x", "--seed", "-1"},
       "azsim: explain: --seed must be an integer from 0 to 18446744073709551615, not \"-1\"\n"},
      {{"mc", "no-such-scenario.yaml", "--trials", "1", "--seed", "1.5"},
       "azsim: mc: --seed must be an integer from 0 to 18446744073709551615, not \"1.5\"\n"},
      // One output would overwrite the other.
      {{"run", kValid, "--out", "r.json", "--trace", "./r.json"},
       "azsim: run: --trace and --out name the same file \"r.json\": give each its own\n"},
      {{"mc", kValid, "--trials", "1", "--checkpoint", "sub/../m.json", "--out", "m.json"},
       "azsim: mc: --checkpoint and --out name the same file \"m.json\": give each its own\n"},
      {{"run", kValid, "--at", "5x"},
       "azsim: --at: \"5x\" is not a duration: unknown unit \"x\" (use one of us, ms, s, m, h, d, y)\n"},
      // "-3m" looks like an option; it must still reach the duration parser and be refused as
      // negative, whether written as a separate argument or after '='.
      {{"run", kValid, "--at", "-3m"}, "azsim: --at: \"-3m\" is not a duration: negative durations are not allowed here\n"},
      {{"run", kValid, "--at=-3m"}, "azsim: --at: \"-3m\" is not a duration: negative durations are not allowed here\n"},
      {{"run", kValid, "--until", "-5m"}, "azsim: --until: \"-5m\" is not a duration: negative durations are not allowed here\n"},
      {{"run", kValid, "--until", "90"}, "azsim: --until: \"90\" is not a duration: missing unit (use one of us, ms, s, m, h, d, y)\n"},
      // A run of no length is no run, as spec.duration 0 is refused.
      {{"run", kValid, "--until", "0s"}, "azsim: --until: must be greater than 0, not \"0s\"\n"},
      {{"mc", kValid, "--trials", "1", "--until", "0"}, "azsim: --until: must be greater than 0, not \"0\"\n"},
      {{"--version", "extra"}, "azsim: --version takes no arguments, not \"extra\" (see azsim --help)\n"},
      {{"--help", "run", "extra"}, "azsim: --help takes no arguments, not \"run\" (see azsim --help)\n"},
      {{"explain", kValid}, "azsim: explain: --pod NAME is required\n"},
      {{"explain", kValid, "--pod", "kv-7"}, "azsim: explain: no pod named \"kv-7\" in this scenario\n"},
      {{"explain", kValid, "--pod", "kv-0", "--at", "5x"},
       "azsim: --at: \"5x\" is not a duration: unknown unit \"x\" (use one of us, ms, s, m, h, d, y)\n"},
  };
  for (const auto& c : cases) {
    std::string cmd;
    for (const auto& a : c.args) cmd += " " + a;
    const Result r = azsim(c.args);
    EXPECT_EQ(r.status, 1) << "azsim" << cmd;
    EXPECT_EQ(r.err, c.err) << "azsim" << cmd;
    EXPECT_EQ(r.out, "") << "azsim" << cmd;
  }
}

TEST(CliExitCodes, NoArgumentsPrintsUsageOnStderrAndFails) {
  const Result r = azsim({});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr("Usage:"));
}

TEST(CliExitCodes, ValidateReportsEveryFileAndFailsIfAnyIsInvalid) {
  // The valid file is still confirmed on stdout; the invalid one's problem is on stderr.
  const Result r = azsim({"validate", "valid.yaml", "bad-unknown-field.yaml"}, data_dir());
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "valid.yaml: ok (cli-valid)\n");
  EXPECT_EQ(r.err, "bad-unknown-field.yaml:13:3: spec.seeed: unknown field \"seeed\" (did you mean \"seed\"?)\n");
}

}  // namespace
}  // namespace azsim::cli::testing
