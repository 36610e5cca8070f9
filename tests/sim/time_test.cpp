#include "sim/time.hpp"

#include <gtest/gtest.h>

using namespace azsim::sim;
using namespace azsim::sim::literals;

namespace {

struct ParseCase {
  const char* text;
  std::int64_t us;
};

void PrintTo(const ParseCase& c, std::ostream* os) { *os << '"' << c.text << '"'; }

class DurationParseOk : public ::testing::TestWithParam<ParseCase> {};

TEST_P(DurationParseOk, ParsesToMicroseconds) {
  auto r = parse_duration(GetParam().text);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.value.us(), GetParam().us);
}

INSTANTIATE_TEST_SUITE_P(Units, DurationParseOk,
                         ::testing::Values(ParseCase{"0", 0}, ParseCase{"0s", 0}, ParseCase{"250ms", 250'000},
                                           ParseCase{"90s", 90'000'000}, ParseCase{"5m", 300'000'000},
                                           ParseCase{"1h30m", 5'400'000'000LL}, ParseCase{"2d", 172'800'000'000LL},
                                           ParseCase{"1y", 31'536'000'000'000LL}, ParseCase{"1.5h", 5'400'000'000LL},
                                           ParseCase{"7us", 7}, ParseCase{"1m0.5s", 60'500'000},
                                           ParseCase{"+3s", 3'000'000}, ParseCase{"0.0000004s", 0}));

TEST(DurationParse, RejectsBadStrings) {
  for (const char* bad : {"", "5x", "5", "m", "1h30", "--1s", "1.s.", "abc", ".s", "5 m"}) {
    auto r = parse_duration(bad);
    EXPECT_FALSE(r.ok) << bad;
    EXPECT_NE(r.error.find("is not a duration"), std::string::npos) << r.error;
  }
  EXPECT_EQ(parse_duration("5x").error, "\"5x\" is not a duration: unknown unit \"x\" (use one of us, ms, s, m, h, d, y)");
}

TEST(DurationParse, NegativeOnlyWhenAllowed) {
  EXPECT_FALSE(parse_duration("-3m").ok);
  EXPECT_EQ(parse_duration("-3m").error, "\"-3m\" is not a duration: negative durations are not allowed here");
  auto r = parse_duration("-3m", true);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.value, -3_min);
}

TEST(DurationParse, Overflow) {
  EXPECT_FALSE(parse_duration("300000y").ok);
  EXPECT_FALSE(parse_duration("99999999999999999999s").ok);
  EXPECT_NE(parse_duration("300000y").error.find("out of range"), std::string::npos);
  EXPECT_TRUE(parse_duration("290000y").ok);
}

TEST(DurationFormat, GoStyle) {
  EXPECT_EQ(format_duration(0_s), "0s");
  EXPECT_EQ(format_duration(90_s), "1m30s");
  EXPECT_EQ(format_duration(250_ms), "250ms");
  EXPECT_EQ(format_duration(1_h + 30_min), "1h30m");
  EXPECT_EQ(format_duration(Duration::micros(1500)), "1.5ms");
  EXPECT_EQ(format_duration(Duration::micros(12)), "12us");
  EXPECT_EQ(format_duration(Duration::micros(61'500'000)), "1m1.5s");
  EXPECT_EQ(format_duration(-(5_s)), "-5s");
  EXPECT_EQ(format_duration(50_h), "50h");
}

TEST(DurationFormat, RoundTrips) {
  for (std::int64_t us : {1LL, 999LL, 1000LL, 1'234'567LL, 3'600'000'000LL, 98'765'432'100LL}) {
    auto d = Duration::micros(us);
    auto r = parse_duration(format_duration(d));
    ASSERT_TRUE(r.ok) << format_duration(d);
    EXPECT_EQ(r.value, d);
  }
}

TEST(DurationFormat, Seconds) {
  EXPECT_EQ(format_seconds(Duration::micros(412'500'000)), "412.5");
  EXPECT_EQ(format_seconds(0_s), "0");
  EXPECT_EQ(format_seconds(Duration::micros(1)), "0.000001");
  EXPECT_EQ(format_seconds(-(2_s)), "-2");
}

TEST(Time, Arithmetic) {
  Time t = Time::origin() + 10_s;
  EXPECT_EQ((t + 5_s) - t, 5_s);
  EXPECT_LT(t, Time::infinity());
  EXPECT_TRUE(Time::infinity().is_infinite());
  EXPECT_EQ(Duration::from_seconds(1.5), 1500_ms);
}

}  // namespace
