// Security-group connection tracking of one interface: the state that makes security groups
// stateful. EC2 User Guide, "Security group connection tracking"
// (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/security-group-connection-tracking.html):
// an interface tracks the connections its security groups allowed, and a packet of a tracked
// connection passes the groups in either direction whatever the rules say (network ACLs still
// judge it). A tracked connection outlives the rule that admitted it until it stays idle past
// its timeout. Which flows are tracked at all is decided elsewhere (flow_is_untracked in
// model/sg_filter.h); this table only holds the ones the caller decided to track.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "model/conntrack_timeouts.h"
#include "model/ip_address.h"
#include "model/packet.h"
#include "model/security_group.h"
#include "model/sim_time.h"

namespace vpcsim {

// A connection as one interface sees it: `local` is the interface's own address, `remote` the
// peer's, so a request and its reply give the same key. TCP and UDP carry their ports; ICMP
// and every other protocol carry ports 0 (see conn_key).
struct ConnKey {
  IpAddress local;
  IpAddress remote;
  std::uint8_t protocol = Protocol::kTcp;
  std::uint16_t local_port = 0;
  std::uint16_t remote_port = 0;

  friend bool operator==(const ConnKey&, const ConnKey&) = default;
};

// The key of `p` at an interface where it travels in direction `at_eni` (kEgress: leaving the
// interface, so local = source; kIngress: arriving, so local = destination).
// - TCP, UDP: addresses and ports ("including the port information", EC2 User Guide).
// - ICMP, ICMPv6: addresses only, ports 0. Assumption A2 (shared/aws-semantics.md): the echo
//   identifier is not modelled, so an echo reply (type 0/129) finds the entry of its echo
//   request (8/128) by the addresses alone.
// - Other protocols: addresses and protocol number only, as AWS documents ("only the IP address
//   and protocol number is tracked").
ConnKey conn_key(const Packet& p, Direction at_eni);

// ConnKey as the tables store it: 40 bytes (each address as two 64-bit words, the ports, the
// protocol and both families) instead of ConnKey's 80 (an IpAddress is padded to 32 bytes).
// Tables hold hundreds of thousands of entries and every packet probes them, so the size of
// an entry is what their speed and memory come down to.
struct PackedConnKey {
  std::uint64_t local_lo = 0;
  std::uint64_t local_hi = 0;
  std::uint64_t remote_lo = 0;
  std::uint64_t remote_hi = 0;
  std::uint32_t ports = 0;  // local_port | remote_port << 16
  std::uint8_t protocol = 0;
  std::uint8_t families = 0;  // bit 0: local is IPv6; bit 1: remote is IPv6

  friend bool operator==(const PackedConnKey&, const PackedConnKey&) = default;
};
PackedConnKey pack(const ConnKey& k);
ConnKey unpack(const PackedConnKey& k);
// pack(conn_key(p, at_eni)) without building the ConnKey.
PackedConnKey packed_conn_key(const Packet& p, Direction at_eni);

// A 64-bit hash mixing all 128 bits of both addresses, their families, the protocol and the
// ports (multiply-fold rounds in the style of wyhash). Good enough to skip the map's own
// post-mixing, hence is_avalanching. hash_value(k) == hash_value(pack(k)).
std::size_t hash_value(const PackedConnKey& k);
std::size_t hash_value(const ConnKey& k);
struct ConnKeyHash {
  using is_avalanching = std::true_type;
  std::size_t operator()(const PackedConnKey& k) const { return hash_value(k); }
};

enum class ConnState : std::uint8_t {
  kTcpHandshake,    // SYN seen, the responder has not acknowledged yet (timeout: tcp_handshake, A1)
  kTcpEstablished,  // handshake done (timeout: tcp_established, TcpEstablishedTimeout, per ENI)
  kTcpClosing,      // a FIN from either side (timeout: tcp_closing, A1)
  kTcpReset,        // a RST from either side (timeout: tcp_reset, A1)
  kUdpSingle,       // one direction only, or one request-response (timeout: udp, UdpTimeout)
  kUdpStream,       // more than one request-response (timeout: udp_stream, UdpStreamTimeout)
  kIcmp,            // ICMP and ICMPv6 (timeout: icmp, A2)
  kOther,           // any other protocol (timeout: other, 600 s per the EC2 User Guide)
};
std::string_view to_string(ConnState s);  // "tcp-handshake", "tcp-established", ...

struct ConnEntry {
  ConnKey key;
  Direction initiated = Direction::kEgress;  // the direction of the packet that created it
  SimTime created{};
  SimTime last_seen{};
  ConnState state = ConnState::kOther;
  std::uint32_t packets_initiator = 0;  // packets sent by the side that initiated, this one included
  std::uint32_t packets_responder = 0;  // packets sent by the other side
};

// An entry as a table stores it: ConnEntry without its key (the slot holds the packed one).
struct TrackedConn {
  Direction initiated = Direction::kEgress;
  ConnState state = ConnState::kOther;
  bool in_use = false;  // set by the table: false while the slot is free
  std::uint32_t packets_initiator = 0;
  std::uint32_t packets_responder = 0;
  // Not read by the table, which only bumps it when the slot's entry is erased: the owner's
  // expiry-timer generation for this slot. An owner that arms a timer bumps it and carries
  // the value in its event; a later arming, an erasure or a reuse of the slot makes the queued
  // event's value stale. The table never resets it, so it keeps counting across entries.
  std::uint32_t timer = 0;
  SimTime created{};
  SimTime last_seen{};
};
static_assert(sizeof(TrackedConn) == 32, "a table slot is 72 bytes: keep TrackedConn at 32");

// The tracked connections of one interface. Liveness: an entry is live while its idle time
// (now - last_seen) is strictly less than the timeout of its state; at exactly last_seen +
// timeout it is dead. match, expiry, expire_if_due and expire_all_due all use that boundary,
// so an expiry event scheduled at expiry(key) always finds its entry due.
//
// Timeouts are looked up when needed, never stored in entries: set_timeouts changes the expiry
// of live entries at once (AWS applies a modified ConnectionTrackingConfiguration to the
// interface, not only to new connections — an assumption; AWS does not say). An engine that
// schedules expiry events therefore treats them as hints: when expire_if_due returns false,
// reschedule at expiry(key).
//
// Storage: entries live in slots (key and TrackedConn, 72 bytes) that never move while the
// entry lives, so an owner can keep a slot's index (a timer, a flow's FIN) and come back to it
// without hashing and probing again; an open-addressing index (8 bytes a bucket: 32 bits of
// the key's hash and the slot) finds a key's slot. track and find return copies as ConnEntry
// values.
class ConntrackTable {
 public:
  struct Slot {
    TrackedConn conn;
    PackedConnKey key;
  };
  static_assert(sizeof(Slot) == 72);

  explicit ConntrackTable(ConntrackTimeouts timeouts = {}) : timeouts_(timeouts) {}

  void set_timeouts(ConntrackTimeouts t) { timeouts_ = t; }
  const ConntrackTimeouts& timeouts() const { return timeouts_; }

  // A packet at this interface's security groups in direction `d`. If it belongs to a live
  // entry (same key, whichever side created it), the entry is refreshed (last_seen, packet
  // count, state transition) and true is returned: the groups pass the packet without
  // consulting rules. A dead entry is erased and false returned. A SYN without ACK on a
  // connection that has ended (closing or reset) also erases it and returns false: it opens a
  // new connection, which the rules judge afresh (Linux netfilter does the same for a SYN in
  // TIME_WAIT or CLOSE; AWS does not document it).
  bool match(const Packet& p, Direction d, SimTime now);

  // Records a connection the rules just allowed (the caller decided it is tracked): `p` is its
  // first packet, travelling in direction `d`. For a live entry with the same key it refreshes
  // it as match would (one more packet, never a second entry); a dead one is replaced.
  ConnEntry track(const Packet& p, Direction d, SimTime now);

  // last_seen + the timeout of its state: when the entry dies if nothing refreshes it, or
  // nullopt if there is no entry (a dead entry not yet erased gives a time in the past).
  std::optional<SimTime> expiry(const ConnKey& key) const;

  // For an expiry event at `now`: erases the entry if it is dead at `now` (true); otherwise
  // leaves it (false), e.g. because a packet refreshed it after the event was scheduled.
  bool expire_if_due(const ConnKey& key, SimTime now);

  // Erases every entry dead at `now`, e.g. after set_timeouts shortened them; returns how many.
  std::size_t expire_all_due(SimTime now);

  // The entry for `key`, live or not (no time given), or nullopt.
  std::optional<ConnEntry> find(const ConnKey& key) const;
  // Entries held, including dead ones not erased yet.
  std::size_t size() const { return size_; }

  SimTime timeout_of(ConnState s) const;

  // Low-level access for the engine, which does several of the operations above on one key
  // and wants a single probe for them. An Iterator points at a slot: it stays valid until the
  // next insertion (slots may be reallocated), or the erasure of its own entry; a slot's
  // index() stays the same for the entry's whole life.
  using Iterator = Slot*;
  Iterator lookup(const PackedConnKey& key) { return slot_or_null(find_index(key)); }
  Iterator lookup(const ConnKey& key) { return lookup(pack(key)); }
  bool found(Iterator it) const { return it != nullptr; }
  void erase(Iterator it);
  std::uint32_t index(Iterator it) const { return static_cast<std::uint32_t>(it - slots_.data()); }
  // The slot at `index`, in use or not (a free slot has conn.in_use false and keeps its
  // timer counter). `index` must come from index() of this table.
  Iterator slot(std::uint32_t index) { return &slots_[index]; }
  // lookup(key), trying the slot at `hint` first (an index the caller kept from earlier).
  Iterator lookup(const PackedConnKey& key, std::uint32_t hint);
  static constexpr std::uint32_t kNoHint = ~std::uint32_t{0};
  bool is_live(const TrackedConn& e, SimTime now) const { return live(e, now); }
  SimTime expiry_of(const TrackedConn& e) const { return e.last_seen + timeout_of(e.state); }
  // match() on the entry `it` already found for p's key: erases it (returns false) if dead or
  // if `p` is a new SYN on an ended connection, otherwise refreshes it (true).
  bool match_entry(Iterator it, const Packet& p, Direction d, SimTime now);
  // track(), also telling whether a new entry was made: inserted, or put in place of a dead
  // one (false when a live entry was refreshed).
  std::pair<Iterator, bool> track_entry(const Packet& p, Direction d, SimTime now);

 private:
  static constexpr std::uint32_t kNotFound = ~std::uint32_t{0};
  bool live(const TrackedConn& e, SimTime now) const { return now - e.last_seen < timeout_of(e.state); }
  // The slot index of `key` (whose hash_value is `hash`), or kNotFound.
  std::uint32_t find_index(const PackedConnKey& key, std::uint64_t hash) const;
  std::uint32_t find_index(const PackedConnKey& key) const { return find_index(key, hash_value(key)); }
  Iterator slot_or_null(std::uint32_t i) { return i == kNotFound ? nullptr : &slots_[i]; }
  // A new entry for `key` (not present): a free slot, indexed; conn other than in_use and
  // timer is the caller's to set.
  Iterator insert(const PackedConnKey& key, std::uint64_t hash);
  void grow();

  ConntrackTimeouts timeouts_;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_;  // free slots, the most recently freed last
  // Open addressing with linear probing; a bucket is (hash >> 32) << 32 | (slot + 1), 0 when
  // empty. The home bucket is (hash >> 32) & mask, so a bucket's own bits say where its
  // probe run starts (erasure shifts entries back without rehashing keys).
  std::vector<std::uint64_t> buckets_;
  std::size_t size_ = 0;
};

}  // namespace vpcsim

template <>
struct std::hash<vpcsim::ConnKey> {
  std::size_t operator()(const vpcsim::ConnKey& k) const { return vpcsim::hash_value(k); }
};
template <>
struct std::hash<vpcsim::PackedConnKey> {
  std::size_t operator()(const vpcsim::PackedConnKey& k) const { return vpcsim::hash_value(k); }
};
