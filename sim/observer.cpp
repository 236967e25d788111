#include "sim/observer.h"

#include "model/explain.h"

namespace vpcsim {

std::string DirectionResult::explain_drop(const Network& net) const {
  if (!first_drop) return "";
  return frozen_ && !frozen_->drop.empty() ? frozen_->drop : explain_hop(net, *first_drop, drop_packet);
}

std::string DirectionResult::explain_decision(const Network& net) const {
  if (!decided_by) return "";
  return frozen_ && !frozen_->decision.empty() ? frozen_->decision : explain_hop(net, *decided_by, first_packet);
}

std::string DirectionResult::drop_rule(const Network& net) const {
  if (!first_drop) return "";
  return frozen_ && !frozen_->drop.empty() ? frozen_->drop_rule : describe_rule(net, *first_drop);
}

void DirectionResult::freeze(const Network& net) {
  const bool drop_missing = first_drop && (!frozen_ || frozen_->drop.empty());
  const bool decision_missing = decided_by && (!frozen_ || frozen_->decision.empty());
  if (!drop_missing && !decision_missing) return;
  auto next = frozen_ ? std::make_shared<Frozen>(*frozen_) : std::make_shared<Frozen>();
  if (drop_missing) {
    next->drop = explain_hop(net, *first_drop, drop_packet);
    next->drop_rule = describe_rule(net, *first_drop);
  }
  if (decision_missing) next->decision = explain_hop(net, *decided_by, first_packet);
  frozen_ = std::move(next);
}

}  // namespace vpcsim
