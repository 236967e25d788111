// Traffic security groups and network ACLs never filter (model/aws_service.h): the addresses,
// and the path evaluator passing it in both directions under both models.
#include "model/aws_service.h"

#include <gtest/gtest.h>

#include <vector>

#include "model/compiled_filters.h"
#include "model/endpoint.h"
#include "model/explain.h"
#include "model/path_evaluator.h"
#include "tests/model/network_builder.h"

namespace vpcsim {
namespace {

using namespace vpcsim::test;

class AwsServiceAddressTest : public ::testing::Test {
 protected:
  AwsServiceAddressTest() {
    b.subnet("subnet-a", "10.0.1.0/24");
    b.subnet("subnet-b", "10.0.2.0/24");
  }
  std::optional<AwsService> at(std::string_view a) { return aws_service_at(b.net(), ip(a)); }
  NetworkBuilder b{"10.0.0.0/16", "2600:1f18:1234:5600::/56"};
};

TEST_F(AwsServiceAddressTest, LinkLocalServiceAddresses) {
  EXPECT_EQ(at("169.254.169.254"), AwsService::kInstanceMetadata);
  EXPECT_EQ(at("169.254.169.253"), AwsService::kAmazonDns);
  EXPECT_EQ(at("169.254.169.123"), AwsService::kTimeSync);
  EXPECT_EQ(at("169.254.170.2"), AwsService::kEcsTaskMetadata);
  EXPECT_EQ(at("169.254.169.250"), AwsService::kWindowsActivation);
  EXPECT_EQ(at("169.254.169.251"), AwsService::kWindowsActivation);
}

TEST_F(AwsServiceAddressTest, NitroIpv6ServiceAddresses) {
  EXPECT_EQ(at("fd00:ec2::254"), AwsService::kInstanceMetadata);
  EXPECT_EQ(at("fd00:ec2::253"), AwsService::kAmazonDns);
  EXPECT_EQ(at("fd00:ec2::123"), AwsService::kTimeSync);
  EXPECT_EQ(at("fd00:ec2::250"), AwsService::kWindowsActivation);
  EXPECT_EQ(at("fd00:ec2::1"), std::nullopt);
  EXPECT_EQ(at("fd00:ec3::254"), std::nullopt);
}

TEST_F(AwsServiceAddressTest, VpcBasePlusTwoIsDnsAndSubnetBasePlusOneIsTheRouter) {
  EXPECT_EQ(at("10.0.0.2"), AwsService::kAmazonDns);
  EXPECT_EQ(at("10.0.1.1"), AwsService::kVpcRouter);
  EXPECT_EQ(at("10.0.2.1"), AwsService::kVpcRouter);
  // Only the primary block's base + 2 is the DNS server; other reserved addresses are not services.
  EXPECT_EQ(at("10.0.1.2"), std::nullopt);
  EXPECT_EQ(at("10.0.0.1"), std::nullopt);  // no subnet starts at 10.0.0.0 here
  EXPECT_EQ(at("10.0.1.3"), std::nullopt);
}

TEST_F(AwsServiceAddressTest, OtherLinkLocalAndOrdinaryAddressesAreNotServices) {
  for (const char* a : {"169.254.169.252", "169.254.169.255", "169.254.170.3", "169.254.1.1", "169.253.169.254",
                        "198.51.100.7", "10.0.1.10"}) {
    EXPECT_EQ(at(a), std::nullopt) << a;
  }
}

TEST_F(AwsServiceAddressTest, DhcpIsExemptOnlyBetweenPorts67And68) {
  const Network& net = b.net();
  EXPECT_EQ(exempt_service(net, udp_packet("10.0.1.10", 68, "255.255.255.255", 67), Direction::kEgress),
            AwsService::kDhcp);
  EXPECT_EQ(exempt_service(net, udp_packet("255.255.255.255", 67, "10.0.1.10", 68), Direction::kIngress),
            AwsService::kDhcp);
  EXPECT_EQ(exempt_service(net, udp_packet("10.0.1.10", 5000, "255.255.255.255", 53), Direction::kEgress),
            std::nullopt);
  EXPECT_EQ(exempt_service(net, tcp_packet("10.0.1.10", 68, "255.255.255.255", 67), Direction::kEgress), std::nullopt);
}

TEST_F(AwsServiceAddressTest, TheFarEndDecides) {
  const Packet to_imds = tcp_packet("10.0.1.10", 50000, "169.254.169.254", 80);
  EXPECT_EQ(exempt_service(b.net(), to_imds, Direction::kEgress), AwsService::kInstanceMetadata);
  // Arriving at an interface, the far end is the source.
  EXPECT_EQ(exempt_service(b.net(), to_imds, Direction::kIngress), std::nullopt);
  EXPECT_EQ(exempt_service(b.net(), to_imds.reply(), Direction::kIngress), AwsService::kInstanceMetadata);
}

TEST(AwsServiceNames, EveryServiceHasANameAndADescription) {
  for (const AwsService s :
       {AwsService::kAmazonDns, AwsService::kDhcp, AwsService::kInstanceMetadata, AwsService::kEcsTaskMetadata,
        AwsService::kWindowsActivation, AwsService::kTimeSync, AwsService::kVpcRouter}) {
    EXPECT_NE(to_string(s), "?");
    EXPECT_NE(describe(s), "?");
  }
  EXPECT_EQ(to_string(AwsService::kInstanceMetadata), "instance-metadata");
  EXPECT_EQ(to_string(Reason::kNeverFiltered), "never-filtered");
}

// An instance whose groups allow nothing at all, in a subnet whose ACL denies everything: the
// services still answer it; anything else is dropped.
class NeverFilteredPathTest : public ::testing::TestWithParam<FilteringModel> {
 protected:
  NeverFilteredPathTest() {
    b.associate(sub, closed);  // a new custom ACL: no entries, denies everything both ways
  }

  Exchange exchange(const Endpoint& client, const Endpoint& server, std::uint8_t protocol, std::uint16_t port) {
    const CompiledFilters filters(b.net());
    const PathEvaluator eval(b.net(), filters);
    const auto p = eval.make_packet(client, server, Family::kIpv4, protocol, 50000, port);
    EXPECT_TRUE(p.has_value());
    return eval.exchange(client, server, p.value_or(Packet{}), GetParam());
  }
  static void expect_never_filtered(const PathTrace& t, std::vector<Hop> hops, AwsService s) {
    ASSERT_TRUE(t.delivered());
    std::vector<Hop> got;
    for (const HopResult& h : t.hops) {
      got.push_back(h.hop);
      EXPECT_EQ(h.outcome, Outcome::kSkipped);
      EXPECT_EQ(h.reason, Reason::kNeverFiltered);
      EXPECT_EQ(h.service, s);
      EXPECT_FALSE(h.untracked);
      EXPECT_FALSE(h.sg_rule.has_value());
      EXPECT_FALSE(h.nacl_entry.has_value());
    }
    EXPECT_EQ(got, hops);
  }

  NetworkBuilder b;  // no internet gateway either
  SubnetId sub = b.subnet("subnet-app", "10.0.1.0/24");
  NaclId closed = b.nacl("acl-closed");
  SgId none = b.sg("sg-none");  // no inbound and no outbound rule
  EniId app = b.instance("app", sub, "10.0.1.10", {none});
  ExternalHostId imds = b.external_host("imds", "169.254.169.254");
  ExternalHostId dns = b.external_host("dns", "10.0.0.2");
  ExternalHostId router = b.external_host("router", "10.0.1.1");
  ExternalHostId other_link_local = b.external_host("not-a-service", "169.254.169.252");
};

TEST_P(NeverFilteredPathTest, InstanceMetadataIsReachableWithoutRules) {
  const Exchange x = exchange(app, imds, Protocol::kTcp, 80);
  ASSERT_TRUE(x.works());
  expect_never_filtered(x.request, {Hop::kSgEgress, Hop::kNaclEgress}, AwsService::kInstanceMetadata);
  expect_never_filtered(*x.reply, {Hop::kNaclIngress, Hop::kSgIngress}, AwsService::kInstanceMetadata);
  EXPECT_EQ(x.request.hops[0].eni, app);
  EXPECT_EQ(x.request.hops[1].nacl, closed);
  EXPECT_EQ(x.request.hops[1].subnet, sub);
}

TEST_P(NeverFilteredPathTest, AmazonDnsAtVpcBasePlusTwoIsReachableWithoutRules) {
  const Exchange x = exchange(app, dns, Protocol::kUdp, 53);
  ASSERT_TRUE(x.works());
  expect_never_filtered(x.request, {Hop::kSgEgress, Hop::kNaclEgress}, AwsService::kAmazonDns);
  expect_never_filtered(*x.reply, {Hop::kNaclIngress, Hop::kSgIngress}, AwsService::kAmazonDns);
}

TEST_P(NeverFilteredPathTest, TheRouterAddressIsNeverFiltered) {
  const Exchange x = exchange(app, router, Protocol::kIcmp, 0);
  ASSERT_TRUE(x.works());
  expect_never_filtered(x.request, {Hop::kSgEgress, Hop::kNaclEgress}, AwsService::kVpcRouter);
}

TEST_P(NeverFilteredPathTest, TheServiceCanStartTheExchangeToo) {
  const Exchange x = exchange(imds, app, Protocol::kTcp, 8080);
  ASSERT_TRUE(x.works());
  expect_never_filtered(x.request, {Hop::kNaclIngress, Hop::kSgIngress}, AwsService::kInstanceMetadata);
  expect_never_filtered(*x.reply, {Hop::kSgEgress, Hop::kNaclEgress}, AwsService::kInstanceMetadata);
}

TEST_P(NeverFilteredPathTest, AnOrdinaryLinkLocalAddressStaysFiltered) {
  const Exchange x = exchange(app, other_link_local, Protocol::kTcp, 80);
  EXPECT_FALSE(x.request_delivered());
  ASSERT_NE(x.request.drop(), nullptr);
  EXPECT_EQ(x.request.drop()->hop, Hop::kSgEgress);
  EXPECT_EQ(x.request.drop()->reason, Reason::kNoRuleMatched);
}

TEST_P(NeverFilteredPathTest, RulesDoNotChangeTheVerdictOrTheReason) {
  // An explicit NACL deny for the metadata address does not block it either ("Network ACLs
  // can't block traffic to the Instance Metadata Service", VPC User Guide, "Network ACLs").
  b.nacl_entry(closed, Direction::kEgress, 1, RuleAction::kDeny, all_traffic(), "169.254.169.254/32");
  b.egress(none, all_traffic(), cidr("0.0.0.0/0"));
  const Exchange x = exchange(app, imds, Protocol::kTcp, 80);
  ASSERT_TRUE(x.works());
  expect_never_filtered(x.request, {Hop::kSgEgress, Hop::kNaclEgress}, AwsService::kInstanceMetadata);
}

TEST_P(NeverFilteredPathTest, TheExplanationNamesTheExemption) {
  const Exchange x = exchange(app, imds, Protocol::kTcp, 80);
  ASSERT_TRUE(x.works());
  const std::string sg = explain_hop(b.net(), x.request.hops[0], x.request.packet);
  EXPECT_EQ(sg,
            "not filtered: instance metadata service at 169.254.169.254 (AWS never filters it: security groups do "
            "not filter traffic to or from it)");
  const std::string nacl = explain_hop(b.net(), x.reply->hops[0], x.reply->packet);
  EXPECT_EQ(nacl,
            "not filtered: instance metadata service at 169.254.169.254 (AWS never filters it: network ACLs do not "
            "filter traffic to or from it)");
  EXPECT_EQ(describe_rule(b.net(), x.request.hops[0]), "");
  EXPECT_EQ(endpoint_label(b.net(), imds), "imds (instance metadata service, 169.254.169.254)");
  EXPECT_EQ(endpoint_label(b.net(), other_link_local), "internet host not-a-service (169.254.169.252)");
}

INSTANTIATE_TEST_SUITE_P(BothModels, NeverFilteredPathTest,
                         ::testing::Values(FilteringModel::kStateless, FilteringModel::kStateful),
                         [](const auto& info) { return std::string(to_string(info.param)); });

TEST(NeverFilteredIpv6, NitroMetadataAddressIsReachableWithoutRules) {
  NetworkBuilder b("10.0.0.0/16", "2600:1f18:1234:5600::/56");
  const SubnetId sub = b.subnet("subnet-v6", "", false, "2600:1f18:1234:5601::/64");
  b.associate(sub, b.nacl("acl-closed"));
  const EniId e = b.instance("v6", sub, "2600:1f18:1234:5601::10", {b.sg("sg-none")});
  const ExternalHostId imds = b.external_host("imds6", "fd00:ec2::254");
  const CompiledFilters filters(b.net());
  const PathEvaluator eval(b.net(), filters);
  const auto p = eval.make_packet(e, imds, Family::kIpv6, Protocol::kTcp, 50000, 80);
  ASSERT_TRUE(p.has_value());
  const Exchange x = eval.exchange(e, imds, *p, FilteringModel::kStateful);
  ASSERT_TRUE(x.works());
  EXPECT_EQ(x.request.hops.front().reason, Reason::kNeverFiltered);
  EXPECT_EQ(x.request.hops.front().service, AwsService::kInstanceMetadata);
}

}  // namespace
}  // namespace vpcsim
