#include "sim/conntrack.h"

#include <limits>

namespace vpcsim {
namespace {

static_assert(sizeof(std::size_t) == 8, "ConnKey hashing assumes a 64-bit size_t");

// Multiply-fold: the 128-bit product of two 64-bit words folded to 64 bits (wyhash's mum).
constexpr std::uint64_t fold(std::uint64_t a, std::uint64_t b) {
  const U128 r = static_cast<U128>(a) * b;
  return static_cast<std::uint64_t>(r) ^ static_cast<std::uint64_t>(r >> 64);
}
constexpr std::uint64_t lo(U128 v) { return static_cast<std::uint64_t>(v); }
constexpr std::uint64_t hi(U128 v) { return static_cast<std::uint64_t>(v >> 64); }

// wyhash's default secrets: odd, with balanced bits, so a zero word (the high half of every
// IPv4 address) never zeroes a product.
constexpr std::uint64_t kS0 = 0xa0761d6478bd642full, kS1 = 0xe7037ed1a0b428dbull, kS2 = 0x8ebc6af09c88c6e3ull,
                        kS3 = 0x589965cc75374cc3ull, kS4 = 0x1d8e4e27c47d124full;

bool has_flag(const Packet& p, std::uint8_t flag) { return (p.tcp_flags & flag) != 0; }
bool is_new_syn(const Packet& p) { return has_flag(p, Packet::kSyn) && !has_flag(p, Packet::kAck); }

void count(std::uint32_t& n) {
  if (n != std::numeric_limits<std::uint32_t>::max()) ++n;
}

// The state of a connection whose first tracked packet is `p`.
ConnState initial_state(const Packet& p) {
  switch (p.protocol) {
    case Protocol::kTcp:
      if (has_flag(p, Packet::kRst)) return ConnState::kTcpReset;
      if (has_flag(p, Packet::kFin)) return ConnState::kTcpClosing;
      // A SYN opens a handshake. A SYN+ACK first (the SYN's entry expired, or this side only
      // now became tracked) is still mid-handshake; the final ACK, from the other side,
      // establishes it below.
      if (has_flag(p, Packet::kSyn)) return ConnState::kTcpHandshake;
      // No flags at all: the flow-fidelity engine tracks a whole direction at once and the
      // flow is taken as established (the brief's rule). A bare ACK or data without SYN: a
      // connection picked up mid-stream, established as Linux netfilter's default
      // (nf_conntrack_tcp_loose = 1) takes it; AWS does not document it.
      return ConnState::kTcpEstablished;
    case Protocol::kUdp:
      return ConnState::kUdpSingle;
    case Protocol::kIcmp:
    case Protocol::kIcmpv6:
      return ConnState::kIcmp;
    default:
      return ConnState::kOther;
  }
}

// One more packet of `e`, sent by the initiator when `d` is the direction that created it.
void refresh(ConnEntry& e, const Packet& p, Direction d, SimTime now) {
  count(d == e.initiated ? e.packets_initiator : e.packets_responder);
  e.last_seen = now;
  switch (e.state) {
    case ConnState::kTcpHandshake:
    case ConnState::kTcpEstablished:
    case ConnState::kTcpClosing:
      // A RST from either side ends the connection (timeout tcp_reset, A1); a FIN from either
      // side starts closing it (tcp_closing, A1). Both beat any other flag.
      if (has_flag(p, Packet::kRst)) {
        e.state = ConnState::kTcpReset;
      } else if (has_flag(p, Packet::kFin)) {
        e.state = ConnState::kTcpClosing;
      } else if (e.state == ConnState::kTcpHandshake && has_flag(p, Packet::kAck) && e.packets_responder > 0) {
        // Established once the responder has answered: its SYN+ACK (or any ACK of its own),
        // or an ACK from the initiator after the responder spoke. A SYN or ACK from the
        // initiator alone (retransmissions) keeps the handshake timer (A1).
        e.state = ConnState::kTcpEstablished;
      }
      // Flag-less packets (flow-fidelity traffic) carry no state and only refresh.
      break;
    case ConnState::kTcpReset:
      break;  // terminal until it expires; a new SYN is handled by match()
    case ConnState::kUdpSingle:
      // UdpStreamTimeout covers "flows classified as streams which have seen more than one
      // request-response transaction" (EC2 API ConnectionTrackingConfiguration,
      // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ConnectionTrackingConfiguration.html).
      // Read as: both sides have sent more than one packet. Until then UdpTimeout ("traffic
      // only in a single direction or a single request-response transaction") applies.
      if (e.packets_initiator > 1 && e.packets_responder > 1) e.state = ConnState::kUdpStream;
      break;
    case ConnState::kUdpStream:
    case ConnState::kIcmp:
    case ConnState::kOther:
      break;
  }
}

}  // namespace

ConnKey conn_key(const Packet& p, Direction at_eni) {
  const bool egress = at_eni == Direction::kEgress;
  ConnKey k;
  k.local = egress ? p.src : p.dst;
  k.remote = egress ? p.dst : p.src;
  k.protocol = p.protocol;
  if (p.has_ports()) {
    k.local_port = egress ? p.src_port : p.dst_port;
    k.remote_port = egress ? p.dst_port : p.src_port;
  }
  return k;
}

std::size_t hash_value(const ConnKey& k) {
  const U128 l = k.local.value();
  const U128 r = k.remote.value();
  const std::uint64_t meta = std::uint64_t{k.local_port} | std::uint64_t{k.remote_port} << 16 |
                             std::uint64_t{k.protocol} << 32 |
                             std::uint64_t{static_cast<std::uint8_t>(k.local.family())} << 40 |
                             std::uint64_t{static_cast<std::uint8_t>(k.remote.family())} << 48;
  const std::uint64_t h_local = fold(lo(l) ^ kS0, hi(l) ^ kS1);
  const std::uint64_t h_remote = fold(lo(r) ^ kS2, hi(r) ^ kS3);
  return fold(h_local ^ meta ^ kS4, h_remote ^ kS1);
}

std::string_view to_string(ConnState s) {
  switch (s) {
    case ConnState::kTcpHandshake:
      return "tcp-handshake";
    case ConnState::kTcpEstablished:
      return "tcp-established";
    case ConnState::kTcpClosing:
      return "tcp-closing";
    case ConnState::kTcpReset:
      return "tcp-reset";
    case ConnState::kUdpSingle:
      return "udp-single";
    case ConnState::kUdpStream:
      return "udp-stream";
    case ConnState::kIcmp:
      return "icmp";
    case ConnState::kOther:
      return "other";
  }
  return "?";
}

SimTime ConntrackTable::timeout_of(ConnState s) const {
  switch (s) {
    case ConnState::kTcpHandshake:
      return timeouts_.tcp_handshake;
    case ConnState::kTcpEstablished:
      return timeouts_.tcp_established;
    case ConnState::kTcpClosing:
      return timeouts_.tcp_closing;
    case ConnState::kTcpReset:
      return timeouts_.tcp_reset;
    case ConnState::kUdpSingle:
      return timeouts_.udp;
    case ConnState::kUdpStream:
      return timeouts_.udp_stream;
    case ConnState::kIcmp:
      return timeouts_.icmp;
    case ConnState::kOther:
      return timeouts_.other;
  }
  return timeouts_.other;
}

bool ConntrackTable::match(const Packet& p, Direction d, SimTime now) {
  const auto it = entries_.find(conn_key(p, d));
  if (it == entries_.end()) return false;
  return match_entry(it, p, d, now);
}

bool ConntrackTable::match_entry(Iterator it, const Packet& p, Direction d, SimTime now) {
  ConnEntry& e = it->second;
  const bool ended = e.state == ConnState::kTcpClosing || e.state == ConnState::kTcpReset;
  if (!live(e, now) || (ended && is_new_syn(p))) {
    entries_.erase(it);
    return false;
  }
  refresh(e, p, d, now);
  return true;
}

const ConnEntry& ConntrackTable::track(const Packet& p, Direction d, SimTime now) {
  return *track_entry(p, d, now).first;
}

std::pair<ConnEntry*, bool> ConntrackTable::track_entry(const Packet& p, Direction d, SimTime now) {
  const ConnKey key = conn_key(p, d);
  const auto [it, inserted] = entries_.try_emplace(key);
  ConnEntry& e = it->second;
  if (!inserted && live(e, now)) {
    refresh(e, p, d, now);
    return {&e, false};
  }
  e = ConnEntry{.key = key,
                .initiated = d,
                .created = now,
                .last_seen = now,
                .state = initial_state(p),
                .packets_initiator = 1,
                .packets_responder = 0};
  return {&e, inserted};
}

std::optional<SimTime> ConntrackTable::expiry(const ConnKey& key) const {
  const ConnEntry* e = find(key);
  if (e == nullptr) return std::nullopt;
  return e->last_seen + timeout_of(e->state);
}

bool ConntrackTable::expire_if_due(const ConnKey& key, SimTime now) {
  const auto it = entries_.find(key);
  if (it == entries_.end() || live(it->second, now)) return false;
  entries_.erase(it);
  return true;
}

std::size_t ConntrackTable::expire_all_due(SimTime now) {
  return boost::unordered::erase_if(entries_, [&](const auto& kv) { return !live(kv.second, now); });
}

const ConnEntry* ConntrackTable::find(const ConnKey& key) const {
  const auto it = entries_.find(key);
  return it == entries_.end() ? nullptr : &it->second;
}

}  // namespace vpcsim
