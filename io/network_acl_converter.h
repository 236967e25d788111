// Network ACLs and their numbered entries, and the VPC's default ACL.
#pragma once

#include "io/conversion_context.h"
#include "proto/vpcsim.pb.h"

namespace vpcsim::io {

// Converts every declared ACL and creates the default one ("default-acl", with AWS's
// default entries) when none is marked is_default; sets vpc.default_nacl. Needs the VPC.
void convert_network_acls(const pb::Scenario& proto, ConversionContext& ctx);

}  // namespace vpcsim::io
