#include "bench/sg_workload.h"

#include <array>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace vpcsim::bench {

namespace {

constexpr std::uint64_t kVpcIpv6High = 0x26001f18abcd1200;  // 2600:1f18:abcd:1200::/56
constexpr int kSubnets = 4;
constexpr std::uint32_t kAppSubnet = 2;  // the subnet of the interface under test

// Integer-only draws from std::mt19937, whose sequence the standard fixes; the slight modulo
// bias does not matter for a workload.
class Rng {
 public:
  explicit Rng(std::uint32_t seed) : gen_(seed) {}
  std::uint32_t bits32() { return static_cast<std::uint32_t>(gen_()); }
  // Two draws, sequenced (the operands of | are not), so the result is portable.
  U128 bits64() {
    const U128 high = bits32();
    return (high << 32) | bits32();
  }
  std::uint32_t below(std::size_t n) { return bits32() % static_cast<std::uint32_t>(n); }
  std::uint32_t between(std::uint32_t lo, std::uint32_t hi) { return lo + below(hi - lo + 1); }
  bool percent(std::uint32_t p) { return below(100) < p; }
  template <class C>
  const auto& pick(const C& items) {
    return items[below(std::size(items))];
  }

 private:
  std::mt19937 gen_;
};

constexpr std::array<std::uint16_t, 24> kTcpPorts = {22,   25,   80,   110,  143,  389,  443,  445,
                                                     465,  587,  636,  993,  1433, 2049, 3306, 3389,
                                                     5432, 5439, 6379, 8080, 8443, 9092, 9200, 27017};
constexpr std::array<std::uint16_t, 10> kUdpPorts = {53, 67, 123, 161, 500, 514, 1194, 4500, 5353, 51820};
constexpr std::array<PortRange, 8> kPortRanges = {{{1024, 65535},
                                                   {32768, 65535},
                                                   {8000, 8099},
                                                   {30000, 32767},
                                                   {6000, 6007},
                                                   {9000, 9100},
                                                   {49152, 65535},
                                                   {5000, 5010}}};
constexpr std::array<IcmpMatch, 6> kIcmpMatches = {{{8, -1}, {0, -1}, {3, 4}, {3, -1}, {11, -1}, {-1, -1}}};
constexpr std::array<IcmpMatch, 5> kIcmpv6Matches = {{{128, -1}, {129, -1}, {2, -1}, {1, -1}, {-1, -1}}};
// Prefix lengths as rules use them: hosts, /24s and /16s dominate, with the odd /8 and everything between.
constexpr std::array<int, 16> kIpv4Prefixes = {8, 12, 16, 16, 20, 22, 24, 24, 24, 26, 27, 28, 32, 32, 32, 32};
constexpr std::array<int, 5> kIpv6Prefixes = {32, 48, 56, 64, 128};

Cidr parse_cidr(std::string_view text) { return Cidr::parse(text).value(); }

Cidr cidr_around(Family f, U128 address, int prefix) {
  return Cidr::of(f == Family::kIpv4 ? IpAddress::v4(static_cast<std::uint32_t>(address & netmask(f, prefix)))
                                     : IpAddress::v6(address & netmask(f, prefix)),
                  prefix);
}

IpAddress address_in(Rng& rng, const Cidr& c) {
  const U128 host = ~netmask(c.family(), c.prefix()) & (c.family() == Family::kIpv4 ? U128{0xffffffff} : ~U128{0});
  const U128 high = rng.bits64();
  const U128 offset = ((high << 64) | rng.bits64()) & host;
  const U128 value = c.first().value() | offset;
  return c.family() == Family::kIpv4 ? IpAddress::v4(static_cast<std::uint32_t>(value)) : IpAddress::v6(value);
}

U128 random_ipv4(Rng& rng) {
  const auto roll = rng.below(100);
  if (roll < 35) return 0x0a000000u | rng.below(0x10000);    // inside the VPC, 10.0.0.0/16
  if (roll < 50) return 0x0a000000u | rng.below(0x1000000);  // on-premises 10.0.0.0/8
  if (roll < 60) return 0xac100000u | rng.below(0x100000);   // 172.16.0.0/12
  if (roll < 70) return 0xc0a80000u | rng.below(0x10000);    // 192.168.0.0/16
  return rng.bits32();                                       // the internet
}

U128 random_ipv6(Rng& rng) {
  const U128 high = rng.percent(50) ? U128{kVpcIpv6High + rng.below(kSubnets)}
                                    : U128{0x2a05000000000000u | static_cast<std::uint64_t>(rng.bits64() >> 16)};
  return (high << 64) | rng.bits64();
}

TrafficMatch random_traffic(Rng& rng, Family f) {
  const auto roll = rng.below(100);
  if (roll < 50) {
    return TrafficMatch::tcp(PortRange::single(rng.percent(80) ? rng.pick(kTcpPorts) : rng.between(1, 65535)));
  }
  if (roll < 62) return TrafficMatch::tcp(rng.pick(kPortRanges));
  if (roll < 72) return TrafficMatch::udp(PortRange::single(rng.pick(kUdpPorts)));
  if (roll < 76) return TrafficMatch::udp(rng.pick(kPortRanges));
  if (roll < 90) {
    if (f == Family::kIpv4) return {Protocol::icmp(), PortRange::all(), rng.pick(kIcmpMatches)};
    return {Protocol::icmpv6(), PortRange::all(), rng.pick(kIcmpv6Matches)};
  }
  if (roll < 92) return {Protocol::number(rng.percent(50) ? 47 : 50), PortRange::all(), {}};  // GRE, ESP
  if (roll < 96) return TrafficMatch::all();
  if (roll < 97) return TrafficMatch::tcp(PortRange::all());
  return TrafficMatch::tcp(PortRange::single(rng.pick(kTcpPorts)));
}

// A rule as people write them: mostly IPv4 CIDRs of every size, some IPv6, some references
// to other groups (including the group itself), the odd prefix list.
SgRule random_rule(Rng& rng, const Network& net, std::size_t number) {
  Peer peer;
  Family f = Family::kIpv4;
  const auto roll = rng.below(100);
  if (roll < 72) {
    const U128 address = random_ipv4(rng);
    peer = cidr_around(Family::kIpv4, address, rng.percent(70) ? rng.pick(kIpv4Prefixes) : rng.between(8, 32));
  } else if (roll < 80) {
    f = Family::kIpv6;
    const U128 address = random_ipv6(rng);
    peer = cidr_around(Family::kIpv6, address, rng.pick(kIpv6Prefixes));
  } else if (roll < 94) {
    peer = SgId(rng.below(net.security_groups.size()));
  } else {
    peer = PrefixListId(rng.below(net.prefix_lists.size()));
  }
  return {"sgr-" + std::to_string(number), random_traffic(rng, f), peer, ""};
}

void add_vpc(Network& net) {
  net.vpc = {"vpc-bench",
             {parse_cidr("10.0.0.0/16")},
             {cidr_around(Family::kIpv6, U128{kVpcIpv6High} << 64, 56)},
             true,
             SgId(0),
             NaclId(0)};
  static constexpr std::array<std::string_view, kSubnets> kNames = {"public-a", "public-b", "app", "db"};
  for (std::uint32_t s = 0; s < kSubnets; ++s) {
    net.subnets.push_back({"subnet-" + std::string(kNames[s]), parse_cidr("10.0." + std::to_string(s) + ".0/24"),
                           cidr_around(Family::kIpv6, U128{kVpcIpv6High + s} << 64, 64),
                           s < 2 ? "us-east-1a" : "us-east-1b", NaclId(s == kAppSubnet ? 1 : 0), s < 2});
  }
}

NaclEntry entry(int number, RuleAction action, TrafficMatch traffic, std::string_view cidr) {
  return {number, action, traffic, parse_cidr(cidr)};
}

// A hand-written ACL at the AWS default quota of 20 entries per direction: allows for the
// served ports and ephemeral replies, denies placed ahead of broader allows, IPv6 twins.
NetworkAcl app_nacl() {
  using enum RuleAction;
  const auto tcp = [](std::uint16_t from, std::uint16_t to) { return TrafficMatch::tcp({from, to}); };
  const auto udp = [](std::uint16_t from, std::uint16_t to) { return TrafficMatch::udp({from, to}); };
  const TrafficMatch echo{Protocol::icmp(), PortRange::all(), {8, -1}};
  const TrafficMatch frag_needed{Protocol::icmp(), PortRange::all(), {3, 4}};
  const TrafficMatch icmp_all{Protocol::icmp(), PortRange::all(), {}};
  const TrafficMatch icmpv6_all{Protocol::icmpv6(), PortRange::all(), {}};
  NetworkAcl acl{"acl-app", false, {}, {}};
  acl.ingress = {entry(100, kAllow, tcp(443, 443), "0.0.0.0/0"),
                 entry(101, kAllow, tcp(443, 443), "::/0"),
                 entry(110, kAllow, tcp(80, 80), "0.0.0.0/0"),
                 entry(111, kAllow, tcp(80, 80), "::/0"),
                 entry(115, kAllow, tcp(22, 22), "10.0.0.0/16"),
                 entry(120, kDeny, tcp(22, 22), "0.0.0.0/0"),
                 entry(125, kDeny, tcp(3389, 3389), "0.0.0.0/0"),
                 entry(130, kDeny, {}, "198.51.100.0/24"),
                 entry(140, kAllow, tcp(3306, 3306), "10.0.0.0/16"),
                 entry(150, kAllow, tcp(5432, 5432), "10.0.0.0/16"),
                 entry(160, kAllow, tcp(6379, 6379), "10.0.2.0/24"),
                 entry(170, kAllow, udp(53, 53), "10.0.0.0/16"),
                 entry(180, kAllow, udp(123, 123), "0.0.0.0/0"),
                 entry(190, kAllow, frag_needed, "0.0.0.0/0"),
                 entry(200, kAllow, echo, "10.0.0.0/8"),
                 entry(210, kAllow, icmpv6_all, "::/0"),
                 entry(220, kAllow, tcp(1024, 65535), "0.0.0.0/0"),
                 entry(221, kAllow, tcp(1024, 65535), "::/0"),
                 entry(230, kAllow, udp(1024, 65535), "0.0.0.0/0"),
                 entry(240, kAllow, {}, "10.0.0.0/16")};
  acl.egress = {entry(100, kAllow, tcp(443, 443), "0.0.0.0/0"),
                entry(101, kAllow, tcp(443, 443), "::/0"),
                entry(110, kAllow, tcp(80, 80), "0.0.0.0/0"),
                entry(111, kAllow, tcp(80, 80), "::/0"),
                entry(120, kAllow, tcp(1024, 65535), "0.0.0.0/0"),
                entry(121, kAllow, tcp(1024, 65535), "::/0"),
                entry(130, kAllow, udp(1024, 65535), "0.0.0.0/0"),
                entry(140, kDeny, tcp(25, 25), "0.0.0.0/0"),
                entry(150, kAllow, udp(53, 53), "0.0.0.0/0"),
                entry(160, kAllow, udp(123, 123), "0.0.0.0/0"),
                entry(170, kAllow, tcp(3306, 3306), "10.0.3.0/24"),
                entry(180, kAllow, tcp(5432, 5432), "10.0.3.0/24"),
                entry(190, kAllow, tcp(6379, 6379), "10.0.2.0/24"),
                entry(200, kAllow, icmp_all, "10.0.0.0/16"),
                entry(210, kAllow, icmpv6_all, "::/0"),
                entry(220, kDeny, {}, "198.51.100.0/24"),
                entry(230, kAllow, tcp(22, 22), "10.0.0.0/16"),
                entry(240, kAllow, tcp(8080, 8090), "10.0.0.0/16"),
                entry(250, kAllow, {}, "10.0.0.0/16"),
                entry(260, kAllow, udp(4500, 4500), "203.0.113.0/24")};
  acl.sort_entries();
  return acl;
}

void add_prefix_lists(Network& net, Rng& rng) {
  const auto make = [&](std::string id, std::string name, int entries) {
    PrefixList pl{std::move(id), std::move(name), Family::kIpv4, {}};
    for (int i = 0; i < entries; ++i) {
      const U128 address = rng.bits32();
      pl.entries.push_back(cidr_around(Family::kIpv4, address, static_cast<int>(rng.between(16, 28))));
    }
    net.prefix_lists.push_back(std::move(pl));
  };
  make("pl-0corp", "corp-offices", 8);
  make("pl-0partners", "partner-networks", 12);
}

// Tier groups with several members each, then the groups under test. Interface 0 carries
// only the groups under test; each of those also sits on a few other interfaces, so a
// self-reference covers several addresses.
void add_interfaces(Network& net, const WorkloadShape& shape, std::uint32_t first_test_group) {
  static constexpr std::array<std::uint32_t, 10> kTierOf = {1, 1, 1, 1, 2, 2, 2, 3, 3, 4};  // web, app, db, bastion
  for (int i = 0; i < shape.enis; ++i) {
    const auto n = static_cast<std::uint32_t>(i);
    const std::uint32_t s = i == 0 ? kAppSubnet : n % kSubnets;
    Eni e{"eni-" + std::to_string(1000 + i), SubnetId(s), InstanceId(n), {}, {}, std::nullopt, {}, {}};
    e.private_ipv4.push_back(IpAddress::v4(0x0a000000u | (s << 8) | (10 + n)));
    if (i % 5 == 0) e.private_ipv4.push_back(IpAddress::v4(0x0a000000u | (s << 8) | (100 + n)));
    if (i % 2 == 0) e.ipv6.push_back(IpAddress::v6((U128{kVpcIpv6High + s} << 64) | (0x1000 + n)));
    if (i == 0) {
      for (int g = 0; g < shape.groups_on_eni; ++g) {
        e.groups.push_back(SgId(first_test_group + static_cast<std::uint32_t>(g)));
      }
    } else {
      e.groups.push_back(SgId(kTierOf[n % kTierOf.size()]));
      if (i % 3 == 0) e.groups.push_back(SgId(0));
      const std::uint32_t k = n % 17;
      if (k >= 1 && k <= static_cast<std::uint32_t>(shape.groups_on_eni)) {
        e.groups.push_back(SgId(first_test_group + k - 1));
      }
    }
    net.enis.push_back(std::move(e));
    net.instances.push_back({"host-" + std::to_string(i), i == 0 ? "under-test" : "peer", "", {EniId(n)}});
  }
}

void add_security_groups(Network& net, const WorkloadShape& shape, Rng& rng) {
  SecurityGroup def{"sg-default", "default", "default VPC security group", {}, {}};
  add_vpc_default_sg_rules(def, SgId(0), true);
  net.security_groups.push_back(std::move(def));
  for (const std::string_view tier : {"web", "app", "db", "bastion"}) {
    SecurityGroup sg{"sg-" + std::string(tier), std::string(tier), "tier group", {}, {}};
    sg.ingress.push_back({"", TrafficMatch::tcp(PortRange::single(443)), parse_cidr("0.0.0.0/0"), ""});
    add_new_sg_rules(sg, true);
    net.security_groups.push_back(std::move(sg));
  }
  // Rules may reference any group, so every group must exist before rules are drawn.
  const auto first = net.security_groups.size();
  for (int g = 0; g < shape.groups_on_eni; ++g) {
    net.security_groups.push_back(
        {"sg-svc" + std::to_string(g), "svc" + std::to_string(g), "group under test", {}, {}});
  }
  std::size_t number = 0;
  for (std::size_t g = first; g < net.security_groups.size(); ++g) {
    for (int r = 0; r < shape.rules_per_group; ++r) {
      net.security_groups[g].ingress.push_back(random_rule(rng, net, number++));
      net.security_groups[g].egress.push_back(random_rule(rng, net, number++));
    }
  }
}

IpAddress address_of(const Eni& e, Family f) { return f == Family::kIpv4 ? e.private_ipv4.front() : e.ipv6.front(); }

// An inbound packet that `rule` allows: a source inside its peer, its protocol, a port or
// ICMP type/code it selects.
Packet packet_matching(Rng& rng, const Network& net, const Eni& target, const SgRule& rule) {
  Packet p;
  if (const auto* cidr = std::get_if<Cidr>(&rule.peer)) {
    p.src = address_in(rng, *cidr);
  } else if (const auto* pl = std::get_if<PrefixListId>(&rule.peer)) {
    p.src = address_in(rng, rng.pick(net.prefix_list(*pl).entries));
  } else {
    const auto members = net.members_of(std::get<SgId>(rule.peer));
    const Eni& m = net.eni(rng.pick(members));
    const bool v6 = !m.ipv6.empty() && !rule.traffic.protocol.is_icmp_family() && rng.percent(20);
    p.src = v6 ? rng.pick(m.ipv6) : rng.pick(m.private_ipv4);
  }
  p.dst = address_of(target, p.family());
  const Protocol proto = rule.traffic.protocol;
  if (proto.is_all()) {
    static constexpr std::array<std::uint8_t, 3> kAny = {Protocol::kTcp, Protocol::kUdp, Protocol::kIcmp};
    p.protocol = rng.pick(kAny);
    if (p.protocol == Protocol::kIcmp && !p.src.is_v4()) p.protocol = Protocol::kIcmpv6;
  } else {
    p.protocol = proto.value();
  }
  if (p.has_ports()) {
    const PortRange ports = proto.is_all() ? PortRange::all() : rule.traffic.ports;
    p.src_port = static_cast<std::uint16_t>(rng.between(32768, 60999));
    p.dst_port = static_cast<std::uint16_t>(rng.between(ports.from, ports.to));
  } else if (p.is_icmp()) {
    const IcmpMatch m = proto.is_all() ? IcmpMatch{} : rule.traffic.icmp;
    p.icmp_type = static_cast<std::uint8_t>(m.type == -1 ? rng.pick(std::array{0, 3, 8, 11}) : m.type);
    p.icmp_code = static_cast<std::uint8_t>(m.code == -1 ? rng.below(5) : m.code);
  }
  return p;
}

// Background traffic: sources from the VPC, private ranges and the internet, common and
// random ports. Some of it matches a rule by chance.
Packet random_packet(Rng& rng, const Network& net, const Eni& target) {
  Packet p;
  const bool v6 = rng.percent(12);
  if (rng.percent(15)) {
    const Eni& e = rng.pick(net.enis);
    p.src = v6 && !e.ipv6.empty() ? e.ipv6.front() : e.private_ipv4.front();
  } else {
    // Mostly the internet: scans and stray traffic that a server's rules mostly do not allow.
    const U128 v4 = rng.percent(25) ? random_ipv4(rng) : rng.bits32();
    p.src = v6 ? IpAddress::v6(random_ipv6(rng)) : IpAddress::v4(static_cast<std::uint32_t>(v4));
  }
  p.dst = address_of(target, p.family());
  const auto roll = rng.below(100);
  if (roll < 62) {
    p.protocol = Protocol::kTcp;
    p.dst_port = rng.percent(50) ? rng.pick(kTcpPorts) : static_cast<std::uint16_t>(rng.between(1, 65535));
  } else if (roll < 84) {
    p.protocol = Protocol::kUdp;
    p.dst_port = rng.percent(50) ? rng.pick(kUdpPorts) : static_cast<std::uint16_t>(rng.between(1, 65535));
  } else if (roll < 96) {
    p.protocol = p.src.is_v4() ? Protocol::kIcmp : Protocol::kIcmpv6;
    p.icmp_type = rng.pick(p.src.is_v4() ? std::array<std::uint8_t, 4>{0, 3, 8, 11}
                                         : std::array<std::uint8_t, 4>{1, 2, 128, 129});
    p.icmp_code = static_cast<std::uint8_t>(rng.below(5));
  } else {
    p.protocol = 47;  // GRE
  }
  if (p.has_ports()) p.src_port = static_cast<std::uint16_t>(rng.between(32768, 60999));
  return p;
}

}  // namespace

SgWorkload make_sg_workload(const WorkloadShape& shape) {
  Rng rng(shape.seed);
  SgWorkload w;
  Network& net = w.net;
  add_vpc(net);
  NetworkAcl def{"acl-default", true, {}, {}};
  add_default_nacl_entries(def, true);
  net.network_acls.push_back(std::move(def));
  net.network_acls.push_back(app_nacl());
  add_prefix_lists(net, rng);
  add_security_groups(net, shape, rng);
  add_interfaces(
      net, shape,
      static_cast<std::uint32_t>(net.security_groups.size()) - static_cast<std::uint32_t>(shape.groups_on_eni));
  w.eni = EniId(0);
  w.nacl = net.nacl_of(w.eni);

  const Eni& target = net.eni(w.eni);
  std::vector<const SgRule*> ingress;
  for (const SgId sg : target.groups) {
    for (const SgRule& r : net.sg(sg).ingress) ingress.push_back(&r);
  }
  for (int i = 0; i < shape.packets; ++i) {
    w.packets.push_back(rng.percent(40) ? packet_matching(rng, net, target, *rng.pick(ingress))
                                        : random_packet(rng, net, target));
  }
  return w;
}

}  // namespace vpcsim::bench
