// String keys compared without a library call.
//
// The control plane keys its maps by names ("default/cassandra-1",
// "ip-172-20-115-187.eu-west-1.compute.internal", "vol-0000000000000000e"): long, with long
// common prefixes, and compared millions of times a simulated year. std::less<std::string>
// calls memcmp for each comparison; these compare 8 bytes at a time inline. StrLess orders
// exactly as std::less<std::string> does (bytes as unsigned char, then length), so a map that
// uses it iterates in the same order.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace azsim::sim {

namespace detail {
inline std::uint64_t load_be64(const char* p) {
  std::uint64_t v;
  std::memcpy(&v, p, sizeof v);
  if constexpr (std::endian::native == std::endian::little) v = __builtin_bswap64(v);
  return v;
}
}  // namespace detail

/// <0, 0 or >0 as std::string_view::compare.
inline int str_compare(std::string_view a, std::string_view b) {
  const std::size_t n = a.size() < b.size() ? a.size() : b.size();
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const std::uint64_t x = detail::load_be64(a.data() + i), y = detail::load_be64(b.data() + i);
    if (x != y) return x < y ? -1 : 1;
  }
  for (; i < n; ++i) {
    const auto c = static_cast<unsigned char>(a[i]), d = static_cast<unsigned char>(b[i]);
    if (c != d) return c < d ? -1 : 1;
  }
  return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}

inline bool str_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  const std::size_t n = a.size();
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t x, y;
    std::memcpy(&x, a.data() + i, sizeof x);
    std::memcpy(&y, b.data() + i, sizeof y);
    if (x != y) return false;
  }
  for (; i < n; ++i)
    if (a[i] != b[i]) return false;
  return true;
}

/// A transparent std::less<std::string> (same order) for maps and sets of string keys.
struct StrLess {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const { return str_compare(a, b) < 0; }
};

/// A transparent std::equal_to for hash tables of string keys.
struct StrEqual {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const { return str_equal(a, b); }
};

}  // namespace azsim::sim
