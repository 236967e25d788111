// Timed rule changes: each kind with its references and rules, their times and order, and
// removals that nothing in the scenario could ever satisfy.
#include <gtest/gtest.h>

#include "io_test_support.h"

namespace vpcsim::io {
namespace {

using testing::expect_only_error;
using testing::kBase;
using testing::load_ok;

// A change (changes[0], or the next index when several are appended) at `at` seconds.
std::string change(const std::string& body, double at = 10) {
  return "changes {\n  at_seconds: " + std::to_string(at) + "\n  " + body + "\n}\n";
}

const RuleChange& only_change(const Scenario& s) {
  EXPECT_EQ(s.changes.size(), 1u);
  return s.changes.front().change;
}

// ---- each kind --------------------------------------------------------------------------

TEST(ChangeConversion, AddSgRuleConvertsTheRuleLikeTheGroupsOwn) {
  const Scenario s =
      load_ok(kBase + change("add_sg_rule { security_group: \"sg-db\" direction: EGRESS rule { id: "
                             "\"sgr-new\" protocol: \"udp\" ports: \"53\" security_group: \"sg-web\" } }"));
  const auto& add = std::get<AddSgRule>(only_change(s));
  EXPECT_EQ(add.sg, SgId(1));
  EXPECT_EQ(add.direction, Direction::kEgress);
  EXPECT_EQ(add.rule.id, "sgr-new");
  EXPECT_EQ(add.rule.traffic, TrafficMatch::udp(PortRange::single(53)));
  EXPECT_EQ(add.rule.peer, Peer(SgId(0)));
  EXPECT_EQ(s.changes.front().at, seconds(10));
  EXPECT_EQ(s.changes.front().field, "changes[0]");
}

TEST(ChangeConversion, RemoveSgRuleByIdOrByAMatchingRule) {
  const Scenario s1 = load_ok(kBase + change("remove_sg_rule { security_group: \"sg-web\" rule_id: \"sgr-ssh\" }"));
  const auto& by_id = std::get<RemoveSgRule>(only_change(s1));
  EXPECT_EQ(by_id.rule_id, "sgr-ssh");
  EXPECT_EQ(by_id.direction, Direction::kIngress);
  EXPECT_FALSE(by_id.match);

  const Scenario s2 = load_ok(kBase + change("remove_sg_rule { security_group: \"sg-web\" rule { protocol: \"tcp\" "
                                             "ports: \"443\" cidr: \"0.0.0.0/0\" } }"));
  const auto& by_rule = std::get<RemoveSgRule>(only_change(s2));
  EXPECT_TRUE(by_rule.rule_id.empty());
  ASSERT_TRUE(by_rule.match);
  EXPECT_EQ(by_rule.match->traffic, TrafficMatch::tcp(PortRange::single(443)));
}

TEST(ChangeConversion, AttachAndDetachTakeAnInterfaceOrAnInstancesPrimary) {
  const Scenario s = load_ok(kBase + change("attach_sg { interface: \"db\" security_group: \"sg-web\" }") +
                             change("detach_sg { interface: \"eni-db-admin\" security_group: \"default\" }"));
  ASSERT_EQ(s.changes.size(), 2u);
  const auto& attach = std::get<AttachSg>(s.changes[0].change);
  EXPECT_EQ(attach.eni, EniId(1));
  EXPECT_EQ(attach.sg, SgId(0));
  const auto& detach = std::get<DetachSg>(s.changes[1].change);
  EXPECT_EQ(detach.eni, EniId(2));
  EXPECT_EQ(detach.sg, SgId(2));
}

TEST(ChangeConversion, NaclEntryChangesAndAssociation) {
  const Scenario s = load_ok(
      kBase +
      change("add_nacl_entry { network_acl: \"acl-public\" direction: EGRESS entry { rule_number: 90 action: \"deny\" "
             "protocol: \"tcp\" ports: \"22\" cidr: \"0.0.0.0/0\" } }") +
      change("replace_nacl_entry { network_acl: \"acl-public\" entry { rule_number: 100 action: \"allow\" protocol: "
             "\"tcp\" ports: \"80\" cidr: \"0.0.0.0/0\" } }") +
      change("remove_nacl_entry { network_acl: \"default-acl\" direction: EGRESS entry { rule_number: 101 } }") +
      change("associate_nacl { subnet: \"app\" network_acl: \"acl-public\" }"));
  ASSERT_EQ(s.changes.size(), 4u);
  const auto& add = std::get<PutNaclEntry>(s.changes[0].change);
  EXPECT_FALSE(add.replace);
  EXPECT_EQ(add.nacl, NaclId(0));
  EXPECT_EQ(add.direction, Direction::kEgress);
  EXPECT_EQ(add.entry.number, 90);
  EXPECT_EQ(add.entry.action, RuleAction::kDeny);
  EXPECT_TRUE(std::get<PutNaclEntry>(s.changes[1].change).replace);
  const auto& remove = std::get<RemoveNaclEntry>(s.changes[2].change);
  EXPECT_EQ(remove.nacl, NaclId(1));
  EXPECT_EQ(remove.number, 101);
  const auto& associate = std::get<AssociateNacl>(s.changes[3].change);
  EXPECT_EQ(associate.subnet, SubnetId(1));
  EXPECT_EQ(associate.nacl, NaclId(0));
}

TEST(ChangeConversion, SortsByTimeKeepingTheWrittenOrderOfEqualTimes) {
  const std::string attach = "attach_sg { interface: \"db\" security_group: \"sg-web\" }";
  Scenario s = load_ok(kBase + "horizon_seconds: 100\n" + change(attach, 30) + change(attach, 10) +
                       change("detach_sg { interface: \"db\" security_group: \"sg-db\" } description: \"later\"", 10) +
                       change(attach, 0.5));
  ASSERT_EQ(s.changes.size(), 4u);
  EXPECT_EQ(s.changes[0].field, "changes[3]");
  EXPECT_EQ(s.changes[0].at, milliseconds(500));
  EXPECT_EQ(s.changes[1].field, "changes[1]");
  EXPECT_EQ(s.changes[2].field, "changes[2]");
  EXPECT_EQ(s.changes[2].description, "later");
  EXPECT_EQ(s.changes[3].field, "changes[0]");
}

// ---- what can be wrong ------------------------------------------------------------------

TEST(ChangeValidation, NeedsAKind) {
  expect_only_error(change("description: \"nothing\""), "changes[0]",
                    "a change needs what to change: one of add_sg_rule, remove_sg_rule", "changes {");
}

TEST(ChangeValidation, RejectsNegativeTimesAndTimesAtOrAfterTheHorizon) {
  const std::string attach = "attach_sg { interface: \"db\" security_group: \"sg-web\" }";
  expect_only_error(change(attach, -1), "changes[0].at_seconds", "at_seconds -1s is negative", "at_seconds");
  expect_only_error("horizon_seconds: 10\n" + change(attach, 10), "changes[0].at_seconds",
                    "the change happens at 10s, not before the horizon (10s): it would change nothing", "at_seconds");
}

TEST(ChangeValidation, ResolvesEveryReference) {
  expect_only_error(change("add_sg_rule { security_group: \"sg-wbe\" rule { protocol: \"tcp\" ports: \"22\" cidr: "
                           "\"0.0.0.0/0\" } }"),
                    "changes[0].add_sg_rule.security_group",
                    "no security group is named 'sg-wbe' (known: sg-web, sg-db, default)", "security_group:");
  expect_only_error(change("associate_nacl { subnet: \"ap\" network_acl: \"acl-public\" }"),
                    "changes[0].associate_nacl.subnet", "no subnet is named 'ap'", "subnet:");
  expect_only_error(change("associate_nacl { subnet: \"app\" }"), "changes[0].associate_nacl.network_acl",
                    "network_acl is required: the ACL's id", "associate_nacl");
  expect_only_error(change("add_nacl_entry { network_acl: \"acl-x\" entry { rule_number: 1 action: \"allow\" "
                           "protocol: \"all\" cidr: \"0.0.0.0/0\" } }"),
                    "changes[0].add_nacl_entry.network_acl", "no network ACL is named 'acl-x'", "network_acl:");
}

TEST(ChangeValidation, AnInterfaceIsAnInterfaceIdOrAnInstanceName) {
  expect_only_error(
      change("attach_sg { interface: \"client\" security_group: \"sg-web\" }"), "changes[0].attach_sg.interface",
      "'client' is an internet host; security groups are attached to interfaces in the VPC", "interface:");
  expect_only_error(change("detach_sg { interface: \"eni-x\" security_group: \"sg-web\" }"),
                    "changes[0].detach_sg.interface",
                    "no interface or instance is named 'eni-x' (interfaces: known: eni-web, eni-db, eni-db-admin; "
                    "instances: known: web, db)",
                    "interface:");
  expect_only_error(change("attach_sg { security_group: \"sg-web\" }"), "changes[0].attach_sg.interface",
                    "interface is required", "attach_sg");
}

TEST(ChangeValidation, RulesAreCheckedByTheGroupsRuleConverter) {
  expect_only_error(change("add_sg_rule { security_group: \"sg-web\" rule { protocol: \"tcp\" ports: \"443-80\" "
                           "cidr: \"0.0.0.0/0\" } }"),
                    "changes[0].add_sg_rule.rule.ports", "port range 443-80 is reversed", "ports:");
  expect_only_error(change("add_sg_rule { security_group: \"sg-web\" rule { protocol: \"tcp\" ports: \"22\" } }"),
                    "changes[0].add_sg_rule.rule", "a rule needs a peer", "rule { protocol");
  expect_only_error(change("add_sg_rule { security_group: \"sg-web\" }"), "changes[0].add_sg_rule.rule",
                    "rule is required: the rule to add", "add_sg_rule");
}

TEST(ChangeValidation, AddSgRuleTakesNoRuleId) {
  expect_only_error(change("add_sg_rule { security_group: \"sg-web\" rule_id: \"sgr-1\" rule { protocol: \"tcp\" "
                           "ports: \"22\" cidr: \"0.0.0.0/0\" } }"),
                    "changes[0].add_sg_rule.rule_id", "to give the new rule an id, set rule.id", "rule_id:");
}

TEST(ChangeValidation, RemoveSgRuleNeedsExactlyOneOfRuleIdAndRule) {
  expect_only_error(change("remove_sg_rule { security_group: \"sg-web\" }"), "changes[0].remove_sg_rule",
                    "remove_sg_rule needs the rule to remove: its rule_id, or a rule", "remove_sg_rule");
  expect_only_error(change("remove_sg_rule { security_group: \"sg-web\" rule_id: \"sgr-ssh\" rule { protocol: "
                           "\"tcp\" ports: \"22\" prefix_list: \"pl-office\" } }"),
                    "changes[0].remove_sg_rule.rule", "by rule_id or by rule, not both", "rule { protocol");
}

TEST(ChangeValidation, ARemovalNothingCouldSatisfyIsReported) {
  expect_only_error(change("remove_sg_rule { security_group: \"sg-web\" rule_id: \"sgr-sh\" }"),
                    "changes[0].remove_sg_rule.rule_id",
                    "sg-web has no ingress rule with id 'sgr-sh', and no change adds one (ids: sgr-ssh)", "rule_id:");
  expect_only_error(change("remove_sg_rule { security_group: \"sg-web\" direction: EGRESS rule_id: \"sgr-ssh\" }"),
                    "changes[0].remove_sg_rule.rule_id", "sg-web has no egress rule with id 'sgr-ssh'", "rule_id:");
  expect_only_error(change("remove_sg_rule { security_group: \"sg-web\" rule { protocol: \"tcp\" ports: \"444\" "
                           "cidr: \"0.0.0.0/0\" } }"),
                    "changes[0].remove_sg_rule.rule", "sg-web has no ingress rule for tcp 444 with this peer",
                    "rule { protocol");
  expect_only_error(change("remove_nacl_entry { network_acl: \"acl-public\" entry { rule_number: 95 } }"),
                    "changes[0].remove_nacl_entry.entry.rule_number",
                    "acl-public has no ingress rule 95, and no change adds one: there is nothing to remove",
                    "rule_number:");
  expect_only_error(change("replace_nacl_entry { network_acl: \"acl-public\" direction: EGRESS entry { rule_number: "
                           "90 action: \"deny\" protocol: \"all\" cidr: \"0.0.0.0/0\" } }"),
                    "changes[0].replace_nacl_entry.entry.rule_number",
                    "acl-public has no egress rule 90, and no change adds one: there is nothing to replace",
                    "rule_number:");
  expect_only_error(change("detach_sg { interface: \"web\" security_group: \"sg-db\" }"),
                    "changes[0].detach_sg.security_group",
                    "sg-db is not attached to web (eni-web), and no change attaches it", "security_group:");
}

TEST(ChangeValidation, ARemovalOfWhatAnotherChangeAddsIsLeftToTheEngine) {
  // Which comes first is for the engine to judge at run time: here both orders load.
  const std::string add =
      "add_sg_rule { security_group: \"sg-db\" rule { id: \"sgr-tmp\" protocol: \"tcp\" ports: "
      "\"22\" cidr: \"10.0.0.0/8\" } }";
  const std::string remove = "remove_sg_rule { security_group: \"sg-db\" rule_id: \"sgr-tmp\" }";
  EXPECT_EQ(load_ok(kBase + change(add, 1) + change(remove, 2)).changes.size(), 2u);
  EXPECT_EQ(load_ok(kBase + change(remove, 1) + change(add, 2)).changes.size(), 2u);
  const std::string put =
      "add_nacl_entry { network_acl: \"acl-public\" entry { rule_number: 95 action: \"deny\" "
      "protocol: \"all\" cidr: \"192.0.2.0/24\" } }";
  EXPECT_EQ(load_ok(kBase + change(put, 1) +
                    change("remove_nacl_entry { network_acl: \"acl-public\" entry { rule_number: 95 } }", 2))
                .changes.size(),
            2u);
  EXPECT_EQ(load_ok(kBase + change("attach_sg { interface: \"web\" security_group: \"sg-db\" }", 1) +
                    change("detach_sg { interface: \"eni-web\" security_group: \"sg-db\" }", 2))
                .changes.size(),
            2u);
}

TEST(ChangeValidation, NaclEntriesAreCheckedByTheAclsEntryConverter) {
  expect_only_error(change("add_nacl_entry { network_acl: \"acl-public\" entry { rule_number: 32767 action: "
                           "\"deny\" protocol: \"all\" cidr: \"0.0.0.0/0\" } }"),
                    "changes[0].add_nacl_entry.entry.rule_number",
                    "rule number 32767 is out of range 1-32766: 32767 and above are reserved", "rule_number:");
  expect_only_error(change("add_nacl_entry { network_acl: \"acl-public\" entry { rule_number: 5 action: \"drop\" "
                           "protocol: \"all\" cidr: \"0.0.0.0/0\" } }"),
                    "changes[0].add_nacl_entry.entry.action", "unknown action 'drop': use allow or deny", "action:");
  expect_only_error(change("add_nacl_entry { network_acl: \"acl-public\" }"), "changes[0].add_nacl_entry.entry",
                    "entry is required: the entry to add", "add_nacl_entry");
}

TEST(ChangeValidation, RemoveNaclEntryReadsOnlyTheRuleNumber) {
  expect_only_error(change("remove_nacl_entry { network_acl: \"acl-public\" entry { rule_number: 100 action: "
                           "\"allow\" cidr: \"0.0.0.0/0\" } }"),
                    "changes[0].remove_nacl_entry.entry.action",
                    "removes the entry with this rule_number, whatever it holds (EC2 API DeleteNetworkAclEntry): "
                    "action, cidr would not be read; remove them",
                    "action:");
  expect_only_error(change("remove_nacl_entry { network_acl: \"acl-public\" entry { } }"),
                    "changes[0].remove_nacl_entry.entry.rule_number", "rule_number is required", "entry { }");
}

TEST(ChangeValidation, RejectsADirectionOutsideTheEnum) {
  const auto errors = testing::errors_of(
      kBase + change("remove_nacl_entry { network_acl: \"acl-public\" direction: 7 entry { rule_number: 100 } }"));
  ASSERT_EQ(errors.size(), 1u) << ::testing::PrintToString(errors);
  EXPECT_THAT(errors[0],
              testing::ErrorAt("changes[0].remove_nacl_entry.direction", "unknown direction 7: use INGRESS or EGRESS"));
}

}  // namespace
}  // namespace vpcsim::io
