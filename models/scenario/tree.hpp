// The document tree the loader reads: a YAML or JSON value with the position of every part.
//
// yaml-cpp (YAML) and nlohmann::json (strict JSON syntax check) are only used to build this
// tree; everything after works on it. Building our own tree lets the loader (1) keep a 1-based
// line/column for every value, key and list item, (2) tell quoted strings from plain scalars
// (`replicas: "3"` is a string, as kubectl sees it), (3) reject duplicate keys as kubectl does,
// (4) expand YAML aliases and merge keys (`<<: *base`) under a size budget, so no input can
// exhaust memory.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "models/scenario/diagnostics.hpp"

namespace azsim::scenario {

/// One value. Maps keep their keys in `keys` and values in `items`, in file order (keys are
/// always scalars; duplicates have been rejected). Line and column are 1-based.
struct Node {
  enum class Kind { Null, Scalar, Sequence, Map };
  Kind kind = Kind::Null;
  std::string text;   // Scalar: the value, unquoted and unescaped
  bool plain = true;  // Scalar: false when quoted, a block scalar (| or >) or tagged !!str
  int line = 0;
  int col = 0;
  std::vector<Node> keys;   // Map: keys (Scalar nodes)
  std::vector<Node> items;  // Sequence: items; Map: values, parallel to keys

  bool is_null() const { return kind == Kind::Null; }
  bool is_scalar() const { return kind == Kind::Scalar; }
  bool is_seq() const { return kind == Kind::Sequence; }
  bool is_map() const { return kind == Kind::Map; }
  /// The value of `key` in a map, or nullptr (also when this is not a map).
  const Node* find(std::string_view key) const;
};

/// The documents of one file, in order. Empty documents (a bare `---`) are dropped.
struct ParsedFile {
  std::string file;
  std::vector<Node> documents;
  bool ok = false;         // false after a syntax error (reported to the Diagnostics)
  std::size_t values = 0;  // values built, aliases expanded (for the limit over all files)
};

/// True when `file` names a JSON file (extension .json, any case).
bool is_json_name(std::string_view file);

/// Whether `text` may be parsed at all: at most limits::kMaxFileBytes, well-formed UTF-8, no
/// control characters but tab and line breaks. Otherwise reports the first problem at its line
/// and column and returns false.
bool check_text(std::string_view text, const std::string& file, Diagnostics& diags);

/// Parses a YAML stream of any number of documents. Syntax errors, duplicate keys, non-scalar
/// keys and exceeded limits (limits.hpp) are reported as errors at their line and column.
ParsedFile parse_yaml(std::string_view text, const std::string& file, Diagnostics& diags);

/// Parses one strict JSON document (RFC 8259: no comments, no trailing commas). Syntax errors
/// come from nlohmann::json's parser, with its byte offset turned into line and column; the
/// positioned tree is then built by the YAML parser, which reads JSON as the YAML it is.
ParsedFile parse_json(std::string_view text, const std::string& file, Diagnostics& diags);

/// parse_json for JSON names (is_json_name), parse_yaml otherwise.
ParsedFile parse_text(std::string_view text, const std::string& file, Diagnostics& diags);

/// 1-based line and column of byte `offset` in `text` (columns count bytes, as yaml-cpp does).
struct LineCol {
  int line = 1;
  int col = 1;
};
LineCol line_col_at(std::string_view text, std::size_t offset);

}  // namespace azsim::scenario
