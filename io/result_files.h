// The results of a simulation run as files and as the schema's SimulationResult: totals, the
// time series, rule hits and (when asked for) one record per flow, as CSV, JSON and binary
// protobuf. Every file is written atomically: readers (the GUI polling a run directory) see
// the previous file or the new one, never a part.
#pragma once

#include <expected>
#include <filesystem>
#include <string>
#include <string_view>

#include "model/error.h"
#include "model/scenario.h"
#include "proto/vpcsim.pb.h"
#include "sim/results/flow_collector.h"
#include "sim/results/rule_hit_collector.h"
#include "sim/results/summary_collector.h"
#include "sim/results/time_series_collector.h"

namespace vpcsim::io {

// What a run produced. A collector left null was not run, and its file is not written.
struct SimulationOutputs {
  const Scenario* scenario = nullptr;  // required: its name, flow and generator names, endpoint labels
  // How it ran (SimulationOptions' fields; the fidelity as to_string(Fidelity) gives it).
  FilteringModel model = FilteringModel::kStateless;
  std::string fidelity = "flow";  // "flow" | "packet"
  std::uint64_t seed = 1;
  SimTime horizon{0};                         // 0: until every flow had finished
  const SummaryCollector* summary = nullptr;  // required
  const TimeSeriesCollector* time_series = nullptr;
  const RuleHitCollector* rule_hits = nullptr;
  const FlowCollector* flows = nullptr;
};

pb::TrafficCounts to_proto(const TrafficCounts& c);
pb::TimeSeries to_proto(const TimeSeriesCollector& ts);
pb::RuleHit to_proto(const RuleHit& h);
pb::FlowRecord to_proto(const Scenario& scenario, const FlowCollector& flows, const FlowRecord& r);
// Everything in `out`; per-flow records only when `include_flows` (and out.flows is set).
pb::SimulationResult to_simulation_result(const SimulationOutputs& out, bool include_flows);

// The name a flow record goes by: its scenario flow's, or its generator's.
std::string flow_name(const Scenario& scenario, const FlowRecord& r);

// The CSV files, each with a header row; times in seconds (seconds_text).
std::string time_series_csv(const TimeSeriesCollector& ts);
std::string rule_hits_csv(const RuleHitCollector& hits);
std::string flows_csv(const Scenario& scenario, const FlowCollector& flows);

// Writes into `dir`, creating it when missing:
//   summary.json    SimulationResult without time series, rule hits and flows
//   timeseries.csv  when out.time_series is set
//   rule_hits.csv   when out.rule_hits is set
//   flows.csv       when include_flows and out.flows is set
//   result.json     the whole SimulationResult (field names as in the schema)
//   result.pb       the same, binary
// Stops at the first failure, with an Error naming the file and the system's reason; the
// files written before it stay, each complete.
std::expected<void, Error> write_results(const std::filesystem::path& dir, const SimulationOutputs& out,
                                         bool include_flows);

// Writes `content` to `file` through "<file>.tmp.<pid>" in the same directory, flushed to disk,
// then renamed over `file`. On failure no temporary file is left behind.
std::expected<void, Error> write_file_atomically(const std::filesystem::path& file, std::string_view content);

}  // namespace vpcsim::io
