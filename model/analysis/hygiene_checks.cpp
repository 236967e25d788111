// The VPC's default security group, groups nothing uses, and references to groups or prefix
// lists that do not exist.
#include <fmt/format.h>

#include "model/analysis/lint_checks.h"
#include "model/analysis/rule_facts.h"

namespace vpcsim::analysis::detail {

namespace {

// AWS's own rules of a default group (VPC User Guide, "Default security groups for your VPCs"):
// inbound all traffic from the group itself; outbound all traffic to 0.0.0.0/0 and ::/0.
bool is_default_rule(const SgRule& r, SgId self, Direction d) {
  if (!r.traffic.protocol.is_all()) return false;
  if (d == Direction::kIngress) return r.peer == Peer(self);
  return is_world(r.peer);
}

std::string enis_text(const Network& net, const std::vector<EniId>& enis) {
  std::string out;
  constexpr std::size_t kShown = 5;
  for (std::size_t i = 0; i < enis.size() && i < kShown; ++i) out += (i ? ", " : "") + net.eni_label(enis[i]);
  if (enis.size() > kShown) out += fmt::format(" and {} more", enis.size() - kShown);
  return out;
}

}  // namespace

void check_hygiene(LintContext& cx) {
  const Network& net = cx.net;
  for (std::uint32_t s = 0; s < net.security_groups.size(); ++s) {
    const SecurityGroup& sg = net.security_groups[s];
    const bool is_default = sg.is_vpc_default() || net.vpc.default_sg == SgId(s);
    const std::vector<EniId> members = net.members_of(SgId(s));
    if (is_default) {
      for (const Direction d : {Direction::kIngress, Direction::kEgress}) {
        for (std::uint32_t i = 0; i < sg.rules(d).size(); ++i) {
          if (is_default_rule(sg.rules(d)[i], SgId(s), d)) continue;
          Finding& f = cx.add("VPCSIM-SG003", Severity::kMedium);
          f.sg = SgId(s);
          f.sg_rule = SgRuleRef{SgId(s), d, i};
          f.message = fmt::format("{} is the VPC's default group: every interface launched without a group gets this rule",
                                  sg.id);
          f.fix = "move the rule to a purpose-made group and remove it from the default group";
        }
      }
      if (!members.empty()) {
        Finding& f = cx.add("VPCSIM-SG004", Severity::kMedium);
        f.sg = SgId(s);
        f.message = fmt::format("the VPC's default group {} is attached to {}; its members reach each other on every port",
                                sg.id, enis_text(net, members));
        f.fix = "attach purpose-made groups to these interfaces and detach the default group";
      }
    } else if (members.empty()) {
      Finding& f = cx.add("VPCSIM-SG011", Severity::kLow);
      f.sg = SgId(s);
      f.message = fmt::format("{} is attached to no interface; rules that reference it match no address", sg.id);
      f.fix = "delete the group, or attach it where it is needed";
    }
    for (const Direction d : {Direction::kIngress, Direction::kEgress}) {
      for (std::uint32_t i = 0; i < sg.rules(d).size(); ++i) {
        const Peer& peer = sg.rules(d)[i].peer;
        std::string missing;
        if (const auto* g = std::get_if<SgId>(&peer); g && g->value >= net.security_groups.size()) {
          missing = fmt::format("security group #{}", g->value);
        } else if (const auto* pl = std::get_if<PrefixListId>(&peer); pl && pl->value >= net.prefix_lists.size()) {
          missing = fmt::format("prefix list #{}", pl->value);
        }
        if (missing.empty()) continue;
        Finding& f = cx.add("VPCSIM-SG012", Severity::kHigh);
        f.sg = SgId(s);
        f.sg_rule = SgRuleRef{SgId(s), d, i};
        f.message = fmt::format("the rule names {}, which does not exist, so it matches nothing", missing);
        f.fix = "point the rule at an existing group or prefix list, or remove it";
      }
    }
  }
}

}  // namespace vpcsim::analysis::detail
