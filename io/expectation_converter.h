// What a scenario expects of a flow, and the enums it is written with.
#pragma once

#include <optional>
#include <string>

#include "io/diagnostics.h"
#include "model/scenario.h"
#include "proto/vpcsim.pb.h"

namespace vpcsim::io {

// The filtering model a scenario or an expectation names; nullopt when unspecified or (after
// an error) outside the enum, which JSON can carry as a number.
std::optional<FilteringModel> convert_model(pb::FilteringModel m, const std::string& path, Diagnostics& diag);

// The expectation at `path`, with a dropped_at implying DROPPED; nullopt after reporting
// contradictions or an expectation that checks nothing.
std::optional<Expectation> convert_expectation(const pb::Expectation& e, const std::string& path, Diagnostics& diag);

}  // namespace vpcsim::io
