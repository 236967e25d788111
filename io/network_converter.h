// The VPC and its subnets.
#pragma once

#include "io/conversion_context.h"
#include "proto/vpcsim.pb.h"

namespace vpcsim::io {

void convert_vpc(const pb::Scenario& proto, ConversionContext& ctx);

// Needs the VPC and the network ACLs converted.
void convert_subnets(const pb::Scenario& proto, ConversionContext& ctx);

}  // namespace vpcsim::io
