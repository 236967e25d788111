// Replay decisions (sim/replay.h) on scenarios/flowlogs/aws-examples.textproto: web
// (eni-1235b8ca123456789, 172.31.16.139) and admin (eni-0a1b2c3d4e5f60718, 172.31.9.69) in two
// subnets; web's ACL lets ICMP in but not out.
#include "sim/replay.h"

#include <gtest/gtest.h>

#include "io/scenario_loader.h"

namespace vpcsim {
namespace {

constexpr std::string_view kWeb = "eni-1235b8ca123456789";
constexpr std::string_view kAdmin = "eni-0a1b2c3d4e5f60718";

const Scenario& examples() {
  static const Scenario s = [] {
    auto loaded = io::load_scenario_file(std::string(VPCSIM_SOURCE_DIR) + "/scenarios/flowlogs/aws-examples.textproto");
    if (!loaded) throw std::runtime_error(loaded.error().front().format());
    return std::move(*loaded);
  }();
  return s;
}

FlowObservation record(std::string_view eni, std::string_view src, std::string_view dst, std::uint8_t proto,
                       std::uint16_t sport, std::uint16_t dport, std::int64_t start) {
  FlowObservation r;
  r.interface_id = eni;
  r.packet = Packet::make(*IpAddress::parse(src), *IpAddress::parse(dst), proto, sport, dport);
  r.start = r.end = start;
  return r;
}

ReplayDecision replay_ok(Replayer& rp, const FlowObservation& r) {
  auto d = rp.replay(r);
  EXPECT_TRUE(d.has_value());
  return d ? *d : ReplayDecision{};
}

TEST(Replayer, IngressRecordCrossesNaclThenSecurityGroups) {
  Replayer rp(examples().network, FilteringModel::kStateful);
  const auto d = replay_ok(rp, record(kWeb, "172.31.9.69", "172.31.16.139", Protocol::kTcp, 50022, 22, 100));
  EXPECT_EQ(d.direction, Direction::kIngress);
  ASSERT_EQ(d.trace.hops.size(), 2u);
  EXPECT_EQ(d.trace.hops[0].hop, Hop::kNaclIngress);
  EXPECT_EQ(d.trace.hops[1].hop, Hop::kSgIngress);
  EXPECT_TRUE(d.accepted());
  EXPECT_EQ(decision_text(examples().network, d.deciding_hop()), "sg-web ingress #1: tcp 22 from 172.31.0.0/16");
}

TEST(Replayer, EgressRecordCrossesSecurityGroupsThenNacl) {
  Replayer rp(examples().network, FilteringModel::kStateful);
  const auto d = replay_ok(rp, record(kWeb, "172.31.16.139", "52.95.128.179", Protocol::kTcp, 34210, 80, 100));
  EXPECT_EQ(d.direction, Direction::kEgress);
  ASSERT_EQ(d.trace.hops.size(), 2u);
  EXPECT_EQ(d.trace.hops[0].hop, Hop::kSgEgress);
  EXPECT_EQ(d.trace.hops[1].hop, Hop::kNaclEgress);
  EXPECT_TRUE(d.accepted());
}

TEST(Replayer, PeerInTheSameSubnetCrossesNoNacl) {
  Replayer rp(examples().network, FilteringModel::kStateful);
  const auto d = replay_ok(rp, record(kWeb, "172.31.16.139", "172.31.16.21", Protocol::kTcp, 20641, 22, 100));
  ASSERT_EQ(d.trace.hops.size(), 1u);
  EXPECT_EQ(d.trace.hops[0].hop, Hop::kSgEgress);
}

TEST(Replayer, NaclRejectsTheReplyOfAnAcceptedPing) {
  // VPC User Guide, "Flow log record examples": inbound ping ACCEPT, outbound reply REJECT.
  for (const FilteringModel m : {FilteringModel::kStateful, FilteringModel::kStateless}) {
    Replayer rp(examples().network, m);
    const auto in = replay_ok(rp, record(kWeb, "203.0.113.12", "172.31.16.139", Protocol::kIcmp, 0, 0, 1432917027));
    EXPECT_TRUE(in.accepted());
    EXPECT_EQ(in.trace.packet.icmp_type, 8);  // taken as an echo request
    const auto out = replay_ok(rp, record(kWeb, "172.31.16.139", "203.0.113.12", Protocol::kIcmp, 0, 0, 1432917094));
    EXPECT_FALSE(out.accepted());
    EXPECT_EQ(out.trace.packet.icmp_type, 0);  // the reply of the request seen before
    EXPECT_EQ(out.deciding_hop().hop, Hop::kNaclEgress);
    EXPECT_EQ(out.deciding_hop().reason, Reason::kImplicitDeny);
  }
}

TEST(Replayer, StatefulReplyPassesThroughTrackingStatelessDropsIt) {
  // admin's group has no inbound rule: only connection tracking lets the SSH reply in.
  const auto request = record(kAdmin, "172.31.9.69", "172.31.16.139", Protocol::kTcp, 50022, 22, 1000);
  const auto reply = record(kAdmin, "172.31.16.139", "172.31.9.69", Protocol::kTcp, 22, 50022, 1001);
  Replayer stateful(examples().network, FilteringModel::kStateful);
  EXPECT_TRUE(replay_ok(stateful, request).accepted());
  const auto tracked = replay_ok(stateful, reply);
  EXPECT_TRUE(tracked.accepted());
  EXPECT_EQ(tracked.deciding_hop().reason, Reason::kTracked);

  Replayer stateless(examples().network, FilteringModel::kStateless);
  EXPECT_TRUE(replay_ok(stateless, request).accepted());
  const auto dropped = replay_ok(stateless, reply);
  EXPECT_FALSE(dropped.accepted());
  EXPECT_EQ(dropped.deciding_hop().hop, Hop::kSgIngress);
  EXPECT_EQ(dropped.deciding_hop().reason, Reason::kNoRuleMatched);
}

TEST(Replayer, ReplyWithoutItsRequestIsJudgedByTheRules) {
  Replayer rp(examples().network, FilteringModel::kStateful);
  const auto d = replay_ok(rp, record(kAdmin, "172.31.16.139", "172.31.9.69", Protocol::kTcp, 22, 50022, 1001));
  EXPECT_FALSE(d.accepted());
}

TEST(Replayer, TrackingExpiresAfterTheIdleTimeout) {
  // UDP one-way or single exchange: UdpTimeout, 30 s by default (EC2 API
  // ConnectionTrackingConfiguration). Tracked until `end`, so the clock starts there.
  Replayer rp(examples().network, FilteringModel::kStateful);
  auto request = record(kAdmin, "172.31.9.69", "172.31.16.139", Protocol::kUdp, 40000, 53, 1000);
  request.end = 1005;
  EXPECT_TRUE(replay_ok(rp, request).accepted());
  EXPECT_TRUE(
      replay_ok(rp, record(kAdmin, "172.31.16.139", "172.31.9.69", Protocol::kUdp, 53, 40000, 1034)).accepted());
  // The reply refreshed it at 1034; 30 s of silence later it is gone.
  EXPECT_FALSE(
      replay_ok(rp, record(kAdmin, "172.31.16.139", "172.31.9.69", Protocol::kUdp, 53, 40000, 1064)).accepted());
}

// A long flow log of short connections: the tables keep the connections live at the time,
// not every connection ever replayed, and tracking still decides as before.
TEST(Replayer, DeadConnectionsAreSweptAsTheLogGoesOn) {
  Replayer rp(examples().network, FilteringModel::kStateful);
  constexpr int kRecords = 50'000;  // 10 a second, each its own UDP connection (30 s timeout)
  for (int i = 0; i < kRecords; ++i) {
    const auto port = static_cast<std::uint16_t>(10'000 + i);
    ASSERT_TRUE(replay_ok(rp, record(kAdmin, "172.31.9.69", "172.31.16.139", Protocol::kUdp, port, 53, 1000 + i / 10))
                    .accepted());
  }
  // About 300 live at the end; a sweep waits for its table to double (at least 4,096).
  EXPECT_LT(rp.tracked_connections(), 10'000u);
  const std::int64_t last = 1000 + (kRecords - 1) / 10;
  const auto recent = replay_ok(rp, record(kAdmin, "172.31.16.139", "172.31.9.69", Protocol::kUdp, 53,
                                           static_cast<std::uint16_t>(10'000 + kRecords - 1), last + 1));
  EXPECT_TRUE(recent.accepted());
  EXPECT_EQ(recent.deciding_hop().reason, Reason::kTracked);
  EXPECT_FALSE(
      replay_ok(rp, record(kAdmin, "172.31.16.139", "172.31.9.69", Protocol::kUdp, 53, 10'000, last + 1)).accepted());
}

TEST(Replayer, UntrackedFlowsAreJudgedByTheRulesBothWays) {
  auto loaded = io::load_scenario_string(R"pb(
                                           model: STATEFUL
                                           vpc { id: "vpc-u" cidr_blocks: "10.0.0.0/16" internet_gateway: true }
                                           subnets { id: "s" cidr: "10.0.1.0/24" internet_route: true }
                                           security_groups {
                                             id: "sg-open"
                                             defaults: AWS_NEW_GROUP
                                             ingress { protocol: "tcp" ports: "80" cidr: "0.0.0.0/0" }
                                           }
                                           instances {
                                             name: "web"
                                             interfaces {
                                               id: "eni-web"
                                               subnet: "s"
                                               private_ips: "10.0.1.10"
                                               public_ip: "192.0.2.10"
                                               security_groups: "sg-open"
                                             }
                                           }
                                         )pb",
                                         "untracked.textproto", io::ScenarioFormat::kText);
  ASSERT_TRUE(loaded) << loaded.error().front().format();
  Replayer rp(loaded->network, FilteringModel::kStateful);
  const auto in = replay_ok(rp, record("eni-web", "198.51.100.1", "10.0.1.10", Protocol::kTcp, 41000, 80, 10));
  EXPECT_TRUE(in.accepted());
  EXPECT_TRUE(in.deciding_hop().untracked);
  const auto out = replay_ok(rp, record("eni-web", "10.0.1.10", "198.51.100.1", Protocol::kTcp, 80, 41000, 11));
  EXPECT_TRUE(out.accepted());
  EXPECT_EQ(out.deciding_hop().reason, Reason::kRuleAllowed);  // the all-outbound rule, not state
}

TEST(Replayer, FlowDirectionFieldWinsOverAddresses) {
  Replayer rp(examples().network, FilteringModel::kStateful);
  auto r = record(kWeb, "172.31.9.69", "172.31.16.139", Protocol::kTcp, 50022, 22, 100);
  r.direction = Direction::kEgress;
  EXPECT_EQ(replay_ok(rp, r).direction, Direction::kEgress);
}

TEST(Replayer, RecordsThatCannotBeReplayedSayWhy) {
  Replayer rp(examples().network, FilteringModel::kStateful);
  EXPECT_EQ(rp.replay(record("-", "10.0.0.1", "10.0.0.2", 6, 1, 2, 0)).error(), SkipReason::kNoInterface);
  EXPECT_EQ(rp.replay(record("eni-unknown", "10.0.0.1", "10.0.0.2", 6, 1, 2, 0)).error(),
            SkipReason::kUnknownInterface);
  EXPECT_EQ(rp.replay(record(kWeb, "10.0.0.1", "10.0.0.2", 6, 1, 2, 0)).error(), SkipReason::kUnknownDirection);
}

TEST(Replayer, AwsServiceTrafficIsSkippedInBothModels) {
  // VPC User Guide, "Security in Amazon VPC": security groups and network ACLs never filter the
  // instance metadata service, the VPC's DNS server (172.31.0.2 here) or the Time Sync Service.
  for (const FilteringModel m : {FilteringModel::kStateful, FilteringModel::kStateless}) {
    Replayer rp(examples().network, m);
    EXPECT_EQ(rp.replay(record(kWeb, "172.31.16.139", "169.254.169.254", Protocol::kTcp, 50000, 80, 100)).error(),
              SkipReason::kAwsService);
    EXPECT_EQ(rp.replay(record(kWeb, "169.254.169.254", "172.31.16.139", Protocol::kTcp, 80, 50000, 100)).error(),
              SkipReason::kAwsService);
    EXPECT_EQ(rp.replay(record(kAdmin, "172.31.9.69", "172.31.0.2", Protocol::kUdp, 50000, 53, 100)).error(),
              SkipReason::kAwsService);
    EXPECT_EQ(rp.replay(record(kAdmin, "172.31.9.69", "169.254.169.123", Protocol::kUdp, 50000, 123, 100)).error(),
              SkipReason::kAwsService);
    // Not a service: judged (and web's outbound ACL has no UDP entry).
    const auto d = replay_ok(rp, record(kWeb, "172.31.16.139", "169.254.169.252", Protocol::kUdp, 50000, 123, 100));
    EXPECT_FALSE(d.accepted());
  }
  EXPECT_EQ(to_string(SkipReason::kAwsService), "aws-service");
}

TEST(ReplayOrder, StableByStartWithRepliesOfOneSecondLast) {
  std::vector<FlowObservation> rs{
      record(kWeb, "52.95.128.179", "172.31.16.139", Protocol::kTcp, 80, 34210, 5),  // reply-like
      record(kWeb, "172.31.16.139", "52.95.128.179", Protocol::kTcp, 34210, 80, 5),
      record(kWeb, "172.31.16.139", "52.95.128.179", Protocol::kTcp, 34211, 80, 1),
      record(kWeb, "172.31.16.139", "52.95.128.179", Protocol::kIcmp, 0, 0, 5),
  };
  EXPECT_EQ(replay_order(rs), (std::vector<std::uint32_t>{2, 1, 3, 0}));
}

}  // namespace
}  // namespace vpcsim
