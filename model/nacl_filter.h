// Network-ACL evaluation for one ACL and one direction: entries in ascending number, the
// first that matches decides, else the implicit "*" deny (AWS VPC User Guide, "Network ACL
// rules"). IPv4 entries never match IPv6 packets and vice versa.
#pragma once

#include <optional>
#include <vector>

#include "model/classifier.h"
#include "model/hop.h"
#include "model/network.h"
#include "model/packet.h"

namespace vpcsim {

struct NaclDecision {
  RuleAction action = RuleAction::kDeny;
  std::optional<NaclEntryRef> entry;  // nullopt: the implicit "*" deny
};

// The reference evaluator: a scan in rule-number order. The oracle for NaclFilter.
NaclDecision evaluate_nacl_linear(const Network& net, NaclId acl, Direction d, const Packet& p);

class NaclFilter {
 public:
  NaclFilter() = default;
  NaclFilter(const NetworkAcl& acl, NaclId id, Direction d);
  NaclDecision evaluate(const Packet& p) const;

 private:
  NaclId id_;
  Direction direction_ = Direction::kIngress;
  CompiledClassifier classifier_;
  std::vector<RuleAction> actions_;
};

}  // namespace vpcsim
