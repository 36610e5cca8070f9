#include "sim/time.hpp"

#include <cmath>
#include <cstdio>

namespace azsim::sim {

Duration Duration::from_seconds(double s) { return Duration::micros(std::llround(s * 1e6)); }

namespace {

__extension__ using i128 = __int128;  // exact overflow checks while accumulating

struct Unit {
  std::string_view name;
  std::int64_t us;
};

// Longest names first so "ms" is not read as "m" followed by "s".
constexpr Unit kUnits[] = {
    {"us", 1},          {"\xC2\xB5s", 1},         {"ms", 1000},           {"s", 1'000'000},
    {"m", 60'000'000},  {"h", 3'600'000'000LL},   {"d", 86'400'000'000LL}, {"y", 31'536'000'000'000LL},
};

DurationParse fail(std::string_view text, const std::string& why) {
  DurationParse r;
  r.error = "\"" + std::string(text) + "\" is not a duration: " + why;
  return r;
}

}  // namespace

DurationParse parse_duration(std::string_view text, bool allow_negative) {
  std::string_view s = text;
  if (s.empty()) return fail(text, "empty string");
  bool negative = false;
  if (s.front() == '-' || s.front() == '+') {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  if (negative && !allow_negative) return fail(text, "negative durations are not allowed here");
  if (s == "0") return DurationParse{true, Duration::zero(), {}};
  if (s.empty()) return fail(text, "missing number");

  // Accumulate in long double over integer and fraction parts, checking the int64 range.
  i128 total = 0;
  const i128 limit = std::numeric_limits<std::int64_t>::max();
  while (!s.empty()) {
    std::size_t i = 0;
    i128 whole = 0;
    bool digits = false;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      whole = whole * 10 + (s[i] - '0');
      if (whole > limit) return fail(text, "out of range");
      ++i;
      digits = true;
    }
    i128 frac_num = 0, frac_den = 1;
    if (i < s.size() && s[i] == '.') {
      ++i;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        if (frac_den < 1'000'000'000'000'000LL) {  // more digits than microseconds can hold are dropped
          frac_num = frac_num * 10 + (s[i] - '0');
          frac_den *= 10;
        }
        ++i;
        digits = true;
      }
    }
    if (!digits) return fail(text, "expected a number at \"" + std::string(s) + "\"");
    s.remove_prefix(i);
    const Unit* unit = nullptr;
    for (const auto& u : kUnits) {
      if (s.substr(0, u.name.size()) == u.name) {
        unit = &u;
        break;
      }
    }
    if (unit == nullptr) {
      std::size_t n = 0;
      while (n < s.size() && !(s[n] >= '0' && s[n] <= '9') && s[n] != '.') ++n;
      if (n == 0) return fail(text, "missing unit (use one of us, ms, s, m, h, d, y)");
      return fail(text, "unknown unit \"" + std::string(s.substr(0, n)) + "\" (use one of us, ms, s, m, h, d, y)");
    }
    s.remove_prefix(unit->name.size());
    i128 part = whole * unit->us;
    if (whole != 0 && part / unit->us != whole) return fail(text, "out of range");
    part += (frac_num * unit->us + frac_den / 2) / frac_den;
    total += part;
    if (total > limit) return fail(text, "out of range");
  }
  auto us = static_cast<std::int64_t>(total);
  return DurationParse{true, Duration::micros(negative ? -us : us), {}};
}

std::string format_duration(Duration d) {
  std::int64_t us = d.us();
  if (us == 0) return "0s";
  std::string out;
  if (us < 0) {
    out = "-";
    if (us == std::numeric_limits<std::int64_t>::min()) us += 1;  // cannot negate; off by 1us
    us = -us;
  }
  auto trim = [](std::string frac) {
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
    return frac;
  };
  char buf[64];
  if (us < 1000) {
    std::snprintf(buf, sizeof buf, "%lldus", static_cast<long long>(us));
    return out + buf;
  }
  if (us < 1'000'000) {
    std::string frac = trim(std::to_string(1000 + us % 1000).substr(1));
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(us / 1000));
    return out + buf + (frac.empty() ? "" : "." + frac) + "ms";
  }
  const std::int64_t h = us / 3'600'000'000LL;
  const std::int64_t m = (us / 60'000'000) % 60;
  const std::int64_t s = (us / 1'000'000) % 60;
  const std::string frac = trim(std::to_string(1'000'000 + us % 1'000'000).substr(1));
  if (h) out += std::to_string(h) + "h";
  if (m) out += std::to_string(m) + "m";
  if (s || !frac.empty()) out += std::to_string(s) + (frac.empty() ? "" : "." + frac) + "s";
  return out;
}

std::string format_seconds(Duration d) {
  std::int64_t us = d.us();
  std::string sign;
  if (us < 0) {
    sign = "-";
    us = -us;
  }
  std::string frac = std::to_string(1'000'000 + us % 1'000'000).substr(1);
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  return sign + std::to_string(us / 1'000'000) + (frac.empty() ? "" : "." + frac);
}

}  // namespace azsim::sim
