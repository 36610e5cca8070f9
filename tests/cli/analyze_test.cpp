// `azsim analyze`: what the exact chain cannot hold is named, not silently dropped.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

#include "run_cli.hpp"

namespace azsim::cli::testing {
namespace {

const char* kWhatIf = "whatif-001-kops-cassandra-failures.yaml";

/// The shipped what-if scenario with each (from, to) text replaced, written beside a link to
/// the shipped manifests so that its relative manifest paths resolve.
fs::path variant(const TempDir& dir, const std::vector<std::pair<std::string, std::string>>& edits) {
  fs::create_directory_symlink(source_dir() / "scenarios" / "manifests", dir / "manifests");
  std::string text = read_file(source_dir() / "scenarios" / kWhatIf);
  for (const auto& [from, to] : edits) {
    const auto at = text.find(from);
    if (at == std::string::npos) throw std::runtime_error("the what-if scenario changed: update this test");
    text.replace(at, from.size(), to);
  }
  const fs::path p = dir / "variant.yaml";
  write_file(p, text);
  return p;
}

TEST(CliAnalyze, AScenarioTheChainHoldsWhollyHasNothingLeftOut) {
  // The what-if scenario without its volume failures: instance failures and zone outages only.
  TempDir dir;
  const fs::path p = variant(dir, {{"    volume: {afr: 0.2%}\n", ""}});
  const Result r = azsim({"analyze", p.string(), "--format", "json"});
  ASSERT_EQ(r.status, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_TRUE(j.at("left_out_of_chain").empty());
  const Result text = azsim({"analyze", p.string()});
  ASSERT_EQ(text.status, 0) << text.err;
  EXPECT_EQ(text.out.find("left out of the chain"), std::string::npos) << text.out;
}

TEST(CliAnalyze, AFailedVolumesLastingOutageIsNamedAsLeftOut) {
  // The chain rebuilds a replica after a volume failure; a simulation replaces no EBS volume.
  const Result r = azsim({"analyze", (source_dir() / "scenarios" / kWhatIf).string(), "--format", "json"});
  ASSERT_EQ(r.status, 0) << r.err;
  const auto left = nlohmann::json::parse(r.out).at("left_out_of_chain");
  ASSERT_EQ(left.size(), 1u) << left.dump();
  EXPECT_EQ(left[0].get<std::string>().rfind("a failed volume's lasting outage (spec.failures.volume): the chain counts "
                                             "volume failures toward data loss only",
                                             0),
            0u)
      << left.dump();
}

TEST(CliAnalyze, BurstsWeibullShapeAndZoneVolumeLossAreNamedAsLeftOut) {
  TempDir dir;
  const fs::path p =
      variant(dir, {{"    instance: {mtbf: 1y, mode: terminate}\n",
                     "    instance: {mtbf: 1y, mode: terminate, shape: 0.7}\n    bursts: {share: 37%, size: 2}\n"},
                    {"duration: {lognormal: {median: 2h, p95: 10h}}}",
                     "duration: {lognormal: {median: 2h, p95: 10h}}, volumeLoss: 10%}"}});

  const Result r = azsim({"analyze", p.string(), "--format", "json"});
  ASSERT_EQ(r.status, 0) << r.err;
  const auto left = nlohmann::json::parse(r.out).at("left_out_of_chain");
  ASSERT_EQ(left.size(), 4u) << left.dump();  // and the volume failures the scenario has
  EXPECT_NE(left[0].get<std::string>().find("bursts (spec.failures.bursts)"), std::string::npos);
  EXPECT_NE(left[1].get<std::string>().find("instance Weibull shape 0.7 (spec.failures.instance.shape)"), std::string::npos);
  EXPECT_NE(left[2].get<std::string>().find("zone volume loss 10% (spec.failures.zone.volumeLoss)"), std::string::npos);
  EXPECT_NE(left[3].get<std::string>().find("(spec.failures.volume)"), std::string::npos);

  const Result t = azsim({"analyze", p.string()});
  ASSERT_EQ(t.status, 0) << t.err;
  EXPECT_EQ(t.out.rfind("left out of the chain (azsim mc plays them):\n  bursts", 0), 0u) << t.out;
}

}  // namespace
}  // namespace azsim::cli::testing
