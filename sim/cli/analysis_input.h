// What the analysis commands (lint, reach, search, graph) share: loading the scenario through
// one function, and finding the line a rule was written on.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/hop.h"
#include "model/scenario.h"
#include "sim/cli/options.h"

namespace vpcsim::cli {

// The one place the analysis commands load their input (today load_or_report; other input
// kinds plug in here). Errors are printed to stderr.
std::optional<Scenario> load_analysis_input(const CommonOptions& o);

// Lines of rules in a protobuf text-format scenario. Rules AWS adds (a group's defaults, the
// default ACL's entries) and scenarios in other formats have no line; then the group's or
// ACL's own line is given when known.
class RuleLines {
 public:
  // Reads the scenario again (path as given; empty = the bundled lesson) for its positions.
  static RuleLines read(const std::string& path, const Network& net);
  // The same for a command's input: an AWS dump (--aws) has no text lines, so none are known.
  static RuleLines read(const CommonOptions& input, const Network& net);

  std::optional<int> line(const SgRuleRef& ref) const;
  std::optional<int> line(const NaclEntryRef& ref) const;
  std::optional<int> line(SgId sg) const;
  std::optional<int> line(NaclId acl) const;

 private:
  // Per group / ACL: its own line, and per direction the line of each rule in model order.
  struct Lines {
    std::optional<int> self;
    std::vector<std::optional<int>> rules[2];
  };
  std::vector<Lines> sgs_;
  std::vector<Lines> acls_;
};

}  // namespace vpcsim::cli
