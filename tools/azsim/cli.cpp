#include "cli.hpp"

#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <unistd.h>

#include "atomic_file.hpp"
#include "models/run/data_config.hpp"

namespace azsim::cli {

sim::Duration parse_duration_arg(const std::string& option, const std::string& text) {
  auto r = sim::parse_duration(text);
  if (!r.ok) throw UsageError(option + ": " + r.error);
  if (r.value > sim::Duration::days(365 * 100)) throw UsageError(option + ": \"" + text + "\" is above azsim's limit of 100y");
  return r.value;
}

sim::Duration parse_until_arg(const std::string& text) {
  const sim::Duration d = parse_duration_arg("--until", text);
  if (d <= sim::Duration::zero()) throw UsageError("--until: must be greater than 0, not \"" + text + "\"");
  return d;
}

std::uint64_t parse_uint_arg(const std::string& command, const std::string& option, const std::string& text) {
  std::uint64_t v = 0;
  const char* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, v);
  if (text.empty() || ec != std::errc() || p != end)
    throw UsageError(command + ": " + option + " must be an integer from 0 to 18446744073709551615, not \"" + text + "\"");
  return v;
}

std::uint64_t parse_seed_arg(const std::string& command, const std::string& text) {
  return parse_uint_arg(command, "--seed", text);
}

void refuse_same_output(const std::string& command, const char* option_a, const std::string& a, const char* option_b,
                        const std::string& b) {
  namespace fs = std::filesystem;
  std::error_code ec_a, ec_b;
  const fs::path pa = fs::weakly_canonical(fs::absolute(a, ec_a), ec_a);
  const fs::path pb = fs::weakly_canonical(fs::absolute(b, ec_b), ec_b);
  if (a == b || (!ec_a && !ec_b && pa == pb))
    throw UsageError(command + ": " + option_a + " and " + option_b + " name the same file \"" + b +
                     "\": give each its own");
}

std::optional<scenario::Scenario> load_or_report(const std::string& path, std::ostream& err,
                                                 std::optional<sim::Duration> until) {
  scenario::LoadResult r = scenario::load_scenario(path);
  err << r.report();
  if (!r.ok()) return std::nullopt;
  auto problems = run::check_runtime(*r.scenario);
  if (until) {
    scenario::Diagnostics d;
    scenario::check_failure_counts(*r.scenario, *until, d);
    for (auto& p : d.sorted()) problems.push_back(std::move(p));
  }
  for (const auto& d : problems) err << scenario::format(d) << "\n";
  for (const auto& d : problems)
    if (d.severity == scenario::Severity::Error) return std::nullopt;
  return std::move(*r.scenario);
}

std::string indent(const std::string& text, const std::string& prefix) {
  std::string out;
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size() - 1;
    out += prefix + text.substr(pos, nl - pos + 1);
    pos = nl + 1;
  }
  return out;
}

std::optional<ParsedArgs> parse_scenario_command(const std::string& command, const std::vector<std::string>& args,
                                                 boost::program_options::options_description opts, const char* help) {
  namespace po = boost::program_options;
  opts.add_options()("help,h", "")("scenario", po::value<std::vector<std::string>>(), "");
  po::positional_options_description pos;
  pos.add("scenario", -1);
  ParsedArgs out;
  try {
    po::store(po::command_line_parser(args).options(opts).positional(pos).run(), out.vm);
    po::notify(out.vm);
  } catch (const po::error& e) {
    throw UsageError(command + ": " + e.what() + " (see azsim " + command + " --help)");
  }
  if (out.vm.count("help")) {
    std::cout << help;
    return std::nullopt;
  }
  if (!out.vm.count("scenario") || out.vm["scenario"].as<std::vector<std::string>>().size() != 1)
    throw UsageError(command + ": expected exactly one SCENARIO file (see azsim " + command + " --help)");
  out.scenario = out.vm["scenario"].as<std::vector<std::string>>().front();
  return out;
}

bool use_colour() { return ::isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr; }

void emit(const std::string& content, const std::string& out_path) {
  if (out_path.empty()) {
    std::cout << content;
    std::cout.flush();
    return;
  }
  const std::string err = write_file_atomic(out_path, content);
  if (!err.empty()) throw UsageError(err);
}

}  // namespace azsim::cli
