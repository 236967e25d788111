// The counters every result view shares: flows by outcome, packets and bytes per direction
// and verdict, and drops per hop. Plain integers, O(1) memory: the summary is one of these,
// each time-series bucket another.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "model/hop.h"
#include "sim/observer.h"

namespace vpcsim {

// How one direction of a finished flow fared.
enum class DirectionVerdict : std::uint8_t {
  kAllowed,  // sent, and every packet was delivered
  kDropped,  // at least one packet was dropped
  kNotSent,  // nothing went this way (a reply, when the request never arrived)
};
std::string_view to_string(DirectionVerdict v);  // "allowed", "dropped", "not-sent"
DirectionVerdict verdict(const DirectionResult& d);

// "Request delivered, reply dropped" is its own, important outcome (DESIGN.md, "Both
// directions, always"), so a flow counts as reply-dropped only when its request got through.
bool request_dropped(const FlowResult& f);
bool reply_dropped(const FlowResult& f);


struct DirectionCounts {
  std::uint64_t flows_allowed = 0;  // flows whose verdict this way was kAllowed
  std::uint64_t flows_dropped = 0;  // ... kDropped
  std::uint64_t packets_allowed = 0;
  std::uint64_t packets_dropped = 0;
  std::uint64_t bytes_allowed = 0;
  std::uint64_t bytes_dropped = 0;

  friend bool operator==(const DirectionCounts&, const DirectionCounts&) = default;
};

struct TrafficCounts {
  // Flows are counted when they finish (Observer::on_flow).
  std::uint64_t flows_started = 0;
  std::uint64_t flows_worked = 0;           // FlowResult::works()
  std::uint64_t flows_request_dropped = 0;  // request_dropped()
  std::uint64_t flows_reply_dropped = 0;    // reply_dropped(): request delivered, reply not
  // Flow verdicts from on_flow; packets and bytes from on_packet.
  DirectionCounts request;
  DirectionCounts reply;
  // Dropped packets by the hop that dropped them, indexed by Hop.
  std::array<std::uint64_t, kHopKinds> drops_by_hop{};

  std::uint64_t drops_at(Hop h) const { return drops_by_hop[static_cast<std::size_t>(h)]; }
  void add_packet(const PacketRecord& r);
  void add_flow(const FlowResult& f);

  friend bool operator==(const TrafficCounts&, const TrafficCounts&) = default;
};

}  // namespace vpcsim
