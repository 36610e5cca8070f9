// `azsim mc` and `azsim merge` through the built binary: the JSON of CONTRACT.md, byte-identical
// output for any --threads, shards that merge to the unsharded output byte for byte, a
// checkpoint that resumes (also after Ctrl-C), --compare of a design with itself, --until-ci, MPI ranks, and clear
// errors for bad arguments and bad parts.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "run_cli.hpp"

namespace azsim::cli::testing {
namespace {

using json = nlohmann::json;
using ::testing::EndsWith;
using ::testing::HasSubstr;

const std::string kWhatIf = (source_dir() / "scenarios" / "whatif-001-kops-cassandra-failures.yaml").string();

/// A small batch: 20 trials of 60 days of the seed-001 cluster under its failures.
std::vector<std::string> batch(std::vector<std::string> extra) {
  std::vector<std::string> a = {"mc", kWhatIf, "--trials", "20", "--until", "60d", "--seed", "5", "--no-progress"};
  a.insert(a.end(), extra.begin(), extra.end());
  return a;
}

TEST(Mc, JsonHasTheContractFieldsAndSaneValues) {
  const Result r = azsim(batch({"--format", "json", "--threads", "2"}));
  ASSERT_EQ(r.status, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["scenario"], "whatif-001-kops-cassandra-failures");
  EXPECT_EQ(j["seed"], 5);
  EXPECT_EQ(j["trials"], 20);
  EXPECT_EQ(j["azsim"]["schema"], 1);
  for (const char* m : {"read_availability", "write_availability", "p_any_unavailable", "p_data_loss"}) {
    ASSERT_TRUE(j["metrics"].contains(m)) << m;
    const double mean = j["metrics"][m]["mean"];
    const double lo = j["metrics"][m]["ci95"][0];
    const double hi = j["metrics"][m]["ci95"][1];
    EXPECT_GE(mean, 0.0) << m;
    EXPECT_LE(mean, 1.0) << m;
    EXPECT_LE(lo, mean) << m;
    EXPECT_GE(hi, mean) << m;
  }
  const json& p = j["metrics"]["pod_pending_s"];
  for (const char* k : {"mean", "p50", "p95", "p99", "max"}) ASSERT_TRUE(p.contains(k)) << k;
  EXPECT_LE(p["p50"].get<double>(), p["p95"].get<double>());
  EXPECT_LE(p["p95"].get<double>(), p["p99"].get<double>());
  EXPECT_LE(p["p99"].get<double>(), p["max"].get<double>());
  EXPECT_GT(p["max"].get<double>(), 0.0);  // 20 x 60 days of 9 instances: some pod was Pending
  EXPECT_TRUE(j["metrics"].contains("unavailable_minutes_per_year"));
  EXPECT_TRUE(j["metrics"].contains("time_to_full_redundancy_s"));
  EXPECT_EQ(j["state"]["a"]["trials"], 20);
}

TEST(Mc, OutputIsTheSameBytesForAnyThreadCount) {
  const Result one = azsim(batch({"--format", "json", "--threads", "1"}));
  const Result two = azsim(batch({"--format", "json", "--threads", "2"}));
  const Result four = azsim(batch({"--format", "json", "--threads", "4"}));
  ASSERT_EQ(one.status, 0) << one.err;
  EXPECT_EQ(one.out, two.out);
  EXPECT_EQ(one.out, four.out);
  const Result text1 = azsim(batch({"--threads", "1"}));
  const Result text2 = azsim(batch({"--threads", "2"}));
  EXPECT_EQ(text1.out, text2.out);
  EXPECT_THAT(text1.out, HasSubstr("read availability"));
}

TEST(Mc, ShardsMergeToTheUnshardedOutputByteForByte) {
  TempDir dir;
  const Result whole = azsim(batch({"--format", "json"}));
  ASSERT_EQ(whole.status, 0) << whole.err;
  std::vector<std::string> merge = {"merge", "--format", "json"};
  for (int k = 1; k <= 3; ++k) {
    const std::string part = (dir / ("part" + std::to_string(k) + ".json")).string();
    const Result r = azsim(batch({"--format", "json", "--shard", std::to_string(k) + "/3", "--out", part}));
    ASSERT_EQ(r.status, 0) << r.err;
    const json j = json::parse(read_file(part));
    EXPECT_EQ(j["shards"]["count"], 3);
    EXPECT_EQ(j["trials"], k == 3 ? 6 : 7);  // trials 0..19 split 7 / 7 / 6
    merge.push_back(part);
  }
  // In any order.
  std::swap(merge[3], merge[5]);
  const Result merged = azsim(merge);
  ASSERT_EQ(merged.status, 0) << merged.err;
  EXPECT_EQ(merged.out, whole.out);
  // Two of three shards: a partial result that says so.
  const Result partial = azsim({"merge", "--format", "json", merge[3], merge[4]});
  ASSERT_EQ(partial.status, 0) << partial.err;
  EXPECT_EQ(json::parse(partial.out)["shards"]["included"].size(), 2u);
}

TEST(Mc, MergeRefusesPartsOfDifferentBatchesAndRepeatedShards) {
  TempDir dir;
  const std::string a = (dir / "a.json").string(), b = (dir / "b.json").string(), c = (dir / "c.json").string();
  ASSERT_EQ(azsim(batch({"--format", "json", "--shard", "1/2", "--out", a})).status, 0);
  ASSERT_EQ(azsim({"mc", kWhatIf, "--trials", "20", "--until", "60d", "--seed", "6", "--shard", "2/2", "--format",
                   "json", "--out", b, "--no-progress"})
                .status,
            0);
  Result r = azsim({"merge", a, b});
  EXPECT_EQ(r.status, 1);
  EXPECT_THAT(r.err, HasSubstr("another seed"));
  r = azsim({"merge", a, a});
  EXPECT_EQ(r.status, 1);
  EXPECT_THAT(r.err, HasSubstr("repeats shard 1/2"));
  // A part made by another version of azsim (whose trials may be other trials).
  json old = json::parse(read_file(a));
  old["azsim"]["version"] = "0.0.1";
  write_file(c, old.dump());
  r = azsim({"merge", c});
  EXPECT_EQ(r.status, 1);
  EXPECT_THAT(r.err, HasSubstr("was made by azsim 0.0.1, this is azsim"));
  // A part of another schema (its figures laid out otherwise), even with this version.
  json other = json::parse(read_file(a));
  other["azsim"]["schema"] = 2;
  write_file(c, other.dump());
  r = azsim({"merge", c});
  EXPECT_EQ(r.status, 1);
  EXPECT_THAT(r.err, HasSubstr("\"azsim.schema\" is 2, this azsim reads schema 1"));
  write_file(c, "{\"scenario\": \"x\"}");
  r = azsim({"merge", c});
  EXPECT_EQ(r.status, 1);
  EXPECT_THAT(r.err, HasSubstr("is not an `azsim mc --format json` output"));
  r = azsim({"merge"});
  EXPECT_EQ(r.status, 1);
}

TEST(Mc, CheckpointIsWrittenAndARerunResumesFromIt) {
  TempDir dir;
  const std::string cp = (dir / "batch.checkpoint").string();
  const Result first = azsim(batch({"--format", "json", "--checkpoint", cp}));
  ASSERT_EQ(first.status, 0) << first.err;
  const json saved = json::parse(read_file(cp));
  EXPECT_TRUE(saved["checkpoint"]["complete"].get<bool>());
  EXPECT_EQ(saved["state"]["a"]["trials"], 20);
  // The rerun finds every trial done and prints the same result.
  const Result again = azsim(batch({"--format", "json", "--checkpoint", cp}));
  ASSERT_EQ(again.status, 0) << again.err;
  EXPECT_EQ(again.out, first.out);
  // A checkpoint of another batch is refused, not silently mixed in.
  const Result other = azsim({"mc", kWhatIf, "--trials", "21", "--until", "60d", "--seed", "5", "--no-progress",
                              "--checkpoint", cp});
  EXPECT_EQ(other.status, 1);
  EXPECT_THAT(other.err, HasSubstr("belongs to another batch"));
  // A checkpoint whose block count cannot be this batch's (20 trials are one block) is refused,
  // not read as "every trial done".
  for (const int blocks : {99, -1}) {
    json doctored = saved;
    doctored["checkpoint"]["blocks_done"] = blocks;
    doctored["checkpoint"]["complete"] = false;
    write_file(cp, doctored.dump());
    const Result r = azsim(batch({"--checkpoint", cp}));
    EXPECT_EQ(r.status, 1) << blocks;
    EXPECT_THAT(r.err, HasSubstr("its trial count does not match its blocks")) << blocks;
  }
  write_file(cp, "not json");
  const Result broken = azsim(batch({"--checkpoint", cp}));
  EXPECT_EQ(broken.status, 1);
  EXPECT_THAT(broken.err, HasSubstr("is not readable"));
}

TEST(Mc, CtrlCKeepsTheFinishedBlocksAndARerunResumesToTheSameResult) {
  TempDir dir;
  const std::string cp = (dir / "batch.checkpoint").string();
  // Blocks of 64 one-day trials: enough of them to press Ctrl-C after the first block.
#if defined(__SANITIZE_ADDRESS__)
  const std::uint64_t trials = 5 * 64;  // sanitizer builds run ~20x slower
#else
  const std::uint64_t trials = 30 * 64;
#endif
  const std::vector<std::string> args = {"mc", kWhatIf, "--trials", std::to_string(trials), "--until", "1d",
                                         "--seed", "11", "--threads", "2", "--no-progress", "--format", "json"};
  const Result whole = azsim(args);
  ASSERT_EQ(whole.status, 0) << whole.err;

  auto with_cp = args;
  for (const char* a : {"--checkpoint-every", "0s", "--checkpoint"}) with_cp.push_back(a);
  with_cp.push_back(cp);
  Running batch(azsim_binary(), with_cp);
  // The checkpoint appears (atomically) after the first block.
  for (int i = 0; i < 12000 && !fs::exists(cp); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_TRUE(fs::exists(cp));
  batch.signal(SIGINT);
  const Result stopped = batch.wait();
  ASSERT_EQ(stopped.status, 130) << stopped.err;
  EXPECT_EQ(stopped.out, "");
  const json saved = json::parse(read_file(cp));
  EXPECT_FALSE(saved["checkpoint"]["complete"].get<bool>());
  const auto kept = saved["state"]["a"]["trials"].get<std::uint64_t>();
  EXPECT_GT(kept, 0u);
  EXPECT_LT(kept, trials);
  EXPECT_EQ(kept % 64, 0u);  // whole blocks
  EXPECT_THAT(stopped.err, HasSubstr("interrupted after " + std::to_string(kept) + " of " + std::to_string(trials) +
                                     " trials; " + cp + " keeps them"));

  // The rerun starts from the kept blocks and ends with the uninterrupted result, byte for byte.
  const Result again = azsim(with_cp);
  ASSERT_EQ(again.status, 0) << again.err;
  EXPECT_THAT(again.err, HasSubstr("resuming from " + cp + ": " + std::to_string(kept) + " of " +
                                   std::to_string(trials) + " trials already done"));
  EXPECT_EQ(again.out, whole.out);
}

TEST(Mc, CompareWithItselfGivesExactlyZeroDifference) {
  const Result r = azsim(batch({"--format", "json", "--compare", kWhatIf}));
  ASSERT_EQ(r.status, 0) << r.err;
  const json j = json::parse(r.out);
  ASSERT_TRUE(j.contains("difference"));
  const json& d = j["difference"]["services"][0];
  for (const char* m : {"read_availability", "write_availability", "p_any_unavailable", "p_data_loss",
                        "unavailable_minutes_per_year"}) {
    EXPECT_EQ(d[m]["mean"].get<double>(), 0.0) << m;
    // Centred on 0 (a probability's paired interval keeps the width 20 trials allow).
    EXPECT_EQ(d[m]["ci95"][0].get<double>(), -d[m]["ci95"][1].get<double>()) << m;
    EXPECT_GE(d[m]["ci95"][1].get<double>(), 0.0) << m;
  }
  EXPECT_GT(d["p_data_loss"]["ci95"][1].get<double>(), 0.0);
  EXPECT_EQ(j["difference"]["pod_pending_s_per_trial"]["mean"].get<double>(), 0.0);
  EXPECT_EQ(j["b"]["metrics"], j["metrics"]);
}

TEST(Mc, UntilCiStopsAfterWholeBlocks) {
  const Result r = azsim({"mc", kWhatIf, "--trials", "1000", "--until", "1d", "--no-progress", "--format", "json",
                          "--until-ci", "p_data_loss=0.06"});
  ASSERT_EQ(r.status, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_TRUE(j["stopped_early"].get<bool>());
  EXPECT_EQ(j["trials"], 128);
  EXPECT_EQ(j["trials_requested"], 1000);
}

TEST(Mc, BadArgumentsAreClearErrors) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"mc", kWhatIf}, "--trials N is required"},
      {{"mc", kWhatIf, "--trials", "0"}, "--trials must be an integer from 1"},
      {{"mc", kWhatIf, "--trials", "ten"}, "--trials must be an integer from 1"},
      {{"mc", kWhatIf, "--trials", "5", "--threads", "0"}, "--threads must be an integer from 1"},
      {{"mc", kWhatIf, "--trials", "5", "--shard", "0/3"}, "--shard must be K/N with 1 <= K <= N"},
      {{"mc", kWhatIf, "--trials", "5", "--shard", "4/3"}, "--shard must be K/N with 1 <= K <= N"},
      {{"mc", kWhatIf, "--trials", "5", "--shard", "2"}, "--shard must be K/N with 1 <= K <= N"},
      {{"mc", kWhatIf, "--trials", "5", "--until-ci", "nonsense=0.1"}, "--until-ci must be METRIC=WIDTH"},
      {{"mc", kWhatIf, "--trials", "5", "--until-ci", "p_data_loss=-1"}, "WIDTH must be a positive number"},
      {{"mc", kWhatIf, "--trials", "5", "--format", "csv"}, "--format must be text or json"},
      {{"mc", kWhatIf, "--trials", "5", "--progress", "--no-progress"}, "exclude each other"},
      {{"mc", kWhatIf, "--trials", "5", "--until", "-1h"}, "--until"},
      {{"mc", kWhatIf, "--trials", "5", "--checkpoint-every", "1s"}, "--checkpoint-every needs --checkpoint"},
      {{"mc", kWhatIf, "--trials", "5", "--checkpoint", "/tmp/x", "--checkpoint-every", "-1s"}, "--checkpoint-every"},
      {{"mc", kWhatIf, "--trials", "5", "--shard", "1/2", "--until-ci", "p_data_loss=0.1"},
       "--until-ci cannot be combined with --shard"},
      {{"mc", kWhatIf, "--trials", "5", "--compare",
        (source_dir() / "scenarios" / "seed-004-jenkins-ebs.yaml").string()},
       "--compare needs the same data services"},
      {{"mc", "/nonexistent.yaml", "--trials", "5"}, "nonexistent.yaml"},
  };
  for (const auto& c : cases) {
    const Result r = azsim(c.args);
    EXPECT_EQ(r.status, 1) << c.message;
    EXPECT_THAT(r.err, HasSubstr(c.message));
  }
}

TEST(Mc, TwoBlocksGiveTheSameBytesForAnyThreadCount) {
  const std::vector<std::string> args = {"mc", kWhatIf, "--trials", "70", "--until", "3d", "--no-progress",
                                         "--format", "json"};
  auto with = [&](const char* threads) {
    auto a = args;
    a.push_back("--threads");
    a.push_back(threads);
    return azsim(a);
  };
  const Result one = with("1"), two = with("2");
  ASSERT_EQ(one.status, 0) << one.err;
  EXPECT_EQ(json::parse(one.out)["trials"], 70);
  EXPECT_EQ(one.out, two.out);
}

TEST(Mc, CompareRunsBothDesignsOnTheSeedOfTheFirst) {
  // B is A with another spec.seed: without --seed both still run on A's seed, so the
  // difference is exactly 0.
  TempDir dir;
  std::string text = read_file(kWhatIf);
  const std::string manifests = (source_dir() / "scenarios" / "manifests").string() + "/";
  for (std::size_t at = 0; (at = text.find("file: manifests/", at)) != std::string::npos;)
    text.replace(at + 6, 10, manifests);
  const auto seed = text.find("  seed: 1\n");
  ASSERT_NE(seed, std::string::npos);
  text.replace(seed, 10, "  seed: 99\n");
  const std::string b = (dir / "b.yaml").string();
  write_file(b, text);
  const Result r = azsim({"mc", kWhatIf, "--trials", "8", "--until", "60d", "--no-progress", "--format", "json",
                          "--compare", b});
  ASSERT_EQ(r.status, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["seed"], 1);
  EXPECT_EQ(j["difference"]["pod_pending_s_per_trial"]["mean"].get<double>(), 0.0);
  EXPECT_EQ(j["b"]["metrics"], j["metrics"]);
}

TEST(Mc, AnEmptyShardOfAComparisonStillMerges) {
  TempDir dir;
  const std::vector<std::string> base = {"mc", kWhatIf, "--trials", "2", "--until", "30d", "--seed", "3",
                                         "--no-progress", "--format", "json", "--compare", kWhatIf};
  auto run = [&](std::vector<std::string> extra) {
    auto a = base;
    a.insert(a.end(), extra.begin(), extra.end());
    return azsim(a);
  };
  const Result whole = run({});
  ASSERT_EQ(whole.status, 0) << whole.err;
  std::vector<std::string> merge = {"merge", "--format", "json"};
  for (int k = 1; k <= 3; ++k) {
    const std::string part = (dir / ("p" + std::to_string(k))).string();
    const Result r = run({"--shard", std::to_string(k) + "/3", "--out", part});
    ASSERT_EQ(r.status, 0) << r.err;
    merge.push_back(part);
  }
  EXPECT_EQ(json::parse(read_file(merge.back()))["trials"], 0);  // shard 3/3 of 2 trials
  const Result merged = azsim(merge);
  ASSERT_EQ(merged.status, 0) << merged.err;
  EXPECT_EQ(merged.out, whole.out);
  // In text the empty part says why it has no figures (no "0s each", no infinite intervals).
  const Result text = azsim({"merge", merge.back()});
  ASSERT_EQ(text.status, 0) << text.err;
  EXPECT_THAT(text.out, EndsWith("), 0 trials; shards 3 of 3\n\nno trial of the 2 falls in this shard: nothing to "
                                 "report, and nothing for a merge to add\n"));
}

TEST(Mc, MergeRefusesPartsOfTheSameNameButOtherContents) {
  // A copy of the scenario with another failure rate but the same metadata.name.
  TempDir dir;
  std::string text = read_file(kWhatIf);
  const std::string manifests = (source_dir() / "scenarios" / "manifests").string() + "/";
  for (std::size_t at = 0; (at = text.find("file: manifests/", at)) != std::string::npos;)
    text.replace(at + 6, 10, manifests);
  const auto rate = text.find("mtbf: 1y");
  ASSERT_NE(rate, std::string::npos);
  text.replace(rate, 8, "mtbf: 2y");
  const std::string edited = (dir / "edited.yaml").string();
  write_file(edited, text);
  const std::string a = (dir / "a.json").string(), b = (dir / "b.json").string();
  ASSERT_EQ(azsim(batch({"--format", "json", "--shard", "1/2", "--out", a})).status, 0);
  ASSERT_EQ(azsim({"mc", edited, "--trials", "20", "--until", "60d", "--seed", "5", "--shard", "2/2", "--format",
                   "json", "--out", b, "--no-progress"})
                .status,
            0);
  const Result r = azsim({"merge", a, b});
  EXPECT_EQ(r.status, 1);
  EXPECT_THAT(r.err, HasSubstr("other scenario contents"));
}

TEST(Mc, MergeRefusesAnUnfinishedCheckpointAndDoctoredCounts) {
  TempDir dir;
  const std::string cp = (dir / "cp").string(), out = (dir / "out.json").string();
  ASSERT_EQ(azsim(batch({"--format", "json", "--checkpoint", cp, "--out", out})).status, 0);
  json j = json::parse(read_file(cp));
  j["checkpoint"]["complete"] = false;
  write_file(cp, j.dump());
  Result r = azsim({"merge", cp});
  EXPECT_EQ(r.status, 1);
  EXPECT_THAT(r.err, HasSubstr("unfinished batch"));
  json d = json::parse(read_file(out));
  d["state"]["a"]["services"][0]["data_loss"] = 21;  // more trials with data loss than trials
  write_file(out, d.dump());
  r = azsim({"merge", out});
  EXPECT_EQ(r.status, 1);
  EXPECT_THAT(r.err, HasSubstr("exceeds trials"));
}

TEST(Mc, ProgressGoesToStderrOnlyWhenAsked) {
  // stderr is a file here, not a terminal: no bar unless --progress forces it.
  const std::vector<std::string> base = {"mc", kWhatIf, "--trials", "70", "--until", "1d", "--format", "json"};
  const Result quiet = azsim(base);
  ASSERT_EQ(quiet.status, 0) << quiet.err;
  EXPECT_EQ(quiet.err, "");
  auto forced_args = base;
  forced_args.push_back("--progress");
  const Result forced = azsim(forced_args);
  ASSERT_EQ(forced.status, 0) << forced.err;
  EXPECT_THAT(forced.err, HasSubstr("64/70 trials"));  // after the first block
  EXPECT_THAT(forced.err, HasSubstr("70/70 trials"));
  EXPECT_THAT(forced.err, HasSubstr("/s  ETA "));
  EXPECT_EQ(forced.out, quiet.out);  // the result does not change
}

TEST(Mc, HelpDocumentsEveryOption) {
  const Result r = azsim({"mc", "--help"});
  ASSERT_EQ(r.status, 0);
  for (const char* o : {"--trials", "--threads", "--seed", "--until", "--format", "--out", "--shard", "--compare",
                        "--until-ci", "--checkpoint", "--checkpoint-every", "SIGINT", "--progress", "--no-progress", "JOB_COMPLETION_INDEX", "mpirun"})
    EXPECT_THAT(r.out, HasSubstr(o));
  EXPECT_EQ(azsim({"merge", "--help"}).status, 0);
  EXPECT_THAT(azsim({"--help"}).out, HasSubstr("azsim mc SCENARIO --trials N"));
}

TEST(Mc, MpiRanksGiveTheSingleProcessResult) {
#ifndef AZSIM_WITH_MPI
  GTEST_SKIP() << "this build has no MPI (configure with -DAZSIM_MPI=ON, as tools/test.sh does)";
#else
  const Result single = azsim(batch({"--format", "json"}));
  ASSERT_EQ(single.status, 0) << single.err;
  std::vector<std::string> args = {"--allow-run-as-root", "--oversubscribe", "-np", "2", "--mca", "btl", "self,tcp",
                                   "--mca", "btl_tcp_if_include", "lo", azsim_binary()};
  for (const auto& a : batch({"--format", "json"})) args.push_back(a);
  const Result ranks = run_program(AZSIM_MPIEXEC, args);
  ASSERT_EQ(ranks.status, 0) << ranks.err;
  EXPECT_EQ(ranks.out, single.out);
  // More ranks than trials: the ranks without a trial add nothing.
  std::vector<std::string> few = {"--allow-run-as-root", "--oversubscribe", "-np", "3", "--mca", "btl", "self,tcp",
                                  "--mca", "btl_tcp_if_include", "lo", azsim_binary(), "mc", kWhatIf, "--trials", "2",
                                  "--until", "30d", "--no-progress", "--format", "json"};
  const Result three = run_program(AZSIM_MPIEXEC, few);
  ASSERT_EQ(three.status, 0) << three.err;
  const Result plain = azsim({"mc", kWhatIf, "--trials", "2", "--until", "30d", "--no-progress", "--format", "json"});
  EXPECT_EQ(three.out, plain.out);
#endif
}

// `azsim run --trial I` replays trial I of a batch: a one-trial shard of the batch reports the
// same pending times and availability as the replay's full report, and the replay is not the
// plain run (whose streams stay those of the setup after time 0).
TEST(Mc, RunTrialReplaysThatTrialOfTheBatch) {
  for (const std::string trial : {"0", "5"}) {
    const int k = std::stoi(trial);
    const Result part = azsim({"mc", kWhatIf, "--trials", "9", "--shard", std::to_string(k + 1) + "/9", "--until", "365d",
                               "--seed", "1", "--format", "json", "--no-progress"});
    ASSERT_EQ(part.status, 0) << part.err;
    const json m = json::parse(part.out)["metrics"];
    const Result replay = azsim({"run", kWhatIf, "--seed", "1", "--until", "365d", "--trial", trial, "--format", "json"});
    ASSERT_EQ(replay.status, 0) << replay.err;
    const json r = json::parse(replay.out);
    double sum = 0, max = 0;
    for (const auto& pod : r["pods"]) {
      sum += pod["pending_s"].get<double>();
      max = std::max(max, pod["pending_s"].get<double>());
    }
    ASSERT_EQ(m["pod_pending_s"]["count"].get<int>(), static_cast<int>(r["pods"].size()));
    EXPECT_GT(max, 0.0) << "trial " << trial << " has no pending time to compare";
    EXPECT_NEAR(m["pod_pending_s"]["max"].get<double>(), max, 1e-6);
    EXPECT_NEAR(m["pod_pending_s"]["mean"].get<double>(), sum / static_cast<double>(r["pods"].size()), 1e-6);
    EXPECT_EQ(r["trial"].get<int>(), k);
    const Result plain = azsim({"run", kWhatIf, "--seed", "1", "--until", "365d", "--format", "json"});
    ASSERT_EQ(plain.status, 0) << plain.err;
    EXPECT_NE(json::parse(plain.out)["pods"], r["pods"]);
    EXPECT_FALSE(json::parse(plain.out).contains("trial"));
    const Result text = azsim({"run", kWhatIf, "--seed", "1", "--until", "365d", "--trial", trial});
    EXPECT_THAT(text.out, HasSubstr("(seed 1, trial " + trial + ")"));
  }
  const Result bad = azsim({"run", kWhatIf, "--trial", "-1"});
  EXPECT_EQ(bad.status, 1);
  EXPECT_THAT(bad.err, HasSubstr("--trial must be an integer"));
}

}  // namespace
}  // namespace azsim::cli::testing

namespace azsim::cli::testing {
namespace {

// The JSON of `azsim mc` against tools/azsim/mc.schema.json, by Debian's python3-jsonschema
// (see report_schema_test.cpp): a plain batch, a comparison, and a shard part.
TEST(McSchema, EveryKindOfResultMatchesTheSchema) {
  const std::string validator = "/usr/bin/jsonschema";
  ASSERT_TRUE(fs::exists(validator)) << "the JSON Schema checks need Debian's python3-jsonschema";
  TempDir dir;
  const std::string plain = (dir / "plain.json").string(), cmp = (dir / "compare.json").string(),
                    part = (dir / "part.json").string(), early = (dir / "early.json").string(),
                    bad = (dir / "bad.json").string();
  ASSERT_EQ(azsim(batch({"--format", "json", "--out", plain})).status, 0);
  ASSERT_EQ(azsim(batch({"--format", "json", "--compare", kWhatIf, "--out", cmp})).status, 0);
  ASSERT_EQ(azsim(batch({"--format", "json", "--shard", "2/3", "--out", part})).status, 0);
  ASSERT_EQ(azsim(batch({"--format", "json", "--until-ci", "p_data_loss=0.5", "--out", early})).status, 0);
  const std::string schema = (source_dir() / "tools" / "azsim" / "mc.schema.json").string();
  const Result ok = run_program(validator, {"-i", plain, "-i", cmp, "-i", part, "-i", early, schema});
  EXPECT_EQ(ok.status, 0) << ok.out << ok.err;
  // The schema can fail: a probability that is not a number, a field it does not know.
  json j = json::parse(read_file(plain));
  j["metrics"]["p_data_loss"]["mean"] = "zero";
  j["surprise"] = 1;
  write_file(bad, j.dump());
  const Result ko = run_program(validator, {"-i", bad, schema});
  EXPECT_NE(ko.status, 0);
  EXPECT_THAT(ko.out + ko.err, HasSubstr("surprise"));
}

}  // namespace
}  // namespace azsim::cli::testing
