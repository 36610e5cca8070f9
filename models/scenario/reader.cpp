#include "models/scenario/reader.hpp"

#include <cmath>
#include <cstdlib>
#include <limits>

#include "models/scenario/suggest.hpp"

namespace azsim::scenario {

namespace {

bool any_of(std::string_view s, std::initializer_list<std::string_view> options) {
  for (auto o : options)
    if (s == o) return true;
  return false;
}

bool all_digits(std::string_view s, int base) {
  if (s.empty()) return false;
  for (char c : s) {
    const bool dec = c >= '0' && c <= '9';
    const bool ok = base == 16  ? (dec || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))
                    : base == 8 ? (c >= '0' && c <= '7')
                                : dec;
    if (!ok) return false;
  }
  return true;
}

bool is_float_text(std::string_view s) {
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) s.remove_prefix(1);
  if (any_of(s, {".inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN"})) return true;
  std::size_t i = 0, digits = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    const std::size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == start) return false;
  }
  return i == s.size();
}

__extension__ using u128 = unsigned __int128;

/// The sign and magnitude of an integer written as YAML 1.1 does (decimal, 0x hex, 0o or
/// leading-0 octal); nullopt when the text is not one or its magnitude passes 2^64.
std::optional<std::pair<bool, u128>> parse_int_text(std::string_view s) {
  bool neg = false;
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
    neg = s.front() == '-';
    s.remove_prefix(1);
  }
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
    base = 16, s.remove_prefix(2);
  else if (s.size() > 2 && s[0] == '0' && s[1] == 'o')
    base = 8, s.remove_prefix(2);
  else if (s.size() > 1 && s[0] == '0')
    base = 8, s.remove_prefix(1);
  if (!all_digits(s, base)) return std::nullopt;
  u128 v = 0;
  for (char c : s) {
    const int d = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    v = v * static_cast<unsigned>(base) + static_cast<unsigned>(d);
    if (v > static_cast<u128>(std::numeric_limits<std::uint64_t>::max()) + 1) return std::nullopt;
  }
  return std::pair{neg, v};
}

/// Parses an integer written as YAML 1.1 does; nullopt outside the range of std::int64_t.
std::optional<std::int64_t> parse_int(std::string_view s) {
  const auto t = parse_int_text(s);
  if (!t) return std::nullopt;
  const auto [neg, v] = *t;
  constexpr auto kMax = static_cast<u128>(std::numeric_limits<std::int64_t>::max());
  if (v > kMax + (neg ? 1 : 0)) return std::nullopt;
  if (neg) return v == kMax + 1 ? std::numeric_limits<std::int64_t>::min() : -static_cast<std::int64_t>(v);
  return static_cast<std::int64_t>(v);
}

bool needs_quoting(std::string_view key) {
  if (key.empty()) return true;
  for (char c : key)
    if (c == '.' || c == '/' || c == ' ' || c == '[' || c == ']' || c == '"') return true;
  return false;
}

}  // namespace

ScalarType resolve_plain(std::string_view s) {
  if (any_of(s, {"", "~", "null", "Null", "NULL"})) return ScalarType::Null;
  if (any_of(s, {"true", "True", "TRUE", "false", "False", "FALSE", "yes", "Yes", "YES", "no", "No",
                 "NO",   "on",   "On",   "ON",    "off",   "Off",   "OFF", "y",   "Y",   "n",  "N"}))
    return ScalarType::Bool;
  std::string_view digits = s;
  if (!digits.empty() && (digits.front() == '+' || digits.front() == '-')) digits.remove_prefix(1);
  if ((digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X') &&
       all_digits(digits.substr(2), 16)) ||
      (digits.size() > 2 && digits[0] == '0' && digits[1] == 'o' && all_digits(digits.substr(2), 8)) ||
      all_digits(digits, 10))
    return ScalarType::Int;
  if (is_float_text(s)) return ScalarType::Float;
  return ScalarType::String;
}

std::string child_path(const std::string& base, std::string_view key) {
  if (needs_quoting(key)) {
    std::string out = base + "[\"";
    out += key;
    return out + "\"]";
  }
  if (base.empty()) return std::string(key);
  std::string out = base + ".";
  out += key;
  return out;
}

const Node& locate(const Node& root, std::string_view path) {
  const Node* cur = &root;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '.') ++i;
    const Node* next = nullptr;
    if (i < path.size() && path[i] == '[') {
      if (i + 1 < path.size() && path[i + 1] == '"') {
        const auto end = path.find("\"]", i + 2);
        if (end == std::string_view::npos) break;
        next = cur->find(path.substr(i + 2, end - i - 2));
        i = end + 2;
      } else {
        const auto end = path.find(']', i);
        if (end == std::string_view::npos) break;
        const auto idx = parse_int(path.substr(i + 1, end - i - 1));
        if (cur->is_seq() && idx && *idx >= 0 && static_cast<std::size_t>(*idx) < cur->items.size())
          next = &cur->items[static_cast<std::size_t>(*idx)];
        i = end + 1;
      }
    } else {
      std::size_t end = i;
      while (end < path.size() && path[end] != '.' && path[end] != '[') ++end;
      next = cur->find(path.substr(i, end - i));
      i = end;
    }
    if (next == nullptr || next->line == 0) break;
    cur = next;
  }
  return *cur;
}

// ---------------------------------------------------------------------------------------------

SourceLoc Field::loc() const {
  const Node* n = (node_ != nullptr && node_->line > 0) ? node_ : parent_;
  if (n == nullptr) return SourceLoc{ctx_->file, 0, 0};
  return SourceLoc{ctx_->file, n->line, n->col};
}

void Field::error(const std::string& message) const { ctx_->diags->error(loc(), path_, message); }
void Field::warning(const std::string& message) const { ctx_->diags->warning(loc(), path_, message); }

bool Field::require(const std::string& hint) const {
  if (present()) return true;
  error(hint.empty() ? "required" : "required: " + hint);
  return false;
}

std::string Field::describe() const {
  if (!present()) return "nothing";
  switch (node_->kind) {
    case Node::Kind::Map:
      return "a map";
    case Node::Kind::Sequence:
      return "a list";
    case Node::Kind::Null:
      return "null";
    case Node::Kind::Scalar:
      break;
  }
  const std::string& t = node_->text;
  if (!node_->plain) return "the string \"" + t + "\"";
  switch (resolve_plain(t)) {
    case ScalarType::Null:
      return "null";
    case ScalarType::Bool:
      return "the boolean " + t;
    case ScalarType::Int:
      return "the integer " + t;
    case ScalarType::Float:
      return "the number " + t;
    case ScalarType::String:
      return "the string \"" + t + "\"";
  }
  return t;
}

bool Field::expect_map() const {
  if (!present()) return false;
  if (node_->is_map()) return true;
  error("expected a map, got " + describe());
  return false;
}

bool Field::expect_seq() const {
  if (!present()) return false;
  if (node_->is_seq()) return true;
  error("expected a list, got " + describe());
  return false;
}

Field Field::operator[](std::string_view key) const {
  const Node* child = (node_ != nullptr) ? node_->find(key) : nullptr;
  return Field(child, node_ != nullptr ? node_ : parent_, child_path(path_, key), ctx_);
}

std::vector<Field> Field::items() const {
  std::vector<Field> out;
  if (!expect_seq()) return out;
  out.reserve(node_->items.size());
  for (std::size_t i = 0; i < node_->items.size(); ++i)
    out.emplace_back(&node_->items[i], node_, path_ + "[" + std::to_string(i) + "]", ctx_);
  return out;
}

std::vector<std::pair<std::string, Field>> Field::entries() const {
  std::vector<std::pair<std::string, Field>> out;
  if (!expect_map()) return out;
  out.reserve(node_->keys.size());
  for (std::size_t i = 0; i < node_->keys.size(); ++i)
    out.emplace_back(node_->keys[i].text,
                     Field(&node_->items[i], &node_->keys[i], child_path(path_, node_->keys[i].text), ctx_));
  return out;
}

void Field::check_keys(const std::vector<std::string>& known, UnknownKeys mode, const std::string& note) const {
  if (!is_map()) return;
  for (const auto& k : node_->keys) {
    if (ctx_->diags->saturated()) return;  // nothing more would be shown
    bool found = false;
    for (const auto& name : known)
      if (name == k.text) {
        found = true;
        break;
      }
    if (found) continue;
    std::string msg = "unknown field \"" + k.text + "\"" + did_you_mean(k.text, known);
    if (!note.empty()) msg += "; " + note;
    const SourceLoc at{ctx_->file, k.line, k.col};
    if (mode == UnknownKeys::Error)
      ctx_->diags->error(at, child_path(path_, k.text), msg);
    else
      ctx_->diags->warning(at, child_path(path_, k.text), msg);
  }
}

bool Field::scalar_expected(const char* what) const {
  if (node_->is_scalar()) return true;
  error(std::string("expected ") + what + ", got " + describe());
  return false;
}

std::optional<std::string> Field::str() const {
  if (!present() || !scalar_expected("a string")) return std::nullopt;
  if (!node_->plain || resolve_plain(node_->text) == ScalarType::String) return node_->text;
  error("expected a string, got " + describe() + "; quote it (\"" + node_->text + "\") if it is meant as text");
  return std::nullopt;
}

std::optional<std::string> Field::str_or_number() const {
  if (!present() || !scalar_expected("a string")) return std::nullopt;
  const ScalarType t = node_->plain ? resolve_plain(node_->text) : ScalarType::String;
  if (t == ScalarType::String || t == ScalarType::Int || t == ScalarType::Float) return node_->text;
  error("expected a string, got " + describe());
  return std::nullopt;
}

std::optional<std::int64_t> Field::integer(std::int64_t min, std::int64_t max, const char* max_note) const {
  if (!present() || !scalar_expected("an integer")) return std::nullopt;
  if (!node_->plain || resolve_plain(node_->text) != ScalarType::Int) {
    error("expected an integer, got " + describe());
    return std::nullopt;
  }
  const auto v = parse_int(node_->text);
  if (!v) {
    error(node_->text + " is out of range (at most " + std::to_string(max) + ")");
    return std::nullopt;
  }
  if (*v < min) {
    error("must be at least " + std::to_string(min) + ", got " + node_->text);
    return std::nullopt;
  }
  if (*v > max) {
    std::string msg = "must be at most " + std::to_string(max);
    if (max_note != nullptr) msg += std::string(" (") + max_note + ")";
    error(msg + ", got " + node_->text);
    return std::nullopt;
  }
  return v;
}

std::optional<std::uint64_t> Field::uint64() const {
  if (!present() || !scalar_expected("an integer")) return std::nullopt;
  const auto t = node_->plain && resolve_plain(node_->text) == ScalarType::Int ? parse_int_text(node_->text) : std::nullopt;
  if (!t) {
    if (node_->plain && resolve_plain(node_->text) == ScalarType::Int)
      error(node_->text + " is out of range (at most 18446744073709551615)");
    else
      error("expected an integer, got " + describe());
    return std::nullopt;
  }
  const auto [neg, v] = *t;
  if (neg && v != 0) {
    error("must be at least 0, got " + node_->text);
    return std::nullopt;
  }
  if (v > std::numeric_limits<std::uint64_t>::max()) {
    error(node_->text + " is out of range (at most 18446744073709551615)");
    return std::nullopt;
  }
  return static_cast<std::uint64_t>(v);
}

std::optional<std::int32_t> Field::int32(std::int32_t min, std::int32_t max, const char* max_note) const {
  auto v = integer(min, max, max_note);
  if (!v) return std::nullopt;
  return static_cast<std::int32_t>(*v);
}

std::optional<double> Field::number(double min, double max) const {
  if (!present() || !scalar_expected("a number")) return std::nullopt;
  const ScalarType t = node_->plain ? resolve_plain(node_->text) : ScalarType::String;
  if (t != ScalarType::Int && t != ScalarType::Float) {
    error("expected a number, got " + describe());
    return std::nullopt;
  }
  double v = 0;
  const char* text = node_->text.c_str();
  char* end = nullptr;
  if (t == ScalarType::Int) {
    const auto i = parse_int(node_->text);
    v = i ? static_cast<double>(*i) : std::strtod(text, &end);
  } else {
    v = std::strtod(text, &end);
  }
  // YAML's .nan, .inf and -.inf are floats that strtod does not read (it stops at the dot).
  if (end != nullptr && end != text + node_->text.size()) v = std::numeric_limits<double>::quiet_NaN();
  if (!std::isfinite(v)) {
    error("must be a finite number, got " + node_->text);
    return std::nullopt;
  }
  if (v < min || v > max) {
    auto fmt = [](double d) {
      std::string s = std::to_string(d);
      while (s.size() > 1 && s.back() == '0') s.pop_back();
      if (!s.empty() && s.back() == '.') s.pop_back();
      return s;
    };
    error("must be between " + fmt(min) + " and " + fmt(max) + ", got " + node_->text);
    return std::nullopt;
  }
  return v;
}

std::optional<bool> Field::boolean() const {
  if (!present() || !scalar_expected("true or false")) return std::nullopt;
  if (node_->plain && resolve_plain(node_->text) == ScalarType::Bool) {
    const char c = node_->text[0];
    return c == 't' || c == 'T' || c == 'y' || c == 'Y' || node_->text == "on" || node_->text == "On" ||
           node_->text == "ON";
  }
  error("expected true or false, got " + describe());
  return std::nullopt;
}

std::optional<sim::Duration> Field::duration(bool allow_negative) const {
  if (!present() || !scalar_expected("a duration such as 90s, 5m or 1h30m")) return std::nullopt;
  const auto r = sim::parse_duration(node_->text, allow_negative);
  if (!r.ok) {
    error(r.error);
    return std::nullopt;
  }
  return r.value;
}

std::optional<std::string> Field::one_of(const std::vector<std::string>& options) const {
  auto s = str();
  if (!s) return std::nullopt;
  for (const auto& o : options)
    if (o == *s) return s;
  error("\"" + *s + "\" is not one of " + scenario::one_of(options) + did_you_mean(*s, options));
  return std::nullopt;
}

std::optional<std::vector<std::string>> Field::str_list() const {
  if (!present()) return std::nullopt;
  if (!expect_seq()) return std::nullopt;
  std::vector<std::string> out;
  bool ok = true;
  for (const auto& item : items()) {
    auto s = item.str();
    if (s)
      out.push_back(*s);
    else
      ok = false;
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<std::vector<std::pair<std::string, std::string>>> Field::str_map() const {
  if (!present()) return std::nullopt;
  if (!expect_map()) return std::nullopt;
  std::vector<std::pair<std::string, std::string>> out;
  bool ok = true;
  for (const auto& [k, v] : entries()) {
    if (!v.present()) {
      out.emplace_back(k, "");  // `key:` with no value is the empty string in a string map
      continue;
    }
    auto s = v.str();
    if (s)
      out.emplace_back(k, *s);
    else
      ok = false;
  }
  if (!ok) return std::nullopt;
  return out;
}

}  // namespace azsim::scenario
