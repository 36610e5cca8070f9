// Simulated time for azsim: integer microseconds, and Go/Kubernetes-style duration strings.
//
// `Time` is an instant since the start of a simulation, `Duration` a signed span; both are
// int64 microseconds so that event ordering never depends on floating-point rounding.
// Durations print and parse as Kubernetes writes them: "250ms", "90s", "5m", "1h30m", plus the
// azsim extensions "d" (24h) and "y" (365d) that outage planning needs.
#pragma once

#include <compare>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace azsim::sim {

/// A signed span of simulated time with microsecond resolution.
class Duration {
 public:
  constexpr Duration() = default;
  static constexpr Duration micros(std::int64_t us) { return Duration(us); }
  static constexpr Duration millis(std::int64_t ms) { return Duration(ms * 1000); }
  static constexpr Duration seconds(std::int64_t s) { return Duration(s * 1'000'000); }
  static constexpr Duration minutes(std::int64_t m) { return seconds(m * 60); }
  static constexpr Duration hours(std::int64_t h) { return seconds(h * 3600); }
  static constexpr Duration days(std::int64_t d) { return hours(d * 24); }
  /// Rounds to the nearest microsecond.
  static Duration from_seconds(double s);
  static constexpr Duration zero() { return Duration(0); }
  static constexpr Duration max() { return Duration(std::numeric_limits<std::int64_t>::max()); }

  constexpr std::int64_t us() const { return us_; }
  constexpr double seconds_f() const { return static_cast<double>(us_) / 1e6; }

  constexpr auto operator<=>(const Duration&) const = default;
  constexpr Duration operator+(Duration o) const { return Duration(us_ + o.us_); }
  constexpr Duration operator-(Duration o) const { return Duration(us_ - o.us_); }
  constexpr Duration operator-() const { return Duration(-us_); }
  constexpr Duration operator*(std::int64_t k) const { return Duration(us_ * k); }
  constexpr Duration operator/(std::int64_t k) const { return Duration(us_ / k); }
  constexpr Duration& operator+=(Duration o) { us_ += o.us_; return *this; }
  constexpr Duration& operator-=(Duration o) { us_ -= o.us_; return *this; }

 private:
  constexpr explicit Duration(std::int64_t us) : us_(us) {}
  std::int64_t us_ = 0;
};

/// An instant of simulated time, as a span since the simulation's origin.
class Time {
 public:
  constexpr Time() = default;
  static constexpr Time origin() { return Time(); }
  static constexpr Time from_micros(std::int64_t us) { return Time(Duration::micros(us)); }
  /// A time later than every reachable instant ("never").
  static constexpr Time infinity() { return Time(Duration::max()); }

  constexpr Duration since_origin() const { return d_; }
  constexpr std::int64_t us() const { return d_.us(); }
  constexpr double seconds_f() const { return d_.seconds_f(); }
  constexpr bool is_infinite() const { return d_ == Duration::max(); }

  constexpr auto operator<=>(const Time&) const = default;
  constexpr Time operator+(Duration d) const { return Time(d_ + d); }
  constexpr Time operator-(Duration d) const { return Time(d_ - d); }
  constexpr Duration operator-(Time o) const { return d_ - o.d_; }
  constexpr Time& operator+=(Duration d) { d_ += d; return *this; }

 private:
  constexpr explicit Time(Duration d) : d_(d) {}
  Duration d_;
};

/// Result of parsing a duration string: either a value or a human-readable error.
struct DurationParse {
  bool ok = false;
  Duration value;
  std::string error;  // e.g. `"5x" is not a duration: unknown unit "x"`; empty when ok
};

/// Parses "1h30m", "250ms", "90s", "2d", "1y", "1.5h", "0". Units: us (or µs), ms, s, m, h,
/// d (24h), y (365d). A bare number is an error except "0". Negative values ("-3m") are
/// accepted only when allow_negative is set. Overflow of int64 microseconds is an error.
DurationParse parse_duration(std::string_view text, bool allow_negative = false);

/// Formats like Go's time.Duration.String() but with d/y folded out: "1h30m0s" becomes
/// "1h30m", "90s" becomes "1m30s", "250ms" stays "250ms", zero is "0s".
std::string format_duration(Duration d);

/// Seconds with up to 6 decimals and no trailing zeros, e.g. "412.5", "0", "1e-06" never:
/// always fixed notation. Used by reports so the same value always prints the same bytes.
std::string format_seconds(Duration d);

namespace literals {
constexpr Duration operator""_us(unsigned long long v) { return Duration::micros(static_cast<std::int64_t>(v)); }
constexpr Duration operator""_ms(unsigned long long v) { return Duration::millis(static_cast<std::int64_t>(v)); }
constexpr Duration operator""_s(unsigned long long v) { return Duration::seconds(static_cast<std::int64_t>(v)); }
constexpr Duration operator""_min(unsigned long long v) { return Duration::minutes(static_cast<std::int64_t>(v)); }
constexpr Duration operator""_h(unsigned long long v) { return Duration::hours(static_cast<std::int64_t>(v)); }
constexpr Duration operator""_d(unsigned long long v) { return Duration::days(static_cast<std::int64_t>(v)); }
}  // namespace literals

}  // namespace azsim::sim
