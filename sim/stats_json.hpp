// JSON form of the mergeable statistics, exact to the bit, for partial results that are merged
// later (`azsim mc --shard K/N` writes them, `azsim merge` reads and merges them).
//
// Header-only on purpose: azsim_sim does not link nlohmann_json, so only code that includes
// this header (and links or includes nlohmann/json) pays for it. The functions are found by
// nlohmann's ADL lookup: `nlohmann::json j = stats; auto s = j.get<StreamingStats>();`.
//
// Doubles are stored as C99 hexadecimal floating-point strings ("0x1.8p+1" for 3, "-0x1p-3",
// "inf", "-inf"), which round-trip every double exactly, unlike a decimal number that a
// reader may round, and which JSON cannot hold for infinities. Counts are JSON integers.
// Readers reject missing fields, wrong types and inconsistent states with
// std::invalid_argument (or nlohmann::json::exception for a missing key).
//
//   StreamingStats:      {"count": 3, "mean": "0x1p+1", "m2": "0x1p+1", "min": "0x1p+0", "max": "0x1.8p+1"}
//   ProportionCounter:   {"successes": 2, "trials": 10}
//   TimeWeightedAverage: {"value_us": "...", "covered_us": 600000000, "min": "...", "max": "..."}
//                        plus "open": {"value": "...", "since_us": 42} while an interval is open
//   Histogram:           {"count": 5, "zero": 1, "negative": 0, "rejected": 0, "min": "0x0p+0",
//                         "max": "...", "first_index": 64, "counts": [3, 0, 1]}
#pragma once

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/histogram.hpp"
#include "sim/stats.hpp"

namespace azsim::sim {

/// Exact text form of a double: "0x1.8p+1", "-0x0p+0", "inf", "-inf", "nan".
inline std::string to_hexfloat(double x) {
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::hex);
  std::string s(buf, res.ptr);  // e.g. "1.8p+1", "-1p-3", "inf"
  if (std::isfinite(x)) s.insert(s.front() == '-' ? 1 : 0, "0x");
  return s;
}

/// Inverse of to_hexfloat. The "0x" prefix is required for finite values, so that a decimal
/// number written by mistake ("1.5") is rejected rather than read as hex. Throws
/// std::invalid_argument unless the whole string is one hexadecimal float, "inf" or "nan".
inline double from_hexfloat(std::string_view text) {
  std::string_view s = text;
  const bool negative = !s.empty() && s.front() == '-';
  if (negative) s.remove_prefix(1);
  const bool special = s == "inf" || s == "nan";
  const bool prefixed = s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
  if (prefixed) s.remove_prefix(2);
  double v = 0;
  const auto res = std::from_chars(s.data(), s.data() + s.size(), v, std::chars_format::hex);
  const bool whole = res.ec == std::errc() && res.ptr == s.data() + s.size();
  const bool finite_form = prefixed && !s.empty() && std::isxdigit(static_cast<unsigned char>(s.front()));
  if (!whole || !(special || finite_form)) {
    throw std::invalid_argument("\"" + std::string(text) + "\" is not a hexadecimal floating-point number");
  }
  return negative ? -v : v;
}

namespace stats_json_detail {

inline const nlohmann::json& field(const nlohmann::json& j, const char* key) {
  if (!j.is_object()) throw std::invalid_argument("expected a JSON object with field \"" + std::string(key) + "\"");
  return j.at(key);
}

inline double get_double(const nlohmann::json& j, const char* key) {
  const auto& v = field(j, key);
  if (!v.is_string()) throw std::invalid_argument(std::string("\"") + key + "\" must be a hexadecimal float string");
  return from_hexfloat(v.get_ref<const std::string&>());
}

inline std::uint64_t as_u64(const nlohmann::json& v, const char* key) {
  if (v.is_number_unsigned()) return v.get<std::uint64_t>();
  if (v.is_number_integer() && v.get<std::int64_t>() >= 0) return static_cast<std::uint64_t>(v.get<std::int64_t>());
  throw std::invalid_argument(std::string("\"") + key + "\" must be a non-negative integer");
}

inline std::uint64_t get_u64(const nlohmann::json& j, const char* key) { return as_u64(field(j, key), key); }

inline std::int64_t get_i64(const nlohmann::json& j, const char* key) {
  const auto& v = field(j, key);
  if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
    throw std::invalid_argument(std::string("\"") + key + "\" is out of range");
  }
  if (!v.is_number_integer()) throw std::invalid_argument(std::string("\"") + key + "\" must be an integer");
  return v.get<std::int64_t>();
}

}  // namespace stats_json_detail

inline void to_json(nlohmann::json& j, const StreamingStats& s) {
  j = nlohmann::json{{"count", s.count()},
                     {"mean", to_hexfloat(s.mean())},
                     {"m2", to_hexfloat(s.m2())},
                     {"min", to_hexfloat(s.min())},
                     {"max", to_hexfloat(s.max())}};
}

inline void from_json(const nlohmann::json& j, StreamingStats& s) {
  namespace d = stats_json_detail;
  s = StreamingStats::from_parts(d::get_u64(j, "count"), d::get_double(j, "mean"), d::get_double(j, "m2"),
                                 d::get_double(j, "min"), d::get_double(j, "max"));
}

inline void to_json(nlohmann::json& j, const ProportionCounter& p) {
  j = nlohmann::json{{"successes", p.successes()}, {"trials", p.trials()}};
}

inline void from_json(const nlohmann::json& j, ProportionCounter& p) {
  namespace d = stats_json_detail;
  p = ProportionCounter::from_parts(d::get_u64(j, "successes"), d::get_u64(j, "trials"));
}

inline void to_json(nlohmann::json& j, const TimeWeightedAverage& t) {
  j = nlohmann::json{{"value_us", to_hexfloat(t.value_microseconds())},
                     {"covered_us", t.covered().us()},
                     {"min", to_hexfloat(t.min())},
                     {"max", to_hexfloat(t.max())}};
  if (t.is_open()) j["open"] = {{"value", to_hexfloat(t.open_value())}, {"since_us", t.open_since().us()}};
}

inline void from_json(const nlohmann::json& j, TimeWeightedAverage& t) {
  namespace d = stats_json_detail;
  const bool open = j.is_object() && j.contains("open");
  double open_value = 0;
  Time since;
  if (open) {
    const auto& o = j.at("open");
    open_value = d::get_double(o, "value");
    since = Time::from_micros(d::get_i64(o, "since_us"));
  }
  t = TimeWeightedAverage::from_parts(d::get_double(j, "value_us"), d::get_i64(j, "covered_us"),
                                      d::get_double(j, "min"), d::get_double(j, "max"), open, open_value, since);
}

inline void to_json(nlohmann::json& j, const Histogram& h) {
  j = nlohmann::json{{"count", h.count()},
                     {"zero", h.zero_count()},
                     {"negative", h.negative_count()},
                     {"rejected", h.rejected_count()},
                     {"min", to_hexfloat(h.min())},
                     {"max", to_hexfloat(h.max())},
                     {"first_index", h.first_index()},
                     {"counts", h.counts()}};
}

inline void from_json(const nlohmann::json& j, Histogram& h) {
  namespace d = stats_json_detail;
  const auto& jc = d::field(j, "counts");
  if (!jc.is_array()) throw std::invalid_argument("\"counts\" must be an array of non-negative integers");
  std::vector<std::uint64_t> counts;
  counts.reserve(jc.size());
  for (const auto& c : jc) counts.push_back(d::as_u64(c, "counts"));
  const std::int64_t first = d::get_i64(j, "first_index");
  if (first < INT32_MIN || first > INT32_MAX) throw std::invalid_argument("\"first_index\" is out of range");
  Histogram parsed = Histogram::from_parts(d::get_u64(j, "zero"), d::get_u64(j, "negative"), d::get_u64(j, "rejected"),
                                           d::get_double(j, "min"), d::get_double(j, "max"),
                                           static_cast<std::int32_t>(first), std::move(counts));
  if (parsed.count() != d::get_u64(j, "count")) {
    throw std::invalid_argument("histogram: \"count\" does not equal the sum of the bucket counts");
  }
  h = std::move(parsed);
}

}  // namespace azsim::sim
