#include "sim/replay.h"

#include <algorithm>
#include <numeric>

#include "model/aws_service.h"
#include "model/explain.h"
#include "model/sg_filter.h"

namespace vpcsim {

std::string_view to_string(SkipReason r) {
  switch (r) {
    case SkipReason::kBlankLine:
      return "blank-line";
    case SkipReason::kWrongFieldCount:
      return "wrong-field-count";
    case SkipReason::kBadAddress:
      return "bad-address";
    case SkipReason::kBadPort:
      return "bad-port";
    case SkipReason::kBadProtocol:
      return "bad-protocol";
    case SkipReason::kBadTime:
      return "bad-time";
    case SkipReason::kBadAction:
      return "bad-action";
    case SkipReason::kBadLogStatus:
      return "bad-log-status";
    case SkipReason::kBadTcpFlags:
      return "bad-tcp-flags";
    case SkipReason::kBadFlowDirection:
      return "bad-flow-direction";
    case SkipReason::kNoData:
      return "nodata";
    case SkipReason::kSkipData:
      return "skipdata";
    case SkipReason::kNoInterface:
      return "no-interface-id";
    case SkipReason::kUnknownInterface:
      return "unknown-interface";
    case SkipReason::kUnknownDirection:
      return "unknown-direction";
    case SkipReason::kBadLogEvent:
      return "bad-log-event";
    case SkipReason::kAwsService:
      return "aws-service";
    case SkipReason::kCount:
      break;
  }
  return "?";
}

std::string_view to_string(RecordedAction a) {
  switch (a) {
    case RecordedAction::kAccept:
      return "ACCEPT";
    case RecordedAction::kReject:
      return "REJECT";
    case RecordedAction::kNone:
      break;
  }
  return "-";
}

const HopResult& ReplayDecision::deciding_hop() const {
  if (const HopResult* d = trace.drop()) return *d;
  return *trace.deciding_hop();
}

namespace {
// Tables smaller than this are never swept: a sweep would cost more than the memory it frees.
constexpr std::size_t kMinSweepSize = 4096;
}  // namespace

Replayer::Replayer(const Network& net, FilteringModel model)
    : net_(net), filters_(net), model_(model), sweep_at_(net.enis.size(), kMinSweepSize), icmp_seen_(net.enis.size()) {
  conntrack_.reserve(net.enis.size());
  for (const Eni& e : net.enis) conntrack_.emplace_back(e.conntrack);
}

std::size_t Replayer::tracked_connections() const {
  std::size_t n = 0;
  for (const ConntrackTable& t : conntrack_) n += t.size();
  return n;
}

namespace {

bool owns(const Eni& e, const IpAddress& a) {
  // VPC User Guide, "Flow log records": the interface's side of srcaddr/dstaddr is its
  // primary private IPv4 address, or one of its IPv6 addresses (the only kind an IPv6-only
  // interface has); a public address in a hand-written record is accepted too.
  if (e.has_private_address(a)) return true;
  return e.public_ipv4 && *e.public_ipv4 == a;
}

bool in_subnet(const Subnet& s, const IpAddress& a) {
  return (s.ipv4_cidr && s.ipv4_cidr->contains(a)) || (s.ipv6_cidr && s.ipv6_cidr->contains(a));
}

}  // namespace

std::optional<Direction> Replayer::direction_of(EniId eni, const FlowObservation& r) const {
  if (r.direction) return r.direction;
  const Eni& e = net_.eni(eni);
  const bool dst = owns(e, r.packet.dst);
  const bool src = owns(e, r.packet.src);
  if (dst && !src) return Direction::kIngress;
  if (src && !dst) return Direction::kEgress;
  return std::nullopt;
}

Packet Replayer::with_icmp_kind(EniId eni, Direction d, Packet p) {
  if (!p.is_icmp()) return p;
  const bool v6 = p.protocol == Protocol::kIcmpv6;
  // Keyed at the interface (local, remote) with the direction in place of the port: a reply
  // has the same key as its request, seen in the other direction.
  auto& seen = icmp_seen_[eni.value];
  const ConnKey key = conn_key(p, d);
  const auto marked = [&key](Direction dir) {
    return pack(ConnKey{key.local, key.remote, key.protocol, static_cast<std::uint16_t>(dir), 0});
  };
  const bool reply = seen.contains(marked(opposite(d)));
  p.icmp_type = reply ? (v6 ? 129 : 0) : (v6 ? 128 : 8);
  p.icmp_code = 0;
  p.src_port = p.dst_port = 0;
  seen.insert(marked(d));
  return p;
}

HopResult Replayer::sg_hop(EniId eni, Direction d, const Packet& p, const FlowObservation& r) {
  HopResult h;
  h.hop = d == Direction::kEgress ? Hop::kSgEgress : Hop::kSgIngress;
  h.eni = eni;
  const SimTime now = seconds(r.start);
  const SimTime end = seconds(std::max(r.end, r.start));
  ConntrackTable& table = conntrack_[eni.value];
  const bool stateful = model_ == FilteringModel::kStateful;
  const auto refresh_until_end = [&] {
    const auto it = table.lookup(conn_key(p, d));
    if (table.found(it) && it->conn.last_seen < end) it->conn.last_seen = end;
  };
  if (stateful) {
    const auto it = table.lookup(conn_key(p, d));
    if (table.found(it) && table.match_entry(it, p, d, now)) {
      refresh_until_end();
      h.outcome = Outcome::kAllowed;
      h.reason = Reason::kTracked;
      return h;
    }
  }
  const SgDecision dec = filters_.sg(eni, d, p);
  h.outcome = dec.allowed ? Outcome::kAllowed : Outcome::kDropped;
  h.reason = dec.allowed ? Reason::kRuleAllowed : Reason::kNoRuleMatched;
  h.sg_rule = dec.rule;
  if (stateful && dec.allowed) {
    // A packet the rules allowed opens a tracked connection at this interface, unless AWS
    // leaves the flow untracked (EC2 User Guide, "Security group connection tracking").
    if (flow_is_untracked(net_, eni, d, p)) {
      h.untracked = true;
    } else {
      if (table.size() >= sweep_at_[eni.value]) {
        table.expire_all_due(latest_);
        sweep_at_[eni.value] = std::max(kMinSweepSize, 2 * table.size());
      }
      table.track(p, d, now);
      refresh_until_end();
    }
  }
  return h;
}

HopResult Replayer::nacl_hop(EniId eni, Direction d, const Packet& p) const {
  HopResult h;
  h.hop = d == Direction::kEgress ? Hop::kNaclEgress : Hop::kNaclIngress;
  h.subnet = net_.eni(eni).subnet;
  h.nacl = net_.nacl_of(eni);
  const NaclDecision dec = filters_.nacl(*h.nacl, d, p);
  h.outcome = dec.action == RuleAction::kAllow ? Outcome::kAllowed : Outcome::kDropped;
  h.reason = !dec.entry                         ? Reason::kImplicitDeny
             : dec.action == RuleAction::kAllow ? Reason::kRuleAllowed
                                                : Reason::kRuleDenied;
  h.nacl_entry = dec.entry;
  return h;
}

std::expected<ReplayDecision, SkipReason> Replayer::replay(const FlowObservation& r) {
  if (r.interface_id == "-" || r.interface_id.empty()) return std::unexpected(SkipReason::kNoInterface);
  const auto eni = net_.find_eni(r.interface_id);
  if (!eni) return std::unexpected(SkipReason::kUnknownInterface);
  const auto direction = direction_of(*eni, r);
  if (!direction) return std::unexpected(SkipReason::kUnknownDirection);
  // Security groups and network ACLs never filter traffic to or from the AWS services
  // (model/aws_service.h), and flow logs do not capture most of it (VPC User Guide, "Flow log
  // limitations"): nothing to judge, and no tracked connection to open.
  if (exempt_service(net_, r.packet, *direction)) return std::unexpected(SkipReason::kAwsService);
  latest_ = std::max(latest_, seconds(r.start));
  ReplayDecision out;
  out.eni = *eni;
  out.direction = *direction;
  const Packet p = with_icmp_kind(*eni, *direction, r.packet);
  out.trace.packet = p;
  // VPC User Guide, "Network ACLs": a network ACL filters traffic entering or leaving the
  // subnet, never traffic between two addresses of the subnet.
  const IpAddress& peer = *direction == Direction::kIngress ? p.src : p.dst;
  const bool crosses_subnet = !in_subnet(net_.subnet(net_.eni(*eni).subnet), peer);
  auto& hops = out.trace.hops;
  if (*direction == Direction::kIngress) {
    if (crosses_subnet) {
      hops.push_back(nacl_hop(*eni, Direction::kIngress, p));
      if (hops.back().dropped()) return out;
    }
    hops.push_back(sg_hop(*eni, Direction::kIngress, p, r));
  } else {
    hops.push_back(sg_hop(*eni, Direction::kEgress, p, r));
    if (hops.back().dropped() || !crosses_subnet) return out;
    hops.push_back(nacl_hop(*eni, Direction::kEgress, p));
  }
  return out;
}

ReplayOrderKey replay_order_key(const FlowObservation& r) {
  return {r.start, r.packet.has_ports() && r.packet.src_port < r.packet.dst_port};
}

std::vector<std::uint32_t> replay_order(std::span<const ReplayOrderKey> keys) {
  std::vector<std::uint32_t> order(keys.size());
  std::iota(order.begin(), order.end(), 0u);
  std::ranges::stable_sort(order, {}, [&](std::uint32_t i) { return keys[i]; });
  return order;
}

std::vector<std::uint32_t> replay_order(std::span<const FlowObservation> records) {
  std::vector<ReplayOrderKey> keys;
  keys.reserve(records.size());
  for (const FlowObservation& r : records) keys.push_back(replay_order_key(r));
  return replay_order(keys);
}

std::string decision_text(const Network& net, const HopResult& h) {
  std::string rule = describe_rule(net, h);
  if (h.reason == Reason::kImplicitDeny) return rule.empty() ? "implicit deny" : rule;
  if (!rule.empty()) return h.untracked ? rule + " (untracked)" : rule;
  switch (h.reason) {
    case Reason::kNoRuleMatched:
      return "no rule matched";
    case Reason::kTracked:
      return "tracked connection";
    default:
      return std::string(to_string(h.reason));
  }
}

}  // namespace vpcsim
