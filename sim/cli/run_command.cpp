// `vpcsim run [SCENARIO]`: runs the scenario over simulated time through the engine, prints
// the scenario's flows with their verdicts both ways, the totals and a text chart, checks
// the expectations, and with --out writes the result files.
#include <fmt/format.h>
#include <google/protobuf/util/json_util.h>

#include <cmath>
#include <iostream>
#include <memory>

#include "io/result_files.h"
#include "sim/cli/commands.h"
#include "sim/cli/engine_report.h"
#include "sim/cli/engine_run.h"
#include "sim/cli/options.h"
#include "sim/flow_outcomes.h"
#include "sim/results/flow_collector.h"
#include "sim/results/rule_hit_collector.h"
#include "sim/results/summary_collector.h"
#include "sim/results/time_series_collector.h"
#include "sim/simulator.h"

namespace vpcsim::cli {

namespace {

const std::map<std::string, FilteringModel> kModels{{"stateless", FilteringModel::kStateless},
                                                    {"stateful", FilteringModel::kStateful}};
const std::map<std::string, OutputFormat> kFormats{
    {"table", OutputFormat::kTable}, {"json", OutputFormat::kJson}, {"csv", OutputFormat::kCsv}};

struct RunOptions {
  CommonOptions common;
  EngineOptions engine;
  std::optional<double> bucket_seconds;
  std::string out_dir;
  bool flows = false;
};

// Sixty columns over the horizon, or one-second buckets when the run has none.
SimTime bucket_width(const RunOptions& o, const SimulationOptions& sim) {
  if (o.bucket_seconds) return SimTime(std::max<std::int64_t>(1, std::llround(*o.bucket_seconds * 1e9)));
  if (sim.horizon > SimTime{0}) return std::max(sim.horizon / 60, SimTime(1'000'000));
  return seconds(1);
}

}  // namespace

void add_mode_option(CLI::App& cmd, CommonOptions& o) {
  cmd.add_option("--mode", o.mode, "Filtering model, overriding the scenario's: stateless or stateful")
      ->transform(CLI::CheckedTransformer(kModels, CLI::ignore_case))
      ->option_text("stateless|stateful");
}

void add_format_option(CLI::App& cmd, CommonOptions& o) {
  cmd.add_option("--format", o.format, "Output format: table, json or csv")
      ->transform(CLI::CheckedTransformer(kFormats, CLI::ignore_case))
      ->option_text("table|json|csv");
}

void add_common_options(CLI::App& cmd, CommonOptions& o) {
  add_mode_option(cmd, o);
  add_format_option(cmd, o);
}

CommandRunner add_run_command(CLI::App& app) {
  auto o = std::make_shared<RunOptions>();
  CLI::App* cmd = app.add_subcommand("run", "Run the scenario over simulated time: verdicts both ways, totals, a chart");
  o->common.scenario_required = false;
  add_input_options(*cmd, o->common, "Scenario file (.textproto or .json); the bundled SSH lesson when omitted");
  add_common_options(*cmd, o->common);
  add_engine_options(*cmd, o->engine);
  cmd->add_option("--bucket", o->bucket_seconds, "Width of a time-series bucket in seconds (default: horizon/60, else 1)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--out", o->out_dir, "Write summary.json, result.json, result.pb, timeseries.csv, rule_hits.csv "
                                       "(and flows.csv with --flows) into this directory");
  cmd->add_flag("--flows", o->flows, "Keep every flow's result (flows.csv; memory grows with the number of flows)");
  return [o]() {
    const auto scenario = load_input_or_report(o->common);
    if (!scenario) return int{kExitBadInput};
    if (const auto note = model_note(*scenario, o->common)) {
      (o->common.format == OutputFormat::kTable ? std::cout : std::cerr) << *note << "\n\n";
    }
    const SimulationOptions options = simulation_options(*scenario, o->common, o->engine);
    Simulator sim(*scenario, options);
    FlowOutcomes outcomes(*scenario, options.model);
    SummaryCollector summary;
    TimeSeriesCollector series(bucket_width(*o, options));
    RuleHitCollector hits(sim.network());
    ChangeLog changes;
    const bool keep_flows = o->flows || o->common.format == OutputFormat::kCsv;
    std::optional<FlowCollector> flows;
    if (keep_flows) flows.emplace(sim.network());
    for (Observer* obs : std::initializer_list<Observer*>{&outcomes, &summary, &series, &hits, &changes}) sim.add_observer(*obs);
    if (flows) sim.add_observer(*flows);
    run_with_progress(sim);
    if (options.horizon > SimTime{0}) series.extend_to(options.horizon);

    const io::SimulationOutputs outputs{&*scenario, options.model, std::string(to_string(options.fidelity)), options.seed,
                                        options.horizon, &summary, &series, &hits, flows ? &*flows : nullptr};
    switch (o->common.format) {
      case OutputFormat::kTable:
        print_engine_table(std::cout, {*scenario, sim, outcomes, summary, series, hits, changes});
        break;
      case OutputFormat::kCsv: std::cout << io::flows_csv(*scenario, *flows); break;
      case OutputFormat::kJson: {
        google::protobuf::util::JsonPrintOptions json;
        json.add_whitespace = true;
        json.preserve_proto_field_names = true;
        std::string text;
        (void)google::protobuf::util::MessageToJsonString(io::to_simulation_result(outputs, keep_flows), &text, json);
        std::cout << text;
        break;
      }
    }
    if (!o->out_dir.empty()) {
      if (auto written = io::write_results(o->out_dir, outputs, keep_flows); !written) {
        std::cerr << "error: " << written.error().format() << '\n';
        return int{kExitBadInput};
      }
      if (o->common.format == OutputFormat::kTable) std::cout << "results written to " << o->out_dir << '\n';
    }
    for (const std::string& f : outcomes.not_run()) {
      if (o->common.format != OutputFormat::kTable) std::cerr << "expectation FAILED: " << f << '\n';
    }
    return outcomes.expectations_failed() == 0 ? int{kExitOk} : int{kExitExpectationFailed};
  };
}

}  // namespace vpcsim::cli
