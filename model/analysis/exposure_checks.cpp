// What inbound rules open to the internet, and outbound rules open to it.
#include <fmt/format.h>

#include "model/analysis/lint_checks.h"
#include "model/analysis/rule_facts.h"

namespace vpcsim::analysis::detail {

namespace {

// The sensitive services a world-open rule reaches, as "SSH (22), RDP (3389)".
std::string sensitive_services(const TrafficMatch& t) {
  std::string out;
  for (const ServicePort& s : service_ports()) {
    if (!s.sensitive) continue;
    const bool hit = selects_port(t, Protocol::kTcp, s.port) || (s.udp_too && selects_port(t, Protocol::kUdp, s.port));
    if (hit) out += fmt::format("{}{} ({})", out.empty() ? "" : ", ", s.service, s.port);
  }
  return out;
}

}  // namespace

void check_exposure(LintContext& cx) {
  const Network& net = cx.net;
  for (std::uint32_t s = 0; s < net.security_groups.size(); ++s) {
    const SecurityGroup& sg = net.security_groups[s];
    for (std::uint32_t i = 0; i < sg.ingress.size(); ++i) {
      const SgRule& r = sg.ingress[i];
      const SgRuleRef ref{SgId(s), Direction::kIngress, i};
      const bool world = is_world(r.peer);
      const bool all_ports = r.traffic.protocol.is_all() || (r.traffic.protocol.has_ports() && r.traffic.ports.is_all());
      if (world && all_ports) {
        Finding& f = cx.add("VPCSIM-SG002", Severity::kCritical);
        f.sg = SgId(s);
        f.sg_rule = ref;
        f.message = fmt::format("{} from {} reaches every service on the instances of {}, from anywhere",
                                r.traffic.to_string(), std::get<Cidr>(r.peer).to_string(), sg.id);
        f.fix = "allow only the ports the instances serve, and restrict administration ports to known sources";
        continue;
      }
      if (world && !is_reversed(r.traffic)) {
        if (const std::string services = sensitive_services(r.traffic); !services.empty()) {
          Finding& f = cx.add("VPCSIM-SG001", Severity::kHigh);
          f.sg = SgId(s);
          f.sg_rule = ref;
          f.message = fmt::format("{} is open to {}: anyone on the internet can reach it",
                                  services, std::get<Cidr>(r.peer).to_string());
          f.fix = "restrict the source to the administrators' addresses (a /32, a prefix list) or a bastion's group";
        }
      }
      const PortRange p = r.traffic.ports;
      if (r.traffic.protocol.has_ports() && !is_reversed(r.traffic) && !p.is_all() && p.from < 1024 &&
          p.to - p.from + 1 > 256) {
        Finding& f = cx.add("VPCSIM-SG007", Severity::kLow);
        f.sg = SgId(s);
        f.sg_rule = ref;
        f.message = fmt::format("{} opens {} ports at once, privileged ones among them", r.traffic.to_string(),
                                p.to - p.from + 1);
        f.fix = "list the ports the instances actually serve";
      }
    }
    // Once per group (AWS's default is a 0.0.0.0/0 rule and, with IPv6, a ::/0 one), and only
    // for groups in use: the VPC's unused default group is AWS's, not the author's.
    if (net.members_of(SgId(s)).empty()) continue;
    for (std::uint32_t i = 0; i < sg.egress.size(); ++i) {
      const SgRule& r = sg.egress[i];
      if (!is_world(r.peer) || !r.traffic.protocol.is_all()) continue;
      Finding& f = cx.add("VPCSIM-SG013", Severity::kInfo);
      f.sg = SgId(s);
      f.sg_rule = SgRuleRef{SgId(s), Direction::kEgress, i};
      f.message = fmt::format("the instances of {} may send any traffic to any address", sg.id);
      f.fix = "where the destinations are known, replace it with rules for them";
      break;
    }
  }
}

}  // namespace vpcsim::analysis::detail
