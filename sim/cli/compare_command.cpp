// `vpcsim compare-modes SCENARIO`: the same traffic under the stateless and the stateful
// model, and the flows whose outcome differs, with why — the side-by-side lesson.
#include <fmt/format.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <iostream>
#include <memory>

#include "io/csv.h"
#include "io/result_files.h"
#include "sim/cli/commands.h"
#include "sim/cli/engine_run.h"
#include "sim/cli/options.h"
#include "sim/results/flow_collector.h"
#include "sim/simulator.h"

namespace vpcsim::cli {

namespace {

struct CompareOptions {
  CommonOptions common;
  EngineOptions engine;
};

// A run's flow records, by id; the collector keeps the network the texts refer to alive.
struct ModeRun {
  std::unique_ptr<Simulator> sim;
  std::unique_ptr<FlowCollector> flows;
  std::vector<const FlowRecord*> by_id;
};

ModeRun run_mode(const Scenario& s, SimulationOptions options, FilteringModel model) {
  options.model = model;
  ModeRun r;
  r.sim = std::make_unique<Simulator>(s, options);
  r.flows = std::make_unique<FlowCollector>(r.sim->network());
  r.sim->add_observer(*r.flows);
  run_with_progress(*r.sim);
  for (const FlowRecord& f : r.flows->flows()) r.by_id.push_back(&f);
  std::ranges::sort(r.by_id, {}, &FlowRecord::id);
  return r;
}

std::string outcome(const FlowCollector& c, const FlowRecord& r) {
  const auto direction = [&](const char* name, const FlowDirectionRecord& d) {
    std::string s = fmt::format("{} {}", name, to_string(d.verdict));
    if (d.first_drop) {
      s += fmt::format(" at {}", to_string(d.first_drop->hop));
      const std::string& rule = c.text(d.first_drop->rule);
      s += rule.empty() ? fmt::format(" ({})", to_string(d.first_drop->reason)) : fmt::format(" ({})", rule);
    }
    return s;
  };
  return direction("request", r.request) + ", " + direction("reply", r.reply);
}

bool same_outcome(const FlowRecord& a, const FlowRecord& b) {
  return a.works == b.works && a.request.verdict == b.request.verdict && a.reply.verdict == b.reply.verdict;
}

// Why the two models disagree, in the terms of the lesson.
std::string why(const FlowRecord& stateless, const FlowRecord& stateful) {
  if (stateless.reply.verdict == DirectionVerdict::kDropped && stateful.reply.verdict == DirectionVerdict::kAllowed) {
    return "the reply is checked against the rules under stateless and passes as part of a tracked connection under "
           "stateful";
  }
  if (stateful.request.verdict == DirectionVerdict::kAllowed && stateless.request.verdict == DirectionVerdict::kDropped) {
    return "later request packets pass under stateful because the connection is tracked";
  }
  return "connection tracking changes which packets the security groups judge by their rules";
}

}  // namespace

CommandRunner add_compare_command(CLI::App& app) {
  auto o = std::make_shared<CompareOptions>();
  CLI::App* cmd = app.add_subcommand("compare-modes", "Run the same traffic under stateless and stateful and list the flows whose outcome differs");
  add_input_options(*cmd, o->common, "Scenario file (.textproto or .json)");
  add_format_option(*cmd, o->common);
  add_engine_options(*cmd, o->engine);
  return [o]() {
    const auto scenario = load_input_or_report(o->common);
    if (!scenario) return int{kExitBadInput};
    const SimulationOptions options = simulation_options(*scenario, o->common, o->engine);
    const ModeRun stateless = run_mode(*scenario, options, FilteringModel::kStateless);
    const ModeRun stateful = run_mode(*scenario, options, FilteringModel::kStateful);
    // The traffic does not depend on the model, so both runs start the same flows.
    const std::size_t n = std::min(stateless.by_id.size(), stateful.by_id.size());
    pb::ModeComparison cmp;
    cmp.set_scenario(scenario->name);
    cmp.set_fidelity(std::string(to_string(options.fidelity)));
    cmp.set_seed(options.seed);
    cmp.set_flows_compared(n);
    std::string table, csv = "id,name,from,to,packet,stateless,stateful,why\n";
    for (std::size_t i = 0; i < n; ++i) {
      const FlowRecord& a = *stateless.by_id[i];
      const FlowRecord& b = *stateful.by_id[i];
      if (same_outcome(a, b)) continue;
      pb::ModeDifference* d = cmp.add_differences();
      *d->mutable_stateless() = io::to_proto(*scenario, *stateless.flows, a);
      *d->mutable_stateful() = io::to_proto(*scenario, *stateful.flows, b);
      d->set_why(why(a, b));
      const std::string name = io::flow_name(*scenario, a);
      table += fmt::format("{} (flow {}): {} -> {}, {}\n  stateless: {}\n  stateful:  {}\n  why: {}\n\n", name, a.id,
                           d->stateless().from(), d->stateless().to(), a.first_packet.to_string(),
                           outcome(*stateless.flows, a), outcome(*stateful.flows, b), d->why());
      io::append_csv_row(csv, std::vector<std::string>{std::to_string(a.id), name, d->stateless().from(), d->stateless().to(), a.first_packet.to_string(),
                               outcome(*stateless.flows, a), outcome(*stateful.flows, b), d->why()});
    }
    switch (o->common.format) {
      case OutputFormat::kTable:
        fmt::print("{}: the same {} flows under both filtering models ({} fidelity)\n\n{}", scenario->name, n,
                   to_string(options.fidelity), table);
        fmt::print("{} of {} flows differ\n", cmp.differences_size(), n);
        break;
      case OutputFormat::kCsv: std::cout << csv; break;
      case OutputFormat::kJson: {
        google::protobuf::util::JsonPrintOptions json;
        json.add_whitespace = true;
        json.preserve_proto_field_names = true;
        std::string text;
        (void)google::protobuf::util::MessageToJsonString(cmp, &text, json);
        std::cout << text;
        break;
      }
    }
    return int{kExitOk};
  };
}

}  // namespace vpcsim::cli
