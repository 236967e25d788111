#include "model/network_acl.h"

#include <algorithm>

namespace vpcsim {

std::string_view to_string(RuleAction a) { return a == RuleAction::kAllow ? "allow" : "deny"; }

void NetworkAcl::sort_entries() {
  const auto by_number = [](const NaclEntry& a, const NaclEntry& b) { return a.number < b.number; };
  std::ranges::stable_sort(ingress, by_number);
  std::ranges::stable_sort(egress, by_number);
}

void add_default_nacl_entries(NetworkAcl& acl, bool vpc_has_ipv6) {
  for (Direction d : {Direction::kIngress, Direction::kEgress}) {
    auto& list = acl.entries(d);
    list.push_back({100, RuleAction::kAllow, TrafficMatch::all(), Cidr::all(Family::kIpv4)});
    if (vpc_has_ipv6) list.push_back({101, RuleAction::kAllow, TrafficMatch::all(), Cidr::all(Family::kIpv6)});
  }
  acl.sort_entries();
}

}  // namespace vpcsim
