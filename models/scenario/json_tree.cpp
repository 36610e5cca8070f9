// Strict JSON: nlohmann::json checks the syntax (its SAX parser, so no DOM is built and deep
// nesting cannot overflow the stack); the positioned tree is then built by the YAML reader,
// since a valid JSON text is a valid YAML flow document.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "models/scenario/limits.hpp"
#include "models/scenario/tree.hpp"

namespace azsim::scenario {

namespace {

/// A SAX consumer that accepts everything and remembers the first syntax error.
struct SyntaxCheck final : nlohmann::json_sax<nlohmann::json> {
  bool failed = false;
  std::size_t byte = 0;
  std::string message;
  std::size_t depth = 0;
  bool too_deep = false;

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return enter(); }
  bool key(string_t&) override { return true; }
  bool end_object() override { return leave(); }
  bool start_array(std::size_t) override { return enter(); }
  bool end_array() override { return leave(); }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& ex) override {
    failed = true;
    byte = position;  // bytes read, the offending one included
    message = ex.what();
    return false;
  }

 private:
  bool enter() {
    if (++depth > static_cast<std::size_t>(limits::kMaxDepth)) too_deep = true;
    return !too_deep;
  }
  bool leave() {
    --depth;
    return true;
  }
};

/// nlohmann's what() reads "[json.exception.parse_error.101] parse error at line 3, column 5:
/// syntax error while parsing ..."; keep the part after the position, which we print our way.
std::string strip_prefix(const std::string& what) {
  const auto at = what.find(": ");
  if (what.rfind("[json.exception.", 0) == 0 && at != std::string::npos) return what.substr(at + 2);
  return what;
}

/// The offset where the token holding byte `at` starts, so that an error in a string or a
/// literal points at its beginning (nlohmann reports where it stopped reading).
std::size_t token_start(std::string_view s, std::size_t at) {
  auto word = [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '+' || c == '-' ||
           c == '.';
  };
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t start = i;
    if (s[i] == '"') {
      ++i;
      while (i < s.size() && s[i] != '"' && s[i] != '\n') i += s[i] == '\\' ? 2 : 1;
      if (i < s.size() && s[i] == '"') ++i;
    } else if (word(s[i])) {
      while (i < s.size() && word(s[i])) ++i;
    } else {
      ++i;
    }
    if (at < i) return start;
  }
  return at;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool read_u16(std::string_view s, std::size_t at, unsigned& out) {
  if (at + 4 > s.size()) return false;
  out = 0;
  for (std::size_t k = 0; k < 4; ++k) {
    const int h = hex_value(s[at + k]);
    if (h < 0) return false;
    out = out * 16 + static_cast<unsigned>(h);
  }
  return true;
}

/// yaml-cpp rejects JSON's UTF-16 surrogate pairs ("\ud83d\ude00"); YAML writes the same
/// character as one 32-bit escape ("\U0001F600"). The text was already checked by nlohmann,
/// so every escape is well formed and surrogates come in valid pairs. Columns after such a
/// pair on the same line shift by two; nothing else moves.
std::string rewrite_surrogate_pairs(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool in_string = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (!in_string) {
      if (c == '"') in_string = true;
      out += c;
      continue;
    }
    if (c == '"') {
      in_string = false;
      out += c;
      continue;
    }
    if (c != '\\' || i + 1 >= s.size()) {
      out += c;
      continue;
    }
    unsigned hi = 0, lo = 0;
    if (i + 12 <= s.size() && s[i + 1] == 'u' && read_u16(s, i + 2, hi) && hi >= 0xD800 && hi <= 0xDBFF &&
        s[i + 6] == '\\' && s[i + 7] == 'u' && read_u16(s, i + 8, lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
      const unsigned cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
      static const char* kHex = "0123456789ABCDEF";
      out += "\\U";
      for (int shift = 28; shift >= 0; shift -= 4) out += kHex[(cp >> shift) & 0xF];
      i += 11;
      continue;
    }
    out += c;  // any other escape: copy the backslash and the escaped character as they are
    out += s[i + 1];
    ++i;
  }
  return out;
}

}  // namespace

ParsedFile parse_json(std::string_view text, const std::string& file, Diagnostics& diags) {
  ParsedFile out;
  out.file = file;
  if (!check_text(text, file, diags)) return out;
  SyntaxCheck check;
  nlohmann::json::sax_parse(text.begin(), text.end(), &check, nlohmann::json::input_format_t::json, true);
  if (check.too_deep) {
    diags.error(SourceLoc{file, 1, 1}, "",
                "invalid JSON: arrays and objects nested more than " + std::to_string(limits::kMaxDepth) + " deep");
    return out;
  }
  if (check.failed) {
    const std::size_t last = check.byte == 0 ? 0 : check.byte - 1;
    const LineCol lc = line_col_at(text, token_start(text, std::min(last, text.size())));
    diags.error(SourceLoc{file, lc.line, lc.col}, "", "invalid JSON: " + strip_prefix(check.message));
    return out;
  }
  return parse_yaml(rewrite_surrogate_pairs(text), file, diags);
}

}  // namespace azsim::scenario
