// Named random streams: every source of randomness in a simulation draws from its own stream,
// identified by (seed, trial, name), e.g. (7, 123, "faults/instance").
//
// Why named streams: a stream's values depend only on its identity, never on how many numbers
// other streams drew or in which order consumers were created. Adding a new random consumer,
// or changing a scenario so that one component draws more, leaves every other stream's values
// unchanged; two designs compared trial by trial then see the same random events (common
// random numbers), and any thread or shard can rebuild trial k's streams on its own.
//
// The exact definition (stable across compilers, platforms and azsim versions; changing any
// constant here changes every result and must be treated as a breaking change):
//   mix64(z)          the splitmix64 finalizer: z ^= z>>30; z *= 0xbf58476d1ce4e5b9;
//                     z ^= z>>27; z *= 0x94d049bb133111eb; z ^= z>>31.
//   fnv1a64(bytes)    FNV-1a 64 (offset 0xcbf29ce484222325, prime 0x100000001b3).
//   absorb((a,b), x)  a' = mix64(a ^ mix64(x + 0x9e3779b97f4a7c15)); b' = mix64(b + a').
//   root(seed, trial) = absorb(absorb((0x6a09e667f3bcc908, 0xbb67ae8584caa73b), seed), trial)
//   key.child(name)   = absorb(absorb(key, 1), fnv1a64(name))   (names whose 64-bit hashes
//                       collide would share a stream: odds ~k^2 / 2^65 among k names)
//   key.child(index)  = absorb(absorb(key, 2), index)
//   stream(seed, trial, name) = root(seed, trial).child(name)
//   64-bit word 2i and 2i+1 of a stream with key (a, b): Philox4x32-10 (Salmon et al., SC'11;
//   the Random123 reference) of counter {lo32(i), hi32(i), lo32(b), hi32(b)} under key
//   {lo32(a), hi32(a)}, giving words x0..x3; word 2i = x0 | x1 << 32, word 2i+1 = x2 | x3 << 32.
// Philox is counter-based: the n-th value is a pure function of (key, n), so streams need no
// shared state and any position can be reached directly.
#pragma once

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>

namespace azsim::sim {

/// FNV-1a 64-bit hash of the bytes of `text`: the fixed hash of stream names (std::hash is
/// not the same on every standard library).
constexpr std::uint64_t fnv1a64(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

/// The splitmix64 finalizer: a bijection on 64-bit words with strong avalanche, used to mix
/// seeds, trials and names into stream keys.
constexpr std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// One block of the Philox4x32-10 counter-based generator: four 32-bit words that are a pure
/// function of a 128-bit counter and a 64-bit key (Random123's philox4x32 with 10 rounds).
/// Inline because it is the hot path of every draw (integer arithmetic only).
constexpr std::array<std::uint32_t, 4> philox4x32_10(std::array<std::uint32_t, 4> ctr,
                                                     std::array<std::uint32_t, 2> key) {
  // Multipliers and Weyl key increments of Philox4x32 (Salmon et al., Random123).
  constexpr std::uint64_t kM0 = 0xD2511F53U;
  constexpr std::uint64_t kM1 = 0xCD9E8D57U;
  constexpr std::uint32_t kW0 = 0x9E3779B9U;
  constexpr std::uint32_t kW1 = 0xBB67AE85U;
  for (int round = 0; round < 10; ++round) {
    if (round > 0) {
      key[0] += kW0;
      key[1] += kW1;
    }
    const std::uint64_t p0 = kM0 * ctr[0];
    const std::uint64_t p1 = kM1 * ctr[2];
    ctr = {static_cast<std::uint32_t>(p1 >> 32) ^ ctr[1] ^ key[0], static_cast<std::uint32_t>(p1),
           static_cast<std::uint32_t>(p0 >> 32) ^ ctr[3] ^ key[1], static_cast<std::uint32_t>(p0)};
  }
  return ctr;
}

/// The 128-bit identity of a random stream. Derivation (see the file banner) is a chain of
/// absorb steps, so children of distinct names or indices under one parent never collide, and
/// unrelated streams collide with probability ~2^-128.
struct StreamKey {
  std::uint64_t a = 0;  // Philox key
  std::uint64_t b = 0;  // upper half of the Philox counter

  /// The key of trial `trial` under `seed`, parent of all of that trial's named streams.
  static StreamKey root(std::uint64_t seed, std::uint64_t trial);
  /// A sub-stream identified by a name, e.g. root.child("faults").child("node-3").
  StreamKey child(std::string_view name) const;
  /// A sub-stream identified by a number, e.g. per node or per volume index. Distinct from
  /// any child(name), whatever the name.
  StreamKey child(std::uint64_t index) const;

  constexpr auto operator<=>(const StreamKey&) const = default;
};

/// A sequence of random 64-bit words and the uniform variates built on them, fully determined
/// by its StreamKey. Copying a stream copies its position: both copies then produce the same
/// values. Not thread-safe; give each thread its own streams (they are cheap: 40 bytes).
/// Distributions beyond uniform live in sim/distributions.hpp.
class RandomStream {
 public:
  /// The stream named `name` in trial `trial` of a run seeded with `seed`.
  RandomStream(std::uint64_t seed, std::uint64_t trial, std::string_view name);
  explicit RandomStream(StreamKey key) : key_(key) {}

  /// Sub-streams for per-entity randomness. They depend on this stream's key only, not on how
  /// many values it has drawn, so stream.child("node-3") is the same wherever it is made.
  RandomStream child(std::string_view name) const { return RandomStream(key_.child(name)); }
  RandomStream child(std::uint64_t index) const { return RandomStream(key_.child(index)); }

  const StreamKey& key() const { return key_; }
  /// How many 64-bit words have been drawn so far.
  std::uint64_t position() const { return 2 * next_block_ - (has_spare_ ? 1 : 0); }
  /// Skips `n` words in O(1), as if next_u64() had been called n times.
  void discard(std::uint64_t n);

  /// The next 64 uniformly distributed bits.
  std::uint64_t next_u64() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    const auto x = block(next_block_++);
    spare_ = x[2] | (std::uint64_t{x[3]} << 32);
    has_spare_ = true;
    return x[0] | (std::uint64_t{x[1]} << 32);
  }

  /// Uniform on [0, 1) with 53 random bits: (next_u64() >> 11) * 2^-53. Exact arithmetic, so
  /// it is defined inline without any rounding concern.
  double uniform01() { return static_cast<double>(next_u64() >> 11) * 0x1p-53; }
  /// Uniform on the open interval (0, 1): ((next_u64() >> 12) + 0.5) * 2^-52, symmetric about
  /// 1/2 and never 0 or 1, for use inside log() (e.g. exponential samples). Exact arithmetic.
  double uniform01_open() { return (static_cast<double>(next_u64() >> 12) + 0.5) * 0x1p-52; }
  /// Uniform on [a, b) as a + (b - a) * uniform01(); a result that rounds up to b is replaced
  /// by the largest double below b. Requires a <= b (a == b returns a).
  double uniform(double a, double b);
  /// Uniform integer in [lo, hi] (both included; lo <= hi or std::invalid_argument), without
  /// modulo bias (Lemire's multiply-and-reject: usually one draw, rarely more).
  std::int64_t uniform_int(std::int64_t lo, std::int64_t hi);
  /// Uniform index in [0, n) for n > 0 (std::invalid_argument for n == 0), without bias.
  std::uint64_t uniform_index(std::uint64_t n);
  /// True with probability p (p <= 0: never; p >= 1: always); one draw.
  bool bernoulli(double p) { return uniform01() < p; }

  /// Fisher-Yates shuffle of [first, last) with uniform_index: the same permutation on every
  /// platform (std::shuffle's algorithm differs between standard libraries).
  template <class RandomIt>
  void shuffle(RandomIt first, RandomIt last) {
    const auto n = static_cast<std::uint64_t>(last - first);
    for (std::uint64_t i = n; i > 1; --i) {
      const auto j = uniform_index(i);
      using std::swap;
      swap(first[static_cast<std::ptrdiff_t>(i - 1)], first[static_cast<std::ptrdiff_t>(j)]);
    }
  }

 private:
  std::array<std::uint32_t, 4> block(std::uint64_t index) const {
    return philox4x32_10({static_cast<std::uint32_t>(index), static_cast<std::uint32_t>(index >> 32),
                          static_cast<std::uint32_t>(key_.b), static_cast<std::uint32_t>(key_.b >> 32)},
                         {static_cast<std::uint32_t>(key_.a), static_cast<std::uint32_t>(key_.a >> 32)});
  }

  StreamKey key_;
  std::uint64_t next_block_ = 0;
  std::uint64_t spare_ = 0;
  bool has_spare_ = false;
};

/// The streams of one trial: a factory for RandomStream(seed, trial, name) that derives the
/// trial's root key once. stream(name) does not remember names; two consumers asking for the
/// same name get identical (fully correlated) streams, so names must be unique per consumer.
class RandomStreams {
 public:
  RandomStreams(std::uint64_t seed, std::uint64_t trial)
      : seed_(seed), trial_(trial), root_(StreamKey::root(seed, trial)) {}

  RandomStream stream(std::string_view name) const { return RandomStream(root_.child(name)); }
  /// The streams of a phase of the trial, e.g. child("trial"): the same factory under the
  /// sub-key root.child(name), so none of its streams equals one of this factory's.
  RandomStreams child(std::string_view name) const { return RandomStreams(seed_, trial_, root_.child(name)); }
  std::uint64_t seed() const { return seed_; }
  std::uint64_t trial() const { return trial_; }
  const StreamKey& root() const { return root_; }

 private:
  RandomStreams(std::uint64_t seed, std::uint64_t trial, StreamKey root) : seed_(seed), trial_(trial), root_(root) {}

  std::uint64_t seed_;
  std::uint64_t trial_;
  StreamKey root_;
};

}  // namespace azsim::sim
