// The reachability matrix drawn on the topology graph: an edge from each client to each server
// it can reach, for `vpcsim graph --dot`.
#pragma once

#include <vector>

#include "model/analysis/reachability.h"
#include "model/topology.h"

namespace vpcsim::analysis {

// Under `model`: a green edge where the exchange works for every client port, orange where
// the request arrives but replies are dropped (for some or all client ports), none where the
// request is dropped. Labelled with the protocol and port.
std::vector<Topology::OverlayEdge> reach_overlay(const Topology& t, const ReachMatrix& m, FilteringModel model);

}  // namespace vpcsim::analysis
