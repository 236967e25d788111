// Validation of the network part of a scenario: the VPC, subnets, groups and ACLs as
// objects, prefix lists, instances and their interfaces, internet hosts. Each problem is
// reported at its field path, line and column.
#include <gtest/gtest.h>

#include "io_test_support.h"

namespace vpcsim::io {
namespace {

using testing::expect_only_error;
using testing::expect_only_error_in;

// ---- VPC ------------------------------------------------------------------------------

TEST(VpcValidation, RequiresAnId) {
  expect_only_error_in("vpc {\n  cidr_blocks: \"10.0.0.0/16\"\n}\n", "vpc.id", "id is required", "vpc {");
}

TEST(VpcValidation, RequiresAnIpv4Block) {
  expect_only_error_in("vpc { id: \"v\" ipv6_cidr_blocks: \"2600:1f18::/56\" }", "vpc.cidr_blocks",
                       "a VPC needs at least one IPv4 block", "vpc {");
}

TEST(VpcValidation, RejectsIpv6BlockAmongIpv4Blocks) {
  expect_only_error_in(R"pb(vpc { id: "v" cidr_blocks: "10.0.0.0/16" cidr_blocks: "2600:1f18::/56" })pb",
                       "vpc.cidr_blocks[1]",
                       "2600:1f18::/56 is IPv6, but this field takes IPv4 blocks: put it in "
                       "vpc.ipv6_cidr_blocks",
                       "cidr_blocks: \"2600");
}

TEST(VpcValidation, RejectsIpv4BlockAmongIpv6Blocks) {
  expect_only_error_in(R"pb(vpc { id: "v" cidr_blocks: "10.0.0.0/16" ipv6_cidr_blocks: "10.1.0.0/16" })pb",
                       "vpc.ipv6_cidr_blocks[0]", "put it in vpc.cidr_blocks", "ipv6_cidr_blocks");
}

TEST(VpcValidation, RejectsBlockWithHostBits) {
  expect_only_error_in(R"pb(vpc { id: "v" cidr_blocks: "10.0.0.1/16" })pb", "vpc.cidr_blocks[0]",
                       "has host bits set; the network is 10.0.0.0/16", "cidr_blocks");
}

TEST(VpcValidation, RejectsBlockLargerThanAwsAllows) {
  expect_only_error_in(R"pb(vpc { id: "v" cidr_blocks: "10.0.0.0/8" })pb", "vpc.cidr_blocks[0]",
                       "AWS allows VPC IPv4 blocks from /16 to /28", "cidr_blocks");
}

TEST(VpcValidation, RejectsOverlappingBlocks) {
  expect_only_error_in(R"pb(vpc { id: "v" cidr_blocks: "10.0.0.0/16" cidr_blocks: "10.0.128.0/17" })pb",
                       "vpc.cidr_blocks[1]", "10.0.128.0/17 overlaps the VPC's block 10.0.0.0/16",
                       "cidr_blocks: \"10.0.128");
}

// ---- subnets --------------------------------------------------------------------------

TEST(SubnetValidation, RejectsDuplicateIds) {
  expect_only_error("subnets { id: \"app\" cidr: \"10.0.3.0/24\" }", "subnets[2].id",
                    "duplicate subnet 'app': already declared at subnets[1].id", "id: \"app\"");
}

TEST(SubnetValidation, RequiresIdAndCidr) {
  const std::string text = testing::kBase + "subnets { availability_zone: \"x\" }";
  EXPECT_THAT(testing::errors_of(text),
              ::testing::ElementsAre(testing::ErrorAt("subnets[2].id", "id is required", text, "subnets { avail"),
                                     testing::ErrorAt("subnets[2].cidr", "cidr is required", text, "subnets { avail")));
}

TEST(SubnetValidation, RejectsSubnetOutsideVpc) {
  expect_only_error("subnets { id: \"far\" cidr: \"10.1.0.0/24\" }", "subnets[2].cidr",
                    "10.1.0.0/24 is outside the VPC's IPv4 blocks (10.0.0.0/16)", "cidr:");
}

TEST(SubnetValidation, RejectsOverlappingSubnets) {
  expect_only_error("subnets { id: \"half\" cidr: \"10.0.1.128/25\" }", "subnets[2].cidr",
                    "10.0.1.128/25 overlaps subnet public (10.0.1.0/24)", "cidr:");
}

TEST(SubnetValidation, RejectsSubnetSmallerThanAwsAllows) {
  expect_only_error("subnets { id: \"tiny\" cidr: \"10.0.9.0/29\" }", "subnets[2].cidr",
                    "AWS allows subnet IPv4 blocks from /16 to /28", "cidr:");
}

TEST(SubnetValidation, RejectsIpv6BlockInCidr) {
  expect_only_error("subnets { id: \"six\" cidr: \"2600:1f18:1234:5602::/64\" }", "subnets[2].cidr",
                    "put it in ipv6_cidr", "cidr:");
}

TEST(SubnetValidation, RejectsIpv6BlockOutsideTheVpcs) {
  expect_only_error("subnets { id: \"six\" cidr: \"10.0.3.0/24\" ipv6_cidr: \"2600:1f18:9999::/64\" }",
                    "subnets[2].ipv6_cidr", "is outside the VPC's IPv6 blocks (2600:1f18:1234:5600::/56)",
                    "ipv6_cidr:");
}

TEST(SubnetValidation, RejectsOverlappingIpv6Blocks) {
  expect_only_error("subnets { id: \"six\" cidr: \"10.0.3.0/24\" ipv6_cidr: \"2600:1f18:1234:5601::/64\" }",
                    "subnets[2].ipv6_cidr", "overlaps subnet public (2600:1f18:1234:5601::/64)", "ipv6_cidr:");
}

TEST(SubnetValidation, RejectsIpv6BlockWhenVpcHasNone) {
  expect_only_error_in(R"pb(vpc { id: "v" cidr_blocks: "10.0.0.0/16" }
                            subnets { id: "a" cidr: "10.0.1.0/24" ipv6_cidr: "2600:1f18::/64" })pb",
                       "subnets[0].ipv6_cidr", "the VPC has no IPv6 block", "ipv6_cidr");
}

// IPv6-only subnets (EC2 API CreateSubnet: "For an IPv6 only subnet, specify an IPv6 CIDR
// block") and their IPv6-only interfaces.
constexpr std::string_view kIpv6OnlySubnet = "subnets { id: \"v6\" ipv6_cidr: \"2600:1f18:1234:5602::/64\" }\n";
std::string instance_with(const std::string& fields);  // below

TEST(SubnetValidation, AcceptsAnIpv6OnlySubnetWithAnIpv6OnlyInterface) {
  const Scenario s = testing::load_ok(testing::kBase + std::string(kIpv6OnlySubnet) +
                                      instance_with("subnet: \"v6\" ipv6_addresses: \"2600:1f18:1234:5602::20\" "
                                                    "security_groups: \"sg-web\""));
  const Subnet& v6 = s.network.subnets.back();
  EXPECT_EQ(v6.id, "v6");
  EXPECT_FALSE(v6.ipv4_cidr);
  ASSERT_TRUE(v6.ipv6_cidr);
  EXPECT_EQ(v6.ipv6_cidr->to_string(), "2600:1f18:1234:5602::/64");
  const Eni& x = s.network.enis.back();
  EXPECT_TRUE(x.private_ipv4.empty());
  EXPECT_TRUE(x.ipv6_only());
  EXPECT_EQ(x.primary_ipv4(), std::nullopt);
  EXPECT_EQ(x.display_address(), IpAddress::parse("2600:1f18:1234:5602::20").value());
  EXPECT_EQ(endpoint_address(s.network, EniId(3), Family::kIpv4), std::nullopt);
  EXPECT_EQ(endpoint_address(s.network, EniId(3), Family::kIpv6), x.ipv6.front());
  // Found by its IPv6 address, as flow-log replay and SG references find interfaces.
  EXPECT_EQ(s.network.find_eni_by_private_address(x.ipv6.front()), EniId(3));
}

TEST(SubnetValidation, RequiresABlockOfSomeFamily) {
  expect_only_error("subnets { id: \"none\" availability_zone: \"us-east-1a\" }", "subnets[2].cidr",
                    "an IPv6-only subnet gives ipv6_cidr instead", "subnets {");
}

TEST(SubnetValidation, Ipv6OnlySubnetNeedsTheVpcsIpv6Block) {
  expect_only_error_in(R"pb(vpc { id: "v" cidr_blocks: "10.0.0.0/16" }
                            subnets { id: "a" ipv6_cidr: "2600:1f18::/64" })pb",
                       "subnets[0].ipv6_cidr", "the VPC has no IPv6 block", "ipv6_cidr");
}

TEST(SubnetValidation, Ipv6OnlySubnetsMustNotOverlap) {
  expect_only_error(std::string(kIpv6OnlySubnet) + "subnets { id: \"v6b\"  ipv6_cidr:  \"2600:1f18:1234:5602::/64\" }",
                    "subnets[3].ipv6_cidr", "overlaps subnet v6 (2600:1f18:1234:5602::/64)", "ipv6_cidr:  ");
}

TEST(SubnetValidation, RejectsUnknownAclListingTheKnownOnes) {
  expect_only_error("subnets { id: \"x\" cidr: \"10.0.3.0/24\" network_acl: \"acl-privat\" }", "subnets[2].network_acl",
                    "no network ACL is named 'acl-privat' (known: acl-public, default-acl)", "network_acl:");
}

// ---- security groups and ACLs as objects ------------------------------------------------

TEST(GroupValidation, RejectsDuplicateGroupIds) {
  expect_only_error("security_groups { id: \"sg-db\" }", "security_groups[2].id",
                    "duplicate security group 'sg-db': already declared at security_groups[1].id", "id:");
}

TEST(GroupValidation, RequiresGroupId) {
  expect_only_error("security_groups { name: \"x\" }", "security_groups[2].id", "id is required", "security_groups {");
}

TEST(GroupValidation, RejectsDuplicateGroupNames) {
  expect_only_error("security_groups { id: \"sg-web2\" name: \"web\" }", "security_groups[2].name",
                    "group name 'web' is already used at security_groups[0].name", "name:");
}

TEST(GroupValidation, RejectsTwoDefaultGroups) {
  expect_only_error(
      "security_groups { id: \"sg-d1\" name: \"default\" }\nsecurity_groups { name: \"default\" id: \"sg-d2\" }",
      "security_groups[3].name", "a VPC has one default group, and security_groups[2].name is already",
      "name: \"default\" id");
}

TEST(GroupValidation, RejectsIdDefaultOnAGroupNotNamedDefault) {
  expect_only_error("security_groups { id: \"default\" name: \"other\" }", "security_groups[2].id",
                    "add name: \"default\" to make it the default group", "id:");
}

TEST(AclValidation, RejectsTwoDefaultAcls) {
  expect_only_error("network_acls { id: \"a1\" is_default: true }\nnetwork_acls { is_default: true id: \"a2\" }",
                    "network_acls[2].is_default", "network_acls[1] is already the default ACL", "is_default: true id");
}

TEST(AclValidation, RejectsDuplicateAclIds) {
  expect_only_error("network_acls { id: \"acl-public\" }", "network_acls[1].id", "duplicate network ACL 'acl-public'",
                    "id:");
}

TEST(AclValidation, RejectsIdOfTheImplicitDefaultAcl) {
  expect_only_error("network_acls { id: \"default-acl\" }", "network_acls[1].id",
                    "add is_default: true to make it the default", "id:");
}

// ---- prefix lists --------------------------------------------------------------------

TEST(PrefixListValidation, RejectsMixedFamilies) {
  expect_only_error("prefix_lists { id: \"pl-mix\" entries: \"10.9.0.0/16\" entries: \"2001:db8::/32\" }",
                    "prefix_lists[1].entries[1]",
                    "2001:db8::/32 is IPv6 but the list's first entry (prefix_lists[1].entries[0]) is IPv4",
                    "entries: \"2001");
}

TEST(PrefixListValidation, RejectsBadEntriesAndDuplicateIds) {
  expect_only_error("prefix_lists { id: \"pl-office\" }", "prefix_lists[1].id", "duplicate prefix list 'pl-office'",
                    "id:");
  expect_only_error("prefix_lists { id: \"pl-x\" entries: \"10.9.0.0\" }", "prefix_lists[1].entries[0]",
                    "add a prefix length (a single host is 10.9.0.0/32)", "entries:");
}

// ---- instances and interfaces --------------------------------------------------------

// An instance with one interface in subnet "app" (10.0.2.0/24) whose fields are `fields`.
std::string instance_with(const std::string& fields) {
  return "instances {\n  name: \"x\"\n  interfaces {\n    id: \"eni-x\"\n    " + fields + "\n  }\n}\n";
}

TEST(InstanceValidation, RequiresNameAndInterface) {
  expect_only_error("instances { role: \"r\" interfaces { id: \"e\" subnet: \"app\" private_ips: \"10.0.2.9\" } }",
                    "instances[2].name", "name is required", "instances {");
  expect_only_error("instances { name: \"lonely\" }", "instances[2].interfaces", "at least one network interface",
                    "instances {");
}

TEST(InstanceValidation, RejectsDuplicateNames) {
  expect_only_error("instances { name: \"db\" interfaces { id: \"e\" subnet: \"app\" private_ips: \"10.0.2.9\" } }",
                    "instances[2].name", "duplicate instance 'db': already declared at instances[1].name", "name:");
}

TEST(InterfaceValidation, RequiresIdSubnetAndAddress) {
  expect_only_error("instances { name: \"x\" interfaces { subnet: \"app\" private_ips: \"10.0.2.9\" } }",
                    "instances[2].interfaces[0].id", "id is required", "interfaces {");
  expect_only_error(instance_with("private_ips: \"10.0.2.9\""), "instances[2].interfaces[0].subnet",
                    "subnet is required", "interfaces {");
  expect_only_error(instance_with("subnet: \"app\""), "instances[2].interfaces[0].private_ips",
                    "an interface needs at least one address: private_ips (IPv4, its primary first), or for an "
                    "IPv6-only interface ipv6_addresses",
                    "interfaces {");
}

TEST(InterfaceValidation, AnInterfaceWithoutAnyAddressIsRejectedInAnIpv6OnlySubnetToo) {
  expect_only_error(std::string(kIpv6OnlySubnet) + instance_with("subnet: \"v6\""),
                    "instances[2].interfaces[0].private_ips", "an interface needs at least one address",
                    "interfaces {");
}

TEST(InterfaceValidation, RejectsIpv4AddressInAnIpv6OnlySubnet) {
  expect_only_error(
      std::string(kIpv6OnlySubnet) +
          instance_with("subnet: \"v6\" private_ips: \"10.0.3.9\" ipv6_addresses: \"2600:1f18:1234:5602::9\""),
      "instances[2].interfaces[0].private_ips[0]",
      "subnet v6 is IPv6-only (it has no IPv4 cidr): its interfaces have IPv6 addresses only", "private_ips:");
}

// An IPv6-only interface (no private IPv4) in a dual-stack subnet: AWS gives every interface in
// a subnet with an IPv4 block a private IPv4 address (RunInstances), and launches IPv6-only
// instances into IPv6-only subnets only.
TEST(InterfaceValidation, RejectsAnIpv6OnlyInterfaceInADualStackSubnet) {
  expect_only_error(instance_with("subnet: \"public\" ipv6_addresses: \"2600:1f18:1234:5601::9\""),
                    "instances[2].interfaces[0].private_ips",
                    "the interface has no private IPv4 address, but subnet public has an IPv4 block (10.0.1.0/24): "
                    "AWS gives every interface in such a subnet a primary private IPv4 address from it, and "
                    "IPv6-only interfaces are launched into IPv6-only subnets only; add private_ips (an address in "
                    "10.0.1.0/24), or put the interface in an IPv6-only subnet",
                    "interfaces {");
  // The same interface with a private IPv4 address is a dual-stack one, and fine.
  const Scenario s = testing::load_ok(testing::kBase + instance_with("subnet: \"public\" private_ips: \"10.0.1.9\" "
                                                                     "ipv6_addresses: \"2600:1f18:1234:5601::9\""));
  EXPECT_FALSE(s.network.enis.back().ipv6_only());
  // In JSON, the location is the interface's too.
  const std::string json = R"({"vpc": {"id": "v", "cidr_blocks": ["10.0.0.0/16"], "ipv6_cidr_blocks": ["2600:1f18:1234:5600::/56"]},
 "subnets": [{"id": "ds", "cidr": "10.0.1.0/24", "ipv6_cidr": "2600:1f18:1234:5601::/64"}],
 "instances": [{"name": "x", "interfaces": [{"id": "eni-x", "subnet": "ds", "ipv6_addresses": ["2600:1f18:1234:5601::9"]}]}]})";
  const auto loaded = load_scenario_string(json, "dual.json", ScenarioFormat::kJson);
  ASSERT_FALSE(loaded);
  ASSERT_EQ(loaded.error().size(), 1u) << loaded.error().front().format();
  EXPECT_EQ(loaded.error().front().file, "dual.json");
  EXPECT_EQ(loaded.error().front().field, "instances[0].interfaces[0].private_ips");
  EXPECT_THAT(loaded.error().front().message, ::testing::HasSubstr("subnet ds has an IPv4 block (10.0.1.0/24)"));
}

TEST(InterfaceValidation, RejectsPublicIpv4OnAnIpv6OnlyInterface) {
  expect_only_error(std::string(kIpv6OnlySubnet) + instance_with("subnet: \"v6\" ipv6_addresses: "
                                                                 "\"2600:1f18:1234:5602::9\" public_ip: \"54.0.0.99\""),
                    "instances[2].interfaces[0].public_ip",
                    "54.0.0.99 cannot be the public IP of an IPv6-only interface", "public_ip:");
}

TEST(InterfaceValidation, ABadSubnetBlockIsReportedOnceNotAgainAtItsInterfaces) {
  expect_only_error(
      "subnets { id: \"bad\" cidr: \"10.9.0.0/24\" }\n" + instance_with("subnet: \"bad\" private_ips: \"10.9.0.9\""),
      "subnets[2].cidr", "is outside the VPC's IPv4 blocks", "cidr: \"10.9");
}

TEST(InterfaceValidation, RejectsDuplicateIdsAcrossInstances) {
  expect_only_error("instances { name: \"x\" interfaces { id: \"eni-db\" subnet: \"app\" private_ips: \"10.0.2.9\" } }",
                    "instances[2].interfaces[0].id",
                    "duplicate interface 'eni-db': already declared at instances[1].interfaces[0].id", "id:");
}

TEST(InterfaceValidation, RejectsUnknownSubnet) {
  expect_only_error(instance_with("subnet: \"db\" private_ips: \"10.0.2.9\""), "instances[2].interfaces[0].subnet",
                    "no subnet is named 'db' (known: public, app)", "subnet:");
}

TEST(InterfaceValidation, RejectsAddressOutsideItsSubnet) {
  expect_only_error(instance_with("subnet: \"public\" private_ips: \"10.0.2.5\""),
                    "instances[2].interfaces[0].private_ips[0]", "10.0.2.5 is outside subnet public (10.0.1.0/24)",
                    "private_ips:");
}

TEST(InterfaceValidation, RejectsAwsReservedAddresses) {
  for (const char* a : {"10.0.2.0", "10.0.2.1", "10.0.2.2", "10.0.2.3", "10.0.2.255"}) {
    SCOPED_TRACE(a);
    expect_only_error(instance_with(std::string("subnet: \"app\" private_ips: \"") + a + "\""),
                      "instances[2].interfaces[0].private_ips[0]",
                      std::string(a) +
                          " is reserved: AWS keeps the first four addresses (10.0.2.0-10.0.2.3) and the "
                          "last (10.0.2.255) of subnet app (10.0.2.0/24)",
                      "private_ips:");
  }
}

TEST(InterfaceValidation, AcceptsTheFirstAndLastUsableAddresses) {
  const Scenario s = testing::load_ok(
      testing::kBase + instance_with("subnet: \"app\" private_ips: \"10.0.2.4\" private_ips: \"10.0.2.254\""));
  EXPECT_EQ(s.network.enis.back().private_ipv4.size(), 2u);
}

TEST(InterfaceValidation, RejectsAddressUsedByTwoInterfaces) {
  expect_only_error(instance_with("subnet: \"app\" private_ips: \"10.0.2.20\""),
                    "instances[2].interfaces[0].private_ips[0]",
                    "10.0.2.20 is already assigned at instances[1].interfaces[0].private_ips[0]", "private_ips:");
}

TEST(InterfaceValidation, RejectsIpv6InPrivateIps) {
  expect_only_error(instance_with("subnet: \"public\" private_ips: \"2600:1f18:1234:5601::20\""),
                    "instances[2].interfaces[0].private_ips[0]", "is IPv6: IPv6 addresses go in ipv6_addresses",
                    "private_ips:");
}

TEST(InterfaceValidation, RejectsIpv6AddressInSubnetWithoutIpv6) {
  expect_only_error(
      instance_with("subnet: \"app\" private_ips: \"10.0.2.9\" ipv6_addresses: \"2600:1f18:1234:5602::9\""),
      "instances[2].interfaces[0].ipv6_addresses[0]", "subnet app has no IPv6 block", "ipv6_addresses:");
}

TEST(InterfaceValidation, RejectsIpv6AddressOutsideItsSubnet) {
  expect_only_error(
      instance_with("subnet: \"public\" private_ips: \"10.0.1.9\" ipv6_addresses: \"2600:1f18:1234:5602::9\""),
      "instances[2].interfaces[0].ipv6_addresses[0]",
      "2600:1f18:1234:5602::9 is outside subnet public (2600:1f18:1234:5601::/64)", "ipv6_addresses:");
}

TEST(InterfaceValidation, PublicIpMustBeIpv4OutsideTheVpc) {
  expect_only_error(instance_with("subnet: \"app\" private_ips: \"10.0.2.9\" public_ip: \"10.0.3.9\""),
                    "instances[2].interfaces[0].public_ip", "10.0.3.9 is inside the VPC's block 10.0.0.0/16",
                    "public_ip:");
  expect_only_error(instance_with("subnet: \"app\" private_ips: \"10.0.2.9\" public_ip: \"2001:db8::9\""),
                    "instances[2].interfaces[0].public_ip", "is IPv6; public_ip is a public IPv4", "public_ip:");
  expect_only_error(instance_with("subnet: \"app\" private_ips: \"10.0.2.9\" public_ip: \"54.0.0.10\""),
                    "instances[2].interfaces[0].public_ip",
                    "54.0.0.10 is already the public IP at instances[0].interfaces[0].public_ip", "public_ip:");
}

TEST(InterfaceValidation, RejectsUnknownAndRepeatedGroups) {
  expect_only_error(instance_with("subnet: \"app\" private_ips: \"10.0.2.9\" security_groups: \"sg-api\""),
                    "instances[2].interfaces[0].security_groups[0]",
                    "no security group is named 'sg-api' (known: sg-web, sg-db, default)", "security_groups:");
  expect_only_error(instance_with("subnet: \"app\" private_ips: \"10.0.2.9\" security_groups: \"sg-db\" "
                                  "security_groups: \"sg-db\""),
                    "instances[2].interfaces[0].security_groups[1]", "security group sg-db is listed twice",
                    "security_groups: \"sg-db\"\n");
}

TEST(InterfaceValidation, RejectsMoreThanSixteenGroups) {
  std::string groups;
  std::string refs;
  for (int i = 0; i < 17; ++i) {
    groups += "security_groups { id: \"g" + std::to_string(i) + "\" }\n";
    refs += " security_groups: \"g" + std::to_string(i) + "\"";
  }
  expect_only_error(
      groups + instance_with("subnet: \"app\" private_ips: \"10.0.2.9\"" + refs),
      "instances[2].interfaces[0].security_groups[16]",
      "at most 16 security groups (AWS quota \"Security groups per network interface\"); this one lists 17",
      "security_groups: \"g16\"");
}

// ---- internet hosts and endpoint names -------------------------------------------------

TEST(InternetHostValidation, RequiresNameAndAddress) {
  expect_only_error("internet_hosts { address: \"198.51.100.99\" }", "internet_hosts[2].name", "name is required",
                    "internet_hosts {");
  expect_only_error("internet_hosts { name: \"h\" }", "internet_hosts[2].address", "address is required",
                    "internet_hosts {");
  expect_only_error("internet_hosts { name: \"h\" address: \"198.51.100.256\" }", "internet_hosts[2].address",
                    "out of range 0-255", "address:");
}

TEST(InternetHostValidation, RejectsAddressInsideTheVpc) {
  expect_only_error("internet_hosts { name: \"h\" address: \"10.0.9.9\" }", "internet_hosts[2].address",
                    "10.0.9.9 is inside the VPC's block 10.0.0.0/16", "address:");
  expect_only_error("internet_hosts { name: \"h\" address: \"2600:1f18:1234:5600::1\" }", "internet_hosts[2].address",
                    "is inside the VPC's block 2600:1f18:1234:5600::/56", "address:");
}

TEST(InternetHostValidation, AcceptsTheVpcsDnsServerAndRouterAddresses) {
  // Security groups and network ACLs never filter the Amazon DNS server (the primary block's
  // base + 2) or a subnet's router (its base + 1): a scenario may name them as hosts
  // (model/aws_service.h). Other addresses inside the VPC stay errors, with the allowed ones named.
  const Scenario s = testing::load_ok(testing::kBase + R"pb(
    internet_hosts { name: "amazon-dns" address: "10.0.0.2" }
    internet_hosts { name: "router" address: "10.0.2.1" }
    internet_hosts { name: "imds" address: "169.254.169.254" })pb");
  ASSERT_EQ(s.network.external_hosts.size(), 5u);
  EXPECT_EQ(s.network.external_hosts[2].address.to_string(), "10.0.0.2");
  EXPECT_EQ(s.network.external_hosts[3].address.to_string(), "10.0.2.1");
  expect_only_error("internet_hosts { name: \"h\" address: \"10.0.0.3\" }", "internet_hosts[2].address",
                    "only the Amazon DNS server 10.0.0.2 and a subnet's router, its base + 1, may be named here",
                    "address:");
}

TEST(EndpointNameValidation, RejectsInstanceNamedLikeAnInternetHost) {
  expect_only_error("internet_hosts { name: \"web\" address: \"198.51.100.99\" }", "internet_hosts[2].name",
                    "'web' is already the name of instance instances[0]; flows refer to instances, interfaces and "
                    "internet hosts by name",
                    "name: \"web\"");
}

TEST(EndpointNameValidation, RejectsInterfaceNamedLikeAnInstance) {
  expect_only_error("instances { name: \"x\" interfaces { id: \"db\" subnet: \"app\" private_ips: \"10.0.2.9\" } }",
                    "instances[2].interfaces[0].id", "'db' is already the name of instance instances[1]", "id: \"db\"");
}

TEST(EndpointNameValidation, RejectsDuplicateHostNames) {
  expect_only_error("internet_hosts { name: \"client\" address: \"198.51.100.99\" }", "internet_hosts[2].name",
                    "duplicate internet host 'client'", "name:");
}

}  // namespace
}  // namespace vpcsim::io
