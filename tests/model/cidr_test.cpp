#include "model/cidr.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/model/network_builder.h"

namespace vpcsim {
namespace {

using test::cidr;
using test::ip;
using ::testing::HasSubstr;

std::string error_of(std::string_view text, Cidr::HostBits mode = Cidr::HostBits::kReject) {
  const auto c = Cidr::parse(text, mode);
  EXPECT_FALSE(c.has_value()) << text << " parsed as " << c->to_string();
  return c ? std::string() : c.error();
}

TEST(CidrTest, ParsesAndPrintsIpv4) {
  const auto c = Cidr::parse("10.0.0.0/16");
  ASSERT_TRUE(c.has_value()) << c.error();
  EXPECT_EQ(c->family(), Family::kIpv4);
  EXPECT_EQ(c->network(), ip("10.0.0.0"));
  EXPECT_EQ(c->prefix(), 16);
  EXPECT_EQ(c->to_string(), "10.0.0.0/16");
}

TEST(CidrTest, ParsesAndPrintsIpv6Canonically) {
  const auto c = Cidr::parse("2001:0DB8:0000::/32");
  ASSERT_TRUE(c.has_value()) << c.error();
  EXPECT_EQ(c->family(), Family::kIpv6);
  EXPECT_EQ(c->to_string(), "2001:db8::/32");
  EXPECT_EQ(cidr("::/0").to_string(), "::/0");
  EXPECT_EQ(cidr("2001:db8::1/128").to_string(), "2001:db8::1/128");
}

TEST(CidrTest, OctetOutOfRangeIsReported) {
  const std::string e = error_of("10.0.0.256/24");
  EXPECT_THAT(e, HasSubstr("octet 4"));
  EXPECT_THAT(e, HasSubstr("out of range 0-255"));
}

TEST(CidrTest, PrefixLengthBeyondTheFamilyIsReported) {
  const std::string e = error_of("10.0.0.0/33");
  EXPECT_THAT(e, HasSubstr("prefix length '33'"));
  EXPECT_THAT(e, HasSubstr("0 to 32 for IPv4"));
  EXPECT_THAT(error_of("2001:db8::/129"), HasSubstr("0 to 128 for IPv6"));
  EXPECT_THAT(error_of("10.0.0.0/-1"), HasSubstr("prefix length '-1'"));
  EXPECT_THAT(error_of("10.0.0.0/24x"), HasSubstr("prefix length '24x'"));
  EXPECT_THAT(error_of("10.0.0.0/"), HasSubstr("prefix length ''"));
  EXPECT_THAT(error_of("10.0.0.0/ 8"), HasSubstr("prefix length"));
}

TEST(CidrTest, HostBitsSetNamesTheNetwork) {
  const std::string e = error_of("10.0.0.5/24");
  EXPECT_THAT(e, HasSubstr("host bits set"));
  EXPECT_THAT(e, HasSubstr("10.0.0.0/24"));
  EXPECT_THAT(e, HasSubstr("/32"));  // the single-host alternative
  EXPECT_THAT(error_of("2001:db8::1/64"), HasSubstr("2001:db8::/64"));
}

// EC2 API IpRange.CidrIp: AWS turns 100.68.0.18/18 into 100.68.0.0/18.
TEST(CidrTest, CanonicaliseModeClearsHostBitsAsAwsDoes) {
  EXPECT_EQ(Cidr::parse("100.68.0.18/18", Cidr::HostBits::kCanonicalise)->to_string(), "100.68.0.0/18");
  EXPECT_EQ(Cidr::parse("10.0.0.5/24", Cidr::HostBits::kCanonicalise)->to_string(), "10.0.0.0/24");
  EXPECT_EQ(Cidr::parse("2001:db8::1/64", Cidr::HostBits::kCanonicalise)->to_string(), "2001:db8::/64");
  EXPECT_EQ(Cidr::parse("10.1.2.3/0", Cidr::HostBits::kCanonicalise)->to_string(), "0.0.0.0/0");
  // Canonicalising does not excuse other errors.
  EXPECT_THAT(error_of("10.0.0.5/33", Cidr::HostBits::kCanonicalise), HasSubstr("prefix length"));
}

TEST(CidrTest, MissingPrefixSuggestsTheHostRoute) {
  EXPECT_THAT(error_of("10.0.0.1"), HasSubstr("10.0.0.1/32"));
  EXPECT_THAT(error_of("2001:db8::1"), HasSubstr("2001:db8::1/128"));
  // Without a slash, a bad address is reported as such, with the expected shape.
  EXPECT_THAT(error_of("nonsense"), HasSubstr("'nonsense' is not an IPv4 address"));
  EXPECT_THAT(error_of("nonsense"), HasSubstr("ADDRESS/LENGTH"));
}

TEST(CidrTest, GarbageAndBadAddressesAreRejected) {
  for (const char* text : {"", "/24", "abc/24", "10.0.0/24", "10.0.0.0.0/24", "10.0.0.0//24", "10.00.0.0/16",
                           "2001:db8::g/64", "0x0a000000/8"}) {
    EXPECT_FALSE(Cidr::parse(text).has_value()) << "'" << text << "'";
  }
  EXPECT_THAT(error_of("10.00.0.0/16"), HasSubstr("leading zero"));
}

TEST(CidrTest, SlashZeroContainsEveryAddressOfItsFamily) {
  const Cidr v4 = cidr("0.0.0.0/0");
  EXPECT_TRUE(v4.is_all());
  EXPECT_TRUE(v4.contains(ip("0.0.0.0")));
  EXPECT_TRUE(v4.contains(ip("255.255.255.255")));
  EXPECT_TRUE(v4.contains(ip("10.1.2.3")));
  const Cidr v6 = cidr("::/0");
  EXPECT_TRUE(v6.contains(ip("::")));
  EXPECT_TRUE(v6.contains(ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")));
  EXPECT_EQ(Cidr::all(Family::kIpv4), v4);
  EXPECT_EQ(Cidr::all(Family::kIpv6), v6);
}

TEST(CidrTest, Ipv4BlockNeverContainsIpv6) {
  EXPECT_FALSE(cidr("0.0.0.0/0").contains(ip("::")));
  EXPECT_FALSE(cidr("0.0.0.0/0").contains(ip("::ffff:10.0.0.1")));
  EXPECT_FALSE(cidr("10.0.0.0/8").contains(ip("::a00:1")));  // the same low 32 bits as 10.0.0.1
  EXPECT_FALSE(cidr("::/0").contains(ip("0.0.0.0")));
  EXPECT_FALSE(cidr("::/96").contains(ip("10.0.0.1")));
  EXPECT_FALSE(cidr("0.0.0.0/0").contains(cidr("::/0")));
  EXPECT_FALSE(cidr("::/0").contains(cidr("0.0.0.0/0")));
  EXPECT_FALSE(cidr("0.0.0.0/0").overlaps(cidr("::/0")));
}

TEST(CidrTest, HostRoutesContainOnlyTheirAddress) {
  const Cidr h4 = cidr("10.0.0.7/32");
  EXPECT_TRUE(h4.contains(ip("10.0.0.7")));
  EXPECT_FALSE(h4.contains(ip("10.0.0.6")));
  EXPECT_FALSE(h4.contains(ip("10.0.0.8")));
  EXPECT_EQ(h4.last(), ip("10.0.0.7"));
  const Cidr h6 = cidr("2001:db8::7/128");
  EXPECT_TRUE(h6.contains(ip("2001:db8::7")));
  EXPECT_FALSE(h6.contains(ip("2001:db8::8")));
  EXPECT_EQ(h6.last(), ip("2001:db8::7"));
  EXPECT_EQ(Cidr::host(ip("2001:db8::7")), h6);
  EXPECT_EQ(Cidr::host(ip("10.0.0.7")), h4);
}

TEST(CidrTest, ContainmentStopsAtTheBlockEdges) {
  const Cidr c = cidr("10.0.1.0/24");
  EXPECT_FALSE(c.contains(ip("10.0.0.255")));
  EXPECT_TRUE(c.contains(ip("10.0.1.0")));
  EXPECT_TRUE(c.contains(ip("10.0.1.255")));
  EXPECT_FALSE(c.contains(ip("10.0.2.0")));
}

TEST(CidrTest, LastIsTheHighestAddressOfTheBlock) {
  EXPECT_EQ(cidr("10.0.0.0/24").last(), ip("10.0.0.255"));
  EXPECT_EQ(cidr("10.0.0.0/31").last(), ip("10.0.0.1"));
  EXPECT_EQ(cidr("0.0.0.0/0").last(), ip("255.255.255.255"));
  EXPECT_EQ(cidr("2001:db8::/32").last(), ip("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"));
  EXPECT_EQ(cidr("::/0").last(), ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
  EXPECT_EQ(cidr("10.0.0.0/24").first(), ip("10.0.0.0"));
}

TEST(CidrTest, BlockContainsTheBlocksInsideIt) {
  EXPECT_TRUE(cidr("10.0.0.0/16").contains(cidr("10.0.1.0/24")));
  EXPECT_FALSE(cidr("10.0.1.0/24").contains(cidr("10.0.0.0/16")));
  EXPECT_TRUE(cidr("10.0.0.0/16").contains(cidr("10.0.0.0/16")));
  EXPECT_TRUE(cidr("0.0.0.0/0").contains(cidr("10.0.0.7/32")));
  EXPECT_FALSE(cidr("10.0.1.0/24").contains(cidr("10.0.2.0/24")));
}

TEST(CidrTest, OverlapsIsSymmetric) {
  const auto overlap = [](std::string_view a, std::string_view b) {
    const bool ab = cidr(a).overlaps(cidr(b));
    EXPECT_EQ(ab, cidr(b).overlaps(cidr(a))) << a << " vs " << b;
    return ab;
  };
  EXPECT_TRUE(overlap("10.0.0.0/16", "10.0.1.0/24"));
  EXPECT_TRUE(overlap("10.0.0.0/16", "10.0.0.0/16"));
  EXPECT_TRUE(overlap("0.0.0.0/0", "192.0.2.1/32"));
  EXPECT_FALSE(overlap("10.0.0.0/24", "10.0.1.0/24"));
  EXPECT_FALSE(overlap("10.0.0.0/25", "10.0.0.128/25"));
  EXPECT_TRUE(overlap("2001:db8::/32", "2001:db8:1::/48"));
  EXPECT_FALSE(overlap("2001:db8::/32", "2001:db9::/32"));
  EXPECT_FALSE(overlap("0.0.0.0/0", "::/0"));
}

TEST(CidrTest, NetmaskCoversThePrefixBitsOfTheFamily) {
  EXPECT_EQ(netmask(Family::kIpv4, 0), U128{0});
  EXPECT_EQ(netmask(Family::kIpv4, 24), U128{0xffffff00});
  EXPECT_EQ(netmask(Family::kIpv4, 32), U128{0xffffffff});
  EXPECT_EQ(netmask(Family::kIpv6, 128), ~U128{0});
  EXPECT_EQ(netmask(Family::kIpv6, 1), U128{1} << 127);
}

TEST(CidrTest, OrdersByFamilyThenNetworkThenPrefix) {
  EXPECT_LT(cidr("10.0.0.0/8"), cidr("10.0.0.0/16"));
  EXPECT_LT(cidr("10.0.0.0/16"), cidr("10.1.0.0/16"));
  EXPECT_LT(cidr("255.0.0.0/8"), cidr("::/0"));
}

}  // namespace
}  // namespace vpcsim
