// azsim analyze SCENARIO: the exact Markov-chain answer for each data service under the
// scenario's failure rates (spec.failures), and the blast-radius table.
#include <boost/program_options.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <optional>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "models/cloud/params.hpp"
#include "models/data/blast_radius.hpp"
#include "models/data/chains.hpp"
#include "models/faults/failures.hpp"
#include "models/metrics/kubectl.hpp"
#include "models/run/runner.hpp"

namespace po = boost::program_options;

namespace azsim::cli {

namespace {

constexpr const char* kAnalyzeHelp = R"(Usage: azsim analyze SCENARIO [--format text|json] [--seed N]

For every data service of SCENARIO (spec.data), under independent exponential failures and
repairs of its replicas, builds the continuous-time Markov chain of replica states and solves it
exactly: the steady-state share of rows that cannot be read or written at each consistency
level, and the mean time to data loss. Failure rates come from spec.failures (instance MTBF,
zone outage rate and duration, volume AFR); the replica repair time is measured by replaying one
instance failure of the scenario's own cluster (time until the pod is Ready again). Then the
blast radius: the fewest zones, nodes or volumes whose loss makes some row unavailable.

The chain has no room for correlated or aging failures: when spec.failures sets bursts, an
instance Weibull shape other than 1 or a zone volumeLoss, the answer leaves them out and says
so ("left out of the chain"); `azsim mc` plays them. Nor for a volume that stays failed: the
chain counts volume failures toward data loss only, with the replica rebuilt, while in `azsim
run` and `mc` nothing replaces a failed EBS volume and its pod stays NotReady; with volume
failures this is listed too, and mc's unavailability can be far above the chain's.

Example:
  azsim analyze scenarios/whatif-001-kops-cassandra-failures.yaml
)";

constexpr double kYear = 365.0 * 86400.0;

std::string sci(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

/// What spec.failures sets that the chain cannot hold, one line each.
std::vector<std::string> left_out_of_chain(const scenario::Failures& f) {
  std::vector<std::string> out;
  if (f.bursts)
    out.push_back("bursts (" + f.bursts->path + "): the chain's replicas fail one at a time, never together");
  if (f.instance && f.instance->shape != 1.0) {
    char shape[32];
    std::snprintf(shape, sizeof shape, "%g", f.instance->shape);
    out.push_back(std::string("instance Weibull shape ") + shape + " (" + f.instance->path +
                  ".shape): the chain's times to failure are exponential with the same MTBF");
  }
  if (f.zone && f.zone->volume_loss > 0)
    out.push_back("zone volume loss " + sci(f.zone->volume_loss * 100) + "% (" + f.zone->path +
                  ".volumeLoss): the chain's data loss counts only volume failures (AFR)");
  if (f.volume)
    out.push_back("a failed volume's lasting outage (" + f.volume->path +
                  "): the chain counts volume failures toward data loss only, each replica rebuilt after its "
                  "stream time; a simulation replaces no failed EBS volume, so its pod stays NotReady to the end "
                  "(under OrderedReady, later pods of its StatefulSet are not re-created either)");
  return out;
}

/// Seconds from an instance failure of replica 0's node to its pod being Ready again, in this
/// scenario's own cluster (the failure mode of spec.failures.instance).
double measure_repair(const scenario::Scenario& s, std::uint64_t seed, std::size_t service) {
  run::RunOptions ro;
  ro.seed = seed;
  run::World w(s, ro);
  w.setup();
  auto services = w.data_services();
  if (service >= services.size() || !services[service].model || services[service].model->replica_count() == 0) return 0;
  const std::string pod = services[service].model->replica(0).pod;
  std::string key;
  for (const auto& k : w.cluster().known_pods())
    if (k.substr(k.find('/') + 1) == pod) key = k;
  const std::string node = services[service].node_of_replica.empty() ? "" : services[service].node_of_replica[0];
  const std::string inst = w.cluster().instance_of_node(node);
  if (inst.empty()) return 0;
  using Mode = scenario::InstanceFailures::Mode;
  const Mode mode = s.failures.instance ? s.failures.instance->mode : Mode::Terminate;
  std::optional<sim::Duration> back;
  if (s.failures.instance && s.failures.instance->duration) back = s.failures.instance->duration->typical();
  const sim::Time start = w.simulation().now();
  if (mode == Mode::Terminate) w.cluster().terminate_instance(inst);
  else if (mode == Mode::Stop) {
    w.cluster().stop_instance(inst);
    if (back) w.simulation().after(*back, [&w, inst] { w.cluster().start_instance(inst); });
  } else {
    w.cluster().kubelet_down(node, back.value_or(sim::Duration::minutes(10)));
  }
  const sim::Duration limit = sim::Duration::days(2);
  bool went_down = false;
  for (sim::Duration t = sim::Duration::seconds(1); t <= limit; t += sim::Duration::seconds(1)) {
    w.advance_to((start - w.t0()) + t);
    const bool ready = w.cluster().cause(key) == controllers::PodCause::Ready;
    if (!ready) went_down = true;
    if (went_down && ready) return t.seconds_f();
  }
  return limit.seconds_f();
}

}  // namespace

int cmd_analyze(const std::vector<std::string>& args) {
  po::options_description opts;
  opts.add_options()("format", po::value<std::string>()->default_value("text"), "")(
      "seed", po::value<std::string>(), "");
  auto parsed = parse_scenario_command("analyze", args, opts, kAnalyzeHelp);
  if (!parsed) return kExitOk;
  const po::variables_map& vm = parsed->vm;
  const std::string format = vm["format"].as<std::string>();
  if (format != "text" && format != "json") throw UsageError("analyze: --format must be text or json");
  const std::optional<std::uint64_t> seed_arg =
      vm.count("seed") ? std::optional(parse_seed_arg("analyze", vm["seed"].as<std::string>())) : std::nullopt;
  auto sc = load_or_report(parsed->scenario, std::cerr);
  if (!sc) return kExitInvalid;
  const scenario::Scenario& s = *sc;
  if (s.data.empty()) throw UsageError("analyze: the scenario has no data service (spec.data)");
  if (!s.failures.instance && !s.failures.zone && !s.failures.volume)
    throw UsageError("analyze: the scenario gives no failure rates: add spec.failures (instance, zone or volume)");
  const std::uint64_t seed = seed_arg.value_or(s.seed);

  run::RunOptions ro;
  ro.seed = seed;
  run::World world(s, ro);
  const auto services = world.data_services();
  const std::vector<std::string> left_out = left_out_of_chain(s.failures);
  nlohmann::ordered_json j = {{"scenario", s.name}, {"seed", seed}, {"left_out_of_chain", left_out},
                              {"services", nlohmann::ordered_json::array()}};
  std::string out;
  if (!left_out.empty()) {
    out += "left out of the chain (azsim mc plays them):\n";
    for (const auto& l : left_out) out += "  " + l + "\n";
  }
  for (std::size_t i = 0; i < services.size(); ++i) {
    const data::ServiceModel& m = *services[i].model;
    data::FailureRates rates;
    double repair_s = 0;
    double volume_afr = 0;
    if (s.failures.instance) {
      rates.replica_failure = 1.0 / s.failures.instance->mtbf.seconds_f();
      repair_s = measure_repair(s, seed, i);
      rates.replica_repair = repair_s > 0 ? 1.0 / repair_s : 0;
    }
    if (s.failures.zone) {
      rates.zone_failure = s.failures.zone->rate.per_second();
      rates.zone_repair = 1.0 / cloud::mean_seconds(s.failures.zone->duration);
    }
    if (s.failures.volume) {
      std::string type = "gp2";
      for (const auto* v : world.cluster().cloud().volumes()) type = v->type;
      // An annual failure rate is the share of volumes failing within a year: 1 - exp(-rate * 1y).
      volume_afr = s.failures.volume->afr.value_or(faults::default_volume_afr(type));
      rates.volume_failure = -std::log1p(-std::min(volume_afr, 0.999999)) / kYear;
      rates.rebuild = 1.0 / std::max(1.0, data::stream_time(m.config()).seconds_f() + repair_s);
    }
    const data::ChainAnalysis a = data::analyze_chain(m, rates);
    const auto blast = data::blast_radius(m, services[i].node_of_replica);

    nlohmann::ordered_json js = {{"service", m.config().name},
                                 {"type", data::to_string(m.config().type)},
                                 {"replicas", m.replica_count()},
                                 {"rates_per_s", {{"replica_failure", rates.replica_failure}, {"replica_repair", rates.replica_repair},
                                                  {"zone_failure", rates.zone_failure}, {"zone_repair", rates.zone_repair},
                                                  {"volume_failure", rates.volume_failure}, {"rebuild", rates.rebuild}}},
                                 {"measured_repair_s", repair_s},
                                 {"method", a.method},
                                 {"states", a.states},
                                 {"mttdl_years", std::isinf(a.mttdl_seconds) ? nlohmann::ordered_json(nullptr)
                                                                              : nlohmann::ordered_json(a.mttdl_seconds / kYear)}};
    out += "service " + m.config().name + " (" + data::to_string(m.config().type) + ", " + std::to_string(m.replica_count()) +
           " replicas)\n";
    if (s.failures.instance)
      out += "  instance MTBF " + sim::format_duration(s.failures.instance->mtbf) + "; replica back after " +
             sim::format_duration(sim::Duration::seconds(std::llround(repair_s))) + " (measured by replaying one instance failure)\n";
    if (s.failures.zone)
      out += "  zone outages " + sci(s.failures.zone->rate.count) + " per " + sim::format_duration(s.failures.zone->rate.per) +
             " per zone, mean " + sim::format_duration(sim::Duration::seconds(std::llround(1.0 / rates.zone_repair))) + "\n";
    if (s.failures.volume) out += "  volume AFR " + sci(volume_afr * 100) + "%\n";
    out += "  chain: " + a.method + ", " + std::to_string(a.states) + " states\n";
    std::vector<std::vector<std::string>> rows{{"CONSISTENCY", "READ UNAVAILABLE", "WRITE UNAVAILABLE", "READ MIN/YEAR", "WRITE MIN/YEAR"}};
    nlohmann::ordered_json levels = nlohmann::ordered_json::array();
    for (const auto& l : a.levels) {
      rows.push_back({l.consistency, sci(l.read), sci(l.write), sci(l.read * kYear / 60), sci(l.write * kYear / 60)});
      levels.push_back({{"consistency", l.consistency}, {"read_unavailability", l.read}, {"write_unavailability", l.write},
                        {"read_keyspace", l.read_keyspace}, {"write_keyspace", l.write_keyspace}});
    }
    js["levels"] = std::move(levels);
    out += indent(metrics::table(rows), "    ");
    out += "  mean time to data loss: " + (std::isinf(a.mttdl_seconds) ? std::string("infinite (no volume failures)")
                                                                         : sci(a.mttdl_seconds / kYear) + " years") + "\n";
    out += "  blast radius (fewest simultaneous losses that make some row unavailable):\n";
    std::vector<std::vector<std::string>> brows{{"CONSISTENCY", "OPERATION", "DOMAIN", "MIN", "EXAMPLE"}};
    nlohmann::ordered_json jb = nlohmann::ordered_json::array();
    for (const auto& b : blast) {
      std::string ex;
      for (const auto& e : b.example) ex += (ex.empty() ? "" : " ") + e;
      brows.push_back({b.consistency, b.operation, b.domain, b.min_failures < 0 ? "never" : std::to_string(b.min_failures),
                       ex.empty() ? "-" : ex});
      jb.push_back({{"consistency", b.consistency}, {"operation", b.operation}, {"domain", b.domain},
                    {"min_failures", b.min_failures}, {"example", b.example}});
    }
    js["blast_radius"] = std::move(jb);
    out += indent(metrics::table(brows), "    ");
    j["services"].push_back(std::move(js));
  }
  std::cout << (format == "json" ? j.dump(2) + "\n" : out);
  return kExitOk;
}

}  // namespace azsim::cli
