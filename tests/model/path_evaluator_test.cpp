#include "model/path_evaluator.h"

#include <gtest/gtest.h>

#include <vector>

#include "model/compiled_filters.h"
#include "tests/model/network_builder.h"

namespace vpcsim {
namespace {

using namespace vpcsim::test;

constexpr std::uint16_t kClientPort = 50000;  // an ephemeral port, as a client would pick

std::vector<Hop> hops_of(const PathTrace& t) {
  std::vector<Hop> out;
  for (const HopResult& h : t.hops) out.push_back(h.hop);
  return out;
}

// A VPC with an internet gateway, a public and a private subnet, and an admin on the internet.
// Groups start empty; each test writes the rules its lesson is about.
class PathEvaluatorTest : public ::testing::Test {
 protected:
  PathEvaluatorTest() {
    b.internet_gateway();
    b.eni(web).public_ipv4 = ip("203.0.113.10");
    b.associate(priv, acl_private);
    for (const Direction d : {Direction::kIngress, Direction::kEgress}) {
      b.nacl_entry(acl_private, d, 100, RuleAction::kAllow, TrafficMatch::all(), "0.0.0.0/0");
    }
  }

  // Compiles the filters afresh, as the simulator does after every change.
  PathTrace trace(const Endpoint& from, const Endpoint& to, std::uint16_t port) {
    const CompiledFilters filters(b.net());
    const PathEvaluator eval(b.net(), filters);
    return eval.trace(from, to, packet(eval, from, to, Protocol::kTcp, port));
  }
  Exchange exchange(const Endpoint& client, const Endpoint& server, std::uint16_t port, FilteringModel model,
                    std::uint8_t protocol = Protocol::kTcp) {
    const CompiledFilters filters(b.net());
    const PathEvaluator eval(b.net(), filters);
    return eval.exchange(client, server, packet(eval, client, server, protocol, port), model);
  }
  static Packet packet(const PathEvaluator& eval, const Endpoint& from, const Endpoint& to, std::uint8_t protocol,
                       std::uint16_t port) {
    const auto p = eval.make_packet(from, to, Family::kIpv4, protocol, kClientPort, port, 8, 0);
    EXPECT_TRUE(p.has_value()) << p.error();
    return p.value_or(Packet{});
  }
  void allow_all(SgId sg) {
    b.ingress(sg, TrafficMatch::all(), cidr("0.0.0.0/0"));
    b.egress(sg, TrafficMatch::all(), cidr("0.0.0.0/0"));
  }

  NetworkBuilder b;
  SubnetId pub = b.subnet("subnet-public", "10.0.1.0/24", true);
  SubnetId priv = b.subnet("subnet-private", "10.0.2.0/24");
  NaclId acl_private = b.nacl("acl-private");
  SgId sg_web = b.sg("sg-web");
  SgId sg_app = b.sg("sg-app");
  EniId web = b.instance("web", pub, "10.0.1.10", {sg_web});
  EniId web2 = b.instance("web2", pub, "10.0.1.11", {sg_web});
  EniId app = b.instance("app", priv, "10.0.2.10", {sg_app});
  ExternalHostId admin = b.external_host("admin", "198.51.100.7");
};

TEST_F(PathEvaluatorTest, SameSubnetSkipsNacls) {
  allow_all(sg_web);
  const NaclId closed = b.nacl("acl-closed");  // denies everything, but is never consulted
  b.associate(pub, closed);
  const PathTrace t = trace(web, web2, 80);
  EXPECT_EQ(hops_of(t), (std::vector{Hop::kSgEgress, Hop::kNaclEgress, Hop::kNaclIngress, Hop::kSgIngress}));
  EXPECT_TRUE(t.delivered());
  EXPECT_EQ(t.drop(), nullptr);
  for (const std::size_t i : {1u, 2u}) {
    EXPECT_EQ(t.hops[i].outcome, Outcome::kSkipped);
    EXPECT_EQ(t.hops[i].reason, Reason::kSameSubnet);
    EXPECT_EQ(t.hops[i].nacl, closed);
    EXPECT_EQ(t.hops[i].subnet, pub);
  }
}

TEST_F(PathEvaluatorTest, CrossSubnetOrderIsSgEgressNaclEgressNaclIngressSgIngress) {
  allow_all(sg_web);
  allow_all(sg_app);
  const PathTrace t = trace(web, app, 5432);
  ASSERT_TRUE(t.delivered());
  EXPECT_EQ(hops_of(t), (std::vector{Hop::kSgEgress, Hop::kNaclEgress, Hop::kNaclIngress, Hop::kSgIngress}));
  EXPECT_EQ(t.hops[0].eni, web);
  EXPECT_EQ(t.hops[1].nacl, b.net().vpc.default_nacl);
  EXPECT_EQ(t.hops[1].subnet, pub);
  EXPECT_EQ(t.hops[2].nacl, acl_private);
  EXPECT_EQ(t.hops[2].subnet, priv);
  EXPECT_EQ(t.hops[3].eni, app);
  for (const HopResult& h : t.hops) EXPECT_EQ(h.reason, Reason::kRuleAllowed);
  EXPECT_EQ(t.packet.src, ip("10.0.1.10"));
  EXPECT_EQ(t.packet.dst, ip("10.0.2.10"));
}

TEST_F(PathEvaluatorTest, PathStopsAtTheFirstDrop) {
  allow_all(sg_web);
  allow_all(sg_app);
  b.nacl_entry(acl_private, Direction::kIngress, 50, RuleAction::kDeny, tcp(5432), "10.0.1.0/24");
  const PathTrace t = trace(web, app, 5432);
  EXPECT_FALSE(t.delivered());
  EXPECT_EQ(t.hops.size(), 3u);
  ASSERT_NE(t.drop(), nullptr);
  EXPECT_EQ(t.drop()->hop, Hop::kNaclIngress);
  EXPECT_EQ(t.drop()->reason, Reason::kRuleDenied);
  EXPECT_EQ(t.drop()->nacl_entry, (NaclEntryRef{acl_private, Direction::kIngress, 0}));
}

TEST_F(PathEvaluatorTest, SenderWithoutEgressRuleDropsAtItsOwnGroup) {
  b.ingress(sg_app, TrafficMatch::all(), cidr("0.0.0.0/0"));
  const PathTrace t = trace(web, app, 5432);
  ASSERT_EQ(t.hops.size(), 1u);
  EXPECT_EQ(t.hops[0].hop, Hop::kSgEgress);
  EXPECT_EQ(t.hops[0].reason, Reason::kNoRuleMatched);
  EXPECT_FALSE(t.hops[0].sg_rule.has_value());
}

// VPC User Guide, "Internet gateways": an attached gateway, a route to it and a public
// address. The filters see the private address (the gateway NATs 1:1).
TEST_F(PathEvaluatorTest, InternetToInstanceCrossesTheGateway) {
  allow_all(sg_web);
  const PathTrace t = trace(admin, web, 80);
  ASSERT_TRUE(t.delivered());
  EXPECT_EQ(hops_of(t), (std::vector{Hop::kRoute, Hop::kNaclIngress, Hop::kSgIngress}));
  EXPECT_EQ(t.hops[0].reason, Reason::kInternetGateway);
  EXPECT_EQ(t.hops[0].eni, web);
  EXPECT_EQ(t.packet.src, ip("198.51.100.7"));
  EXPECT_EQ(t.packet.dst, ip("10.0.1.10"));
}

TEST_F(PathEvaluatorTest, InternetNeedsAGateway) {
  allow_all(sg_web);
  b.internet_gateway(false);
  const PathTrace t = trace(admin, web, 80);
  ASSERT_EQ(t.hops.size(), 1u);
  EXPECT_EQ(t.hops[0].hop, Hop::kRoute);
  EXPECT_EQ(t.hops[0].reason, Reason::kNoInternetGateway);
}

// The gateway delivers inbound traffic to a public address whatever the subnet's route
// table says; only traffic towards the internet needs the route. So the request arrives and
// the reply is lost at the route hop.
TEST_F(PathEvaluatorTest, WithoutASubnetRouteTheRequestArrivesAndTheReplyIsLost) {
  allow_all(sg_web);
  b.net().subnets[pub.value].internet_route = false;
  EXPECT_TRUE(trace(admin, web, 80).delivered());
  const PathTrace reply = trace(web, admin, 80);
  ASSERT_NE(reply.drop(), nullptr);
  EXPECT_EQ(reply.drop()->hop, Hop::kRoute);
  EXPECT_EQ(reply.drop()->reason, Reason::kNoInternetRoute);
}

TEST_F(PathEvaluatorTest, InternetNeedsAPublicAddress) {
  allow_all(sg_web);
  b.eni(web).public_ipv4.reset();
  const PathTrace t = trace(admin, web, 80);
  ASSERT_EQ(t.hops.size(), 1u);
  EXPECT_EQ(t.hops[0].reason, Reason::kNoPublicAddress);
}

TEST_F(PathEvaluatorTest, InstanceToInternetEndsAtTheGateway) {
  allow_all(sg_web);
  const PathTrace t = trace(web, admin, 443);
  ASSERT_TRUE(t.delivered());
  EXPECT_EQ(hops_of(t), (std::vector{Hop::kSgEgress, Hop::kNaclEgress, Hop::kRoute}));
  allow_all(sg_app);
  EXPECT_EQ(trace(app, admin, 443).drop()->reason, Reason::kNoPublicAddress);
  b.eni(app).public_ipv4 = ip("192.0.2.77");
  EXPECT_EQ(trace(app, admin, 443).drop()->reason, Reason::kNoInternetRoute);
}

TEST_F(PathEvaluatorTest, MakePacketFailsWithoutAnAddressOfTheFamily) {
  const CompiledFilters filters(b.net());
  const PathEvaluator eval(b.net(), filters);
  const auto p = eval.make_packet(admin, web, Family::kIpv6, Protocol::kTcp, 50000, 22);
  ASSERT_FALSE(p.has_value());
  EXPECT_EQ(p.error(), "internet host admin (198.51.100.7) has no IPv6 address");
  const auto icmp = eval.make_packet(web, app, Family::kIpv4, Protocol::kIcmp, 50000, 22, 8, 0);
  ASSERT_TRUE(icmp.has_value());
  EXPECT_EQ(icmp->icmp_type, 8);
  EXPECT_EQ(icmp->dst_port, 0);  // ports belong to TCP and UDP only
}

TEST(PathEvaluatorIpv6Only, AnIpv6OnlyInterfaceHasNoIpv4PacketAndItsIpv6OneIsJudged) {
  NetworkBuilder b("10.0.0.0/16", "2600:1f18:1234:5600::/56");
  const SubnetId pub = b.subnet("subnet-public", "10.0.1.0/24", false, "2600:1f18:1234:5601::/64");
  const SubnetId v6 = b.subnet("subnet-v6", "", false, "2600:1f18:1234:5602::/64");
  const SgId sg = b.sg("sg-api");
  b.ingress(sg, tcp(443), cidr("2600:1f18:1234:5601::/64"));
  const EniId web = b.instance("web", pub, "10.0.1.10", {SgId(0)});
  b.eni(web).ipv6.push_back(ip("2600:1f18:1234:5601::10"));
  const EniId api = b.instance("api", v6, "2600:1f18:1234:5602::20", {sg});
  const Network& net = b.net();
  EXPECT_EQ(net.eni(api).primary_ipv4(), std::nullopt);
  EXPECT_EQ(endpoint_address(net, api, Family::kIpv4), std::nullopt);
  const CompiledFilters filters(net);
  const PathEvaluator eval(net, filters);
  const auto v4 = eval.make_packet(web, api, Family::kIpv4, Protocol::kTcp, 50000, 443);
  ASSERT_FALSE(v4.has_value());
  EXPECT_EQ(v4.error(), "api (eni-api) has no IPv4 address");
  const auto p = eval.make_packet(web, api, Family::kIpv6, Protocol::kTcp, 50000, 443);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->dst, ip("2600:1f18:1234:5602::20"));
  const Exchange x = eval.exchange(web, api, *p, FilteringModel::kStateful);
  EXPECT_TRUE(x.request_delivered());
  EXPECT_TRUE(x.reply_delivered());
  const auto ssh = eval.make_packet(web, api, Family::kIpv6, Protocol::kTcp, 50000, 22);
  ASSERT_TRUE(ssh.has_value());
  EXPECT_EQ(eval.trace(web, api, *ssh).drop()->hop, Hop::kSgIngress);
}

// --- The SSH lesson: the course material's stateless security groups vs AWS. ---

class SshLessonTest : public PathEvaluatorTest {
 protected:
  SshLessonTest() { b.ingress(sg_web, tcp(22), cidr("198.51.100.7/32")); }  // and no outbound rule
};

TEST_F(SshLessonTest, StatelessReplyDroppedWithoutEgressRule) {
  const Exchange x = exchange(admin, web, 22, FilteringModel::kStateless);
  EXPECT_TRUE(x.request_delivered());
  ASSERT_TRUE(x.reply.has_value());
  EXPECT_FALSE(x.reply_delivered());
  EXPECT_FALSE(x.works());
  EXPECT_EQ(x.reply->drop()->hop, Hop::kSgEgress);
  EXPECT_EQ(x.reply->drop()->reason, Reason::kNoRuleMatched);
  EXPECT_EQ(x.reply->packet.src_port, 22);
  EXPECT_EQ(x.reply->packet.dst_port, kClientPort);
}

// The fix the course material suggests: the reply goes to the client's ephemeral port, and
// rules match the destination port, so "outbound tcp 22" lets nothing out.
TEST_F(SshLessonTest, StatelessOutboundPort22RuleDoesNotLetTheReplyOut) {
  b.egress(sg_web, tcp(22), cidr("0.0.0.0/0"));
  const Exchange x = exchange(admin, web, 22, FilteringModel::kStateless);
  EXPECT_FALSE(x.reply_delivered());
  EXPECT_EQ(x.reply->drop()->hop, Hop::kSgEgress);
}

TEST_F(SshLessonTest, StatelessOutboundEphemeralRangeLetsTheReplyOut) {
  b.egress(sg_web, tcp(1024, 65535), cidr("0.0.0.0/0"));
  const Exchange x = exchange(admin, web, 22, FilteringModel::kStateless);
  EXPECT_TRUE(x.works());
  EXPECT_EQ(hops_of(*x.reply), (std::vector{Hop::kSgEgress, Hop::kNaclEgress, Hop::kRoute}));
}

TEST_F(SshLessonTest, StatefulReplyPassesTheGroupAsTracked) {
  const Exchange x = exchange(admin, web, 22, FilteringModel::kStateful);
  EXPECT_TRUE(x.works());
  const HopResult& sg = x.reply->hops.front();
  EXPECT_EQ(sg.hop, Hop::kSgEgress);
  EXPECT_EQ(sg.reason, Reason::kTracked);
  EXPECT_FALSE(sg.untracked);
  EXPECT_FALSE(sg.sg_rule.has_value());
}

// NACLs stay stateless in the stateful model (VPC User Guide, "Network ACLs").
TEST_F(SshLessonTest, StatefulReplyStillNeedsTheNaclEphemeralRule) {
  const NaclId acl = b.nacl("acl-public");
  b.associate(pub, acl);
  b.nacl_entry(acl, Direction::kIngress, 100, RuleAction::kAllow, tcp(22), "0.0.0.0/0");
  const Exchange x = exchange(admin, web, 22, FilteringModel::kStateful);
  EXPECT_TRUE(x.request_delivered());
  EXPECT_FALSE(x.reply_delivered());
  EXPECT_EQ(x.reply->hops[0].reason, Reason::kTracked);
  EXPECT_EQ(x.reply->drop()->hop, Hop::kNaclEgress);
  EXPECT_EQ(x.reply->drop()->reason, Reason::kImplicitDeny);

  b.nacl_entry(acl, Direction::kEgress, 100, RuleAction::kAllow, tcp(1024, 65535), "0.0.0.0/0");
  EXPECT_TRUE(exchange(admin, web, 22, FilteringModel::kStateful).works());
}

TEST_F(SshLessonTest, ReplyAbsentWhenTheRequestIsDropped) {
  const Exchange x = exchange(admin, web, 80, FilteringModel::kStateful);
  EXPECT_FALSE(x.request_delivered());
  EXPECT_EQ(x.request.drop()->hop, Hop::kSgIngress);
  EXPECT_FALSE(x.reply.has_value());
  EXPECT_FALSE(x.reply_delivered());
  EXPECT_FALSE(x.works());
}

// EC2 User Guide, "Security group connection tracking": open to 0.0.0.0/0 both ways, the
// server's side of the flow is untracked and its reply is judged by the rules; the client's
// side (no all-ports inbound rule) stays tracked.
TEST_F(PathEvaluatorTest, StatefulUntrackedFlowJudgesTheReplyByRules) {
  b.ingress(sg_web, tcp(80), cidr("0.0.0.0/0"));
  b.egress(sg_web, TrafficMatch::all(), cidr("0.0.0.0/0"));
  b.egress(sg_app, TrafficMatch::all(), cidr("0.0.0.0/0"));
  const Exchange x = exchange(app, web, 80, FilteringModel::kStateful);
  ASSERT_TRUE(x.works());
  EXPECT_EQ(hops_of(*x.reply), (std::vector{Hop::kSgEgress, Hop::kNaclEgress, Hop::kNaclIngress, Hop::kSgIngress}));
  const HopResult& server_sg = x.reply->hops.front();
  EXPECT_TRUE(server_sg.untracked);
  EXPECT_EQ(server_sg.reason, Reason::kRuleAllowed);
  EXPECT_EQ(server_sg.sg_rule, (SgRuleRef{sg_web, Direction::kEgress, 0}));
  const HopResult& client_sg = x.reply->hops.back();
  EXPECT_FALSE(client_sg.untracked);
  EXPECT_EQ(client_sg.reason, Reason::kTracked);
  for (const HopResult& h : x.request.hops) EXPECT_FALSE(h.untracked);

  // The same network judged statelessly: the client has no inbound rule for the reply.
  const Exchange stateless = exchange(app, web, 80, FilteringModel::kStateless);
  EXPECT_EQ(stateless.reply->drop()->hop, Hop::kSgIngress);
}

// ICMP is always tracked, even when the rules are open both ways.
TEST_F(PathEvaluatorTest, StatefulPingReplyIsTrackedEvenWhenRulesAreOpen) {
  allow_all(sg_web);
  const Exchange x = exchange(admin, web, 0, FilteringModel::kStateful, Protocol::kIcmp);
  ASSERT_TRUE(x.works());
  EXPECT_EQ(x.reply->packet.icmp_type, 0);
  EXPECT_EQ(x.reply->hops.front().reason, Reason::kTracked);
  EXPECT_FALSE(x.reply->hops.front().untracked);
}

TEST(FilteringModelTest, Names) {
  EXPECT_EQ(to_string(FilteringModel::kStateless), "stateless");
  EXPECT_EQ(to_string(FilteringModel::kStateful), "stateful");
}

}  // namespace
}  // namespace vpcsim
