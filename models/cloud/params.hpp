// Tunable behaviour of the simulated AWS: latencies and Auto Scaling defaults.
// Every default cites its row of FIDELITY.md; every field is overridable under spec.cloud.
#pragma once

#include <string>
#include <vector>

#include "sim/random.hpp"
#include "sim/time.hpp"

namespace azsim::cloud {

/// A distribution of durations as a scenario writes it:
///   5s | {constant: 5s} | {uniform: {min: 1s, max: 4s}} | {exponential: {mean: 2h}}
///   {lognormal: {median: 2h, p95: 10h}} | {weibull: {shape: 1.5, scale: 1y}}
///   {empirical: [1h, 2h, 10h]}  (each value equally likely)
struct DurationDistribution {
  enum class Kind { Constant, Uniform, Exponential, Lognormal, Weibull, Empirical };
  Kind kind = Kind::Constant;
  sim::Duration a;  // constant value | uniform min | exponential mean | lognormal median | weibull scale
  sim::Duration b;  // uniform max | lognormal p95
  double shape = 1.0;                 // weibull shape
  std::vector<sim::Duration> samples;  // empirical

  static DurationDistribution constant(sim::Duration d) { return {Kind::Constant, d, {}, 1.0, {}}; }
  static DurationDistribution uniform(sim::Duration lo, sim::Duration hi) { return {Kind::Uniform, lo, hi, 1.0, {}}; }
  static DurationDistribution lognormal(sim::Duration median, sim::Duration p95) {
    return {Kind::Lognormal, median, p95, 1.0, {}};
  }
  /// The median (the constant itself, the midpoint, ...): what a single deterministic replay
  /// uses when randomness is off, and what docs print.
  sim::Duration typical() const;
};

/// One draw from `d`, never negative. Uniform is uniform on [a, b] microseconds; exponential
/// has mean a; lognormal has median a and 95th percentile b; weibull has scale a and `shape`;
/// empirical picks one of `samples`, each equally likely (no interpolation between them).
/// Throws std::invalid_argument for parameters no distribution has (b < a for uniform,
/// non-positive mean/median/scale/shape, p95 below the median, an empty empirical list).
sim::Duration sample(const DurationDistribution& d, sim::RandomStream& rng);

/// The distribution's mean in seconds (lognormal from its median and p95; Weibull via Gamma).
double mean_seconds(const DurationDistribution& d);

/// How an Auto Scaling group spreads instances when a zone cannot launch.
enum class AzDistribution { BalancedBestEffort, BalancedOnly };

/// Which zone an Auto Scaling group picks when several have equally few (to launch) or equally
/// many (to scale in) members. AWS documents only "the zone with the fewest instances", not the
/// tie-break (not published; parameter): ZoneOrder takes the first in the group's zone list;
/// Random draws one from the cloud's "az-tie" stream, for planners who treat the choice as
/// unknown (e.g. a lost worker's replacement landing in either empty zone).
enum class AzTieBreak { ZoneOrder, Random };

struct CloudParams {
  // FIDELITY A "EBS attach / detach latency": 1-4 s typical.
  DurationDistribution ebs_attach_latency = DurationDistribution::uniform(sim::Duration::seconds(1), sim::Duration::seconds(4));
  DurationDistribution ebs_detach_latency = DurationDistribution::uniform(sim::Duration::seconds(1), sim::Duration::seconds(4));
  // FIDELITY A "EBS attach / detach latency": CreateVolume median ~1.5 s, p99 ~4 s; as a
  // lognormal, p99 4 s gives p95 ~3 s (sigma = ln(4/1.5)/2.326).
  DurationDistribution ebs_create_latency = DurationDistribution::lognormal(sim::Duration::millis(1500), sim::Duration::millis(3040));
  // FIDELITY A "EC2 launch to node Ready": 60-90 s typical, tail to ~4 min.
  DurationDistribution launch_to_ready = DurationDistribution::lognormal(sim::Duration::seconds(75), sim::Duration::seconds(150));
  // FIDELITY A "ASG health-check grace period": 300 s (console default).
  sim::Duration asg_health_check_grace_period = sim::Duration::seconds(300);
  // EC2 status checks fail some time after an instance is impaired (not published; parameter).
  sim::Duration ec2_status_check_delay = sim::Duration::seconds(60);
  // FIDELITY A "ASG AZ distribution": balanced-best-effort.
  AzDistribution az_distribution = AzDistribution::BalancedBestEffort;
  // Tie-break among equally populated zones (not published; parameter): zone order.
  AzTieBreak az_tie_break = AzTieBreak::ZoneOrder;
  // Time for a terminated instance's EBS volumes to detach on their own (not published; parameter).
  sim::Duration terminate_detach_delay = sim::Duration::seconds(10);
};

}  // namespace azsim::cloud
