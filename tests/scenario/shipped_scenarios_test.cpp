// Every scenario shipped in scenarios/ loads without errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "models/scenario/loader.hpp"

namespace azsim::scenario {
namespace {

std::string source_dir() {
  if (const char* env = std::getenv("AZSIM_SOURCE_DIR"); env != nullptr && *env != '\0') return env;
  return AZSIM_SOURCE_DIR;
}

std::vector<std::string> shipped() {
  std::vector<std::string> out;
  const std::filesystem::path dir = std::filesystem::path(source_dir()) / "scenarios";
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    const auto ext = e.path().extension().string();
    if (e.is_regular_file() && (ext == ".yaml" || ext == ".yml" || ext == ".json")) out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(ShippedScenarios, ThereAreSome) { EXPECT_FALSE(shipped().empty()) << "no scenarios under " << source_dir(); }

TEST(ShippedScenarios, EveryOneLoadsWithoutErrors) {
  for (const auto& path : shipped()) {
    SCOPED_TRACE(path);
    const LoadResult r = load_scenario(path);
    EXPECT_TRUE(r.ok()) << r.report();
    if (!r.ok()) continue;
    const Scenario& s = *r.scenario;
    // A usable scenario: a named cluster with zones and nodes.
    EXPECT_FALSE(s.name.empty());
    EXPECT_FALSE(s.cloud.zones.empty());
    EXPECT_FALSE(s.cloud.node_groups.empty());
    for (const auto& g : s.cloud.node_groups) EXPECT_FALSE(g.zones.empty()) << g.name;
  }
}

TEST(ShippedScenarios, LoadingTwiceGivesTheSameDiagnostics) {
  for (const auto& path : shipped()) {
    SCOPED_TRACE(path);
    EXPECT_EQ(load_scenario(path).report(), load_scenario(path).report());
  }
}

}  // namespace
}  // namespace azsim::scenario
