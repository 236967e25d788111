#include "sim/observer.h"

#include "model/explain.h"

namespace vpcsim {

std::string DirectionResult::explain_drop(const Network& net) const {
  if (!first_drop) return "";
  return frozen_drop.empty() ? explain_hop(net, *first_drop, drop_packet) : frozen_drop;
}

std::string DirectionResult::explain_decision(const Network& net) const {
  if (!decided_by) return "";
  return frozen_decision.empty() ? explain_hop(net, *decided_by, first_packet) : frozen_decision;
}

std::string DirectionResult::drop_rule(const Network& net) const {
  if (!first_drop) return "";
  return frozen_drop.empty() ? describe_rule(net, *first_drop) : frozen_drop_rule;
}

void DirectionResult::freeze(const Network& net) {
  if (first_drop && frozen_drop.empty()) {
    frozen_drop = explain_hop(net, *first_drop, drop_packet);
    frozen_drop_rule = describe_rule(net, *first_drop);
  }
  if (decided_by && frozen_decision.empty()) frozen_decision = explain_hop(net, *decided_by, first_packet);
}

}  // namespace vpcsim
