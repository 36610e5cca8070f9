// The stochastic processes happen at the rates spec.failures gives: instance failures at one
// per mtbf per instance (exponential or Weibull of that mean), zone outages at their rate with
// the mean of their duration distribution, volume failures at their annual failure rate. Each
// test computes its own 99.9 % interval from the model's parameters (or from the sample).
#include <set>

#include "sim/detmath.hpp"
#include "tests/failures/helpers.hpp"

namespace azsim::failures::testing {
namespace {

constexpr double kYear = 365.0 * 86400;

TEST(InstanceRate, TerminatedInstancesAndTheirReplacementsFailOncePerMtbf) {
  Inline in;
  in.nodes = 4;
  in.duration = "10y";
  in.failures = "    instance: {mtbf: 30d, mode: terminate}\n";
  auto s = load(in);
  ASSERT_TRUE(s);
  TrialRun r(*s);
  r.world->advance_to(sim::Duration::days(3650));
  // A terminated instance is replaced within ~80 s (state check + boot): its slot is out of
  // service a negligible share of the 30 days, so the count is Poisson of mean 4 x 10 y / 30 d.
  const double expected = 4 * 3650.0 / 30.0;
  const auto fails = r.of(Kind::Instance);
  EXPECT_NEAR(static_cast<double>(fails.size()), expected, kZ999 * std::sqrt(expected));
  // Most failures hit replacements launched after time 0: they joined the process.
  std::set<std::string> ids;
  for (const auto& f : fails) ids.insert(f.target);
  EXPECT_GT(ids.size(), 100u);
  // And the group is whole again at the end.
  EXPECT_EQ(r.world->cluster().cloud().group_instances("nodes").size(), 4u);
}

/// Times to failure of each instance in mode unreachable with a constant outage `down`: the
/// first from time 0, then from each recovery.
std::vector<double> times_to_failure(const TrialRun& r, sim::Duration down) {
  std::map<std::string, sim::Time> last;
  std::vector<double> out;
  for (const auto& f : r.of(Kind::Instance)) {
    auto it = last.find(f.target);
    const sim::Time from = it == last.end() ? r.t0 : it->second + down;
    out.push_back((f.at - from).seconds_f());
    last[f.target] = f.at;
  }
  return out;
}

TEST(InstanceRate, ExponentialTimesToFailureHaveMeanMtbfAndUnitVariation) {
  Inline in;
  in.nodes = 3;
  in.failures = "    instance: {mtbf: 1d, mode: unreachable, duration: 1s}\n";
  auto s = load(in);
  ASSERT_TRUE(s);
  TrialRun r(*s);
  r.world->advance_to(sim::Duration::days(365));
  const Sample x = sample_of(times_to_failure(r, 1_s));
  ASSERT_GT(x.n, 900u);  // ~1095 expected
  EXPECT_NEAR(x.mean, 86400.0, kZ999 * x.sd / std::sqrt(static_cast<double>(x.n)));
  // Coefficient of variation 1 for an exponential (standard error ~0.045 at this n).
  EXPECT_NEAR(x.sd / x.mean, 1.0, 0.15);
}

TEST(InstanceRate, WeibullTimesToFailureKeepTheMeanAndFollowTheShape) {
  Inline in;
  in.nodes = 3;
  in.failures = "    instance: {mtbf: 1d, mode: unreachable, duration: 1s, shape: 2}\n";
  auto s = load(in);
  ASSERT_TRUE(s);
  TrialRun r(*s);
  r.world->advance_to(sim::Duration::days(365));
  const Sample x = sample_of(times_to_failure(r, 1_s));
  ASSERT_GT(x.n, 900u);
  // scale = mtbf / Gamma(1 + 1/2): the mean is the mtbf.
  EXPECT_NEAR(x.mean, 86400.0, kZ999 * x.sd / std::sqrt(static_cast<double>(x.n)));
  // Weibull(2): CV = sqrt(Gamma(2) / Gamma(1.5)^2 - 1) = 0.5227 (an exponential would give 1).
  const double g15 = sim::detmath::exp(sim::detmath::lgamma(1.5));
  const double cv = std::sqrt(1.0 / (g15 * g15) - 1.0);
  EXPECT_NEAR(cv, 0.5227, 1e-3);
  EXPECT_NEAR(x.sd / x.mean, cv, 0.08);
}

TEST(ZoneRate, OutagesPerZoneFollowTheRateAndTheDurationDistribution) {
  Inline in;
  in.nodes = 3;
  in.zones = "[eu-west-1a, eu-west-1b, eu-west-1c]";
  in.duration = "10y";
  in.failures = "    zone: {rate: 12/y, duration: {lognormal: {median: 2h, p95: 10h}}}\n";
  auto s = load(in);
  ASSERT_TRUE(s);
  TrialRun r(*s);
  r.world->advance_to(sim::Duration::days(3650));
  const auto outages = r.of(Kind::ZoneOutage);
  const double expected = 3 * 12 * 10.0;
  EXPECT_NEAR(static_cast<double>(outages.size()), expected, kZ999 * std::sqrt(expected));
  std::map<std::string, int> per_zone;
  std::vector<double> hours;
  for (const auto& o : outages) {
    ++per_zone[o.target];
    hours.push_back(o.duration.seconds_f() / 3600);
  }
  ASSERT_EQ(per_zone.size(), 3u);  // each zone has its own process
  for (const auto& [zone, n] : per_zone) EXPECT_NEAR(n, 120.0, kZ999 * std::sqrt(120.0)) << zone;
  // Lognormal from median 2 h and p95 10 h: sigma = ln 5 / z95, mean = 2 h exp(sigma^2 / 2).
  const double sigma = sim::detmath::log(5.0) / sim::kNormalQuantile95;
  const double mean = 2.0 * sim::detmath::exp(sigma * sigma / 2);
  // The interval uses the model's standard deviation, mean sqrt(e^(sigma^2) - 1): a sample's
  // own is unreliable for so heavy a tail.
  const double sd = mean * std::sqrt(sim::detmath::exp(sigma * sigma) - 1);
  const Sample x = sample_of(hours);
  const double n = static_cast<double>(x.n);
  EXPECT_NEAR(x.mean, mean, kZ999 * sd / std::sqrt(n));
  // And the median: ln(duration) is Normal(ln 2h, sigma).
  std::vector<double> logs;
  for (double h : hours) logs.push_back(sim::detmath::log(h));
  EXPECT_NEAR(sample_of(logs).mean, sim::detmath::log(2.0), kZ999 * sigma / std::sqrt(n));
}

TEST(ZoneRate, AnOutageTakesTheZoneOutForItsDuration) {
  Inline in;
  in.nodes = 2;
  in.duration = "1y";
  in.failures = "    zone: {rate: 1/30d, duration: 3h}\n";
  auto s = load(in);
  ASSERT_TRUE(s);
  TrialRun r(*s);
  const auto first = r.until_first(Kind::ZoneOutage, sim::Duration::days(365));
  ASSERT_TRUE(first);
  EXPECT_EQ(first->duration, 3_h);
  auto& cloud = r.world->cluster().cloud();
  r.world->advance_to(first->at - r.t0 + 1_s);
  EXPECT_TRUE(cloud.zone_out(first->target));
  r.world->advance_to(first->at - r.t0 + 3_h - 1_s);
  EXPECT_TRUE(cloud.zone_out(first->target));
  r.world->advance_to(first->at - r.t0 + 3_h + 1_s);
  EXPECT_FALSE(cloud.zone_out(first->target));
}

std::string volumes(const std::string& prefix, int n, const std::string& zone, const std::string& type) {
  std::string y;
  for (int i = 0; i < n; ++i)
    y += "      - {id: vol-" + prefix + std::to_string(1000 + i) + ", zone: " + zone + ", sizeGiB: 1, type: " + type + "}\n";
  return y;
}

TEST(ZoneRate, VolumeLossIsTheShareOfTheZonesVolumesLostAtTheOutageStart) {
  Inline in;
  in.nodes = 2;
  in.volumes = volumes("a", 200, "eu-west-1a", "gp3") + volumes("b", 50, "eu-west-1b", "gp3");
  in.failures = "    zone: {rate: 1/30d, duration: 2h, volumeLoss: \"50%\"}\n";
  auto s = load(in);
  ASSERT_TRUE(s);
  TrialRun r(*s);
  // The first outage of eu-west-1a.
  std::optional<faults::StochasticFault> first;
  for (sim::Duration d = 1_d; d <= sim::Duration::days(365) && !first; d += 1_d) {
    r.world->advance_to(d);
    for (const auto& f : r.history())
      if (f.kind == Kind::ZoneOutage && f.target == "eu-west-1a") {
        first = f;
        break;
      }
  }
  ASSERT_TRUE(first);
  int lost = 0;
  for (const auto& f : r.of(Kind::OutageVolumeLoss)) {
    if (f.at != first->at || f.cause != "eu-west-1a") continue;
    ++lost;
    EXPECT_EQ(f.zone, "eu-west-1a");
    EXPECT_EQ(f.target.rfind("vol-a", 0), 0u) << f.target;  // only volumes of that zone
    const cloud::Volume* v = r.world->cluster().cloud().volume(f.target);
    ASSERT_NE(v, nullptr);
    EXPECT_TRUE(v->lost);
  }
  // Binomial(200, 0.5).
  EXPECT_NEAR(lost, 100.0, kZ999 * std::sqrt(200 * 0.25));
}

TEST(VolumeRate, AnnualFailureRateIsTheShareOfVolumesFailingInAYear) {
  Inline in;
  in.nodes = 1;
  in.volumes = volumes("x", 1000, "eu-west-1a", "gp3");
  in.failures = "    volume: {afr: \"60%\"}\n";
  auto s = load(in);
  ASSERT_TRUE(s);
  TrialRun r(*s);
  r.world->advance_to(sim::Duration::days(365));
  // Rate -ln(1 - afr) per year: P(failure within a year) = afr exactly, Binomial(1000, 0.6)
  // (a rate of afr per year would give 1 - e^-0.6 = 0.45).
  const auto failed = r.of(Kind::Volume);
  EXPECT_NEAR(static_cast<double>(failed.size()), 600.0, kZ999 * std::sqrt(1000 * 0.6 * 0.4));
  std::set<std::string> ids;
  for (const auto& f : failed) {
    ids.insert(f.target);
    EXPECT_TRUE(r.world->cluster().cloud().volume(f.target)->lost);
  }
  EXPECT_EQ(ids.size(), failed.size());  // a volume fails once
}

TEST(VolumeRate, DefaultAfrComesFromTheVolumeType) {
  EXPECT_DOUBLE_EQ(faults::default_volume_afr("gp2"), 0.002);
  EXPECT_DOUBLE_EQ(faults::default_volume_afr("io2"), 0.00001);
  Inline in;
  in.nodes = 1;
  in.duration = "100y";
  in.volumes = volumes("g", 1000, "eu-west-1a", "gp2") + volumes("i", 1000, "eu-west-1a", "io2");
  in.failures = "    volume: {}\n";
  auto s = load(in);
  ASSERT_TRUE(s);
  TrialRun r(*s);
  r.world->advance_to(sim::Duration::days(36500));
  int gp2 = 0, io2 = 0;
  for (const auto& f : r.of(Kind::Volume)) (f.target.rfind("vol-g", 0) == 0 ? gp2 : io2)++;
  // 0.2 % a year for 100 years: p = 1 - 0.998^100 = 0.1814.
  const double p = 1 - sim::detmath::pow(0.998, 100);
  EXPECT_NEAR(gp2, 1000 * p, kZ999 * std::sqrt(1000 * p * (1 - p)));
  // 0.001 %: p = 0.001, about one volume; more than 6 has probability < 1e-4.
  EXPECT_LE(io2, 6);
}

TEST(VolumeRate, VolumesProvisionedLaterJoinTheProcess) {
  Inline in;
  in.nodes = 2;
  in.duration = "1d";
  in.failures = "    volume: {afr: \"100%\"}\n";  // every volume fails as soon as it exists
  in.faults = "    - {at: 1h, action: scale, workload: statefulset/db, replicas: 1}\n";
  in.manifests =
      "---\n"
      "apiVersion: storage.k8s.io/v1\n"
      "kind: StorageClass\n"
      "metadata: {name: ebs}\n"
      "provisioner: ebs.csi.aws.com\n"
      "volumeBindingMode: WaitForFirstConsumer\n"
      "---\n"
      "apiVersion: apps/v1\n"
      "kind: StatefulSet\n"
      "metadata: {name: db}\n"
      "spec:\n"
      "  replicas: 0\n"
      "  serviceName: db\n"
      "  selector: {matchLabels: {app: db}}\n"
      "  template:\n"
      "    metadata: {labels: {app: db}}\n"
      "    spec:\n"
      "      containers:\n"
      "        - {name: db, image: postgres, resources: {requests: {cpu: 100m, memory: 128Mi}}}\n"
      "  volumeClaimTemplates:\n"
      "    - metadata: {name: data}\n"
      "      spec:\n"
      "        accessModes: [ReadWriteOnce]\n"
      "        storageClassName: ebs\n"
      "        resources: {requests: {storage: 1Gi}}\n";
  auto s = load(in);
  ASSERT_TRUE(s);
  TrialRun r(*s);
  r.world->advance_to(2_h);
  // No volume existed at time 0; db-0's was provisioned after the scale and failed at once.
  const auto failed = r.of(Kind::Volume);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_GE(failed[0].at, r.t0 + 1_h);
  const cloud::Volume* v = r.world->cluster().cloud().volume(failed[0].target);
  ASSERT_NE(v, nullptr);
  EXPECT_TRUE(v->lost);
}

}  // namespace
}  // namespace azsim::failures::testing
