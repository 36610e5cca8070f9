// The scenario loader: turns a scenario file (YAML or JSON, with Kubernetes manifests and an
// optional eksctl ClusterConfig) into a validated Scenario, or into a list of diagnostics that
// say exactly where and what is wrong. scenarios/README.md is the user's reference to the
// format; this is the API for the CLI, the tests and the fuzzer.
//
// Contract: no exception escapes; every problem is a Diagnostic. A result with errors has no
// Scenario. Warnings never stop a load. The same input always gives the same result.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/scenario/diagnostics.hpp"
#include "models/scenario/scenario.hpp"

namespace azsim::scenario {

/// The outcome of reading one file the scenario refers to.
struct FileRead {
  bool ok = false;
  std::string text;
  std::string error;  // why it could not be read ("No such file or directory")
};

struct LoadOptions {
  /// Reads a manifest or eksctl file by its resolved path. Default: the file system, refusing
  /// files over limits::kMaxFileBytes. Tests supply in-memory files; the fuzzer refuses all.
  std::function<FileRead(const std::string& path)> read_file;
};

/// The result of a load: a Scenario when there is no error, and every diagnostic (errors and
/// warnings) in file order, then line and column.
struct LoadResult {
  std::optional<Scenario> scenario;
  std::vector<Diagnostic> diagnostics;

  bool ok() const { return scenario.has_value(); }
  std::vector<Diagnostic> errors() const;
  std::vector<Diagnostic> warnings() const;
  /// Every diagnostic formatted (format()), one per line, each ending in '\n'.
  std::string report() const;
};

/// Loads the scenario at `path`. Manifest and eksctl files it names are resolved relative to
/// the directory of `path`; diagnostics name files as they were reached (`path`, then
/// `dirname(path)/manifests/x.yaml`).
LoadResult load_scenario(const std::string& path, const LoadOptions& options = {});

/// Loads a scenario from `text` as if it were the file `virtual_path` (which decides JSON or
/// YAML by its extension and is the base for relative file references).
LoadResult load_scenario_from_string(std::string_view text, const std::string& virtual_path,
                                     const LoadOptions& options = {});

/// Errors for failure processes (spec.failures) that mean more than
/// limits::kMaxExpectedFailures failures in one trial of `length`: loading checks spec.duration,
/// the command line a run of another length (--until).
void check_failure_counts(const Scenario& s, sim::Duration length, Diagnostics& diags);

/// The default file reader used when LoadOptions::read_file is empty: read_file_upto with
/// limits::kMaxFileBytes.
FileRead read_file_from_disk(const std::string& path);

/// Reads a whole file of at most `max_bytes`. A named pipe is read as it is written, and as
/// empty when nothing writes to it (instead of waiting for a writer forever); a directory is an
/// error.
FileRead read_file_upto(const std::string& path, std::size_t max_bytes);

}  // namespace azsim::scenario
