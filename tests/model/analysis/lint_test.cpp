// Every lint check: a network that triggers it and a near miss that must not.
#include "model/analysis/lint.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "model/analysis/rule_facts.h"
#include "tests/model/network_builder.h"

namespace vpcsim::analysis {
namespace {

using namespace vpcsim::test;

std::vector<Finding> of(const std::vector<Finding>& all, std::string_view id) {
  std::vector<Finding> out;
  std::ranges::copy_if(all, std::back_inserter(out), [&](const Finding& f) { return f.check == id; });
  return out;
}

// A public subnet with one web server whose group `sg` the test fills in.
class LintTest : public ::testing::Test {
 protected:
  LintTest() {
    b.internet_gateway();
    b.eni(web).public_ipv4 = ip("203.0.113.10");
  }
  std::vector<Finding> lint_stateless() { return lint(b.net(), {FilteringModel::kStateless}); }
  std::vector<Finding> lint_stateful() { return lint(b.net(), {FilteringModel::kStateful}); }
  std::vector<Finding> run(std::string_view id, FilteringModel m = FilteringModel::kStateful) {
    return of(lint(b.net(), {m}), id);
  }

  NetworkBuilder b;
  SubnetId pub = b.subnet("subnet-public", "10.0.1.0/24", true);
  SgId sg = b.sg("sg-web");
  EniId web = b.instance("web", pub, "10.0.1.10", {sg});
};

TEST_F(LintTest, SshOpenToWorldIsHigh) {
  b.ingress(sg, tcp(22), cidr("0.0.0.0/0"));
  const auto f = run("VPCSIM-SG001");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kHigh);
  EXPECT_THAT(f[0].message, ::testing::HasSubstr("SSH (22)"));
  ASSERT_TRUE(f[0].sg_rule);
  EXPECT_EQ(f[0].sg_rule->index, 0u);
}

TEST_F(LintTest, DatabasePortsInsideARangeOpenToIpv6WorldAreFound) {
  b.ingress(sg, tcp(3000, 3400), cidr("::/0"));
  const auto f = run("VPCSIM-SG001");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_THAT(f[0].message, ::testing::HasSubstr("MySQL (3306)"));
  EXPECT_THAT(f[0].message, ::testing::HasSubstr("RDP (3389)"));
}

TEST_F(LintTest, SshFromOneAddressOrHttpsFromWorldIsNotExposure) {
  b.ingress(sg, tcp(22), cidr("198.51.100.10/32")).ingress(sg, tcp(443), cidr("0.0.0.0/0"));
  EXPECT_TRUE(run("VPCSIM-SG001").empty());
  EXPECT_TRUE(run("VPCSIM-SG002").empty());
}

TEST_F(LintTest, AllTrafficOrAllPortsFromWorldIsCritical) {
  b.ingress(sg, all_traffic(), cidr("0.0.0.0/0")).ingress(sg, udp(0, 65535), cidr("::/0"));
  const auto f = run("VPCSIM-SG002");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].severity, Severity::kCritical);
  EXPECT_TRUE(run("VPCSIM-SG001").empty()) << "the critical finding says it all";
}

TEST_F(LintTest, AllTrafficFromTheVpcIsNotWorldOpen) {
  b.ingress(sg, all_traffic(), cidr("10.0.0.0/16"));
  EXPECT_TRUE(run("VPCSIM-SG002").empty());
}

TEST_F(LintTest, DefaultGroupWithExtraRuleAndMembers) {
  // NetworkBuilder's group 0 is the VPC default with AWS's rules only: nothing to say.
  EXPECT_TRUE(run("VPCSIM-SG003").empty());
  EXPECT_TRUE(run("VPCSIM-SG004").empty());
  b.ingress(SgId(0), tcp(80), cidr("0.0.0.0/0"));
  b.instance("stray", pub, "10.0.1.20", {SgId(0)});
  const auto extra = run("VPCSIM-SG003");
  ASSERT_EQ(extra.size(), 1u);
  EXPECT_EQ(extra[0].sg_rule->index, 1u) << "the AWS default rule (index 0) is not reported";
  const auto used = run("VPCSIM-SG004");
  ASSERT_EQ(used.size(), 1u);
  EXPECT_THAT(used[0].message, ::testing::HasSubstr("stray"));
}

TEST_F(LintTest, MistypedPortsAreFound) {
  b.ingress(sg, tcp(433), cidr("0.0.0.0/0")).ingress(sg, tcp(2), cidr("198.51.100.10/32"));
  const SgId other = b.sg("sg-db");
  b.instance("db", pub, "10.0.1.30", {other});
  b.ingress(other, tcp(3360), cidr("10.0.0.0/16")).ingress(other, tcp(8008), cidr("10.0.0.0/16"));
  const auto f = run("VPCSIM-SG005");
  ASSERT_EQ(f.size(), 4u);
  const auto text = [&](std::size_t i) { return f[i].message; };
  EXPECT_THAT(text(0), ::testing::HasSubstr("443"));
  EXPECT_THAT(text(1), ::testing::HasSubstr("away from 22 (SSH)"));
  EXPECT_THAT(text(2), ::testing::HasSubstr("3306"));
  EXPECT_THAT(text(3), ::testing::HasSubstr("8080"));
}

TEST_F(LintTest, PortIsNotATypoWhenTheIntendedPortIsUsedOrThePortIsUsedTwice) {
  b.ingress(sg, tcp(433), cidr("0.0.0.0/0")).ingress(sg, tcp(443), cidr("0.0.0.0/0"));  // both: deliberate
  const SgId other = b.sg("sg-other");
  b.instance("other", pub, "10.0.1.31", {other});
  b.ingress(other, tcp(5423), cidr("10.0.0.0/16")).egress(sg, tcp(5423), cidr("10.0.1.31/32"));  // used twice
  b.ingress(other, tcp(8080), cidr("10.0.0.0/16"));  // a well-known port is never a typo
  for (const Finding& f : run("VPCSIM-SG005")) ADD_FAILURE() << f.message;
}

TEST(PortTypoDistanceTest, OneEditOrSwapIsOne) {
  EXPECT_EQ(port_typo_distance(433, 443), 1);
  EXPECT_EQ(port_typo_distance(2, 22), 1);
  EXPECT_EQ(port_typo_distance(8800, 8080), 1);
  EXPECT_EQ(port_typo_distance(5423, 5432), 1);
  EXPECT_EQ(port_typo_distance(3307, 3306), 1);
  EXPECT_EQ(port_typo_distance(80, 8080), 2);
  EXPECT_EQ(port_typo_distance(22, 22), 0);
}

TEST_F(LintTest, ReversedRangesInRulesAndEntries) {
  b.ingress(sg, tcp(90, 80), cidr("10.0.0.0/16")).ingress(sg, tcp(80, 90), cidr("10.0.0.0/16"));
  const NaclId acl = b.nacl("acl-x");
  b.nacl_entry(acl, Direction::kIngress, 100, RuleAction::kAllow, tcp(2000, 1000), "0.0.0.0/0");
  b.nacl_entry(acl, Direction::kIngress, 110, RuleAction::kAllow, tcp(1000, 2000), "0.0.0.0/0");
  const auto sg_f = run("VPCSIM-SG006");
  ASSERT_EQ(sg_f.size(), 1u);
  EXPECT_EQ(sg_f[0].sg_rule->index, 0u);
  const auto acl_f = run("VPCSIM-NACL005");
  ASSERT_EQ(acl_f.size(), 1u);
  EXPECT_EQ(acl_f[0].nacl_entry->index, 0u);
}

TEST_F(LintTest, OversizedRangeFromPrivilegedPorts) {
  b.ingress(sg, tcp(1, 2000), cidr("10.0.0.0/16"));
  EXPECT_EQ(run("VPCSIM-SG007").size(), 1u);
}

TEST_F(LintTest, EphemeralReturnRangeIsNotOversized) {
  b.ingress(sg, tcp(1024, 65535), cidr("10.0.0.0/16")).ingress(sg, tcp(8000, 8100), cidr("10.0.0.0/16"));
  EXPECT_TRUE(run("VPCSIM-SG007").empty());
}

TEST_F(LintTest, StatelessInboundRuleWithoutOutboundReplyRule) {
  b.ingress(sg, tcp(443), cidr("0.0.0.0/0")).egress(sg, tcp(443), cidr("0.0.0.0/0"));
  const auto f = run("VPCSIM-SG008", FilteringModel::kStateless);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kHigh);
  EXPECT_TRUE(run("VPCSIM-SG008", FilteringModel::kStateful).empty()) << "stateful groups pass replies";
}

TEST(LintIpv6Only, Ipv4RuleOfAnIpv6OnlyGroupNeedsNoReplyRule) {
  // No IPv4 request reaches an IPv6-only interface, so its IPv4 inbound rule has no replies
  // to let out; its IPv6 one does, and lacks them in the stateless model.
  NetworkBuilder b("10.0.0.0/16", "2600:1f18:1234:5600::/56");
  const SubnetId v6 = b.subnet("subnet-v6", "", false, "2600:1f18:1234:5602::/64");
  const SgId sg = b.sg("sg-api");
  b.ingress(sg, tcp(22), cidr("0.0.0.0/0")).ingress(sg, tcp(443), cidr("::/0"));
  b.instance("api", v6, "2600:1f18:1234:5602::20", {sg});
  const auto f = of(lint(b.net(), {FilteringModel::kStateless}), "VPCSIM-SG008");
  ASSERT_EQ(f.size(), 1u);
  ASSERT_TRUE(f[0].sg_rule);
  EXPECT_EQ(f[0].sg_rule->index, 1u);
  EXPECT_THAT(f[0].message, ::testing::HasSubstr("::/0"));
}

TEST_F(LintTest, StatelessReplyRuleForLinuxRangeOnlyIsLow) {
  b.ingress(sg, tcp(443), cidr("0.0.0.0/0")).egress(sg, tcp(32768, 65535), cidr("0.0.0.0/0"));
  const auto f = run("VPCSIM-SG008", FilteringModel::kStateless);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kLow);
}

TEST_F(LintTest, StatelessReplyRuleForSomeClientsIsMedium) {
  b.ingress(sg, tcp(443), cidr("0.0.0.0/0")).egress(sg, tcp(1024, 65535), cidr("10.0.0.0/8"));
  const auto f = run("VPCSIM-SG008", FilteringModel::kStateless);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kMedium);
}

TEST_F(LintTest, StatelessReplyRuleForTheWholeEphemeralRangeIsFine) {
  b.ingress(sg, tcp(443), cidr("0.0.0.0/0")).egress(sg, tcp(1024, 65535), cidr("0.0.0.0/0"));
  EXPECT_TRUE(run("VPCSIM-SG008", FilteringModel::kStateless).empty());
}

TEST_F(LintTest, StatelessOutboundRuleWithoutInboundReplyRule) {
  b.egress(sg, tcp(5432), cidr("10.0.2.0/24"));
  EXPECT_EQ(run("VPCSIM-SG009", FilteringModel::kStateless).size(), 1u);
  b.ingress(sg, tcp(1024, 65535), cidr("10.0.2.0/24"));
  EXPECT_TRUE(run("VPCSIM-SG009", FilteringModel::kStateless).empty());
}

TEST_F(LintTest, NoReplyRuleIsAskedForTrafficAwsNeverFilters) {
  // Security groups and network ACLs never filter the Amazon DNS server (VPC base + 2) or the
  // metadata service (VPC User Guide, "Security in Amazon VPC"): their replies need no rule.
  b.egress(sg, udp(53), cidr("10.0.0.2/32"));
  b.egress(sg, tcp(80), cidr("169.254.169.254/32"));
  EXPECT_TRUE(run("VPCSIM-SG009", FilteringModel::kStateless).empty());
  // A block wider than the service address still asks: other hosts in it are filtered.
  b.egress(sg, tcp(80), cidr("169.254.169.0/24"));
  EXPECT_EQ(run("VPCSIM-SG009", FilteringModel::kStateless).size(), 1u);
  const NaclId acl = b.nacl("acl-web");
  b.associate(pub, acl);
  b.nacl_entry(acl, Direction::kEgress, 100, RuleAction::kAllow, udp(53), "10.0.0.2/32");
  EXPECT_TRUE(run("VPCSIM-NACL002", FilteringModel::kStateful).empty());
}

TEST_F(LintTest, NaclWithoutOutboundEphemeralEntryInBothModels) {
  const NaclId acl = b.nacl("acl-web");
  b.associate(pub, acl);
  b.nacl_entry(acl, Direction::kIngress, 100, RuleAction::kAllow, tcp(443), "0.0.0.0/0");
  b.nacl_entry(acl, Direction::kEgress, 100, RuleAction::kAllow, tcp(443), "0.0.0.0/0");
  for (const FilteringModel m : {FilteringModel::kStateless, FilteringModel::kStateful}) {
    const auto f = run("VPCSIM-NACL001", m);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, Severity::kHigh);
    EXPECT_EQ(run("VPCSIM-NACL002", m).size(), 1u) << "and the outbound 443 gets no replies either";
  }
}

TEST_F(LintTest, NaclDenyBeforeEphemeralAllowIsCaught) {
  const NaclId acl = b.nacl("acl-web");
  b.nacl_entry(acl, Direction::kIngress, 100, RuleAction::kAllow, tcp(443), "0.0.0.0/0");
  b.nacl_entry(acl, Direction::kEgress, 90, RuleAction::kDeny, tcp(1024, 65535), "0.0.0.0/0");
  b.nacl_entry(acl, Direction::kEgress, 100, RuleAction::kAllow, tcp(1024, 65535), "0.0.0.0/0");
  EXPECT_EQ(run("VPCSIM-NACL001").size(), 1u);
}

TEST_F(LintTest, NaclWithEphemeralEntriesIsFine) {
  const NaclId acl = b.nacl("acl-web");
  b.nacl_entry(acl, Direction::kIngress, 100, RuleAction::kAllow, tcp(443), "0.0.0.0/0");
  b.nacl_entry(acl, Direction::kEgress, 100, RuleAction::kAllow, tcp(1024, 65535), "0.0.0.0/0");
  EXPECT_TRUE(run("VPCSIM-NACL001").empty());
  EXPECT_TRUE(run("VPCSIM-NACL002").empty()) << "a return entry is not a request";
}

TEST_F(LintTest, RedundantRuleWithinAGroupAndAcrossGroups) {
  b.ingress(sg, tcp(443), cidr("10.0.0.0/16")).ingress(sg, tcp(400, 500), cidr("10.0.0.0/8"));
  const SgId extra = b.sg("sg-extra");
  b.net().enis[web.value].groups.push_back(extra);
  b.ingress(extra, tcp(450), cidr("10.1.0.0/16"));
  const auto f = run("VPCSIM-SG010");
  ASSERT_EQ(f.size(), 2u);
  for (const Finding& x : f) {
    ASSERT_TRUE(x.related_sg_rule);
    EXPECT_EQ(x.related_sg_rule->sg, sg);
    EXPECT_EQ(x.related_sg_rule->index, 1u);
  }
}

TEST_F(LintTest, RulesThatOnlyOverlapOrLiveOnOtherInterfacesAreNotRedundant) {
  b.ingress(sg, tcp(400, 500), cidr("10.0.0.0/16")).ingress(sg, tcp(450, 550), cidr("10.0.0.0/16"));
  const SgId other = b.sg("sg-other");
  b.instance("other", pub, "10.0.1.40", {other});
  b.ingress(other, tcp(443), cidr("10.0.0.0/16"));  // covered by sg-web's rule, but other ENIs
  EXPECT_TRUE(run("VPCSIM-SG010").empty());
}

TEST_F(LintTest, IdenticalRulesReportTheLaterOnly) {
  b.ingress(sg, tcp(443), cidr("10.0.0.0/16")).ingress(sg, tcp(443), cidr("10.0.0.0/16"));
  const auto f = run("VPCSIM-SG010");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].sg_rule->index, 1u);
}

TEST_F(LintTest, ShadowedNaclEntryNamesTheCoveringEntry) {
  const NaclId acl = b.nacl("acl-x");
  b.nacl_entry(acl, Direction::kIngress, 100, RuleAction::kAllow, tcp(0, 65535), "0.0.0.0/0");
  b.nacl_entry(acl, Direction::kIngress, 200, RuleAction::kDeny, tcp(22), "203.0.113.0/24");
  const auto f = run("VPCSIM-NACL003");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kMedium);
  ASSERT_TRUE(f[0].related_nacl_entry);
  EXPECT_EQ(f[0].related_nacl_entry->index, 0u);
  EXPECT_THAT(f[0].message, ::testing::HasSubstr("rule 100"));
}

TEST_F(LintTest, DenyBeforeAllowIsNotShadowing) {
  const NaclId acl = b.nacl("acl-x");
  b.nacl_entry(acl, Direction::kIngress, 100, RuleAction::kDeny, tcp(22), "203.0.113.0/24");
  b.nacl_entry(acl, Direction::kIngress, 200, RuleAction::kAllow, tcp(0, 65535), "0.0.0.0/0");
  b.nacl_entry(acl, Direction::kIngress, 300, RuleAction::kAllow, udp(53), "::/0");  // other family
  EXPECT_TRUE(run("VPCSIM-NACL003").empty());
}

TEST_F(LintTest, UnattachedGroupButNotTheDefaultOne) {
  EXPECT_TRUE(run("VPCSIM-SG011").empty());
  b.sg("sg-orphan");
  const auto f = run("VPCSIM-SG011");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_THAT(f[0].message, ::testing::HasSubstr("sg-orphan"));
}

TEST_F(LintTest, DanglingGroupAndPrefixListReferences) {
  b.ingress(sg, tcp(443), SgId(99)).ingress(sg, tcp(80), PrefixListId(7)).ingress(sg, tcp(8443), SgId(0));
  const auto f = run("VPCSIM-SG012");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].severity, Severity::kHigh);
}

TEST_F(LintTest, EgressOpenToWorldIsInfoOncePerGroupInUse) {
  b.egress(sg, all_traffic(), cidr("0.0.0.0/0")).egress(sg, all_traffic(), cidr("::/0"));
  const auto f = run("VPCSIM-SG013");
  ASSERT_EQ(f.size(), 1u) << "the unused default group and the ::/0 twin are not repeated";
  EXPECT_EQ(f[0].severity, Severity::kInfo);
}

TEST_F(LintTest, EgressToTheVpcOnlyIsNotOpen) {
  b.egress(sg, all_traffic(), cidr("10.0.0.0/16"));
  EXPECT_TRUE(run("VPCSIM-SG013").empty());
}

TEST_F(LintTest, FindingsAreSortedMostSevereFirstAndDeterministic) {
  b.ingress(sg, all_traffic(), cidr("0.0.0.0/0")).ingress(sg, tcp(433), cidr("10.0.0.0/16"));
  b.egress(sg, all_traffic(), cidr("0.0.0.0/0"));
  const auto a = lint_stateless();
  const auto again = lint_stateless();
  ASSERT_FALSE(a.empty());
  EXPECT_TRUE(std::ranges::is_sorted(a, std::greater<>{}, &Finding::severity));
  ASSERT_EQ(a.size(), again.size());
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].message, again[i].message);
}

TEST(LintCatalogueTest, EveryCheckHasHelpAndAUniqueId) {
  std::set<std::string_view> ids;
  for (const CheckInfo& c : lint_checks()) {
    EXPECT_TRUE(ids.insert(c.id).second) << c.id;
    EXPECT_FALSE(c.help.empty());
    EXPECT_TRUE(c.help_uri.starts_with("https://docs.aws.amazon.com/")) << c.id;
    EXPECT_EQ(find_check(c.id), &c);
  }
  EXPECT_EQ(parse_severity("high"), Severity::kHigh);
  EXPECT_FALSE(parse_severity("severe"));
}

}  // namespace
}  // namespace vpcsim::analysis
