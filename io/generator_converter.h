// Generators of synthetic traffic: sessions between groups of endpoints, a scanner probing
// from the internet, and users visiting from the internet (whose hosts this creates).
#pragma once

#include <vector>

#include "io/conversion_context.h"
#include "model/traffic_spec.h"
#include "proto/vpcsim.pb.h"

namespace vpcsim::io {

// The scenario's generators, with their selectors resolved and every parameter checked;
// adds the internet users' hosts to the network (after every selector is resolved, so that
// `internet: true` means the hosts the scenario declares). Needs the network converted and
// ctx.horizon set.
std::vector<GeneratorSpec> convert_generators(const pb::Scenario& proto, ConversionContext& ctx);

}  // namespace vpcsim::io
