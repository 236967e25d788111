// `vpcsim run [SCENARIO]`: evaluates every flow of the scenario in both directions, prints
// the verdicts with hop and rule, and checks the scenario's expectations.
#include <iostream>
#include <memory>

#include "sim/cli/commands.h"
#include "sim/cli/options.h"
#include "sim/cli/report_output.h"
#include "sim/flow_runner.h"

namespace vpcsim::cli {

namespace {

const std::map<std::string, FilteringModel> kModels{{"stateless", FilteringModel::kStateless},
                                                    {"stateful", FilteringModel::kStateful}};
const std::map<std::string, OutputFormat> kFormats{
    {"table", OutputFormat::kTable}, {"json", OutputFormat::kJson}, {"csv", OutputFormat::kCsv}};

}  // namespace

void add_common_options(CLI::App& cmd, CommonOptions& o) {
  cmd.add_option("--mode", o.mode, "Filtering model, overriding the scenario's: stateless or stateful")
      ->transform(CLI::CheckedTransformer(kModels, CLI::ignore_case));
  cmd.add_option("--format", o.format, "Output format: table, json or csv")
      ->transform(CLI::CheckedTransformer(kFormats, CLI::ignore_case));
}

CommandRunner add_run_command(CLI::App& app) {
  auto opts = std::make_shared<CommonOptions>();
  CLI::App* cmd = app.add_subcommand("run", "Evaluate the scenario's flows (request and reply) and check its expectations");
  cmd->add_option("scenario", opts->scenario, "Scenario file (.textproto or .json); the bundled SSH lesson when omitted");
  add_common_options(*cmd, *opts);
  return [opts]() {
    const auto scenario = load_or_report(opts->scenario);
    if (!scenario) return int{kExitBadInput};
    if (const auto note = model_note(*scenario, *opts)) {
      (opts->format == OutputFormat::kTable ? std::cout : std::cerr) << *note << "\n\n";
    }
    const RunReport report = run_flows(*scenario, effective_model(*scenario, *opts));
    print_run(std::cout, *scenario, report, opts->format);
    return report.ok() ? int{kExitOk} : int{kExitExpectationFailed};
  };
}

}  // namespace vpcsim::cli
