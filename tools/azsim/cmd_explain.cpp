// azsim explain SCENARIO --pod NAME [--at DURATION]: why a pod is where it is, node by node.
#include <boost/program_options.hpp>
#include <iostream>

#include "cli.hpp"
#include "models/controllers/cluster.hpp"
#include "models/metrics/kubectl.hpp"
#include "models/run/runner.hpp"
#include "models/scheduler/scheduler.hpp"

namespace po = boost::program_options;

namespace azsim::cli {

namespace {

constexpr const char* kExplainHelp = R"(Usage: azsim explain SCENARIO --pod NAME [--at DURATION] [--seed N]

Runs SCENARIO up to DURATION after time 0 (default 0) and explains pod NAME at that moment:
its status and the cause of its not being Ready, the scheduler's last message, and for every
node the verdict of each scheduler filter in kube-scheduler's order (the first failure is the
one the FailedScheduling message counts). A pod the scheduler has placed is judged as if it
were placed anew at that moment: without its node binding, and not counting itself among the
pods already there. A DURATION past spec.duration runs on as `azsim run --until DURATION`
does, stochastic failures included.

Example:
  azsim explain scenarios/seed-001-kops-cassandra.yaml --pod cassandra-1 --at 12m
)";

}  // namespace

int cmd_explain(const std::vector<std::string>& args) {
  po::options_description opts;
  opts.add_options()("pod", po::value<std::string>(), "")("at", po::value<std::string>(), "")(
      "seed", po::value<std::string>(), "");
  auto parsed = parse_scenario_command("explain", args, opts, kExplainHelp);
  if (!parsed) return kExitOk;
  const po::variables_map& vm = parsed->vm;
  if (!vm.count("pod")) throw UsageError("explain: --pod NAME is required");
  const std::string pod_name = vm["pod"].as<std::string>();
  const sim::Duration at = vm.count("at") ? parse_duration_arg("--at", vm["at"].as<std::string>()) : sim::Duration::zero();
  run::RunOptions ro;
  if (vm.count("seed")) ro.seed = parse_seed_arg("explain", vm["seed"].as<std::string>());

  // Past spec.duration the run goes on to --at as `azsim run --until` would: the stochastic
  // failures go on too, and their expected count is checked over that length.
  auto sc = load_or_report(parsed->scenario, std::cerr, at);
  if (!sc) return kExitInvalid;
  if (at > sc->duration) ro.until = at;
  run::World world(*sc, ro);
  world.advance_to(at);
  controllers::Cluster& c = world.cluster();

  std::string key;
  for (const auto& k : c.known_pods())
    if (k.substr(k.find('/') + 1) == pod_name || k == pod_name) key = k;
  if (key.empty()) throw UsageError("explain: no pod named \"" + pod_name + "\" in this scenario");

  std::string out = "pod " + key + " at +" + sim::format_duration(at) + " (seed " + std::to_string(world.seed()) + ")\n";
  const k8s::Pod* pod = c.store().get<k8s::Pod>(key);
  const controllers::PodCause cause = c.cause(key);
  if (!pod) {
    out += "  status: absent (deleted, not yet re-created)\n";
  } else {
    out += "  status: " + metrics::pod_status(c, *pod) + ", " + (cause == controllers::PodCause::Ready ? "Ready" : "not Ready") +
           (cause == controllers::PodCause::Ready ? "" : " (" + std::string(controllers::to_string(cause)) + ")") + "\n";
    out += "  node: " + (pod->bound() ? pod->spec.node_name : std::string("<none>")) + "\n";
    if (!pod->status.message.empty()) out += "  scheduler: " + pod->status.message + "\n";
    const scheduler::Explanation ex = c.scheduler().explain(*pod);
    if (!ex.pre_filter.ok()) out += "  PreFilter: " + ex.pre_filter.message() + "\n";
    out += "  nodes (" + std::string(ex.placed_anew ? "were it placed anew now, without itself: " : "") +
           std::to_string(ex.feasible_nodes) + " of " + std::to_string(ex.nodes.size()) +
           (ex.placed_anew ? " fit" : " fit now") + "; filters in kube-scheduler's order, the first failure counts):\n";
    std::vector<std::vector<std::string>> rows{{"NODE", "ZONE", "VERDICT"}};
    for (const auto& n : ex.nodes) {
      const k8s::Node* node = c.store().get<k8s::Node>(n.node);
      std::string verdict = n.first_failure.ok() ? "fits" : n.first_failure.plugin + ": " + n.first_failure.message();
      rows.push_back({n.node, node ? node->zone() : "", verdict});
    }
    out += indent(metrics::table(rows), "    ");
    if (!ex.message.empty()) out += "  would be reported as: " + ex.message + "\n";
  }
  std::cout << out;
  return kExitOk;
}

}  // namespace azsim::cli
