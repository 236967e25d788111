// Security-group evaluation for one interface and one direction: the union of the allow
// rules of every attached group (AWS VPC User Guide, "Security group rules": "all rules are
// evaluated before deciding"; no rule matched means the traffic is dropped).
#pragma once

#include <optional>
#include <vector>

#include "model/classifier.h"
#include "model/hop.h"
#include "model/network.h"
#include "model/packet.h"

namespace vpcsim {

struct SgDecision {
  bool allowed = false;
  // The deciding rule: of the rules that allow the packet, the first in attachment order
  // (groups as attached to the interface, rules as listed). Verdicts do not depend on it.
  std::optional<SgRuleRef> rule;
};

// The address a rule's peer is compared with: the source for ingress, the destination for
// egress.
inline const IpAddress& peer_address(const Packet& p, Direction d) { return d == Direction::kIngress ? p.src : p.dst; }

// Does `peer` cover `address`? A security-group peer stands for the private addresses of
// every interface carrying that group (EC2 User Guide, "Security group rules"; all private
// IPv4 and IPv6 addresses: assumption A6 of shared/aws-semantics.md). A prefix list stands
// for its entries. An unknown group or list matches nothing (a stale reference).
bool peer_covers(const Network& net, const Peer& peer, const IpAddress& address);

// The reference evaluator: a plain scan over the rules as written. It is the oracle the
// compiled SgFilter is tested against.
SgDecision evaluate_sg_linear(const Network& net, EniId eni, Direction d, const Packet& p);

// The compiled form: peers resolved to address intervals once, then a CompiledClassifier.
// Rebuild it whenever the interface's groups, their rules, group membership or prefix
// lists change.
class SgFilter {
 public:
  SgFilter() = default;
  SgFilter(const Network& net, EniId eni, Direction d);
  SgDecision evaluate(const Packet& p) const;
  std::size_t rule_count() const { return refs_.size(); }
  std::size_t memory_bytes() const { return classifier_.memory_bytes() + refs_.capacity() * sizeof(SgRuleRef); }

 private:
  Direction direction_ = Direction::kIngress;
  CompiledClassifier classifier_;
  std::vector<SgRuleRef> refs_;  // classifier index -> rule
};

// The classifier rules one interface's groups expand to in one direction, with refs[i] the
// SG rule behind index i. Shared by SgFilter and the benchmarks.
std::vector<ClassifierRule> expand_sg_rules(const Network& net, EniId eni, Direction d, std::vector<SgRuleRef>& refs);

// EC2 User Guide, "Security group connection tracking" ("Untracked connections"): a TCP or
// UDP flow is not tracked when a rule open to all addresses (0.0.0.0/0 or ::/0) allows it in
// the direction it was initiated, and a rule open to all addresses allows every port of its
// protocol in the other direction. ICMP and every other protocol are always tracked. A rule
// naming a prefix list or group never counts, even if it covers everything (assumption A5),
// and the two rules may come from different groups on the interface (A4).
bool flow_is_untracked(const Network& net, EniId eni, Direction initiated, const Packet& request);

}  // namespace vpcsim
