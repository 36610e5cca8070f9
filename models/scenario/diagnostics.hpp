// Diagnostics: what the scenario loader reports about a user's files.
//
// Every problem found in a scenario or its manifests becomes a Diagnostic pinned to the place
// the user wrote it (file, 1-based line and column) and to the field's path in the document
// ("spec.faults[2].at", "StatefulSet/cassandra.spec.replicas"). The loader collects all of them
// instead of stopping at the first, and prints each one on a line of its own:
//
//   scenario.yaml:12:9: spec.faults[2].at: "5x" is not a duration: unknown unit "x" ...
//   scenario.yaml:3:1: warning: HorizontalPodAutoscaler/web: kind not modelled by azsim ...
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace azsim::scenario {

/// Where something was written. line and col are 1-based; 0 means "not known" (a missing
/// file, or a value azsim filled in by default).
struct SourceLoc {
  std::string file;
  int line = 0;
  int col = 0;

  bool known() const { return line > 0; }
  /// "file:line:col", or "file" when the position is not known.
  std::string where() const;
};

enum class Severity {
  Error,    // the scenario cannot run as written; the loader returns no Scenario
  Warning,  // the scenario runs, but something in it is ignored or probably not what was meant
};

/// One problem: severity, place, the path of the field in its document, and a message that
/// says what is wrong and, where it can, how to fix it.
struct Diagnostic {
  Severity severity = Severity::Error;
  std::string file;
  int line = 0;
  int col = 0;
  std::string path;  // may be empty (a syntax error has no field)
  std::string message;
};

/// "FILE:LINE:COL: path: message" for errors and "FILE:LINE:COL: warning: path: message" for
/// warnings. Parts that are unknown or empty are left out with their separator.
std::string format(const Diagnostic& d);

/// Collects diagnostics while a scenario loads. Storage is capped (kMaxStoredDiagnostics errors,
/// kMaxStoredWarnings warnings) so a pathological input cannot exhaust memory; sorted() shows
/// at most kMaxReportedErrors errors, then one line saying how many more there were.
class Diagnostics {
 public:
  void error(const SourceLoc& at, std::string path, std::string message);
  void warning(const SourceLoc& at, std::string path, std::string message);
  void add(Diagnostic d);
  /// Lists `file` in the output order now, before any diagnostic names it (the scenario file
  /// comes first even when a manifest's problem is found before the scenario's).
  void add_file(const std::string& file);

  bool has_errors() const { return errors_ > 0; }
  std::size_t error_count() const { return errors_; }
  /// True once so many errors were found that more checking is pointless (warnings never
  /// saturate: reading goes on to find the errors).
  bool saturated() const;

  /// Files are listed in the order they were first mentioned (the scenario first, then its
  /// manifests in load order); within a file diagnostics sort by line then column, errors
  /// before warnings at the same place. Duplicates (same place, path and message) collapse.
  std::vector<Diagnostic> sorted() const;

 private:
  std::vector<Diagnostic> items_;
  std::vector<std::string> file_order_;
  std::size_t errors_ = 0;
  std::size_t warnings_ = 0;
  std::size_t dropped_errors_ = 0;
  std::size_t dropped_warnings_ = 0;
};

}  // namespace azsim::scenario
