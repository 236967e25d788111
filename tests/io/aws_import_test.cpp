// The AWS importer: every JSON shape it reads, what it warns about (and keeps), each kind of
// bad input with its file and JSON path, the sample dumps' verdicts under the engine, and
// the round trip through the written scenario.
#include "io/aws_import.h"

#include <gmock/gmock.h>
#include <google/protobuf/text_format.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "io/scenario_converter.h"
#include "io/scenario_loader.h"
#include "sim/flow_outcomes.h"
#include "sim/simulator.h"

namespace vpcsim::io {
namespace {

namespace fs = std::filesystem;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const fs::path kThreeTier = fs::path(VPCSIM_SOURCE_DIR) / "scenarios/aws/three-tier";

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A small valid dump; tests replace or add files.
std::vector<AwsJsonFile> base_files() {
  return {
      {"describe-vpcs.json",
       R"({"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "OwnerId": "111122223333"}]})"},
      {"describe-subnets.json",
       R"({"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24"}]})"},
      {"describe-security-groups.json", R"({"SecurityGroups": [
  {"GroupId": "sg-1", "GroupName": "default", "VpcId": "vpc-1", "OwnerId": "111122223333",
   "IpPermissions": [], "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]}]})"},
      {"describe-network-interfaces.json", R"({"NetworkInterfaces": [
  {"NetworkInterfaceId": "eni-1", "SubnetId": "subnet-1", "VpcId": "vpc-1", "InterfaceType": "interface",
   "PrivateIpAddress": "10.0.1.10", "PrivateIpAddresses": [{"Primary": true, "PrivateIpAddress": "10.0.1.10"}],
   "Groups": [{"GroupId": "sg-1", "GroupName": "default"}], "Attachment": {"InstanceId": "i-1", "DeviceIndex": 0}}]})"},
  };
}

std::vector<AwsJsonFile> with(std::vector<AwsJsonFile> files, const std::string& name, const std::string& content) {
  std::erase_if(files, [&](const AwsJsonFile& f) { return f.name == name; });
  files.push_back({name, content});
  return files;
}

std::expected<AwsImport, Errors> import_files(std::vector<AwsJsonFile> files, const AwsImportOptions& o = {}) {
  auto dump = read_aws_dump(std::move(files));
  if (!dump) return std::unexpected(dump.error());
  return import_aws_dump(*dump, "test-dump", o);
}

AwsImport import_ok(std::vector<AwsJsonFile> files) {
  auto imported = import_files(std::move(files));
  EXPECT_TRUE(imported.has_value()) << (imported ? "" : imported.error().front().format());
  return imported ? std::move(*imported) : AwsImport{};
}

Errors import_errors(std::vector<AwsJsonFile> files) {
  auto imported = import_files(std::move(files));
  EXPECT_FALSE(imported.has_value());
  return imported ? Errors{} : imported.error();
}

::testing::Matcher<const Error&> At(const std::string& file, const std::string& path, const std::string& message) {
  return AllOf(Field(&Error::file, file), Field(&Error::field, path), Field(&Error::message, HasSubstr(message)));
}

const SecurityGroup& group(const Network& n, const std::string& id) { return n.sg(*n.find_sg(id)); }

// ---- the sample dump ---------------------------------------------------------------------

TEST(AwsImport, ImportsTheThreeTierSample) {
  auto imported = import_aws(kThreeTier);
  ASSERT_TRUE(imported.has_value()) << imported.error().front().format();
  const Network& n = imported->scenario.network;
  EXPECT_EQ(imported->scenario.name, "shop-prod");
  EXPECT_EQ(imported->scenario.model, FilteringModel::kStateful);
  EXPECT_TRUE(n.vpc.internet_gateway);
  ASSERT_EQ(n.subnets.size(), 3u);
  EXPECT_TRUE(n.subnets[0].internet_route);   // public rtb: 0.0.0.0/0 -> igw
  EXPECT_FALSE(n.subnets[1].internet_route);  // main rtb: 0.0.0.0/0 -> nat
  EXPECT_EQ(n.nacl(n.subnets[2].nacl).id, "acl-0a1b2c3d4e5f00201");
  EXPECT_EQ(n.nacl(n.subnets[0].nacl).id, "acl-0a1b2c3d4e5f00200");
  // The db ACL: the 32767 "*" entries are the model's implicit deny; the rest sorted.
  const NetworkAcl& db_acl = n.nacl(*n.find_nacl("acl-0a1b2c3d4e5f00201"));
  ASSERT_EQ(db_acl.ingress.size(), 4u);
  EXPECT_EQ(db_acl.ingress[0].number, 90);
  EXPECT_EQ(db_acl.ingress[0].action, RuleAction::kDeny);
  EXPECT_EQ(db_acl.egress.size(), 3u);
  // Instances by Name tag, with roles; the NAT gateway's interface has a stand-in owner.
  for (const char* name : {"web-1", "app-1", "db-1", "natGateway-eni-0a1b2c3d4e5f01004"}) {
    EXPECT_TRUE(n.find_instance(name)) << name;
  }
  EXPECT_EQ(n.instance(*n.find_instance("db-1")).role, "db");
  EXPECT_EQ(n.instance(*n.find_instance("natGateway-eni-0a1b2c3d4e5f01004")).role, "natGateway");
  // Secondary addresses are kept, primary first; the ENI's conntrack timeouts too.
  const Eni& app = n.eni(*n.find_eni("eni-0a1b2c3d4e5f01002"));
  ASSERT_EQ(app.private_ipv4.size(), 2u);
  EXPECT_EQ(app.private_ipv4[0].to_string(), "10.20.2.20");
  EXPECT_EQ(n.eni(*n.find_eni("eni-0a1b2c3d4e5f01001")).public_ipv4->to_string(), "203.0.113.10");
  // The prefix list with its entries and name.
  const PrefixList& office = n.prefix_list(*n.find_prefix_list("pl-0a1b2c3d4e5f00600"));
  EXPECT_EQ(office.name, "office");
  EXPECT_EQ(office.entries.size(), 2u);
  // "6" is tcp: the analytics rule keeps its port.
  const SecurityGroup& db = group(n, "sg-0a1b2c3d4e5f00103");
  ASSERT_EQ(db.ingress.size(), 2u);
  EXPECT_EQ(db.ingress[1].traffic.protocol, Protocol::tcp());
  EXPECT_EQ(db.ingress[1].traffic.ports, PortRange::single(3306));
  // ICMP echo: FromPort is the type, ToPort -1 all codes.
  const SecurityGroup& web = group(n, "sg-0a1b2c3d4e5f00101");
  ASSERT_EQ(web.ingress.size(), 4u);
  EXPECT_EQ(web.ingress[3].traffic.protocol, Protocol::icmp());
  EXPECT_EQ(web.ingress[3].traffic.icmp, *IcmpMatch::make(8, -1));
}

TEST(AwsImport, CrossAccountReferenceIsKeptAsAGroupWithoutMembersAndReported) {
  auto imported = import_aws(kThreeTier);
  ASSERT_TRUE(imported.has_value());
  const Network& n = imported->scenario.network;
  const SgId external = *n.find_sg("sg-0fedcba9876543210");
  EXPECT_TRUE(n.members_of(external).empty());
  EXPECT_TRUE(n.sg(external).ingress.empty());
  EXPECT_EQ(std::get<SgId>(group(n, "sg-0a1b2c3d4e5f00103").ingress[1].peer), external);
  EXPECT_THAT(imported->warnings,
              Contains(At((kThreeTier / "describe-security-groups.json").string(),
                          "SecurityGroups[3].IpPermissions[1].UserIdGroupPairs[0]", "peering connection pcx-")));
}

// Runs `flows` (text format) added to the imported scenario through the engine under the
// stateful model, and returns every failed expectation.
std::vector<std::string> failures_with_flows(const AwsImport& imported, const std::string& flows) {
  pb::Scenario proto = imported.proto;
  EXPECT_TRUE(google::protobuf::TextFormat::MergeFromString(flows, &proto));
  auto scenario = scenario_from_proto(proto, "with-flows");
  EXPECT_TRUE(scenario.has_value()) << (scenario ? "" : scenario.error().front().format());
  if (!scenario) return {"does not load"};
  SimulationOptions options;
  options.model = FilteringModel::kStateful;
  Simulator sim(*scenario, options);
  FlowOutcomes outcomes(*scenario, options.model);
  sim.add_observer(outcomes);
  sim.run();
  std::vector<std::string> failures;
  for (const ObservedFlow* o : outcomes.flows()) {
    for (const std::string& f : o->failures) failures.push_back(o->spec->name + ": " + f);
  }
  EXPECT_EQ(outcomes.expectations_checked(), static_cast<std::size_t>(proto.flows_size()));
  return failures;
}

TEST(AwsImport, SampleGivesAwsVerdictsUnderTheEngine) {
  auto imported = import_aws(kThreeTier);
  ASSERT_TRUE(imported.has_value());
  EXPECT_THAT(failures_with_flows(*imported, R"(
internet_hosts { name: "admin" address: "198.51.100.10" }
flows { name: "https" from: "internet" to: "web-1" protocol: "tcp" port: 443 expect { request: ALLOWED reply: ALLOWED } }
flows { name: "ssh-stranger" from: "internet" to: "web-1" protocol: "tcp" port: 22
        expect { request: DROPPED request_dropped_at: SG_INGRESS } }
flows { name: "ssh-admin" from: "admin" to: "web-1" protocol: "tcp" port: 22 expect { request: ALLOWED reply: ALLOWED } }
flows { name: "web-app" from: "web-1" to: "app-1" protocol: "tcp" port: 8080 expect { request: ALLOWED reply: ALLOWED } }
flows { name: "app-db" from: "app-1" to: "db-1" protocol: "tcp" port: 3306 expect { request: ALLOWED reply: ALLOWED } }
flows { name: "web-db" from: "web-1" to: "db-1" protocol: "tcp" port: 3306
        expect { request: DROPPED request_dropped_at: SG_INGRESS } }
flows { name: "internet-db" from: "internet" to: "db-1" protocol: "tcp" port: 3306
        expect { request: DROPPED request_dropped_at: ROUTE } }
flows { name: "db-out" from: "db-1" to: "internet" protocol: "tcp" port: 443
        expect { request: DROPPED request_dropped_at: ROUTE } }
flows { name: "web-db-ssh" from: "web-1" to: "db-1" protocol: "tcp" port: 22
        expect { request: DROPPED request_dropped_at: NACL_INGRESS } }
)"),
              IsEmpty());
}

// One combined file (ec2.json), IPv6, instance interfaces only in describe-instances, a
// database in a public subnet, requester-managed endpoint and Lambda interfaces.
TEST(AwsImport, PublicDbSampleGivesAwsVerdictsUnderTheEngine) {
  auto imported = import_aws(fs::path(VPCSIM_SOURCE_DIR) / "scenarios/aws/public-db-ipv6");
  ASSERT_TRUE(imported.has_value()) << imported.error().front().format();
  const Network& n = imported->scenario.network;
  EXPECT_TRUE(n.vpc.internet_gateway);  // from the route to igw-, without describe-internet-gateways
  EXPECT_TRUE(n.find_instance("vpc_endpoint-eni-0b1c2d3e4f5a01005"));
  EXPECT_EQ(n.eni(*n.find_eni("eni-0b1c2d3e4f5a01001")).ipv6.size(), 1u);
  ASSERT_EQ(imported->warnings.size(), 1u);  // the S3 prefix list has no entries
  EXPECT_THAT(imported->warnings[0].message, HasSubstr("pl-63a5400a"));
  EXPECT_THAT(failures_with_flows(*imported, R"(
flows { name: "db-from-internet" from: "internet" to: "pg-1" protocol: "tcp" port: 5432
        expect { request: DROPPED request_dropped_at: SG_INGRESS } }
flows { name: "web-v6" from: "internet6" to: "dash-1" protocol: "tcp" port: 443 ipv6: true
        expect { request: ALLOWED reply: ALLOWED } }
flows { name: "app-db" from: "builder-1" to: "pg-1" protocol: "tcp" port: 5432 expect { request: ALLOWED reply: ALLOWED } }
flows { name: "web-db" from: "dash-1" to: "pg-1" protocol: "tcp" port: 5432
        expect { request: DROPPED request_dropped_at: SG_INGRESS } }
flows { name: "app-endpoint" from: "builder-1" to: "eni-0b1c2d3e4f5a01005" protocol: "tcp" port: 443
        expect { request: ALLOWED reply: ALLOWED } }
flows { name: "app-out" from: "builder-1" to: "internet" protocol: "tcp" port: 443
        expect { request: DROPPED request_dropped_at: SG_EGRESS } }
)"),
              IsEmpty());
}

// One combined file (ec2.json) with IPv6-only subnets ("Ipv6Native": true, no CidrBlock) and
// IPv6-only instances (no PrivateIpAddresses, only Ipv6Addresses): one in a subnet whose route
// table sends only ::/0 to the internet gateway, one behind a custom ACL for IPv6.
TEST(AwsImport, Ipv6OnlySampleGivesAwsVerdictsUnderTheEngine) {
  auto imported = import_aws(fs::path(VPCSIM_SOURCE_DIR) / "scenarios/aws/ipv6-only");
  ASSERT_TRUE(imported.has_value()) << imported.error().front().format();
  EXPECT_THAT(imported->warnings, IsEmpty());
  const Network& n = imported->scenario.network;
  const Subnet& api_subnet = n.subnet(*n.find_subnet("subnet-0c1d2e3f4a5b00012"));
  EXPECT_FALSE(api_subnet.ipv4_cidr);
  ASSERT_TRUE(api_subnet.ipv6_cidr);
  EXPECT_EQ(api_subnet.ipv6_cidr->to_string(), "2600:1f18:5678:ab01::/64");
  EXPECT_TRUE(api_subnet.internet_route);  // its table sends ::/0, the only family it has, to the igw
  EXPECT_FALSE(n.subnet(*n.find_subnet("subnet-0c1d2e3f4a5b00013")).internet_route);  // ::/0 -> eigw only
  const Eni& api = n.eni(*n.find_eni("eni-0c1d2e3f4a5b01002"));
  EXPECT_TRUE(api.private_ipv4.empty());
  EXPECT_TRUE(api.ipv6_only());
  EXPECT_EQ(api.primary_ipv4(), std::nullopt);
  ASSERT_EQ(api.ipv6.size(), 1u);
  EXPECT_EQ(api.ipv6[0].to_string(), "2600:1f18:5678:ab01::20");
  // The database's interface comes from describe-network-interfaces, attached to pg-1.
  const auto pg = n.find_instance("pg-1");
  ASSERT_TRUE(pg);
  ASSERT_EQ(n.instance(*pg).enis.size(), 1u);
  EXPECT_TRUE(n.eni(n.instance(*pg).enis[0]).ipv6_only());
  EXPECT_THAT(failures_with_flows(*imported, R"(
flows { name: "https-v6" from: "internet6" to: "api-1" protocol: "tcp" port: 443 ipv6: true
        expect { request: ALLOWED reply: ALLOWED } }
flows { name: "ssh-v6" from: "internet6" to: "api-1" protocol: "tcp" port: 22 ipv6: true
        expect { request: DROPPED request_dropped_at: SG_INGRESS } }
flows { name: "web-api" from: "shop-web-1" to: "api-1" protocol: "tcp" port: 8080 ipv6: true
        expect { request: ALLOWED reply: ALLOWED } }
flows { name: "api-db" from: "api-1" to: "pg-1" protocol: "tcp" port: 5432 ipv6: true
        expect { request: ALLOWED reply: ALLOWED } }
flows { name: "web-db" from: "shop-web-1" to: "pg-1" protocol: "tcp" port: 5432 ipv6: true
        expect { request: DROPPED request_dropped_at: NACL_INGRESS } }
flows { name: "db-out" from: "pg-1" to: "internet6" protocol: "tcp" port: 443 ipv6: true
        expect { request: DROPPED request_dropped_at: NACL_EGRESS } }
flows { name: "web-v4" from: "internet" to: "shop-web-1" protocol: "tcp" port: 443
        expect { request: ALLOWED reply: ALLOWED } }
)"),
              IsEmpty());
  // No IPv4 flow can reach an IPv6-only instance: loading one is an error naming the flow.
  pb::Scenario proto = imported->proto;
  ASSERT_TRUE(google::protobuf::TextFormat::MergeFromString(
      R"(flows { name: "v4" from: "shop-web-1" to: "api-1" protocol: "tcp" port: 8080 })", &proto));
  const auto loaded = scenario_from_proto(proto, "with-v4");
  ASSERT_FALSE(loaded.has_value());
  EXPECT_THAT(loaded.error(), Contains(AllOf(Field(&Error::field, "flows[0].to"),
                                             Field(&Error::message, HasSubstr("IPv6-only interface")))));
}

TEST(AwsImport, Ipv6OnlyInterfaceOfAMissingSubnetGetsAnIpv6OnlyStandIn) {
  auto files = with(base_files(), "describe-vpcs.json", R"({"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16",
   "Ipv6CidrBlockAssociationSet": [{"Ipv6CidrBlock": "2600:1f18:1:2300::/56", "Ipv6CidrBlockState": {"State": "associated"}}]}]})");
  files = with(files, "describe-network-interfaces.json", R"({"NetworkInterfaces": [
  {"NetworkInterfaceId": "eni-1", "SubnetId": "subnet-gone", "VpcId": "vpc-1", "PrivateIpAddresses": [],
   "Ipv6Addresses": [{"Ipv6Address": "2600:1f18:1:2305::9"}], "Groups": [{"GroupId": "sg-1"}]}]})");
  const auto imported = import_ok(files);
  const Network& n = imported.scenario.network;
  const auto s = n.find_subnet("subnet-gone");
  ASSERT_TRUE(s);
  EXPECT_FALSE(n.subnet(*s).ipv4_cidr);
  ASSERT_TRUE(n.subnet(*s).ipv6_cidr);
  EXPECT_EQ(n.subnet(*s).ipv6_cidr->to_string(), "2600:1f18:1:2305::/64");
  EXPECT_THAT(imported.warnings, Contains(At("describe-network-interfaces.json", "NetworkInterfaces[0].SubnetId",
                                             "stand-in IPv6-only subnet 2600:1f18:1:2305::/64")));
}

TEST(AwsImportErrors, InterfaceWithoutAnyAddressIsAnError) {
  const Errors errors = import_errors(with(base_files(), "describe-network-interfaces.json", R"({"NetworkInterfaces": [
  {"NetworkInterfaceId": "eni-1", "SubnetId": "subnet-1", "VpcId": "vpc-1", "PrivateIpAddresses": [],
   "Ipv6Addresses": [], "Groups": [{"GroupId": "sg-1"}]}]})"));
  EXPECT_THAT(errors, Contains(At("describe-network-interfaces.json", "NetworkInterfaces[0].PrivateIpAddresses",
                                  "the interface has no address")));
}

// IPv6 addresses only, in a dual-stack subnet: AWS never reports that (every interface in a
// subnet with an IPv4 block has a primary private IPv4), so the dump lost the addresses; an
// error at the interface's PrivateIpAddresses, reported once (the converter is not reached).
TEST(AwsImportErrors, Ipv6OnlyInterfaceInADualStackSubnetIsAnError) {
  auto files = with(base_files(), "describe-vpcs.json", R"({"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16",
   "Ipv6CidrBlockAssociationSet": [{"Ipv6CidrBlock": "2600:1f18:1:2300::/56", "Ipv6CidrBlockState": {"State": "associated"}}]}]})");
  files = with(files, "describe-subnets.json", R"({"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24",
   "Ipv6CidrBlockAssociationSet": [{"Ipv6CidrBlock": "2600:1f18:1:2301::/64", "Ipv6CidrBlockState": {"State": "associated"}}]}]})");
  const auto dual_stack = import_ok(with(files, "describe-network-interfaces.json", R"({"NetworkInterfaces": [
  {"NetworkInterfaceId": "eni-1", "SubnetId": "subnet-1", "VpcId": "vpc-1",
   "PrivateIpAddresses": [{"Primary": true, "PrivateIpAddress": "10.0.1.10"}],
   "Ipv6Addresses": [{"Ipv6Address": "2600:1f18:1:2301::9"}], "Groups": [{"GroupId": "sg-1"}]}]})"));
  EXPECT_FALSE(dual_stack.scenario.network.enis.back().ipv6_only());
  const Errors errors = import_errors(with(files, "describe-network-interfaces.json", R"({"NetworkInterfaces": [
  {"NetworkInterfaceId": "eni-1", "SubnetId": "subnet-1", "VpcId": "vpc-1", "PrivateIpAddresses": [],
   "Ipv6Addresses": [{"Ipv6Address": "2600:1f18:1:2301::9"}], "Groups": [{"GroupId": "sg-1"}]}]})"));
  ASSERT_EQ(errors.size(), 1u) << ::testing::PrintToString(errors);
  EXPECT_THAT(errors, Contains(At("describe-network-interfaces.json", "NetworkInterfaces[0].PrivateIpAddresses",
                                  "the interface has IPv6 addresses but no private IPv4 address, and its subnet "
                                  "subnet-1 has the IPv4 block 10.0.1.0/24")));
  EXPECT_THAT(errors[0].message, HasSubstr("describe-network-interfaces"));
}

TEST(AwsImportErrors, SubnetWithoutAnyBlockIsAnError) {
  // Ipv6Native, but no associated IPv6 block: nothing to address its interfaces from.
  const Errors errors =
      import_errors(with(base_files(), "describe-subnets.json",
                         R"({"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "Ipv6Native": true,
    "Ipv6CidrBlockAssociationSet": [{"Ipv6CidrBlock": "2600:1f18::/64", "Ipv6CidrBlockState": {"State": "disassociated"}}]}]})"));
  EXPECT_THAT(errors, Contains(At("describe-subnets.json", "Subnets[0].CidrBlock",
                                  "the IPv6-only subnet has no associated IPv6 block")));
}

TEST(AwsImport, WrittenScenarioRoundTrips) {
  auto imported = import_aws(kThreeTier);
  ASSERT_TRUE(imported.has_value());
  const std::string text = to_textproto(*imported, "three-tier");
  EXPECT_THAT(text, HasSubstr("# warning: "));
  pb::Scenario parsed;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &parsed));
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(parsed, imported->proto));
  // It loads as a hand-written scenario (host bits rejected) into the same network.
  auto loaded = load_scenario_string(text, "imported.textproto", ScenarioFormat::kText);
  ASSERT_TRUE(loaded.has_value()) << loaded.error().front().format();
  const Network& a = imported->scenario.network;
  const Network& b = loaded->network;
  ASSERT_EQ(a.security_groups.size(), b.security_groups.size());
  for (std::size_t i = 0; i < a.security_groups.size(); ++i) {
    EXPECT_EQ(a.security_groups[i].id, b.security_groups[i].id);
    ASSERT_EQ(a.security_groups[i].ingress.size(), b.security_groups[i].ingress.size());
    for (std::size_t j = 0; j < a.security_groups[i].ingress.size(); ++j) {
      EXPECT_EQ(a.security_groups[i].ingress[j].traffic, b.security_groups[i].ingress[j].traffic);
      EXPECT_EQ(a.security_groups[i].ingress[j].peer, b.security_groups[i].ingress[j].peer);
    }
    EXPECT_EQ(a.security_groups[i].egress.size(), b.security_groups[i].egress.size());
  }
  EXPECT_EQ(a.enis.size(), b.enis.size());
  EXPECT_EQ(a.instances.size(), b.instances.size());
  EXPECT_EQ(a.network_acls.size(), b.network_acls.size());
  for (std::size_t i = 0; i < a.network_acls.size(); ++i) {
    EXPECT_EQ(a.network_acls[i].ingress.size(), b.network_acls[i].ingress.size());
    EXPECT_EQ(a.network_acls[i].egress.size(), b.network_acls[i].egress.size());
  }
  EXPECT_EQ(loaded->model, FilteringModel::kStateful);
}

TEST(AwsImport, OneFileWithEveryKeyImportsLikeTheDirectory) {
  // Merge every sample file's top-level members into one object.
  std::string merged = "{";
  for (const auto& entry : fs::directory_iterator(kThreeTier)) {
    std::string body = slurp(entry.path());
    body = body.substr(body.find('{') + 1, body.rfind('}') - body.find('{') - 1);
    merged += (merged.size() > 1 ? "," : "") + body;
  }
  merged += "}";
  // Entries and one PrefixLists item in the same file: the entries are that list's.
  auto combined = import_files({{"ec2.json", merged}});
  ASSERT_TRUE(combined.has_value()) << combined.error().front().format();
  auto directory = import_aws(kThreeTier);
  ASSERT_TRUE(directory.has_value());
  pb::Scenario a = combined->proto;
  pb::Scenario b = directory->proto;
  a.clear_description();
  b.clear_description();
  std::string diff;
  google::protobuf::util::MessageDifferencer d;
  d.ReportDifferencesToString(&diff);
  EXPECT_TRUE(d.Compare(a, b)) << diff;
}

TEST(AwsImport, ImportIsDeterministic) {
  auto a = import_aws(kThreeTier);
  auto b = import_aws(kThreeTier);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(to_textproto(*a, "x"), to_textproto(*b, "x"));
}

// ---- shapes ------------------------------------------------------------------------------

TEST(AwsImport, CanonicalisesHostBitsAsAwsDoes) {
  const auto imported = import_ok(with(base_files(), "describe-security-groups.json", R"({"SecurityGroups": [
  {"GroupId": "sg-1", "GroupName": "default", "VpcId": "vpc-1",
   "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "100.68.0.18/18"}]}]}]})"));
  EXPECT_EQ(imported.proto.security_groups(0).ingress(0).cidr(), "100.68.0.0/18");
}

TEST(AwsImport, AllTrafficRulesHaveNoPortsAndOtherProtocolsIgnorePorts) {
  const auto imported = import_ok(with(base_files(), "describe-security-groups.json", R"({"SecurityGroups": [
  {"GroupId": "sg-1", "GroupName": "default", "VpcId": "vpc-1",
   "IpPermissions": [{"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": "sg-1"}]},
                     {"IpProtocol": "50", "FromPort": 1, "ToPort": 2, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]},
                     {"IpProtocol": "icmpv6", "Ipv6Ranges": [{"CidrIpv6": "::/0"}]},
                     {"IpProtocol": "udp", "FromPort": 1024, "ToPort": 65535, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]}]})"));
  const Network& n = imported.scenario.network;
  const SecurityGroup& g = group(n, "sg-1");
  ASSERT_EQ(g.ingress.size(), 4u);
  EXPECT_TRUE(g.ingress[0].traffic.protocol.is_all());
  EXPECT_EQ(std::get<SgId>(g.ingress[0].peer), *n.find_sg("sg-1"));
  EXPECT_EQ(g.ingress[1].traffic.protocol, Protocol::number(50));
  EXPECT_EQ(g.ingress[2].traffic.protocol, Protocol::icmpv6());
  EXPECT_EQ(g.ingress[2].traffic.icmp, *IcmpMatch::make(-1, -1));
  EXPECT_EQ(g.ingress[3].traffic.ports, (PortRange{1024, 65535}));
}

TEST(AwsImport, InstancesAreNamedByUniqueNameTagsElseTheirId) {
  auto files = base_files();
  files = with(files, "describe-network-interfaces.json", R"({"NetworkInterfaces": []})");
  files.push_back({"describe-instances.json", R"({"Reservations": [{"Instances": [
  {"InstanceId": "i-1", "VpcId": "vpc-1", "Tags": [{"Key": "Name", "Value": "web"}, {"Key": "role", "Value": "frontend"}],
   "NetworkInterfaces": [{"NetworkInterfaceId": "eni-1", "SubnetId": "subnet-1", "VpcId": "vpc-1",
     "PrivateIpAddresses": [{"Primary": true, "PrivateIpAddress": "10.0.1.10"}], "Groups": [{"GroupId": "sg-1"}],
     "Attachment": {"DeviceIndex": 0}}]},
  {"InstanceId": "i-2", "VpcId": "vpc-1", "Tags": [{"Key": "Name", "Value": "web"}],
   "NetworkInterfaces": [{"NetworkInterfaceId": "eni-2", "SubnetId": "subnet-1", "VpcId": "vpc-1",
     "PrivateIpAddresses": [{"Primary": true, "PrivateIpAddress": "10.0.1.11"}], "Groups": [{"GroupId": "sg-1"}],
     "Attachment": {"DeviceIndex": 0}}]},
  {"InstanceId": "i-3", "VpcId": "vpc-1", "State": {"Code": 16, "Name": "running"},
   "NetworkInterfaces": [{"NetworkInterfaceId": "eni-3", "SubnetId": "subnet-1", "VpcId": "vpc-1",
     "PrivateIpAddresses": [{"Primary": true, "PrivateIpAddress": "10.0.1.12"}], "Groups": [{"GroupId": "sg-1"}],
     "Attachment": {"DeviceIndex": 0}}]}]}]})"});
  const auto imported = import_ok(files);
  const Network& n = imported.scenario.network;
  ASSERT_EQ(n.instances.size(), 3u);
  EXPECT_EQ(n.instances[0].name, "web");
  EXPECT_EQ(n.instances[0].role, "frontend");
  EXPECT_EQ(n.instances[1].name, "web-2");
  EXPECT_EQ(n.instances[2].name, "i-3");
  EXPECT_THAT(n.instances[2].description, HasSubstr("running"));
}

TEST(AwsImport, NaclEntriesIcmpAndIpv6) {
  auto files = with(base_files(), "describe-vpcs.json", R"({"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16",
    "Ipv6CidrBlockAssociationSet": [{"Ipv6CidrBlock": "2001:db8:1234:1a00::/56", "Ipv6CidrBlockState": {"State": "ASSOCIATED"}}]}]})");
  files.push_back(
      {"describe-network-acls.json", R"({"NetworkAcls": [{"NetworkAclId": "acl-1", "VpcId": "vpc-1", "IsDefault": true,
    "Associations": [{"SubnetId": "subnet-1", "NetworkAclId": "acl-1"}],
    "Entries": [
      {"RuleNumber": 32768, "Protocol": "-1", "RuleAction": "deny", "Egress": false, "Ipv6CidrBlock": "::/0"},
      {"RuleNumber": 120, "Protocol": "1", "RuleAction": "allow", "Egress": false, "CidrBlock": "0.0.0.0/0", "IcmpTypeCode": {"Type": 3, "Code": 4}},
      {"RuleNumber": 100, "Protocol": "6", "RuleAction": "allow", "Egress": false, "CidrBlock": "0.0.0.0/0", "PortRange": {"From": 443, "To": 443}},
      {"RuleNumber": 130, "Protocol": "58", "RuleAction": "allow", "Egress": false, "Ipv6CidrBlock": "::/0", "IcmpTypeCode": {"Type": 128, "Code": -1}},
      {"RuleNumber": 140, "Protocol": "58", "RuleAction": "allow", "Egress": false, "CidrBlock": "0.0.0.0/0"},
      {"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": true, "CidrBlock": "0.0.0.0/0"}]}]})"});
  const auto imported = import_ok(files);
  const Network& n = imported.scenario.network;
  EXPECT_EQ(n.vpc.ipv6_cidrs.size(), 1u);
  const NetworkAcl& acl = n.nacl(*n.find_nacl("acl-1"));
  EXPECT_TRUE(acl.is_default);
  ASSERT_EQ(acl.ingress.size(), 4u);
  EXPECT_EQ(acl.ingress[0].number, 100);
  EXPECT_EQ(acl.ingress[1].traffic.icmp, *IcmpMatch::make(3, 4));
  EXPECT_EQ(acl.ingress[2].cidr.family(), Family::kIpv6);
  EXPECT_EQ(acl.egress.size(), 1u);
  // The imported VPC has IPv6, so an IPv6 internet host is added too.
  EXPECT_TRUE(n.find_external_host("internet6"));
}

// ---- warnings: kept, never dropped -------------------------------------------------------

TEST(AwsImport, ReferenceToAGroupNotInTheDumpIsKeptAndMatchesNothing) {
  const auto imported = import_ok(with(base_files(), "describe-security-groups.json", R"({"SecurityGroups": [
  {"GroupId": "sg-1", "GroupName": "default", "VpcId": "vpc-1", "OwnerId": "111122223333",
   "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432,
                      "UserIdGroupPairs": [{"GroupId": "sg-gone", "UserId": "111122223333"}]},
                     {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
                      "UserIdGroupPairs": [{"GroupId": "sg-1", "UserId": "999988887777"}]}]}]})"));
  const Network& n = imported.scenario.network;
  const SgId gone = *n.find_sg("sg-gone");
  EXPECT_TRUE(n.members_of(gone).empty());
  EXPECT_EQ(std::get<SgId>(group(n, "sg-1").ingress[0].peer), gone);
  EXPECT_THAT(imported.warnings,
              Contains(At("describe-security-groups.json", "SecurityGroups[0].IpPermissions[0].UserIdGroupPairs[0]",
                          "not in the dump")));
  // A reference naming another account than the owner of the group with that id: group
  // ids are unique, so it is that group, and the mismatch is reported.
  EXPECT_THAT(imported.warnings,
              Contains(At("describe-security-groups.json", "SecurityGroups[0].IpPermissions[1].UserIdGroupPairs[0]",
                          "999988887777")));
  EXPECT_EQ(std::get<SgId>(group(n, "sg-1").ingress[1].peer), *n.find_sg("sg-1"));
}

TEST(AwsImport, UnknownGroupOfAnInterfaceIsKeptWithoutRules) {
  const auto imported = import_ok(with(base_files(), "describe-network-interfaces.json", R"({"NetworkInterfaces": [
  {"NetworkInterfaceId": "eni-1", "SubnetId": "subnet-1", "VpcId": "vpc-1",
   "PrivateIpAddresses": [{"Primary": true, "PrivateIpAddress": "10.0.1.10"}],
   "Groups": [{"GroupId": "sg-1"}, {"GroupId": "sg-unlisted"}], "Attachment": {"InstanceId": "i-1"}}]})"));
  const Network& n = imported.scenario.network;
  const Eni& eni = n.eni(*n.find_eni("eni-1"));
  ASSERT_EQ(eni.groups.size(), 2u);
  EXPECT_TRUE(n.sg(eni.groups[1]).ingress.empty());
  EXPECT_TRUE(n.sg(eni.groups[1]).egress.empty());
  EXPECT_THAT(imported.warnings, Contains(At("describe-network-interfaces.json", "NetworkInterfaces[0].Groups[1]",
                                             "allows nothing here")));
  // Its instance is not in describe-instances: named by the id the attachment gives.
  EXPECT_TRUE(n.find_instance("i-1"));
}

TEST(AwsImport, MissingDefaultsAreReported) {
  auto files = with(base_files(), "describe-security-groups.json", R"({"SecurityGroups": [
  {"GroupId": "sg-1", "GroupName": "web", "VpcId": "vpc-1"}]})");
  files.push_back({"describe-network-acls.json", R"({"NetworkAcls": [{"NetworkAclId": "acl-1", "VpcId": "vpc-1",
    "Entries": []}]})"});
  files.push_back({"describe-instances.json", R"({"Reservations": [{"Instances": [
    {"InstanceId": "i-gone", "State": {"Code": 48, "Name": "terminated"}}]}]})"});
  const auto imported = import_ok(files);
  EXPECT_THAT(imported.warnings,
              Contains(Field(&Error::message, HasSubstr("group named \"default\" is not in the dump"))));
  EXPECT_THAT(imported.warnings, Contains(Field(&Error::message, HasSubstr("no default network ACL"))));
  EXPECT_THAT(imported.warnings, Contains(At("describe-instances.json", "Reservations[0].Instances[0]", "terminated")));
}

TEST(AwsImport, PrefixListWithoutEntriesIsKeptEmptyAndReported) {
  const auto imported = import_ok(with(base_files(), "describe-security-groups.json", R"({"SecurityGroups": [
  {"GroupId": "sg-1", "GroupName": "default", "VpcId": "vpc-1",
   "IpPermissionsEgress": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
                            "PrefixListIds": [{"PrefixListId": "pl-63a5400a"}]}]}]})"));
  const Network& n = imported.scenario.network;
  const auto pl = n.find_prefix_list("pl-63a5400a");
  ASSERT_TRUE(pl);
  EXPECT_TRUE(n.prefix_list(*pl).entries.empty());
  EXPECT_THAT(imported.warnings,
              Contains(At("describe-security-groups.json", "SecurityGroups[0].IpPermissionsEgress[0].PrefixListIds[0]",
                          "prefix-list-pl-63a5400a.json")));
}

TEST(AwsImport, InterfaceInASubnetNotInTheDumpGetsAStandInSubnet) {
  const auto imported = import_ok(with(base_files(), "describe-network-interfaces.json", R"({"NetworkInterfaces": [
  {"NetworkInterfaceId": "eni-1", "SubnetId": "subnet-missing", "VpcId": "vpc-1",
   "PrivateIpAddresses": [{"Primary": true, "PrivateIpAddress": "10.0.9.10"}], "Groups": [{"GroupId": "sg-1"}]}]})"));
  const Network& n = imported.scenario.network;
  const auto s = n.find_subnet("subnet-missing");
  ASSERT_TRUE(s);
  ASSERT_TRUE(n.subnet(*s).ipv4_cidr);
  EXPECT_TRUE(n.subnet(*s).ipv4_cidr->contains(*IpAddress::parse("10.0.9.10")));
  EXPECT_THAT(imported.warnings,
              Contains(At("describe-network-interfaces.json", "NetworkInterfaces[0].SubnetId", "not in the dump")));
  // No instance owns it: a stand-in owner named after its type.
  EXPECT_TRUE(n.find_instance("interface-eni-1"));
}

TEST(AwsImport, ObjectsOfOtherVpcsAndUnknownKeysAreReported) {
  auto files = with(base_files(), "describe-subnets.json", R"({"Subnets": [
    {"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24"},
    {"SubnetId": "subnet-9", "VpcId": "vpc-9", "CidrBlock": "172.31.0.0/20"}], "NextToken": "abc", "Foo": 1})");
  const auto imported = import_ok(files);
  EXPECT_EQ(imported.scenario.network.subnets.size(), 1u);
  EXPECT_THAT(imported.warnings, Contains(At("describe-subnets.json", "Subnets[1]", "subnet-9")));
  EXPECT_THAT(imported.warnings, Contains(At("describe-subnets.json", "NextToken", "paginated")));
  EXPECT_THAT(imported.warnings, Contains(At("describe-subnets.json", "Foo", "top-level key ignored")));
}

TEST(AwsImport, NatGatewayInterfaceWithoutGroupsIsFilteredByItsAclOnly) {
  const auto imported = import_ok(with(base_files(), "describe-network-interfaces.json", R"({"NetworkInterfaces": [
  {"NetworkInterfaceId": "eni-nat", "SubnetId": "subnet-1", "VpcId": "vpc-1", "InterfaceType": "natGateway",
   "RequesterManaged": true, "Groups": [], "PrivateIpAddresses": [{"Primary": true, "PrivateIpAddress": "10.0.1.5"}]}]})"));
  const Network& n = imported.scenario.network;
  const Eni& nat = n.eni(*n.find_eni("eni-nat"));
  ASSERT_EQ(nat.groups.size(), 1u);
  const SecurityGroup& open = n.sg(nat.groups[0]);
  EXPECT_EQ(open.id, "vpcsim-no-security-group");
  EXPECT_EQ(open.ingress.size(), 2u);
  EXPECT_TRUE(open.ingress[0].traffic.protocol.is_all());
  // AWS-managed interfaces without groups are normal: no warning about them.
  EXPECT_THAT(imported.warnings, ::testing::Not(Contains(Field(&Error::field, HasSubstr("NetworkInterfaces")))));
}

// ---- bad input ---------------------------------------------------------------------------

TEST(AwsImportErrors, MalformedJsonNamesFileAndLine) {
  const Errors errors =
      import_errors(with(base_files(), "describe-subnets.json", "{\n  \"Subnets\": [\n    {\"SubnetId\": }\n  ]\n}"));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].file, "describe-subnets.json");
  EXPECT_EQ(errors[0].line, 3);
  EXPECT_THAT(errors[0].message, HasSubstr("invalid JSON"));
}

TEST(AwsImportErrors, TopLevelMustBeAnObject) {
  const Errors errors = import_errors(with(base_files(), "describe-subnets.json", "[1, 2]"));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0].message, HasSubstr("top level must be an object"));
}

TEST(AwsImportErrors, WrongTypeNamesTheJsonPath) {
  const Errors errors = import_errors(with(base_files(), "describe-security-groups.json", R"({"SecurityGroups": [
  {"GroupId": "sg-1", "VpcId": "vpc-1", "IpPermissions": [{"IpProtocol": "tcp", "FromPort": "twenty-two", "ToPort": 22}]}]})"));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0], At("describe-security-groups.json", "SecurityGroups[0].IpPermissions[0].FromPort",
                            "invalid value \"twenty-two\" for type TYPE_INT32"));
  EXPECT_EQ(errors[0].line, 2);
}

TEST(AwsImportErrors, UnknownProtocolAndActionNameTheirPaths) {
  auto files = with(base_files(), "describe-security-groups.json", R"({"SecurityGroups": [
  {"GroupId": "sg-1", "GroupName": "default", "VpcId": "vpc-1", "IpPermissions": [{"IpProtocol": "tcpx", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]}]})");
  files.push_back({"describe-network-acls.json", R"({"NetworkAcls": [{"NetworkAclId": "acl-1", "VpcId": "vpc-1",
    "Entries": [{"RuleNumber": 100, "Protocol": "6", "RuleAction": "permit", "Egress": false, "CidrBlock": "0.0.0.0/0",
                 "PortRange": {"From": 80, "To": 80}}]}]})"});
  const Errors errors = import_errors(files);
  EXPECT_THAT(errors, Contains(At("describe-security-groups.json", "SecurityGroups[0].IpPermissions[0].IpProtocol",
                                  "unknown protocol \"tcpx\"")));
  EXPECT_THAT(errors, Contains(At("describe-network-acls.json", "NetworkAcls[0].Entries[0].RuleAction",
                                  "unknown RuleAction \"permit\"")));
}

TEST(AwsImportErrors, MissingRequiredKeysNameTheirPaths) {
  auto files = with(base_files(), "describe-security-groups.json", R"({"SecurityGroups": [
  {"GroupId": "sg-1", "GroupName": "default", "VpcId": "vpc-1", "IpPermissions": [{"IpProtocol": "tcp", "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]}]})");
  files.push_back({"describe-network-acls.json", R"({"NetworkAcls": [{"NetworkAclId": "acl-1", "VpcId": "vpc-1",
    "Entries": [{"Protocol": "-1", "RuleAction": "allow", "Egress": false, "CidrBlock": "0.0.0.0/0"},
                {"RuleNumber": 110, "Protocol": "17", "RuleAction": "allow", "Egress": false, "CidrBlock": "0.0.0.0/0"},
                {"RuleNumber": 120, "Protocol": "1", "RuleAction": "allow", "Egress": false, "CidrBlock": "0.0.0.0/0"}]}]})"});
  files = with(files, "describe-subnets.json", R"({"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1"}]})");
  const Errors errors = import_errors(files);
  EXPECT_THAT(errors,
              Contains(At("describe-security-groups.json", "SecurityGroups[0].IpPermissions[0].FromPort", "missing")));
  EXPECT_THAT(errors, Contains(At("describe-network-acls.json", "NetworkAcls[0].Entries[0].RuleNumber", "missing")));
  EXPECT_THAT(errors,
              Contains(At("describe-network-acls.json", "NetworkAcls[0].Entries[1].PortRange.From", "missing")));
  EXPECT_THAT(errors,
              Contains(At("describe-network-acls.json", "NetworkAcls[0].Entries[2].IcmpTypeCode.Type", "missing")));
  EXPECT_THAT(errors, Contains(At("describe-subnets.json", "Subnets[0].CidrBlock", "missing")));
}

TEST(AwsImportErrors, BadCidrsNameTheirPaths) {
  auto files = with(base_files(), "describe-security-groups.json", R"({"SecurityGroups": [
  {"GroupId": "sg-1", "GroupName": "default", "VpcId": "vpc-1",
   "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 1, "ToPort": 2, "IpRanges": [{"CidrIp": "10.0.0.0/33"}],
                      "Ipv6Ranges": [{"CidrIpv6": "10.0.0.0/8"}]}]}]})");
  const Errors errors = import_errors(files);
  EXPECT_THAT(errors, Contains(At("describe-security-groups.json",
                                  "SecurityGroups[0].IpPermissions[0].IpRanges[0].CidrIp", "")));
  EXPECT_THAT(errors, Contains(At("describe-security-groups.json",
                                  "SecurityGroups[0].IpPermissions[0].Ipv6Ranges[0].CidrIpv6", "IPv6")));
}

TEST(AwsImportErrors, ModelErrorsAreTracedBackToTheJson) {
  // A subnet outside the VPC's block: the converter finds it, the error names the JSON.
  const Errors errors = import_errors(
      with(base_files(), "describe-subnets.json",
           R"({"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "192.168.1.0/24"}]})"));
  EXPECT_THAT(errors,
              Contains(AllOf(Field(&Error::file, "describe-subnets.json"), Field(&Error::field, "Subnets[0]"))));
}

TEST(AwsImportErrors, EntriesFileNeedsTheListIdInItsName) {
  auto files = base_files();
  files.push_back({"entries.json", R"({"Entries": [{"Cidr": "10.0.0.0/8"}]})"});
  EXPECT_THAT(import_errors(files), Contains(At("entries.json", "Entries", "prefix-list-pl-")));
  EXPECT_EQ(prefix_list_id_from_file_name("dir/prefix-list-pl-0123abcd.json"), "pl-0123abcd");
  EXPECT_EQ(prefix_list_id_from_file_name("pl-1-and-pl-2.json"), std::nullopt);
}

TEST(AwsImportErrors, VpcMissingOrAmbiguous) {
  auto files = with(base_files(), "describe-vpcs.json", R"({"Vpcs": []})");
  EXPECT_THAT(import_errors(files), Contains(Field(&Error::message, HasSubstr("describe-vpcs"))));
  files = with(
      base_files(), "describe-vpcs.json",
      R"({"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}, {"VpcId": "vpc-2", "CidrBlock": "10.1.0.0/16"}]})");
  EXPECT_THAT(import_errors(files), Contains(Field(&Error::message, HasSubstr("--vpc"))));
  auto chosen = import_files(files, AwsImportOptions{"vpc-1"});
  EXPECT_TRUE(chosen.has_value());
}

TEST(AwsImportErrors, MissingDirectoryAndEmptyDirectory) {
  EXPECT_FALSE(import_aws("/nonexistent/aws-dump").has_value());
  const fs::path empty = fs::temp_directory_path() / ("vpcsim_aws_empty_" + std::to_string(::getpid()));
  fs::create_directories(empty);
  auto r = import_aws(empty);
  fs::remove_all(empty);
  ASSERT_FALSE(r.has_value());
  EXPECT_THAT(r.error().front().message, HasSubstr("no *.json"));
}

}  // namespace
}  // namespace vpcsim::io
