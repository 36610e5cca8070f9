// choose_zone_for_claim against hand-computed FNV-1 values. FNV-1 32-bit ("a") = 0x050c5d7e
// and ("foo") = 0x408f5e13 are the published test vectors; "cassandra" = 802497565 was
// computed by hand with h = (h * 16777619 mod 2^32) ^ byte from 2166136261.
#include <gtest/gtest.h>

#include "models/scheduler/zone_heuristic.hpp"

namespace azsim::scheduler {
namespace {

TEST(ZoneHeuristic, Fnv1KnownVectors) {
  EXPECT_EQ(fnv1_32(""), 2166136261u);
  EXPECT_EQ(fnv1_32("a"), 0x050c5d7eu);
  EXPECT_EQ(fnv1_32("foo"), 0x408f5e13u);
  EXPECT_EQ(fnv1_32("cassandra"), 802497565u);
}

TEST(ZoneHeuristic, StatefulSetClaimsRotateThroughSortedZones) {
  // claim "cassandra-storage-cassandra-N": hash("cassandra") = 802497565, 802497565 mod 3 = 1,
  // so ordinal N lands on zone (1 + N) mod 3 of the sorted list.
  const std::vector<std::string> zones = {"eu-west-1c", "eu-west-1a", "eu-west-1b"};  // unsorted on purpose
  const char* want[] = {"eu-west-1b", "eu-west-1c", "eu-west-1a", "eu-west-1b", "eu-west-1c", "eu-west-1a"};
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(choose_zone_for_claim(zones, "cassandra-storage-cassandra-" + std::to_string(i)), want[i]) << i;
}

TEST(ZoneHeuristic, ClaimNameParts) {
  ClaimNameHash h = claim_name_hash("data-mysql-7");
  EXPECT_EQ(h.index, 7u);
  EXPECT_EQ(h.hash, fnv1_32("mysql"));
  h = claim_name_hash("myclaim");  // no trailing integer: whole name, offset 0
  EXPECT_EQ(h.index, 0u);
  EXPECT_EQ(h.hash, fnv1_32("myclaim"));
  h = claim_name_hash("claim-x1");  // "x1" is not an integer
  EXPECT_EQ(h.index, 0u);
  EXPECT_EQ(h.hash, fnv1_32("claim-x1"));
  h = claim_name_hash("vol-12");  // Name-Id: prefix without dash is hashed whole
  EXPECT_EQ(h.index, 12u);
  EXPECT_EQ(h.hash, fnv1_32("vol"));
}

TEST(ZoneHeuristic, IndexWrapsAsUint32) {
  // hash("web") = 1181096325; + 4294967295 wraps to 1181096324; mod 3 = 2.
  EXPECT_EQ(choose_zone_for_claim({"a", "b", "c"}, "www-web-4294967295"), "c");
}

TEST(ZoneHeuristic, Degenerate) {
  EXPECT_EQ(choose_zone_for_claim({}, "x-0"), "");
  EXPECT_EQ(choose_zone_for_claim({"only"}, "anything-3"), "only");
}

}  // namespace
}  // namespace azsim::scheduler
