#include "model/analysis/packet_search.h"

#include <algorithm>
#include <array>
#include <set>

#include "model/analysis/rule_facts.h"

namespace vpcsim::analysis {

namespace {

// Every rule the packet or its reply can meet between the two endpoints.
struct PathRules {
  std::vector<const TrafficMatch*> traffic;
  std::vector<Cidr> blocks;
};

PathRules path_rules(const Network& net, const Endpoint& from, const Endpoint& to) {
  PathRules out;
  std::set<std::uint32_t> acls;
  for (const Endpoint& e : {from, to}) {
    const auto eni = as_eni(e);
    if (!eni) continue;
    acls.insert(net.nacl_of(*eni).value);
    for (const SgId g : net.eni(*eni).groups) {
      if (g.value >= net.security_groups.size()) continue;
      for (const Direction d : {Direction::kIngress, Direction::kEgress}) {
        for (const SgRule& r : net.sg(g).rules(d)) {
          out.traffic.push_back(&r.traffic);
          const auto b = peer_blocks(net, r.peer);
          out.blocks.insert(out.blocks.end(), b.begin(), b.end());
        }
      }
    }
  }
  for (const std::uint32_t a : acls) {
    for (const Direction d : {Direction::kIngress, Direction::kEgress}) {
      for (const NaclEntry& e : net.network_acls[a].entries(d)) {
        out.traffic.push_back(&e.traffic);
        out.blocks.push_back(e.cidr);
      }
    }
  }
  return out;
}

// Representatives of the address classes inside `space`.
std::vector<IpAddress> address_classes(std::span<const Cidr> space, std::span<const Cidr> rule_blocks, Family f) {
  const auto space_iv = address_intervals(space, f);
  auto cuts = space_iv;
  const auto rule_iv = address_intervals(rule_blocks, f);
  cuts.insert(cuts.end(), rule_iv.begin(), rule_iv.end());
  const U128 top = f == Family::kIpv4 ? U128{0xffffffffu} : ~U128{0};
  std::vector<IpAddress> out;
  for (const U128 a : class_starts<U128>(0, top, cuts)) {
    if (std::ranges::none_of(space_iv, [a](const auto& iv) { return iv.first <= a && a <= iv.second; })) continue;
    out.push_back(f == Family::kIpv4 ? IpAddress::v4(static_cast<std::uint32_t>(a)) : IpAddress::v6(a));
  }
  return out;
}

std::expected<std::vector<Cidr>, std::string> own_addresses(const Network& net, const Endpoint& e,
                                                            const std::vector<Cidr>& given, Family f,
                                                            std::string_view side) {
  if (!given.empty()) {
    for (const Cidr& c : given) {
      if (c.family() != f) return std::unexpected(std::string(side) + " block " + c.to_string() + " is not " + std::string(to_string(f)));
    }
    return given;
  }
  std::vector<Cidr> out;
  if (const auto eni = as_eni(e)) {
    const Eni& x = net.eni(*eni);
    for (const IpAddress& a : f == Family::kIpv4 ? x.private_ipv4 : x.ipv6) out.push_back(Cidr::host(a));
  } else {
    const IpAddress& a = net.external_host(std::get<ExternalHostId>(e)).address;
    if (a.family() == f) out.push_back(Cidr::host(a));
  }
  if (out.empty()) return std::unexpected(endpoint_label(net, e) + " has no " + std::string(to_string(f)) + " address");
  return out;
}

// Key classes (ports, or ICMP type<<8|code) of one protocol inside [lo, hi].
std::vector<std::uint16_t> key_classes(const PathRules& rules, std::uint8_t protocol, std::uint16_t lo, std::uint16_t hi) {
  std::vector<std::pair<std::uint16_t, std::uint16_t>> iv;
  for (const TrafficMatch* t : rules.traffic) {
    if (t->protocol.is_all() || t->protocol.value() != protocol) continue;
    iv.emplace_back(t->key_low(), t->key_high());
  }
  if (protocol == Protocol::kIcmp || protocol == Protocol::kIcmpv6) {
    // Packet::reply turns echo and timestamp requests into replies of another type: split the
    // request types apart, and carry the reply type's code boundaries over to them.
    const std::vector<std::pair<int, int>> pairs =
        protocol == Protocol::kIcmp ? std::vector<std::pair<int, int>>{{8, 0}, {13, 14}} : std::vector<std::pair<int, int>>{{128, 129}};
    const auto rule_iv = iv;
    for (const auto& [req, rep] : pairs) {
      iv.emplace_back(static_cast<std::uint16_t>(req << 8), static_cast<std::uint16_t>((req << 8) | 0xff));
      for (const auto& [a, b] : rule_iv) {
        for (const std::uint16_t k : {a, static_cast<std::uint16_t>(b + 1)}) {
          if ((k >> 8) == rep && (k & 0xff) != 0) iv.emplace_back(static_cast<std::uint16_t>((req << 8) | (k & 0xff)), static_cast<std::uint16_t>((req << 8) | 0xff));
        }
      }
    }
  }
  return class_starts<std::uint16_t>(lo, hi, iv);
}

bool has_ports(std::uint8_t p) { return p == Protocol::kTcp || p == Protocol::kUdp; }

}  // namespace

std::expected<SearchResult, std::string> find_packet(const Network& net, const CompiledFilters& filters,
                                                     const SearchSpace& space, SearchGoal goal, SearchScope scope,
                                                     FilteringModel model) {
  if (!as_eni(space.from) && !as_eni(space.to)) return std::unexpected(std::string("at least one end must be in the VPC"));
  const auto from_blocks = own_addresses(net, space.from, space.from_addresses, space.family, "source");
  if (!from_blocks) return std::unexpected(from_blocks.error());
  const auto to_blocks = own_addresses(net, space.to, space.to_addresses, space.family, "destination");
  if (!to_blocks) return std::unexpected(to_blocks.error());

  const PathRules rules = path_rules(net, space.from, space.to);
  const auto srcs = address_classes(*from_blocks, rules.blocks, space.family);
  const auto dsts = address_classes(*to_blocks, rules.blocks, space.family);

  std::vector<std::uint8_t> protocols;
  if (space.protocol) {
    protocols.push_back(*space.protocol);
  } else {
    std::set<std::uint8_t> named;
    for (const TrafficMatch* t : rules.traffic) {
      if (!t->protocol.is_all()) named.insert(t->protocol.value());
    }
    for (const std::uint8_t p : {Protocol::kTcp, Protocol::kUdp, space.family == Family::kIpv4 ? Protocol::kIcmp : Protocol::kIcmpv6}) named.insert(p);
    protocols.assign(named.begin(), named.end());
    // One protocol no rule names stands for all the others.
    for (int p = 0; p < 256; ++p) {
      if (!named.contains(static_cast<std::uint8_t>(p))) {
        protocols.push_back(static_cast<std::uint8_t>(p));
        break;
      }
    }
  }

  const PathEvaluator ev(net, filters);
  SearchResult result;
  for (const std::uint8_t proto : protocols) {
    const bool ports = has_ports(proto);
    const bool icmp = proto == Protocol::kIcmp || proto == Protocol::kIcmpv6;
    const auto keys = ports ? key_classes(rules, proto, space.dst_ports.from, space.dst_ports.to)
                    : icmp  ? key_classes(rules, proto, 0, 0xffff)
                            : std::vector<std::uint16_t>{0};
    // The source port matters only to the reply (its destination port).
    const auto src_ports = ports && scope == SearchScope::kExchange
                               ? key_classes(rules, proto, space.src_ports.from, space.src_ports.to)
                               : std::vector<std::uint16_t>{ports ? space.src_ports.from : std::uint16_t{0}};
    for (const IpAddress& s : srcs) {
      for (const IpAddress& d : dsts) {
        for (const std::uint16_t key : keys) {
          for (const std::uint16_t sp : src_ports) {
            Packet p;
            p.src = s;
            p.dst = d;
            p.protocol = proto;
            if (ports) {
              p.src_port = sp;
              p.dst_port = key;
            } else if (icmp) {
              p.icmp_type = static_cast<std::uint8_t>(key >> 8);
              p.icmp_code = static_cast<std::uint8_t>(key & 0xff);
            }
            ++result.classes;
            Exchange x = scope == SearchScope::kExchange ? ev.exchange(space.from, space.to, p, model)
                                                         : Exchange{ev.trace(space.from, space.to, p), std::nullopt};
            const bool allowed = scope == SearchScope::kExchange ? x.works() : x.request_delivered();
            if (allowed == (goal == SearchGoal::kAllowed)) {
              result.example = std::move(x);
              return result;
            }
          }
        }
      }
    }
  }
  return result;
}

}  // namespace vpcsim::analysis
