// Shared set-up for the tests of the stochastic fault processes (spec.failures): small inline
// scenarios with constant cloud latencies, a run::World around them, and the statistics the
// rate tests use to build their own confidence intervals.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/faults/failures.hpp"
#include "models/run/runner.hpp"
#include "models/scenario/loader.hpp"

namespace azsim::failures::testing {

using namespace azsim::sim::literals;
using Kind = faults::StochasticFault::Kind;

/// z of a two-sided 99.9 % normal interval: a correct implementation fails a rate check about
/// once in a thousand seeds; the seeds are fixed, so each test's outcome is fixed too.
inline constexpr double kZ999 = 3.2905;

inline std::string source_dir() {
  if (const char* env = std::getenv("AZSIM_SOURCE_DIR"); env != nullptr && *env != '\0') return env;
  return AZSIM_SOURCE_DIR;
}

/// A cluster of `nodes` t3.medium in one Auto Scaling group over `zones`, no workloads unless
/// given, constant latencies (boot 60 s, EBS 2 s), and the given spec.failures body.
struct Inline {
  int nodes = 4;
  std::string zones = "[eu-west-1a, eu-west-1b]";
  std::string duration = "1y";
  std::uint64_t seed = 1;
  std::string failures;   // YAML lines under `failures:`, 4-space indented
  std::string volumes;    // YAML list items under spec.cloud.volumes, 6-space indented
  std::string faults;     // YAML list items under spec.faults, 4-space indented
  std::string manifests;  // YAML documents, each starting with "---\n"

  std::string yaml() const {
    std::string y =
        "apiVersion: azsim/v1alpha1\n"
        "kind: Scenario\n"
        "metadata: {name: failures}\n"
        "spec:\n"
        "  seed: " + std::to_string(seed) + "\n"
        "  duration: " + duration + "\n"
        "  kubernetes: {version: \"1.29\"}\n"
        "  cloud:\n"
        "    region: eu-west-1\n"
        "    zones: " + zones + "\n"
        "    ebsAttachLatency: 2s\n"
        "    ebsDetachLatency: 2s\n"
        "    ebsCreateLatency: 1s\n"
        "    launchToReady: 60s\n"
        "    nodeGroups:\n"
        "      - name: nodes\n"
        "        instanceType: t3.medium\n"
        "        zones: " + zones + "\n"
        "        desiredCapacity: " + std::to_string(nodes) + "\n";
    if (!volumes.empty()) y += "    volumes:\n" + volumes;
    if (!faults.empty()) y += "  faults:\n" + faults;
    if (!failures.empty()) y += "  failures:\n" + failures;
    return y + manifests;
  }
};

/// Loads an inline scenario; fails the test when it does not load.
inline std::optional<scenario::Scenario> load(const Inline& in) {
  const auto r = scenario::load_scenario_from_string(in.yaml(), "inline.yaml");
  EXPECT_TRUE(r.ok()) << r.report() << "\n" << in.yaml();
  if (!r.ok()) return std::nullopt;
  return *r.scenario;
}

/// Loads scenarios/<name>.yaml.
inline std::optional<scenario::Scenario> load_shipped(const std::string& name) {
  const auto r = scenario::load_scenario(source_dir() + "/scenarios/" + name + ".yaml");
  EXPECT_TRUE(r.ok()) << r.report();
  if (!r.ok()) return std::nullopt;
  return *r.scenario;
}

/// The scenario's world after setup (time 0), kept with its scenario.
struct TrialRun {
  explicit TrialRun(scenario::Scenario sc, run::RunOptions opts = {})
      : s(std::move(sc)), world(std::make_unique<run::World>(s, opts)) {
    t0 = world->setup();
  }
  const faults::FailureProcesses& failures() const { return *world->failures(); }
  const std::vector<faults::StochasticFault>& history() const { return failures().history(); }
  std::vector<faults::StochasticFault> of(Kind k) const {
    std::vector<faults::StochasticFault> out;
    for (const auto& f : history())
      if (f.kind == k) out.push_back(f);
    return out;
  }
  /// Advances event by event until the first stochastic fault of kind `k` has happened (at
  /// most `limit` after time 0), so that the state right after it can be inspected; returns
  /// it, or nullopt.
  std::optional<faults::StochasticFault> until_first(Kind k, sim::Duration limit) {
    auto& sim = world->simulation();
    for (;;) {
      for (const auto& f : history())
        if (f.kind == k) return f;
      const sim::Time next = sim.next_event_time();
      if (next == sim::Time::infinity() || next - t0 > limit) return std::nullopt;
      world->advance_to(next - t0);
    }
  }
  const cloud::Instance* instance(const std::string& id) { return world->cluster().cloud().instance(id); }
  const k8s::Node* node_of(const std::string& instance_id) {
    return world->cluster().store().get<k8s::Node>(world->cluster().node_of_instance(instance_id));
  }
  /// The "stochastic ..." event messages in the cluster's log, in order.
  std::vector<std::string> stochastic_events() const {
    std::vector<std::string> out;
    for (const auto& e : world->cluster().events().events())
      if (e.reason == "Fault" && e.message.rfind("stochastic ", 0) == 0)
        out.push_back(sim::format_duration(e.time - sim::Time::origin()) + " " + e.message);
    return out;
  }

  scenario::Scenario s;
  std::unique_ptr<run::World> world;
  sim::Time t0;
};

/// Mean and sample standard deviation, in seconds, of durations.
struct Sample {
  double mean = 0, sd = 0;
  std::size_t n = 0;
};
inline Sample sample_of(const std::vector<double>& xs) {
  Sample s;
  s.n = xs.size();
  if (xs.empty()) return s;
  for (double x : xs) s.mean += x;
  s.mean /= static_cast<double>(xs.size());
  double ss = 0;
  for (double x : xs) ss += (x - s.mean) * (x - s.mean);
  s.sd = xs.size() > 1 ? std::sqrt(ss / static_cast<double>(xs.size() - 1)) : 0;
  return s;
}

}  // namespace azsim::failures::testing
