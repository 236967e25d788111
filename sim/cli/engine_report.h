// The human-readable report of an engine run: the scenario's flows with their verdicts both
// ways, the rule changes, totals, a compact text chart over simulated time, and rule hits.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "model/scenario.h"
#include "sim/cli/engine_run.h"
#include "sim/flow_outcomes.h"
#include "sim/results/rule_hit_collector.h"
#include "sim/results/summary_collector.h"
#include "sim/results/time_series_collector.h"
#include "sim/simulator.h"

namespace vpcsim::cli {

struct EngineReport {
  const Scenario& scenario;
  const Simulator& sim;
  const FlowOutcomes& outcomes;
  const SummaryCollector& summary;
  const TimeSeriesCollector& series;
  const RuleHitCollector& hits;
  const ChangeLog& changes;
};

void print_engine_table(std::ostream& out, const EngineReport& r);

// Allowed and dropped packets per direction over time, one character per column, scaled
// to the largest value of the chart: the at-a-glance view of `vpcsim run`.
std::string text_chart(const std::vector<TimeBucket>& buckets, SimTime width, std::size_t max_columns = 60);

// One line for a direction of an observed flow: "allowed (sg-ingress: ...)" or
// "DROPPED at sg-egress of web (eni-web): ...", with packet counts when there were several.
std::string direction_line(const Network& net, const DirectionResult& d);

}  // namespace vpcsim::cli
