// Security groups: allow-only rule lists for ingress and egress (AWS VPC User Guide,
// "Security group rules"). All rules of all groups on an interface form one union; order
// does not matter for the verdict.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "model/cidr.h"
#include "model/ids.h"
#include "model/traffic_match.h"

namespace vpcsim {

enum class Direction : std::uint8_t { kIngress, kEgress };
std::string_view to_string(Direction d);
constexpr Direction opposite(Direction d) { return d == Direction::kIngress ? Direction::kEgress : Direction::kIngress; }

// The other end a rule names: a CIDR block (IPv4 or IPv6), a managed prefix list, or a
// security group, meaning the private addresses of every interface that carries it
// (EC2 User Guide, "Security group rules": not their public or Elastic IPs).
using Peer = std::variant<Cidr, PrefixListId, SgId>;

struct SgRule {
  std::string id;  // "sgr-..." when imported or given; otherwise generated from its position
  TrafficMatch traffic;
  Peer peer;
  std::string description;
};

struct SecurityGroup {
  std::string id;    // "sg-..." or the scenario's name for it
  std::string name;  // the GroupName; "default" for the VPC's default group
  std::string description;
  std::vector<SgRule> ingress;
  std::vector<SgRule> egress;

  const std::vector<SgRule>& rules(Direction d) const { return d == Direction::kIngress ? ingress : egress; }
  std::vector<SgRule>& rules(Direction d) { return d == Direction::kIngress ? ingress : egress; }
  bool is_vpc_default() const { return name == "default"; }
};

// The rules AWS gives a security group it creates, added to what a scenario writes.
// VPC User Guide, "Default security groups for your VPCs": inbound all traffic from the
// group itself; outbound all traffic to 0.0.0.0/0, and to ::/0 when the VPC has IPv6.
void add_vpc_default_sg_rules(SecurityGroup& sg, SgId self, bool vpc_has_ipv6);
// VPC User Guide, "Security groups": a new group has no inbound rules and allows all
// outbound traffic. The ::/0 rule when the VPC has IPv6 is assumption A7 of
// shared/aws-semantics.md (AWS's text says "all outbound traffic").
void add_new_sg_rules(SecurityGroup& sg, bool vpc_has_ipv6);

}  // namespace vpcsim
