#include "model/rule_change.h"

#include <algorithm>

#include "model/explain.h"

namespace vpcsim {

namespace {

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};

bool same_rule(const SgRule& a, const SgRule& b) { return a.traffic == b.traffic && a.peer == b.peer; }

std::expected<void, std::string> fail(std::string message) { return std::unexpected(std::move(message)); }

}  // namespace

std::expected<void, std::string> apply(Network& net, const RuleChange& change) {
  return std::visit(
      Overloaded{
          [&](const AddSgRule& c) -> std::expected<void, std::string> {
            auto& rules = net.sg(c.sg).rules(c.direction);
            if (std::ranges::any_of(rules, [&](const SgRule& r) { return same_rule(r, c.rule); })) {
              // EC2 API: authorising a rule that already exists is an InvalidPermission.Duplicate error.
              return fail(net.sg(c.sg).id + " already has this " + std::string(to_string(c.direction)) + " rule");
            }
            rules.push_back(c.rule);
            return {};
          },
          [&](const RemoveSgRule& c) -> std::expected<void, std::string> {
            auto& rules = net.sg(c.sg).rules(c.direction);
            const auto it = std::ranges::find_if(rules, [&](const SgRule& r) {
              return c.rule_id.empty() ? c.match && same_rule(r, *c.match) : r.id == c.rule_id;
            });
            if (it == rules.end()) {
              return fail(net.sg(c.sg).id + " has no such " + std::string(to_string(c.direction)) + " rule" +
                          (c.rule_id.empty() ? "" : " (id " + c.rule_id + ")"));
            }
            rules.erase(it);
            return {};
          },
          [&](const AttachSg& c) -> std::expected<void, std::string> {
            auto& groups = net.enis.at(c.eni.value).groups;
            if (std::ranges::find(groups, c.sg) != groups.end()) return fail(net.sg(c.sg).id + " is already attached");
            groups.push_back(c.sg);
            return {};
          },
          [&](const DetachSg& c) -> std::expected<void, std::string> {
            auto& groups = net.enis.at(c.eni.value).groups;
            const auto it = std::ranges::find(groups, c.sg);
            if (it == groups.end()) return fail(net.sg(c.sg).id + " is not attached to " + net.eni(c.eni).id);
            // EC2 API ModifyNetworkInterfaceAttribute: an interface keeps at least one group.
            if (groups.size() == 1) return fail(net.eni(c.eni).id + " must keep at least one security group");
            groups.erase(it);
            return {};
          },
          [&](const PutNaclEntry& c) -> std::expected<void, std::string> {
            auto& entries = net.nacl(c.nacl).entries(c.direction);
            const auto it = std::ranges::find(entries, c.entry.number, &NaclEntry::number);
            if (c.replace) {
              if (it == entries.end()) return fail(net.nacl(c.nacl).id + " has no rule " + std::to_string(c.entry.number) + " to replace");
              *it = c.entry;
            } else {
              if (it != entries.end()) return fail(net.nacl(c.nacl).id + " already has rule " + std::to_string(c.entry.number));
              entries.push_back(c.entry);
            }
            net.nacl(c.nacl).sort_entries();
            return {};
          },
          [&](const RemoveNaclEntry& c) -> std::expected<void, std::string> {
            auto& entries = net.nacl(c.nacl).entries(c.direction);
            const auto it = std::ranges::find(entries, c.number, &NaclEntry::number);
            if (it == entries.end()) return fail(net.nacl(c.nacl).id + " has no rule " + std::to_string(c.number));
            entries.erase(it);
            return {};
          },
          [&](const AssociateNacl& c) -> std::expected<void, std::string> {
            net.subnets.at(c.subnet.value).nacl = c.nacl;
            return {};
          },
      },
      change);
}

bool changes_security_groups(const RuleChange& change) {
  return std::holds_alternative<AddSgRule>(change) || std::holds_alternative<RemoveSgRule>(change) ||
         std::holds_alternative<AttachSg>(change) || std::holds_alternative<DetachSg>(change);
}

std::optional<NaclId> changed_nacl(const RuleChange& change) {
  if (const auto* c = std::get_if<PutNaclEntry>(&change)) return c->nacl;
  if (const auto* c = std::get_if<RemoveNaclEntry>(&change)) return c->nacl;
  return std::nullopt;
}

std::string describe(const Network& net, const RuleChange& change) {
  const auto rule_text = [&](Direction d, const SgRule& r) {
    return r.traffic.to_string() + (d == Direction::kIngress ? " from " : " to ") + describe_peer(net, r.peer);
  };
  return std::visit(
      Overloaded{
          [&](const AddSgRule& c) {
            return net.sg(c.sg).id + ": add " + std::string(to_string(c.direction)) + " rule " + rule_text(c.direction, c.rule);
          },
          [&](const RemoveSgRule& c) {
            return net.sg(c.sg).id + ": remove " + std::string(to_string(c.direction)) + " rule " +
                   (c.rule_id.empty() && c.match ? rule_text(c.direction, *c.match) : c.rule_id);
          },
          [&](const AttachSg& c) { return net.eni(c.eni).id + ": attach " + net.sg(c.sg).id; },
          [&](const DetachSg& c) { return net.eni(c.eni).id + ": detach " + net.sg(c.sg).id; },
          [&](const PutNaclEntry& c) {
            const NaclEntry& e = c.entry;
            return net.nacl(c.nacl).id + ": " + (c.replace ? "replace " : "add ") + std::string(to_string(c.direction)) +
                   " rule " + std::to_string(e.number) + " " + std::string(to_string(e.action)) + " " + e.traffic.to_string() +
                   (c.direction == Direction::kIngress ? " from " : " to ") + e.cidr.to_string();
          },
          [&](const RemoveNaclEntry& c) {
            return net.nacl(c.nacl).id + ": remove " + std::string(to_string(c.direction)) + " rule " + std::to_string(c.number);
          },
          [&](const AssociateNacl& c) { return net.subnet(c.subnet).id + ": associate " + net.nacl(c.nacl).id; },
      },
      change);
}

}  // namespace vpcsim
