// Instances with their network interfaces, and hosts on the internet: the ends of flows.
#pragma once

#include "io/conversion_context.h"
#include "proto/vpcsim.pb.h"

namespace vpcsim::io {

// Needs the VPC, the subnets and the security groups converted.
void convert_instances(const pb::Scenario& proto, ConversionContext& ctx);

// Needs the VPC converted (and the instances, for the shared endpoint names).
void convert_internet_hosts(const pb::Scenario& proto, ConversionContext& ctx);

}  // namespace vpcsim::io
