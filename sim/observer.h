// What the engine reports while it runs. Observers subscribe; the engine does not know who
// listens (a trace printer, result collectors, the GUI, the server).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "model/path_evaluator.h"
#include "sim/flow.h"

namespace vpcsim {

// One packet (packet fidelity) or one direction of a flow (flow fidelity) crossing its path.
struct PacketRecord {
  SimTime time{0};
  const Flow* flow = nullptr;
  bool reply = false;           // server -> client
  const PathTrace* trace = nullptr;
  std::uint32_t packets = 1;    // how many packets this record stands for
  std::uint64_t bytes = 0;
  std::string_view label;       // "SYN", "SYN-ACK", "ACK", "data", "FIN", ... or "request"/"reply"
};

// How one direction of a finished flow fared.
struct DirectionResult {
 private:
  struct Frozen {
    std::string drop;
    std::string drop_rule;
    std::string decision;
  };
  // Null until a change freezes the direction: rare, so it lives out of line, shared between
  // copies and never modified once set (freeze replaces it). First, so that the engine's reset
  // finds it on the line it writes anyway.
  std::shared_ptr<const Frozen> frozen_;

 public:
  // The fields a flow updates on every packet come first: the engine resets a direction in
  // place for each new flow, and touching one or two cache lines rather than all of them is
  // measurable at millions of flows.
  std::uint64_t packets_delivered = 0;
  std::uint64_t packets_dropped = 0;
  std::uint64_t bytes_delivered = 0;
  std::uint64_t bytes_dropped = 0;
  bool sent = false;                   // at least one packet was sent this way
  std::optional<HopResult> first_drop; // the hop (and rule) of the first drop
  std::optional<HopResult> decided_by; // the hop that admitted the first packet (SG ingress, or route)
  Packet first_packet;                 // meaningful only when `sent`
  Packet drop_packet;                  // the packet first_drop dropped; meaningful only with first_drop

  bool all_delivered() const { return sent && packets_dropped == 0; }
  // explain_hop() of first_drop / decided_by, valid after any rule change.
  std::string explain_drop(const Network& net) const;
  std::string explain_decision(const Network& net) const;
  std::string drop_rule(const Network& net) const;  // describe_rule() of first_drop
  // Rule references index the network's current rule lists, which timed changes edit. When
  // a change is applied while the flow runs, the engine calls this first: it writes the
  // sentences above down while the references are still valid.
  void freeze(const Network& net);
  bool frozen() const { return frozen_ != nullptr; }
  // Forgets the sentences (the engine reuses a direction for its next flow).
  void thaw() { frozen_.reset(); }
};

struct FlowResult {
  const Flow* flow = nullptr;
  SimTime end{0};
  DirectionResult request;
  DirectionResult reply;
  // The connection "worked": every packet of both directions was delivered.
  bool works() const { return request.all_delivered() && reply.all_delivered(); }
};

// A connection opened or expired, or a rule change applied. An expiry is dated at the moment
// the entry really expired, which the engine may only notice when a later packet (or a late
// timer) looks at it: expiry records can therefore arrive after packets with later times.
struct StateRecord {
  enum class Kind : std::uint8_t { kConnectionTracked, kConnectionExpired, kRuleChange, kRuleChangeFailed };
  SimTime time{0};
  Kind kind = Kind::kRuleChange;
  std::optional<EniId> eni;  // connection events: the interface that tracks it
  Packet connection;         // connection events: the packet that opened it
  Direction initiated = Direction::kIngress;
  std::string description;   // rule changes: what changed, or why it could not be applied
};

// Records point into storage the engine reuses (the trace, the flow): copy what you keep.
class Observer {
 public:
  virtual ~Observer() = default;
  virtual void on_packet(const PacketRecord&) {}
  virtual void on_flow(const FlowResult&) {}  // once per flow, when it has finished
  virtual void on_state(const StateRecord&) {}
};

}  // namespace vpcsim
