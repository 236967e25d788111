#include "io/flowlog_replay.h"

#include <limits>

#include "io/flowlog_stream.h"

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
  // The streaming replay (io/flowlog_stream.h) with a window that holds every record: the
  // whole input in replay_order.
  ReplayRun run;
  run.results.reserve(set.lines.size());
  std::vector<std::string> paths;
  for (const FlowLogFile& f : set.files) paths.push_back(f.path);
  StreamDecisionObserver observe;
  if (observer) {
    observe = [&](std::uint64_t line, const std::string&, const FlowObservation& o, const ReplayDecision& d) {
      observer(static_cast<std::uint32_t>(line), o, d);
    };
  }
  ReplayStream stream(set.format, std::move(paths), net, model,
                      ReplayStreamOptions{std::numeric_limits<std::int64_t>::max(), examples},
                      [&](std::string_view, const RecordResult& r, const std::vector<std::string>&) {
                        run.results.push_back(r);
                      },
                      std::move(observe));
  for (const FlowLogLine& l : set.lines) stream.add(set.stream_line(l));
  run.report = stream.finish();
  run.report.files = set.files.size();
  run.report.header_lines = set.header_lines;
  run.rules = stream.rules();
  return run;
}

std::string emit_flowlog(const FlowLogSet& set, const ReplayRun& run) {
  std::string out;
  out.reserve(set.content.size() + set.lines.size() * 49);
  out += emit_header(set.format, set.any_header);
  std::vector<std::string_view> fields;
  fields.reserve(set.format.size() + 1);
  for (std::size_t i = 0; i < set.lines.size(); ++i) {
    append_emitted_line(out, set.format, fields, set.text(set.lines[i]), run.results[i], run.rules);
  }
  return out;
}

}  // namespace vpcsim::io
