// Limits on what a scenario may ask for, so that no input file can exhaust memory or make a
// run that never ends. Each cap is far above any real cluster a planner describes; crossing one
// is an error at the offending field. scenarios/README.md ("Limits") lists them for users.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "sim/time.hpp"

namespace azsim::scenario::limits {

// --- Input size ----------------------------------------------------------------------------
/// Bytes in one file (scenario, manifest or eksctl file).
inline constexpr std::size_t kMaxFileBytes = 4u << 20;  // 4 MiB
/// What a file over kMaxFileBytes is told: "larger than 4 MiB, the limit for scenario files".
inline std::string over_file_limit() {
  return "larger than " + std::to_string(kMaxFileBytes >> 20) + " MiB, the limit for scenario files";
}
/// Values (scalars, lists, maps) in one file after YAML aliases are expanded: stops
/// "billion laughs" alias bombs as well as huge flat lists.
inline constexpr std::size_t kMaxTreeNodes = 500'000;
/// Values over all the files of one scenario.
inline constexpr std::size_t kMaxTotalTreeNodes = 1'000'000;
/// Nesting depth of lists and maps.
inline constexpr int kMaxDepth = 200;
/// Files a scenario may pull in through spec.manifests and spec.eksctl.
inline constexpr std::size_t kMaxFiles = 1'000;
/// Kubernetes objects over all manifests.
inline constexpr std::size_t kMaxManifestObjects = 100'000;

// --- Cluster -------------------------------------------------------------------------------
inline constexpr std::int32_t kMaxZones = 32;
inline constexpr std::int32_t kMaxNodeGroups = 1'000;
/// Nodes the cluster can ever hold: the sum of every node group's maxSize.
inline constexpr std::int64_t kMaxNodes = 10'000;
inline constexpr std::int32_t kMaxPodsPerNode = 1'000;
inline constexpr std::int32_t kMaxVolumes = 100'000;
inline constexpr std::int64_t kMaxVolumeGiB = 64 * 1024;  // the largest EBS volume (io2 Block Express)

// --- Workloads -----------------------------------------------------------------------------
/// Replicas of one workload (also the target of a `scale` fault).
inline constexpr std::int32_t kMaxReplicas = 100'000;
/// Pods over all workloads and bare Pods at their largest.
inline constexpr std::int64_t kMaxTotalPods = 1'000'000;

// --- Data, faults, time --------------------------------------------------------------------
inline constexpr std::int32_t kMaxDataServices = 100;
inline constexpr std::int64_t kMaxRows = 10'000'000;
inline constexpr std::int32_t kMaxFaults = 10'000;
/// Longest simulated run (spec.duration) and longest setupTimeout.
inline constexpr sim::Duration kMaxDuration = sim::Duration::days(365 * 100);
/// Expected number of stochastic failure events in one trial (spec.failures): beyond this a
/// trial would take too long to be useful, and the rates are almost certainly a typo.
inline constexpr double kMaxExpectedFailures = 1'000'000;

// --- Diagnostics ---------------------------------------------------------------------------
/// Errors printed for one load; the rest are counted.
inline constexpr std::size_t kMaxReportedErrors = 100;
/// Errors kept in memory while loading; past this, loading stops early.
inline constexpr std::size_t kMaxStoredDiagnostics = 1'000;
/// Warnings kept and printed; the rest are counted.
inline constexpr std::size_t kMaxStoredWarnings = 200;

}  // namespace azsim::scenario::limits
