#include "sim/cli/replay_support.h"

#include <iostream>

namespace vpcsim::cli {

std::optional<Scenario> load_replay_scenario(const std::string& path) { return load_or_report(path); }

std::optional<Scenario> load_replay_scenario(const CommonOptions& o) { return load_input_or_report(o); }

namespace {

// --log-format as a format (nullopt inside: the default), or nullopt outside on a bad value.
std::optional<std::optional<io::FlowLogFormat>> headerless_format(const std::string& log_format) {
  if (log_format.empty()) return std::optional<io::FlowLogFormat>{};
  auto f = io::FlowLogFormat::parse_spec(log_format);
  if (!f) {
    std::cerr << "error: --log-format: " << f.error() << '\n';
    return std::nullopt;
  }
  return std::optional<io::FlowLogFormat>{std::move(*f)};
}

void warn_missing(const io::FlowLogFormat& format) {
  if (const auto missing = format.missing_for_replay(); !missing.empty()) {
    std::string names;
    for (const std::string& m : missing) names += (names.empty() ? "" : ", ") + m;
    std::cerr << "warning: the flow logs' format has no " << names
              << ": its records cannot be placed at an interface and are all skipped\n";
  }
}

}  // namespace

std::optional<io::FlowLogStream> open_flowlogs_or_report(const std::vector<std::string>& inputs,
                                                         const std::string& log_format) {
  const auto headerless = headerless_format(log_format);
  if (!headerless) return std::nullopt;
  auto stream = io::FlowLogStream::open(inputs, *headerless);
  if (!stream) {
    std::cerr << "error: " << stream.error().format() << '\n';
    return std::nullopt;
  }
  warn_missing(stream->format());
  return std::move(*stream);
}

void print_flowlog_warnings(const io::FlowLogStream& stream) {
  for (const Error& w : stream.warnings()) std::cerr << "warning: " << w.format() << '\n';
}

std::optional<io::FlowLogSet> read_flowlogs_or_report(const std::vector<std::string>& inputs,
                                                      const std::string& log_format) {
  const auto headerless = headerless_format(log_format);
  if (!headerless) return std::nullopt;
  auto set = io::read_flowlogs(inputs, *headerless);
  if (!set) {
    std::cerr << "error: " << set.error().format() << '\n';
    return std::nullopt;
  }
  warn_missing(set->format);
  for (const Error& w : set->warnings) std::cerr << "warning: " << w.format() << '\n';
  return std::move(*set);
}

}  // namespace vpcsim::cli
