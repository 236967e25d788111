// Results in the schema's vocabulary (pb::RunResult), for JSON output, files and, later, the
// GUI and the server.
#pragma once

#include "model/network.h"
#include "proto/vpcsim.pb.h"
#include "sim/flow_runner.h"

namespace vpcsim::io {

pb::FilteringModel to_proto(FilteringModel m);
pb::Hop to_proto(Hop h);
pb::Verdict to_proto(ExpectedVerdict v);

pb::PacketResult to_proto(const Network& net, const PathTrace& trace);
pb::FlowResult to_proto(const Network& net, const FlowOutcome& outcome);
pb::RunResult to_proto(const Scenario& scenario, const RunReport& report);

}  // namespace vpcsim::io
