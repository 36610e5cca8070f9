#include "models/k8s/quantity.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace azsim::k8s;

namespace {

TEST(Quantity, ParsesKubernetesForms) {
  struct Case {
    std::string text;
    std::int64_t milli;
  } cases[] = {
      {"250m", 250},
      {"1", 1000},
      {"0.5", 500},
      {"2", 2000},
      {"1Gi", 1073741824LL * 1000},
      {"512Mi", 536870912LL * 1000},
      {"10Gi", 10737418240LL * 1000},
      {"1G", 1000000000LL * 1000},
      {"512M", 512000000LL * 1000},
      {"1k", 1000 * 1000},
      {"1e3", 1000 * 1000},
      {"1.5Gi", 1610612736LL * 1000},
      {"100n", 1},  // rounds up to one milli-unit, as Kubernetes does
      {"0", 0},
      // Many digits, most of them fractional: small again once scaled (up to 31 significant
      // digits are exact).
      {"0." + std::string(30, '0') + "1Ei", 1},
      {"1." + std::string(29, '0') + "Ki", 1024 * 1000},
  };
  for (const auto& c : cases) {
    auto r = parse_quantity(c.text);
    ASSERT_TRUE(r.ok) << c.text << ": " << r.error;
    EXPECT_EQ(r.milli, c.milli) << c.text;
  }
}

TEST(Quantity, RejectsBadForms) {
  const std::string huge(100, '2');  // once overflowed the intermediate product with a suffix
  for (const std::string& bad : {std::string(), std::string("Gi"), std::string("1Qi"), std::string("1.2.3"),
                                 std::string("abc"), std::string("1e"), std::string("1e1000"),
                                 std::string("99999999999999Ei"), huge + "Gi", huge + "Ei", huge + "e999"}) {
    auto r = parse_quantity(bad);
    EXPECT_FALSE(r.ok) << bad;
    EXPECT_NE(r.error.find("is not a Kubernetes quantity"), std::string::npos) << r.error;
  }
}

TEST(Quantity, Formats) {
  EXPECT_EQ(format_bytes(10737418240LL), "10Gi");
  EXPECT_EQ(format_bytes(536870912LL), "512Mi");
  EXPECT_EQ(format_bytes(1500), "1500");
  EXPECT_EQ(format_millicores(2000), "2");
  EXPECT_EQ(format_millicores(250), "250m");
  EXPECT_EQ(milli_to_units(parse_quantity("1Gi").milli), 1073741824LL);
}

}  // namespace
