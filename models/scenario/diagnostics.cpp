#include "models/scenario/diagnostics.hpp"

#include <algorithm>
#include <string_view>
#include <tuple>

#include "models/scenario/limits.hpp"

namespace azsim::scenario {

std::string SourceLoc::where() const {
  if (!known()) return file;
  return file + ":" + std::to_string(line) + ":" + std::to_string(col);
}

namespace {

/// Appends `text` with its control characters escaped as YAML writes them ("\n", "\t",
/// "\x01"), so that a value quoted in a message, however it was written, keeps the diagnostic
/// on one line.
void append_escaped(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u != 0x7F) {
      out += c;
      continue;
    }
    switch (c) {
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        out += "\\x";
        out += kHex[u >> 4];
        out += kHex[u & 0xF];
    }
  }
}

}  // namespace

std::string format(const Diagnostic& d) {
  std::string out = d.file;
  if (d.line > 0) out += ":" + std::to_string(d.line) + ":" + std::to_string(d.col > 0 ? d.col : 1);
  if (!out.empty()) out += ": ";
  if (d.severity == Severity::Warning) out += "warning: ";
  if (!d.path.empty()) {
    append_escaped(out, d.path);
    out += ": ";
  }
  append_escaped(out, d.message);
  return out;
}

void Diagnostics::error(const SourceLoc& at, std::string path, std::string message) {
  add(Diagnostic{Severity::Error, at.file, at.line, at.col, std::move(path), std::move(message)});
}

void Diagnostics::warning(const SourceLoc& at, std::string path, std::string message) {
  add(Diagnostic{Severity::Warning, at.file, at.line, at.col, std::move(path), std::move(message)});
}

void Diagnostics::add(Diagnostic d) {
  const bool is_error = d.severity == Severity::Error;
  if (is_error)
    ++errors_;
  else
    ++warnings_;
  // Separate budgets, so that many warnings never crowd out an error.
  if (is_error ? errors_ > limits::kMaxStoredDiagnostics : warnings_ > limits::kMaxStoredWarnings) {
    ++(is_error ? dropped_errors_ : dropped_warnings_);
    return;
  }
  add_file(d.file);
  items_.push_back(std::move(d));
}

void Diagnostics::add_file(const std::string& file) {
  if (std::find(file_order_.begin(), file_order_.end(), file) == file_order_.end()) file_order_.push_back(file);
}

bool Diagnostics::saturated() const { return errors_ >= limits::kMaxStoredDiagnostics; }

std::vector<Diagnostic> Diagnostics::sorted() const {
  auto rank = [&](const std::string& f) {
    return std::find(file_order_.begin(), file_order_.end(), f) - file_order_.begin();
  };
  auto key = [&](const Diagnostic& d) {
    return std::make_tuple(rank(d.file), d.line, d.col, d.severity == Severity::Warning, std::cref(d.path),
                           std::cref(d.message));
  };
  std::vector<Diagnostic> all = items_;
  std::stable_sort(all.begin(), all.end(), [&](const Diagnostic& a, const Diagnostic& b) { return key(a) < key(b); });
  all.erase(
      std::unique(all.begin(), all.end(), [&](const Diagnostic& a, const Diagnostic& b) { return key(a) == key(b); }),
      all.end());

  std::vector<Diagnostic> out;
  std::size_t shown_errors = 0, hidden_errors = dropped_errors_;
  for (auto& d : all) {
    if (d.severity == Severity::Error) {
      if (shown_errors == limits::kMaxReportedErrors) {
        ++hidden_errors;
        continue;
      }
      ++shown_errors;
    }
    out.push_back(std::move(d));
  }
  const std::string first_file = file_order_.empty() ? std::string() : file_order_.front();
  if (dropped_warnings_ > 0)
    out.push_back(Diagnostic{Severity::Warning, first_file, 0, 0, "",
                             std::to_string(dropped_warnings_) + " more warning(s) not shown"});
  if (hidden_errors > 0)
    out.push_back(Diagnostic{Severity::Error, first_file, 0, 0, "",
                             std::to_string(hidden_errors) + " more error(s) not shown; fix the ones above first"});
  return out;
}

}  // namespace azsim::scenario
