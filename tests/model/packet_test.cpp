#include "model/packet.h"

#include <gtest/gtest.h>

#include "tests/model/network_builder.h"

namespace vpcsim {
namespace {

using namespace vpcsim::test;

TEST(PacketTest, ReplySwapsAddressesAndPorts) {
  const Packet p = tcp_packet("10.0.0.5", 50000, "10.0.1.7", 22);
  const Packet r = p.reply();
  EXPECT_EQ(r.src, ip("10.0.1.7"));
  EXPECT_EQ(r.dst, ip("10.0.0.5"));
  EXPECT_EQ(r.src_port, 22);
  EXPECT_EQ(r.dst_port, 50000);
  EXPECT_EQ(r.protocol, Protocol::kTcp);
  EXPECT_EQ(r.match_key(), 50000);  // the reply is judged by the client's ephemeral port
}

TEST(PacketTest, ReplyOfTheReplyIsTheRequest) {
  const Packet p = udp_packet("2001:db8::5", 40000, "2001:db8::53", 53);
  const Packet back = p.reply().reply();
  EXPECT_EQ(back.src, p.src);
  EXPECT_EQ(back.dst, p.dst);
  EXPECT_EQ(back.src_port, p.src_port);
  EXPECT_EQ(back.dst_port, p.dst_port);
}

// RFC 792: echo (8) -> echo reply (0), timestamp (13) -> timestamp reply (14).
TEST(PacketTest, IcmpEchoRequestGetsAnEchoReply) {
  const Packet r = icmp_packet("10.0.0.5", "10.0.1.7", 8).reply();
  EXPECT_EQ(r.icmp_type, 0);
  EXPECT_EQ(r.icmp_code, 0);
  EXPECT_EQ(r.src, ip("10.0.1.7"));
  EXPECT_EQ(icmp_packet("10.0.0.5", "10.0.1.7", 13).reply().icmp_type, 14);
}

// RFC 4443: echo request (128) -> echo reply (129).
TEST(PacketTest, Icmpv6EchoRequestGetsAnEchoReply) {
  const Packet r = icmp_packet("2001:db8::5", "2001:db8::7", 128).reply();
  EXPECT_EQ(r.protocol, Protocol::kIcmpv6);
  EXPECT_EQ(r.icmp_type, 129);
}

TEST(PacketTest, OtherIcmpTypesKeepTheirType) {
  EXPECT_EQ(icmp_packet("10.0.0.5", "10.0.1.7", 3, 4).reply().icmp_type, 3);
  EXPECT_EQ(icmp_packet("10.0.0.5", "10.0.1.7", 0).reply().icmp_type, 0);
  // 128 is an ICMPv6 type; for ICMP (v4) it means nothing special.
  EXPECT_EQ(icmp_packet("10.0.0.5", "10.0.1.7", 128).reply().icmp_type, 128);
  // 8 is an ICMP (v4) type; ICMPv6 type 8 is not an echo request.
  EXPECT_EQ(icmp_packet("2001:db8::5", "2001:db8::7", 8).reply().icmp_type, 8);
}

TEST(PacketTest, MatchKeyIsDestinationPortOrTypeAndCode) {
  EXPECT_EQ(tcp_packet("10.0.0.5", 50000, "10.0.1.7", 443).match_key(), 443);
  EXPECT_EQ(icmp_packet("10.0.0.5", "10.0.1.7", 3, 4).match_key(), 0x0304);
  EXPECT_EQ(protocol_packet("10.0.0.5", "10.0.1.7", 50).match_key(), 0);
}

TEST(PacketTest, FamilyFollowsTheAddresses) {
  EXPECT_EQ(tcp_packet("10.0.0.5", 1, "10.0.1.7", 2).family(), Family::kIpv4);
  EXPECT_EQ(tcp_packet("2001:db8::5", 1, "2001:db8::7", 2).family(), Family::kIpv6);
}

TEST(PacketTest, Prints) {
  EXPECT_EQ(tcp_packet("10.0.0.5", 50000, "10.0.1.7", 22).to_string(), "tcp 10.0.0.5:50000 -> 10.0.1.7:22");
  EXPECT_EQ(udp_packet("2001:db8::5", 50000, "2001:db8::53", 53).to_string(),
            "udp [2001:db8::5]:50000 -> [2001:db8::53]:53");
  EXPECT_EQ(icmp_packet("10.0.0.5", "10.0.1.7", 8).to_string(), "icmp 10.0.0.5 -> 10.0.1.7 type 8 code 0");
}

}  // namespace
}  // namespace vpcsim
