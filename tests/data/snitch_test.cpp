#include "models/data/snitch.hpp"

#include <gtest/gtest.h>

namespace azsim::data {
namespace {

TEST(Ec2Snitch, LegacyNamingDropsTheRegionSuffixOne) {
  // Ec2Snitch legacy naming: "us-east-1a" -> DC "us-east", rack "1a" (CASSANDRA-4026 hack).
  auto a = ec2_snitch_location("eu-west-1a");
  EXPECT_EQ(a.dc, "eu-west");
  EXPECT_EQ(a.rack, "1a");
  auto b = ec2_snitch_location("us-east-1b");
  EXPECT_EQ(b.dc, "us-east");
  EXPECT_EQ(b.rack, "1b");
  // Only a region number of 1 is dropped.
  auto c = ec2_snitch_location("us-west-2c");
  EXPECT_EQ(c.dc, "us-west-2");
  EXPECT_EQ(c.rack, "2c");
}

TEST(Ec2Snitch, StandardNamingKeepsFullNames) {
  auto a = ec2_snitch_location("eu-west-1a", false);
  EXPECT_EQ(a.dc, "eu-west-1");
  EXPECT_EQ(a.rack, "eu-west-1a");
  auto b = ec2_snitch_location("us-west-2c", false);
  EXPECT_EQ(b.dc, "us-west-2");
}

}  // namespace
}  // namespace azsim::data
