// Helpers for the engine tests: an observer that writes down everything the simulator reports
// (as values, because the engine's records point into storage it reuses), flow specs in one
// line, and a run in one call.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/scenario.h"
#include "sim/observer.h"
#include "sim/simulator.h"
#include "tests/model/network_builder.h"

namespace vpcsim::test {

inline constexpr SimTime kRtt = milliseconds(1);  // SimulationOptions' default round trip
inline constexpr SimTime kHalfRtt = kRtt / 2;

struct HopLog {
  Hop hop = Hop::kSgEgress;
  Outcome outcome = Outcome::kAllowed;
  Reason reason = Reason::kRuleAllowed;
  bool untracked = false;
};

struct PacketLog {
  SimTime time{0};
  std::uint64_t flow = 0;
  bool reply = false;
  std::string label;
  std::uint8_t tcp_flags = 0;
  std::uint32_t packets = 0;
  std::uint64_t bytes = 0;
  std::vector<HopLog> hops;

  const HopLog* drop() const {
    const auto it = std::ranges::find(hops, Outcome::kDropped, &HopLog::outcome);
    return it == hops.end() ? nullptr : &*it;
  }
  bool delivered() const { return drop() == nullptr; }
  std::optional<Hop> drop_hop() const { return drop() ? std::optional(drop()->hop) : std::nullopt; }
  const HopLog* hop(Hop h) const {
    const auto it = std::ranges::find(hops, h, &HopLog::hop);
    return it == hops.end() ? nullptr : &*it;
  }
};

struct FlowLog {
  std::uint64_t id = 0;
  SimTime start{0};
  SimTime end{0};
  DirectionResult request;
  DirectionResult reply;
  bool works = false;
};

struct StateLog {
  SimTime time{0};
  StateRecord::Kind kind = StateRecord::Kind::kRuleChange;
  std::optional<EniId> eni;
  Packet connection;
  Direction initiated = Direction::kIngress;
  std::string description;
};

// Writes down every packet, flow and state record, and one line of text per event in the
// order they came: the whole log that determinism tests compare.
class Recorder : public Observer {
 public:
  void on_packet(const PacketRecord& r) override {
    PacketLog p{r.time, r.flow->id, r.reply, std::string(r.label), r.trace->packet.tcp_flags, r.packets, r.bytes, {}};
    std::string line = "packet t=" + std::to_string(r.time.count()) + " flow=" + std::to_string(p.flow) +
                       (r.reply ? " reply " : " request ") + p.label + " " + r.trace->packet.to_string() +
                       " flags=" + std::to_string(p.tcp_flags) + " n=" + std::to_string(r.packets) +
                       " bytes=" + std::to_string(r.bytes);
    for (const HopResult& h : r.trace->hops) {
      p.hops.push_back({h.hop, h.outcome, h.reason, h.untracked});
      line += " " + std::string(to_string(h.hop)) + ":" + std::string(to_string(h.outcome)) + ":" +
              std::string(to_string(h.reason)) + (h.untracked ? ":untracked" : "");
    }
    packets.push_back(std::move(p));
    lines.push_back(std::move(line));
  }
  void on_flow(const FlowResult& r) override {
    flows.push_back({r.flow->id, r.flow->start, r.end, r.request, r.reply, r.works()});
    lines.push_back("flow t=" + std::to_string(r.end.count()) + " id=" + std::to_string(r.flow->id) +
                    " source=" + std::to_string(r.flow->source) + (r.flow->generated ? " generated" : "") +
                    " start=" + std::to_string(r.flow->start.count()) + " " + r.flow->request.to_string() +
                    " request=" + counts(r.request) + " reply=" + counts(r.reply));
  }
  void on_state(const StateRecord& r) override {
    states.push_back({r.time, r.kind, r.eni, r.connection, r.initiated, r.description});
    lines.push_back("state t=" + std::to_string(r.time.count()) + " kind=" + std::to_string(static_cast<int>(r.kind)) +
                    " eni=" + (r.eni ? std::to_string(r.eni->value) : "-") + " " + r.connection.to_string() + " " +
                    r.description);
  }

  std::vector<const PacketLog*> packets_of(std::uint64_t flow) const {
    std::vector<const PacketLog*> out;
    for (const PacketLog& p : packets) {
      if (p.flow == flow) out.push_back(&p);
    }
    return out;
  }
  // The flow with this id; fails the test (and returns an empty log) when it was not reported.
  FlowLog flow(std::uint64_t id) const {
    const auto it = std::ranges::find(flows, id, &FlowLog::id);
    if (it == flows.end()) {
      ADD_FAILURE() << "flow " << id << " was not reported";
      return {};
    }
    return *it;
  }
  std::vector<const StateLog*> states_of(StateRecord::Kind kind) const {
    std::vector<const StateLog*> out;
    for (const StateLog& s : states) {
      if (s.kind == kind) out.push_back(&s);
    }
    return out;
  }
  // Labels of a flow's packets, "<" marking the server's ("SYN", "<SYN-ACK", ...).
  std::vector<std::string> labels_of(std::uint64_t flow) const {
    std::vector<std::string> out;
    for (const PacketLog* p : packets_of(flow)) out.push_back((p->reply ? "<" : "") + p->label);
    return out;
  }

  std::vector<PacketLog> packets;
  std::vector<FlowLog> flows;
  std::vector<StateLog> states;
  std::vector<std::string> lines;

 private:
  static std::string counts(const DirectionResult& d) {
    return std::to_string(d.packets_delivered) + "/" + std::to_string(d.packets_dropped) + "/" +
           std::to_string(d.bytes_delivered) + "/" + std::to_string(d.bytes_dropped);
  }
};

// A flow of the scenario: `packets` each way, 100 bytes each, from client port 50000.
inline FlowSpec flow_spec(Endpoint client, Endpoint server, std::uint8_t protocol, std::uint16_t port, SimTime start,
                          SimTime duration = seconds(1), std::uint32_t packets = 4) {
  FlowSpec f;
  f.name = "flow-" + std::to_string(start.count());
  f.client = client;
  f.server = server;
  f.protocol = protocol;
  f.client_port = protocol == Protocol::kTcp || protocol == Protocol::kUdp ? kDefaultClientPort : 0;
  f.server_port = protocol == Protocol::kTcp || protocol == Protocol::kUdp ? port : 0;
  f.start = start;
  f.duration = duration;
  f.request_packets = packets;
  f.reply_packets = packets;
  f.request_bytes = 100ull * packets;
  f.reply_bytes = 100ull * packets;
  return f;
}

inline Scenario scenario_of(Network net, std::vector<FlowSpec> flows, std::vector<TimedChange> changes = {}) {
  Scenario s;
  s.name = "test";
  s.network = std::move(net);
  s.flows = std::move(flows);
  s.changes = std::move(changes);
  return s;
}

inline SimulationOptions options_for(FilteringModel model, Fidelity fidelity, SimTime horizon = SimTime{0},
                                     std::uint64_t seed = 1) {
  SimulationOptions o;
  o.model = model;
  o.fidelity = fidelity;
  o.horizon = horizon;
  o.seed = seed;
  return o;
}

// A client in subnet app (10.0.1.0/24) and a server in subnet data (10.0.2.0/24). The client
// may send ssh (tcp 22) and dns (udp 53) to data, the server accepts both from app; neither
// has a rule for the replies, so only the stateful model lets them through.
struct SshPair {
  SshPair() {
    app = b.subnet("subnet-app", "10.0.1.0/24");
    data = b.subnet("subnet-data", "10.0.2.0/24");
    client_sg = b.sg("sg-client");
    server_sg = b.sg("sg-server");
    b.egress(client_sg, tcp(22), cidr("10.0.2.0/24")).egress(client_sg, udp(53), cidr("10.0.2.0/24"));
    b.ingress(server_sg, tcp(22), cidr("10.0.1.0/24")).ingress(server_sg, udp(53), cidr("10.0.1.0/24"));
    b.net().sg(server_sg).ingress.front().id = "sgr-ssh";
    client = b.instance("client", app, "10.0.1.10", {client_sg});
    server = b.instance("server", data, "10.0.2.20", {server_sg});
  }
  // Rules for the replies too, so that the stateless model passes them.
  void open_replies() {
    b.egress(server_sg, tcp(1024, 65535), cidr("10.0.1.0/24"))
        .ingress(client_sg, tcp(1024, 65535), cidr("10.0.2.0/24"));
    b.net().sg(server_sg).egress.back().id = "sgr-replies";
  }
  FlowSpec ssh(SimTime start, SimTime duration = seconds(1), std::uint32_t packets = 4) const {
    return flow_spec(client, server, Protocol::kTcp, 22, start, duration, packets);
  }

  NetworkBuilder b;
  SubnetId app, data;
  SgId client_sg, server_sg;
  EniId client, server;
};

template <class Sim = Simulator>
Recorder run_scenario(const Scenario& s, const SimulationOptions& o) {
  Recorder r;
  Sim sim(s, o);
  sim.add_observer(r);
  sim.run();
  return r;
}

}  // namespace vpcsim::test
