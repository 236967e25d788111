// Converts a parsed scenario message into the domain model, validating everything a
// scenario can get wrong and reporting every problem at once. Importers of other formats
// (AWS JSON) build a pb::Scenario and reuse this.
#pragma once

#include <expected>
#include <string>

#include "io/source_locations.h"
#include "model/cidr.h"
#include "model/error.h"
#include "model/scenario.h"
#include "proto/vpcsim.pb.h"

namespace vpcsim::io {

struct ConversionOptions {
  // CIDRs of rules, ACL entries and prefix lists with host bits set: hand-written scenarios
  // reject them (usually a typo); an AWS importer canonicalises them as AWS does.
  Cidr::HostBits rule_host_bits = Cidr::HostBits::kReject;
};

// `file_label` names the source in errors and becomes Scenario::source (and the scenario's
// name when it has none: the label's stem). `locations` (may be null) gives errors a line
// and column.
std::expected<Scenario, Errors> scenario_from_proto(const pb::Scenario& proto, const std::string& file_label,
                                                    const SourceLocator* locations = nullptr,
                                                    const ConversionOptions& options = {});

}  // namespace vpcsim::io
