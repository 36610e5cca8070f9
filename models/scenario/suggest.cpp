#include "models/scenario/suggest.hpp"

#include <algorithm>

namespace azsim::scenario {

namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Two-row dynamic programme; inputs are field names and ids, so the quadratic cost is tiny.
  // Long inputs (a pasted blob as a key) are no typo of a field name; comparing them character
  // by character against every candidate would only cost time.
  if (a.size() > 64 || b.size() > 64) return std::max(a.size(), b.size());
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t subst = prev[j - 1] + (lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, subst});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string closest(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_d = static_cast<std::size_t>(-1);
  bool tie = false;
  for (const auto& c : candidates) {
    if (equal_ignoring_case(word, c) && word != c) return c;
    const std::size_t d = edit_distance(word, c);
    if (d < best_d) {
      best_d = d;
      best = c;
      tie = false;
    } else if (d == best_d && c != best) {
      tie = true;
    }
  }
  // Two equally close candidates ("eu-west-1d" vs 1a, 1b, 1c): a guess would mislead.
  if (best.empty() || best_d == 0 || tie) return {};
  const std::size_t allowed = std::max<std::size_t>(2, std::min(word.size(), best.size()) / 3);
  // A one- or two-letter word is "close" to almost anything; insist on a real resemblance.
  if (best_d > allowed || best_d >= std::max(word.size(), best.size())) return {};
  return best;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  const std::string c = closest(word, candidates);
  return c.empty() ? std::string() : " (did you mean \"" + c + "\"?)";
}

std::string one_of(const std::vector<std::string>& options, bool quote) {
  std::string out;
  for (std::size_t i = 0; i < options.size(); ++i) {
    if (i > 0) out += i + 1 == options.size() ? " or " : ", ";
    out += quote ? "\"" + options[i] + "\"" : options[i];
  }
  return out;
}

}  // namespace azsim::scenario
