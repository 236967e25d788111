#include "bench/engine_workload.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/cidr.h"
#include "model/ip_address.h"
#include "model/network_acl.h"
#include "model/security_group.h"
#include "sim/traffic_sources.h"

namespace vpcsim::bench {

namespace {

// Subnets, in SubnetId order.
constexpr std::uint32_t kPublicA = 0, kPublicB = 1, kApp = 2, kData = 3;
// Security groups, in SgId order.
enum Group : std::uint32_t { kDefault, kWeb, kAppSg, kBatch, kDb, kCache, kMonitor, kBastion, kMgmt, kGroups };
// Network ACLs, in NaclId order.
constexpr std::uint32_t kDefaultAcl = 0, kPublicAcl = 1, kAppAcl = 2, kDataAcl = 3;

Cidr cidr(std::string_view text) { return Cidr::parse(text).value(); }
TrafficMatch tcp(std::uint16_t port) { return TrafficMatch::tcp(PortRange::single(port)); }
TrafficMatch tcp(std::uint16_t from, std::uint16_t to) { return TrafficMatch::tcp({from, to}); }
TrafficMatch udp(std::uint16_t port) { return TrafficMatch::udp(PortRange::single(port)); }
TrafficMatch udp(std::uint16_t from, std::uint16_t to) { return TrafficMatch::udp({from, to}); }
TrafficMatch icmp_all() { return {Protocol::icmp(), PortRange::all(), {}}; }

// A deterministic stream of 64-bit values: splitmix64 over a counter.
class Bits {
 public:
  explicit Bits(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() { return splitmix64(state_++); }
  std::uint32_t below(std::uint32_t n) { return static_cast<std::uint32_t>(next() % n); }

 private:
  std::uint64_t state_;
};

// A public unicast IPv4 address outside 10/8, 172.16/12, 192.168/16, 127/8, multicast and the
// documentation range the scanners use.
std::uint32_t public_ipv4(Bits& bits) {
  for (;;) {
    const auto a = static_cast<std::uint32_t>(bits.next());
    const std::uint32_t top = a >> 24;
    if (top == 0 || top == 10 || top == 127 || top >= 224) continue;
    if ((a & 0xfff00000u) == 0xac100000u || (a & 0xffff0000u) == 0xc0a80000u) continue;
    if ((a & 0xffffff00u) == 0xc6336400u) continue;  // 198.51.100.0/24
    return a;
  }
}

Cidr cidr_of(std::uint32_t address, int prefix) {
  const std::uint32_t mask = prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix);
  return Cidr::of(IpAddress::v4(address & mask), prefix);
}

SgRule rule(TrafficMatch t, Peer peer, std::string description = {}) {
  return {"", t, std::move(peer), std::move(description)};
}

NaclEntry entry(int number, RuleAction action, TrafficMatch t, std::string_view remote) {
  return {number, action, t, cidr(remote)};
}

struct Roles {
  std::vector<Endpoint> web, app, batch, monitor, db, cache, bastion;
  std::vector<Endpoint> users, partners, saas, scanners;
};

void add_subnets(Network& net) {
  net.vpc = {"vpc-engine-bench", {cidr("10.0.0.0/16")}, {}, true, SgId(kDefault), NaclId(kDefaultAcl)};
  net.subnets = {
      {"subnet-public-a", cidr("10.0.0.0/24"), std::nullopt, "us-east-1a", NaclId(kPublicAcl), true},
      {"subnet-public-b", cidr("10.0.1.0/24"), std::nullopt, "us-east-1b", NaclId(kPublicAcl), true},
      {"subnet-app", cidr("10.0.2.0/24"), std::nullopt, "us-east-1a", NaclId(kAppAcl), false},
      {"subnet-data", cidr("10.0.3.0/24"), std::nullopt, "us-east-1b", NaclId(kDataAcl), false},
  };
}

void add_nacls(Network& net) {
  using enum RuleAction;
  NetworkAcl def{"acl-default", true, {}, {}};
  add_default_nacl_entries(def, false);
  net.network_acls.push_back(std::move(def));

  // The public subnets: a blocklist first, the served ports, return traffic on ephemeral
  // ports; out, replies and the calls the web tier and the bastions make, nothing else.
  NetworkAcl pub{"acl-public", false, {}, {}};
  // clang-format off
  pub.ingress = {entry(90, kDeny, {}, "198.51.100.0/24"),
                 entry(100, kAllow, tcp(443), "0.0.0.0/0"),
                 entry(110, kAllow, tcp(80), "0.0.0.0/0"),
                 entry(120, kAllow, tcp(8443), "0.0.0.0/0"),
                 entry(130, kAllow, tcp(22), "0.0.0.0/0"),
                 entry(140, kAllow, icmp_all(), "10.0.0.0/16"),
                 entry(150, kDeny, tcp(3389), "0.0.0.0/0"),
                 entry(200, kAllow, tcp(1024, 65535), "0.0.0.0/0"),
                 entry(210, kAllow, udp(1024, 65535), "10.0.0.0/16")};
  pub.egress = {entry(90, kDeny, {}, "198.51.100.0/24"),
                entry(100, kAllow, tcp(1024, 65535), "0.0.0.0/0"),
                entry(110, kAllow, tcp(443), "0.0.0.0/0"),
                entry(120, kAllow, tcp(22), "10.0.0.0/16"),
                entry(130, kAllow, udp(8125), "10.0.2.0/24"),
                entry(140, kAllow, icmp_all(), "10.0.0.0/16")};
  // clang-format on
  pub.sort_entries();
  net.network_acls.push_back(std::move(pub));

  // The app subnet: service ports from inside the VPC, return traffic on ephemeral ports,
  // a blocked range, and the outbound calls the tier makes.
  NetworkAcl app{"acl-app", false, {}, {}};
  // clang-format off: one entry a line, as an ACL is read
  app.ingress = {entry(90, kDeny, {}, "198.51.100.0/24"),
                 entry(100, kAllow, tcp(8080), "10.0.0.0/16"),
                 entry(110, kAllow, tcp(22), "10.0.0.0/24"),
                 entry(120, kAllow, tcp(9100), "10.0.0.0/16"),
                 entry(130, kAllow, udp(8125), "10.0.0.0/16"),
                 entry(140, kAllow, icmp_all(), "10.0.0.0/16"),
                 entry(150, kDeny, tcp(3389), "0.0.0.0/0"),
                 entry(200, kAllow, tcp(1024, 65535), "0.0.0.0/0"),
                 entry(210, kAllow, udp(1024, 65535), "10.0.0.0/16")};
  app.egress = {entry(90, kDeny, {}, "198.51.100.0/24"),
                entry(100, kAllow, tcp(443), "0.0.0.0/0"),
                entry(110, kAllow, tcp(5432), "10.0.3.0/24"),
                entry(120, kAllow, tcp(6379), "10.0.3.0/24"),
                entry(130, kAllow, tcp(9100), "10.0.0.0/16"),
                entry(140, kAllow, udp(8125), "10.0.0.0/16"),
                entry(150, kAllow, udp(53), "10.0.0.2/32"),
                entry(160, kDeny, tcp(25), "0.0.0.0/0"),
                entry(200, kAllow, tcp(1024, 65535), "10.0.0.0/16"),
                entry(210, kAllow, udp(1024, 65535), "10.0.0.0/16")};
  // clang-format on
  app.sort_entries();
  net.network_acls.push_back(std::move(app));

  // The data subnet: only the app subnet's database and cache traffic, ssh from the bastions'
  // subnet, scrapes, and replies inside the VPC; everything else out is denied explicitly.
  NetworkAcl data{"acl-data", false, {}, {}};
  // clang-format off
  data.ingress = {entry(100, kAllow, tcp(5432), "10.0.2.0/24"),
                  entry(110, kAllow, tcp(6379), "10.0.2.0/24"),
                  entry(120, kAllow, tcp(22), "10.0.0.0/24"),
                  entry(130, kAllow, tcp(9100), "10.0.2.0/24"),
                  entry(140, kAllow, icmp_all(), "10.0.0.0/16"),
                  entry(200, kAllow, tcp(1024, 65535), "10.0.0.0/16")};
  data.egress = {entry(100, kAllow, tcp(1024, 65535), "10.0.0.0/16"),
                 entry(110, kAllow, tcp(5432), "10.0.3.0/24"),
                 entry(120, kAllow, udp(8125), "10.0.2.0/24"),
                 entry(200, kDeny, {}, "0.0.0.0/0")};
  // clang-format on
  data.sort_entries();
  net.network_acls.push_back(std::move(data));
}

// Returns the partner CIDRs (the web tier allows them on 8443) and the office CIDRs.
std::pair<std::vector<Cidr>, std::vector<Cidr>> add_security_groups(Network& net, Bits& bits) {
  std::vector<Cidr> partners;
  for (int i = 0; i < 24; ++i) partners.push_back(cidr_of(public_ipv4(bits), 24 + static_cast<int>(bits.below(5))));
  std::vector<Cidr> offices;
  for (int i = 0; i < 16; ++i) offices.push_back(cidr_of(public_ipv4(bits), 32));

  net.prefix_lists.push_back({"pl-0offices", "corp-offices", Family::kIpv4, {}});
  for (int i = 0; i < 4; ++i) net.prefix_lists.back().entries.push_back(cidr_of(public_ipv4(bits), 28));
  const PrefixListId office_list(0);

  net.security_groups.resize(kGroups);
  const auto group = [&](Group g, std::string id, std::string description) -> SecurityGroup& {
    SecurityGroup& sg = net.security_groups[g];
    sg.id = id;
    sg.name = g == kDefault ? "default" : std::move(id);
    sg.description = std::move(description);
    return sg;
  };
  const Cidr any = cidr("0.0.0.0/0");
  const Cidr vpc = cidr("10.0.0.0/16");

  add_vpc_default_sg_rules(group(kDefault, "sg-default", "default VPC security group"), SgId(kDefault), false);

  SecurityGroup& web = group(kWeb, "sg-web", "public web tier");
  web.ingress = {rule(tcp(443), any, "https"), rule(tcp(80), any, "http, redirects to https")};
  for (const Cidr& c : partners) web.ingress.push_back(rule(tcp(8443), c, "partner api"));
  web.egress = {rule(tcp(8080), SgId(kAppSg)), rule(tcp(443), any), rule(udp(8125), SgId(kMonitor))};

  SecurityGroup& app = group(kAppSg, "sg-app", "application tier");
  app.ingress = {rule(tcp(8080), SgId(kWeb)), rule(tcp(8080), SgId(kAppSg)), rule(tcp(8080), SgId(kBatch))};
  app.egress = {rule(tcp(5432), SgId(kDb)), rule(tcp(6379), SgId(kCache)),   rule(tcp(8080), SgId(kAppSg)),
                rule(tcp(443), any),        rule(udp(8125), SgId(kMonitor)), rule(udp(53), cidr("10.0.0.2/32"))};

  SecurityGroup& batch = group(kBatch, "sg-batch", "batch workers: anything out");
  add_new_sg_rules(batch, false);

  SecurityGroup& db = group(kDb, "sg-db", "postgres");
  db.ingress = {rule(tcp(5432), SgId(kAppSg)), rule(tcp(5432), SgId(kBatch)),
                rule(tcp(5432), SgId(kDb), "replication")};
  db.egress = {rule(tcp(5432), SgId(kDb), "replication")};

  SecurityGroup& cache = group(kCache, "sg-cache", "redis; no egress rules at all");
  cache.ingress = {rule(tcp(6379), SgId(kAppSg)), rule(tcp(6379), SgId(kBatch))};

  SecurityGroup& monitor = group(kMonitor, "sg-monitor", "metrics and scraping");
  monitor.ingress = {rule(udp(8125), vpc, "statsd")};
  monitor.egress = {rule(tcp(9100), vpc, "node exporter"), rule(tcp(443), any)};

  SecurityGroup& bastion = group(kBastion, "sg-bastion", "ssh jump hosts");
  bastion.ingress = {rule(tcp(22), office_list)};
  for (int i = 0; i < 6; ++i) bastion.ingress.push_back(rule(tcp(22), offices[static_cast<std::size_t>(i)], "home"));
  bastion.egress = {rule(tcp(22), vpc)};

  SecurityGroup& mgmt = group(kMgmt, "sg-mgmt", "management access to every instance");
  mgmt.ingress = {rule(tcp(22), SgId(kBastion)), rule(tcp(9100), SgId(kMonitor)), rule(icmp_all(), vpc)};
  for (const Cidr& c : offices) mgmt.ingress.push_back(rule(tcp(22), c, "legacy direct ssh"));
  mgmt.egress = {rule(tcp(32768, 65535), vpc, "replies, for a stateless-minded reader")};
  return {std::move(partners), std::move(offices)};
}

void add_instances(Network& net, Roles& roles, Bits& bits) {
  std::array<std::uint32_t, 4> next_host = {10, 10, 10, 10};  // per subnet
  const auto add = [&](std::string name, std::string role, std::uint32_t subnet, std::vector<SgId> groups,
                       bool public_address, std::vector<Endpoint>& into) {
    const auto n = static_cast<std::uint32_t>(net.enis.size());
    Eni e;
    e.id = "eni-" + std::to_string(0x10000 + n);
    e.subnet = SubnetId(subnet);
    e.instance = InstanceId(n);
    e.private_ipv4 = {IpAddress::v4(0x0a000000u | (subnet << 8) | next_host[subnet]++)};
    if (public_address) e.public_ipv4 = IpAddress::v4(public_ipv4(bits));
    if (n % 4 == 0) groups.push_back(SgId(kDefault));
    e.groups = std::move(groups);
    net.enis.push_back(std::move(e));
    net.instances.push_back({std::move(name), std::move(role), "", {EniId(n)}});
    into.push_back(EniId(n));
  };
  const auto numbered = [](std::string_view role, int i) {
    return std::string(role) + "-" + (i < 10 ? "0" : "") + std::to_string(i);
  };
  for (int i = 0; i < 28; ++i) {
    add(numbered("web", i), "web", i % 2 == 0 ? kPublicA : kPublicB, {SgId(kWeb), SgId(kMgmt)}, true, roles.web);
  }
  for (int i = 0; i < 40; ++i) add(numbered("app", i), "app", kApp, {SgId(kAppSg), SgId(kMgmt)}, false, roles.app);
  for (int i = 0; i < 4; ++i) {
    add(numbered("batch", i), "batch", kApp, {SgId(kAppSg), SgId(kBatch), SgId(kMgmt)}, false, roles.batch);
  }
  for (int i = 0; i < 2; ++i) {
    add(numbered("monitor", i), "monitor", kApp, {SgId(kMonitor), SgId(kMgmt)}, false, roles.monitor);
  }
  for (int i = 0; i < 16; ++i) add(numbered("db", i), "db", kData, {SgId(kDb), SgId(kMgmt)}, false, roles.db);
  for (int i = 0; i < 8; ++i)
    add(numbered("cache", i), "cache", kData, {SgId(kCache), SgId(kMgmt)}, false, roles.cache);
  for (int i = 0; i < 2; ++i) add(numbered("bastion", i), "bastion", kPublicA, {SgId(kBastion)}, true, roles.bastion);
}

void add_internet_hosts(Network& net, Roles& roles, Bits& bits, const std::vector<Cidr>& partners,
                        const std::vector<Cidr>& offices) {
  const auto add = [&](std::string name, std::uint32_t address, std::vector<Endpoint>& into) {
    const auto n = static_cast<std::uint32_t>(net.external_hosts.size());
    net.external_hosts.push_back({std::move(name), IpAddress::v4(address), ""});
    into.push_back(ExternalHostId(n));
  };
  const auto inside = [&](const Cidr& c) {
    const std::uint32_t host_bits = c.prefix() == 32 ? 0 : (std::uint32_t{1} << (32 - c.prefix())) - 1;
    return static_cast<std::uint32_t>(c.first().value()) | (static_cast<std::uint32_t>(bits.next()) & host_bits);
  };
  for (int i = 0; i < 64; ++i) add("user-" + std::to_string(i), public_ipv4(bits), roles.users);
  for (int i = 0; i < 8; ++i)
    add("partner-" + std::to_string(i), inside(partners[static_cast<std::size_t>(i) * 3]), roles.partners);
  for (int i = 0; i < 8; ++i) add("saas-" + std::to_string(i), public_ipv4(bits), roles.saas);
  // Half the scanners sit in 198.51.100.0/24, which the app and data ACLs deny; two are
  // offices (legacy direct ssh rules let them in).
  for (int i = 0; i < 16; ++i) {
    std::uint32_t address = i < 8 ? 0xc6336400u | (10 + static_cast<std::uint32_t>(i)) : public_ipv4(bits);
    if (i >= 14) address = inside(offices[static_cast<std::size_t>(i - 14)]);
    add("scanner-" + std::to_string(i), address, roles.scanners);
  }
}

std::vector<Endpoint> join(std::initializer_list<const std::vector<Endpoint>*> parts) {
  std::vector<Endpoint> out;
  for (const auto* p : parts) out.insert(out.end(), p->begin(), p->end());
  return out;
}

struct GeneratorPlan {
  GeneratorSpec spec;
  double share;  // of the total rate and the total flows
};

std::vector<GeneratorPlan> generator_plans(const Roles& r, double mean_duration_s) {
  using DD = DurationDistribution;
  const DD normal{DD::Kind::kExponential, mean_duration_s, 0};
  const auto sessions = [&](std::string name, std::vector<Endpoint> clients, std::vector<Endpoint> servers,
                            std::uint8_t protocol, std::vector<std::uint16_t> ports, DD duration,
                            std::uint32_t request_packets, std::uint32_t reply_packets, std::uint32_t bytes) {
    GeneratorSpec g;
    g.name = std::move(name);
    g.kind = GeneratorSpec::Kind::kSessions;
    g.clients = std::move(clients);
    g.servers = std::move(servers);
    g.protocol = protocol;
    g.ports = std::move(ports);
    g.arrival = GeneratorSpec::Arrival::kPoisson;
    g.duration = duration;
    g.request_packets = request_packets;
    g.reply_packets = reply_packets;
    g.bytes_per_packet = bytes;
    return g;
  };
  const std::vector<Endpoint> instances = join({&r.web, &r.app, &r.batch, &r.monitor, &r.db, &r.cache, &r.bastion});
  const std::vector<Endpoint> inside = join({&r.web, &r.app, &r.batch, &r.monitor, &r.db, &r.cache});
  return {
      {sessions("users-web", r.users, r.web, Protocol::kTcp, {443, 443, 443, 80}, normal, 8, 12, 700), 0.34},
      {sessions("partners-api", r.partners, r.web, Protocol::kTcp, {8443}, normal, 6, 6, 900), 0.03},
      {sessions("web-app", r.web, join({&r.app, &r.batch}), Protocol::kTcp, {8080}, normal, 6, 6, 800), 0.22},
      {sessions("app-db", join({&r.app, &r.batch}), r.db, Protocol::kTcp, {5432}, normal, 10, 10, 400), 0.12},
      {sessions("app-cache", r.app, r.cache, Protocol::kTcp, {6379}, {DD::Kind::kExponential, mean_duration_s / 4, 0},
                4, 4, 200),
       0.10},
      {sessions("app-saas", r.app, r.saas, Protocol::kTcp, {443}, normal, 6, 8, 1000), 0.05},
      {sessions("metrics", join({&r.web, &r.app}), r.monitor, Protocol::kUdp, {8125}, {DD::Kind::kFixed, 0.01, 0}, 1, 1,
                300),
       0.06},
      {sessions("scrape", r.monitor, inside, Protocol::kTcp, {9100}, {DD::Kind::kFixed, 0.2, 0}, 2, 4, 1200), 0.04},
      {sessions("ssh", r.bastion, inside, Protocol::kTcp, {22}, {DD::Kind::kExponential, 30, 0}, 40, 60, 120), 0.01},
      {sessions("stray", join({&r.scanners, &r.users}), instances, Protocol::kTcp,
                {22, 23, 80, 443, 445, 3306, 3389, 5432, 6379, 8080}, {DD::Kind::kFixed, 0.5, 0}, 1, 1, 60),
       0.03},
  };
}

}  // namespace

Scenario make_engine_scenario(const EngineWorkloadShape& shape) {
  Scenario s;
  s.name = "engine-bench";
  s.description = "100 instances, 10 session generators, " + std::to_string(shape.flows) + " flows";
  s.seed = shape.seed;
  Network& net = s.network;
  Bits bits(0x5eed0000 + shape.seed);
  add_subnets(net);
  add_nacls(net);
  const auto [partners, offices] = add_security_groups(net, bits);
  Roles roles;
  add_instances(net, roles, bits);
  add_internet_hosts(net, roles, bits, partners, offices);
  if (shape.tcp_established_s > 0) {
    for (Eni& e : net.enis) e.conntrack.tcp_established = seconds(shape.tcp_established_s);
  }

  auto plans = generator_plans(roles, shape.mean_duration_s);
  std::uint64_t assigned = 0;
  for (std::size_t i = 0; i < plans.size(); ++i) {
    GeneratorSpec& g = plans[i].spec;
    g.rate_per_second = shape.flows_per_second * plans[i].share;
    // Limits in proportion to the rates, so that every generator runs about as long; the
    // last takes the rounding remainder and the limits add up to shape.flows exactly.
    // A limit of 0 would mean none, so every generator gets at least one flow (tiny runs
    // then produce a few more flows than asked).
    const auto proportional =
        static_cast<std::uint64_t>(std::llround(static_cast<double>(shape.flows) * plans[i].share));
    g.flow_limit = std::max<std::uint64_t>(
        1, i + 1 == plans.size() ? (shape.flows > assigned ? shape.flows - assigned : 0) : proportional);
    assigned += g.flow_limit;
    g.field = "generators[" + std::to_string(i) + "]";
    s.generators.push_back(std::move(g));
  }
  return s;
}

}  // namespace vpcsim::bench
