// The azsim command line: shared helpers of the subcommands (tools/azsim/cmd_*.cpp).
#pragma once

#include <boost/program_options.hpp>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/scenario/loader.hpp"
#include "sim/time.hpp"

namespace azsim::cli {

/// Exit codes (CONTRACT.md): 0 success, 1 invalid scenario or arguments, 2 internal error;
/// and, as shells report a SIGINT, 130 for a batch stopped by Ctrl-C (its checkpoint kept).
inline constexpr int kExitOk = 0;
inline constexpr int kExitInvalid = 1;
inline constexpr int kExitInternal = 2;
inline constexpr int kExitInterrupted = 130;

/// A usage or input error: printed as "azsim: MESSAGE" and exits 1.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Parses a duration argument (`--at 10m`), at most 100y (the scenario format's limit for
/// spec.duration), or throws UsageError naming the option.
sim::Duration parse_duration_arg(const std::string& option, const std::string& text);
/// --until: a duration as parse_duration_arg, and more than 0 (as spec.duration must be).
sim::Duration parse_until_arg(const std::string& text);

/// Parses `--seed`: an integer from 0 to 2^64-1, or throws UsageError.
std::uint64_t parse_seed_arg(const std::string& command, const std::string& text);

/// Throws UsageError when two output options name the same file (one would overwrite the
/// other): "run: --trace and --out name the same file \"r.json\"". Paths are compared after
/// resolving ".", ".." and symbolic links of the parts that exist.
void refuse_same_output(const std::string& command, const char* option_a, const std::string& a, const char* option_b,
                        const std::string& b);

/// An unsigned 64-bit option value; a UsageError naming `command` and `option` otherwise.
std::uint64_t parse_uint_arg(const std::string& command, const std::string& option, const std::string& text);

/// Loads a scenario, printing its warnings to `err`; nullopt (errors printed) when invalid,
/// also for a run of length `until` (--until) instead of spec.duration.
std::optional<scenario::Scenario> load_or_report(const std::string& path, std::ostream& err,
                                                 std::optional<sim::Duration> until = std::nullopt);

/// True when colour should be used on stdout (a terminal, and NO_COLOR unset).
bool use_colour();

/// Writes `content` to `out_path` atomically, or to stdout when empty.
void emit(const std::string& content, const std::string& out_path);

/// Parses a single-scenario command's arguments: `opts` (without the positional SCENARIO, which
/// this adds). Returns nullopt after printing `help` for --help; throws UsageError naming the
/// command for bad options or anything but exactly one SCENARIO.
struct ParsedArgs {
  boost::program_options::variables_map vm;
  std::string scenario;
};
std::optional<ParsedArgs> parse_scenario_command(const std::string& command, const std::vector<std::string>& args,
                                                 boost::program_options::options_description opts, const char* help);

int cmd_run(const std::vector<std::string>& args);
int cmd_validate(const std::vector<std::string>& args);
int cmd_explain(const std::vector<std::string>& args);
int cmd_analyze(const std::vector<std::string>& args);
int cmd_mc(const std::vector<std::string>& args);
int cmd_merge(const std::vector<std::string>& args);

/// Indents every line of `text` by `prefix` (for tables inside reports).
std::string indent(const std::string& text, const std::string& prefix);

}  // namespace azsim::cli
