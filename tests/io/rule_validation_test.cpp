// Validation of security-group rules and network-ACL entries: protocol, ports, ICMP fields,
// peers, rule numbers and actions.
#include <gtest/gtest.h>

#include "io_test_support.h"

namespace vpcsim::io {
namespace {

using testing::expect_only_error;

// A new group (security_groups[2]) with one ingress rule of `fields`.
std::string group_rule(const std::string& fields) {
  return "security_groups {\n  id: \"sg-t\"\n  ingress { " + fields + " }\n}\n";
}

// A new ACL (network_acls[1]) with the given entries.
std::string acl(const std::string& entries) { return "network_acls {\n  id: \"acl-t\"\n" + entries + "}\n"; }

constexpr const char* kRule = "security_groups[2].ingress[0]";

// ---- traffic selectors (shared by rules and entries) ------------------------------------

TEST(RuleTrafficValidation, RequiresProtocolListingTheAcceptedValues) {
  expect_only_error(group_rule("ports: \"22\" cidr: \"0.0.0.0/0\""), std::string(kRule) + ".protocol",
                    "protocol is required: use tcp, udp, icmp, icmpv6, all (-1) or a protocol number 0-255",
                    "ingress {");
}

TEST(RuleTrafficValidation, RejectsUnknownProtocol) {
  expect_only_error(group_rule("protocol: \"tcpp\" ports: \"22\" cidr: \"0.0.0.0/0\""),
                    std::string(kRule) + ".protocol", "unknown protocol 'tcpp'", "protocol:");
}

TEST(RuleTrafficValidation, TcpAndUdpRequirePorts) {
  expect_only_error(group_rule("protocol: \"udp\" cidr: \"0.0.0.0/0\""), std::string(kRule) + ".ports",
                    "udp needs ports: a port (\"443\"), a range (\"1024-65535\") or \"all\"", "ingress {");
}

TEST(RuleTrafficValidation, RejectsReversedPortRange) {
  expect_only_error(group_rule("protocol: \"tcp\" ports: \"443-80\" cidr: \"0.0.0.0/0\""),
                    std::string(kRule) + ".ports", "port range 443-80 is reversed; write 80-443", "ports:");
}

TEST(RuleTrafficValidation, RejectsIcmpFieldsOnTcp) {
  expect_only_error(group_rule("protocol: \"tcp\" ports: \"22\" icmp_type: 8 cidr: \"0.0.0.0/0\""),
                    std::string(kRule) + ".icmp_type", "icmp_type and icmp_code apply to icmp and icmpv6 only",
                    "icmp_type:");
}

TEST(RuleTrafficValidation, RejectsPortsOnIcmp) {
  expect_only_error(group_rule("protocol: \"icmp\" ports: \"8\" cidr: \"0.0.0.0/0\""), std::string(kRule) + ".ports",
                    "ports apply to tcp and udp only; select icmp messages with icmp_type and icmp_code", "ports:");
}

TEST(RuleTrafficValidation, RejectsIcmpCodeWithoutType) {
  expect_only_error(group_rule("protocol: \"icmp\" icmp_code: 3 cidr: \"0.0.0.0/0\""),
                    std::string(kRule) + ".icmp_code", "ICMP code 3 needs a specific ICMP type", "icmp_code:");
}

TEST(RuleTrafficValidation, RejectsIcmpTypeOutOfRange) {
  expect_only_error(group_rule("protocol: \"icmpv6\" icmp_type: 300 cidr: \"::/0\""), std::string(kRule) + ".icmp_type",
                    "ICMP type 300 is out of range", "icmp_type:");
}

TEST(RuleTrafficValidation, RejectsPortsWithProtocolAll) {
  expect_only_error(group_rule("protocol: \"-1\" ports: \"22\" cidr: \"0.0.0.0/0\""), std::string(kRule) + ".ports",
                    "ports have no effect with protocol all; remove them", "ports:");
}

TEST(RuleTrafficValidation, RejectsPortsWithProtocolsWithoutPorts) {
  expect_only_error(group_rule("protocol: \"47\" ports: \"22\" cidr: \"0.0.0.0/0\""), std::string(kRule) + ".ports",
                    "ports have no effect with protocol 47; remove them", "ports:");
}

// ---- security-group peers -------------------------------------------------------------

TEST(SgRulePeerValidation, RequiresAPeer) {
  expect_only_error(group_rule("protocol: \"all\""), kRule,
                    "a rule needs a peer: set one of cidr, prefix_list or security_group", "ingress {");
}

TEST(SgRulePeerValidation, RejectsCidrWithHostBits) {
  expect_only_error(group_rule("protocol: \"all\" cidr: \"10.0.1.10/24\""), std::string(kRule) + ".cidr",
                    "'10.0.1.10/24' has host bits set; the network is 10.0.1.0/24 (or use /32 for the single host)",
                    "cidr:");
}

TEST(SgRulePeerValidation, RejectsEmptyCidr) {
  expect_only_error(group_rule("protocol: \"all\" cidr: \"\""), std::string(kRule) + ".cidr", "cidr is empty", "cidr:");
}

TEST(SgRulePeerValidation, RejectsUnknownPrefixListListingTheKnownOnes) {
  expect_only_error(group_rule("protocol: \"all\" prefix_list: \"pl-home\""), std::string(kRule) + ".prefix_list",
                    "no prefix list is named 'pl-home' (known: pl-office)", "prefix_list:");
}

TEST(SgRulePeerValidation, RejectsUnknownGroupListingTheKnownOnes) {
  expect_only_error(group_rule("protocol: \"all\" security_group: \"sg-api\""), std::string(kRule) + ".security_group",
                    "no security group is named 'sg-api' (known: sg-web, sg-db, sg-t, default)", "security_group:");
}

TEST(SgRulePeerValidation, ReportsTrafficAndPeerProblemsOfOneRuleTogether) {
  const std::string text = testing::kBase + group_rule("protocol: \"tcp\" security_group: \"sg-api\"");
  EXPECT_THAT(testing::errors_of(text),
              ::testing::ElementsAre(testing::ErrorAt(std::string(kRule) + ".ports", "tcp needs ports"),
                                     testing::ErrorAt(std::string(kRule) + ".security_group", "sg-api")));
}

TEST(SgRuleValidation, RejectsUnknownDefaultsValueFromJson) {
  const auto s = load_scenario_string(
      R"({"vpc": {"id": "v", "cidrBlocks": ["10.0.0.0/16"]}, "securityGroups": [{"id": "g", "defaults": 7}]})",
      "g.json", ScenarioFormat::kJson);
  ASSERT_FALSE(s);
  ASSERT_EQ(s.error().size(), 1u);
  EXPECT_EQ(s.error()[0].field, "security_groups[0].defaults");
  EXPECT_EQ(s.error()[0].line, 0);
}

// ---- network-ACL entries ----------------------------------------------------------------

constexpr const char* kEntry = "network_acls[1].ingress[0]";

TEST(NaclEntryValidation, RequiresRuleNumber) {
  expect_only_error(acl("  ingress { action: \"allow\" protocol: \"all\" cidr: \"0.0.0.0/0\" }\n"),
                    std::string(kEntry) + ".rule_number", "rule_number is required: 1-32766", "ingress {");
}

TEST(NaclEntryValidation, RejectsReservedRuleNumbers) {
  expect_only_error(acl("  ingress { rule_number: 32767 action: \"allow\" protocol: \"all\" cidr: \"0.0.0.0/0\" }\n"),
                    std::string(kEntry) + ".rule_number",
                    "32767 and above are reserved for the implicit * rule (EC2 API CreateNetworkAclEntry)",
                    "rule_number:");
  expect_only_error(acl("  ingress { rule_number: -4 action: \"allow\" protocol: \"all\" cidr: \"0.0.0.0/0\" }\n"),
                    std::string(kEntry) + ".rule_number", "rule number -4 is out of range 1-32766", "rule_number:");
}

TEST(NaclEntryValidation, RejectsRuleNumberUsedTwiceInOneDirection) {
  expect_only_error(acl("  ingress { rule_number: 100 action: \"allow\" protocol: \"all\" cidr: \"0.0.0.0/0\" }\n"
                        "  egress { rule_number: 100 action: \"allow\" protocol: \"all\" cidr: \"0.0.0.0/0\" }\n"
                        "  ingress { rule_number: 100 action: \"deny\" protocol: \"all\" cidr: \"::/0\" }\n"),
                    "network_acls[1].ingress[1].rule_number", "rule 100 already used at network_acls[1].ingress[0]",
                    "rule_number: 100 action: \"deny\"");
}

TEST(NaclEntryValidation, RejectsRuleNumberTakenByAwsDefaultEntries) {
  expect_only_error(
      "network_acls {\n  id: \"acl-t\"\n  aws_default_entries: true\n"
      "  egress { rule_number: 101 action: \"deny\" protocol: \"all\" cidr: \"::/0\" }\n}\n",
      "network_acls[1].egress[0].rule_number",
      "rule 101 already used at AWS's default entries (aws_default_entries: true)", "rule_number:");
}

TEST(NaclEntryValidation, RequiresAllowOrDeny) {
  expect_only_error(acl("  ingress { rule_number: 1 protocol: \"all\" cidr: \"0.0.0.0/0\" }\n"),
                    std::string(kEntry) + ".action", "action is required: allow or deny", "ingress {");
  expect_only_error(acl("  ingress { rule_number: 1 action: \"permit\" protocol: \"all\" cidr: \"0.0.0.0/0\" }\n"),
                    std::string(kEntry) + ".action", "unknown action 'permit': use allow or deny", "action:");
}

TEST(NaclEntryValidation, RequiresAValidCidr) {
  expect_only_error(acl("  ingress { rule_number: 1 action: \"allow\" protocol: \"all\" }\n"),
                    std::string(kEntry) + ".cidr", "cidr is required", "ingress {");
  expect_only_error(acl("  ingress { rule_number: 1 action: \"allow\" protocol: \"all\" cidr: \"0.0.0.0/40\" }\n"),
                    std::string(kEntry) + ".cidr", "prefix length '40' must be a number from 0 to 32", "cidr:");
}

TEST(NaclEntryValidation, ChecksTrafficLikeSecurityGroupRules) {
  expect_only_error(acl("  egress { rule_number: 1 action: \"allow\" protocol: \"tcp\" cidr: \"0.0.0.0/0\" }\n"),
                    "network_acls[1].egress[0].ports", "tcp needs ports", "egress {");
}

TEST(NaclEntryValidation, ReportsEveryProblemOfAnEntry) {
  // A missing field is reported where its entry starts, so it comes first in source order.
  const std::string text = testing::kBase + acl("  ingress { rule_number: 0 action: \"x\" protocol: \"y\" }\n");
  EXPECT_THAT(
      testing::errors_of(text),
      ::testing::ElementsAre(
          testing::ErrorAt(std::string(kEntry) + ".cidr", "cidr is required", text, "ingress { rule_number: 0"),
          testing::ErrorAt(std::string(kEntry) + ".rule_number", "required", text, "rule_number: 0"),
          testing::ErrorAt(std::string(kEntry) + ".action", "unknown action 'x'", text, "action: \"x\""),
          testing::ErrorAt(std::string(kEntry) + ".protocol", "unknown protocol 'y'", text, "protocol: \"y\"")));
}

}  // namespace
}  // namespace vpcsim::io
