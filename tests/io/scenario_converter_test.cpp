// A valid scenario converts into exactly the network it describes, with AWS's defaults
// added where the scenario asks for them or leaves them out.
#include "io/scenario_converter.h"

#include <google/protobuf/text_format.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include "io_test_support.h"

namespace vpcsim::io {
namespace {

using testing::kBase;
using testing::load_ok;

class BaseScenario : public ::testing::Test {
 protected:
  Scenario s = load_ok(kBase, "lessons/base.textproto");
  const Network& net = s.network;
};

TEST_F(BaseScenario, KeepsNameDescriptionModelAndSource) {
  EXPECT_EQ(s.name, "base");
  EXPECT_EQ(s.description, "every kind of object");
  EXPECT_EQ(s.model, FilteringModel::kStateful);
  EXPECT_EQ(s.source, "lessons/base.textproto");
}

TEST_F(BaseScenario, ConvertsTheVpc) {
  EXPECT_EQ(net.vpc.id, "vpc-1");
  ASSERT_EQ(net.vpc.ipv4_cidrs.size(), 1u);
  EXPECT_EQ(net.vpc.ipv4_cidrs[0].to_string(), "10.0.0.0/16");
  ASSERT_EQ(net.vpc.ipv6_cidrs.size(), 1u);
  EXPECT_EQ(net.vpc.ipv6_cidrs[0].to_string(), "2600:1f18:1234:5600::/56");
  EXPECT_TRUE(net.vpc.internet_gateway);
}

TEST_F(BaseScenario, SubnetsGetTheirAclOrTheDefaultOne) {
  ASSERT_EQ(net.subnets.size(), 2u);
  const Subnet& pub = net.subnets[0];
  EXPECT_EQ(pub.id, "public");
  ASSERT_TRUE(pub.ipv4_cidr);
  EXPECT_EQ(pub.ipv4_cidr->to_string(), "10.0.1.0/24");
  ASSERT_TRUE(pub.ipv6_cidr);
  EXPECT_EQ(pub.ipv6_cidr->to_string(), "2600:1f18:1234:5601::/64");
  EXPECT_EQ(pub.availability_zone, "us-east-1a");
  EXPECT_TRUE(pub.internet_route);
  EXPECT_EQ(net.nacl(pub.nacl).id, "acl-public");
  EXPECT_EQ(net.subnets[1].nacl, net.vpc.default_nacl);
  EXPECT_FALSE(net.subnets[1].ipv6_cidr);
}

TEST_F(BaseScenario, CreatesTheDefaultAclWithAwsEntries) {
  ASSERT_EQ(net.network_acls.size(), 2u);
  const NetworkAcl& acl = net.nacl(net.vpc.default_nacl);
  EXPECT_EQ(acl.id, "default-acl");
  EXPECT_TRUE(acl.is_default);
  for (Direction d : {Direction::kIngress, Direction::kEgress}) {
    ASSERT_EQ(acl.entries(d).size(), 2u);  // the VPC has IPv6: rule 101 too
    EXPECT_EQ(acl.entries(d)[0].number, 100);
    EXPECT_EQ(acl.entries(d)[0].cidr.to_string(), "0.0.0.0/0");
    EXPECT_EQ(acl.entries(d)[1].number, 101);
    EXPECT_EQ(acl.entries(d)[1].cidr.to_string(), "::/0");
  }
}

TEST_F(BaseScenario, SortsAclEntriesAndParsesActionsInAnyCase) {
  const NetworkAcl& acl = net.network_acls[0];
  EXPECT_FALSE(acl.is_default);
  ASSERT_EQ(acl.ingress.size(), 2u);
  EXPECT_EQ(acl.ingress[0].number, 90);
  EXPECT_EQ(acl.ingress[0].action, RuleAction::kDeny);
  EXPECT_TRUE(acl.ingress[0].traffic.protocol.is_all());
  EXPECT_EQ(acl.ingress[1].number, 100);
  EXPECT_EQ(acl.ingress[1].traffic, TrafficMatch::tcp(PortRange::single(443)));
  ASSERT_EQ(acl.egress.size(), 1u);
  EXPECT_EQ(acl.egress[0].traffic, TrafficMatch::tcp(PortRange{1024, 65535}));
}

TEST_F(BaseScenario, CreatesTheDefaultSecurityGroupWhenNoneIsNamedDefault) {
  ASSERT_EQ(net.security_groups.size(), 3u);
  const SgId id = net.vpc.default_sg;
  EXPECT_EQ(id.value, 2u);
  const SecurityGroup& g = net.sg(id);
  EXPECT_EQ(g.id, "default");
  EXPECT_EQ(g.name, "default");
  ASSERT_EQ(g.ingress.size(), 1u);
  EXPECT_EQ(std::get<SgId>(g.ingress[0].peer), id);  // all traffic from its own members
  ASSERT_EQ(g.egress.size(), 2u);
  EXPECT_EQ(std::get<Cidr>(g.egress[0].peer).to_string(), "0.0.0.0/0");
  EXPECT_EQ(std::get<Cidr>(g.egress[1].peer).to_string(), "::/0");
}

TEST_F(BaseScenario, ConvertsSecurityGroupRulesWithTheirPeers) {
  const SecurityGroup& web = net.security_groups[0];
  EXPECT_EQ(web.id, "sg-web");
  EXPECT_EQ(web.name, "web");
  ASSERT_EQ(web.ingress.size(), 3u);
  EXPECT_EQ(web.ingress[0].id, "");
  EXPECT_EQ(web.ingress[0].description, "https");
  EXPECT_EQ(web.ingress[0].traffic, TrafficMatch::tcp(PortRange::single(443)));
  EXPECT_EQ(std::get<Cidr>(web.ingress[0].peer).to_string(), "0.0.0.0/0");
  EXPECT_EQ(web.ingress[1].id, "sgr-ssh");
  EXPECT_EQ(std::get<PrefixListId>(web.ingress[1].peer).value, 0u);
  EXPECT_EQ(web.ingress[2].traffic.protocol, Protocol::icmp());
  EXPECT_EQ(web.ingress[2].traffic.icmp, (IcmpMatch{8, -1}));
}

TEST_F(BaseScenario, AddsNewGroupDefaultsBeforeTheWrittenRules) {
  const SecurityGroup& web = net.security_groups[0];
  ASSERT_EQ(web.egress.size(), 3u);
  EXPECT_EQ(std::get<Cidr>(web.egress[0].peer).to_string(), "0.0.0.0/0");
  EXPECT_EQ(std::get<Cidr>(web.egress[1].peer).to_string(), "::/0");
  EXPECT_EQ(web.egress[2].traffic, TrafficMatch::tcp(PortRange::single(5432)));
  EXPECT_EQ(std::get<SgId>(web.egress[2].peer).value, 1u);  // sg-db, declared after sg-web
}

TEST_F(BaseScenario, GroupsWithoutDefaultsHaveOnlyTheirWrittenRules) {
  const SecurityGroup& db = net.security_groups[1];
  ASSERT_EQ(db.ingress.size(), 1u);
  EXPECT_EQ(std::get<SgId>(db.ingress[0].peer).value, 0u);
  EXPECT_TRUE(db.egress.empty());
}

TEST_F(BaseScenario, ConvertsPrefixLists) {
  ASSERT_EQ(net.prefix_lists.size(), 1u);
  EXPECT_EQ(net.prefix_lists[0].id, "pl-office");
  EXPECT_EQ(net.prefix_lists[0].name, "office");
  EXPECT_EQ(net.prefix_lists[0].family, Family::kIpv4);
  ASSERT_EQ(net.prefix_lists[0].entries.size(), 2u);
  EXPECT_EQ(net.prefix_lists[0].entries[1].to_string(), "192.0.2.0/28");
}

TEST_F(BaseScenario, LinksInstancesAndInterfaces) {
  ASSERT_EQ(net.instances.size(), 2u);
  ASSERT_EQ(net.enis.size(), 3u);
  EXPECT_EQ(net.instances[0].role, "web");
  EXPECT_EQ(net.instances[0].enis, std::vector<EniId>{EniId(0)});
  EXPECT_EQ(net.instances[1].enis, (std::vector<EniId>{EniId(1), EniId(2)}));
  EXPECT_EQ(net.enis[0].instance, InstanceId(0));
  EXPECT_EQ(net.enis[2].instance, InstanceId(1));
  EXPECT_EQ(net.eni_label(EniId(2)), "db (eni-db-admin)");
}

TEST_F(BaseScenario, ConvertsInterfaceAddressesAndGroups) {
  const Eni& web = net.enis[0];
  EXPECT_EQ(web.subnet, SubnetId(0));
  ASSERT_EQ(web.private_ipv4.size(), 1u);
  EXPECT_EQ(web.primary_ipv4(), IpAddress::parse("10.0.1.10").value());
  ASSERT_EQ(web.ipv6.size(), 1u);
  EXPECT_EQ(web.ipv6[0].to_string(), "2600:1f18:1234:5601::10");
  ASSERT_TRUE(web.public_ipv4);
  EXPECT_EQ(web.public_ipv4->to_string(), "54.0.0.10");
  EXPECT_EQ(web.groups, std::vector<SgId>{SgId(0)});
  const Eni& admin = net.enis[2];
  EXPECT_EQ(admin.private_ipv4.size(), 2u);
  EXPECT_FALSE(admin.public_ipv4);
  EXPECT_EQ(admin.groups, std::vector<SgId>{net.vpc.default_sg});  // AWS: no group given -> default
}

TEST_F(BaseScenario, ConvertsInternetHosts) {
  ASSERT_EQ(net.external_hosts.size(), 2u);
  EXPECT_EQ(net.external_hosts[0].name, "client");
  EXPECT_EQ(net.external_hosts[0].address.to_string(), "198.51.100.7");
  EXPECT_EQ(net.external_hosts[1].address.family(), Family::kIpv6);
}

TEST_F(BaseScenario, ResolvesFlowEndsAndFillsTcpDefaults) {
  ASSERT_EQ(s.flows.size(), 4u);
  const FlowSpec& https = s.flows[0];
  EXPECT_EQ(https.name, "https");
  EXPECT_EQ(https.field, "flows[0]");
  EXPECT_EQ(https.client, Endpoint(ExternalHostId(0)));
  EXPECT_EQ(https.server, Endpoint(EniId(0)));  // instance "web": its first interface
  EXPECT_EQ(https.family, Family::kIpv4);
  EXPECT_EQ(https.protocol, Protocol::kTcp);
  EXPECT_EQ(https.server_port, 443);
  EXPECT_EQ(https.client_port, kDefaultClientPort);
  const FlowSpec& sql = s.flows[1];
  EXPECT_EQ(sql.client, Endpoint(EniId(0)));  // interface id
  EXPECT_EQ(sql.server, Endpoint(EniId(1)));
  EXPECT_EQ(sql.client_port, 40000);
}

TEST_F(BaseScenario, FillsIcmpDefaultsPerFamily) {
  const FlowSpec& ping = s.flows[2];
  EXPECT_EQ(ping.protocol, Protocol::kIcmp);
  EXPECT_EQ(ping.icmp_type, 8);
  EXPECT_EQ(ping.icmp_code, 0);
  EXPECT_TRUE(ping.expectations.empty());
  const FlowSpec& ping6 = s.flows[3];
  EXPECT_EQ(ping6.family, Family::kIpv6);
  EXPECT_EQ(ping6.protocol, Protocol::kIcmpv6);
  EXPECT_EQ(ping6.icmp_type, 128);
  EXPECT_EQ(ping6.icmp_code, 0);
}

TEST_F(BaseScenario, ConvertsExpectations) {
  ASSERT_EQ(s.flows[0].expectations.size(), 1u);
  const Expectation& e = s.flows[0].expectations[0];
  EXPECT_FALSE(e.model);
  EXPECT_EQ(e.request, ExpectedVerdict::kAllowed);
  EXPECT_EQ(e.reply, ExpectedVerdict::kAllowed);
  EXPECT_FALSE(e.request_dropped_at);
  EXPECT_EQ(e.field, "flows[0].expect[0]");
  const Expectation& dropped = s.flows[1].expectations.at(0);
  EXPECT_EQ(dropped.model, FilteringModel::kStateless);
  EXPECT_EQ(dropped.request, ExpectedVerdict::kDropped);  // implied by request_dropped_at
  EXPECT_EQ(dropped.request_dropped_at, Hop::kSgEgress);
  EXPECT_FALSE(dropped.reply);
}

TEST(ScenarioConverter, NamesTheScenarioAfterTheFileWhenUnnamed) {
  const Scenario s = load_ok(R"pb(vpc { id: "v" cidr_blocks: "10.0.0.0/16" })pb", "lessons/01-first.textproto");
  EXPECT_EQ(s.name, "01-first");
  EXPECT_FALSE(s.model);  // unspecified: the CLI applies stateless and says so
}

TEST(ScenarioConverter, DeclaredDefaultGroupGetsOnlyWhatItAsksFor) {
  const Scenario plain = load_ok(R"pb(
    vpc { id: "v" cidr_blocks: "10.0.0.0/16" }
    security_groups {
      id: "sg-0"
      name: "default"
      ingress { protocol: "tcp" ports: "22" cidr: "10.0.0.0/8" }
    }
  )pb");
  ASSERT_EQ(plain.network.security_groups.size(), 1u);
  EXPECT_EQ(plain.network.vpc.default_sg, SgId(0));
  EXPECT_EQ(plain.network.security_groups[0].ingress.size(), 1u);
  EXPECT_TRUE(plain.network.security_groups[0].egress.empty());

  const Scenario aws = load_ok(R"pb(
    vpc { id: "v" cidr_blocks: "10.0.0.0/16" }
    security_groups { id: "sg-x" name: "web" }
    security_groups {
      id: "sg-0"
      name: "default"
      defaults: AWS_DEFAULT_GROUP
      ingress { protocol: "tcp" ports: "22" cidr: "10.0.0.0/8" }
    }
  )pb");
  const SecurityGroup& g = aws.network.security_groups[1];
  EXPECT_EQ(aws.network.vpc.default_sg, SgId(1));
  ASSERT_EQ(g.ingress.size(), 2u);
  EXPECT_EQ(std::get<SgId>(g.ingress[0].peer), SgId(1));  // from itself, not from group 0
  ASSERT_EQ(g.egress.size(), 1u);                         // no IPv6 block: no ::/0 rule
}

TEST(ScenarioConverter, DeclaredDefaultAclGetsAwsEntriesOnlyWhenAsked) {
  const Scenario s = load_ok(R"pb(
    vpc { id: "v" cidr_blocks: "10.0.0.0/16" }
    network_acls { id: "acl-main" is_default: true }
    network_acls {
      id: "acl-b"
      aws_default_entries: true
      ingress { rule_number: 50 action: "deny" protocol: "tcp" ports: "22" cidr: "0.0.0.0/0" }
    }
    subnets { id: "a" cidr: "10.0.1.0/24" }
  )pb");
  ASSERT_EQ(s.network.network_acls.size(), 2u);
  EXPECT_EQ(s.network.vpc.default_nacl, NaclId(0));
  EXPECT_EQ(s.network.subnets[0].nacl, NaclId(0));
  EXPECT_TRUE(s.network.network_acls[0].ingress.empty());
  const NetworkAcl& b = s.network.network_acls[1];
  ASSERT_EQ(b.ingress.size(), 2u);
  EXPECT_EQ(b.ingress[0].number, 50);
  EXPECT_EQ(b.ingress[1].number, 100);
  EXPECT_EQ(b.egress.size(), 1u);
}

TEST(ScenarioConverter, Icmpv6AclEntryWithIpv4CidrMatchesAllTypes) {
  const Scenario s = load_ok(R"pb(
    vpc { id: "v" cidr_blocks: "10.0.0.0/16" }
    network_acls {
      id: "a"
      ingress { rule_number: 1 action: "allow" protocol: "58" icmp_type: 128 cidr: "0.0.0.0/0" }
      ingress { rule_number: 2 action: "allow" protocol: "58" icmp_type: 128 cidr: "::/0" }
    }
  )pb");
  const NetworkAcl& a = s.network.network_acls[0];
  EXPECT_TRUE(a.ingress[0].traffic.icmp.is_all());
  EXPECT_EQ(a.ingress[1].traffic.icmp, (IcmpMatch{128, -1}));
}

TEST(ScenarioConverter, EmptyPrefixListIsAllowed) {
  const Scenario s = load_ok(R"pb(
    vpc { id: "v" cidr_blocks: "10.0.0.0/16" }
    prefix_lists { id: "pl-none" }
    security_groups {
      id: "sg"
      ingress { protocol: "all" prefix_list: "pl-none" }
    }
  )pb");
  EXPECT_TRUE(s.network.prefix_lists[0].entries.empty());
}

TEST(ScenarioConverter, ProtoBuiltInCodeConvertsWithoutLocations) {
  pb::Scenario proto;
  proto.mutable_vpc()->set_id("v");
  proto.mutable_vpc()->add_cidr_blocks("10.0.0.0/16");
  pb::Subnet* subnet = proto.add_subnets();
  subnet->set_id("s");
  subnet->set_cidr("10.1.0.0/24");
  const auto result = scenario_from_proto(proto, "aws-import", nullptr);
  ASSERT_FALSE(result);
  ASSERT_EQ(result.error().size(), 1u);
  EXPECT_EQ(result.error()[0].format(),
            "aws-import: subnets[0].cidr: 10.1.0.0/24 is outside the VPC's IPv4 blocks "
            "(10.0.0.0/16); a subnet's block must lie inside one of them");
}

TEST(ScenarioConverter, CanonicalisesRuleHostBitsWhenAsked) {
  pb::Scenario proto;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(R"pb(
                                                              vpc { id: "v" cidr_blocks: "10.0.0.0/16" }
                                                              security_groups {
                                                                id: "sg"
                                                                ingress { protocol: "all" cidr: "100.68.0.18/18" }
                                                              }
                                                            )pb",
                                                            &proto));
  EXPECT_FALSE(scenario_from_proto(proto, "x", nullptr));
  const auto s = scenario_from_proto(proto, "x", nullptr, {.rule_host_bits = Cidr::HostBits::kCanonicalise});
  ASSERT_TRUE(s);
  EXPECT_EQ(std::get<Cidr>(s->network.security_groups[0].ingress[0].peer).to_string(), "100.68.0.0/18");
}

TEST(ScenarioConverter, JsonLoadsTheSameScenarioAsText) {
  pb::Scenario proto;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(kBase, &proto));
  std::string json;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(proto, &json).ok());
  const auto from_json = load_scenario_string(json, "test.textproto", ScenarioFormat::kJson);
  ASSERT_TRUE(from_json);
  EXPECT_EQ(testing::describe(*from_json), testing::describe(load_ok(kBase)));
}

TEST(ScenarioConverter, HandWrittenJsonAcceptsProtoAndCamelCaseNames) {
  const std::string json = R"({
    "vpc": {"id": "v", "cidrBlocks": ["10.0.0.0/16"]},
    "subnets": [{"id": "a", "cidr": "10.0.1.0/24", "network_acl": "acl"}],
    "networkAcls": [{"id": "acl", "ingress": [{"ruleNumber": 100, "action": "allow", "protocol": "icmp",
                     "icmpType": 0, "cidr": "0.0.0.0/0"}]}],
    "instances": [{"name": "i", "interfaces": [{"id": "e", "subnet": "a", "privateIps": ["10.0.1.5"]}]}],
    "internetHosts": [{"name": "h", "address": "198.51.100.1"}],
    "flows": [{"from": "h", "to": "i", "protocol": "tcp", "port": 80,
               "expect": [{"request": "DROPPED", "requestDroppedAt": "NACL_INGRESS"}]}]
  })";
  const auto s = load_scenario_string(json, "x.json", ScenarioFormat::kJson);
  ASSERT_TRUE(s) << s.error()[0].format();
  EXPECT_EQ(s->name, "x");
  EXPECT_EQ(s->network.subnets[0].nacl, NaclId(0));
  EXPECT_EQ(s->network.network_acls[0].ingress[0].traffic.icmp, (IcmpMatch{0, -1}));
  EXPECT_EQ(s->flows[0].expectations[0].request_dropped_at, Hop::kNaclIngress);
}

}  // namespace
}  // namespace vpcsim::io
