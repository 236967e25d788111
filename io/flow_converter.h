// Flows between endpoints and what a scenario expects of them.
#pragma once

#include <vector>

#include "io/conversion_context.h"
#include "model/scenario.h"
#include "proto/vpcsim.pb.h"

namespace vpcsim::io {

// Needs the instances and internet hosts converted.
std::vector<FlowSpec> convert_flows(const pb::Scenario& proto, ConversionContext& ctx);

}  // namespace vpcsim::io
