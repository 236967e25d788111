// A flow as the engine runs it: one client->server exchange over simulated time, from an
// explicit scenario flow or a generator.
#pragma once

#include <cstdint>
#include <string>

#include "model/endpoint.h"
#include "model/packet.h"
#include "model/sim_time.h"

namespace vpcsim {

struct Flow {
  std::uint64_t id = 0;       // assigned by the simulator in start order: 0, 1, 2, ...
  std::uint32_t source = 0;   // index of the scenario flow, or of the generator (see `generated`)
  bool generated = false;
  Endpoint client;
  Endpoint server;
  Packet request;             // the first packet: addresses, ports or ICMP type/code
  SimTime start{0};
  SimTime duration{0};
  std::uint32_t request_packets = 1;
  std::uint32_t reply_packets = 1;
  std::uint64_t request_bytes = 0;
  std::uint64_t reply_bytes = 0;
};

// Produces flows lazily in non-decreasing start time, so that memory does not grow with the
// number of flows. Generators are TrafficSources; so is the scenario's explicit flow list.
class TrafficSource {
 public:
  virtual ~TrafficSource() = default;
  // The next flow (its id is left for the simulator to assign), or nullopt when exhausted.
  virtual std::optional<Flow> next() = 0;
};

}  // namespace vpcsim
