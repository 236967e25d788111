// Replaying a set of flow-log files through a network (sim/replay.h decides each record) and
// writing the result as a flow log of the same format: the contract of `vpcsim replay`
// (README.md, "Replaying VPC Flow Logs").
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "io/flowlog_reader.h"
#include "model/hop.h"
#include "sim/replay.h"

namespace vpcsim::io {

// The extra columns appended to every output record, in this order.
inline constexpr std::string_view kReplayColumns = "vpcsim-action vpcsim-recorded-action vpcsim-hop vpcsim-rule";

// One input line (FlowLogSet::lines, same index) after the replay.
struct RecordResult {
  bool replayed = false;
  SkipReason skipped = SkipReason::kBlankLine;  // when not replayed
  bool replay_skipped = false;                  // parsed, but the replay could not place it
  bool accepted = false;                        // the simulated action
  RecordedAction recorded = RecordedAction::kNone;
  Hop hop = Hop::kSgIngress;  // the deciding hop (ReplayDecision::deciding_hop)
  std::uint32_t rule = 0;     // index into ReplayRun::rules
};

struct Disagreement {
  Hop hop = Hop::kSgIngress;
  std::string rule;  // decision_text of the deciding hop
  RecordedAction recorded = RecordedAction::kNone;
  bool simulated_accept = false;
  std::uint64_t count = 0;
  std::vector<std::string> examples;  // "file:line", the first few in file order
};

struct SkipSummary {
  std::uint64_t count = 0;
  // "file:line", followed for a bad field by what it holds ("file:line (srcport 'x')") and for
  // an interface problem by the interface ("file:line (eni-0abc)").
  std::vector<std::string> examples;
};

struct ReplayReport {
  FilteringModel model = FilteringModel::kStateful;
  std::uint64_t files = 0;
  std::uint64_t header_lines = 0;
  std::uint64_t records_read = 0;  // every line that is not a header: = replayed + skipped
  std::uint64_t replayed = 0;
  std::uint64_t skipped = 0;
  std::uint64_t simulated_accept = 0;
  std::uint64_t simulated_reject = 0;
  std::uint64_t compared = 0;  // replayed records that have a recorded ACCEPT or REJECT
  std::uint64_t agree = 0;
  std::uint64_t disagree = 0;
  std::array<SkipSummary, kSkipReasons> skips;
  // Records that reached the replay after a record with a later replay_order key had been
  // replayed (io/flowlog_stream.h: they were out of order by more than the reorder window).
  std::uint64_t out_of_order = 0;
  std::int64_t reorder_window = 0;  // seconds, as the replay used it
  // Grouped by (hop, rule, recorded, simulated); by count (descending), then hop and text.
  std::vector<Disagreement> disagreements;
};

struct ReplayRun {
  ReplayReport report;
  std::vector<RecordResult> results;  // parallel to FlowLogSet::lines
  std::vector<std::string> rules;     // the distinct decision texts
};

// Called for every replayed record with its index in FlowLogSet::lines, in replay order.
using DecisionObserver = std::function<void(std::uint32_t line, const FlowObservation&, const ReplayDecision&)>;

// Parses every line, replays the parsed records in time order (replay_order), and tallies the
// agreement. `examples` bounds the file:line examples kept per group.
ReplayRun replay_flowlogs(const FlowLogSet& set, const Network& net, FilteringModel model,
                          const DecisionObserver& observer = {}, std::size_t examples = 3);

// The output flow log: the header line when any input had one (the format's fields followed by
// kReplayColumns), then every input line that has the format's number of fields, in input
// order, each byte copied except the action field (ACCEPT or REJECT as simulated, for replayed
// records), followed by the four columns. Blank lines and lines with the wrong number of fields
// are left out (the report counts them).
std::string emit_flowlog(const FlowLogSet& set, const ReplayRun& run);

// A decision text as one space-free column: "%" -> "%25", " " -> "%20", tab -> "%09"
// (percent-encoding, RFC 3986), "" -> "-".
std::string encode_column(std::string_view text);

}  // namespace vpcsim::io
