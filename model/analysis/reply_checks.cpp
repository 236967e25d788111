// Replies with no rule to pass them. A reply goes back to the client's ephemeral port
// (shared/aws-semantics.md 3.6: Linux 32768-60999, NAT gateways and ELB 1024-65535), so a
// stateless filter needs a rule for that range, not for the service port (VPC User Guide,
// "Ephemeral ports"). Network ACLs are always stateless; security groups only in vpcsim's
// stateless model (EC2 User Guide, "Security group connection tracking").
//
// The answer is exact, not sampled: the addresses and ports the filter's rules mention carve
// the clients' addresses and the ephemeral range into classes inside which every packet gets
// the same verdict, and one packet per class is evaluated by the reference evaluators.
#include <fmt/format.h>

#include <algorithm>
#include <functional>

#include "model/analysis/lint_checks.h"
#include "model/analysis/rule_facts.h"
#include "model/aws_service.h"
#include "model/nacl_filter.h"
#include "model/sg_filter.h"

namespace vpcsim::analysis::detail {

namespace {

struct ReplyCoverage {
  bool any = false;          // some reply gets through
  bool every_linux = true;   // every client class gets all of 32768-60999
  bool every_wide = true;    // every client class gets all of 1024-65535
  std::optional<Packet> blocked;  // a reply that is dropped (one in the Linux range if any)

  std::optional<Severity> severity() const {
    if (!any) return Severity::kHigh;
    if (!every_linux) return Severity::kMedium;
    if (!every_wide) return Severity::kLow;
    return std::nullopt;
  }
};

// Every block is a single address where an AWS service answers (model/aws_service.h):
// security groups and network ACLs never filter that traffic (VPC User Guide, "Security in
// Amazon VPC"), so its replies need no rule and a finding would send users to write one.
bool only_aws_services(const Network& net, const std::vector<Cidr>& blocks) {
  return !blocks.empty() && std::ranges::all_of(blocks, [&](const Cidr& c) {
    return c.prefix() == address_bits(c.family()) && aws_service_at(net, c.network()).has_value();
  });
}

// The address the filter's own side uses: the interface's (security groups do not look at it,
// but examples read better with it); for ACLs, which only look at the remote side, 0.0.0.0 or ::.
IpAddress interface_address(const Eni& e, Family f) {
  if (f == Family::kIpv4 && !e.private_ipv4.empty()) return e.private_ipv4.front();
  if (f == Family::kIpv6 && !e.ipv6.empty()) return e.ipv6.front();
  return f == Family::kIpv4 ? IpAddress::v4(0) : IpAddress::v6(0);
}
IpAddress acl_side_address(Family f) { return f == Family::kIpv4 ? IpAddress::v4(0) : IpAddress::v6(0); }

struct FilterRules {
  std::vector<Cidr> blocks;
  std::vector<std::pair<std::uint16_t, std::uint16_t>> ports;
};

// Replies between a local address and the clients in `clients`, from `service_port` to every
// ephemeral port; `toward_client` when they leave the local side (the filter's destination is
// the client).
ReplyCoverage reply_coverage(std::span<const Cidr> clients, const FilterRules& rules, std::uint8_t protocol,
                             std::uint16_t service_port, bool toward_client,
                             const std::function<bool(const Packet&)>& passes,
                             const std::function<IpAddress(Family)>& local_address) {
  ReplyCoverage cov;
  for (const Family f : {Family::kIpv4, Family::kIpv6}) {
    const auto client_iv = address_intervals(clients, f);
    if (client_iv.empty()) continue;
    auto cuts = client_iv;
    const auto rule_iv = address_intervals(rules.blocks, f);
    cuts.insert(cuts.end(), rule_iv.begin(), rule_iv.end());
    const U128 top = f == Family::kIpv4 ? U128{0xffffffffu} : ~U128{0};
    const auto addr_starts = class_starts<U128>(0, top, cuts);
    const auto port_starts = class_starts<std::uint16_t>(kWideEphemeral.from, kWideEphemeral.to, rules.ports);
    for (const U128 a : addr_starts) {
      if (std::ranges::none_of(client_iv, [a](const auto& iv) { return iv.first <= a && a <= iv.second; })) continue;
      const IpAddress client = f == Family::kIpv4 ? IpAddress::v4(static_cast<std::uint32_t>(a)) : IpAddress::v6(a);
      const IpAddress local = local_address(f);
      bool linux_ok = true, wide_ok = true;
      for (std::size_t k = 0; k < port_starts.size(); ++k) {
        const std::uint16_t lo = port_starts[k];
        const std::uint16_t hi = k + 1 < port_starts.size() ? static_cast<std::uint16_t>(port_starts[k + 1] - 1) : kWideEphemeral.to;
        const Packet p = toward_client ? Packet::make(local, client, protocol, service_port, lo)
                                       : Packet::make(client, local, protocol, service_port, lo);
        if (passes(p)) {
          cov.any = true;
          continue;
        }
        wide_ok = false;
        const bool in_linux = hi >= kLinuxEphemeral.from && lo <= kLinuxEphemeral.to;
        if (in_linux) linux_ok = false;
        Packet example = p;
        example.dst_port = in_linux ? std::max(lo, kLinuxEphemeral.from) : lo;
        if (!cov.blocked || (in_linux && !kLinuxEphemeral.contains(cov.blocked->dst_port))) cov.blocked = example;
      }
      cov.every_linux = cov.every_linux && linux_ok;
      cov.every_wide = cov.every_wide && wide_ok;
    }
  }
  return cov;
}

std::string shortfall(const ReplyCoverage& c, Severity s) {
  const std::string example = c.blocked ? c.blocked->to_string() : std::string("?");
  if (s == Severity::kHigh) return fmt::format("no rule passes any reply (e.g. {})", example);
  if (s == Severity::kMedium) return fmt::format("replies to some clients' ephemeral ports are dropped (e.g. {})", example);
  return fmt::format("replies reach Linux clients (32768-60999) but not ports elsewhere in 1024-65535 that NAT "
                     "gateways, load balancers and older Windows use (e.g. {})",
                     example);
}

std::string clients_text(const Network& net, const Peer& peer) {
  if (const auto* c = std::get_if<Cidr>(&peer)) return c->to_string();
  if (const auto* pl = std::get_if<PrefixListId>(&peer)) return "prefix list " + net.prefix_list(*pl).id;
  return "members of " + net.sg(std::get<SgId>(peer)).id;
}

FilterRules sg_filter_rules(const Network& net, EniId eni, Direction d) {
  FilterRules out;
  for (const SgId g : net.eni(eni).groups) {
    if (g.value >= net.security_groups.size()) continue;
    for (const SgRule& r : net.sg(g).rules(d)) {
      const auto blocks = peer_blocks(net, r.peer);
      out.blocks.insert(out.blocks.end(), blocks.begin(), blocks.end());
      if (r.traffic.protocol.has_ports()) out.ports.emplace_back(r.traffic.ports.from, r.traffic.ports.to);
    }
  }
  return out;
}

FilterRules nacl_filter_rules(const NetworkAcl& acl, Direction d) {
  FilterRules out;
  for (const NaclEntry& e : acl.entries(d)) {
    out.blocks.push_back(e.cidr);
    if (e.traffic.protocol.has_ports()) out.ports.emplace_back(e.traffic.ports.from, e.traffic.ports.to);
  }
  return out;
}

void check_sg_replies(LintContext& cx) {
  const Network& net = cx.net;
  for (std::uint32_t s = 0; s < net.security_groups.size(); ++s) {
    const std::vector<EniId> members = net.members_of(SgId(s));
    if (members.empty()) continue;
    for (const Direction d : {Direction::kIngress, Direction::kEgress}) {
      const auto& rules = net.security_groups[s].rules(d);
      const Direction reply_dir = opposite(d);
      for (std::uint32_t i = 0; i < rules.size(); ++i) {
        const SgRule& r = rules[i];
        if (is_return_rule(r.traffic) || is_reversed(r.traffic)) continue;
        const auto clients = peer_blocks(net, r.peer);
        if (clients.empty() || only_aws_services(net, clients)) continue;
        // The interface where it is worst speaks for the rule.
        ReplyCoverage worst;
        std::optional<EniId> where;
        for (const EniId e : members) {
          // No IPv4 request reaches or leaves an IPv6-only interface: only its IPv6 clients count.
          std::vector<Cidr> own_clients;
          for (const Cidr& c : clients) {
            if (c.family() == Family::kIpv6 || !net.eni(e).private_ipv4.empty()) own_clients.push_back(c);
          }
          if (own_clients.empty()) continue;
          const FilterRules fr = sg_filter_rules(net, e, reply_dir);
          const auto c = reply_coverage(
              own_clients, fr, r.traffic.protocol.value(), r.traffic.ports.from, reply_dir == Direction::kEgress,
              [&](const Packet& p) { return evaluate_sg_linear(net, e, reply_dir, p).allowed; },
              [&](Family f) { return interface_address(net.eni(e), f); });
          if (!where || c.severity() > worst.severity()) {
            worst = c;
            where = e;
          }
        }
        if (!where) continue;
        const auto sev = worst.severity();
        if (!sev) continue;
        const bool inbound = d == Direction::kIngress;
        // An outbound rule for the port an inbound rule serves is the course material's wrong
        // fix for missing replies (lesson 01): say so.
        const bool mirrors_inbound = !inbound && std::ranges::any_of(net.eni(*where).groups, [&](SgId g) {
          return g.value < net.security_groups.size() &&
                 std::ranges::any_of(net.sg(g).ingress, [&](const SgRule& in) { return in.traffic == r.traffic; });
        });
        Finding& f = cx.add(inbound ? "VPCSIM-SG008" : "VPCSIM-SG009", *sev);
        f.sg = SgId(s);
        f.sg_rule = SgRuleRef{SgId(s), d, i};
        f.message =
            fmt::format("stateless model: requests {} {}, but at {} {}{}", inbound ? "arrive from" : "leave for",
                        clients_text(net, r.peer), net.eni_label(*where), shortfall(worst, *sev),
                        mirrors_inbound ? "; if this rule was meant to let replies out, it does not: replies go "
                                          "to the client's ephemeral port"
                                        : "");
        f.fix = fmt::format("add an {} rule {} 1024-65535 {} {}", inbound ? "outbound" : "inbound",
                            r.traffic.protocol.to_string(), inbound ? "to" : "from", clients_text(net, r.peer));
      }
    }
  }
}

void check_nacl_replies(LintContext& cx) {
  const Network& net = cx.net;
  for (std::uint32_t a = 0; a < net.network_acls.size(); ++a) {
    const NetworkAcl& acl = net.network_acls[a];
    for (const Direction d : {Direction::kIngress, Direction::kEgress}) {
      const Direction reply_dir = opposite(d);
      const FilterRules fr = nacl_filter_rules(acl, reply_dir);
      for (std::uint32_t i = 0; i < acl.entries(d).size(); ++i) {
        const NaclEntry& e = acl.entries(d)[i];
        if (e.action != RuleAction::kAllow || is_return_rule(e.traffic) || is_reversed(e.traffic)) continue;
        const std::vector<Cidr> clients{e.cidr};
        if (only_aws_services(net, clients)) continue;
        const auto c = reply_coverage(clients, fr, e.traffic.protocol.value(), e.traffic.ports.from,
                                      reply_dir == Direction::kEgress, [&](const Packet& p) {
                                        return evaluate_nacl_linear(net, NaclId(a), reply_dir, p).action == RuleAction::kAllow;
                                      },
                                      acl_side_address);
        const auto sev = c.severity();
        if (!sev) continue;
        const bool inbound = d == Direction::kIngress;
        Finding& f = cx.add(inbound ? "VPCSIM-NACL001" : "VPCSIM-NACL002", *sev);
        f.nacl = NaclId(a);
        f.nacl_entry = NaclEntryRef{NaclId(a), d, i};
        // An outbound entry for the same port as an inbound one is the classic wrong fix for
        // missing replies: say so.
        const bool mirrors_inbound = !inbound && std::ranges::any_of(acl.ingress, [&](const NaclEntry& in) {
          return in.action == RuleAction::kAllow && in.traffic == e.traffic;
        });
        f.message = fmt::format("{} {} {}: {}{}", inbound ? "requests are let in from" : "requests are let out to",
                                e.cidr.to_string(), inbound ? "but replies leave through the outbound entries"
                                                            : "but replies come back through the inbound entries",
                                shortfall(c, *sev),
                                mirrors_inbound ? "; if this entry was meant to let replies out, it does not: replies go "
                                                  "to the client's ephemeral port"
                                                : "");
        f.fix = fmt::format("add an {} allow entry {} 1024-65535 {} {}, numbered below any deny that covers it",
                            inbound ? "outbound" : "inbound", e.traffic.protocol.to_string(), inbound ? "to" : "from",
                            e.cidr.to_string());
      }
    }
  }
}

}  // namespace

void check_replies(LintContext& cx) {
  if (cx.options.model == FilteringModel::kStateless) check_sg_replies(cx);
  check_nacl_replies(cx);
}

}  // namespace vpcsim::analysis::detail
