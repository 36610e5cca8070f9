// sim::StrLess must order exactly as std::less<std::string> (maps keyed with it iterate in the
// same order, so outputs do not depend on which one a container uses), and sim::StrEqual must
// agree with ==.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "sim/random.hpp"
#include "sim/str_order.hpp"

namespace azsim::sim {
namespace {

int sign(int x) { return (x > 0) - (x < 0); }

TEST(StrOrder, AgreesWithStdStringOnEdgeCases) {
  const std::vector<std::string> cases = {
      "", "a", "b", "ab", "abc", "abcdefgh", "abcdefgi", "abcdefghi", "abcdefgh\x01", "abcdefgh\xff",
      std::string("a\0b", 3), std::string("a\0c", 3), "\x7f", "\x80", "\xff", "\xff\xff\xff\xff\xff\xff\xff\xff",
      "vol-00000000000000001", "vol-0000000000000000e", "vol-0000000000000001a",
      "ip-172-20-115-187.eu-west-1.compute.internal", "ip-172-20-115-18.eu-west-1.compute.internal",
      "default/cassandra-1", "default/cassandra-10", "default/cassandra-2"};
  for (const auto& a : cases)
    for (const auto& b : cases) {
      EXPECT_EQ(sign(str_compare(a, b)), sign(a.compare(b))) << a << " vs " << b;
      EXPECT_EQ(StrLess{}(a, b), a < b) << a << " vs " << b;
      EXPECT_EQ(StrEqual{}(a, b), a == b) << a << " vs " << b;
    }
}

TEST(StrOrder, AgreesWithStdStringOnRandomKeysWithCommonPrefixes) {
  RandomStream rng = RandomStreams(7, 0).stream("str-order");
  std::vector<std::string> keys;
  for (int i = 0; i < 400; ++i) {
    std::string k = i % 2 ? "ip-172-20-" : "vol-000000000000";
    const auto len = rng.uniform_index(24);
    for (std::uint64_t j = 0; j < len; ++j) k.push_back(static_cast<char>(rng.uniform_index(i % 3 ? 4 : 256)));
    keys.push_back(std::move(k));
  }
  for (std::size_t i = 0; i + 1 < keys.size(); ++i) {
    EXPECT_EQ(sign(str_compare(keys[i], keys[i + 1])), sign(keys[i].compare(keys[i + 1])));
    EXPECT_EQ(str_equal(keys[i], keys[i]), true);
  }
  std::map<std::string, int> plain;
  std::map<std::string, int, StrLess> fast;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    plain.emplace(keys[i], static_cast<int>(i));
    fast.emplace(keys[i], static_cast<int>(i));
  }
  ASSERT_EQ(plain.size(), fast.size());
  EXPECT_TRUE(std::equal(plain.begin(), plain.end(), fast.begin(), fast.end()));
  EXPECT_NE(fast.find(std::string_view(keys[5])), fast.end());  // transparent lookup
}

}  // namespace
}  // namespace azsim::sim
