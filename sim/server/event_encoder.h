// Engine records (sim/observer.h) in the server protocol's vocabulary (proto/server.proto).
// The server streams these; a local run that encodes its records with the same functions
// sees exactly what a watcher sees, which is what the end-to-end tests compare.
#pragma once

#include "model/network.h"
#include "model/scenario.h"
#include "proto/server.pb.h"
#include "sim/observer.h"

namespace vpcsim::server {

// `net` is the network the engine evaluates against (Simulator::network()): hop
// explanations name its current rules.
PacketEvent encode_packet(const Scenario& scenario, const Network& net, const PacketRecord& r);
StateEvent encode_state(const Network& net, const StateRecord& r);
FlowEvent encode_flow(const Scenario& scenario, const Network& net, const FlowResult& r);

// The name a flow goes by: its scenario flow's, or its generator's.
std::string flow_name(const Scenario& scenario, const Flow& f);

}  // namespace vpcsim::server
