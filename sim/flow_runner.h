// Evaluates a scenario's explicit flows under one filtering model and checks their
// expectations. (Flows over simulated time arrive with the discrete-event engine.)
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "model/compiled_filters.h"
#include "model/path_evaluator.h"
#include "model/scenario.h"

namespace vpcsim {

struct FlowOutcome {
  const FlowSpec* flow = nullptr;
  Exchange exchange;
  std::size_t expectations_checked = 0;
  std::size_t expectations_failed = 0;
  std::vector<std::string> failures;  // one sentence per way an expectation failed
};

struct RunReport {
  FilteringModel model = FilteringModel::kStateless;
  std::vector<FlowOutcome> flows;

  std::size_t working() const;
  std::size_t requests_dropped() const;
  std::size_t replies_dropped() const;  // request delivered, reply dropped
  std::size_t expectations_checked() const;
  std::size_t expectations_failed() const;
  bool ok() const { return expectations_failed() == 0; }
};

// The request packet of a flow, as the evaluator sees it.
Packet request_packet(const PathEvaluator& eval, const FlowSpec& flow);

// Runs every flow of the scenario. The scenario must outlive the report (it points into it).
RunReport run_flows(const Scenario& scenario, FilteringModel model);

// One exchange with an already compiled network (the CLI's `explain`).
FlowOutcome run_flow(const Network& net, const CompiledFilters& filters, const FlowSpec& flow, FilteringModel model);

}  // namespace vpcsim
