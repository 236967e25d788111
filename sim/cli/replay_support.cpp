#include "sim/cli/replay_support.h"

#include <iostream>

namespace vpcsim::cli {

std::optional<Scenario> load_replay_scenario(const std::string& path) { return load_or_report(path); }

std::optional<Scenario> load_replay_scenario(const CommonOptions& o) { return load_input_or_report(o); }

std::optional<io::FlowLogSet> read_flowlogs_or_report(const std::vector<std::string>& inputs,
                                                      const std::string& log_format) {
  std::optional<io::FlowLogFormat> headerless;
  if (!log_format.empty()) {
    auto f = io::FlowLogFormat::parse_spec(log_format);
    if (!f) {
      std::cerr << "error: --log-format: " << f.error() << '\n';
      return std::nullopt;
    }
    headerless = std::move(*f);
  }
  auto set = io::read_flowlogs(inputs, headerless);
  if (!set) {
    std::cerr << "error: " << set.error().format() << '\n';
    return std::nullopt;
  }
  if (const auto missing = set->format.missing_for_replay(); !missing.empty()) {
    std::string names;
    for (const std::string& m : missing) names += (names.empty() ? "" : ", ") + m;
    std::cerr << "warning: the flow logs' format has no " << names
              << ": its records cannot be placed at an interface and are all skipped\n";
  }
  return std::move(*set);
}

}  // namespace vpcsim::cli
