#include "model/traffic_match.h"

#include <gtest/gtest.h>

#include "tests/model/network_builder.h"
#include "tests/model/random_model.h"

namespace vpcsim {
namespace {

using namespace vpcsim::test;

const Packet kSsh = tcp_packet("10.0.0.5", 50000, "10.0.1.7", 22);

TEST(TrafficMatchTest, AllProtocolsMatchesEverything) {
  const TrafficMatch all = TrafficMatch::all();
  EXPECT_TRUE(all.matches(kSsh));
  EXPECT_TRUE(all.matches(udp_packet("10.0.0.5", 1, "10.0.1.7", 53)));
  EXPECT_TRUE(all.matches(icmp_packet("10.0.0.5", "10.0.1.7", 8)));
  EXPECT_TRUE(all.matches(icmp_packet("2001:db8::5", "2001:db8::7", 128)));
  EXPECT_TRUE(all.matches(protocol_packet("10.0.0.5", "10.0.1.7", 50)));
  EXPECT_TRUE(all.matches(protocol_packet("10.0.0.5", "10.0.1.7", 0)));
}

TEST(TrafficMatchTest, TcpMatchesTheDestinationPort) {
  EXPECT_TRUE(tcp(22).matches(kSsh));
  EXPECT_FALSE(tcp(23).matches(kSsh));
  EXPECT_TRUE(tcp(1, 1024).matches(kSsh));
  EXPECT_TRUE(TrafficMatch::tcp(PortRange::all()).matches(kSsh));
}

// AWS rules select the destination port; the reply from an SSH server has source port 22.
TEST(TrafficMatchTest, TcpNeverMatchesTheSourcePort) {
  const Packet reply = kSsh.reply();
  ASSERT_EQ(reply.src_port, 22);
  EXPECT_FALSE(tcp(22).matches(reply));
  EXPECT_TRUE(tcp(1024, 65535).matches(reply));
}

TEST(TrafficMatchTest, PortRuleMatchesOnlyItsOwnProtocol) {
  EXPECT_FALSE(udp(22).matches(kSsh));
  EXPECT_FALSE(tcp(53).matches(udp_packet("10.0.0.5", 50000, "10.0.0.2", 53)));
  EXPECT_TRUE(udp(53).matches(udp_packet("10.0.0.5", 50000, "10.0.0.2", 53)));
  EXPECT_FALSE(tcp(0, 65535).matches(icmp_packet("10.0.0.5", "10.0.1.7", 8)));
}

TEST(TrafficMatchTest, IcmpTypeAndCodeWildcards) {
  const Packet echo = icmp_packet("10.0.0.5", "10.0.1.7", 8, 0);
  const Packet frag_needed = icmp_packet("10.0.0.5", "10.0.1.7", 3, 4);
  EXPECT_TRUE(icmp().matches(echo));
  EXPECT_TRUE(icmp().matches(frag_needed));
  EXPECT_TRUE(icmp(8).matches(echo));
  EXPECT_FALSE(icmp(8).matches(frag_needed));
  EXPECT_TRUE(icmp(3, 4).matches(frag_needed));
  EXPECT_FALSE(icmp(3, 3).matches(frag_needed));
  EXPECT_FALSE(icmp(0).matches(echo));
}

TEST(TrafficMatchTest, IcmpAndIcmpv6AreDifferentProtocols) {
  EXPECT_FALSE(icmp().matches(icmp_packet("2001:db8::5", "2001:db8::7", 128)));
  EXPECT_FALSE(icmpv6().matches(icmp_packet("10.0.0.5", "10.0.1.7", 8)));
  EXPECT_TRUE(icmpv6(128).matches(icmp_packet("2001:db8::5", "2001:db8::7", 128)));
}

// EC2 API IpPermission: a protocol other than tcp/udp/icmp/icmpv6 selects all ports whatever
// range is given.
TEST(TrafficMatchTest, OtherProtocolsIgnorePortRanges) {
  const TrafficMatch esp{Protocol::number(50), PortRange::single(22), {}};
  EXPECT_TRUE(esp.matches(protocol_packet("10.0.0.5", "10.0.1.7", 50)));
  EXPECT_FALSE(esp.matches(protocol_packet("10.0.0.5", "10.0.1.7", 51)));
  EXPECT_FALSE(esp.matches(kSsh));
  EXPECT_EQ(esp.key_low(), 0);
  EXPECT_EQ(esp.key_high(), 65535);
  EXPECT_TRUE(esp.selects_all_keys());
}

TEST(TrafficMatchTest, KeyRangesFollowPortsOrIcmpTypeAndCode) {
  EXPECT_EQ(tcp(1024, 65535).key_low(), 1024);
  EXPECT_EQ(tcp(1024, 65535).key_high(), 65535);
  EXPECT_EQ(icmp(8).key_low(), 0x0800);
  EXPECT_EQ(icmp(8).key_high(), 0x08ff);
  EXPECT_EQ(icmp(3, 4).key_low(), 0x0304);
  EXPECT_EQ(icmp(3, 4).key_high(), 0x0304);
  EXPECT_TRUE(icmp().selects_all_keys());
  EXPECT_TRUE(TrafficMatch::all().selects_all_keys());
  EXPECT_TRUE(TrafficMatch::udp(PortRange::all()).selects_all_keys());
  EXPECT_FALSE(tcp(22).selects_all_keys());
}

// The classifier relies on it: for a packet of the rule's protocol, matches() is exactly
// "match_key() inside [key_low, key_high]".
TEST(TrafficMatchTest, KeyRangeAgreesWithMatchesOnRandomRulesAndPackets) {
  RandomModel rnd(20240601);
  const IpAddress a = ip("10.0.0.5");
  const IpAddress b = ip("10.0.1.7");
  for (int i = 0; i < 20000; ++i) {
    const TrafficMatch t = rnd.traffic();
    Packet p = rnd.packet(a, b);
    if (!t.protocol.is_all() && rnd.chance(0.7)) p.protocol = t.protocol.value();
    if (p.is_icmp() && rnd.chance(0.5) && t.icmp.type != -1) p.icmp_type = static_cast<std::uint8_t>(t.icmp.type);
    const bool protocol_ok = t.protocol.is_all() || t.protocol.value() == p.protocol;
    const bool key_ok = t.key_low() <= p.match_key() && p.match_key() <= t.key_high();
    ASSERT_EQ(t.matches(p), protocol_ok && key_ok) << t.to_string() << " vs " << p.to_string();
  }
}

TEST(TrafficMatchTest, PrintsTheWayAConsoleDescribesIt) {
  EXPECT_EQ(tcp(22).to_string(), "tcp 22");
  EXPECT_EQ(udp(1024, 65535).to_string(), "udp 1024-65535");
  EXPECT_EQ(TrafficMatch::tcp(PortRange::all()).to_string(), "tcp all ports");
  EXPECT_EQ(icmp(8).to_string(), "icmp type 8 all codes");
  EXPECT_EQ(icmp(3, 4).to_string(), "icmp type 3 code 4");
  EXPECT_EQ(icmpv6().to_string(), "icmpv6 all types");
  EXPECT_EQ(TrafficMatch::all().to_string(), "all traffic");
  EXPECT_EQ(protocol_number(50).to_string(), "protocol 50");
}

TEST(TrafficMatchTest, ClassifierRuleCarriesFamilyProtocolKeysAndAddressRange) {
  const ClassifierRule r = to_classifier_rule(tcp(22), cidr("10.0.1.0/24"), 7);
  EXPECT_EQ(r.family, Family::kIpv4);
  EXPECT_EQ(r.protocol, Protocol::kTcp);
  EXPECT_EQ(r.key_low, 22);
  EXPECT_EQ(r.key_high, 22);
  EXPECT_EQ(r.addr_low, ip("10.0.1.0").value());
  EXPECT_EQ(r.addr_high, ip("10.0.1.255").value());
  EXPECT_EQ(r.index, 7u);

  const ClassifierRule all6 = to_classifier_rule(TrafficMatch::all(), cidr("::/0"), 0);
  EXPECT_EQ(all6.family, Family::kIpv6);
  EXPECT_EQ(all6.protocol, -1);
  EXPECT_EQ(all6.addr_low, U128{0});
  EXPECT_EQ(all6.addr_high, ~U128{0});
}

}  // namespace
}  // namespace vpcsim
