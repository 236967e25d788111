// The reachability matrix against PathEvaluator::exchange on every pair, every client port.
#include "model/analysis/reachability.h"

#include <gtest/gtest.h>

#include "tests/model/analysis/analysis_test_networks.h"

namespace vpcsim::analysis {
namespace {

using namespace vpcsim::test;

// How many cells of each kind the random networks produced: a cross-check that only ever
// saw "request dropped" would prove little.
struct Seen {
  int dropped = 0, none = 0, some = 0, all = 0;
};

// Every cell against the engine's own evaluation of every client port in the range.
void cross_check(const Network& net, const ReachQuery& q, Seen& seen) {
  const CompiledFilters filters(net);
  const PathEvaluator ev(net, filters);
  const auto ends = all_endpoints(net);
  const ReachMatrix m = reachability(net, filters, ends, ends, q);
  const bool ports = q.protocol == Protocol::kTcp || q.protocol == Protocol::kUdp;
  for (std::size_t i = 0; i < ends.size(); ++i) {
    for (std::size_t j = 0; j < ends.size(); ++j) {
      const bool applicable = i != j && (as_eni(ends[i]) || as_eni(ends[j]));
      for (const FilteringModel model : {FilteringModel::kStateless, FilteringModel::kStateful}) {
        const ReachCell& c = m.at(model, i, j);
        ASSERT_EQ(c.applicable, applicable) << i << "->" << j;
        if (!applicable) continue;
        bool any = false, all = true, request = false;
        const int lo = ports ? q.client_ports.from : 0, hi = ports ? q.client_ports.to : 0;
        for (int port = lo; port <= hi; ++port) {
          const auto p = query_packet(ev, ends[i], ends[j], q, static_cast<std::uint16_t>(port));
          ASSERT_TRUE(p);
          const Exchange x = ev.exchange(ends[i], ends[j], *p, model);
          request = x.request_delivered();
          if (!request) break;
          any = any || x.reply_delivered();
          all = all && x.reply_delivered();
        }
        const std::string where = endpoint_label(net, ends[i]) + " -> " + endpoint_label(net, ends[j]) + " " +
                                  std::string(to_string(model));
        ASSERT_EQ(c.request, request) << where;
        if (!request) {
          ++seen.dropped;
          continue;
        }
        const Coverage expected = all ? Coverage::kAll : any ? Coverage::kSome : Coverage::kNone;
        ++(expected == Coverage::kAll ? seen.all : expected == Coverage::kSome ? seen.some : seen.none);
        EXPECT_EQ(c.reply, expected) << where;
        if (c.reply != Coverage::kAll) {
          const auto p = query_packet(ev, ends[i], ends[j], q, c.example_port);
          EXPECT_FALSE(ev.exchange(ends[i], ends[j], *p, model).reply_delivered()) << where << " example port";
        }
      }
    }
  }
}

TEST(ReachabilityTest, AgreesWithPathEvaluatorOnRandomNetworksTcp) {
  const RandomNetworkShape shape{PortRange{990, 1110}, {"10.0.1.10", "10.0.2.10", "10.0.3.10", "198.51.100.7", "203.0.113.9"}};
  Seen seen;
  for (std::uint32_t seed = 1; seed <= 40; ++seed) {
    SCOPED_TRACE(seed);
    ReachQuery q;
    q.port = static_cast<std::uint16_t>(seed % 2 ? 1000 : 1050);
    q.client_ports = PortRange{1000, 1100};
    cross_check(random_network(seed, shape), q, seen);
  }
  EXPECT_GT(seen.dropped, 0);
  EXPECT_GT(seen.none, 0);
  EXPECT_GT(seen.some, 0);
  EXPECT_GT(seen.all, 0);
}

TEST(ReachabilityTest, AgreesWithPathEvaluatorWhenTheFarEndIsAnAwsService) {
  // Security groups and network ACLs never filter the metadata service, the VPC's DNS server or
  // a subnet's router (model/aws_service.h): every interface reaches them in both models, every
  // reply comes back, and the matrix says what the evaluator does.
  const RandomNetworkShape shape{PortRange{40, 90}, {"10.0.1.10", "10.0.2.10", "169.254.169.254", "10.0.0.2"}};
  Seen seen;
  for (std::uint32_t seed = 200; seed < 210; ++seed) {
    SCOPED_TRACE(seed);
    Network net = random_network(seed, shape);
    net.external_hosts.push_back(ExternalHost{"imds", ip("169.254.169.254"), {}});
    net.external_hosts.push_back(ExternalHost{"dns", ip("10.0.0.2"), {}});
    net.external_hosts.push_back(ExternalHost{"not-a-service", ip("169.254.169.252"), {}});
    ReachQuery udp;
    udp.protocol = Protocol::kUdp;
    udp.port = 53;
    udp.client_ports = PortRange{50, 70};
    cross_check(net, udp, seen);
    const CompiledFilters filters(net);
    const auto ends = all_endpoints(net);
    const ReachMatrix m = reachability(net, filters, ends, ends, udp);
    const std::size_t imds = ends.size() - 3;
    for (std::size_t i = 0; i < net.enis.size(); ++i) {
      for (const FilteringModel model : {FilteringModel::kStateless, FilteringModel::kStateful}) {
        EXPECT_TRUE(m.at(model, i, imds).request);
        EXPECT_EQ(m.at(model, i, imds).reply, Coverage::kAll);
        EXPECT_EQ(m.at(model, i, imds + 1).reply, Coverage::kAll);
      }
    }
  }
  EXPECT_GT(seen.all, 0);
}

TEST(ReachabilityTest, AgreesWithPathEvaluatorOnRandomNetworksUdpAndIcmp) {
  const RandomNetworkShape shape{PortRange{40, 80}, {"10.0.1.10", "10.0.2.10", "198.51.100.7"}};
  Seen seen;
  for (std::uint32_t seed = 100; seed < 120; ++seed) {
    SCOPED_TRACE(seed);
    ReachQuery udp;
    udp.protocol = Protocol::kUdp;
    udp.port = 53;
    udp.client_ports = PortRange{50, 70};
    cross_check(random_network(seed, shape), udp, seen);
    ReachQuery ping;
    ping.protocol = Protocol::kIcmp;
    cross_check(random_network(seed, shape), ping, seen);
  }
  EXPECT_GT(seen.all, 0);
  EXPECT_GT(seen.some, 0);
}

TEST(ReachabilityTest, SshServerWithLinuxOnlyReplyRuleWorksForSomePorts) {
  NetworkBuilder b;
  b.internet_gateway();
  const SubnetId pub = b.subnet("subnet-public", "10.0.1.0/24", true);
  const SgId sg = b.sg("sg-ssh");
  b.ingress(sg, tcp(22), cidr("198.51.100.0/24")).egress(sg, tcp(32768, 65535), cidr("0.0.0.0/0"));
  const EniId web = b.instance("web", pub, "10.0.1.10", {sg});
  b.eni(web).public_ipv4 = ip("192.0.2.10");
  b.external_host("admin", "198.51.100.7");
  b.external_host("attacker", "203.0.113.66");
  const Network net = b.build();
  const CompiledFilters filters(net);
  const ReachMatrix m = reachability(net, filters, {ExternalHostId(0), ExternalHostId(1)}, {web}, ReachQuery{});
  const ReachCell& admin = m.at(FilteringModel::kStateless, 0, 0);
  EXPECT_TRUE(admin.request);
  EXPECT_EQ(admin.reply, Coverage::kSome);
  EXPECT_EQ(admin.example_port, 1024);
  EXPECT_TRUE(m.at(FilteringModel::kStateful, 0, 0).works());
  EXPECT_FALSE(m.at(FilteringModel::kStateless, 1, 0).request);
  EXPECT_FALSE(m.at(FilteringModel::kStateful, 1, 0).request);
}

// An IPv6-only interface (no private IPv4) has no IPv4 cells at all, and its IPv6 cells follow
// its rules; the public route of its IPv6-only subnet is the ::/0 one.
TEST(ReachabilityTest, Ipv6OnlyInterfaceIsReachableOverIpv6Only) {
  NetworkBuilder b("10.0.0.0/16", "2600:1f18:1234:5600::/56");
  b.internet_gateway();
  const SubnetId pub = b.subnet("subnet-public", "10.0.1.0/24", true, "2600:1f18:1234:5601::/64");
  const SubnetId v6 = b.subnet("subnet-v6", "", true, "2600:1f18:1234:5602::/64");
  const SgId web_sg = b.sg("sg-web");
  const SgId api_sg = b.sg("sg-api");
  b.egress(web_sg, all_traffic(), cidr("0.0.0.0/0")).egress(web_sg, all_traffic(), cidr("::/0"));
  b.ingress(web_sg, tcp(1024, 65535), cidr("::/0"));  // the stateless model's replies
  b.ingress(api_sg, tcp(443), cidr("::/0")).ingress(api_sg, tcp(443), cidr("0.0.0.0/0"));
  b.egress(api_sg, all_traffic(), cidr("::/0"));
  const EniId web = b.instance("web", pub, "10.0.1.10", {web_sg});
  b.eni(web).ipv6.push_back(ip("2600:1f18:1234:5601::10"));
  const EniId api = b.instance("api", v6, "2600:1f18:1234:5602::20", {api_sg});
  ASSERT_TRUE(b.net().eni(api).ipv6_only());
  b.external_host("client6", "2001:db8::7");
  const Network net = b.build();
  const CompiledFilters filters(net);
  const std::vector<Endpoint> clients{web, ExternalHostId(0)};
  ReachQuery q;
  q.port = 443;
  const ReachMatrix v4 = reachability(net, filters, clients, {api}, q);
  for (const FilteringModel m : {FilteringModel::kStateless, FilteringModel::kStateful}) {
    EXPECT_FALSE(v4.at(m, 0, 0).applicable) << "no IPv4 packet can be addressed to it";
    EXPECT_FALSE(v4.at(m, 1, 0).applicable);
  }
  q.family = Family::kIpv6;
  const ReachMatrix six = reachability(net, filters, clients, {api}, q);
  for (const FilteringModel m : {FilteringModel::kStateless, FilteringModel::kStateful}) {
    EXPECT_TRUE(six.at(m, 0, 0).works()) << to_string(m);
    EXPECT_TRUE(six.at(m, 1, 0).works()) << to_string(m);
  }
  Seen seen;
  cross_check(net, q, seen);
}

}  // namespace
}  // namespace vpcsim::analysis
