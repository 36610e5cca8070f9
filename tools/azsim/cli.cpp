#include "cli.hpp"

#include <cstdlib>
#include <iostream>
#include <unistd.h>

#include "atomic_file.hpp"
#include "models/run/data_config.hpp"

namespace azsim::cli {

sim::Duration parse_duration_arg(const std::string& option, const std::string& text) {
  auto r = sim::parse_duration(text);
  if (!r.ok) throw UsageError(option + ": " + r.error);
  return r.value;
}

std::optional<scenario::Scenario> load_or_report(const std::string& path, std::ostream& err) {
  scenario::LoadResult r = scenario::load_scenario(path);
  err << r.report();
  if (!r.ok()) return std::nullopt;
  const auto problems = run::check_runtime(*r.scenario);
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
