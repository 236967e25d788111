// `vpcsim replay SCENARIO FLOWLOGS... [--emit-flowlog OUT]`: VPC Flow Log records replayed
// through the scenario's filters, the simulated action of each compared with the recorded one,
// and the records written back as a flow log of the same format (README, "Replaying VPC Flow
// Logs").
#include <fmt/format.h>
#include <google/protobuf/util/json_util.h>

#include <iostream>
#include <memory>
#include <utility>

#include "io/flowlog_replay.h"
#include "io/result_files.h"
#include "proto/vpcsim.pb.h"
#include "sim/cli/commands.h"
#include "sim/cli/options.h"
#include "sim/cli/replay_support.h"

namespace vpcsim::cli {

namespace {

struct ReplayOptions {
  CommonOptions common;
  std::vector<std::string> flowlogs;
  std::string emit;
  std::string log_format;
  bool fail_on_disagreement = false;
  std::size_t examples = 3;
  std::int64_t window = io::kReorderWindowSeconds;
};

pb::ReplayReport to_proto(const io::ReplayReport& r, const std::string& scenario, const std::string& output) {
  pb::ReplayReport p;
  p.set_scenario(scenario);
  p.set_model(std::string(to_string(r.model)));
  p.set_files(r.files);
  p.set_header_lines(r.header_lines);
  p.set_records_read(r.records_read);
  p.set_replayed(r.replayed);
  p.set_skipped(r.skipped);
  p.set_simulated_accept(r.simulated_accept);
  p.set_simulated_reject(r.simulated_reject);
  p.set_compared(r.compared);
  p.set_agree(r.agree);
  p.set_disagree(r.disagree);
  for (const io::Disagreement& d : r.disagreements) {
    pb::ReplayDisagreement* q = p.add_disagreements();
    q->set_hop(std::string(to_string(d.hop)));
    q->set_rule(d.rule);
    q->set_recorded(std::string(to_string(d.recorded)));
    q->set_simulated(d.simulated_accept ? "ACCEPT" : "REJECT");
    q->set_count(d.count);
    for (const std::string& e : d.examples) q->add_examples(e);
  }
  for (std::size_t i = 0; i < kSkipReasons; ++i) {
    const io::SkipSummary& s = r.skips[i];
    if (s.count == 0) continue;
    pb::ReplaySkip* q = p.add_skips();
    q->set_reason(std::string(to_string(static_cast<SkipReason>(i))));
    q->set_count(s.count);
    for (const std::string& e : s.examples) q->add_examples(e);
  }
  p.set_output(output);
  p.set_out_of_order(r.out_of_order);
  p.set_reorder_window_seconds(r.reorder_window);
  return p;
}

void print_table(const io::ReplayReport& r, const std::string& scenario, const std::string& output) {
  fmt::print("Replayed flow logs against {} under the {} model\n", scenario, to_string(r.model));
  fmt::print("records read: {} = {} replayed + {} skipped ({} files, {} header lines)\n", r.records_read, r.replayed,
             r.skipped, r.files, r.header_lines);
  fmt::print("simulated: {} ACCEPT, {} REJECT\n", r.simulated_accept, r.simulated_reject);
  if (r.compared == 0) {
    fmt::print("agreement: no replayed record has a recorded action to compare\n");
  } else {
    fmt::print("agreement: {} of {} records agree ({:.1f}%), {} disagree\n", r.agree, r.compared,
               100.0 * static_cast<double>(r.agree) / static_cast<double>(r.compared), r.disagree);
  }
  if (r.out_of_order > 0) {
    fmt::print(
        "out of order: {} records started more than the reorder window ({} s) before records already replayed; "
        "replayed after them\n",
        r.out_of_order, r.reorder_window);
  }
  if (!r.disagreements.empty()) fmt::print("\ndisagreements by cause:\n");
  for (const io::Disagreement& d : r.disagreements) {
    fmt::print("  {:>6}  recorded {}, simulated {} at {}: {}\n", d.count, to_string(d.recorded),
               d.simulated_accept ? "ACCEPT" : "REJECT", to_string(d.hop), d.rule);
    fmt::print("          e.g. {}\n", fmt::join(d.examples, ", "));
  }
  if (r.skipped > 0) fmt::print("\nskipped records by reason:\n");
  for (std::size_t i = 0; i < kSkipReasons; ++i) {
    const io::SkipSummary& s = r.skips[i];
    if (s.count == 0) continue;
    fmt::print("  {:>6}  {}: e.g. {}\n", s.count, to_string(static_cast<SkipReason>(i)), fmt::join(s.examples, ", "));
  }
  if (!output.empty()) fmt::print("\nwrote {}\n", output);
}

}  // namespace

CommandRunner add_replay_command(CLI::App& app) {
  auto o = std::make_shared<ReplayOptions>();
  CLI::App* cmd = app.add_subcommand(
      "replay",
      "Replay VPC Flow Log records through the scenario's filters and compare the actions with the recorded ones");
  add_input_options(*cmd, o->common, "Scenario file (.textproto or .json), unless --aws DIR is given");
  cmd->add_option("flowlogs", o->flowlogs, "Flow log files or directories (plain or .gz)");
  cmd->add_option("--emit-flowlog", o->emit, "Write the records with the simulated action and the vpcsim columns here");
  cmd->add_option("--log-format", o->log_format,
                  "Fields of files without a header line, as AWS's --log-format ('${version} ${srcaddr} ...') or plain "
                  "names (default: the version 2 format)");
  cmd->add_flag("--fail-on-disagreement", o->fail_on_disagreement,
                "Exit 1 when a simulated action differs from the recorded one");
  cmd->add_option("--examples", o->examples, "file:line examples shown per group")->capture_default_str();
  cmd->add_option("--reorder-window", o->window,
                  "Seconds of record time a record waits for earlier-starting ones before it is replayed")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  add_common_options(*cmd, o->common);
  return [o]() {
    if (o->common.format == OutputFormat::kCsv) {
      std::cerr << "error: replay prints --format table or json; the records themselves go to --emit-flowlog\n";
      return int{kExitBadInput};
    }
    // With --aws, the first positional is a flow log, not a scenario.
    if (!o->common.aws_dir.empty() && !o->common.scenario.empty()) {
      o->flowlogs.insert(o->flowlogs.begin(), std::exchange(o->common.scenario, {}));
    }
    if (o->flowlogs.empty()) {
      std::cerr << "error: replay needs flow log files or directories after the scenario\n";
      return int{kExitBadInput};
    }
    const auto scenario = load_replay_scenario(o->common);
    if (!scenario) return int{kExitBadInput};
    auto stream = open_flowlogs_or_report(o->flowlogs, o->log_format);
    if (!stream) return int{kExitBadInput};
    const FilteringModel model = effective_model(*scenario, o->common);
    if (const auto note = model_note(*scenario, o->common)) std::cerr << *note << '\n';
    // One pass: lines are read, replayed through the reorder window and written (in input
    // order) as they are decided; the output appears by rename only when all went well.
    std::optional<io::AtomicFileWriter> out;
    std::optional<Error> write_error;
    if (!o->emit.empty()) {
      auto w = io::AtomicFileWriter::create(o->emit);
      if (!w) {
        std::cerr << "error: " << w.error().format() << '\n';
        return int{kExitBadInput};
      }
      out.emplace(std::move(*w));
      if (auto a = out->append(io::emit_header(stream->format(), stream->any_header())); !a) write_error = a.error();
    }
    std::string line_out;
    std::vector<std::string_view> scratch;
    io::DecidedLineSink sink;
    if (out) {
      sink = [&](std::string_view line, const io::RecordResult& r, const std::vector<std::string>& rules) {
        if (write_error) return;
        line_out.clear();
        io::append_emitted_line(line_out, stream->format(), scratch, line, r, rules);
        if (auto a = out->append(line_out); !a) write_error = a.error();
      };
    }
    io::ReplayStream replay(stream->format(), stream->paths(), scenario->network, model,
                            io::ReplayStreamOptions{o->window, o->examples}, std::move(sink));
    while (true) {
      auto line = stream->next();
      if (!line) {
        print_flowlog_warnings(*stream);
        std::cerr << "error: " << line.error().format() << '\n';
        return int{kExitBadInput};
      }
      if (!*line) break;
      replay.add(**line);
      if (write_error) break;
    }
    print_flowlog_warnings(*stream);
    io::ReplayRun run;
    run.report = replay.finish();
    run.report.files = stream->paths().size();
    run.report.header_lines = stream->header_lines();
    if (!write_error && out) {
      if (auto c = out->commit(); !c) write_error = c.error();
    }
    if (write_error) {
      std::cerr << "error: " << write_error->format() << '\n';
      return int{kExitBadInput};
    }
    if (o->common.format == OutputFormat::kJson) {
      google::protobuf::util::JsonPrintOptions json;
      json.add_whitespace = true;
      json.preserve_proto_field_names = true;
      json.always_print_primitive_fields = true;
      std::string text;
      (void)google::protobuf::util::MessageToJsonString(to_proto(run.report, scenario->name, o->emit), &text, json);
      std::cout << text;
    } else {
      print_table(run.report, scenario->name, o->emit);
    }
    return o->fail_on_disagreement && run.report.disagree > 0 ? int{kExitExpectationFailed} : int{kExitOk};
  };
}

}  // namespace vpcsim::cli
