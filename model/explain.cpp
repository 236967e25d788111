#include "model/explain.h"

#include <string_view>

namespace vpcsim {

std::string describe_peer(const Network& net, const Peer& peer) {
  if (const auto* c = std::get_if<Cidr>(&peer)) return c->to_string();
  if (const auto* pl = std::get_if<PrefixListId>(&peer)) {
    return pl->value < net.prefix_lists.size() ? "prefix list " + net.prefix_list(*pl).id : "unknown prefix list";
  }
  const SgId sg = std::get<SgId>(peer);
  return sg.value < net.security_groups.size() ? "members of " + net.sg(sg).id : "unknown security group";
}

std::string describe_sg_rule(const Network& net, const SgRuleRef& ref) {
  const SecurityGroup& sg = net.sg(ref.sg);
  const SgRule& r = sg.rules(ref.direction).at(ref.index);
  std::string s = sg.id + " " + std::string(to_string(ref.direction)) + " #" + std::to_string(ref.index + 1);
  if (!r.id.empty()) s += " (" + r.id + ")";
  s += ": " + r.traffic.to_string() + (ref.direction == Direction::kIngress ? " from " : " to ") + describe_peer(net, r.peer);
  return s;
}

std::string describe_nacl_entry(const Network& net, const NaclEntryRef& ref) {
  const NetworkAcl& acl = net.nacl(ref.nacl);
  const NaclEntry& e = acl.entries(ref.direction).at(ref.index);
  return acl.id + " " + std::string(to_string(ref.direction)) + " rule " + std::to_string(e.number) + ": " +
         std::string(to_string(e.action)) + " " + e.traffic.to_string() +
         (ref.direction == Direction::kIngress ? " from " : " to ") + e.cidr.to_string();
}

std::string describe_rule(const Network& net, const HopResult& h) {
  if (h.sg_rule) return describe_sg_rule(net, *h.sg_rule);
  if (h.nacl_entry) return describe_nacl_entry(net, *h.nacl_entry);
  if (h.reason == Reason::kImplicitDeny && h.nacl) return net.nacl(*h.nacl).id + " rule * (implicit deny)";
  return "";
}

std::string describe_location(const Network& net, const HopResult& h) {
  if (h.nacl && h.subnet) return net.nacl(*h.nacl).id + " of " + net.subnet(*h.subnet).id;
  if (h.eni) return net.eni_label(*h.eni);
  return "";
}

namespace {

std::string groups_of(const Network& net, EniId eni) {
  std::string s;
  for (const SgId sg : net.eni(eni).groups) s += (s.empty() ? "" : ", ") + net.sg(sg).id;
  return s.empty() ? "(no security groups)" : s;
}

}  // namespace

std::string explain_hop(const Network& net, const HopResult& h, const Packet& p) {
  const bool ingress = h.hop == Hop::kSgIngress || h.hop == Hop::kNaclIngress;
  const std::string peer = ingress ? p.src.to_string() : p.dst.to_string();
  const std::string traffic = Protocol::number(p.protocol).to_string() +
                              (p.has_ports() ? " port " + std::to_string(p.dst_port)
                               : p.is_icmp() ? " type " + std::to_string(p.icmp_type) + " code " + std::to_string(p.icmp_code)
                                             : std::string());
  switch (h.reason) {
    case Reason::kRuleAllowed:
      return "allowed by " + describe_rule(net, h) + (h.untracked ? " (untracked connection: rules apply to replies)" : "");
    case Reason::kRuleDenied: return "denied by " + describe_rule(net, h);
    case Reason::kNoRuleMatched:
      return "no " + std::string(ingress ? "inbound" : "outbound") + " rule of " + groups_of(net, *h.eni) + " allows " +
             traffic + (ingress ? " from " : " to ") + peer;
    case Reason::kImplicitDeny:
      return "no numbered " + std::string(ingress ? "inbound" : "outbound") + " entry of " + net.nacl(*h.nacl).id +
             " matches " + traffic + (ingress ? " from " : " to ") + peer + "; the final * entry denies it";
    case Reason::kTracked: return "part of a tracked connection: security groups pass it whatever their rules";
    case Reason::kSameSubnet: return "both ends are in " + net.subnet(*h.subnet).id + ": traffic inside a subnet crosses no network ACL";
    case Reason::kInternetGateway: return "routed through the internet gateway";
    case Reason::kNoInternetGateway: return "the VPC has no internet gateway";
    case Reason::kNoInternetRoute: return "the route table of " + net.subnet(net.eni(*h.eni).subnet).id + " has no route to the internet gateway";
    case Reason::kNoPublicAddress:
      return net.eni(*h.eni).id + (p.family() == Family::kIpv4 ? " has no public IPv4 address" : " has no IPv6 address");
    case Reason::kNeverFiltered:
      // VPC User Guide, "Security in Amazon VPC": security groups and network ACLs do not
      // filter traffic destined to and from these services (model/aws_service.h).
      return "not filtered: " + std::string(h.service ? describe(*h.service) : "an AWS service") + " at " + peer +
             " (AWS never filters it: " + (h.is_security_group() ? "security groups" : "network ACLs") +
             " do not filter traffic to or from it)";
  }
  return "";
}

}  // namespace vpcsim
