// Static checks of a network's security groups and network ACLs: exposure to the internet,
// likely typos, rules that cannot work in the stateless model, redundant and shadowed rules,
// and hygiene (default group, unused groups, dangling references). The catalogue of checks is
// in finding.h; `vpcsim lint` prints the findings.
#pragma once

#include <vector>

#include "model/analysis/finding.h"
#include "model/network.h"
#include "model/path_evaluator.h"

namespace vpcsim::analysis {

struct LintOptions {
  // The stateless-only checks (VPCSIM-SG008, SG009) run under kStateless. Network-ACL checks
  // run under both: ACLs are always stateless.
  FilteringModel model = FilteringModel::kStateless;
};

// Every finding, most severe first, then by check id and by the rule's place in the network.
std::vector<Finding> lint(const Network& net, const LintOptions& options = {});

}  // namespace vpcsim::analysis
