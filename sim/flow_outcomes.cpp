#include "sim/flow_outcomes.h"

#include <algorithm>

namespace vpcsim {

ObservedDirection observe(const DirectionResult& d) {
  if (!d.sent) return {ExpectedVerdict::kNotSent, std::nullopt};
  if (d.first_drop) return {ExpectedVerdict::kDropped, d.first_drop->hop};
  return {ExpectedVerdict::kAllowed, std::nullopt};
}

void FlowOutcomes::on_flow(const FlowResult& r) {
  if (r.flow->generated) return;
  const FlowSpec& spec = scenario_.flows.at(r.flow->source);
  ObservedFlow o{&spec, r.flow->id, r.flow->start, r.end, r.request, r.reply, 0, 0, {}};
  for (const Expectation& e : spec.expectations) {
    if (!applies(e, model_)) continue;
    ++o.expectations_checked;
    auto failures = check_expectation(e, observe(r.request), observe(r.reply));
    if (!failures.empty()) ++o.expectations_failed;
    for (std::string& f : failures) o.failures.push_back(std::move(f));
  }
  observed_.push_back(std::move(o));
}

std::vector<const ObservedFlow*> FlowOutcomes::flows() const {
  std::vector<const ObservedFlow*> out;
  for (const ObservedFlow& o : observed_) out.push_back(&o);
  std::ranges::sort(out, {}, [this](const ObservedFlow* o) { return o->spec - scenario_.flows.data(); });
  return out;
}

std::size_t FlowOutcomes::expectations_checked() const {
  std::size_t n = 0;
  for (const ObservedFlow& o : observed_) n += o.expectations_checked;
  return n + not_run().size();
}

std::size_t FlowOutcomes::expectations_failed() const {
  std::size_t n = 0;
  for (const ObservedFlow& o : observed_) n += o.expectations_failed;
  return n + not_run().size();
}

std::vector<std::string> FlowOutcomes::not_run() const {
  std::vector<bool> seen(scenario_.flows.size());
  for (const ObservedFlow& o : observed_) seen[static_cast<std::size_t>(o.spec - scenario_.flows.data())] = true;
  std::vector<std::string> out;
  for (std::size_t i = 0; i < scenario_.flows.size(); ++i) {
    const FlowSpec& f = scenario_.flows[i];
    const bool expects = std::ranges::any_of(f.expectations, [this](const Expectation& e) { return applies(e, model_); });
    if (!seen[i] && expects) out.push_back(f.name + ": never ran (it starts after the horizon)");
  }
  return out;
}

}  // namespace vpcsim
