// Field: typed, located reads from a document tree, reporting every mistake as a Diagnostic.
//
// A Field is a (possibly absent) value plus the path that leads to it ("spec.faults[2].at").
// Each typed read returns nullopt when the value is absent (no error) or wrong (an error at the
// value's line and column); callers never see an exception. Plain YAML scalars are typed the
// way kubectl reads them (YAML 1.1 core types), so `replicas: "3"` is a string and a string
// field given `1.30` is a number: both are errors, as they are for kubectl.
//
// Later stages use the same reader for open-ended settings kept as trees (spec.data[].params).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "models/scenario/diagnostics.hpp"
#include "models/scenario/tree.hpp"
#include "sim/time.hpp"

namespace azsim::scenario {

/// What a plain (unquoted) scalar means: YAML 1.1 as Kubernetes' YAML library resolves it
/// (null ~, booleans true/yes/on/y and their negatives in three casings, decimal/hex/octal
/// integers, decimal floats and .inf/.nan). Quoted scalars are always strings.
enum class ScalarType { Null, Bool, Int, Float, String };
ScalarType resolve_plain(std::string_view text);

/// How to treat map keys a reader does not know.
enum class UnknownKeys {
  Error,  // the Scenario document: strict, with "did you mean"
  Warn,   // Kubernetes and eksctl objects: fields Kubernetes has but azsim does not model are
          // listed as known and ignored; others are likely typos and get a warning
};

/// Path of a map child: `base.key`, or `base["key"]` when the key has dots, slashes or spaces.
std::string child_path(const std::string& base, std::string_view key);

/// The innermost node along `path` (as child_path builds them) below `root`, for reporting at a
/// field that a later stage finds wrong. Returns `root` itself for an empty or unmatched path.
const Node& locate(const Node& root, std::string_view path);

/// Shared by all Fields read from one file.
struct ReadContext {
  std::string file;
  Diagnostics* diags = nullptr;
};

class Field {
 public:
  /// `node` may be null (absent field); `parent` gives the position to report an absent field at.
  Field(const Node* node, const Node* parent, std::string path, const ReadContext* ctx)
      : node_(node), parent_(parent), path_(std::move(path)), ctx_(ctx) {}
  /// The root of a document.
  static Field root(const Node& node, std::string path, const ReadContext& ctx) {
    return Field(&node, &node, std::move(path), &ctx);
  }

  /// Present and not null (`key:` and `key: null` count as absent, as in Kubernetes).
  bool present() const { return node_ != nullptr && !node_->is_null(); }
  const Node* node() const { return node_; }
  const std::string& path() const { return path_; }
  const std::string& file() const { return ctx_->file; }
  const ReadContext& context() const { return *ctx_; }
  /// Where the value is, or where its parent is when absent.
  SourceLoc loc() const;

  void error(const std::string& message) const;
  void warning(const std::string& message) const;
  /// Reports "required" (with a hint) when absent; returns present().
  bool require(const std::string& hint = "") const;

  // --- Structure -----------------------------------------------------------------------------
  bool is_map() const { return present() && node_->is_map(); }
  bool is_seq() const { return present() && node_->is_seq(); }
  bool is_scalar() const { return present() && node_->is_scalar(); }
  /// True for a map; reports "expected a map" when present but something else.
  bool expect_map() const;
  /// True for a list; reports "expected a list" when present but something else.
  bool expect_seq() const;
  /// A child of a map (absent when this is not a map or has no such key).
  Field operator[](std::string_view key) const;
  bool has(std::string_view key) const { return (*this)[key].present(); }
  /// Items of a list (empty, with an error, when present but not a list).
  std::vector<Field> items() const;
  /// Key/value pairs of a map in file order (empty, with an error, when present but not a map).
  std::vector<std::pair<std::string, Field>> entries() const;
  /// Reports keys that are not in `known`: an error or warning at the key, with a suggestion;
  /// `note` is appended to the message (e.g. what kubectl would do).
  void check_keys(const std::vector<std::string>& known, UnknownKeys mode, const std::string& note = "") const;

  // --- Scalars (nullopt when absent or wrong; wrong values are reported) ---------------------
  std::optional<std::string> str() const;
  /// A string that may also be written as a plain number (`version: 1.29`): the text as written.
  std::optional<std::string> str_or_number() const;
  /// An integer in [min, max]. `max_note` explains an azsim cap in the "at most" message.
  std::optional<std::int64_t> integer(std::int64_t min, std::int64_t max, const char* max_note = nullptr) const;
  /// An integer from 0 to 2^64 - 1 (a random seed).
  std::optional<std::uint64_t> uint64() const;
  std::optional<std::int32_t> int32(std::int32_t min = 0, std::int32_t max = 2147483647,
                                    const char* max_note = nullptr) const;
  std::optional<double> number(double min, double max) const;
  std::optional<bool> boolean() const;
  /// A duration string ("90s", "1h30m"); negative values are errors unless allowed.
  std::optional<sim::Duration> duration(bool allow_negative = false) const;
  /// One of `options` (exact match; a near miss gets a suggestion).
  std::optional<std::string> one_of(const std::vector<std::string>& options) const;
  /// A list of strings.
  std::optional<std::vector<std::string>> str_list() const;
  /// A map of strings to strings (labels, annotations, nodeSelector, parameters).
  std::optional<std::vector<std::pair<std::string, std::string>>> str_map() const;

  /// "the string \"3\"", "the integer 3", "a map", ... for messages.
  std::string describe() const;

 private:
  bool scalar_expected(const char* what) const;

  const Node* node_;
  const Node* parent_;
  std::string path_;
  const ReadContext* ctx_;
};

}  // namespace azsim::scenario
