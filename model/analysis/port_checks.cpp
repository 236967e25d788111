// Likely mistyped ports and reversed port ranges, in security-group rules and ACL entries.
#include <fmt/format.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/analysis/lint_checks.h"
#include "model/analysis/rule_facts.h"

namespace vpcsim::analysis::detail {

namespace {

// A rule "names" a port when its protocol is that protocol and its range is narrow enough to
// be about that service (at most this many ports); wide ranges such as 1024-65535 are return
// rules, not uses of every port in them.
constexpr int kNarrowRange = 100;

struct PortUse {
  std::uint8_t protocol;
  PortRange ports;
};

std::vector<PortUse> narrow_uses(const Network& net) {
  std::vector<PortUse> uses;
  const auto add = [&](const TrafficMatch& t) {
    if (!t.protocol.has_ports() || is_reversed(t) || t.ports.to - t.ports.from + 1 > kNarrowRange) return;
    uses.push_back({t.protocol.value(), t.ports});
  };
  for (const SecurityGroup& sg : net.security_groups) {
    for (const SgRule& r : sg.ingress) add(r.traffic);
    for (const SgRule& r : sg.egress) add(r.traffic);
  }
  for (const NetworkAcl& acl : net.network_acls) {
    for (const NaclEntry& e : acl.ingress) add(e.traffic);
    for (const NaclEntry& e : acl.egress) add(e.traffic);
  }
  return uses;
}

int times_named(const std::vector<PortUse>& uses, std::uint8_t protocol, std::uint16_t port) {
  int n = 0;
  for (const PortUse& u : uses) n += u.protocol == protocol && u.ports.contains(port) ? 1 : 0;
  return n;
}

// The well-known port a single-port rule was probably meant to name: one typo away, named by
// no rule of the network (and no other well-known neighbour is named either), while the rule's own port is named by this rule only and is not a
// well-known port itself. Same-length neighbours (a changed or swapped digit) win over an
// added or dropped digit; then the more popular service.
const ServicePort* intended_port(const std::vector<PortUse>& uses, const TrafficMatch& t) {
  if (!t.protocol.has_ports() || is_reversed(t) || t.ports.from != t.ports.to) return nullptr;
  const std::uint16_t port = t.ports.from;
  const std::uint8_t proto = t.protocol.value();
  if (port == 0 || find_service_port(port) || times_named(uses, proto, port) != 1) return nullptr;
  const ServicePort* best = nullptr;
  for (const ServicePort& s : service_ports()) {
    if (proto == Protocol::kUdp && !s.udp_too) continue;
    if (port_typo_distance(port, s.port) != 1) continue;
    // A neighbour the network opens properly (443 next to 433) makes the odd port look
    // deliberate, or at least not a typo for some other service: stay quiet.
    if (times_named(uses, proto, s.port) != 0) return nullptr;
    const bool same_length = std::to_string(port).size() == std::to_string(s.port).size();
    if (!best) best = &s;
    if (same_length && std::to_string(port).size() != std::to_string(best->port).size()) best = &s;
    if (same_length) break;
  }
  return best;
}

// What is wrong with the ports of one rule or entry (`kind`: "rule" or "entry"), if anything:
// a reversed range (high severity), else a likely typo of a service port (medium).
struct PortProblem {
  bool reversed = false;
  std::string message;
  std::string fix;
};

std::optional<PortProblem> port_problem(const TrafficMatch& t, const std::vector<PortUse>& uses,
                                        std::string_view kind) {
  if (is_reversed(t)) {
    return PortProblem{true, fmt::format("port range {}-{} is reversed, so the {} matches nothing", t.ports.from,
                                         t.ports.to, kind),
                       fmt::format("write it as {}-{}", t.ports.to, t.ports.from)};
  }
  if (const ServicePort* meant = intended_port(uses, t)) {
    return PortProblem{false,
                       fmt::format("port {} is used nowhere else and is one typo away from {} ({}), which no rule "
                                   "opens",
                                   t.ports.from, meant->port, meant->service),
                       fmt::format("if {} was meant, change the port to {}", meant->service, meant->port)};
  }
  return std::nullopt;
}

}  // namespace

void check_ports(LintContext& cx) {
  const Network& net = cx.net;
  const std::vector<PortUse> uses = narrow_uses(net);
  for (std::uint32_t s = 0; s < net.security_groups.size(); ++s) {
    for (const Direction d : {Direction::kIngress, Direction::kEgress}) {
      const auto& rules = net.security_groups[s].rules(d);
      for (std::uint32_t i = 0; i < rules.size(); ++i) {
        auto problem = port_problem(rules[i].traffic, uses, "rule");
        if (!problem) continue;
        Finding& f = problem->reversed ? cx.add("VPCSIM-SG006", Severity::kHigh) : cx.add("VPCSIM-SG005", Severity::kMedium);
        f.sg = SgId(s);
        f.sg_rule = SgRuleRef{SgId(s), d, i};
        f.message = std::move(problem->message);
        f.fix = std::move(problem->fix);
      }
    }
  }
  for (std::uint32_t a = 0; a < net.network_acls.size(); ++a) {
    for (const Direction d : {Direction::kIngress, Direction::kEgress}) {
      const auto& entries = net.network_acls[a].entries(d);
      for (std::uint32_t i = 0; i < entries.size(); ++i) {
        auto problem = port_problem(entries[i].traffic, uses, "entry");
        if (!problem) continue;
        Finding& f = problem->reversed ? cx.add("VPCSIM-NACL005", Severity::kHigh)
                                       : cx.add("VPCSIM-NACL004", Severity::kMedium);
        f.nacl = NaclId(a);
        f.nacl_entry = NaclEntryRef{NaclId(a), d, i};
        f.message = std::move(problem->message);
        f.fix = std::move(problem->fix);
      }
    }
  }
}

}  // namespace vpcsim::analysis::detail
