#include "model/protocol.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace vpcsim {
namespace {

using ::testing::HasSubstr;

TEST(ProtocolTest, ParsesNamesInAnyCase) {
  EXPECT_EQ(Protocol::parse("tcp"), Protocol::tcp());
  EXPECT_EQ(Protocol::parse("TCP"), Protocol::tcp());
  EXPECT_EQ(Protocol::parse("Udp"), Protocol::udp());
  EXPECT_EQ(Protocol::parse("icmp"), Protocol::icmp());
  EXPECT_EQ(Protocol::parse("ICMPv6"), Protocol::icmpv6());
  EXPECT_EQ(Protocol::parse("all"), Protocol::all());
  EXPECT_EQ(Protocol::parse("ALL"), Protocol::all());
}

// The EC2 API returns security-group protocols as names and NACL protocols as numbers.
TEST(ProtocolTest, ParsesNumbersAsTheSameProtocols) {
  EXPECT_EQ(Protocol::parse("-1"), Protocol::all());
  EXPECT_EQ(Protocol::parse("6"), Protocol::tcp());
  EXPECT_EQ(Protocol::parse("17"), Protocol::udp());
  EXPECT_EQ(Protocol::parse("1"), Protocol::icmp());
  EXPECT_EQ(Protocol::parse("58"), Protocol::icmpv6());
  EXPECT_EQ(Protocol::parse("50"), Protocol::number(50));
  EXPECT_EQ(Protocol::parse("0"), Protocol::number(0));
  EXPECT_EQ(Protocol::parse("255"), Protocol::number(255));
}

TEST(ProtocolTest, ProtocolZeroIsNotAllProtocols) {
  const Protocol hopopt = Protocol::parse("0").value();
  EXPECT_FALSE(hopopt.is_all());
  EXPECT_EQ(hopopt.value(), 0);
  EXPECT_NE(hopopt, Protocol::all());
  EXPECT_TRUE(Protocol().is_all());
}

TEST(ProtocolTest, RejectsNumbersOutsideZeroTo255AndUnknownNames) {
  for (const char* text : {"256", "-2", "1000", "", "tcpx", "6 ", " 6", "ip", "6.0"}) {
    const auto p = Protocol::parse(text);
    ASSERT_FALSE(p.has_value()) << "'" << text << "'";
    EXPECT_THAT(p.error(), HasSubstr("use tcp, udp, icmp, icmpv6, all (-1) or a protocol number 0-255"));
  }
  EXPECT_THAT(Protocol::parse("256").error(), HasSubstr("'256'"));
}

TEST(ProtocolTest, PrintsNamesForTheNamedProtocolsAndNumbersOtherwise) {
  EXPECT_EQ(Protocol::tcp().to_string(), "tcp");
  EXPECT_EQ(Protocol::udp().to_string(), "udp");
  EXPECT_EQ(Protocol::icmp().to_string(), "icmp");
  EXPECT_EQ(Protocol::icmpv6().to_string(), "icmpv6");
  EXPECT_EQ(Protocol::all().to_string(), "all");
  EXPECT_EQ(Protocol::number(50).to_string(), "50");
}

TEST(ProtocolTest, OnlyTcpAndUdpHavePorts) {
  EXPECT_TRUE(Protocol::tcp().has_ports());
  EXPECT_TRUE(Protocol::udp().has_ports());
  EXPECT_FALSE(Protocol::icmp().has_ports());
  EXPECT_FALSE(Protocol::all().has_ports());
  EXPECT_FALSE(Protocol::number(50).has_ports());
  EXPECT_TRUE(Protocol::icmp().is_icmp_family());
  EXPECT_TRUE(Protocol::icmpv6().is_icmp_family());
  EXPECT_FALSE(Protocol::tcp().is_icmp_family());
}

TEST(PortRangeTest, ParsesSinglePortsRangesAndAll) {
  EXPECT_EQ(PortRange::parse("22"), PortRange::single(22));
  EXPECT_EQ(PortRange::parse("1024-65535"), (PortRange{1024, 65535}));
  EXPECT_EQ(PortRange::parse("0-65535"), PortRange::all());
  EXPECT_EQ(PortRange::parse("all"), PortRange::all());
  EXPECT_EQ(PortRange::parse("*"), PortRange::all());
  EXPECT_EQ(PortRange::parse("0"), PortRange::single(0));
  EXPECT_EQ(PortRange::parse("65535"), PortRange::single(65535));
}

TEST(PortRangeTest, ReversedRangeSuggestsTheRightOrder) {
  const auto r = PortRange::parse("100-22");
  ASSERT_FALSE(r.has_value());
  EXPECT_THAT(r.error(), HasSubstr("reversed"));
  EXPECT_THAT(r.error(), HasSubstr("22-100"));
}

TEST(PortRangeTest, PortsAbove65535AreOutOfRange) {
  EXPECT_THAT(PortRange::parse("65536").error(), HasSubstr("port 65536 is out of range 0-65535"));
  EXPECT_THAT(PortRange::parse("1-70000").error(), HasSubstr("70000"));
  EXPECT_THAT(PortRange::make(-1, 5).error(), HasSubstr("out of range"));
}

TEST(PortRangeTest, GarbageIsRejectedWithAnExample) {
  for (const char* text : {"", "ssh", "22-", "-", "1-2-3", "22 ", "0x16"}) {
    const auto r = PortRange::parse(text);
    EXPECT_FALSE(r.has_value()) << "'" << text << "'";
  }
  EXPECT_THAT(PortRange::parse("ssh").error(), HasSubstr("expected e.g. 22 or 1024-65535"));
}

TEST(PortRangeTest, ContainsIsInclusiveAtBothEnds) {
  const PortRange r{1024, 65535};
  EXPECT_FALSE(r.contains(1023));
  EXPECT_TRUE(r.contains(1024));
  EXPECT_TRUE(r.contains(65535));
  EXPECT_TRUE(PortRange::single(22).contains(22));
  EXPECT_FALSE(PortRange::single(22).contains(23));
}

TEST(PortRangeTest, Prints) {
  EXPECT_EQ(PortRange::single(22).to_string(), "22");
  EXPECT_EQ((PortRange{1024, 65535}).to_string(), "1024-65535");
  EXPECT_EQ(PortRange::all().to_string(), "all");
}

TEST(IcmpMatchTest, MinusOneTypeSelectsEveryTypeAndCode) {
  const IcmpMatch all = IcmpMatch::make(-1, -1).value();
  EXPECT_TRUE(all.is_all());
  EXPECT_TRUE(all.matches(8, 0));
  EXPECT_TRUE(all.matches(3, 4));
  EXPECT_TRUE(all.matches(255, 255));
  EXPECT_EQ(all.to_string(), "all types");
}

TEST(IcmpMatchTest, MinusOneCodeSelectsEveryCodeOfTheType) {
  const IcmpMatch echo = IcmpMatch::make(8, -1).value();
  EXPECT_TRUE(echo.matches(8, 0));
  EXPECT_TRUE(echo.matches(8, 200));
  EXPECT_FALSE(echo.matches(0, 0));
  EXPECT_EQ(echo.to_string(), "type 8 all codes");
}

TEST(IcmpMatchTest, TypeAndCodeSelectExactlyThatMessage) {
  const IcmpMatch frag_needed = IcmpMatch::make(3, 4).value();  // PMTUD: fragmentation needed
  EXPECT_TRUE(frag_needed.matches(3, 4));
  EXPECT_FALSE(frag_needed.matches(3, 3));
  EXPECT_FALSE(frag_needed.matches(4, 4));
  EXPECT_EQ(frag_needed.to_string(), "type 3 code 4");
}

// EC2 API IpPermission: "If you specify all ICMP types, you must specify all ICMP codes."
TEST(IcmpMatchTest, CodeWithoutTypeIsRejected) {
  const auto m = IcmpMatch::make(-1, 0);
  ASSERT_FALSE(m.has_value());
  EXPECT_THAT(m.error(), HasSubstr("needs a specific ICMP type"));
}

TEST(IcmpMatchTest, TypeOrCodeOutOfRangeIsRejected) {
  EXPECT_THAT(IcmpMatch::make(256, 0).error(), HasSubstr("ICMP type 256"));
  EXPECT_THAT(IcmpMatch::make(-2, -1).error(), HasSubstr("ICMP type -2"));
  EXPECT_THAT(IcmpMatch::make(3, 256).error(), HasSubstr("ICMP code 256"));
  EXPECT_TRUE(IcmpMatch::make(255, 255).has_value());
}

}  // namespace
}  // namespace vpcsim
