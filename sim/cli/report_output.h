// Printing results: a readable table for people, JSON (the schema's RunResult) and CSV for
// tools.
#pragma once

#include <ostream>

#include "model/scenario.h"
#include "sim/cli/options.h"
#include "sim/flow_runner.h"

namespace vpcsim::cli {

void print_run(std::ostream& out, const Scenario& s, const RunReport& r, OutputFormat f);
// A hop-by-hop trace of one exchange, both directions.
void print_trace(std::ostream& out, const Scenario& s, const FlowOutcome& o, FilteringModel model, OutputFormat f);

}  // namespace vpcsim::cli
