#include "model/analysis/lint.h"

#include <algorithm>
#include <tuple>

#include "model/analysis/lint_checks.h"

namespace vpcsim::analysis {

namespace {

// Where a finding points, as a sortable key: groups before ACLs, then id, direction, index.
auto place(const Finding& f) {
  const auto sg_rule = f.sg_rule.value_or(SgRuleRef{f.sg.value_or(SgId(0)), Direction::kIngress, 0});
  const auto entry = f.nacl_entry.value_or(NaclEntryRef{f.nacl.value_or(NaclId(0)), Direction::kIngress, 0});
  const bool is_acl = f.nacl.has_value() || f.nacl_entry.has_value();
  return is_acl ? std::tuple{1u, entry.nacl.value, static_cast<unsigned>(entry.direction), entry.index}
                : std::tuple{0u, sg_rule.sg.value, static_cast<unsigned>(sg_rule.direction), sg_rule.index};
}

}  // namespace

std::vector<Finding> lint(const Network& net, const LintOptions& options) {
  std::vector<Finding> out;
  detail::LintContext cx{net, options, out};
  detail::check_exposure(cx);
  detail::check_ports(cx);
  detail::check_replies(cx);
  detail::check_redundancy(cx);
  detail::check_hygiene(cx);
  std::ranges::stable_sort(out, [](const Finding& a, const Finding& b) {
    if (a.severity != b.severity) return a.severity > b.severity;
    if (a.check != b.check) return a.check < b.check;
    return place(a) < place(b);
  });
  return out;
}

namespace detail {

std::string ports_text(const TrafficMatch& t) { return t.to_string(); }

}  // namespace detail

}  // namespace vpcsim::analysis
