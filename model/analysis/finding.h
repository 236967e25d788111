// What `vpcsim lint` reports: findings, each from one check of a fixed catalogue, with a
// severity, the rule or group it is about, why it matters and what to do about it.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "model/hop.h"
#include "model/ids.h"

namespace vpcsim::analysis {

enum class Severity : std::uint8_t { kInfo, kLow, kMedium, kHigh, kCritical };
std::string_view to_string(Severity s);  // "info", "low", "medium", "high", "critical"
std::optional<Severity> parse_severity(std::string_view text);

// One check of the catalogue. Ids are stable: tools and suppressions refer to them.
struct CheckInfo {
  std::string_view id;       // "VPCSIM-SG001"
  std::string_view name;     // "AdminPortOpenToWorld" (SARIF rule name)
  std::string_view summary;  // one line
  std::string_view help;     // a paragraph: why it matters, what AWS says, how to fix
  std::string_view help_uri; // the AWS page the check is based on
  Severity severity;         // the usual severity; a finding may raise or lower it
};

// Every check, in id order.
std::span<const CheckInfo> lint_checks();
const CheckInfo* find_check(std::string_view id);

struct Finding {
  std::string_view check;  // a CheckInfo id
  Severity severity = Severity::kInfo;
  // What it is about: a rule or entry when one is to blame, else the group or ACL.
  std::optional<SgId> sg;
  std::optional<NaclId> nacl;
  std::optional<SgRuleRef> sg_rule;
  std::optional<NaclEntryRef> nacl_entry;
  // The other rule involved: the one that covers a redundant or shadowed rule.
  std::optional<SgRuleRef> related_sg_rule;
  std::optional<NaclEntryRef> related_nacl_entry;
  std::string message;  // one line: what is wrong and why it matters
  std::string fix;      // one line: the suggested change
};

}  // namespace vpcsim::analysis
