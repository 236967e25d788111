// The checks behind lint(), one function per family, each appending findings. Internal to
// vpcsim_analysis; tests call lint().
#pragma once

#include <vector>

#include "model/analysis/finding.h"
#include "model/analysis/lint.h"

namespace vpcsim::analysis::detail {

struct LintContext {
  const Network& net;
  LintOptions options;
  std::vector<Finding>& out;

  Finding& add(std::string_view check, Severity s) {
    out.push_back(Finding{});
    out.back().check = check;
    out.back().severity = s;
    return out.back();
  }
};

// SG001, SG002, SG007, SG013: what the rules open to the internet.
void check_exposure(LintContext& cx);
// SG005, SG006, NACL004, NACL005: likely typos and reversed ranges.
void check_ports(LintContext& cx);
// SG008, SG009 (stateless model), NACL001, NACL002: replies with no rule to pass them.
void check_replies(LintContext& cx);
// SG010, NACL003: rules another rule makes redundant or unreachable.
void check_redundancy(LintContext& cx);
// SG003, SG004, SG011, SG012: the default group, unused groups, dangling references.
void check_hygiene(LintContext& cx);

// "tcp 22" style text of a rule's traffic for messages.
std::string ports_text(const TrafficMatch& t);

}  // namespace vpcsim::analysis::detail
