// Changes to a network's filtering that a scenario schedules at a simulated time: the edits
// an engineer makes in the console or through the EC2 API.
#pragma once

#include <expected>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "model/network.h"
#include "model/sim_time.h"

namespace vpcsim {

struct AddSgRule {  // AuthorizeSecurityGroupIngress / ...Egress
  SgId sg;
  Direction direction = Direction::kIngress;
  SgRule rule;
};
struct RemoveSgRule {  // RevokeSecurityGroupIngress / ...Egress: by rule id, or by an identical rule
  SgId sg;
  Direction direction = Direction::kIngress;
  std::string rule_id;          // when set, the rule with this id
  std::optional<SgRule> match;  // otherwise the first rule with the same traffic and peer
};
struct AttachSg {  // ModifyNetworkInterfaceAttribute --groups
  EniId eni;
  SgId sg;
};
struct DetachSg {
  EniId eni;
  SgId sg;
};
struct PutNaclEntry {  // CreateNetworkAclEntry, or ReplaceNetworkAclEntry when `replace`
  NaclId nacl;
  Direction direction = Direction::kIngress;
  NaclEntry entry;
  bool replace = false;
};
struct RemoveNaclEntry {  // DeleteNetworkAclEntry
  NaclId nacl;
  Direction direction = Direction::kIngress;
  int number = 0;
};
struct AssociateNacl {  // ReplaceNetworkAclAssociation
  SubnetId subnet;
  NaclId nacl;
};

using RuleChange = std::variant<AddSgRule, RemoveSgRule, AttachSg, DetachSg, PutNaclEntry, RemoveNaclEntry, AssociateNacl>;

struct TimedChange {
  SimTime at{0};
  RuleChange change;
  std::string description;  // for traces; generated from the change when empty
  std::string field;        // where the scenario wrote it ("changes[2]")
};

// Applies `change` to `net`. Fails, leaving `net` unchanged, when the change does not fit
// the network at that moment (removing a rule that is not there, a NACL rule number already
// used, attaching a group twice, detaching the last group: AWS requires at least one).
std::expected<void, std::string> apply(Network& net, const RuleChange& change);

// Which compiled filters a change invalidates.
bool changes_security_groups(const RuleChange& change);
std::optional<NaclId> changed_nacl(const RuleChange& change);

// "sg-ssh: remove ingress rule ssh-admin", "acl-app: add egress rule 90 deny tcp 22 to 0.0.0.0/0".
std::string describe(const Network& net, const RuleChange& change);

}  // namespace vpcsim
