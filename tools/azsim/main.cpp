// azsim: a discrete-event simulator of multi-AZ Kubernetes clusters with EBS-backed pods.
// This file dispatches to the subcommands; each is a thin function over the model libraries.
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "cli.hpp"
#include "models/run/runner.hpp"
#include "sim/version.hpp"

namespace {

constexpr const char* kUsage = R"(azsim - replay outages of multi-AZ Kubernetes clusters with EBS-backed pods, in virtual time

Usage:
  azsim run SCENARIO [--seed N] [--until DURATION] [--trial I] [--format text|json]
                     [--out FILE] [--trace FILE] [--at DURATION ...]
  azsim validate SCENARIO...
  azsim explain SCENARIO --pod NAME [--at DURATION] [--seed N]
  azsim mc SCENARIO --trials N [--threads T] [--seed S] [--until DURATION]
                    [--format text|json] [--out FILE] [--shard K/N] [--compare OTHER]
                    [--until-ci METRIC=WIDTH] [--checkpoint FILE [--checkpoint-every D]]
                    [--progress|--no-progress]
  azsim merge PART.json... [--format text|json] [--out FILE]
  azsim analyze SCENARIO [--seed N] [--format text|json]
  azsim --help | azsim COMMAND --help | azsim help COMMAND | azsim --version

Commands:
  run        simulate a scenario and print its report (pending time per pod and why, events)
  validate   check scenario files; print every problem as FILE:LINE:COL: field: message
  explain    show why a pod is where it is (or Pending) at a simulated time, node by node
  mc         Monte-Carlo batch: availability, data loss and pending time with confidence
             intervals over many trials; --compare runs two designs on the same streams
  merge      combine the JSON parts of a sharded `azsim mc --shard K/N` batch
  analyze    exact Markov-chain availability of each data service, and its blast radius

Durations are written as Kubernetes does: 250ms, 90s, 5m, 1h30m, 2d, 1y.
Exit status: 0 success, 1 invalid scenario or arguments, 2 internal error, 130 a Monte-Carlo
batch stopped by Ctrl-C or SIGTERM (after writing its --checkpoint).
The scenario format is documented in scenarios/README.md.
)";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::cerr << kUsage;
    return azsim::cli::kExitInvalid;
  }
  std::string cmd = args.front();
  args.erase(args.begin());
  try {
    auto is_help = [](const std::string& c) { return c == "--help" || c == "-h" || c == "help"; };
    auto is_version = [](const std::string& c) { return c == "--version" || c == "version"; };
    if (is_help(cmd) && args.size() == 1) {  // `azsim help run` is `azsim run --help`
      cmd = args.front();
      args = {"--help"};
    } else if ((is_help(cmd) || is_version(cmd)) && !args.empty()) {
      throw azsim::cli::UsageError(cmd + " takes no arguments, not \"" + args.front() + "\" (see azsim --help)");
    }
    if (is_help(cmd)) {
      std::cout << kUsage;
      return azsim::cli::kExitOk;
    }
    if (is_version(cmd)) {
      std::cout << "azsim " << azsim::kVersion << " (report schema " << azsim::kReportSchema << ")\n";
      return azsim::cli::kExitOk;
    }
    if (cmd == "run") return azsim::cli::cmd_run(args);
    if (cmd == "validate") return azsim::cli::cmd_validate(args);
    if (cmd == "explain") return azsim::cli::cmd_explain(args);
    if (cmd == "analyze") return azsim::cli::cmd_analyze(args);
    if (cmd == "mc") return azsim::cli::cmd_mc(args);
    if (cmd == "merge") return azsim::cli::cmd_merge(args);
    throw azsim::cli::UsageError("unknown command \"" + cmd + "\" (see azsim --help)");
  } catch (const azsim::cli::UsageError& e) {
    std::cerr << "azsim: " << e.what() << "\n";
    return azsim::cli::kExitInvalid;
  } catch (const azsim::run::ScenarioError& e) {
    std::cerr << e.what();
    return azsim::cli::kExitInvalid;
  } catch (const std::exception& e) {
    std::cerr << "azsim: internal error: " << e.what() << "\n";
    return azsim::cli::kExitInternal;
  }
}
