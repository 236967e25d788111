// `vpcsim check SCENARIO|--aws DIR [--junit FILE] [--mode M]`: checks the scenario's
// expectations through the engine and exits 1 when one fails, for CI. Without --mode both
// models run and each expectation is checked under every model it applies to (an
// expectation without a model must hold under both, as the README says).
#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <memory>

#include "io/junit_report.h"
#include "io/result_files.h"
#include "sim/cli/commands.h"
#include "sim/cli/engine_report.h"
#include "sim/cli/engine_run.h"
#include "sim/cli/options.h"
#include "sim/flow_outcomes.h"
#include "sim/simulator.h"

namespace vpcsim::cli {

namespace {

struct CheckOptions {
  CommonOptions common;
  EngineOptions engine;
  std::string junit;
};

// One expectation's result across the models it was checked under.
struct ExpectationResult {
  const FlowSpec* flow = nullptr;
  const Expectation* expectation = nullptr;
  std::vector<std::string> models_checked;
  std::vector<std::string> failures;  // "stateful: reply: expected allowed, got dropped at sg-egress"
  std::vector<std::string> observed;  // "stateful: request allowed (...); reply DROPPED at ..."
};

std::string observed_line(const Network& net, std::string_view model, const ObservedFlow& o) {
  return fmt::format("{}: request {}; reply {}", model, direction_line(net, o.request), direction_line(net, o.reply));
}

}  // namespace

CommandRunner add_check_command(CLI::App& app) {
  auto o = std::make_shared<CheckOptions>();
  CLI::App* cmd = app.add_subcommand("check",
                                     "Check the scenario's expectations (exit 1 when one fails), "
                                     "optionally writing a JUnit XML report for CI");
  add_input_options(*cmd, o->common, "Scenario file (.textproto or .json)");
  cmd->add_option("--junit", o->junit, "Write a JUnit XML report here: one test case per expectation");
  add_mode_option(*cmd, o->common);
  add_engine_options(*cmd, o->engine);
  return [o]() {
    const auto scenario = load_input_or_report(o->common);
    if (!scenario) return int{kExitBadInput};
    std::vector<ExpectationResult> results;
    for (const FlowSpec& f : scenario->flows) {
      for (const Expectation& e : f.expectations) results.push_back({&f, &e, {}, {}, {}});
    }
    if (results.empty()) {
      std::cerr << "error: " << scenario->name << " has no expectations to check: add expect { ... } blocks to its "
                << "flows (an imported AWS dump has none)\n";
      return int{kExitBadInput};
    }
    std::vector<FilteringModel> models{FilteringModel::kStateless, FilteringModel::kStateful};
    if (o->common.mode) models = {*o->common.mode};
    for (const FilteringModel model : models) {
      CommonOptions common = o->common;
      common.mode = model;
      const SimulationOptions options = simulation_options(*scenario, common, o->engine);
      Simulator sim(*scenario, options);
      FlowOutcomes outcomes(*scenario, model);
      sim.add_observer(outcomes);
      sim.run();
      std::vector<const ObservedFlow*> by_flow(scenario->flows.size(), nullptr);
      for (const ObservedFlow* f : outcomes.flows())
        by_flow[static_cast<std::size_t>(f->spec - scenario->flows.data())] = f;
      for (ExpectationResult& r : results) {
        if (!applies(*r.expectation, model)) continue;
        const std::string name(to_string(model));
        r.models_checked.push_back(name);
        const ObservedFlow* seen = by_flow[static_cast<std::size_t>(r.flow - scenario->flows.data())];
        if (seen == nullptr) {
          r.failures.push_back(name + ": the flow never ran (it starts after the horizon)");
          continue;
        }
        r.observed.push_back(observed_line(sim.network(), name, *seen));
        for (const std::string& f : check_expectation(*r.expectation, observe(seen->request), observe(seen->reply))) {
          r.failures.push_back(name + ": " + f);
        }
      }
    }

    io::JunitSuite suite{scenario->name, {}};
    std::size_t checked = 0;
    std::size_t failed = 0;
    for (const ExpectationResult& r : results) {
      const std::string label = fmt::format("{} {}", r.flow->name, r.expectation->field);
      io::JunitCase c{scenario->name + "." + r.flow->name, r.expectation->field, std::nullopt, {}, std::nullopt};
      if (r.models_checked.empty()) {
        c.skipped = "applies to no model that was run";
        fmt::print("skip  {}: applies to no model that was run\n", label);
      } else if (r.failures.empty()) {
        ++checked;
        fmt::print("ok    {} ({})\n", label, fmt::join(r.models_checked, ", "));
      } else {
        ++checked;
        ++failed;
        c.failure_message = fmt::format("{}", fmt::join(r.failures, "; "));
        c.failure_text = fmt::format("{}\n", fmt::join(r.observed, "\n"));
        fmt::print("FAIL  {}: {}\n", label, *c.failure_message);
        for (const std::string& line : r.observed) fmt::print("      {}\n", line);
      }
      suite.cases.push_back(std::move(c));
    }
    fmt::print("expectations: {} checked, {} failed\n", checked, failed);
    if (!o->junit.empty()) {
      // CI jobs name a report directory that may not exist yet.
      const std::filesystem::path parent = std::filesystem::path(o->junit).parent_path();
      std::error_code ec;
      if (!parent.empty()) std::filesystem::create_directories(parent, ec);
      if (auto written = io::write_file_atomically(o->junit, io::junit_xml(suite)); !written) {
        std::cerr << "error: " << written.error().format() << '\n';
        return int{kExitBadInput};
      }
    }
    return failed == 0 ? int{kExitOk} : int{kExitExpectationFailed};
  };
}

}  // namespace vpcsim::cli
