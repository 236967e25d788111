// Rule changes a scenario schedules at simulated times (security-group rules and
// attachments, network-ACL entries and associations), with their references resolved and
// their rules converted by the same code as the network's own.
#pragma once

#include <vector>

#include "io/conversion_context.h"
#include "model/rule_change.h"
#include "proto/vpcsim.pb.h"

namespace vpcsim::io {

// The scenario's changes, sorted by time (stable: changes at one time keep their order).
// Whether a change fits the network when it happens (the rule it removes is there, the rule
// number it adds is free) depends on the changes before it, so the engine reports that; here
// every reference is checked, and a removal that nothing could ever satisfy is reported.
// Needs the whole network converted and ctx.horizon set.
std::vector<TimedChange> convert_changes(const pb::Scenario& proto, ConversionContext& ctx);

}  // namespace vpcsim::io
