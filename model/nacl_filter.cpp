#include "model/nacl_filter.h"

#include "model/sg_filter.h"

namespace vpcsim {

NaclDecision evaluate_nacl_linear(const Network& net, NaclId acl, Direction d, const Packet& p) {
  // The oracle does not rely on the entries being stored in order: of the matching
  // entries, the lowest rule number decides.
  const auto& entries = net.nacl(acl).entries(d);
  const IpAddress& remote = peer_address(p, d);
  std::optional<std::size_t> first;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (!entries[i].cidr.contains(remote) || !entries[i].traffic.matches(p)) continue;
    if (!first || entries[i].number < entries[*first].number) first = i;
  }
  if (!first) return {RuleAction::kDeny, std::nullopt};
  return {entries[*first].action, NaclEntryRef{acl, d, static_cast<std::uint32_t>(*first)}};
}

NaclFilter::NaclFilter(const NetworkAcl& acl, NaclId id, Direction d) : id_(id), direction_(d) {
  std::vector<ClassifierRule> rules;
  const auto& entries = acl.entries(d);
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const NaclEntry& e = entries[i];
    rules.push_back(to_classifier_rule(e.traffic, e.cidr, static_cast<std::uint32_t>(i)));
    actions_.push_back(e.action);
  }
  classifier_ = CompiledClassifier(rules);
}

NaclDecision NaclFilter::evaluate(const Packet& p) const {
  const auto hit = classifier_.classify(p.family(), p.protocol, p.match_key(), peer_address(p, direction_).value());
  if (!hit) return {RuleAction::kDeny, std::nullopt};
  return {actions_[*hit], NaclEntryRef{id_, direction_, *hit}};
}

}  // namespace vpcsim
