// The exhaustive search: known answers, and agreement with brute force over a tiny space.
#include "model/analysis/packet_search.h"

#include <gtest/gtest.h>

#include "tests/model/analysis/analysis_test_networks.h"

namespace vpcsim::analysis {
namespace {

using namespace vpcsim::test;

class PacketSearchTest : public ::testing::Test {
 protected:
  PacketSearchTest() {
    b.internet_gateway();
    b.eni(web).public_ipv4 = ip("192.0.2.10");
  }
  std::expected<SearchResult, std::string> find(SearchGoal g, SearchScope scope = SearchScope::kRequest,
                                                FilteringModel m = FilteringModel::kStateful) {
    net = b.build();
    filters.emplace(net);
    return find_packet(net, *filters, space, g, scope, m);
  }

  NetworkBuilder b;
  SubnetId pub = b.subnet("subnet-public", "10.0.1.0/24", true);
  SgId sg = b.sg("sg-web");
  EniId web = b.instance("web", pub, "10.0.1.10", {sg});
  ExternalHostId internet = b.external_host("internet", "0.0.0.0");
  SearchSpace space{internet, web, Family::kIpv4, {cidr("0.0.0.0/0")}, {}, std::nullopt, PortRange::all(), PortRange::all()};
  Network net;
  std::optional<CompiledFilters> filters;
};

TEST_F(PacketSearchTest, FindsTheOnlyOpening) {
  b.ingress(sg, tcp(2222), cidr("198.51.100.0/24"));
  const auto r = find(SearchGoal::kAllowed);
  ASSERT_TRUE(r && r->example);
  const Packet& p = r->example->request.packet;
  EXPECT_EQ(p.protocol, Protocol::kTcp);
  EXPECT_EQ(p.dst_port, 2222);
  EXPECT_TRUE(cidr("198.51.100.0/24").contains(p.src));
  EXPECT_TRUE(r->example->request_delivered());
  EXPECT_LT(r->classes, 100u) << "classes, not brute force";
}

TEST_F(PacketSearchTest, NothingAllowedWhenTheGroupHasNoRules) {
  const auto r = find(SearchGoal::kAllowed);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->example);
  EXPECT_GT(r->classes, 0u);
  const auto dropped = find(SearchGoal::kDropped);
  ASSERT_TRUE(dropped && dropped->example);
}

TEST_F(PacketSearchTest, NothingDroppedWhenEverythingIsOpen) {
  b.ingress(sg, all_traffic(), cidr("0.0.0.0/0")).egress(sg, all_traffic(), cidr("0.0.0.0/0"));
  const auto r = find(SearchGoal::kDropped, SearchScope::kExchange, FilteringModel::kStateless);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->example) << r->example->request.packet.to_string();
}

TEST_F(PacketSearchTest, ExchangeScopeFindsTheReplyThatIsDropped) {
  // Stateless: requests to 22 get in; replies only reach client ports 32768-65535.
  b.ingress(sg, tcp(22), cidr("0.0.0.0/0")).egress(sg, tcp(32768, 65535), cidr("0.0.0.0/0"));
  space.protocol = Protocol::kTcp;
  space.dst_ports = PortRange::single(22);
  const auto r = find(SearchGoal::kDropped, SearchScope::kExchange, FilteringModel::kStateless);
  ASSERT_TRUE(r && r->example);
  EXPECT_TRUE(r->example->request_delivered());
  EXPECT_FALSE(r->example->reply_delivered());
  EXPECT_LT(r->example->request.packet.src_port, 32768);
}

TEST_F(PacketSearchTest, EndpointWithoutAddressOfTheFamilyIsAnError) {
  space.family = Family::kIpv6;
  space.from_addresses = {cidr("::/0")};
  EXPECT_FALSE(find(SearchGoal::kAllowed).has_value());
}

// Brute force over a tiny space (a /29 of internet sources, ports 0-40 both ways, tcp and udp)
// must agree with the class search on whether an allowed and a dropped packet exist.
TEST(PacketSearchBruteForceTest, AgreesWithBruteForceOnATinySpace) {
  const RandomNetworkShape shape{PortRange{0, 40}, {"198.51.100.0", "198.51.100.5", "10.0.1.10", "10.0.2.10"}};
  for (std::uint32_t seed = 1; seed <= 12; ++seed) {
    SCOPED_TRACE(seed);
    Network net = random_network(seed, shape);
    net.external_hosts.push_back(ExternalHost{"sources", ip("198.51.100.0"), ""});
    const ExternalHostId src(static_cast<std::uint32_t>(net.external_hosts.size() - 1));
    const CompiledFilters filters(net);
    const PathEvaluator ev(net, filters);
    const Endpoint to = EniId(static_cast<std::uint32_t>(seed % net.enis.size()));
    for (const std::uint8_t proto : {Protocol::kTcp, Protocol::kUdp}) {
      for (const SearchScope scope : {SearchScope::kRequest, SearchScope::kExchange}) {
        for (const FilteringModel model : {FilteringModel::kStateless, FilteringModel::kStateful}) {
          bool any_allowed = false, any_dropped = false;
          for (std::uint32_t a = 0; a < 8; ++a) {
            for (std::uint16_t dp = 0; dp <= 40; ++dp) {
              for (std::uint16_t sp = 0; sp <= 40; ++sp) {
                const Packet p = Packet::make(IpAddress::v4(ip("198.51.100.0").value() + a),
                                              *net.eni(std::get<EniId>(to)).primary_ipv4(), proto, sp, dp);
                const Exchange x = ev.exchange(src, to, p, model);
                const bool ok = scope == SearchScope::kExchange ? x.works() : x.request_delivered();
                (ok ? any_allowed : any_dropped) = true;
              }
            }
          }
          SearchSpace space{src, to, Family::kIpv4, {cidr("198.51.100.0/29")}, {}, proto, PortRange{0, 40}, PortRange{0, 40}};
          for (const SearchGoal goal : {SearchGoal::kAllowed, SearchGoal::kDropped}) {
            const auto r = find_packet(net, filters, space, goal, scope, model);
            ASSERT_TRUE(r);
            const bool expected = goal == SearchGoal::kAllowed ? any_allowed : any_dropped;
            ASSERT_EQ(r->example.has_value(), expected)
                << "proto " << int(proto) << " scope " << int(scope) << " model " << to_string(model) << " goal " << int(goal);
            if (r->example) {
              const bool ok = scope == SearchScope::kExchange ? r->example->works() : r->example->request_delivered();
              EXPECT_EQ(ok, goal == SearchGoal::kAllowed);
              const Packet& p = r->example->request.packet;
              EXPECT_TRUE(cidr("198.51.100.0/29").contains(p.src));
              EXPECT_LE(p.dst_port, 40);
              EXPECT_LE(p.src_port, 40);
            }
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace vpcsim::analysis
