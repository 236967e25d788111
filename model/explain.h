// Words for verdicts: how a trace names a rule, a hop's place and why it decided as it did.
#pragma once

#include <string>

#include "model/hop.h"
#include "model/network.h"
#include "model/packet.h"

namespace vpcsim {

std::string describe_peer(const Network& net, const Peer& peer);
// "sg-web ingress #2: tcp 22 from 203.0.113.0/24" (1-based, as a console lists them).
std::string describe_sg_rule(const Network& net, const SgRuleRef& ref);
// "acl-app egress rule 100: allow tcp 1024-65535 to 0.0.0.0/0".
std::string describe_nacl_entry(const Network& net, const NaclEntryRef& ref);
// The rule behind a hop's verdict, or "" when none decided it (tracked, skipped, route).
std::string describe_rule(const Network& net, const HopResult& h);
// Where the hop is: "web (eni-web)" for SG and route hops, "acl-public of subnet-public" for NACLs.
std::string describe_location(const Network& net, const HopResult& h);
// One sentence on why the hop decided as it did, naming the rule.
std::string explain_hop(const Network& net, const HopResult& h, const Packet& p);

}  // namespace vpcsim
