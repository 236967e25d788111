#include "model/sg_filter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "tests/model/network_builder.h"
#include "tests/model/random_model.h"

namespace vpcsim {
namespace {

using namespace vpcsim::test;

// Both evaluators, checked against each other on every call.
SgDecision evaluate(const Network& net, EniId eni, Direction d, const Packet& p) {
  const SgDecision linear = evaluate_sg_linear(net, eni, d, p);
  const SgDecision compiled = SgFilter(net, eni, d).evaluate(p);
  EXPECT_EQ(compiled.allowed, linear.allowed) << p.to_string();
  EXPECT_EQ(compiled.rule, linear.rule) << p.to_string();
  return linear;
}

bool allows_in(const Network& net, EniId eni, const Packet& p) {
  return evaluate(net, eni, Direction::kIngress, p).allowed;
}

class SgFilterTest : public ::testing::Test {
 protected:
  NetworkBuilder b;
  SubnetId subnet = b.subnet("subnet-a", "10.0.1.0/24");
};

TEST_F(SgFilterTest, NoRuleMeansDropped) {
  const SgId empty = b.sg("sg-empty");
  const EniId server = b.instance("server", subnet, "10.0.1.10", {empty});
  const SgDecision d = evaluate(b.net(), server, Direction::kIngress, tcp_packet("10.0.1.20", 50000, "10.0.1.10", 22));
  EXPECT_FALSE(d.allowed);
  EXPECT_FALSE(d.rule.has_value());
}

TEST_F(SgFilterTest, InterfaceWithoutGroupsDropsEverything) {
  const EniId bare = b.instance("bare", subnet, "10.0.1.10", {});
  EXPECT_FALSE(allows_in(b.net(), bare, tcp_packet("10.0.1.20", 50000, "10.0.1.10", 22)));
  EXPECT_FALSE(evaluate(b.net(), bare, Direction::kEgress, tcp_packet("10.0.1.10", 50000, "10.0.1.20", 22)).allowed);
}

TEST_F(SgFilterTest, RulesOfAllAttachedGroupsFormOneUnion) {
  const SgId ssh = b.sg("sg-ssh");
  const SgId web = b.sg("sg-web");
  b.ingress(ssh, tcp(22), cidr("0.0.0.0/0"));
  b.ingress(web, tcp(80), cidr("0.0.0.0/0"));
  b.ingress(web, tcp(443), cidr("0.0.0.0/0"));
  const EniId server = b.instance("server", subnet, "10.0.1.10", {ssh, web});
  EXPECT_TRUE(allows_in(b.net(), server, tcp_packet("198.51.100.7", 50000, "10.0.1.10", 22)));
  EXPECT_TRUE(allows_in(b.net(), server, tcp_packet("198.51.100.7", 50000, "10.0.1.10", 80)));
  EXPECT_FALSE(allows_in(b.net(), server, tcp_packet("198.51.100.7", 50000, "10.0.1.10", 8080)));
  const SgDecision d = evaluate(b.net(), server, Direction::kIngress, tcp_packet("198.51.100.7", 1, "10.0.1.10", 443));
  EXPECT_EQ(d.rule, (SgRuleRef{web, Direction::kIngress, 1}));
}

TEST_F(SgFilterTest, DecidingRuleIsTheFirstInAttachmentOrder) {
  const SgId narrow = b.sg("sg-narrow");
  const SgId wide = b.sg("sg-wide");
  b.ingress(narrow, tcp(22), cidr("198.51.100.0/24"));
  b.ingress(wide, TrafficMatch::all(), cidr("0.0.0.0/0"));
  const Packet ssh = tcp_packet("198.51.100.7", 50000, "10.0.1.10", 22);
  const EniId a = b.instance("a", subnet, "10.0.1.10", {wide, narrow});
  const EniId c = b.instance("c", subnet, "10.0.1.11", {narrow, wide});
  EXPECT_EQ(evaluate(b.net(), a, Direction::kIngress, ssh).rule, (SgRuleRef{wide, Direction::kIngress, 0}));
  EXPECT_EQ(evaluate(b.net(), c, Direction::kIngress, ssh).rule, (SgRuleRef{narrow, Direction::kIngress, 0}));
}

TEST_F(SgFilterTest, IngressJudgesTheSourceAndEgressTheDestination) {
  const SgId sg = b.sg("sg-app");
  b.ingress(sg, tcp(5432), cidr("10.0.2.0/24"));
  b.egress(sg, tcp(443), cidr("192.0.2.0/24"));
  const EniId app = b.instance("app", subnet, "10.0.1.10", {sg});
  EXPECT_TRUE(allows_in(b.net(), app, tcp_packet("10.0.2.5", 40000, "10.0.1.10", 5432)));
  EXPECT_FALSE(allows_in(b.net(), app, tcp_packet("10.0.3.5", 40000, "10.0.1.10", 5432)));
  EXPECT_TRUE(evaluate(b.net(), app, Direction::kEgress, tcp_packet("10.0.1.10", 40000, "192.0.2.9", 443)).allowed);
  EXPECT_FALSE(evaluate(b.net(), app, Direction::kEgress, tcp_packet("10.0.1.10", 40000, "10.0.2.5", 443)).allowed);
  EXPECT_EQ(peer_address(tcp_packet("10.0.2.5", 1, "10.0.1.10", 2), Direction::kIngress), ip("10.0.2.5"));
  EXPECT_EQ(peer_address(tcp_packet("10.0.2.5", 1, "10.0.1.10", 2), Direction::kEgress), ip("10.0.1.10"));
}

TEST_F(SgFilterTest, Ipv4RuleNeverMatchesIpv6Packet) {
  const SgId sg = b.sg("sg-ssh");
  b.ingress(sg, tcp(22), cidr("0.0.0.0/0"));
  const EniId server = b.instance("server", subnet, "10.0.1.10", {sg});
  b.eni(server).ipv6.push_back(ip("2001:db8:0:1::10"));
  EXPECT_FALSE(allows_in(b.net(), server, tcp_packet("2001:db8:ffff::7", 50000, "2001:db8:0:1::10", 22)));
  b.ingress(sg, tcp(22), cidr("::/0"));
  EXPECT_TRUE(allows_in(b.net(), server, tcp_packet("2001:db8:ffff::7", 50000, "2001:db8:0:1::10", 22)));
}

// EC2 User Guide, "Security group rules": a group reference stands for the private addresses
// of the group's members, not their public or Elastic IPs. All private addresses, secondary
// and IPv6 included, is assumption A6.
TEST_F(SgFilterTest, GroupReferenceMatchesTheMembersPrivateAddressesOnly) {
  const SgId app = b.sg("sg-app");
  const SgId db = b.sg("sg-db");
  b.ingress(db, tcp(5432), app);
  const EniId member = b.instance("app", subnet, "10.0.1.10", {app});
  b.eni(member).private_ipv4.push_back(ip("10.0.1.11"));
  b.eni(member).ipv6.push_back(ip("2001:db8:0:1::10"));
  b.eni(member).public_ipv4 = ip("203.0.113.10");
  b.instance("outsider", subnet, "10.0.1.20", {});
  const EniId server = b.instance("db", subnet, "10.0.1.30", {db});

  const auto from = [&](const char* src) {
    return allows_in(b.net(), server, tcp_packet(src, 40000, "10.0.1.30", 5432));
  };
  EXPECT_TRUE(from("10.0.1.10"));      // primary private address
  EXPECT_TRUE(from("10.0.1.11"));      // secondary private address
  EXPECT_FALSE(from("203.0.113.10"));  // the member's public address
  EXPECT_FALSE(from("10.0.1.20"));     // not a member
  b.eni(server).ipv6.push_back(ip("2001:db8:0:1::30"));
  EXPECT_TRUE(allows_in(b.net(), server, tcp_packet("2001:db8:0:1::10", 40000, "2001:db8:0:1::30", 5432)));
}

TEST_F(SgFilterTest, GroupReferenceFollowsMembershipChanges) {
  const SgId app = b.sg("sg-app");
  const SgId db = b.sg("sg-db");
  b.ingress(db, tcp(5432), app);
  const EniId client = b.instance("client", subnet, "10.0.1.10", {});
  const EniId server = b.instance("db", subnet, "10.0.1.30", {db});
  const Packet p = tcp_packet("10.0.1.10", 40000, "10.0.1.30", 5432);
  EXPECT_FALSE(allows_in(b.net(), server, p));
  b.eni(client).groups.push_back(app);
  EXPECT_TRUE(allows_in(b.net(), server, p));
}

TEST_F(SgFilterTest, SelfReferenceLetsMembersTalkToEachOther) {
  // The VPC's default group: all inbound from its own members (VPC User Guide, "Default
  // security groups for your VPCs").
  const SgId def = b.net().vpc.default_sg;
  const EniId a = b.instance("a", subnet, "10.0.1.10", {def});
  b.instance("c", subnet, "10.0.1.11", {def});
  EXPECT_TRUE(allows_in(b.net(), a, udp_packet("10.0.1.11", 40000, "10.0.1.10", 9999)));
  EXPECT_FALSE(allows_in(b.net(), a, udp_packet("10.0.1.12", 40000, "10.0.1.10", 9999)));
  EXPECT_TRUE(evaluate(b.net(), a, Direction::kEgress, udp_packet("10.0.1.10", 1, "8.8.8.8", 53)).allowed);
}

TEST_F(SgFilterTest, PrefixListPeerMatchesItsEntries) {
  const PrefixListId corp = b.prefix_list("pl-corp", {"192.0.2.0/24", "198.51.100.0/24"});
  const SgId sg = b.sg("sg-admin");
  b.ingress(sg, tcp(22), corp);
  const EniId server = b.instance("server", subnet, "10.0.1.10", {sg});
  EXPECT_TRUE(allows_in(b.net(), server, tcp_packet("192.0.2.1", 50000, "10.0.1.10", 22)));
  EXPECT_TRUE(allows_in(b.net(), server, tcp_packet("198.51.100.255", 50000, "10.0.1.10", 22)));
  EXPECT_FALSE(allows_in(b.net(), server, tcp_packet("203.0.113.1", 50000, "10.0.1.10", 22)));
  EXPECT_FALSE(allows_in(b.net(), server, tcp_packet("192.0.2.1", 50000, "10.0.1.10", 80)));
}

TEST_F(SgFilterTest, StaleReferencesMatchNothing) {
  const SgId sg = b.sg("sg-stale");
  b.ingress(sg, TrafficMatch::all(), SgId(99));
  b.ingress(sg, TrafficMatch::all(), PrefixListId(7));
  const EniId server = b.instance("server", subnet, "10.0.1.10", {sg});
  EXPECT_FALSE(allows_in(b.net(), server, tcp_packet("10.0.1.20", 50000, "10.0.1.10", 22)));
  EXPECT_FALSE(peer_covers(b.net(), PrefixListId(7), ip("10.0.1.20")));
}

// --- The oracle property: the compiled filter decides like the plain scan, rule included. ---

// A random network: two dual-stack subnets, a few groups attached at random (possibly none),
// interfaces with secondary, IPv6 and public addresses at random, two prefix lists, and rules
// whose peers are CIDRs near those addresses, groups or lists, stale references included.
Network random_network(RandomModel& rnd) {
  NetworkBuilder nb("10.0.0.0/16", "2001:db8::/56");
  const std::vector<SubnetId> subnets{nb.subnet("subnet-1", "10.0.1.0/24", true, "2001:db8:0:1::/64"),
                                      nb.subnet("subnet-2", "10.0.2.0/24", false, "2001:db8:0:2::/64")};
  std::vector<IpAddress> anchors{ip("0.0.0.0"), ip("198.51.100.7"), ip("::"), ip("2001:db8:ffff::7")};
  std::vector<SgId> groups{nb.net().vpc.default_sg};
  for (long i = rnd.uniform(2, 5); i > 0; --i) groups.push_back(nb.sg("sg-" + std::to_string(i)));

  for (long i = 0, n = rnd.uniform(2, 7); i < n; ++i) {
    const auto s = static_cast<std::uint32_t>(rnd.uniform(0, 1));
    const std::string net = std::to_string(s + 1);
    const std::string host = std::to_string(10 + i);
    std::vector<SgId> attached;
    for (long g = rnd.uniform(0, 3); g > 0; --g) {
      const SgId pick = rnd.pick(groups);
      if (std::ranges::find(attached, pick) == attached.end()) attached.push_back(pick);
    }
    const EniId e = nb.instance("i" + host, subnets[s], "10.0." + net + "." + host, attached);
    Eni& eni = nb.eni(e);
    if (rnd.chance(0.3)) eni.private_ipv4.push_back(ip("10.0." + net + ".1" + host));
    if (rnd.chance(0.5)) eni.ipv6.push_back(ip("2001:db8:0:" + net + "::" + host));
    if (rnd.chance(0.3)) eni.public_ipv4 = ip("203.0.113." + host);
    anchors.insert(anchors.end(), eni.private_ipv4.begin(), eni.private_ipv4.end());
    anchors.insert(anchors.end(), eni.ipv6.begin(), eni.ipv6.end());
    if (eni.public_ipv4) anchors.push_back(*eni.public_ipv4);
  }

  std::vector<PrefixListId> lists{PrefixListId(9)};  // a stale reference
  for (int i = 0; i < 2; ++i) {
    const IpAddress first = rnd.pick(anchors);
    PrefixList pl{"pl-" + std::to_string(i), "", first.family(), {rnd.cidr_around(first)}};
    for (long n = rnd.uniform(0, 2); n > 0; --n) {
      const IpAddress a = rnd.pick(anchors);
      if (a.family() == pl.family) pl.entries.push_back(rnd.cidr_around(a));
    }
    nb.net().prefix_lists.push_back(pl);
    lists.emplace_back(static_cast<std::uint32_t>(nb.net().prefix_lists.size() - 1));
  }

  groups.emplace_back(42);  // a stale reference
  for (SecurityGroup& sg : nb.net().security_groups) {
    for (const Direction d : {Direction::kIngress, Direction::kEgress}) {
      for (long n = rnd.uniform(0, 7); n > 0; --n) {
        const long kind = rnd.uniform(0, 9);
        Peer peer = kind < 6   ? Peer(rnd.cidr_around(rnd.address_near(rnd.pick(anchors))))
                    : kind < 8 ? Peer(rnd.pick(groups))
                               : Peer(rnd.pick(lists));
        sg.rules(d).push_back(SgRule{{}, rnd.traffic(), std::move(peer), {}});
      }
    }
  }
  return nb.build();
}

TEST(SgFilterOracleTest, CompiledFilterEqualsLinearEvaluatorOnRandomNetworks) {
  RandomModel rnd(7);
  int allowed = 0;
  int checked = 0;
  for (int round = 0; round < 150; ++round) {
    const Network net = random_network(rnd);
    std::vector<IpAddress> remotes{ip("198.51.100.7"), ip("2001:db8:ffff::7"), ip("0.0.0.0"), ip("::")};
    for (const Eni& e : net.enis) {
      remotes.insert(remotes.end(), e.private_ipv4.begin(), e.private_ipv4.end());
      remotes.insert(remotes.end(), e.ipv6.begin(), e.ipv6.end());
      if (e.public_ipv4) remotes.push_back(*e.public_ipv4);
    }
    for (std::uint32_t i = 0; i < net.enis.size(); ++i) {
      const Eni& local = net.eni(EniId(i));
      for (const Direction d : {Direction::kIngress, Direction::kEgress}) {
        const SgFilter filter(net, EniId(i), d);
        for (int k = 0; k < 60; ++k, ++checked) {
          const IpAddress remote = rnd.address_near(rnd.pick(remotes));
          const IpAddress self = remote.is_v4() || local.ipv6.empty() ? local.private_ipv4.front() : local.ipv6.front();
          Packet p = d == Direction::kIngress ? rnd.packet(remote, self) : rnd.packet(self, remote);
          if (p.family() != p.dst.family()) p.dst = p.src;  // an interface without IPv6: keep one family
          const SgDecision expected = evaluate_sg_linear(net, EniId(i), d, p);
          const SgDecision actual = filter.evaluate(p);
          allowed += expected.allowed;
          ASSERT_EQ(actual.allowed, expected.allowed) << "round " << round << " eni " << i << " " << p.to_string();
          ASSERT_EQ(actual.rule, expected.rule) << "round " << round << " eni " << i << " " << p.to_string();
        }
      }
    }
  }
  EXPECT_GT(allowed, checked / 20);
  EXPECT_LT(allowed, checked * 19 / 20);
}

// --- Connection tracking: EC2 User Guide, "Security group connection tracking". ---

// AWS's example group: inbound TCP 22 from 203.0.113.1/32, TCP 80 from 0.0.0.0/0 and ::/0,
// ICMP all from 0.0.0.0/0; outbound all traffic to 0.0.0.0/0 and ::/0.
class UntrackedFlowTest : public ::testing::Test {
 protected:
  UntrackedFlowTest() {
    b.ingress(sg, tcp(22), cidr("203.0.113.1/32"));
    b.ingress(sg, tcp(80), cidr("0.0.0.0/0"));
    b.ingress(sg, tcp(80), cidr("::/0"));
    b.ingress(sg, icmp(), cidr("0.0.0.0/0"));
    b.egress(sg, TrafficMatch::all(), cidr("0.0.0.0/0"));
    b.egress(sg, TrafficMatch::all(), cidr("::/0"));
    b.eni(server).ipv6.push_back(ip("2001:db8:0:1::10"));
  }
  bool untracked(const Packet& request) { return flow_is_untracked(b.net(), server, Direction::kIngress, request); }
  void remove_egress(std::string_view peer) {
    std::erase_if(b.net().sg(sg).egress, [&](const SgRule& r) { return std::get<Cidr>(r.peer) == cidr(peer); });
  }

  NetworkBuilder b{"10.0.0.0/16", "2001:db8::/56"};
  SubnetId subnet = b.subnet("subnet-a", "10.0.1.0/24", true, "2001:db8:0:1::/64");
  SgId sg = b.sg("sg-example");
  EniId server = b.instance("server", subnet, "10.0.1.10", {sg});
  Packet ssh = tcp_packet("203.0.113.1", 50000, "10.0.1.10", 22);
  Packet http4 = tcp_packet("198.51.100.7", 50000, "10.0.1.10", 80);
  Packet http6 = tcp_packet("2001:db8:ffff::7", 50000, "2001:db8:0:1::10", 80);
  Packet ping = icmp_packet("198.51.100.7", "10.0.1.10", 8);
};

TEST_F(UntrackedFlowTest, SshFromASingleAddressIsTracked) { EXPECT_FALSE(untracked(ssh)); }

TEST_F(UntrackedFlowTest, HttpOpenToAllAddressesBothWaysIsUntracked) {
  EXPECT_TRUE(untracked(http4));
  EXPECT_TRUE(untracked(http6));
}

TEST_F(UntrackedFlowTest, IcmpIsAlwaysTracked) { EXPECT_FALSE(untracked(ping)); }

TEST_F(UntrackedFlowTest, RemovingTheIpv4OutboundRuleMakesIpv4Tracked) {
  remove_egress("0.0.0.0/0");
  EXPECT_FALSE(untracked(http4));
  EXPECT_TRUE(untracked(http6));
}

TEST_F(UntrackedFlowTest, RemovingTheIpv6OutboundRuleMakesIpv6Tracked) {
  remove_egress("::/0");
  EXPECT_TRUE(untracked(http4));
  EXPECT_FALSE(untracked(http6));
}

TEST_F(UntrackedFlowTest, ReturnRuleMustCoverEveryPort) {
  remove_egress("0.0.0.0/0");
  b.egress(sg, tcp(1024, 65535), cidr("0.0.0.0/0"));
  EXPECT_FALSE(untracked(http4));
  b.egress(sg, TrafficMatch::tcp(PortRange::all()), cidr("0.0.0.0/0"));
  EXPECT_TRUE(untracked(http4));
  EXPECT_FALSE(untracked(udp_packet("198.51.100.7", 50000, "10.0.1.10", 80)));  // no inbound udp rule
}

// "-1" selects all ports whatever range a rule carries (EC2 API IpPermission).
TEST_F(UntrackedFlowTest, AllProtocolsReturnRuleCountsWhateverPortRangeItCarries) {
  remove_egress("0.0.0.0/0");
  b.egress(sg, TrafficMatch{Protocol::all(), PortRange::single(22), {}}, cidr("0.0.0.0/0"));
  EXPECT_TRUE(untracked(http4));
}

// Assumption A4: the two rules may come from different groups on the interface.
TEST_F(UntrackedFlowTest, RulesMayComeFromDifferentGroups) {
  remove_egress("0.0.0.0/0");
  EXPECT_FALSE(untracked(http4));
  const SgId out = b.sg("sg-out");
  b.egress(out, TrafficMatch::all(), cidr("0.0.0.0/0"));
  b.eni(server).groups.push_back(out);
  EXPECT_TRUE(untracked(http4));
}

// Assumption A5: only a literal 0.0.0.0/0 or ::/0 counts, not a list that covers everything.
TEST_F(UntrackedFlowTest, PrefixListCoveringEverythingDoesNotCount) {
  remove_egress("0.0.0.0/0");
  const PrefixListId everything = b.prefix_list("pl-everything", {"0.0.0.0/0"});
  b.egress(sg, TrafficMatch::all(), everything);
  EXPECT_FALSE(untracked(http4));
}

TEST_F(UntrackedFlowTest, FlowInitiatedOutboundNeedsAnOpenInboundRule) {
  const Packet out = tcp_packet("10.0.1.10", 50000, "198.51.100.7", 443);
  EXPECT_FALSE(flow_is_untracked(b.net(), server, Direction::kEgress, out));
  b.ingress(sg, TrafficMatch::all(), cidr("0.0.0.0/0"));
  EXPECT_TRUE(flow_is_untracked(b.net(), server, Direction::kEgress, out));
}

}  // namespace
}  // namespace vpcsim
