// Random networks for the reachability and search tests: a few subnets (one behind a random
// ACL), groups with random rules whose ports and blocks cluster where the queries look, and
// interfaces and internet hosts to connect. Seeded; the same seed gives the same network.
#pragma once

#include "tests/model/network_builder.h"
#include "tests/model/random_model.h"

namespace vpcsim::test {

struct RandomNetworkShape {
  PortRange ports{0, 65535};  // where rule port ranges fall (besides "all")
  std::vector<std::string> anchors{"10.0.1.10", "10.0.2.10", "10.0.3.10", "198.51.100.7", "203.0.113.9"};
};

inline TrafficMatch random_traffic(RandomModel& r, const RandomNetworkShape& shape) {
  if (r.chance(0.1)) return TrafficMatch::all();
  if (r.chance(0.1)) return r.traffic();
  const auto a = static_cast<std::uint16_t>(r.uniform(shape.ports.from, shape.ports.to));
  const auto b = static_cast<std::uint16_t>(r.uniform(shape.ports.from, shape.ports.to));
  const PortRange range = r.chance(0.15) ? PortRange::all() : r.chance(0.4) ? PortRange::single(a) : PortRange{std::min(a, b), std::max(a, b)};
  return r.chance(0.8) ? TrafficMatch::tcp(range) : TrafficMatch::udp(range);
}

inline Cidr random_block(RandomModel& r, const RandomNetworkShape& shape) {
  return r.cidr_around(ip(r.pick(shape.anchors)));
}

inline Network random_network(std::uint32_t seed, const RandomNetworkShape& shape = {}) {
  RandomModel r(seed);
  NetworkBuilder b;
  b.internet_gateway();
  const SubnetId s1 = b.subnet("subnet-1", "10.0.1.0/24", true);
  const SubnetId s2 = b.subnet("subnet-2", "10.0.2.0/24", r.chance(0.5));
  const SubnetId s3 = b.subnet("subnet-3", "10.0.3.0/24");
  const NaclId acl = b.nacl("acl-random");
  b.associate(s2, acl);
  for (const Direction d : {Direction::kIngress, Direction::kEgress}) {
    const int n = static_cast<int>(r.uniform(1, 5));
    for (int i = 0; i < n; ++i) {
      b.nacl_entry(acl, d, 100 + 10 * i, r.chance(0.7) ? RuleAction::kAllow : RuleAction::kDeny, random_traffic(r, shape),
                   random_block(r, shape).to_string());
    }
  }
  std::vector<SgId> groups;
  for (int g = 0; g < 3; ++g) groups.push_back(b.sg("sg-" + std::to_string(g)));
  for (const SgId g : groups) {
    for (const Direction d : {Direction::kIngress, Direction::kEgress}) {
      const int n = static_cast<int>(r.uniform(0, 4));
      for (int i = 0; i < n; ++i) {
        const TrafficMatch t = random_traffic(r, shape);
        if (r.chance(0.2)) b.rule(g, d, t, r.pick(groups));
        else b.rule(g, d, t, r.chance(0.2) ? cidr("0.0.0.0/0") : random_block(r, shape));
      }
    }
  }
  const std::vector<SubnetId> subnets{s1, s2, s3};
  const std::vector<std::string> addresses{"10.0.1.10", "10.0.2.10", "10.0.3.10", "10.0.1.11", "10.0.2.11"};
  for (std::size_t i = 0; i < addresses.size(); ++i) {
    std::vector<SgId> attached{groups[i % groups.size()]};
    if (r.chance(0.4)) attached.push_back(groups[(i + 1) % groups.size()]);
    const SubnetId subnet = subnets[(addresses[i][5] - '1') % 3];
    const EniId e = b.instance("i" + std::to_string(i), subnet, addresses[i], attached);
    if (r.chance(0.6)) b.eni(e).public_ipv4 = ip("192.0.2." + std::to_string(10 + i));
  }
  b.external_host("admin", "198.51.100.7");
  b.external_host("visitor", "203.0.113.9");
  return b.build();
}

}  // namespace vpcsim::test
