// Managed prefix lists and security groups: declared in a first pass so that rules can
// refer to groups written after them, then their rules converted in a second.
#pragma once

#include <optional>
#include <string>

#include "io/conversion_context.h"
#include "model/security_group.h"
#include "proto/vpcsim.pb.h"

namespace vpcsim::io {

void convert_prefix_lists(const pb::Scenario& proto, ConversionContext& ctx);

// Creates every declared group, without rules, and the VPC's default group when no group is
// named "default"; sets vpc.default_sg. Needs the VPC converted.
void declare_security_groups(const pb::Scenario& proto, ConversionContext& ctx);

// Adds to each declared group the rules its `defaults` asks for, then the written rules.
// Needs the prefix lists and every group declared.
void convert_security_group_rules(const pb::Scenario& proto, ConversionContext& ctx);

// The rule at `path` (its traffic fields and its peer), or nullopt after reporting every
// problem with it. Groups and prefix lists it names must be declared. Also converts the rules
// that timed changes add or remove.
std::optional<SgRule> convert_sg_rule(const pb::SgRule& r, const std::string& path, ConversionContext& ctx);

}  // namespace vpcsim::io
