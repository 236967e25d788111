#include "model/path_evaluator.h"

#include <algorithm>
#include <cassert>

namespace vpcsim {

std::string_view to_string(FilteringModel m) { return m == FilteringModel::kStateless ? "stateless" : "stateful"; }

bool PathTrace::delivered() const { return drop() == nullptr; }

const HopResult* PathTrace::drop() const {
  assert(std::none_of(hops.begin(), hops.end() - (hops.empty() ? 0 : 1), [](const HopResult& h) { return h.dropped(); }) &&
         "only the last hop of a trace may drop");
  return !hops.empty() && hops.back().dropped() ? &hops.back() : nullptr;
}

const HopResult* PathTrace::deciding_hop() const {
  if (hops.empty()) return nullptr;
  const auto it = std::find_if(hops.rbegin(), hops.rend(), [](const HopResult& h) { return h.is_security_group(); });
  return it != hops.rend() ? &*it : &hops.back();
}

std::expected<Packet, std::string> PathEvaluator::make_packet(const Endpoint& from, const Endpoint& to, Family family,
                                                              std::uint8_t protocol, std::uint16_t src_port,
                                                              std::uint16_t dst_port, std::uint8_t icmp_type,
                                                              std::uint8_t icmp_code) const {
  const auto src = endpoint_address(net_, from, family);
  const auto dst = endpoint_address(net_, to, family);
  for (const auto& [addr, end] : {std::pair{src, &from}, std::pair{dst, &to}}) {
    if (!addr) return std::unexpected(endpoint_label(net_, *end) + " has no " + std::string(to_string(family)) + " address");
  }
  return Packet::make(*src, *dst, protocol, src_port, dst_port, icmp_type, icmp_code);
}

HopResult PathEvaluator::sg_hop(EniId eni, Direction d, const Packet& p, bool tracked) const {
  HopResult h;
  h.hop = d == Direction::kEgress ? Hop::kSgEgress : Hop::kSgIngress;
  h.eni = eni;
  if (tracked) {
    h.outcome = Outcome::kAllowed;
    h.reason = Reason::kTracked;
    return h;
  }
  const SgDecision dec = filters_.sg(eni, d, p);
  h.outcome = dec.allowed ? Outcome::kAllowed : Outcome::kDropped;
  h.reason = dec.allowed ? Reason::kRuleAllowed : Reason::kNoRuleMatched;
  h.sg_rule = dec.rule;
  return h;
}

HopResult PathEvaluator::nacl_hop(EniId eni, Direction d, const Packet& p) const {
  HopResult h;
  h.hop = d == Direction::kEgress ? Hop::kNaclEgress : Hop::kNaclIngress;
  h.subnet = net_.eni(eni).subnet;
  h.nacl = net_.nacl_of(eni);
  const NaclDecision dec = filters_.nacl(*h.nacl, d, p);
  h.outcome = dec.action == RuleAction::kAllow ? Outcome::kAllowed : Outcome::kDropped;
  h.reason = !dec.entry ? Reason::kImplicitDeny : dec.action == RuleAction::kAllow ? Reason::kRuleAllowed : Reason::kRuleDenied;
  h.nacl_entry = dec.entry;
  return h;
}

HopResult PathEvaluator::route_hop(EniId eni, Family f, Direction d) const {
  // VPC User Guide, "Internet gateways": the gateway must be attached and the interface needs
  // a public IPv4 address (the gateway's 1:1 NAT) or an IPv6 address. Traffic from the
  // internet reaches the interface through the gateway whatever the subnet's route table
  // says; traffic to the internet also needs the subnet's route to the gateway (VPC User
  // Guide, "Route tables"), so without it the request arrives and the reply is lost.
  HopResult h;
  h.hop = Hop::kRoute;
  h.eni = eni;
  const Eni& e = net_.eni(eni);
  const bool has_public = f == Family::kIpv4 ? e.public_ipv4.has_value() : !e.ipv6.empty();
  h.outcome = Outcome::kDropped;
  if (!net_.vpc.internet_gateway) h.reason = Reason::kNoInternetGateway;
  else if (!has_public) h.reason = Reason::kNoPublicAddress;
  else if (d == Direction::kEgress && !net_.subnet(e.subnet).internet_route) h.reason = Reason::kNoInternetRoute;
  else {
    h.outcome = Outcome::kAllowed;
    h.reason = Reason::kInternetGateway;
  }
  return h;
}

void PathEvaluator::never_filtered(PathTrace& t, EniId eni, Direction d, AwsService service) const {
  // VPC User Guide, "Security in Amazon VPC" and "Network ACLs": security groups and network
  // ACLs do not filter traffic to and from these services (model/aws_service.h), in either
  // direction and under either model; the services answer on the instance's host or at
  // addresses reserved in the VPC, so no internet gateway is crossed either. The interface's
  // hops appear, skipped, so that a trace says why nothing stopped the packet.
  HopResult sg;
  sg.hop = d == Direction::kEgress ? Hop::kSgEgress : Hop::kSgIngress;
  sg.outcome = Outcome::kSkipped;
  sg.reason = Reason::kNeverFiltered;
  sg.eni = eni;
  sg.service = service;
  HopResult nacl;
  nacl.hop = d == Direction::kEgress ? Hop::kNaclEgress : Hop::kNaclIngress;
  nacl.outcome = Outcome::kSkipped;
  nacl.reason = Reason::kNeverFiltered;
  nacl.subnet = net_.eni(eni).subnet;
  nacl.nacl = net_.nacl_of(eni);
  nacl.service = service;
  if (d == Direction::kEgress) {
    t.hops.push_back(sg);
    t.hops.push_back(nacl);
  } else {
    t.hops.push_back(nacl);
    t.hops.push_back(sg);
  }
}

PathTrace PathEvaluator::trace(const Endpoint& from, const Endpoint& to, const Packet& p, TrackedHops tracked) const {
  PathTrace t;
  trace_into(t, from, to, p, tracked);
  return t;
}

void PathEvaluator::trace_into(PathTrace& t, const Endpoint& from, const Endpoint& to, const Packet& p,
                               TrackedHops tracked) const {
  t.packet = p;
  t.hops.clear();
  const auto src = as_eni(from);
  const auto dst = as_eni(to);
  const auto add = [&t](HopResult h) {
    t.hops.push_back(std::move(h));
    return !t.hops.back().dropped();
  };
  if (src.has_value() != dst.has_value()) {
    // Only traffic between an interface and something outside it can be AWS-service traffic;
    // interface-to-interface packets never pay for the check.
    const EniId eni = src ? *src : *dst;
    const Direction d = src ? Direction::kEgress : Direction::kIngress;
    if (const auto service = exempt_service(net_, p, d)) return never_filtered(t, eni, d, *service);
  }
  if (src) {
    if (!add(sg_hop(*src, Direction::kEgress, p, tracked.sg_egress))) return;
  }
  const bool same_subnet = src && dst && net_.eni(*src).subnet == net_.eni(*dst).subnet;
  if (same_subnet) {
    // VPC User Guide, "Network ACLs": they filter traffic entering and leaving a subnet,
    // not traffic routed within it.
    for (const Hop hop : {Hop::kNaclEgress, Hop::kNaclIngress}) {
      HopResult h;
      h.hop = hop;
      h.outcome = Outcome::kSkipped;
      h.reason = Reason::kSameSubnet;
      h.subnet = net_.eni(*src).subnet;
      h.nacl = net_.nacl_of(*src);
      t.hops.push_back(h);
    }
  } else {
    if (src && !add(nacl_hop(*src, Direction::kEgress, p))) return;
    if (src && !dst && !add(route_hop(*src, p.family(), Direction::kEgress))) return;
    if (!src && dst && !add(route_hop(*dst, p.family(), Direction::kIngress))) return;
    if (dst && !add(nacl_hop(*dst, Direction::kIngress, p))) return;
  }
  if (dst) add(sg_hop(*dst, Direction::kIngress, p, tracked.sg_ingress));
}

Exchange PathEvaluator::exchange(const Endpoint& client, const Endpoint& server, const Packet& request,
                                 FilteringModel model) const {
  Exchange x{trace(client, server, request), std::nullopt};
  if (!x.request.delivered()) return x;
  const Packet reply = request.reply();
  TrackedHops tracked;
  if (model == FilteringModel::kStateful) {
    // The server's interface tracked the request at its SG ingress, the client's at its SG
    // egress; each passes the reply unless the flow is untracked there.
    const auto srv = as_eni(server);
    const auto cli = as_eni(client);
    tracked.sg_egress = srv && !flow_is_untracked(net_, *srv, Direction::kIngress, request);
    tracked.sg_ingress = cli && !flow_is_untracked(net_, *cli, Direction::kEgress, request);
  }
  x.reply = trace(server, client, reply, tracked);
  if (model == FilteringModel::kStateful) {
    for (HopResult& h : x.reply->hops) {
      if (h.is_security_group() && h.reason != Reason::kTracked && h.reason != Reason::kNeverFiltered) h.untracked = true;
    }
  }
  return x;
}

}  // namespace vpcsim
