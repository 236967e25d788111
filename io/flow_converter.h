// Flows between endpoints and what a scenario expects of them.
#pragma once

#include <cstdint>
#include <vector>

#include "io/conversion_context.h"
#include "model/scenario.h"
#include "proto/vpcsim.pb.h"

namespace vpcsim::io {

// What a packet carries when a scenario gives packet counts but no byte counts (the proto's
// documented default, for flows and generators alike).
inline constexpr std::uint32_t kDefaultBytesPerPacket = 500;

// Needs the instances and internet hosts converted, and ctx.horizon set.
std::vector<FlowSpec> convert_flows(const pb::Scenario& proto, ConversionContext& ctx);

}  // namespace vpcsim::io
