#include "sim/conntrack.h"

#include <gtest/gtest.h>

#include <unordered_map>
#include <unordered_set>

#include "tests/model/network_builder.h"

namespace vpcsim {
namespace {

using namespace vpcsim::test;
using enum Direction;

constexpr std::uint8_t kSyn = Packet::kSyn, kAck = Packet::kAck, kFin = Packet::kFin, kRst = Packet::kRst;
constexpr std::uint8_t kGre = 47;

Packet with_flags(Packet p, std::uint8_t flags) {
  p.tcp_flags = flags;
  return p;
}

// The client 10.0.0.5 (this interface) connects to the server 10.0.1.7:22.
const Packet kSshSyn = with_flags(tcp_packet("10.0.0.5", 50000, "10.0.1.7", 22), kSyn);
const Packet kSshSynAck = with_flags(kSshSyn.reply(), kSyn | kAck);
const Packet kSshAck = with_flags(kSshSyn, kAck);
const Packet kSshData = tcp_packet("10.0.0.5", 50000, "10.0.1.7", 22);  // no flags: flow fidelity

ConnState state_of(const ConntrackTable& t, const Packet& p, Direction d) { return t.find(conn_key(p, d))->state; }

// ---- keys ---------------------------------------------------------------------------------

TEST(ConnKeyTest, KeyIsFromTheInterfacesPointOfView) {
  const ConnKey out = conn_key(kSshSyn, kEgress);
  EXPECT_EQ(out.local, ip("10.0.0.5"));
  EXPECT_EQ(out.remote, ip("10.0.1.7"));
  EXPECT_EQ(out.local_port, 50000);
  EXPECT_EQ(out.remote_port, 22);
  EXPECT_EQ(out.protocol, Protocol::kTcp);

  const ConnKey in = conn_key(kSshSyn, kIngress);  // the same SYN arriving at the server
  EXPECT_EQ(in.local, ip("10.0.1.7"));
  EXPECT_EQ(in.remote, ip("10.0.0.5"));
  EXPECT_EQ(in.local_port, 22);
  EXPECT_EQ(in.remote_port, 50000);
}

TEST(ConnKeyTest, ReplyHasTheKeyOfItsRequest) {
  EXPECT_EQ(conn_key(kSshSyn, kEgress), conn_key(kSshSyn.reply(), kIngress));
  EXPECT_EQ(conn_key(kSshSyn, kIngress), conn_key(kSshSyn.reply(), kEgress));
  EXPECT_NE(conn_key(kSshSyn, kEgress), conn_key(kSshSyn, kIngress));
}

TEST(ConnKeyTest, IcmpAndOtherProtocolsAreKeyedByAddressesOnly) {
  Packet echo = icmp_packet("10.0.0.5", "10.0.1.7", 8);
  echo.src_port = 7;  // stray values must not leak into the key
  echo.dst_port = 9;
  const ConnKey k = conn_key(echo, kEgress);
  EXPECT_EQ(k.local_port, 0);
  EXPECT_EQ(k.remote_port, 0);
  EXPECT_EQ(k, conn_key(icmp_packet("10.0.1.7", "10.0.0.5", 0), kIngress));
  EXPECT_EQ(conn_key(protocol_packet("10.0.0.5", "10.0.1.7", kGre), kEgress).local_port, 0);
}

TEST(ConnKeyTest, HashSpreadsKeysAndSeparatesFamilies) {
  std::unordered_set<std::size_t> hashes;
  for (std::uint16_t port = 1024; port < 1024 + 5000; ++port) {
    hashes.insert(hash_value(conn_key(tcp_packet("10.0.0.5", port, "10.0.1.7", 443), kEgress)));
    hashes.insert(hash_value(conn_key(tcp_packet("10.0.0.5", 40000, "10.0.1.7", port), kEgress)));
  }
  for (std::uint32_t a = 0; a < 5000; ++a) {
    Packet p = tcp_packet("10.0.0.5", 40000, "10.0.1.7", 443);
    p.dst = IpAddress::v6(static_cast<U128>(a) << 100);  // only high bits vary
    hashes.insert(hash_value(conn_key(p, kEgress)));
  }
  EXPECT_EQ(hashes.size(), 15000u);

  Packet v4 = udp_packet("0.0.0.1", 1, "0.0.0.2", 2);
  Packet v6 = v4;
  v6.src = IpAddress::v6(1);
  v6.dst = IpAddress::v6(2);
  EXPECT_NE(conn_key(v4, kEgress), conn_key(v6, kEgress));
  EXPECT_NE(hash_value(conn_key(v4, kEgress)), hash_value(conn_key(v6, kEgress)));
  // Swapping local and remote is a different key with a different hash.
  EXPECT_NE(hash_value(conn_key(v4, kEgress)), hash_value(conn_key(v4, kIngress)));
}

// ---- matching -----------------------------------------------------------------------------

TEST(ConntrackTest, ReplyMatchesTheEntryCreatedByTheRequest) {
  ConntrackTable client;  // the request left this interface
  client.track(kSshSyn, kEgress, seconds(0));
  EXPECT_TRUE(client.match(kSshSynAck, kIngress, seconds(1)));

  ConntrackTable server;  // the request arrived at this interface
  server.track(kSshSyn, kIngress, seconds(0));
  EXPECT_TRUE(server.match(kSshSynAck, kEgress, seconds(1)));
  // And later packets of the initiator match as well.
  EXPECT_TRUE(server.match(kSshAck, kIngress, seconds(2)));
  EXPECT_EQ(server.size(), 1u);
}

TEST(ConntrackTest, UnrelatedPacketsDoNotMatch) {
  ConntrackTable t;
  t.track(kSshSyn, kEgress, seconds(0));
  const Packet reply = kSshSynAck;
  Packet other_peer = reply;
  other_peer.src = ip("10.0.1.8");
  Packet other_port = reply;
  other_port.dst_port = 50001;
  Packet other_service = reply;
  other_service.src_port = 23;
  Packet other_protocol = reply;
  other_protocol.protocol = Protocol::kUdp;
  EXPECT_FALSE(t.match(other_peer, kIngress, seconds(1)));
  EXPECT_FALSE(t.match(other_port, kIngress, seconds(1)));
  EXPECT_FALSE(t.match(other_service, kIngress, seconds(1)));
  EXPECT_FALSE(t.match(other_protocol, kIngress, seconds(1)));
  // The reply seen in the wrong direction (as if this interface had sent it) is another key.
  EXPECT_FALSE(t.match(reply, kEgress, seconds(1)));
  // ICMP between the same hosts is not part of the TCP connection (assumption A3).
  EXPECT_FALSE(t.match(icmp_packet("10.0.1.7", "10.0.0.5", 3, 4), kIngress, seconds(1)));
  EXPECT_EQ(t.size(), 1u);
  EXPECT_EQ(t.find(conn_key(kSshSyn, kEgress))->last_seen, seconds(0));
}

TEST(ConntrackTest, MatchOnAnEmptyTableIsFalse) {
  ConntrackTable t;
  EXPECT_FALSE(t.match(kSshSynAck, kIngress, seconds(0)));
  EXPECT_EQ(t.size(), 0u);
  EXPECT_FALSE(t.find(conn_key(kSshSyn, kEgress)).has_value());
  EXPECT_EQ(t.expiry(conn_key(kSshSyn, kEgress)), std::nullopt);
}

TEST(ConntrackTest, PacketsAreCountedPerSide) {
  ConntrackTable t;
  const ConnEntry& created = t.track(kSshSyn, kEgress, seconds(0));
  EXPECT_EQ(created.initiated, kEgress);
  EXPECT_EQ(created.packets_initiator, 1u);
  EXPECT_EQ(created.packets_responder, 0u);
  t.match(kSshSynAck, kIngress, seconds(1));
  t.match(kSshAck, kEgress, seconds(2));
  t.match(kSshAck, kEgress, seconds(3));
  const std::optional<ConnEntry> e = t.find(conn_key(kSshSyn, kEgress));
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->packets_initiator, 3u);
  EXPECT_EQ(e->packets_responder, 1u);
  EXPECT_EQ(e->created, seconds(0));
  EXPECT_EQ(e->last_seen, seconds(3));
}

TEST(ConntrackTest, TrackIsIdempotentForALiveKey) {
  ConntrackTable t;
  t.track(kSshSyn, kEgress, seconds(0));
  const ConnEntry& again = t.track(kSshSyn, kEgress, seconds(5));
  EXPECT_EQ(t.size(), 1u);
  EXPECT_EQ(again.created, seconds(0));
  EXPECT_EQ(again.last_seen, seconds(5));
  EXPECT_EQ(again.packets_initiator, 2u);
  EXPECT_EQ(again.state, ConnState::kTcpHandshake);
}

TEST(ConntrackTest, TrackReplacesADeadEntry) {
  ConntrackTable t;
  t.track(kSshSyn, kEgress, seconds(0));
  t.match(kSshSynAck, kIngress, seconds(1));
  // Established at 1 s; with a 60 s timeout it is dead at 61 s, and tracking starts afresh.
  t.set_timeouts({.tcp_established = seconds(60)});
  const ConnEntry& fresh = t.track(kSshData, kEgress, seconds(61));
  EXPECT_EQ(t.size(), 1u);
  EXPECT_EQ(fresh.created, seconds(61));
  EXPECT_EQ(fresh.packets_initiator, 1u);
  EXPECT_EQ(fresh.packets_responder, 0u);
}

// ---- TCP ----------------------------------------------------------------------------------

TEST(ConntrackTcpTest, SynOpensAHandshakeWithThe120sTimer) {
  ConntrackTable t;
  const ConnEntry& e = t.track(kSshSyn, kEgress, seconds(10));
  EXPECT_EQ(e.state, ConnState::kTcpHandshake);
  EXPECT_EQ(t.timeout_of(ConnState::kTcpHandshake), seconds(120));
  EXPECT_EQ(t.expiry(e.key), seconds(130));
}

TEST(ConntrackTcpTest, HandshakeUsesItsOwnTimer) {
  ConntrackTable t({.tcp_handshake = seconds(75), .tcp_closing = seconds(90)});
  t.track(kSshSyn, kIngress, seconds(0));
  EXPECT_EQ(t.expiry(conn_key(kSshSyn, kIngress)), seconds(75));
}

TEST(ConntrackTcpTest, SynAckFromTheResponderEstablishes) {
  ConntrackTable t;
  t.track(kSshSyn, kEgress, seconds(0));
  ASSERT_TRUE(t.match(kSshSynAck, kIngress, seconds(1)));
  EXPECT_EQ(state_of(t, kSshSyn, kEgress), ConnState::kTcpEstablished);
  EXPECT_EQ(t.expiry(conn_key(kSshSyn, kEgress)), seconds(1) + seconds(432'000));
}

TEST(ConntrackTcpTest, InitiatorAloneDoesNotEstablish) {
  ConntrackTable t;
  t.track(kSshSyn, kEgress, seconds(0));
  t.match(kSshSyn, kEgress, seconds(3));  // retransmitted SYN
  t.match(kSshAck, kEgress, seconds(4));  // an ACK before the responder said anything
  EXPECT_EQ(state_of(t, kSshSyn, kEgress), ConnState::kTcpHandshake);
  // Once the responder has spoken, the initiator's ACK completes it.
  t.match(with_flags(kSshSyn.reply(), kSyn), kIngress, seconds(5));  // simultaneous open
  EXPECT_EQ(state_of(t, kSshSyn, kEgress), ConnState::kTcpHandshake);
  t.match(with_flags(kSshSyn, kSyn | kAck), kEgress, seconds(6));
  EXPECT_EQ(state_of(t, kSshSyn, kEgress), ConnState::kTcpEstablished);
}

TEST(ConntrackTcpTest, EstablishedUsesTheInterfacesTimeout) {
  ConntrackTable custom({.tcp_established = seconds(60)});
  custom.track(kSshSyn, kIngress, seconds(0));
  custom.match(kSshSynAck, kEgress, seconds(1));
  EXPECT_EQ(custom.expiry(conn_key(kSshSyn, kIngress)), seconds(61));

  ConntrackTable nitro_v6({.tcp_established = ConntrackTimeouts::kNitroV6TcpEstablished});
  nitro_v6.track(kSshSyn, kIngress, seconds(0));
  nitro_v6.match(kSshSynAck, kEgress, seconds(1));
  EXPECT_EQ(nitro_v6.expiry(conn_key(kSshSyn, kIngress)), seconds(351));
  EXPECT_TRUE(nitro_v6.match(kSshData.reply(), kEgress, seconds(350)));
  EXPECT_FALSE(nitro_v6.match(kSshData.reply(), kEgress, seconds(700)));
}

TEST(ConntrackTcpTest, FlaglessFirstPacketIsEstablished) {
  ConntrackTable t;
  EXPECT_EQ(t.track(kSshData, kEgress, seconds(0)).state, ConnState::kTcpEstablished);
  // A bare ACK first (a connection picked up mid-stream) is established too.
  ConntrackTable u;
  EXPECT_EQ(u.track(kSshAck, kEgress, seconds(0)).state, ConnState::kTcpEstablished);
}

TEST(ConntrackTcpTest, FlaglessPacketsDoNotChangeTheState) {
  ConntrackTable t;
  t.track(kSshSyn, kEgress, seconds(0));
  t.match(kSshData.reply(), kIngress, seconds(1));
  EXPECT_EQ(state_of(t, kSshSyn, kEgress), ConnState::kTcpHandshake);
}

TEST(ConntrackTcpTest, FinFromEitherSideStartsClosing) {
  for (const bool from_server : {false, true}) {
    ConntrackTable t({.tcp_closing = seconds(45)});
    t.track(kSshSyn, kEgress, seconds(0));
    t.match(kSshSynAck, kIngress, seconds(1));
    const Packet fin = with_flags(from_server ? kSshSyn.reply() : kSshSyn, kFin | kAck);
    ASSERT_TRUE(t.match(fin, from_server ? kIngress : kEgress, seconds(10)));
    EXPECT_EQ(state_of(t, kSshSyn, kEgress), ConnState::kTcpClosing) << "from_server=" << from_server;
    EXPECT_EQ(t.expiry(conn_key(kSshSyn, kEgress)), seconds(55));
    // The last ACK keeps it closing.
    t.match(with_flags(from_server ? kSshSyn : kSshSyn.reply(), kAck), from_server ? kEgress : kIngress, seconds(11));
    EXPECT_EQ(state_of(t, kSshSyn, kEgress), ConnState::kTcpClosing);
  }
  EXPECT_EQ(ConntrackTable().timeout_of(ConnState::kTcpClosing), seconds(120));  // A1 default
}

TEST(ConntrackTcpTest, RstResetsWithThe10sTimer) {
  ConntrackTable t;
  t.track(kSshSyn, kEgress, seconds(0));
  t.match(kSshSynAck, kIngress, seconds(1));
  ASSERT_TRUE(t.match(with_flags(kSshSyn.reply(), kRst), kIngress, seconds(2)));
  EXPECT_EQ(state_of(t, kSshSyn, kEgress), ConnState::kTcpReset);
  EXPECT_EQ(t.expiry(conn_key(kSshSyn, kEgress)), seconds(12));
  // RST beats FIN, and nothing leaves the reset state but expiry.
  t.match(with_flags(kSshSyn, kFin | kAck), kEgress, seconds(3));
  EXPECT_EQ(state_of(t, kSshSyn, kEgress), ConnState::kTcpReset);
  EXPECT_EQ(t.expiry(conn_key(kSshSyn, kEgress)), seconds(13));
  EXPECT_TRUE(t.match(kSshAck, kEgress, seconds(12)));
  EXPECT_FALSE(t.match(kSshAck, kEgress, seconds(22)));
}

TEST(ConntrackTcpTest, FinOrRstAsFirstTrackedPacketEndsAtOnce) {
  ConntrackTable t;
  EXPECT_EQ(t.track(with_flags(kSshSyn, kRst | kFin), kEgress, seconds(0)).state, ConnState::kTcpReset);
  ConntrackTable u;
  EXPECT_EQ(u.track(with_flags(kSshSyn, kFin | kAck), kEgress, seconds(0)).state, ConnState::kTcpClosing);
}

TEST(ConntrackTcpTest, RstAnswerToASynResets) {
  ConntrackTable t;
  t.track(kSshSyn, kEgress, seconds(0));
  ASSERT_TRUE(t.match(with_flags(kSshSyn.reply(), kRst | kAck), kIngress, seconds(1)));
  EXPECT_EQ(state_of(t, kSshSyn, kEgress), ConnState::kTcpReset);
}

TEST(ConntrackTcpTest, NewSynOnAnEndedConnectionIsJudgedAsNew) {
  ConntrackTable t;
  t.track(kSshSyn, kEgress, seconds(0));
  t.match(kSshSynAck, kIngress, seconds(1));
  t.match(with_flags(kSshSyn, kFin | kAck), kEgress, seconds(2));
  EXPECT_FALSE(t.match(kSshSyn, kEgress, seconds(3)));
  EXPECT_EQ(t.size(), 0u);
  // While established, a stray SYN stays part of the connection.
  t.track(kSshSyn, kEgress, seconds(4));
  t.match(kSshSynAck, kIngress, seconds(5));
  EXPECT_TRUE(t.match(kSshSyn, kEgress, seconds(6)));
  EXPECT_EQ(state_of(t, kSshSyn, kEgress), ConnState::kTcpEstablished);
}

// ---- UDP ----------------------------------------------------------------------------------

const Packet kDnsQuery = udp_packet("10.0.0.5", 40000, "10.0.0.2", 53);

TEST(ConntrackUdpTest, SingleExchangeUsesThe30sTimer) {
  ConntrackTable t;
  EXPECT_EQ(t.track(kDnsQuery, kEgress, seconds(0)).state, ConnState::kUdpSingle);
  ASSERT_TRUE(t.match(kDnsQuery.reply(), kIngress, seconds(1)));
  EXPECT_EQ(state_of(t, kDnsQuery, kEgress), ConnState::kUdpSingle);
  EXPECT_EQ(t.expiry(conn_key(kDnsQuery, kEgress)), seconds(31));
  EXPECT_FALSE(t.match(kDnsQuery.reply(), kIngress, seconds(31)));
}

TEST(ConntrackUdpTest, OneWayTrafficStaysSingle) {
  ConntrackTable t;
  t.track(kDnsQuery, kEgress, seconds(0));
  for (int i = 1; i <= 10; ++i) t.match(kDnsQuery, kEgress, seconds(i));
  EXPECT_EQ(state_of(t, kDnsQuery, kEgress), ConnState::kUdpSingle);
  EXPECT_EQ(t.expiry(conn_key(kDnsQuery, kEgress)), seconds(40));
}

TEST(ConntrackUdpTest, SecondTransactionMakesAStreamWithThe180sTimer) {
  ConntrackTable t;
  t.track(kDnsQuery, kEgress, seconds(0));
  t.match(kDnsQuery.reply(), kIngress, seconds(1));
  t.match(kDnsQuery, kEgress, seconds(2));
  EXPECT_EQ(state_of(t, kDnsQuery, kEgress), ConnState::kUdpSingle);  // reply still pending
  t.match(kDnsQuery.reply(), kIngress, seconds(3));
  EXPECT_EQ(state_of(t, kDnsQuery, kEgress), ConnState::kUdpStream);
  EXPECT_EQ(t.expiry(conn_key(kDnsQuery, kEgress)), seconds(183));
  EXPECT_TRUE(t.match(kDnsQuery, kEgress, seconds(100)));  // past 30 s idle, still live
}

TEST(ConntrackUdpTest, UdpTimeoutsFollowTheInterfaceConfiguration) {
  ConntrackTable t({.udp_stream = seconds(60), .udp = seconds(45)});
  t.track(kDnsQuery, kIngress, seconds(0));
  EXPECT_EQ(t.expiry(conn_key(kDnsQuery, kIngress)), seconds(45));
  t.match(kDnsQuery.reply(), kEgress, seconds(1));
  t.match(kDnsQuery, kIngress, seconds(2));
  t.match(kDnsQuery.reply(), kEgress, seconds(3));
  EXPECT_EQ(t.expiry(conn_key(kDnsQuery, kIngress)), seconds(63));
}

// ---- ICMP and other protocols -------------------------------------------------------------

TEST(ConntrackIcmpTest, EchoReplyMatchesTheEchoRequest) {
  ConntrackTable t;
  const Packet ping = icmp_packet("10.0.0.5", "10.0.1.7", 8);
  EXPECT_EQ(t.track(ping, kEgress, seconds(0)).state, ConnState::kIcmp);
  EXPECT_TRUE(t.match(ping.reply(), kIngress, seconds(1)));
  EXPECT_EQ(t.expiry(conn_key(ping, kEgress)), seconds(31));  // A2: 30 s

  ConntrackTable v6;
  const Packet ping6 = icmp_packet("2001:db8::5", "2001:db8::7", 128);
  ASSERT_EQ(ping6.reply().icmp_type, 129);
  v6.track(ping6, kIngress, seconds(0));
  EXPECT_TRUE(v6.match(ping6.reply(), kEgress, seconds(1)));
  // IPv4 ICMP between addresses that only look alike is another connection.
  EXPECT_FALSE(v6.match(icmp_packet("0.0.0.7", "0.0.0.5", 0), kEgress, seconds(1)));
}

TEST(ConntrackIcmpTest, IcmpExpiresAfter30sIdle) {
  ConntrackTable t;
  const Packet ping = icmp_packet("10.0.0.5", "10.0.1.7", 8);
  t.track(ping, kEgress, seconds(0));
  EXPECT_FALSE(t.match(ping.reply(), kIngress, seconds(30)));
}

TEST(ConntrackOtherTest, OtherProtocolsAreTrackedFor600s) {
  ConntrackTable t;
  const Packet gre = protocol_packet("10.0.0.5", "198.51.100.1", kGre);
  EXPECT_EQ(t.track(gre, kEgress, seconds(0)).state, ConnState::kOther);
  EXPECT_EQ(t.expiry(conn_key(gre, kEgress)), seconds(600));
  // The peer sending the same protocol back within 600 s is response traffic (EC2 User Guide).
  EXPECT_TRUE(t.match(gre.reply(), kIngress, seconds(599)));
  EXPECT_FALSE(t.match(protocol_packet("198.51.100.1", "10.0.0.5", 50), kIngress, seconds(599)));  // ESP
  EXPECT_FALSE(t.match(gre.reply(), kIngress, seconds(599 + 600)));
}

// ---- time ---------------------------------------------------------------------------------

TEST(ConntrackExpiryTest, EntryIsLiveUntilJustBeforeItsTimeout) {
  const SimTime one_ns = std::chrono::nanoseconds(1);
  ConntrackTable t;
  t.track(kDnsQuery, kEgress, seconds(0));
  EXPECT_TRUE(t.match(kDnsQuery.reply(), kIngress, seconds(30) - one_ns));  // idle 30 s - 1 ns: live

  ConntrackTable u;
  u.track(kDnsQuery, kEgress, seconds(0));
  EXPECT_FALSE(u.match(kDnsQuery.reply(), kIngress, seconds(30)));  // idle exactly 30 s: dead
  EXPECT_EQ(u.size(), 0u);                                          // and erased
}

TEST(ConntrackExpiryTest, RefreshExtendsTheExpiry) {
  ConntrackTable t;
  const ConnKey k = t.track(kDnsQuery, kEgress, seconds(0)).key;
  EXPECT_EQ(t.expiry(k), seconds(30));
  ASSERT_TRUE(t.match(kDnsQuery.reply(), kIngress, seconds(20)));
  EXPECT_EQ(t.expiry(k), seconds(50));
  EXPECT_TRUE(t.match(kDnsQuery, kEgress, seconds(45)));  // would be dead without the refresh
}

TEST(ConntrackExpiryTest, ExpireIfDueOnlyRemovesADueEntry) {
  ConntrackTable t;
  const ConnKey k = t.track(kDnsQuery, kEgress, seconds(0)).key;
  t.match(kDnsQuery.reply(), kIngress, seconds(10));  // refreshed after the event was scheduled at 30 s
  EXPECT_FALSE(t.expire_if_due(k, seconds(30)));
  EXPECT_EQ(t.size(), 1u);
  EXPECT_FALSE(t.expire_if_due(k, seconds(40) - std::chrono::nanoseconds(1)));
  EXPECT_TRUE(t.expire_if_due(k, seconds(40)));
  EXPECT_EQ(t.size(), 0u);
  EXPECT_FALSE(t.expire_if_due(k, seconds(40)));  // already gone
  EXPECT_FALSE(t.expire_if_due(conn_key(kSshSyn, kEgress), seconds(1000)));
}

TEST(ConntrackExpiryTest, SetTimeoutsChangesTheExpiryOfLiveEntries) {
  ConntrackTable t;
  const ConnKey k = t.track(kSshData, kEgress, seconds(0)).key;
  EXPECT_EQ(t.expiry(k), seconds(432'000));
  t.set_timeouts({.tcp_established = ConntrackTimeouts::kNitroV6TcpEstablished});
  EXPECT_EQ(t.timeouts().tcp_established, seconds(350));
  EXPECT_EQ(t.expiry(k), seconds(350));
  EXPECT_TRUE(t.expire_if_due(k, seconds(400)));

  // Lengthening: an entry that would have died is kept.
  t.set_timeouts({.tcp_established = seconds(60)});
  t.track(kSshData, kEgress, seconds(0));
  t.set_timeouts({.tcp_established = seconds(120)});
  EXPECT_TRUE(t.match(kSshData.reply(), kIngress, seconds(90)));
}

TEST(ConntrackExpiryTest, ExpireAllDueSweepsOnlyDeadEntries) {
  ConntrackTable t;
  t.track(kDnsQuery, kEgress, seconds(0));                                // udp: dies at 30 s
  t.track(kSshData, kEgress, seconds(0));                                 // tcp: 5 days
  t.track(icmp_packet("10.0.0.5", "10.0.1.7", 8), kEgress, seconds(10));  // icmp: dies at 40 s
  EXPECT_EQ(t.expire_all_due(seconds(30)), 1u);
  EXPECT_EQ(t.size(), 2u);
  EXPECT_FALSE(t.find(conn_key(kDnsQuery, kEgress)).has_value());
  EXPECT_TRUE(t.find(conn_key(kSshData, kEgress)).has_value());
}

TEST(ConntrackStateTest, EachStateHasItsOwnTimeout) {
  const ConntrackTable t({.tcp_established = seconds(1),
                          .udp_stream = seconds(2),
                          .udp = seconds(3),
                          .other = seconds(4),
                          .tcp_handshake = seconds(5),
                          .tcp_closing = seconds(6),
                          .tcp_reset = seconds(7),
                          .icmp = seconds(8)});
  EXPECT_EQ(t.timeout_of(ConnState::kTcpEstablished), seconds(1));
  EXPECT_EQ(t.timeout_of(ConnState::kUdpStream), seconds(2));
  EXPECT_EQ(t.timeout_of(ConnState::kUdpSingle), seconds(3));
  EXPECT_EQ(t.timeout_of(ConnState::kOther), seconds(4));
  EXPECT_EQ(t.timeout_of(ConnState::kTcpHandshake), seconds(5));
  EXPECT_EQ(t.timeout_of(ConnState::kTcpClosing), seconds(6));
  EXPECT_EQ(t.timeout_of(ConnState::kTcpReset), seconds(7));
  EXPECT_EQ(t.timeout_of(ConnState::kIcmp), seconds(8));
  // AWS defaults (ConnectionTrackingConfiguration; "other" from the EC2 User Guide).
  const ConntrackTable aws;
  EXPECT_EQ(aws.timeout_of(ConnState::kTcpEstablished), seconds(432'000));
  EXPECT_EQ(aws.timeout_of(ConnState::kUdpStream), seconds(180));
  EXPECT_EQ(aws.timeout_of(ConnState::kUdpSingle), seconds(30));
  EXPECT_EQ(aws.timeout_of(ConnState::kOther), seconds(600));
}

// ---- storage ------------------------------------------------------------------------------

// The UDP packet from 10.0.0.5:(10000 + i) to 10.0.1.7:53: a distinct key per i.
Packet udp_from(std::uint32_t i) {
  return udp_packet("10.0.0.5", static_cast<std::uint16_t>(10000 + i), "10.0.1.7", 53);
}

// Many inserts and erases in a pseudo-random order (erasure shifts probe runs back): the table
// holds exactly what a reference set holds, and every entry stays in the slot it was given.
TEST(ConntrackStorageTest, ErasingKeepsEveryOtherEntryFindableInItsSlot) {
  ConntrackTable t;
  std::unordered_map<std::uint32_t, std::uint32_t> slot_of;  // i -> slot
  std::uint64_t x = 12345;
  for (int step = 0; step < 20000; ++step) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    const auto i = static_cast<std::uint32_t>((x >> 33) % 3000);
    const PackedConnKey key = packed_conn_key(udp_from(i), kEgress);
    const auto it = t.lookup(key);
    ASSERT_EQ(t.found(it), slot_of.contains(i)) << "step " << step;
    if (t.found(it)) {
      ASSERT_EQ(t.index(it), slot_of[i]);
      t.erase(it);
      slot_of.erase(i);
    } else {
      const auto [entry, fresh] = t.track_entry(udp_from(i), kEgress, seconds(1));
      ASSERT_TRUE(fresh);
      slot_of[i] = t.index(entry);
    }
    ASSERT_EQ(t.size(), slot_of.size());
  }
  for (const auto& [i, slot] : slot_of) {
    const auto it = t.lookup(packed_conn_key(udp_from(i), kEgress));
    ASSERT_TRUE(t.found(it));
    EXPECT_EQ(t.index(it), slot);
  }
}

// A kept slot index finds its entry without a lookup, and one that no longer holds the key
// (erased, or reused by another key) falls back to the lookup.
TEST(ConntrackStorageTest, AHintIsCheckedAgainstTheKey) {
  ConntrackTable t;
  const auto a = t.track_entry(udp_from(1), kEgress, seconds(1)).first;
  const std::uint32_t slot_a = t.index(a);
  const PackedConnKey key_a = packed_conn_key(udp_from(1), kEgress);
  EXPECT_EQ(t.lookup(key_a, slot_a), t.slot(slot_a));
  EXPECT_EQ(t.lookup(key_a, ConntrackTable::kNoHint), t.slot(slot_a));
  t.erase(a);
  EXPECT_FALSE(t.found(t.lookup(key_a, slot_a)));  // the slot is free: no entry
  // The freed slot is reused by another key; the hint then misleads and the lookup decides.
  const auto b = t.track_entry(udp_from(2), kEgress, seconds(2)).first;
  EXPECT_EQ(t.index(b), slot_a);
  EXPECT_FALSE(t.found(t.lookup(key_a, slot_a)));
  const auto a2 = t.track_entry(udp_from(1), kEgress, seconds(3)).first;
  EXPECT_EQ(t.lookup(key_a, slot_a), a2);
}

// The timer counter of a slot is the owner's, except that erasing the entry bumps it (so a
// timer armed for the erased entry is stale) and reusing the slot never resets it.
TEST(ConntrackStorageTest, ErasureBumpsTheSlotsTimerCounter) {
  ConntrackTable t;
  auto it = t.track_entry(udp_from(1), kEgress, seconds(1)).first;
  const std::uint32_t slot = t.index(it);
  const std::uint32_t armed = ++it->conn.timer;  // an owner arms a timer
  t.erase(it);
  EXPECT_NE(t.slot(slot)->conn.timer, armed);
  EXPECT_FALSE(t.slot(slot)->conn.in_use);
  it = t.track_entry(udp_from(2), kEgress, seconds(2)).first;
  ASSERT_EQ(t.index(it), slot);
  EXPECT_NE(it->conn.timer, armed);
  EXPECT_TRUE(it->conn.in_use);
  // A dead entry replaced by track keeps its slot; its counter is left for the owner to bump.
  const std::uint32_t before = it->conn.timer;
  const auto [again, fresh] = t.track_entry(udp_from(2), kEgress, seconds(2) + t.timeout_of(ConnState::kUdpSingle));
  EXPECT_TRUE(fresh);
  EXPECT_EQ(t.index(again), slot);
  EXPECT_EQ(again->conn.timer, before);
  EXPECT_EQ(t.size(), 1u);
}

TEST(ConntrackStateTest, StatesHaveNames) {
  EXPECT_EQ(to_string(ConnState::kTcpEstablished), "tcp-established");
  EXPECT_EQ(to_string(ConnState::kUdpStream), "udp-stream");
  EXPECT_EQ(to_string(ConnState::kOther), "other");
}

}  // namespace
}  // namespace vpcsim
