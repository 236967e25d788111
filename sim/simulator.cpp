#include "sim/simulator.h"

#include <algorithm>
#include <cassert>

#include "model/sg_filter.h"
#include "sim/traffic_sources.h"

namespace vpcsim {

std::string_view to_string(Fidelity f) { return f == Fidelity::kPacket ? "packet" : "flow"; }

template <class Queue>
struct BasicSimulator<Queue>::PlannedPacket {
  SimTime offset{0};
  bool reply = false;
  std::uint8_t tcp_flags = 0;
  std::uint64_t bytes = 0;
  std::string_view label;
};

template <class Queue>
struct BasicSimulator<Queue>::ActiveFlow {
  Flow flow;
  FlowResult result;
  std::vector<PlannedPacket> plan;  // packet fidelity only
  // Whether the flow is untracked at the client's and at the server's interface, decided by
  // the first packet their security groups allowed by rule. An untracked flow stays so for
  // its lifetime: none of its packets opens a tracked connection there.
  std::array<std::optional<bool>, 2> untracked;
  // The conntrack slots of the flow's entries at the client's and the server's interface, as
  // tracking last left them: where the end of the flow looks first (a hint, checked against
  // the key, so a slot reused since costs a lookup and nothing else).
  std::array<std::uint32_t, 2> conntrack_slot;
};

namespace {

using Kind = EventPayload::Kind;

// Bytes of a TCP control packet without payload (20-byte IPv4 + 20-byte TCP header).
constexpr std::uint64_t kControlPacketBytes = 40;

void record(DirectionResult& d, const PathTrace& t, const Packet& p, std::uint32_t packets, std::uint64_t bytes) {
  if (!d.sent) d.first_packet = p;
  d.sent = true;
  if (const HopResult* drop = t.drop()) {
    d.packets_dropped += packets;
    d.bytes_dropped += bytes;
    if (!d.first_drop) {
      d.first_drop = *drop;
      d.drop_packet = p;
    }
    return;
  }
  d.packets_delivered += packets;
  d.bytes_delivered += bytes;
  if (!d.decided_by) {
    if (const HopResult* h = t.deciding_hop()) d.decided_by = *h;
  }
}

// `d = DirectionResult{}` as far as readers can tell, touching only the leading fields:
// first_packet and drop_packet are meaningful only once `sent` and `first_drop` say so, and
// record() writes them then.
void reset(DirectionResult& d) {
  d.packets_delivered = 0;
  d.packets_dropped = 0;
  d.bytes_delivered = 0;
  d.bytes_dropped = 0;
  d.sent = false;
  d.first_drop.reset();
  d.decided_by.reset();
  if (d.frozen()) d.thaw();
}

}  // namespace

template <class Queue>
BasicSimulator<Queue>::BasicSimulator(const Scenario& scenario, SimulationOptions options)
    : BasicSimulator(scenario, options,
                     make_traffic_sources(scenario, options.seed,
                                          options.horizon > SimTime{0} ? options.horizon : scenario.horizon)) {}

template <class Queue>
BasicSimulator<Queue>::BasicSimulator(const Scenario& scenario, SimulationOptions options,
                                      std::vector<std::unique_ptr<TrafficSource>> sources)
    : net_(scenario.network),
      options_(options),
      filters_(net_),
      evaluator_(net_, filters_),
      changes_(scenario.changes),
      sources_(std::move(sources)) {
  if (options_.horizon == SimTime{0}) options_.horizon = scenario.horizon;
  conntrack_.reserve(net_.enis.size());
  for (const Eni& e : net_.enis) conntrack_.emplace_back(e.conntrack);
  if constexpr (requires(Queue& q) { q.add_lane(SimTime{0}); }) {
    // The delays most events wait (see LanedEventQueue): a flow's reply follows its request
    // at once, and a conntrack timer waits a state's timeout, at most kMaxTimerWait.
    if (options_.model == FilteringModel::kStateful) {
      queue_.add_lane(SimTime{0});
      queue_.add_lane(kMaxTimerWait);
      for (const ConntrackTable& t : conntrack_) {
        for (const ConnState s : {ConnState::kTcpHandshake, ConnState::kTcpClosing, ConnState::kTcpReset,
                                  ConnState::kUdpSingle, ConnState::kUdpStream, ConnState::kIcmp, ConnState::kOther,
                                  ConnState::kTcpEstablished}) {
          queue_.add_lane(std::min(t.timeout_of(s), kMaxTimerWait));
        }
      }
    }
  }
  // Changes first: a flow starting at the very time of a change sees the changed rules,
  // whether it is a source's first flow (queued here) or a later one (queued while running).
  for (std::uint32_t i = 0; i < changes_.size(); ++i) schedule(changes_[i].at, {Kind::kChange, i, 0});
  pending_.resize(sources_.size());
  for (std::uint32_t i = 0; i < sources_.size(); ++i) {
    pending_[i] = sources_[i]->next();
    if (pending_[i]) schedule(pending_[i]->start, {Kind::kSourceNext, i, 0});
  }
}

template <class Queue>
BasicSimulator<Queue>::~BasicSimulator() = default;

template <class Queue>
std::size_t BasicSimulator<Queue>::tracked_connections() const {
  std::size_t n = 0;
  for (const ConntrackTable& t : conntrack_) n += t.size();
  return n;
}

template <class Queue>
void BasicSimulator<Queue>::schedule(SimTime t, EventPayload p) {
  if (p.kind != Kind::kExpiry) ++traffic_events_;
  queue_.push(t, p);
}

template <class Queue>
bool BasicSimulator<Queue>::step() {
  if (finished_) return false;
  // Expiry events alone do not keep a run going: it ends with its traffic and changes.
  if (queue_.empty() || !traffic_pending()) {
    finish_run();
    return false;
  }
  if (options_.horizon > SimTime{0} && queue_.top().time > options_.horizon) {
    now_ = options_.horizon;
    finish_run();
    return false;
  }
  const auto ev = queue_.pop();
  now_ = ev.time;
  if (ev.payload.kind != Kind::kExpiry) --traffic_events_;
  ++events_;
  dispatch(ev.time, ev.payload);
  return true;
}

template <class Queue>
void BasicSimulator<Queue>::run() {
  while (step()) {
  }
}

template <class Queue>
void BasicSimulator<Queue>::run_until(SimTime t) {
  while (!finished_ && !queue_.empty() && queue_.top().time <= t && step()) {
  }
}

template <class Queue>
std::optional<SimTime> BasicSimulator<Queue>::next_event_time() const {
  if (finished_ || queue_.empty() || !traffic_pending()) return std::nullopt;
  return queue_.top().time;
}

template <class Queue>
void BasicSimulator<Queue>::schedule_change(TimedChange c) {
  if (finished_) return;
  c.at = std::max(c.at, now_);
  const auto index = static_cast<std::uint32_t>(changes_.size());
  changes_.push_back(std::move(c));
  schedule(changes_.back().at, {Kind::kChange, index, 0});
}

template <class Queue>
void BasicSimulator<Queue>::dispatch(SimTime, const EventPayload& e) {
  switch (e.kind) {
    case Kind::kSourceNext: return on_source_next(e.a);
    case Kind::kFlowRequest: return on_flow_direction(e.a, false);
    case Kind::kFlowReply: return on_flow_direction(e.a, true);
    case Kind::kFlowEnd: return on_flow_end(e.a);
    case Kind::kPacket: return on_packet(e.a, e.b);
    case Kind::kChange: return on_change(e.a);
    case Kind::kExpiry: return on_expiry(e.a, e.b, e.gen);
  }
}

template <class Queue>
void BasicSimulator<Queue>::on_source_next(std::uint32_t source) {
  Flow flow = std::move(*pending_[source]);
  pending_[source] = sources_[source]->next();
  if (pending_[source]) {
    assert(pending_[source]->start >= flow.start);
    schedule(pending_[source]->start, {Kind::kSourceNext, source, 0});
  }
  start_flow(std::move(flow));
}

template <class Queue>
void BasicSimulator<Queue>::start_flow(Flow flow) {
  flow.id = next_flow_id_++;
  std::uint32_t slot;
  if (!free_flow_slots_.empty()) {
    slot = free_flow_slots_.back();
    free_flow_slots_.pop_back();
  } else {
    slot = static_cast<std::uint32_t>(flows_.size());
    flows_.push_back(std::make_unique<ActiveFlow>());
  }
  ActiveFlow& f = *flows_[slot];
  f.flow = std::move(flow);
  // f.result = FlowResult{}, field by field (FlowResult: flow, end, request, reply).
  static_assert(sizeof(FlowResult) == sizeof(void*) + sizeof(SimTime) + 2 * sizeof(DirectionResult));
  f.result.flow = &f.flow;
  f.result.end = SimTime{0};
  reset(f.result.request);
  reset(f.result.reply);
  f.plan.clear();
  f.untracked = {};
  f.conntrack_slot = {ConntrackTable::kNoHint, ConntrackTable::kNoHint};
  ++active_count_;
  if (options_.fidelity == Fidelity::kFlow) return on_flow_direction(slot, false);
  plan_packets(f);
  on_packet(slot, 0);
}

template <class Queue>
void BasicSimulator<Queue>::on_flow_direction(std::uint32_t slot, bool reply) {
  ActiveFlow& f = *flows_[slot];
  Packet p = reply ? f.flow.request.reply() : f.flow.request;
  // A direction stands for all its packets; for connection tracking it opens like TCP does
  // (SYN, then SYN-ACK), so a request nobody answers leaves only a short-lived half-open
  // entry behind.
  if (p.protocol == Protocol::kTcp) p.tcp_flags = reply ? (Packet::kSyn | Packet::kAck) : Packet::kSyn;
  const PathTrace& t = send(f, reply, p, reply ? f.flow.reply_packets : f.flow.request_packets,
                            reply ? f.flow.reply_bytes : f.flow.request_bytes, reply ? "reply" : "request");
  if (!reply && !t.delivered()) return finish_flow(slot, now_);  // nothing answers
  if (!reply) return schedule(now_, {Kind::kFlowReply, slot, 0});
  schedule(f.flow.start + f.flow.duration, {Kind::kFlowEnd, slot, 0});
}

template <class Queue>
void BasicSimulator<Queue>::on_flow_end(std::uint32_t slot) {
  ActiveFlow& f = *flows_[slot];
  if (options_.model == FilteringModel::kStateful && f.flow.request.protocol == Protocol::kTcp) {
    // The flow closes: its tracked entries move to the closing state and expire on that
    // (much shorter) timer, so conntrack memory follows the rate of flows, not their number.
    Packet fin = f.flow.request;
    fin.tcp_flags = Packet::kFin | Packet::kAck;
    if (const auto c = as_eni(f.flow.client)) match_tracked(*c, Direction::kEgress, fin, f.conntrack_slot[0]);
    if (const auto s = as_eni(f.flow.server)) match_tracked(*s, Direction::kIngress, fin, f.conntrack_slot[1]);
  }
  finish_flow(slot, now_);
}

template <class Queue>
void BasicSimulator<Queue>::plan_packets(ActiveFlow& f) const {
  const Flow& fl = f.flow;
  const SimTime rtt = options_.round_trip;
  const SimTime half = rtt / 2;
  const std::uint32_t nc = std::max<std::uint32_t>(fl.request_packets, 1);
  const std::uint32_t ns = fl.reply_packets;
  const auto share = [](std::uint64_t total, std::uint32_t n, std::uint32_t i) {
    return total / n + (i < total % n ? 1 : 0);
  };
  auto& plan = f.plan;
  if (fl.request.protocol == Protocol::kTcp) {
    plan.push_back({SimTime{0}, false, Packet::kSyn, kControlPacketBytes, "SYN"});
    plan.push_back({half, true, Packet::kSyn | Packet::kAck, kControlPacketBytes, "SYN-ACK"});
    plan.push_back({rtt, false, Packet::kAck, kControlPacketBytes, "ACK"});
    const std::size_t data_begin = plan.size();
    for (std::uint32_t i = 0; i < nc; ++i) {
      plan.push_back({rtt + fl.duration * (i + 1) / (nc + 1), false, Packet::kAck, share(fl.request_bytes, nc, i), "data"});
    }
    for (std::uint32_t j = 0; j < ns; ++j) {
      plan.push_back({rtt + fl.duration * (j + 1) / (ns + 1) + half, true, Packet::kAck, share(fl.reply_bytes, ns, j), "data"});
    }
    std::stable_sort(plan.begin() + static_cast<std::ptrdiff_t>(data_begin), plan.end(),
                     [](const PlannedPacket& a, const PlannedPacket& b) { return a.offset < b.offset; });
    const SimTime end = rtt + fl.duration + half;
    plan.push_back({end, false, Packet::kFin | Packet::kAck, kControlPacketBytes, "FIN"});
    plan.push_back({end + half, true, Packet::kFin | Packet::kAck, kControlPacketBytes, "FIN-ACK"});
    plan.push_back({end + rtt, false, Packet::kAck, kControlPacketBytes, "ACK"});
    return;
  }
  // UDP, ICMP and other protocols: requests spread over the duration, each answered half a
  // round trip later while replies last.
  const std::uint32_t rounds = std::max(nc, ns);
  const SimTime gap = fl.duration > SimTime{0} ? fl.duration / rounds : rtt;
  const bool icmp = fl.request.is_icmp();
  for (std::uint32_t i = 0; i < rounds; ++i) {
    if (i < nc) plan.push_back({gap * i, false, 0, share(fl.request_bytes, nc, i), icmp ? "echo" : "request"});
    if (i < ns) plan.push_back({gap * i + half, true, 0, share(fl.reply_bytes, ns, i), icmp ? "echo-reply" : "reply"});
  }
  // With requests closer together than half a round trip, answers interleave later ones.
  std::stable_sort(plan.begin(), plan.end(), [](const PlannedPacket& a, const PlannedPacket& b) { return a.offset < b.offset; });
}

template <class Queue>
void BasicSimulator<Queue>::on_packet(std::uint32_t slot, std::uint32_t index) {
  ActiveFlow& f = *flows_[slot];
  const PlannedPacket& pp = f.plan[index];
  Packet p = pp.reply ? f.flow.request.reply() : f.flow.request;
  p.tcp_flags = pp.tcp_flags;
  const PathTrace& t = send(f, pp.reply, p, 1, pp.bytes, pp.label);
  // TCP does not get past a lost handshake (retransmission is not modelled): the
  // connection fails and nothing more is sent. Later losses drop that packet only.
  const bool handshake = p.protocol == Protocol::kTcp && index < 2;
  if ((handshake && !t.delivered()) || index + 1 == f.plan.size()) return finish_flow(slot, now_);
  schedule(f.flow.start + f.plan[index + 1].offset, {Kind::kPacket, slot, index + 1});
}

template <class Queue>
const PathTrace& BasicSimulator<Queue>::send(ActiveFlow& f, bool reply, const Packet& p, std::uint32_t packets,
                                             std::uint64_t bytes, std::string_view label) {
  const Endpoint& from = reply ? f.flow.server : f.flow.client;
  const Endpoint& to = reply ? f.flow.client : f.flow.server;
  const bool stateful = options_.model == FilteringModel::kStateful;
  TrackedHops tracked;
  const auto src = as_eni(from);
  const auto dst = as_eni(to);
  ConntrackTable* dst_table = nullptr;
  ConntrackTable::Iterator dst_entry{};
  if (stateful) {
    if (src) {
      ConntrackTable& table = conntrack_[src->value];
      const auto it = lookup_live(*src, table, packed_conn_key(p, Direction::kEgress));
      tracked.sg_egress = table.found(it) && match_tracked(*src, table, it, Direction::kEgress, p);
    }
    if (dst) {
      ConntrackTable& table = conntrack_[dst->value];
      dst_table = &table;
      dst_entry = lookup_live(*dst, table, packed_conn_key(p, Direction::kIngress));
      if (table.found(dst_entry)) {
        // A new SYN on a closing or reset connection opens a new one (as match() decides at
        // the sender); the old entry must not pass it.
        const TrackedConn& e = dst_entry->conn;
        const bool syn = (p.tcp_flags & (Packet::kSyn | Packet::kAck)) == Packet::kSyn;
        if (syn && (e.state == ConnState::kTcpClosing || e.state == ConnState::kTcpReset)) {
          // match() erases it: the entry is live, ended, and p a new SYN.
          table.erase(dst_entry);
        } else {
          tracked.sg_ingress = now_ < table.expiry_of(e);
        }
      }
    }
  }
  evaluator_.trace_into(scratch_, from, to, p, tracked);
  // The trace does not touch conntrack, so dst_entry is still valid.
  if (stateful && dst && tracked.sg_ingress && scratch_.delivered()) {
    match_tracked(*dst, *dst_table, dst_entry, Direction::kIngress, p);
  }
  const auto to_track = stateful ? untracked_marks(f, reply, p) : TrackList{};
  DirectionResult& d = reply ? f.result.reply : f.result.request;
  record(d, scratch_, p, packets, bytes);
  const PacketRecord rec{now_, &f.flow, reply, &scratch_, packets, bytes, label};
  for (Observer* o : observers_) o->on_packet(rec);
  for (const auto& [eni, direction] : to_track) {
    // The client's side: where the request leaves, or the reply arrives.
    const bool client_side = (direction == Direction::kEgress) != reply;
    f.conntrack_slot[client_side ? 0 : 1] = track(eni, direction, p);
  }
  return scratch_;
}

template <class Queue>
typename BasicSimulator<Queue>::TrackList BasicSimulator<Queue>::untracked_marks(ActiveFlow& f, bool reply,
                                                                                 const Packet& p) {
  // A packet that security groups allowed by their rules opens a tracked connection at that
  // interface, unless AWS leaves the flow untracked (EC2 User Guide, "Security group
  // connection tracking"): then every packet is judged by the rules, and removing the rule
  // interrupts the flow at once. Whether a flow is untracked depends on the direction it was
  // initiated in, so it is decided once per interface, from the request.
  TrackList out;
  const Packet request = reply ? p.reply() : p;
  for (HopResult& h : scratch_.hops) {
    if (!h.is_security_group() || h.reason != Reason::kRuleAllowed) continue;
    const Direction d = h.hop == Hop::kSgEgress ? Direction::kEgress : Direction::kIngress;
    const bool at_client = as_eni(f.flow.client) == h.eni;
    std::optional<bool>& untracked = f.untracked[at_client ? 0 : 1];
    if (!untracked) untracked = is_untracked(*h.eni, reply ? opposite(d) : d, request);
    if (*untracked) {
      h.untracked = true;
    } else {
      out.push_back({*h.eni, d});
    }
  }
  return out;
}

template <class Queue>
bool BasicSimulator<Queue>::is_untracked(EniId eni, Direction initiated, const Packet& request) {
  // flow_is_untracked reads the rules' peers (all addresses of the family or not), their
  // protocol and their destination ports, and of the packet nothing else: see
  // model/sg_filter.cpp. Packets without ports are never untracked and need no entry.
  if (!request.has_ports()) return false;
  const std::uint64_t key = std::uint64_t{eni.value} << 27 | std::uint64_t{initiated == Direction::kEgress} << 26 |
                            std::uint64_t{request.family() == Family::kIpv6} << 25 |
                            std::uint64_t{request.protocol} << 16 | request.dst_port;
  const auto [it, inserted] = untracked_cache_.try_emplace(key, false);
  if (inserted) it->second = flow_is_untracked(net_, eni, initiated, request);
  return it->second;
}

template <class Queue>
std::uint32_t BasicSimulator<Queue>::track(EniId eni, Direction d, const Packet& p) {
  ConntrackTable& table = conntrack_[eni.value];
  const auto [entry, fresh] = table.track_entry(p, d, now_);
  const std::uint32_t slot = table.index(entry);
  if (!fresh) return slot;
  schedule_expiry(eni, table, entry);
  if (observers_.empty()) return slot;
  StateRecord r{now_, StateRecord::Kind::kConnectionTracked, eni, p, d, {}};
  for (Observer* o : observers_) o->on_state(r);
  return slot;
}

template <class Queue>
SimTime BasicSimulator<Queue>::timer_deadline(SimTime expiry) const {
  // A timer never waits longer than kMaxTimerWait: an entry whose timeout later shrinks
  // (established -> closing), or that is replaced, leaves a timer behind, and a timer five
  // days ahead would hold its queue slot for the whole run. Woken early, a timer finds its
  // entry alive and waits again.
  return std::min(expiry, now_ + kMaxTimerWait);
}

template <class Queue>
void BasicSimulator<Queue>::schedule_expiry(EniId eni, ConntrackTable& table, ConntrackTable::Iterator entry) {
  // The queue cannot take an event back. The timer names the entry's slot, which the entry
  // keeps for life, and the slot's timer generation: arming again bumps it, and so does the
  // table when it erases the entry, so an event of an older generation is ignored when it
  // pops. Without this a TCP entry woke at its handshake timer, re-armed for the closing
  // deadline its FIN had already armed, and fired twice there.
  TrackedConn& conn = entry->conn;
  const std::uint32_t gen = ++conn.timer;
  schedule(timer_deadline(table.expiry_of(conn)), {Kind::kExpiry, eni.value, table.index(entry), gen});
}

template <class Queue>
bool BasicSimulator<Queue>::match_tracked(EniId eni, Direction d, const Packet& p, std::uint32_t hint) {
  ConntrackTable& table = conntrack_[eni.value];
  const auto it = table.lookup(packed_conn_key(p, d), hint);
  if (!table.found(it)) return false;
  return match_tracked(eni, table, it, d, p);
}

template <class Queue>
bool BasicSimulator<Queue>::match_tracked(EniId eni, ConntrackTable& table, ConntrackTable::Iterator it, Direction d,
                                          const Packet& p) {
  const bool matched = table.match_entry(it, p, d, now_);
  // A FIN or RST moves the entry to a much shorter timer than the one its expiry event
  // waits for; arm one for the new deadline so closed connections leave the table on time
  // (timers are otherwise rescheduled lazily, and only ever later).
  if (matched && p.protocol == Protocol::kTcp && (p.tcp_flags & (Packet::kFin | Packet::kRst)) != 0) {
    schedule_expiry(eni, table, it);
  }
  return matched;
}

template <class Queue>
ConntrackTable::Iterator BasicSimulator<Queue>::lookup_live(EniId eni, ConntrackTable& table, const PackedConnKey& key) {
  // Expiry timers are scheduled when an entry opens and rescheduled lazily, so a state
  // change that shortens the timeout (handshake -> established) can leave the timer late.
  // A packet that finds its entry idle past the timeout retires it here first, reported at
  // the moment it really expired.
  auto it = table.lookup(key);
  if (!table.found(it)) return it;
  const TrackedConn& entry = it->conn;
  const SimTime due = table.expiry_of(entry);
  if (due > now_) return it;
  const Direction initiated = entry.initiated;
  if (!table.is_live(entry, now_)) table.erase(it);
  report_expiry(eni, key, initiated, due);
  return table.lookup(key);
}

template <class Queue>
void BasicSimulator<Queue>::report_expiry(EniId eni, const PackedConnKey& packed, Direction initiated, SimTime at) {
  if (observers_.empty()) return;
  const ConnKey key = unpack(packed);
  StateRecord r{at, StateRecord::Kind::kConnectionExpired, eni, {}, initiated, {}};
  const bool out = initiated == Direction::kEgress;
  r.connection.protocol = key.protocol;
  r.connection.src = out ? key.local : key.remote;
  r.connection.dst = out ? key.remote : key.local;
  r.connection.src_port = out ? key.local_port : key.remote_port;
  r.connection.dst_port = out ? key.remote_port : key.local_port;
  for (Observer* o : observers_) o->on_state(r);
}

template <class Queue>
void BasicSimulator<Queue>::on_expiry(std::uint32_t eni, std::uint32_t slot, std::uint32_t gen) {
  ConntrackTable& table = conntrack_[eni];
  const auto it = table.slot(slot);
  // Superseded by a later timer of the same entry, or the entry was erased (and the slot
  // perhaps reused): either bumped the slot's generation.
  if (it->conn.timer != gen) return;
  const TrackedConn& entry = it->conn;
  const SimTime due = table.expiry_of(entry);
  if (due > now_) {  // refreshed since: wait for its new expiry, same generation
    schedule(timer_deadline(due), {Kind::kExpiry, eni, slot, gen});
    return;
  }
  const Direction initiated = entry.initiated;
  const PackedConnKey key = it->key;
  if (!table.is_live(entry, now_)) table.erase(it);
  report_expiry(EniId(eni), key, initiated, due);
}

template <class Queue>
void BasicSimulator<Queue>::on_change(std::uint32_t index) {
  const TimedChange& c = changes_[index];
  StateRecord r{now_, StateRecord::Kind::kRuleChange, std::nullopt, {}, Direction::kIngress,
                c.description.empty() ? describe(net_, c.change) : c.description};
  // Running flows hold references into the rule lists the change may edit.
  for (const auto& f : flows_) {
    if (f->result.flow == nullptr) continue;
    f->result.request.freeze(net_);
    f->result.reply.freeze(net_);
  }
  untracked_cache_.clear();  // rare: forget every memoised untracked decision, whatever changed
  if (auto applied = apply(net_, c.change); !applied) {
    r.kind = StateRecord::Kind::kRuleChangeFailed;
    r.description += ": not applied: " + applied.error();
  } else if (changes_security_groups(c.change)) {
    filters_.rebuild_security_groups(net_);
  } else if (const auto acl = changed_nacl(c.change)) {
    filters_.rebuild_nacl(net_, *acl);
  }
  for (Observer* o : observers_) o->on_state(r);
}

template <class Queue>
void BasicSimulator<Queue>::finish_flow(std::uint32_t slot, SimTime end) {
  ActiveFlow& f = *flows_[slot];
  f.result.end = end;
  for (Observer* o : observers_) o->on_flow(f.result);
  f.result.flow = nullptr;
  free_flow_slots_.push_back(slot);
  --active_count_;
}

template <class Queue>
void BasicSimulator<Queue>::finish_run() {
  if (finished_) return;
  finished_ = true;
  // Flows still running at the horizon are reported as they stand, in id order.
  std::vector<std::uint32_t> open;
  for (std::uint32_t i = 0; i < flows_.size(); ++i) {
    if (flows_[i]->result.flow != nullptr) open.push_back(i);
  }
  std::ranges::sort(open, {}, [this](std::uint32_t i) { return flows_[i]->flow.id; });
  for (const std::uint32_t slot : open) finish_flow(slot, now_);
}

template class BasicSimulator<LanedEventQueue<EventPayload>>;
template class BasicSimulator<HeapEventQueue<EventPayload>>;

}  // namespace vpcsim
