#include "model/explain.h"

#include <gtest/gtest.h>

#include "model/compiled_filters.h"
#include "model/path_evaluator.h"
#include "tests/model/network_builder.h"

namespace vpcsim {
namespace {

using namespace vpcsim::test;

class ExplainTest : public ::testing::Test {
 protected:
  ExplainTest() {
    b.internet_gateway();
    b.eni(web).public_ipv4 = ip("203.0.113.10");
    b.ingress(sg_web, tcp(80), cidr("0.0.0.0/0"));
    b.ingress(sg_web, tcp(22), cidr("203.0.113.0/24"));
    b.egress(sg_web, TrafficMatch::all(), cidr("0.0.0.0/0"));
    b.ingress(sg_db, tcp(5432), sg_web);
    b.ingress(sg_db, tcp(22), corp);
    b.ingress(sg_db, TrafficMatch::all(), SgId(77));
    b.nacl_entry(acl_app, Direction::kIngress, 90, RuleAction::kDeny, tcp(22), "0.0.0.0/0");
    b.nacl_entry(acl_app, Direction::kIngress, 100, RuleAction::kAllow, TrafficMatch::all(), "10.0.0.0/16");
    b.nacl_entry(acl_app, Direction::kEgress, 100, RuleAction::kAllow, tcp(1024, 65535), "0.0.0.0/0");
    b.associate(app_subnet, acl_app);
  }

  Exchange exchange(const Endpoint& client, const Endpoint& server, std::uint8_t protocol, std::uint16_t port,
                    FilteringModel model) {
    const CompiledFilters filters(b.net());
    const PathEvaluator eval(b.net(), filters);
    const auto p = eval.make_packet(client, server, Family::kIpv4, protocol, 50000, port, 8, 0);
    EXPECT_TRUE(p.has_value());
    return eval.exchange(client, server, p.value_or(Packet{}), model);
  }
  std::string explain(const PathTrace& t, std::size_t hop) { return explain_hop(b.net(), t.hops.at(hop), t.packet); }

  NetworkBuilder b;
  SubnetId web_subnet = b.subnet("subnet-public", "10.0.1.0/24", true);
  SubnetId app_subnet = b.subnet("subnet-app", "10.0.2.0/24");
  NaclId acl_app = b.nacl("acl-app");
  PrefixListId corp = b.prefix_list("pl-corp", {"192.0.2.0/24"});
  SgId sg_web = b.sg("sg-web");
  SgId sg_db = b.sg("sg-db");
  EniId web = b.instance("web", web_subnet, "10.0.1.10", {sg_web});
  EniId db = b.instance("db", app_subnet, "10.0.2.10", {sg_db});
  ExternalHostId admin = b.external_host("admin", "203.0.113.7");
};

TEST_F(ExplainTest, SgRuleNumbersAreOneBasedAsTheConsoleListsThem) {
  EXPECT_EQ(describe_sg_rule(b.net(), {sg_web, Direction::kIngress, 1}),
            "sg-web ingress #2: tcp 22 from 203.0.113.0/24");
  EXPECT_EQ(describe_sg_rule(b.net(), {sg_web, Direction::kEgress, 0}), "sg-web egress #1: all traffic to 0.0.0.0/0");
}

TEST_F(ExplainTest, SgRuleIdIsShownWhenKnown) {
  b.net().sg(sg_web).ingress[0].id = "sgr-0abc";
  EXPECT_EQ(describe_sg_rule(b.net(), {sg_web, Direction::kIngress, 0}),
            "sg-web ingress #1 (sgr-0abc): tcp 80 from 0.0.0.0/0");
}

TEST_F(ExplainTest, PeersAreNamed) {
  EXPECT_EQ(describe_sg_rule(b.net(), {sg_db, Direction::kIngress, 0}),
            "sg-db ingress #1: tcp 5432 from members of sg-web");
  EXPECT_EQ(describe_sg_rule(b.net(), {sg_db, Direction::kIngress, 1}),
            "sg-db ingress #2: tcp 22 from prefix list pl-corp");
  EXPECT_EQ(describe_peer(b.net(), SgId(77)), "unknown security group");
  EXPECT_EQ(describe_peer(b.net(), PrefixListId(5)), "unknown prefix list");
  EXPECT_EQ(describe_peer(b.net(), cidr("::/0")), "::/0");
}

TEST_F(ExplainTest, NaclEntriesAreNamedByTheirRuleNumber) {
  EXPECT_EQ(describe_nacl_entry(b.net(), {acl_app, Direction::kIngress, 0}),
            "acl-app ingress rule 90: deny tcp 22 from 0.0.0.0/0");
  EXPECT_EQ(describe_nacl_entry(b.net(), {acl_app, Direction::kEgress, 0}),
            "acl-app egress rule 100: allow tcp 1024-65535 to 0.0.0.0/0");
}

TEST_F(ExplainTest, ImplicitDenyIsRuleStar) {
  HopResult h;
  h.hop = Hop::kNaclEgress;
  h.outcome = Outcome::kDropped;
  h.reason = Reason::kImplicitDeny;
  h.nacl = acl_app;
  h.subnet = app_subnet;
  EXPECT_EQ(describe_rule(b.net(), h), "acl-app rule * (implicit deny)");
  EXPECT_EQ(describe_location(b.net(), h), "acl-app of subnet-app");
  EXPECT_EQ(
      explain_hop(b.net(), h, tcp_packet("10.0.2.10", 5432, "198.51.100.7", 50000)),
      "no numbered outbound entry of acl-app matches tcp port 50000 to 198.51.100.7; the final * entry denies it");
}

TEST_F(ExplainTest, AllowedHopNamesTheRule) {
  const Exchange x = exchange(admin, web, Protocol::kTcp, 22, FilteringModel::kStateless);
  ASSERT_TRUE(x.request_delivered());
  EXPECT_EQ(explain(x.request, 0), "routed through the internet gateway");
  EXPECT_EQ(explain(x.request, 1), "allowed by acl-default ingress rule 100: allow all traffic from 0.0.0.0/0");
  EXPECT_EQ(explain(x.request, 2), "allowed by sg-web ingress #2: tcp 22 from 203.0.113.0/24");
  EXPECT_EQ(describe_location(b.net(), x.request.hops[2]), "web (eni-web)");
}

TEST_F(ExplainTest, DeniedHopNamesTheDenyEntry) {
  const Exchange x = exchange(web, db, Protocol::kTcp, 22, FilteringModel::kStateless);
  ASSERT_NE(x.request.drop(), nullptr);
  EXPECT_EQ(explain_hop(b.net(), *x.request.drop(), x.request.packet),
            "denied by acl-app ingress rule 90: deny tcp 22 from 0.0.0.0/0");
}

TEST_F(ExplainTest, NoRuleMatchedNamesTheGroupsAndTheTraffic) {
  const Exchange x = exchange(admin, web, Protocol::kTcp, 443, FilteringModel::kStateless);
  EXPECT_EQ(explain_hop(b.net(), *x.request.drop(), x.request.packet),
            "no inbound rule of sg-web allows tcp port 443 from 203.0.113.7");
  const Exchange ping = exchange(admin, web, Protocol::kIcmp, 0, FilteringModel::kStateless);
  EXPECT_EQ(explain_hop(b.net(), *ping.request.drop(), ping.request.packet),
            "no inbound rule of sg-web allows icmp type 8 code 0 from 203.0.113.7");
  const EniId bare = b.instance("bare", web_subnet, "10.0.1.20", {});
  const Exchange out = exchange(bare, web, Protocol::kTcp, 80, FilteringModel::kStateless);
  EXPECT_EQ(explain_hop(b.net(), *out.request.drop(), out.request.packet),
            "no outbound rule of (no security groups) allows tcp port 80 to 10.0.1.10");
}

TEST_F(ExplainTest, TrackedAndUntrackedReplies) {
  const Exchange tracked = exchange(admin, web, Protocol::kTcp, 22, FilteringModel::kStateful);
  EXPECT_EQ(explain(*tracked.reply, 0), "part of a tracked connection: security groups pass it whatever their rules");
  const Exchange untracked = exchange(admin, web, Protocol::kTcp, 80, FilteringModel::kStateful);
  EXPECT_EQ(explain(*untracked.reply, 0),
            "allowed by sg-web egress #1: all traffic to 0.0.0.0/0 (untracked connection: rules apply to replies)");
}

TEST_F(ExplainTest, SameSubnetAndRouteReasons) {
  const EniId web2 = b.instance("web2", web_subnet, "10.0.1.11", {sg_web});
  const Exchange local = exchange(web2, web, Protocol::kTcp, 80, FilteringModel::kStateless);
  EXPECT_EQ(explain(local.request, 1),
            "both ends are in subnet-public: traffic inside a subnet crosses no network ACL");

  b.ingress(sg_db, TrafficMatch::all(), cidr("0.0.0.0/0"));
  b.eni(db).public_ipv4 = ip("192.0.2.99");
  b.nacl_entry(acl_app, Direction::kIngress, 110, RuleAction::kAllow, tcp(80), "0.0.0.0/0");
  const Exchange no_route = exchange(admin, db, Protocol::kTcp, 80, FilteringModel::kStateful);
  ASSERT_TRUE(no_route.reply.has_value());
  EXPECT_EQ(explain(*no_route.reply, no_route.reply->hops.size() - 1),
            "the route table of subnet-app has no route to the internet gateway");

  b.eni(web).public_ipv4.reset();
  const Exchange no_public = exchange(admin, web, Protocol::kTcp, 80, FilteringModel::kStateless);
  EXPECT_EQ(explain(no_public.request, 0), "eni-web has no public IPv4 address");

  b.internet_gateway(false);
  const Exchange no_gateway = exchange(admin, web, Protocol::kTcp, 80, FilteringModel::kStateless);
  EXPECT_EQ(explain(no_gateway.request, 0), "the VPC has no internet gateway");
}

TEST(HopNamesTest, AreStable) {
  EXPECT_EQ(to_string(Hop::kSgEgress), "sg-egress");
  EXPECT_EQ(to_string(Hop::kNaclIngress), "nacl-ingress");
  EXPECT_EQ(to_string(Hop::kRoute), "route");
  EXPECT_EQ(to_string(Outcome::kSkipped), "skipped");
  EXPECT_EQ(to_string(Reason::kTracked), "connection-tracked");
  EXPECT_EQ(to_string(Reason::kImplicitDeny), "implicit-deny");
}

}  // namespace
}  // namespace vpcsim
