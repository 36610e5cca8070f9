#include "sim/fp_strict.hpp"
// (fp_strict.hpp first: see its banner.)
#include "sim/random.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace azsim::sim {

namespace {

__extension__ using u128 = unsigned __int128;  // 64x64 -> 128-bit products for uniform_index

// Initial key state and domain tags of the derivation in random.hpp's banner.
constexpr std::uint64_t kRootA = 0x6a09e667f3bcc908ULL;
constexpr std::uint64_t kRootB = 0xbb67ae8584caa73bULL;
constexpr std::uint64_t kTagName = 1;
constexpr std::uint64_t kTagIndex = 2;
constexpr std::uint64_t kGolden = 0x9e3779b97f4a7c15ULL;

StreamKey absorb(StreamKey k, std::uint64_t x) {
  StreamKey out;
  out.a = mix64(k.a ^ mix64(x + kGolden));
  out.b = mix64(k.b + out.a);
  return out;
}

}  // namespace

StreamKey StreamKey::root(std::uint64_t seed, std::uint64_t trial) {
  return absorb(absorb(StreamKey{kRootA, kRootB}, seed), trial);
}

StreamKey StreamKey::child(std::string_view name) const { return absorb(absorb(*this, kTagName), fnv1a64(name)); }

StreamKey StreamKey::child(std::uint64_t index) const { return absorb(absorb(*this, kTagIndex), index); }

RandomStream::RandomStream(std::uint64_t seed, std::uint64_t trial, std::string_view name)
    : key_(StreamKey::root(seed, trial).child(name)) {}

void RandomStream::discard(std::uint64_t n) {
  const std::uint64_t target = position() + n;
  next_block_ = target / 2;
  has_spare_ = false;
  if (target % 2 == 1) next_u64();  // draw the first word of the block, keep its spare
}

double RandomStream::uniform(double a, double b) {
  const double r = a + (b - a) * uniform01();
  if (r >= b && a < b) return std::nextafter(b, a);
  return r;
}

std::uint64_t RandomStream::uniform_index(std::uint64_t n) {
  if (n == 0) throw std::invalid_argument("uniform_index: n must be positive");
  // Lemire, "Fast Random Integer Generation in an Interval" (2019): the high word of x * n is
  // uniform on [0, n) once the low-word values below 2^64 mod n are rejected.
  u128 m = u128{next_u64()} * n;
  auto low = static_cast<std::uint64_t>(m);
  if (low < n) {
    const std::uint64_t threshold = (0 - n) % n;  // 2^64 mod n
    while (low < threshold) {
      m = u128{next_u64()} * n;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::uint64_t>(m >> 64);
}

std::int64_t RandomStream::uniform_int(std::int64_t lo, std::int64_t hi) {
  if (lo > hi) {
    throw std::invalid_argument("uniform_int: lo (" + std::to_string(lo) + ") is above hi (" + std::to_string(hi) + ")");
  }
  const std::uint64_t span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
  if (span == UINT64_MAX) return static_cast<std::int64_t>(next_u64());
  // Two's-complement wrap-around gives lo + index even when lo is negative (C++20 defines the
  // conversion back to int64).
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(lo) + uniform_index(span + 1));
}

}  // namespace azsim::sim
