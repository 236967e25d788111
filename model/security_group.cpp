#include "model/security_group.h"

namespace vpcsim {

std::string_view to_string(Direction d) { return d == Direction::kIngress ? "ingress" : "egress"; }

namespace {

void add_egress_all(SecurityGroup& sg, bool vpc_has_ipv6) {
  sg.egress.push_back({"", TrafficMatch::all(), Cidr::all(Family::kIpv4), "AWS default: all outbound IPv4"});
  if (vpc_has_ipv6) sg.egress.push_back({"", TrafficMatch::all(), Cidr::all(Family::kIpv6), "AWS default: all outbound IPv6"});
}

}  // namespace

void add_vpc_default_sg_rules(SecurityGroup& sg, SgId self, bool vpc_has_ipv6) {
  sg.ingress.push_back(SgRule{"", TrafficMatch::all(), self, "AWS default: all traffic from members of this group"});
  add_egress_all(sg, vpc_has_ipv6);
}

void add_new_sg_rules(SecurityGroup& sg, bool vpc_has_ipv6) { add_egress_all(sg, vpc_has_ipv6); }

}  // namespace vpcsim
