#include "sim/flow_runner.h"

#include <algorithm>
#include <stdexcept>

#include "sim/expectations.h"

namespace vpcsim {

std::size_t RunReport::working() const {
  return static_cast<std::size_t>(std::ranges::count_if(flows, [](const FlowOutcome& f) { return f.exchange.works(); }));
}

std::size_t RunReport::requests_dropped() const {
  return static_cast<std::size_t>(
      std::ranges::count_if(flows, [](const FlowOutcome& f) { return !f.exchange.request_delivered(); }));
}

std::size_t RunReport::replies_dropped() const {
  return static_cast<std::size_t>(std::ranges::count_if(
      flows, [](const FlowOutcome& f) { return f.exchange.request_delivered() && !f.exchange.reply_delivered(); }));
}

std::size_t RunReport::expectations_checked() const {
  std::size_t n = 0;
  for (const FlowOutcome& f : flows) n += f.expectations_checked;
  return n;
}

std::size_t RunReport::expectations_failed() const {
  std::size_t n = 0;
  for (const FlowOutcome& f : flows) n += f.expectations_failed;
  return n;
}

Packet request_packet(const PathEvaluator& eval, const FlowSpec& flow) {
  auto p = eval.make_packet(flow.client, flow.server, flow.family, flow.protocol, flow.client_port, flow.server_port,
                            flow.icmp_type, flow.icmp_code);
  // Scenario validation guarantees both ends have an address of the flow's family.
  if (!p) throw std::logic_error("flow " + flow.name + ": " + p.error());
  return *p;
}

FlowOutcome run_flow(const Network& net, const CompiledFilters& filters, const FlowSpec& flow, FilteringModel model) {
  const PathEvaluator eval(net, filters);
  FlowOutcome out{&flow, eval.exchange(flow.client, flow.server, request_packet(eval, flow), model), 0, 0, {}};
  for (const Expectation& e : flow.expectations) {
    if (!applies(e, model)) continue;
    ++out.expectations_checked;
    auto failures = check_expectation(e, out.exchange);
    if (!failures.empty()) ++out.expectations_failed;
    for (std::string& failure : failures) out.failures.push_back(std::move(failure));
  }
  return out;
}

RunReport run_flows(const Scenario& scenario, FilteringModel model) {
  const CompiledFilters filters(scenario.network);
  RunReport report{model, {}};
  report.flows.reserve(scenario.flows.size());
  for (const FlowSpec& flow : scenario.flows) report.flows.push_back(run_flow(scenario.network, filters, flow, model));
  return report;
}

}  // namespace vpcsim
