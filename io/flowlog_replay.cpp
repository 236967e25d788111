#include "io/flowlog_replay.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <unordered_map>

namespace vpcsim::io {

std::string encode_column(std::string_view text) {
  if (text.empty()) return "-";
  std::string out;
  out.reserve(text.size() + 8);
  for (const char c : text) {
    switch (c) {
      case '%':
        out += "%25";
        break;
      case ' ':
        out += "%20";
        break;
      case '\t':
        out += "%09";
        break;
      case '\n':
        out += "%0A";
        break;
      case '\r':
        out += "%0D";
        break;
      default:
        out += c;
    }
  }
  return out;
}

ReplayRun replay_flowlogs(const FlowLogSet& set, const Network& net, FilteringModel model,
                          const DecisionObserver& observer, std::size_t examples) {
  ReplayRun run;
  ReplayReport& rep = run.report;
  rep.model = model;
  rep.files = set.files.size();
  rep.header_lines = set.header_lines;
  rep.records_read = set.lines.size();
  run.results.resize(set.lines.size());

  // Pass 1: parse, keeping only what orders the records (16 bytes each): pass 2 parses each
  // line again when it replays it, which costs less than holding every observation.
  FlowRecordParser parser(set.format);
  std::vector<ReplayOrderKey> keys;
  std::vector<std::uint32_t> key_line;  // key index -> line index
  for (std::uint32_t i = 0; i < set.lines.size(); ++i) {
    auto rec = parser.parse(set.text(set.lines[i]));
    if (!rec) {
      run.results[i].skipped = rec.error();
      SkipSummary& s = rep.skips[static_cast<std::size_t>(rec.error())];
      if (s.examples.size() < examples) {
        const std::string what = parser.problem(rec.error());
        s.examples.push_back(set.location(set.lines[i]) + (what.empty() ? "" : " (" + what + ")"));
      }
      continue;
    }
    run.results[i].recorded = rec->observation.recorded;
    keys.push_back(replay_order_key(rec->observation));
    key_line.push_back(i);
  }

  // Pass 2: replay in time order (replay_order).
  Replayer replayer(net, model);
  std::unordered_map<std::string, std::uint32_t> rule_ids;  // looked up only, never iterated
  for (const std::uint32_t k : replay_order(keys)) {
    const std::uint32_t i = key_line[k];
    RecordResult& r = run.results[i];
    const FlowObservation o = parser.parse(set.text(set.lines[i]))->observation;
    auto decision = replayer.replay(o);
    if (!decision) {
      r.skipped = decision.error();
      r.replay_skipped = true;
      continue;
    }
    r.replayed = true;
    r.accepted = decision->accepted();
    const HopResult& h = decision->deciding_hop();
    r.hop = h.hop;
    std::string text = decision_text(net, h);
    const auto [it, inserted] = rule_ids.try_emplace(text, static_cast<std::uint32_t>(run.rules.size()));
    if (inserted) run.rules.push_back(std::move(text));
    r.rule = it->second;
    if (observer) observer(i, o, *decision);
  }

  // Tally in file order, so examples are the first lines of each group.
  using GroupKey = std::tuple<Hop, std::uint32_t, RecordedAction, bool>;
  std::map<GroupKey, Disagreement> groups;
  for (std::uint32_t i = 0; i < run.results.size(); ++i) {
    const RecordResult& r = run.results[i];
    if (!r.replayed) {
      // Parse problems got their examples in pass 1; the replay's own (interface problems)
      // get theirs here, in file order too.
      SkipSummary& s = rep.skips[static_cast<std::size_t>(r.skipped)];
      ++rep.skipped;
      if (s.count++ < examples && r.replay_skipped) {
        const FlowObservation o = parser.parse(set.text(set.lines[i]))->observation;
        std::string what(o.interface_id);
        if (r.skipped == SkipReason::kUnknownDirection) {
          what += ": neither " + o.packet.src.to_string() + " nor " + o.packet.dst.to_string() + " is its address";
        }
        s.examples.push_back(set.location(set.lines[i]) + " (" + what + ")");
      }
      continue;
    }
    ++rep.replayed;
    ++(r.accepted ? rep.simulated_accept : rep.simulated_reject);
    if (r.recorded == RecordedAction::kNone) continue;
    ++rep.compared;
    if ((r.recorded == RecordedAction::kAccept) == r.accepted) {
      ++rep.agree;
      continue;
    }
    ++rep.disagree;
    Disagreement& d = groups[GroupKey{r.hop, r.rule, r.recorded, r.accepted}];
    if (d.count == 0) {
      d.hop = r.hop;
      d.rule = run.rules[r.rule];
      d.recorded = r.recorded;
      d.simulated_accept = r.accepted;
    }
    if (d.count++ < examples) d.examples.push_back(set.location(set.lines[i]));
  }
  for (auto& [key, d] : groups) rep.disagreements.push_back(std::move(d));
  std::ranges::stable_sort(rep.disagreements, [](const Disagreement& a, const Disagreement& b) {
    if (a.count != b.count) return a.count > b.count;
    return std::tie(a.hop, a.rule, a.recorded) < std::tie(b.hop, b.rule, b.recorded);
  });
  return run;
}

std::string emit_flowlog(const FlowLogSet& set, const ReplayRun& run) {
  std::string out;
  std::size_t total = 0;
  for (const FlowLogFile& f : set.files) total += f.content.size();
  out.reserve(total + set.lines.size() * 48);
  if (set.any_header) {
    out += set.format.header();
    out += ' ';
    out += kReplayColumns;
    out += '\n';
  }
  const auto action_col = set.format.column(FlowLogField::kAction);
  std::vector<std::string_view> fields;
  fields.reserve(set.format.size() + 1);
  for (std::size_t i = 0; i < set.lines.size(); ++i) {
    const std::string_view line = set.text(set.lines[i]);
    if (split_flowlog_fields(line, fields, set.format.size()) != set.format.size()) continue;
    const RecordResult& r = run.results[i];
    const std::string_view simulated = r.accepted ? "ACCEPT" : "REJECT";
    std::string_view recorded = "-";
    if (action_col) {
      const std::string_view action = fields[*action_col];
      recorded = action;
      const auto begin = static_cast<std::size_t>(action.data() - line.data());
      out.append(line.substr(0, begin));
      out.append(r.replayed ? simulated : action);
      out.append(line.substr(begin + action.size()));
    } else {
      out.append(line);
    }
    out += ' ';
    if (r.replayed) {
      out.append(simulated);
      out += ' ';
      out.append(recorded);
      out += ' ';
      out.append(to_string(r.hop));
      out += ' ';
      out.append(encode_column(run.rules[r.rule]));
    } else {
      out += "- ";
      out.append(recorded);
      out += " - skipped:";
      out.append(to_string(r.skipped));
    }
    out += '\n';
  }
  return out;
}

}  // namespace vpcsim::io
