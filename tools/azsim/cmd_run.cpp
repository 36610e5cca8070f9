// azsim run SCENARIO: simulate and report.
#include <boost/program_options.hpp>
#include <iostream>

#include "atomic_file.hpp"
#include "cli.hpp"
#include "models/metrics/kubectl.hpp"
#include "models/run/runner.hpp"
#include "report_json.hpp"
#include "report_text.hpp"
#include "trace.hpp"

namespace po = boost::program_options;

namespace azsim::cli {

namespace {

constexpr const char* kRunHelp = R"(Usage: azsim run SCENARIO [options]

Simulates SCENARIO: builds the cluster (the setup, simulated too), then runs its faults for
spec.duration after time 0 (the moment every workload is first Ready), and prints the report:
the timeline of events, each pod's pending and not-ready seconds with their causes and the
scheduler's message, and the data services' availability.

Options:
  --seed N            random seed (default: spec.seed)
  --until DURATION    simulate this long after time 0 (default: spec.duration)
  --trial I           replay trial I (from 0) of `azsim mc` with the same --seed and --until:
                      the same setup, then from time 0 the trial's own random streams; the
                      report is that trial's, in full
  --format text|json  report format (default: text)
  --out FILE          write the report to FILE (atomically) instead of stdout
  --trace FILE        also write a Chrome trace-event JSON (open it in ui.perfetto.dev)
  --at DURATION       print kubectl-style snapshots (get nodes / get pods -o wide / get pvc)
                      at this time after time 0; repeatable

Examples:
  azsim run scenarios/seed-001-kops-cassandra.yaml
  azsim run scenarios/seed-001-kops-cassandra.yaml --format json --out report.json
  azsim run scenarios/seed-001-kops-cassandra.yaml --at 10m30s --at 12m
  azsim run scenarios/whatif-001-kops-cassandra-failures.yaml --seed 1 --until 365d --trial 557
)";

}  // namespace

int cmd_run(const std::vector<std::string>& args) {
  po::options_description opts;
  opts.add_options()("seed", po::value<std::string>(), "")("until", po::value<std::string>(), "")(
      "trial", po::value<std::string>(), "")(
      "format", po::value<std::string>()->default_value("text"), "")("out", po::value<std::string>(), "")(
      "trace", po::value<std::string>(), "")("at", po::value<std::vector<std::string>>(), "");
  auto parsed = parse_scenario_command("run", args, opts, kRunHelp);
  if (!parsed) return kExitOk;
  const po::variables_map& vm = parsed->vm;
  const std::string format = vm["format"].as<std::string>();
  if (format != "text" && format != "json") throw UsageError("run: --format must be text or json, not \"" + format + "\"");

  if (vm.count("trace") && vm.count("out"))
    refuse_same_output("run", "--trace", vm["trace"].as<std::string>(), "--out", vm["out"].as<std::string>());

  run::RunOptions ro;
  if (vm.count("seed")) ro.seed = parse_seed_arg("run", vm["seed"].as<std::string>());
  if (vm.count("until")) ro.until = parse_until_arg(vm["until"].as<std::string>());
  if (vm.count("trial")) ro.trial = parse_uint_arg("run", "--trial", vm["trial"].as<std::string>());
  std::string snapshots;
  if (vm.count("at")) {
    for (const auto& a : vm["at"].as<std::vector<std::string>>()) ro.snapshots_at.push_back(parse_duration_arg("--at", a));
    ro.on_snapshot = [&](sim::Duration at, const controllers::Cluster& c) {
      snapshots += "=== at +" + sim::format_duration(at) + "\n$ kubectl get nodes -L topology.kubernetes.io/zone\n" +
                   metrics::get_nodes(c) + "\n$ kubectl get pods -o wide\n" + metrics::get_pods_wide(c) +
                   "\n$ kubectl get pvc\n" + metrics::get_pvc(c) + "\n";
    };
  }

  auto sc = load_or_report(parsed->scenario, std::cerr, ro.until);
  if (!sc) return kExitInvalid;
  const sim::Duration length = ro.until.value_or(sc->duration);
  for (sim::Duration at : ro.snapshots_at)
    if (at > length)
      throw UsageError("run: --at " + sim::format_duration(at) + " is after the end of the run (" + sim::format_duration(length) +
                       "); use --until to run longer");
  const metrics::RunReport report = run::run_scenario(*sc, ro);

  std::string body;
  if (format == "json") {
    auto j = to_json(report);
    if (!snapshots.empty()) j["snapshots"] = snapshots;
    body = j.dump(2) + "\n";
  } else {
    body = snapshots + render_text(report, !vm.count("out") && use_colour());
  }
  if (vm.count("trace")) {
    const std::string err = write_file_atomic(vm["trace"].as<std::string>(), to_trace(report).dump() + "\n");
    if (!err.empty()) throw UsageError(err);
  }
  emit(body, vm.count("out") ? vm["out"].as<std::string>() : std::string());
  return kExitOk;
}

}  // namespace azsim::cli
