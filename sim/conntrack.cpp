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

ConnEntry entry_of(const PackedConnKey& k, const TrackedConn& e) {
  return ConnEntry{.key = unpack(k),
                   .initiated = e.initiated,
                   .created = e.created,
                   .last_seen = e.last_seen,
                   .state = e.state,
                   .packets_initiator = e.packets_initiator,
                   .packets_responder = e.packets_responder};
}

std::uint64_t word(const IpAddress& a, bool high) {
  return high ? hi(a.value()) : lo(a.value());
}
std::uint8_t is_v6(const IpAddress& a) { return a.family() == Family::kIpv6 ? 1 : 0; }
IpAddress address(std::uint64_t low, std::uint64_t high, bool v6) {
  const U128 v = static_cast<U128>(high) << 64 | low;
  return v6 ? IpAddress::v6(v) : IpAddress::v4(static_cast<std::uint32_t>(v));
}

// One more packet of `e`, sent by the initiator when `d` is the direction that created it.
void refresh(TrackedConn& e, const Packet& p, Direction d, SimTime now) {
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

PackedConnKey pack(const ConnKey& k) {
  return PackedConnKey{.local_lo = word(k.local, false),
                       .local_hi = word(k.local, true),
                       .remote_lo = word(k.remote, false),
                       .remote_hi = word(k.remote, true),
                       .ports = std::uint32_t{k.local_port} | std::uint32_t{k.remote_port} << 16,
                       .protocol = k.protocol,
                       .families = static_cast<std::uint8_t>(is_v6(k.local) | is_v6(k.remote) << 1)};
}

ConnKey unpack(const PackedConnKey& k) {
  return ConnKey{.local = address(k.local_lo, k.local_hi, (k.families & 1) != 0),
                 .remote = address(k.remote_lo, k.remote_hi, (k.families & 2) != 0),
                 .protocol = k.protocol,
                 .local_port = static_cast<std::uint16_t>(k.ports & 0xffff),
                 .remote_port = static_cast<std::uint16_t>(k.ports >> 16)};
}

PackedConnKey packed_conn_key(const Packet& p, Direction at_eni) {
  const bool egress = at_eni == Direction::kEgress;
  const IpAddress& local = egress ? p.src : p.dst;
  const IpAddress& remote = egress ? p.dst : p.src;
  PackedConnKey k{.local_lo = word(local, false),
                  .local_hi = word(local, true),
                  .remote_lo = word(remote, false),
                  .remote_hi = word(remote, true),
                  .ports = 0,
                  .protocol = p.protocol,
                  .families = static_cast<std::uint8_t>(is_v6(local) | is_v6(remote) << 1)};
  if (p.has_ports()) {
    k.ports = egress ? (std::uint32_t{p.src_port} | std::uint32_t{p.dst_port} << 16)
                     : (std::uint32_t{p.dst_port} | std::uint32_t{p.src_port} << 16);
  }
  return k;
}

std::size_t hash_value(const PackedConnKey& k) {
  // Family::kIpv4 is 0 and kIpv6 1, so the family bits are the enum values.
  const std::uint64_t meta = std::uint64_t{k.ports} | std::uint64_t{k.protocol} << 32 |
                             std::uint64_t{k.families & 1u} << 40 | std::uint64_t{(k.families >> 1) & 1u} << 48;
  const std::uint64_t h_local = fold(k.local_lo ^ kS0, k.local_hi ^ kS1);
  const std::uint64_t h_remote = fold(k.remote_lo ^ kS2, k.remote_hi ^ kS3);
  return fold(h_local ^ meta ^ kS4, h_remote ^ kS1);
}

std::size_t hash_value(const ConnKey& k) { return hash_value(pack(k)); }

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

// ---- storage ------------------------------------------------------------------------------

namespace {

constexpr std::uint64_t kSlotMask = 0xffff'ffffull;
constexpr std::uint32_t tag_of(std::uint64_t hash) { return static_cast<std::uint32_t>(hash >> 32); }
constexpr std::uint64_t bucket_of(std::uint32_t tag, std::uint32_t slot) {
  return std::uint64_t{tag} << 32 | (std::uint64_t{slot} + 1);
}

}  // namespace

std::uint32_t ConntrackTable::find_index(const PackedConnKey& key, std::uint64_t hash) const {
  if (size_ == 0) return kNotFound;
  const std::uint32_t tag = tag_of(hash);
  const std::size_t mask = buckets_.size() - 1;
  for (std::size_t b = tag & mask;; b = (b + 1) & mask) {
    const std::uint64_t bucket = buckets_[b];
    if (bucket == 0) return kNotFound;
    if (static_cast<std::uint32_t>(bucket >> 32) != tag) continue;
    const auto i = static_cast<std::uint32_t>((bucket & kSlotMask) - 1);
    if (slots_[i].key == key) return i;
  }
}

ConntrackTable::Iterator ConntrackTable::lookup(const PackedConnKey& key, std::uint32_t hint) {
  if (hint < slots_.size()) {
    Slot& s = slots_[hint];
    if (s.conn.in_use && s.key == key) return &s;  // a key has one entry: this is it
  }
  return lookup(key);
}

void ConntrackTable::grow() {
  const std::size_t capacity = buckets_.empty() ? 16 : buckets_.size() * 2;
  std::vector<std::uint64_t> old(capacity, 0);
  old.swap(buckets_);
  const std::size_t mask = capacity - 1;
  for (const std::uint64_t bucket : old) {
    if (bucket == 0) continue;
    std::size_t b = (bucket >> 32) & mask;
    while (buckets_[b] != 0) b = (b + 1) & mask;
    buckets_[b] = bucket;
  }
}

ConntrackTable::Iterator ConntrackTable::insert(const PackedConnKey& key, std::uint64_t hash) {
  // At most half full: a probe for an absent key (every new connection) ends within a few
  // buckets, mostly on the cache line of its home bucket.
  if (2 * (size_ + 1) > buckets_.size()) grow();
  std::uint32_t i;
  if (!free_.empty()) {
    i = free_.back();  // the most recently freed slot: likely still in cache
    free_.pop_back();
  } else {
    i = static_cast<std::uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  const std::uint32_t tag = tag_of(hash);
  const std::size_t mask = buckets_.size() - 1;
  std::size_t b = tag & mask;
  while (buckets_[b] != 0) b = (b + 1) & mask;
  buckets_[b] = bucket_of(tag, i);
  Slot& s = slots_[i];
  s.key = key;
  s.conn.in_use = true;
  ++size_;
  return &s;
}

void ConntrackTable::erase(Iterator it) {
  const std::uint32_t i = index(it);
  const std::uint64_t wanted = bucket_of(tag_of(hash_value(it->key)), i);
  const std::size_t mask = buckets_.size() - 1;
  std::size_t hole = (wanted >> 32) & mask;
  while (buckets_[hole] != wanted) hole = (hole + 1) & mask;
  // Backward-shift deletion (Knuth, TAOCP vol. 3, 6.4, Algorithm R): move up every later
  // bucket of the run whose home does not lie cyclically in (hole, j], so that no probe run
  // has a gap and no tombstones are needed.
  for (std::size_t j = (hole + 1) & mask; buckets_[j] != 0; j = (j + 1) & mask) {
    const std::size_t home = (buckets_[j] >> 32) & mask;
    const bool stays = hole < j ? (hole < home && home <= j) : (hole < home || home <= j);
    if (stays) continue;
    buckets_[hole] = buckets_[j];
    hole = j;
  }
  buckets_[hole] = 0;
  it->conn.in_use = false;
  ++it->conn.timer;  // whatever timer the owner armed for this entry no longer counts
  free_.push_back(i);
  --size_;
}

// ---- operations ---------------------------------------------------------------------------

bool ConntrackTable::match(const Packet& p, Direction d, SimTime now) {
  const auto it = lookup(packed_conn_key(p, d));
  if (!found(it)) return false;
  return match_entry(it, p, d, now);
}

bool ConntrackTable::match_entry(Iterator it, const Packet& p, Direction d, SimTime now) {
  TrackedConn& e = it->conn;
  const bool ended = e.state == ConnState::kTcpClosing || e.state == ConnState::kTcpReset;
  if (!live(e, now) || (ended && is_new_syn(p))) {
    erase(it);
    return false;
  }
  refresh(e, p, d, now);
  return true;
}

ConnEntry ConntrackTable::track(const Packet& p, Direction d, SimTime now) {
  const auto it = track_entry(p, d, now).first;
  return entry_of(it->key, it->conn);
}

std::pair<ConntrackTable::Iterator, bool> ConntrackTable::track_entry(const Packet& p, Direction d, SimTime now) {
  const PackedConnKey key = packed_conn_key(p, d);
  const std::uint64_t hash = hash_value(key);
  Iterator it = slot_or_null(find_index(key, hash));
  if (found(it) && live(it->conn, now)) {
    refresh(it->conn, p, d, now);
    return {it, false};
  }
  if (!found(it)) it = insert(key, hash);
  TrackedConn& e = it->conn;
  e.initiated = d;
  e.state = initial_state(p);
  e.packets_initiator = 1;
  e.packets_responder = 0;
  e.created = now;
  e.last_seen = now;
  return {it, true};
}

std::optional<SimTime> ConntrackTable::expiry(const ConnKey& key) const {
  const std::uint32_t i = find_index(pack(key));
  if (i == kNotFound) return std::nullopt;
  return expiry_of(slots_[i].conn);
}

bool ConntrackTable::expire_if_due(const ConnKey& key, SimTime now) {
  const auto it = lookup(key);
  if (!found(it) || live(it->conn, now)) return false;
  erase(it);
  return true;
}

std::size_t ConntrackTable::expire_all_due(SimTime now) {
  std::size_t n = 0;
  for (Slot& s : slots_) {
    if (s.conn.in_use && !live(s.conn, now)) {
      erase(&s);
      ++n;
    }
  }
  return n;
}

std::optional<ConnEntry> ConntrackTable::find(const ConnKey& key) const {
  const std::uint32_t i = find_index(pack(key));
  if (i == kNotFound) return std::nullopt;
  return entry_of(slots_[i].key, slots_[i].conn);
}

}  // namespace vpcsim
