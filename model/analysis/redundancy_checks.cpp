// Rules that add nothing: security-group rules another rule on the same interfaces covers
// (the rules of all groups on an interface form one union: VPC User Guide, "Security group
// rules"), and ACL entries an earlier entry covers (first match wins: VPC User Guide,
// "Network ACL rules").
#include <fmt/format.h>

#include "model/analysis/lint_checks.h"
#include "model/analysis/rule_facts.h"
#include "model/explain.h"

namespace vpcsim::analysis::detail {

namespace {

bool covers(const SgRule& outer, const SgRule& inner) {
  return traffic_covers(outer.traffic, inner.traffic) && peer_covers(outer.peer, inner.peer);
}

void check_sg_redundancy(LintContext& cx) {
  const Network& net = cx.net;
  const std::size_t n = net.security_groups.size();
  std::vector<std::vector<EniId>> members(n);
  for (std::uint32_t s = 0; s < n; ++s) members[s] = net.members_of(SgId(s));
  // Does every interface carrying x also carry y? (Then y's rules apply wherever x's do.)
  const auto subsumed = [&](std::uint32_t x, std::uint32_t y) {
    if (x == y) return true;
    if (members[x].empty()) return false;
    return std::ranges::includes(members[y], members[x]);
  };
  for (std::uint32_t x = 0; x < n; ++x) {
    for (const Direction d : {Direction::kIngress, Direction::kEgress}) {
      const auto& rules = net.security_groups[x].rules(d);
      for (std::uint32_t i = 0; i < rules.size(); ++i) {
        // AWS gives every new group "all traffic to 0.0.0.0/0 (and ::/0)" outbound; an interface
        // with two such groups has it twice. That is AWS's doing, reported once as SG013.
        if (d == Direction::kEgress && rules[i].traffic.protocol.is_all() && is_world(rules[i].peer)) continue;
        const SgRuleRef self{SgId(x), d, i};
        std::optional<SgRuleRef> cover;
        for (std::uint32_t y = 0; y < n && !cover; ++y) {
          if (!subsumed(x, y)) continue;
          const auto& other = net.security_groups[y].rules(d);
          for (std::uint32_t j = 0; j < other.size(); ++j) {
            if (y == x && j == i) continue;
            if (!covers(other[j], rules[i])) continue;
            // Two rules that cover each other on the same interfaces: report only the later.
            const bool mutual = covers(rules[i], other[j]) && subsumed(y, x);
            if (mutual && std::pair{y, j} > std::pair{x, i}) continue;
            cover = SgRuleRef{SgId(y), d, j};
            break;
          }
        }
        if (!cover) continue;
        Finding& f = cx.add("VPCSIM-SG010", Severity::kLow);
        f.sg = SgId(x);
        f.sg_rule = self;
        f.related_sg_rule = cover;
        f.message = fmt::format("everything it allows is already allowed by {}{}", describe_sg_rule(net, *cover),
                                cover->sg.value == x ? "" : ", whose group is on every interface this one is on");
        f.fix = "remove the redundant rule";
      }
    }
  }
}

void check_nacl_shadowing(LintContext& cx) {
  const Network& net = cx.net;
  for (std::uint32_t a = 0; a < net.network_acls.size(); ++a) {
    for (const Direction d : {Direction::kIngress, Direction::kEgress}) {
      const auto& entries = net.network_acls[a].entries(d);
      for (std::uint32_t j = 0; j < entries.size(); ++j) {
        for (std::uint32_t i = 0; i < j; ++i) {
          const NaclEntry& early = entries[i];
          const NaclEntry& late = entries[j];
          if (early.cidr.family() != late.cidr.family() || !early.cidr.contains(late.cidr) ||
              !traffic_covers(early.traffic, late.traffic)) {
            continue;
          }
          const bool conflicting = early.action != late.action;
          Finding& f = cx.add("VPCSIM-NACL003", conflicting ? Severity::kMedium : Severity::kLow);
          f.nacl = NaclId(a);
          f.nacl_entry = NaclEntryRef{NaclId(a), d, j};
          f.related_nacl_entry = NaclEntryRef{NaclId(a), d, i};
          f.message = fmt::format("it can never match: {} comes first and covers it{}",
                                  describe_nacl_entry(net, *f.related_nacl_entry),
                                  conflicting ? fmt::format(", so this {} never takes effect", to_string(late.action))
                                              : std::string(", with the same action"));
          f.fix = conflicting ? fmt::format("give it a number below {} if it should win, or delete it", early.number)
                              : std::string("delete it");
          break;
        }
      }
    }
  }
}

}  // namespace

void check_redundancy(LintContext& cx) {
  check_sg_redundancy(cx);
  check_nacl_shadowing(cx);
}

}  // namespace vpcsim::analysis::detail
