// The hops a packet crosses between two endpoints and the verdict of each, with its reason
// and the deciding rule: every verdict explains itself.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "model/aws_service.h"
#include "model/ids.h"
#include "model/security_group.h"

namespace vpcsim {

// In AWS order for a request from A to B: A's SG egress, A's subnet NACL outbound, B's subnet
// NACL inbound, B's SG ingress (VPC User Guide, "Compare security groups and network ACLs");
// kRoute is the internet gateway leg for traffic to or from the internet.
enum class Hop : std::uint8_t { kSgEgress, kNaclEgress, kNaclIngress, kSgIngress, kRoute };
std::string_view to_string(Hop h);  // "sg-egress", "nacl-egress", ...
// The number of enumerators of Hop, for arrays indexed by hop. Defined once here: the result
// collectors and the verdict diff both index by hop and may be included together.
inline constexpr std::size_t kHopKinds = 5;  // Hop::kSgEgress .. Hop::kRoute
static_assert(static_cast<std::size_t>(Hop::kRoute) + 1 == kHopKinds);

enum class Outcome : std::uint8_t { kAllowed, kDropped, kSkipped };
std::string_view to_string(Outcome o);  // "allowed", "dropped", "skipped"

enum class Reason : std::uint8_t {
  kRuleAllowed,        // an SG rule or a NACL allow entry matched
  kRuleDenied,         // a NACL deny entry matched
  kNoRuleMatched,      // SG: no rule of any attached group allows it
  kImplicitDeny,       // NACL: no numbered entry matched; the final "*" entry denies
  kTracked,            // stateful model: part of a tracked connection, rules not consulted
  kSameSubnet,         // NACLs are not crossed inside one subnet
  kInternetGateway,    // routed through the internet gateway
  kNoInternetGateway,  // the VPC has no internet gateway
  kNoInternetRoute,    // the subnet's route table has no route to the internet gateway
  kNoPublicAddress,    // the interface has no public IPv4 (or no IPv6) address
  // Traffic between the interface and an AWS service that security groups and network ACLs
  // never filter (model/aws_service.h): the hop is passed without consulting any rule.
  kNeverFiltered,
};
std::string_view to_string(Reason r);

struct SgRuleRef {
  SgId sg;
  Direction direction = Direction::kIngress;
  std::uint32_t index = 0;  // position in the group's rule list for that direction
  friend bool operator==(const SgRuleRef&, const SgRuleRef&) = default;
};

struct NaclEntryRef {
  NaclId nacl;
  Direction direction = Direction::kIngress;
  std::uint32_t index = 0;  // position in the ACL's sorted entry list for that direction
  friend bool operator==(const NaclEntryRef&, const NaclEntryRef&) = default;
};

struct HopResult {
  Hop hop = Hop::kSgEgress;
  Outcome outcome = Outcome::kAllowed;
  Reason reason = Reason::kRuleAllowed;
  std::optional<EniId> eni;        // SG hops and the route hop
  std::optional<SubnetId> subnet;  // NACL hops
  std::optional<NaclId> nacl;      // NACL hops
  std::optional<SgRuleRef> sg_rule;
  std::optional<NaclEntryRef> nacl_entry;
  // Stateful model: the SG judged this reply by its rules because the connection is
  // untracked (open to all addresses in both directions; EC2 User Guide, "Security group
  // connection tracking").
  bool untracked = false;
  // Reason::kNeverFiltered: the service at the far end.
  std::optional<AwsService> service;

  bool dropped() const { return outcome == Outcome::kDropped; }
  bool is_security_group() const { return hop == Hop::kSgEgress || hop == Hop::kSgIngress; }
};

}  // namespace vpcsim
