// `vpcsim diff --before A (--after B | --change FILE) [FLOWLOGS...]`: what-if. The same flows
// judged against two rule sets, and the flows whose verdict changes: newly dropped (breakage
// risk) and newly allowed (new exposure), grouped by the rule that makes the difference
// (sim/verdict_diff.h). With flow logs, each record is a flow (replayed as `vpcsim replay`
// does); without, the scenario's own flows and generators run through the engine with the same
// seed.
#include <fmt/format.h>
#include <google/protobuf/util/json_util.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "io/flowlog_diff.h"
#include "io/scenario_converter.h"
#include "io/scenario_format.h"
#include "io/scenario_parser.h"
#include "model/endpoint.h"
#include "model/rule_change.h"
#include "proto/vpcsim.pb.h"
#include "sim/cli/commands.h"
#include "sim/cli/engine_run.h"
#include "sim/cli/options.h"
#include "sim/cli/replay_support.h"
#include "sim/simulator.h"
#include "sim/verdict_diff.h"

namespace vpcsim::cli {

namespace {

enum class FailOn { kNever, kBreakage, kExposure, kAny };

struct DiffOptions {
  CommonOptions common;  // common.scenario is --before
  EngineOptions engine;
  std::string after;
  std::string change;
  std::vector<std::string> flowlogs;
  std::string log_format;
  FailOn fail_on = FailOn::kNever;
  std::size_t examples = 3;
  std::int64_t window = io::kReorderWindowSeconds;
};

// The "after" network: the before scenario with the change file's changes applied at time 0.
// The change file is a scenario fragment holding only `changes { ... }` blocks (the schema's
// Change message), text format or JSON by its extension.
struct AfterScenario {
  Scenario scenario;
  std::vector<std::string> applied;  // describe() of each change
};

std::optional<AfterScenario> apply_change_file(const std::string& before_path, const Scenario& before,
                                               const std::string& change_path) {
  const auto report = [](const Errors& errors) {
    for (const Error& e : errors) std::cerr << "error: " << e.format() << '\n';
  };
  const auto read = [&](const std::string& path) -> std::optional<std::pair<std::string, io::ScenarioFormat>> {
    const auto format = io::format_from_path(path);
    if (!format) {
      report({format.error()});
      return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    if (!in || !(text << in.rdbuf())) {
      report({Error{path, 0, 0, "", "cannot read the file"}});
      return std::nullopt;
    }
    return std::pair{text.str(), *format};
  };
  const auto change_text = read(change_path);
  const auto before_text = read(before_path);
  if (!change_text || !before_text) return std::nullopt;
  auto changes = io::parse_scenario_proto(change_text->first, change_path, change_text->second);
  if (!changes) {
    report(changes.error());
    return std::nullopt;
  }
  pb::Scenario rest = changes->message;
  rest.clear_changes();
  if (rest.ByteSizeLong() != 0) {
    report({Error{change_path, 0, 0, "", "a change file holds only `changes { ... }` blocks"}});
    return std::nullopt;
  }
  if (changes->message.changes_size() == 0) {
    report({Error{change_path, 0, 0, "", "the change file holds no change"}});
    return std::nullopt;
  }
  for (int i = 0; i < changes->message.changes_size(); ++i) {
    if (changes->message.changes(i).at_seconds() != 0) {
      report({Error{change_path, 0, 0, fmt::format("changes[{}].at_seconds", i),
                    "a change file's changes apply at time 0; leave at_seconds out"}});
      return std::nullopt;
    }
  }
  auto parsed_before = io::parse_scenario_proto(before_text->first, before_path, before_text->second);
  if (!parsed_before) {
    report(parsed_before.error());
    return std::nullopt;
  }
  // Converted against the before scenario's network, so ids resolve; field paths
  // "changes[i]" are the change file's, and so are the line numbers.
  pb::Scenario merged = parsed_before->message;
  *merged.mutable_changes() = changes->message.changes();
  auto converted = io::scenario_from_proto(merged, change_path, changes->locations.get());
  if (!converted) {
    report(converted.error());
    return std::nullopt;
  }
  AfterScenario out{before, {}};
  for (const TimedChange& c : converted->changes) {
    const std::string what = describe(out.scenario.network, c.change);
    if (auto applied = apply(out.scenario.network, c.change); !applied) {
      report({Error{change_path, 0, 0, c.field, "cannot apply '" + what + "': " + applied.error()}});
      return std::nullopt;
    }
    out.applied.push_back(what);
  }
  out.scenario.source = change_path;
  return out;
}

std::vector<JudgedFlow> judge_engine(const Scenario& s, const SimulationOptions& options) {
  Simulator sim(s, options);
  JudgedFlowCollector collector(sim.network());
  sim.add_observer(collector);
  run_with_progress(sim);
  return collector.take();
}

pb::VerdictDiffReport to_proto(const VerdictDiff& d) {
  pb::VerdictDiffReport p;
  p.set_compared(d.compared);
  p.set_unchanged(d.unchanged);
  p.set_newly_dropped(d.newly_dropped);
  p.set_newly_allowed(d.newly_allowed);
  p.set_only_before(d.only_before);
  p.set_only_after(d.only_after);
  for (const DiffGroup& g : d.groups) {
    pb::VerdictDiffGroup* q = p.add_groups();
    q->set_change(std::string(to_string(g.change)));
    q->set_direction(g.reply ? "reply" : "request");
    q->set_hop(std::string(to_string(g.hop)));
    q->set_rule(g.rule);
    q->set_previously(g.previously);
    q->set_count(g.count);
    for (const std::string& e : g.examples) q->add_examples(e);
  }
  return p;
}

}  // namespace

namespace {

// A side of the diff as a command input: a directory is an AWS dump (aws ec2 describe-*
// output, as --aws takes it), anything else a scenario file.
CommonOptions side_input(const CommonOptions& common, const std::string& path) {
  CommonOptions in = common;
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    in.aws_dir = path;
    in.scenario.clear();
  } else {
    in.scenario = path;
  }
  return in;
}

}  // namespace

CommandRunner add_diff_command(CLI::App& app) {
  auto o = std::make_shared<DiffOptions>();
  CLI::App* cmd = app.add_subcommand(
      "diff", "What-if: the flows whose verdict changes between two rule sets (newly dropped, newly allowed)");
  cmd->add_option("--before", o->common.scenario, "Scenario before the change, or a directory of AWS CLI JSON (as --aws takes it)")->required();
  auto* after = cmd->add_option("--after", o->after, "Scenario after the change, or a directory of AWS CLI JSON");
  auto* change =
      cmd->add_option("--change", o->change, "Change file (`changes { ... }` blocks) applied to --before at time 0");
  after->excludes(change);
  change->excludes(after);
  cmd->add_option("flowlogs", o->flowlogs,
                  "Flow log files or directories to replay (default: the scenario's own traffic)");
  cmd->add_option("--log-format", o->log_format, "Fields of flow-log files without a header line (as for replay)");
  cmd->add_option("--fail-on", o->fail_on,
                  "Exit 1 on newly dropped flows (breakage), newly allowed ones (exposure), or either")
      ->transform(CLI::CheckedTransformer(
          std::map<std::string, FailOn>{
              {"breakage", FailOn::kBreakage}, {"exposure", FailOn::kExposure}, {"any", FailOn::kAny}},
          CLI::ignore_case));
  cmd->add_option("--examples", o->examples, "Examples shown per group")->capture_default_str();
  cmd->add_option("--reorder-window", o->window,
                  "With flow logs: seconds of record time a record waits for earlier-starting ones (as for replay)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  add_common_options(*cmd, o->common);
  add_engine_options(*cmd, o->engine);
  return [o]() {
    if (o->after.empty() == o->change.empty()) {
      std::cerr << "error: diff needs --after SCENARIO or --change FILE\n";
      return int{kExitBadInput};
    }
    if (o->common.format == OutputFormat::kCsv) {
      std::cerr << "error: diff prints --format table or json\n";
      return int{kExitBadInput};
    }
    const CommonOptions before_input = side_input(o->common, o->common.scenario);
    if (!o->change.empty() && !before_input.aws_dir.empty()) {
      std::cerr << "error: --change applies to a scenario file; import the AWS dump first (vpcsim import aws "
                << o->common.scenario << " -o before.textproto)\n";
      return int{kExitBadInput};
    }
    const auto before = load_replay_scenario(before_input);
    if (!before) return int{kExitBadInput};
    std::optional<AfterScenario> after;
    if (!o->change.empty()) {
      after = apply_change_file(o->common.scenario, *before, o->change);
    } else if (auto s = load_replay_scenario(side_input(o->common, o->after))) {
      after = AfterScenario{std::move(*s), {}};
    }
    if (!after) return int{kExitBadInput};
    const FilteringModel model = effective_model(*before, o->common);
    if (const auto note = model_note(*before, o->common)) std::cerr << *note << '\n';

    VerdictDiff diff;
    if (!o->flowlogs.empty()) {
      // One streaming pass over the records, both rule sets side by side (io/flowlog_stream.h).
      auto stream = open_flowlogs_or_report(o->flowlogs, o->log_format);
      if (!stream) return int{kExitBadInput};
      auto d = io::diff_flowlogs(*stream, before->network, after->scenario.network, model,
                                 io::ReplayStreamOptions{o->window, o->examples});
      print_flowlog_warnings(*stream);
      if (!d) {
        std::cerr << "error: " << d.error().format() << '\n';
        return int{kExitBadInput};
      }
      if (d->out_of_order > 0) {
        std::cerr << "note: " << d->out_of_order << " records started more than the reorder window (" << o->window
                  << " s) before records already replayed; replayed after them\n";
      }
      diff = std::move(d->diff);
    } else {
      // The same options (seed, fidelity, horizon) for both runs, taken from --before.
      SimulationOptions options = simulation_options(*before, o->common, o->engine);
      options.model = model;
      diff = diff_verdicts(judge_engine(*before, options), judge_engine(after->scenario, options), o->examples);
    }

    pb::VerdictDiffReport report = to_proto(diff);
    report.set_before(o->common.scenario);
    report.set_after(o->change.empty() ? o->after : o->change);
    report.set_model(std::string(to_string(model)));
    report.set_traffic(o->flowlogs.empty() ? "scenario traffic" : "flow logs");
    for (const std::string& c : after->applied) report.add_changes(c);
    if (o->common.format == OutputFormat::kJson) {
      google::protobuf::util::JsonPrintOptions json;
      json.add_whitespace = true;
      json.preserve_proto_field_names = true;
      json.always_print_primitive_fields = true;
      std::string text;
      (void)google::protobuf::util::MessageToJsonString(report, &text, json);
      std::cout << text;
    } else {
      fmt::print("What-if: {} -> {} under the {} model, on {}\n", report.before(), report.after(), report.model(),
                 report.traffic());
      for (const std::string& c : after->applied) fmt::print("  change: {}\n", c);
      fmt::print(
          "flows compared: {}; unchanged {}, newly dropped {} (breakage risk), newly allowed {} (new exposure)\n",
          diff.compared, diff.unchanged, diff.newly_dropped, diff.newly_allowed);
      if (diff.only_before + diff.only_after > 0) {
        fmt::print("flows in one run only: {} before, {} after\n", diff.only_before, diff.only_after);
      }
      for (const DiffGroup& g : diff.groups) {
        fmt::print("\n{:>6} {} {} at {}\n", g.count, to_string(g.change), g.reply ? "replies" : "requests",
                   to_string(g.hop));
        fmt::print("         now:    {}\n         before: {}\n", g.rule, g.previously);
        for (const std::string& e : g.examples) fmt::print("         e.g. {}\n", e);
      }
    }
    const bool fail = (o->fail_on == FailOn::kBreakage && diff.breakage()) ||
                      (o->fail_on == FailOn::kExposure && diff.exposure()) ||
                      (o->fail_on == FailOn::kAny && (diff.breakage() || diff.exposure()));
    return fail ? int{kExitExpectationFailed} : int{kExitOk};
  };
}

}  // namespace vpcsim::cli
