#include "model/ip_address.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace vpcsim {
namespace {

using ::testing::HasSubstr;

std::string error_of(std::string_view text) {
  const auto a = IpAddress::parse(text);
  EXPECT_FALSE(a.has_value()) << text << " parsed as " << a->to_string();
  return a ? std::string() : a.error();
}

TEST(IpAddressTest, ParsesDottedQuad) {
  const auto a = IpAddress::parse("10.0.1.7");
  ASSERT_TRUE(a.has_value()) << a.error();
  EXPECT_TRUE(a->is_v4());
  EXPECT_EQ(a->value(), U128{0x0a000107});
  EXPECT_EQ(a->to_string(), "10.0.1.7");
}

TEST(IpAddressTest, ParsesExtremeIpv4Addresses) {
  EXPECT_EQ(IpAddress::parse("0.0.0.0")->value(), U128{0});
  EXPECT_EQ(IpAddress::parse("255.255.255.255")->value(), U128{0xffffffff});
  EXPECT_EQ(IpAddress::v4(0xffffffff).to_string(), "255.255.255.255");
}

TEST(IpAddressTest, OctetAbove255IsOutOfRange) {
  const std::string e = error_of("10.0.0.256");
  EXPECT_THAT(e, HasSubstr("octet 4"));
  EXPECT_THAT(e, HasSubstr("out of range"));
  EXPECT_THAT(error_of("99999999999.0.0.1"), HasSubstr("out of range"));
}

TEST(IpAddressTest, LeadingZeroIsRejectedAsAmbiguous) {
  EXPECT_THAT(error_of("10.0.0.01"), HasSubstr("leading zero"));
  EXPECT_THAT(error_of("010.0.0.1"), HasSubstr("octet 1"));
}

TEST(IpAddressTest, GarbageIsRejected) {
  for (const char* text : {"", "hello", "10.0.0", "10.0.0.1.2", "10..0.1", "10.0.0.1 ", " 10.0.0.1", "-1.0.0.0",
                           "10.0.0.x", "1.2.3.4/32", ":::", "2001:db8::1::2", "2001:db8::g", "12345::"}) {
    EXPECT_FALSE(IpAddress::parse(text).has_value()) << "'" << text << "'";
  }
  EXPECT_THAT(error_of("10.0.0"), HasSubstr("four numbers"));
  EXPECT_THAT(error_of("2001:db8::g"), HasSubstr("not an IPv6 address"));
}

TEST(IpAddressTest, ZoneIndexIsRejected) { EXPECT_FALSE(IpAddress::parse("fe80::1%eth0").has_value()); }

TEST(IpAddressTest, ParsesIpv6) {
  const auto a = IpAddress::parse("2001:db8::1");
  ASSERT_TRUE(a.has_value()) << a.error();
  EXPECT_FALSE(a->is_v4());
  EXPECT_EQ(a->family(), Family::kIpv6);
  EXPECT_EQ(a->value(), (U128{0x20010db8} << 96) | 1);
}

// RFC 5952 section 4: lower case, no leading zeros, "::" for the longest run of zero groups
// (the first when tied), never for a single group.
TEST(IpAddressTest, PrintsIpv6InRfc5952CanonicalForm) {
  const std::pair<const char*, const char*> cases[] = {
      {"2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"},
      {"2001:DB8::ABCD", "2001:db8::abcd"},
      {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"},
      {"2001:0:0:1:0:0:0:1", "2001:0:0:1::1"},
      {"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"},
      {"0:0:0:0:0:0:0:0", "::"},
      {"0:0:0:0:0:0:0:1", "::1"},
      {"fe80:0:0:0:0:0:0:0", "fe80::"},
      {"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"},
      {"::ffff:192.0.2.1", "::ffff:192.0.2.1"},  // RFC 5952 section 5: mapped IPv4 in dotted form
  };
  for (const auto& [in, out] : cases) {
    const auto a = IpAddress::parse(in);
    ASSERT_TRUE(a.has_value()) << in << ": " << a.error();
    EXPECT_EQ(a->to_string(), out) << in;
  }
}

TEST(IpAddressTest, PrintedFormParsesBackToTheSameAddress) {
  for (const char* text : {"10.1.2.3", "2001:db8:1:2:3:4:5:6", "::", "2001:db8::"}) {
    const auto a = IpAddress::parse(text).value();
    EXPECT_EQ(IpAddress::parse(a.to_string()).value(), a) << text;
  }
}

TEST(IpAddressTest, FamiliesStayApartEvenWithEqualValues) {
  EXPECT_NE(IpAddress::v4(1), IpAddress::v6(1));
  EXPECT_NE(IpAddress::parse("0.0.0.0").value(), IpAddress::parse("::").value());
}

TEST(IpAddressTest, FamilyNames) {
  EXPECT_EQ(to_string(Family::kIpv4), "IPv4");
  EXPECT_EQ(to_string(Family::kIpv6), "IPv6");
  EXPECT_EQ(address_bits(Family::kIpv4), 32);
  EXPECT_EQ(address_bits(Family::kIpv6), 128);
}

}  // namespace
}  // namespace vpcsim
