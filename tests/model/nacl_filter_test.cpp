#include "model/nacl_filter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "tests/model/network_builder.h"
#include "tests/model/random_model.h"

namespace vpcsim {
namespace {

using namespace vpcsim::test;

// Both evaluators, checked against each other on every call.
NaclDecision evaluate(const Network& net, NaclId acl, Direction d, const Packet& p) {
  const NaclDecision linear = evaluate_nacl_linear(net, acl, d, p);
  const NaclDecision compiled = NaclFilter(net.nacl(acl), acl, d).evaluate(p);
  EXPECT_EQ(compiled.action, linear.action) << p.to_string();
  EXPECT_EQ(compiled.entry, linear.entry) << p.to_string();
  return linear;
}

class NaclFilterTest : public ::testing::Test {
 protected:
  NaclDecision in(const Packet& p) { return evaluate(b.net(), acl, Direction::kIngress, p); }
  NaclDecision out(const Packet& p) { return evaluate(b.net(), acl, Direction::kEgress, p); }
  int number_of(const NaclDecision& d) const {
    return b.net().nacl(acl).entries(d.entry->direction).at(d.entry->index).number;
  }

  NetworkBuilder b{"10.0.0.0/16", "2001:db8::/56"};
  NaclId acl = b.nacl("acl-app");
  Packet ssh = tcp_packet("198.51.100.7", 50000, "10.0.1.10", 22);
  Packet http = tcp_packet("198.51.100.7", 50000, "10.0.1.10", 80);
};

TEST_F(NaclFilterTest, LowerNumberWinsWhateverTheOrderAdded) {
  b.nacl_entry(acl, Direction::kIngress, 100, RuleAction::kAllow, TrafficMatch::all(), "0.0.0.0/0");
  b.nacl_entry(acl, Direction::kIngress, 90, RuleAction::kDeny, tcp(22), "0.0.0.0/0");
  const NaclDecision d = in(ssh);
  EXPECT_EQ(d.action, RuleAction::kDeny);
  ASSERT_TRUE(d.entry.has_value());
  EXPECT_EQ(number_of(d), 90);
  EXPECT_EQ(d.entry->nacl, acl);
  EXPECT_EQ(d.entry->direction, Direction::kIngress);
  const NaclDecision web = in(http);
  EXPECT_EQ(web.action, RuleAction::kAllow);
  EXPECT_EQ(number_of(web), 100);
}

TEST_F(NaclFilterTest, FirstMatchDecidesEvenWhenALaterEntryWouldAllow) {
  b.nacl_entry(acl, Direction::kIngress, 10, RuleAction::kDeny, TrafficMatch::all(), "198.51.100.0/24");
  b.nacl_entry(acl, Direction::kIngress, 20, RuleAction::kAllow, tcp(22), "198.51.100.7/32");
  EXPECT_EQ(in(ssh).action, RuleAction::kDeny);
  EXPECT_EQ(in(tcp_packet("192.0.2.1", 50000, "10.0.1.10", 22)).action, RuleAction::kDeny);
  EXPECT_FALSE(in(tcp_packet("192.0.2.1", 50000, "10.0.1.10", 22)).entry.has_value());
}

TEST_F(NaclFilterTest, ImplicitDenyWhenNothingMatches) {
  b.nacl_entry(acl, Direction::kIngress, 100, RuleAction::kAllow, tcp(80), "0.0.0.0/0");
  const NaclDecision d = in(ssh);
  EXPECT_EQ(d.action, RuleAction::kDeny);
  EXPECT_FALSE(d.entry.has_value());
}

TEST_F(NaclFilterTest, NewAclWithoutEntriesDeniesEverything) {
  EXPECT_EQ(in(ssh).action, RuleAction::kDeny);
  EXPECT_EQ(out(ssh.reply()).action, RuleAction::kDeny);
  EXPECT_FALSE(out(ssh.reply()).entry.has_value());
}

TEST_F(NaclFilterTest, Ipv4EntriesDoNotMatchIpv6) {
  b.nacl_entry(acl, Direction::kIngress, 100, RuleAction::kAllow, TrafficMatch::all(), "0.0.0.0/0");
  const Packet ssh6 = tcp_packet("2001:db8:ffff::7", 50000, "2001:db8:0:1::10", 22);
  EXPECT_EQ(in(ssh6).action, RuleAction::kDeny);
  EXPECT_FALSE(in(ssh6).entry.has_value());
  b.nacl_entry(acl, Direction::kIngress, 101, RuleAction::kAllow, TrafficMatch::all(), "::/0");
  EXPECT_EQ(in(ssh6).action, RuleAction::kAllow);
  EXPECT_EQ(number_of(in(ssh6)), 101);
}

TEST_F(NaclFilterTest, IngressJudgesTheSourceAndEgressTheDestination) {
  b.nacl_entry(acl, Direction::kIngress, 100, RuleAction::kAllow, tcp(22), "198.51.100.0/24");
  b.nacl_entry(acl, Direction::kEgress, 100, RuleAction::kAllow, tcp(1024, 65535), "198.51.100.0/24");
  EXPECT_EQ(in(ssh).action, RuleAction::kAllow);
  EXPECT_EQ(out(ssh.reply()).action, RuleAction::kAllow);
  EXPECT_EQ(out(tcp_packet("10.0.1.10", 22, "192.0.2.1", 50000)).action, RuleAction::kDeny);
}

// Stateless: the reply to an allowed SSH request needs an outbound entry for the client's
// ephemeral port; one for port 22 does not match it (VPC User Guide, "Network ACLs", example).
TEST_F(NaclFilterTest, ReplyNeedsAnEphemeralPortEntryNotPort22) {
  b.nacl_entry(acl, Direction::kEgress, 100, RuleAction::kAllow, tcp(22), "0.0.0.0/0");
  EXPECT_EQ(out(ssh.reply()).action, RuleAction::kDeny);
  b.nacl_entry(acl, Direction::kEgress, 110, RuleAction::kAllow, tcp(1024, 65535), "0.0.0.0/0");
  EXPECT_EQ(out(ssh.reply()).action, RuleAction::kAllow);
}

// VPC User Guide, "Default network ACL": rule 100 all IPv4, rule 101 all IPv6 (IPv6 VPCs).
TEST_F(NaclFilterTest, DefaultAclAllowsBothFamiliesInBothDirections) {
  const NaclId def = b.net().vpc.default_nacl;
  const NetworkAcl& a = b.net().nacl(def);
  ASSERT_EQ(a.ingress.size(), 2u);
  EXPECT_EQ(a.ingress[0].number, 100);
  EXPECT_EQ(a.ingress[1].number, 101);
  for (const Direction d : {Direction::kIngress, Direction::kEgress}) {
    EXPECT_EQ(evaluate(b.net(), def, d, ssh).action, RuleAction::kAllow);
    EXPECT_EQ(evaluate(b.net(), def, d, tcp_packet("2001:db8::1", 1, "2001:db8::2", 2)).action, RuleAction::kAllow);
  }
  NetworkAcl v4_only;
  add_default_nacl_entries(v4_only, false);
  EXPECT_EQ(v4_only.egress.size(), 1u);
}

TEST_F(NaclFilterTest, SortEntriesRestoresAscendingNumbers) {
  NetworkAcl& a = b.net().nacl(acl);
  a.ingress.push_back({300, RuleAction::kAllow, TrafficMatch::all(), cidr("0.0.0.0/0")});
  a.ingress.push_back({100, RuleAction::kDeny, TrafficMatch::all(), cidr("0.0.0.0/0")});
  a.ingress.push_back({200, RuleAction::kAllow, TrafficMatch::all(), cidr("0.0.0.0/0")});
  a.sort_entries();
  EXPECT_TRUE(std::ranges::is_sorted(a.ingress, {}, &NaclEntry::number));
  EXPECT_EQ(in(ssh).action, RuleAction::kDeny);
}

TEST(NaclFilterOracleTest, CompiledFilterEqualsLinearEvaluatorOnRandomAcls) {
  RandomModel rnd(1234);
  const std::vector<IpAddress> anchors{
      ip("10.0.1.10"),       ip("10.0.2.20"),        ip("198.51.100.7"),     ip("0.0.0.0"),
      ip("255.255.255.255"), ip("2001:db8:0:1::10"), ip("2001:db8:ffff::7"), ip("::")};
  int allowed = 0;
  int implicit = 0;
  int checked = 0;
  for (int round = 0; round < 200; ++round) {
    NetworkBuilder nb;
    const NaclId acl = nb.nacl("acl-random");
    for (const Direction d : {Direction::kIngress, Direction::kEgress}) {
      std::vector<int> numbers;
      for (long n = rnd.uniform(0, 25); n > 0; --n) {
        const int number = static_cast<int>(rnd.chance(0.3) ? rnd.uniform(1, 40) * 10 : rnd.uniform(1, 32766));
        if (std::ranges::find(numbers, number) != numbers.end()) continue;  // numbers are unique per direction
        numbers.push_back(number);
        nb.net().nacl(acl).entries(d).push_back({number, rnd.chance(0.5) ? RuleAction::kAllow : RuleAction::kDeny,
                                                 rnd.traffic(), rnd.cidr_around(rnd.address_near(rnd.pick(anchors)))});
      }
    }
    nb.net().nacl(acl).sort_entries();
    const Network& net = nb.net();
    for (const Direction d : {Direction::kIngress, Direction::kEgress}) {
      const NaclFilter filter(net.nacl(acl), acl, d);
      for (int k = 0; k < 400; ++k, ++checked) {
        const IpAddress remote = rnd.address_near(rnd.pick(anchors));
        const IpAddress local = remote.is_v4() ? ip("10.0.1.10") : ip("2001:db8:0:1::10");
        const Packet p = d == Direction::kIngress ? rnd.packet(remote, local) : rnd.packet(local, remote);
        const NaclDecision expected = evaluate_nacl_linear(net, acl, d, p);
        const NaclDecision actual = filter.evaluate(p);
        allowed += expected.action == RuleAction::kAllow;
        implicit += !expected.entry.has_value();
        ASSERT_EQ(actual.action, expected.action) << "round " << round << " " << p.to_string();
        ASSERT_EQ(actual.entry, expected.entry) << "round " << round << " " << p.to_string();
      }
    }
  }
  EXPECT_GT(allowed, checked / 20);
  EXPECT_GT(implicit, checked / 20);
  EXPECT_LT(implicit, checked * 19 / 20);
}

}  // namespace
}  // namespace vpcsim
