#include "sim/random.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <set>
#include <vector>

using namespace azsim::sim;

namespace {

// ---- An independent reference of the documented definition (random.hpp's banner) ----
// Written from the published algorithms, and deliberately not the way random.cpp is written
// (precomputed round keys instead of bumping; splitmix64 as a generator instead of the bare
// finalizer), so that agreement checks the definition rather than repeating the code.

// splitmix64 as published by Vigna: state += golden; z = state; then the finalizer.
struct RefSplitMix64 {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
};

std::uint64_t ref_fnv1a(const std::string& s) {
  std::uint64_t h = 14695981039346656037ULL;  // 0xcbf29ce484222325
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  return h;
}

// finalizer(z) is splitmix64's first output from state z - golden.
std::uint64_t ref_mix(std::uint64_t z) { return RefSplitMix64{z - 0x9e3779b97f4a7c15ULL}.next(); }

std::array<std::uint64_t, 2> ref_absorb(std::array<std::uint64_t, 2> k, std::uint64_t x) {
  const std::uint64_t a = ref_mix(k[0] ^ RefSplitMix64{x}.next());
  return {a, ref_mix(k[1] + a)};
}

std::array<std::uint64_t, 2> ref_stream_key(std::uint64_t seed, std::uint64_t trial, const std::string& name) {
  auto k = ref_absorb(ref_absorb({0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL}, seed), trial);
  return ref_absorb(ref_absorb(k, 1), ref_fnv1a(name));
}

std::array<std::uint32_t, 4> ref_philox(std::array<std::uint32_t, 4> c, std::array<std::uint32_t, 2> k) {
  for (std::uint32_t r = 0; r < 10; ++r) {
    const std::uint32_t k0 = k[0] + r * 0x9E3779B9U;  // round key r = key + r * Weyl increment
    const std::uint32_t k1 = k[1] + r * 0xBB67AE85U;
    const std::uint64_t m0 = 0xD2511F53ULL * c[0];
    const std::uint64_t m1 = 0xCD9E8D57ULL * c[2];
    c = {static_cast<std::uint32_t>(m1 >> 32) ^ c[1] ^ k0, static_cast<std::uint32_t>(m1),
         static_cast<std::uint32_t>(m0 >> 32) ^ c[3] ^ k1, static_cast<std::uint32_t>(m0)};
  }
  return c;
}

std::vector<std::uint64_t> ref_words(std::array<std::uint64_t, 2> key, int n) {
  std::vector<std::uint64_t> out;
  for (std::uint64_t block = 0; static_cast<int>(out.size()) < n; ++block) {
    const auto x = ref_philox({static_cast<std::uint32_t>(block), static_cast<std::uint32_t>(block >> 32),
                               static_cast<std::uint32_t>(key[1]), static_cast<std::uint32_t>(key[1] >> 32)},
                              {static_cast<std::uint32_t>(key[0]), static_cast<std::uint32_t>(key[0] >> 32)});
    out.push_back(x[0] | (std::uint64_t{x[1]} << 32));
    out.push_back(x[2] | (std::uint64_t{x[3]} << 32));
  }
  out.resize(static_cast<std::size_t>(n));
  return out;
}

double correlation(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  const double mx = std::accumulate(x.begin(), x.end(), 0.0) / n;
  const double my = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  return sxy / std::sqrt(sxx * syy);
}

std::vector<double> uniforms(RandomStream rs, int n) {
  std::vector<double> v(static_cast<std::size_t>(n));
  for (auto& x : v) x = rs.uniform01();
  return v;
}

// ---- Published test vectors of the building blocks ----

struct PhiloxKat {
  std::array<std::uint32_t, 4> counter;
  std::array<std::uint32_t, 2> key;
  std::array<std::uint32_t, 4> expected;
};

// Random123's tests/kat_vectors, the three "philox4x32 10" lines (counter, key, output).
const PhiloxKat kPhiloxKats[] = {
    {{0x00000000, 0x00000000, 0x00000000, 0x00000000}, {0x00000000, 0x00000000}, {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}},
    {{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, {0xffffffff, 0xffffffff}, {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}},
    {{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, {0xa4093822, 0x299f31d0}, {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}},
};

TEST(Philox4x32_10, MatchesRandom123KnownAnswers) {
  for (const auto& kat : kPhiloxKats) {
    EXPECT_EQ(philox4x32_10(kat.counter, kat.key), kat.expected);
    EXPECT_EQ(ref_philox(kat.counter, kat.key), kat.expected);  // the test's own reference too
  }
}

TEST(Fnv1a64, MatchesPublishedVectors) {
  EXPECT_EQ(fnv1a64(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(fnv1a64("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(fnv1a64("foobar"), 0x85944171f73967e8ULL);
  static_assert(fnv1a64("a") == 0xaf63dc4c8601ec8cULL, "usable at compile time");
}

TEST(Mix64, IsTheSplitMix64Finalizer) {
  // splitmix64 seeded with 1234567 (published first outputs) is mix64 of state + k * golden.
  const std::uint64_t expected[] = {6457827717110365317ULL, 3203168211198807973ULL, 9817491932198370423ULL,
                                    4593380528125082431ULL, 16408922859458223821ULL};
  RefSplitMix64 ref{1234567};
  std::uint64_t state = 1234567;
  for (std::uint64_t e : expected) {
    state += 0x9e3779b97f4a7c15ULL;
    EXPECT_EQ(mix64(state), e);
    EXPECT_EQ(ref.next(), e);
  }
  EXPECT_EQ(RefSplitMix64{0}.next(), 0xe220a8397b1dcdafULL);  // splitmix64, seed 0
}

// ---- The stream definition ----

TEST(RandomStream, PinnedFirstWordsForSeed1Trial0Test) {
  // Pinned once so that any change to the definition (a breaking change for every result) is
  // caught; they must also equal the independent reference computation.
  const std::uint64_t pinned[] = {0xc375972475cc6621ULL, 0xb7fde700ab2829dfULL, 0xa5b8aa7f0e49fc97ULL,
                                  0x86e4df7f5a077683ULL};
  RandomStream rs(1, 0, "test");
  const auto ref = ref_words(ref_stream_key(1, 0, "test"), 4);
  for (int i = 0; i < 4; ++i) {
    const std::uint64_t got = rs.next_u64();
    EXPECT_EQ(got, pinned[i]) << i;
    EXPECT_EQ(got, ref[static_cast<std::size_t>(i)]) << i;
  }
}

TEST(RandomStream, MatchesReferenceForManyIdentities) {
  for (std::uint64_t seed : {0ULL, 1ULL, 7ULL, 0xffffffffffffffffULL}) {
    for (std::uint64_t trial : {0ULL, 1ULL, 999ULL}) {
      for (const char* name : {"", "test", "faults/instance", "scheduler.tiebreak"}) {
        RandomStream rs(seed, trial, name);
        const auto key = ref_stream_key(seed, trial, name);
        EXPECT_EQ(rs.key().a, key[0]);
        EXPECT_EQ(rs.key().b, key[1]);
        const auto ref = ref_words(key, 9);  // odd count: crosses a block boundary mid-block
        for (std::uint64_t w : ref) EXPECT_EQ(rs.next_u64(), w);
      }
    }
  }
}

TEST(RandomStream, ChildKeysFollowTheDefinition) {
  const RandomStream parent(3, 4, "faults");
  auto by_name = ref_absorb(ref_absorb({parent.key().a, parent.key().b}, 1), ref_fnv1a("node-3"));
  auto by_index = ref_absorb(ref_absorb({parent.key().a, parent.key().b}, 2), 3);
  EXPECT_EQ(parent.child("node-3").key(), (StreamKey{by_name[0], by_name[1]}));
  EXPECT_EQ(parent.child(std::uint64_t{3}).key(), (StreamKey{by_index[0], by_index[1]}));
  // A named stream is the root's child of that name.
  EXPECT_EQ(RandomStream(3, 4, "faults").key(), StreamKey::root(3, 4).child("faults"));
}

TEST(RandomStream, PinnedFirstUniform) {
  RandomStream rs(1, 0, "test");
  const double u = rs.uniform01();
  EXPECT_EQ(u, static_cast<double>(0xc375972475cc6621ULL >> 11) / 9007199254740992.0);  // / 2^53
  EXPECT_EQ(u, 0.76351303711071372);
}

TEST(RandomStream, SameIdentitySameValuesCopiesIncluded) {
  RandomStream a(42, 5, "x");
  RandomStream b(42, 5, "x");
  for (int i = 0; i < 5; ++i) a.next_u64();
  for (int i = 0; i < 5; ++i) b.next_u64();
  RandomStream c = a;  // copies the position
  EXPECT_EQ(a.position(), 5u);
  for (int i = 0; i < 100; ++i) {
    const auto v = a.next_u64();
    EXPECT_EQ(b.next_u64(), v);
    EXPECT_EQ(c.next_u64(), v);
  }
  EXPECT_EQ(a.position(), 105u);
}

TEST(RandomStream, DiscardSkipsWords) {
  for (std::uint64_t start : {0u, 1u, 2u, 3u}) {
    for (std::uint64_t skip : {0u, 1u, 2u, 5u, 1000001u}) {
      RandomStream a(8, 0, "skip"), b(8, 0, "skip");
      for (std::uint64_t i = 0; i < start; ++i) {
        a.next_u64();
        b.next_u64();
      }
      a.discard(skip);
      for (std::uint64_t i = 0; i < skip; ++i) b.next_u64();
      EXPECT_EQ(a.position(), start + skip);
      EXPECT_EQ(a.next_u64(), b.next_u64()) << start << " + " << skip;
      EXPECT_EQ(a.next_u64(), b.next_u64()) << start << " + " << skip;
    }
  }
}

TEST(RandomStream, IdentityPartsAllMatter) {
  std::set<std::uint64_t> first;
  first.insert(RandomStream(1, 0, "a").next_u64());
  first.insert(RandomStream(2, 0, "a").next_u64());
  first.insert(RandomStream(1, 1, "a").next_u64());
  first.insert(RandomStream(1, 0, "b").next_u64());
  first.insert(RandomStream(1, 0, "a").child("a").next_u64());
  first.insert(RandomStream(1, 0, "a").child(std::uint64_t{0}).next_u64());
  first.insert(RandomStream(0, 1, "a").next_u64());  // seed and trial are not interchangeable
  EXPECT_EQ(first.size(), 7u);
}

TEST(RandomStream, ChildByNameAndByIndexDiffer) {
  const RandomStream p(1, 0, "volumes");
  // Even when the index equals the name's hash, the domain tag keeps them apart.
  EXPECT_NE(p.child("7").key(), p.child(fnv1a64("7")).key());
  EXPECT_NE(p.child(std::uint64_t{1}).key(), p.child(std::uint64_t{2}).key());
  std::set<StreamKey> keys;
  for (std::uint64_t i = 0; i < 10000; ++i) keys.insert(p.child(i).key());
  EXPECT_EQ(keys.size(), 10000u);
}

TEST(RandomStream, ChildDoesNotDependOnParentPosition) {
  RandomStream p(9, 9, "nodes");
  const auto before = p.child("node-3").next_u64();
  for (int i = 0; i < 17; ++i) p.next_u64();
  EXPECT_EQ(p.child("node-3").next_u64(), before);
}

TEST(RandomStreams, AddingAStreamLeavesOthersUnchanged) {
  // Common random numbers: the values of "a" do not depend on which other streams exist or how
  // much they draw, nor on the order of creation.
  const RandomStreams streams(11, 3);
  RandomStream alone = streams.stream("a");
  std::vector<std::uint64_t> expected;
  for (int i = 0; i < 50; ++i) expected.push_back(alone.next_u64());

  RandomStream c = streams.stream("c-new");
  RandomStream a = streams.stream("a");
  RandomStream b = streams.stream("b");
  for (int i = 0; i < 50; ++i) {
    for (int j = 0; j < i % 3; ++j) b.next_u64();
    c.uniform01();
    EXPECT_EQ(a.next_u64(), expected[static_cast<std::size_t>(i)]);
  }
  EXPECT_EQ(streams.stream("a").key(), RandomStream(11, 3, "a").key());
  EXPECT_EQ(streams.seed(), 11u);
  EXPECT_EQ(streams.trial(), 3u);
}

TEST(RandomStream, DifferentNamesTrialsAndChildrenAreUncorrelated) {
  const int n = 100000;
  // Standard error of a correlation of n independent pairs is 1/sqrt(n) = 0.0032; 0.016 is 5 SE.
  const double bound = 5.0 / std::sqrt(n);
  const auto a = uniforms(RandomStream(1, 0, "a"), n);
  EXPECT_LT(std::fabs(correlation(a, uniforms(RandomStream(1, 0, "b"), n))), bound);
  EXPECT_LT(std::fabs(correlation(a, uniforms(RandomStream(1, 1, "a"), n))), bound);
  EXPECT_LT(std::fabs(correlation(a, uniforms(RandomStream(2, 0, "a"), n))), bound);
  const RandomStream p(1, 0, "nodes");
  EXPECT_LT(std::fabs(correlation(uniforms(p.child(std::uint64_t{0}), n), uniforms(p.child(std::uint64_t{1}), n))),
            bound);
  // Lag-1 autocorrelation within one stream.
  std::vector<double> head(a.begin(), a.end() - 1), tail(a.begin() + 1, a.end());
  EXPECT_LT(std::fabs(correlation(head, tail)), bound);
}

// ---- Uniform variates ----

TEST(RandomStream, Uniform01MomentsAndRange) {
  RandomStream rs(1, 0, "uniform");
  const int n = 100000;
  double sum = 0, sum2 = 0;
  double lo = 1, hi = 0;
  for (int i = 0; i < n; ++i) {
    const double u = rs.uniform01();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
    sum2 += u * u;
    lo = std::min(lo, u);
    hi = std::max(hi, u);
  }
  const double mean = sum / n;
  EXPECT_NEAR(mean, 0.5, 5 * std::sqrt(1.0 / 12 / n));  // 5 standard errors
  EXPECT_NEAR(sum2 / n - mean * mean, 1.0 / 12, 0.002);  // SE of the variance is ~0.00024
  EXPECT_LT(lo, 1e-3);
  EXPECT_GT(hi, 1 - 1e-3);
}

TEST(RandomStream, OpenUniformNeverHitsTheEnds) {
  RandomStream rs(1, 0, "open");
  for (int i = 0; i < 200000; ++i) {
    const double u = rs.uniform01_open();
    ASSERT_GT(u, 0.0);
    ASSERT_LT(u, 1.0);
  }
  // Its definition on the first word of the pinned stream: ((w >> 12) + 0.5) / 2^52.
  RandomStream pinned(1, 0, "test");
  EXPECT_EQ(pinned.uniform01_open(), (static_cast<double>(0xc375972475cc6621ULL >> 12) + 0.5) / 4503599627370496.0);
}

TEST(RandomStream, UniformRespectsBounds) {
  RandomStream rs(2, 0, "uniform-ab");
  for (int i = 0; i < 10000; ++i) {
    const double v = rs.uniform(-3.5, 2.0);
    ASSERT_GE(v, -3.5);
    ASSERT_LT(v, 2.0);
  }
  EXPECT_EQ(rs.uniform(4.0, 4.0), 4.0);
}

TEST(RandomStream, UniformIntIsUniformByChiSquare) {
  RandomStream rs(1, 0, "dice");
  const int lo = -3, hi = 6, bins = hi - lo + 1;
  const int n = 100000;
  std::vector<int> counts(bins, 0);
  for (int i = 0; i < n; ++i) {
    const auto v = rs.uniform_int(lo, hi);
    ASSERT_GE(v, lo);
    ASSERT_LE(v, hi);
    ++counts[static_cast<std::size_t>(v - lo)];
  }
  const double expected = static_cast<double>(n) / bins;
  double chi2 = 0;
  for (int c : counts) chi2 += (c - expected) * (c - expected) / expected;
  // 9 degrees of freedom: P(chi2 > 33.7) = 1e-4. A skewed generator fails this by far.
  EXPECT_LT(chi2, 33.7);
  for (int c : counts) EXPECT_GT(c, 0);
}

TEST(RandomStream, UniformIndexHasNoModuloBias) {
  // n = 3 * 2^62: with x % n, results below 2^62 would come from two x out of four (P = 1/2);
  // unbiased, they are a third of the range.
  RandomStream rs(1, 0, "bias");
  const std::uint64_t n = 3ULL << 62;
  const int draws = 100000;
  int low = 0;
  for (int i = 0; i < draws; ++i) {
    const auto v = rs.uniform_index(n);
    ASSERT_LT(v, n);
    if (v < (1ULL << 62)) ++low;
  }
  EXPECT_NEAR(static_cast<double>(low) / draws, 1.0 / 3, 0.0075);  // 5 SE
}

TEST(RandomStream, UniformIntEdgeCases) {
  RandomStream rs(1, 0, "edges");
  EXPECT_EQ(rs.uniform_int(5, 5), 5);
  EXPECT_THROW(rs.uniform_int(6, 5), std::invalid_argument);
  EXPECT_THROW(rs.uniform_index(0), std::invalid_argument);
  EXPECT_EQ(rs.uniform_index(1), 0u);
  // The full int64 range takes one raw word, reinterpreted.
  RandomStream copy = rs;
  EXPECT_EQ(rs.uniform_int(INT64_MIN, INT64_MAX), static_cast<std::int64_t>(copy.next_u64()));
  // Ranges straddling zero and near the limits stay in bounds.
  for (int i = 0; i < 1000; ++i) {
    const auto v = rs.uniform_int(INT64_MAX - 2, INT64_MAX);
    ASSERT_GE(v, INT64_MAX - 2);
    const auto w = rs.uniform_int(INT64_MIN, INT64_MIN + 1);
    ASSERT_LE(w, INT64_MIN + 1);
  }
}

TEST(RandomStream, BernoulliFrequency) {
  RandomStream rs(1, 0, "coin");
  int hits = 0;
  const int n = 100000;
  for (int i = 0; i < n; ++i) hits += rs.bernoulli(0.3) ? 1 : 0;
  EXPECT_NEAR(static_cast<double>(hits) / n, 0.3, 5 * std::sqrt(0.3 * 0.7 / n));
  EXPECT_FALSE(rs.bernoulli(0.0));
  EXPECT_TRUE(rs.bernoulli(1.0));
}

TEST(RandomStream, ShuffleIsAPermutationAndUniform) {
  std::vector<int> v(10);
  std::iota(v.begin(), v.end(), 0);
  RandomStream rs(1, 0, "shuffle");
  // Position of element 0 after shuffling: uniform over the 10 slots.
  std::vector<int> where(10, 0);
  const int n = 50000;
  for (int i = 0; i < n; ++i) {
    auto w = v;
    rs.shuffle(w.begin(), w.end());
    auto sorted = w;
    std::sort(sorted.begin(), sorted.end());
    ASSERT_EQ(sorted, v);
    ++where[static_cast<std::size_t>(std::find(w.begin(), w.end(), 0) - w.begin())];
  }
  const double expected = n / 10.0;
  double chi2 = 0;
  for (int c : where) chi2 += (c - expected) * (c - expected) / expected;
  EXPECT_LT(chi2, 33.7);  // 9 degrees of freedom, P = 1e-4
  // Same stream identity, same permutation.
  auto a = v, b = v;
  RandomStream r1(5, 0, "s"), r2(5, 0, "s");
  r1.shuffle(a.begin(), a.end());
  r2.shuffle(b.begin(), b.end());
  EXPECT_EQ(a, b);
}

}  // namespace
