// Network ACLs and their numbered entries, and the VPC's default ACL.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "io/conversion_context.h"
#include "model/network_acl.h"
#include "proto/vpcsim.pb.h"

namespace vpcsim::io {

// Converts every declared ACL and creates the default one ("default-acl", with AWS's
// default entries) when none is marked is_default; sets vpc.default_nacl. Needs the VPC.
void convert_network_acls(const pb::Scenario& proto, ConversionContext& ctx);

// Rule numbers taken in one direction of one ACL -> where.
using NaclNumberUse = std::map<int, std::string>;

// Checks the rule_number of the entry at `path`: given, and within 1-32766; when `used` is
// given, also unused in that direction (and records it). Returns whether it is valid.
bool check_nacl_rule_number(int number, const std::string& path, Diagnostics& diag, NaclNumberUse* used = nullptr);

// The entry at `path`, or nullopt after reporting every problem with it. `used`: as for
// check_nacl_rule_number (timed changes pass none: which numbers are taken depends on when).
std::optional<NaclEntry> convert_nacl_entry(const pb::NaclEntry& e, const std::string& path, ConversionContext& ctx,
                                            NaclNumberUse* used = nullptr);

}  // namespace vpcsim::io
