// Network ACLs: numbered allow/deny entries per direction, evaluated in ascending number,
// first match wins, then the implicit "*" deny (AWS VPC User Guide, "Control subnet traffic
// with network access control lists"). Stateless: replies need entries of their own.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/cidr.h"
#include "model/security_group.h"
#include "model/traffic_match.h"

namespace vpcsim {

enum class RuleAction : std::uint8_t { kAllow, kDeny };
std::string_view to_string(RuleAction a);

struct NaclEntry {
  static constexpr int kMinNumber = 1;
  static constexpr int kMaxNumber = 32766;  // 32767-65535 are reserved (EC2 API CreateNetworkAclEntry)

  int number = 100;
  RuleAction action = RuleAction::kAllow;
  TrafficMatch traffic;
  Cidr cidr;  // the remote side: source for ingress, destination for egress
};

struct NetworkAcl {
  std::string id;  // "acl-..." or the scenario's name for it
  bool is_default = false;
  std::vector<NaclEntry> ingress;  // kept sorted by number
  std::vector<NaclEntry> egress;   // kept sorted by number

  const std::vector<NaclEntry>& entries(Direction d) const { return d == Direction::kIngress ? ingress : egress; }
  std::vector<NaclEntry>& entries(Direction d) { return d == Direction::kIngress ? ingress : egress; }
  // Restores ascending order after entries were added or replaced.
  void sort_entries();
};

// The VPC's default ACL: rule 100 allows all IPv4, rule 101 all IPv6 when the VPC has IPv6,
// in both directions (VPC User Guide, "Default network ACL").
void add_default_nacl_entries(NetworkAcl& acl, bool vpc_has_ipv6);

}  // namespace vpcsim
