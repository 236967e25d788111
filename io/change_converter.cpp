#include "io/change_converter.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include "io/network_acl_converter.h"
#include "io/security_group_converter.h"
#include "io/sim_time_converter.h"

namespace vpcsim::io {

namespace {

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};

std::string_view field_name(std::string_view path) { return path.substr(path.rfind('.') + 1); }

std::optional<Direction> convert_direction(pb::RuleDirection d, const std::string& path, Diagnostics& diag) {
  switch (d) {
    case pb::INGRESS:
      return Direction::kIngress;
    case pb::EGRESS:
      return Direction::kEgress;
    default:
      break;
  }
  diag.error(path, fmt::format("unknown direction {}: use INGRESS or EGRESS", static_cast<int>(d)));
  return std::nullopt;
}

// A reference the change needs: missing (explained by `what`) or resolved through `index`.
template <class IdT>
std::optional<IdT> require(const NameIndex<IdT>& index, const std::string& name, const std::string& path,
                           std::string_view what, Diagnostics& diag) {
  if (name.empty()) {
    diag.error(path, fmt::format("{} is required: {}", field_name(path), what));
    return std::nullopt;
  }
  return index.resolve(name, path, diag);
}

// An interface by its id, or an instance by its name (its primary interface).
std::optional<EniId> resolve_interface(const std::string& name, const std::string& path, ConversionContext& ctx) {
  if (name.empty()) {
    ctx.diag.error(path, "interface is required: an interface id, or an instance name for its primary interface");
    return std::nullopt;
  }
  if (auto eni = ctx.enis.find(name)) return eni;
  if (auto inst = ctx.instances.find(name)) {
    const auto& enis = ctx.net.instance(*inst).enis;
    if (enis.empty()) return std::nullopt;  // an instance without interfaces, already reported
    return enis.front();
  }
  if (ctx.hosts.find(name)) {
    ctx.diag.error(
        path, fmt::format("'{}' is an internet host; security groups are attached to interfaces in the VPC", name));
    return std::nullopt;
  }
  ctx.diag.error(path, fmt::format("no interface or instance is named '{}' (interfaces: {}; instances: {})", name,
                                   known_names(ctx.enis.names()), known_names(ctx.instances.names())));
  return std::nullopt;
}

// Every part of `parts` must have converted; then the change is built.
template <class... T>
bool all(const std::optional<T>&... parts) {
  return (parts.has_value() && ...);
}

std::optional<RuleChange> convert_add_sg_rule(const pb::SgRuleChange& c, const std::string& path,
                                              ConversionContext& ctx) {
  const auto sg =
      require(ctx.sgs, c.security_group(), path + ".security_group", "the group to add the rule to", ctx.diag);
  const auto direction = convert_direction(c.direction(), path + ".direction", ctx.diag);
  if (!c.rule_id().empty()) {
    ctx.diag.error(path + ".rule_id",
                   "rule_id names the rule a remove_sg_rule removes; to give the new rule an id, "
                   "set rule.id");
  }
  std::optional<SgRule> rule;
  if (!c.has_rule()) {
    ctx.diag.error(path + ".rule", "rule is required: the rule to add");
  } else {
    rule = convert_sg_rule(c.rule(), path + ".rule", ctx);
  }
  if (!all(sg, direction, rule) || !c.rule_id().empty()) return std::nullopt;
  return AddSgRule{*sg, *direction, *rule};
}

std::optional<RuleChange> convert_remove_sg_rule(const pb::SgRuleChange& c, const std::string& path,
                                                 ConversionContext& ctx) {
  const auto sg =
      require(ctx.sgs, c.security_group(), path + ".security_group", "the group to remove the rule from", ctx.diag);
  const auto direction = convert_direction(c.direction(), path + ".direction", ctx.diag);
  if (c.rule_id().empty() && !c.has_rule()) {
    ctx.diag.error(path,
                   "remove_sg_rule needs the rule to remove: its rule_id, or a rule with the same protocol, "
                   "ports and peer");
    return std::nullopt;
  }
  if (!c.rule_id().empty() && c.has_rule()) {
    ctx.diag.error(path + ".rule", "give the rule to remove by rule_id or by rule, not both");
    return std::nullopt;
  }
  std::optional<SgRule> match;
  if (c.has_rule()) {
    match = convert_sg_rule(c.rule(), path + ".rule", ctx);
    if (!match) return std::nullopt;
  }
  if (!all(sg, direction)) return std::nullopt;
  return RemoveSgRule{*sg, *direction, c.rule_id(), match};
}

template <class Change>
std::optional<RuleChange> convert_attachment(const pb::GroupAttachment& c, const std::string& path,
                                             ConversionContext& ctx) {
  const auto eni = resolve_interface(c.interface(), path + ".interface", ctx);
  const auto sg = require(ctx.sgs, c.security_group(), path + ".security_group", "the group's id", ctx.diag);
  if (!all(eni, sg)) return std::nullopt;
  return Change{*eni, *sg};
}

std::optional<RuleChange> convert_put_nacl_entry(const pb::NaclEntryChange& c, const std::string& path, bool replace,
                                                 ConversionContext& ctx) {
  const auto nacl = require(ctx.nacls, c.network_acl(), path + ".network_acl", "the ACL's id", ctx.diag);
  const auto direction = convert_direction(c.direction(), path + ".direction", ctx.diag);
  std::optional<NaclEntry> entry;
  if (!c.has_entry()) {
    ctx.diag.error(path + ".entry", fmt::format("entry is required: the entry to {}", replace ? "put in" : "add"));
  } else {
    entry = convert_nacl_entry(c.entry(), path + ".entry", ctx);
  }
  if (!all(nacl, direction, entry)) return std::nullopt;
  return PutNaclEntry{*nacl, *direction, *entry, replace};
}

// EC2 API DeleteNetworkAclEntry takes the rule number and the direction only; other fields
// of the entry would suggest a match by content that does not happen.
std::optional<RuleChange> convert_remove_nacl_entry(const pb::NaclEntryChange& c, const std::string& path,
                                                    ConversionContext& ctx) {
  const auto nacl = require(ctx.nacls, c.network_acl(), path + ".network_acl", "the ACL's id", ctx.diag);
  const auto direction = convert_direction(c.direction(), path + ".direction", ctx.diag);
  if (!c.has_entry()) {
    ctx.diag.error(path + ".entry", "entry is required: its rule_number names the entry to remove");
    return std::nullopt;
  }
  const pb::NaclEntry& e = c.entry();
  const std::string entry_path = path + ".entry";
  bool ok = check_nacl_rule_number(e.rule_number(), entry_path, ctx.diag);
  std::vector<std::string_view> extra;
  for (const auto& [given, field] :
       {std::pair{!e.action().empty(), "action"}, std::pair{!e.protocol().empty(), "protocol"},
        std::pair{!e.ports().empty(), "ports"}, std::pair{e.has_icmp_type(), "icmp_type"},
        std::pair{e.has_icmp_code(), "icmp_code"}, std::pair{!e.cidr().empty(), "cidr"}}) {
    if (given) extra.emplace_back(field);
  }
  if (!extra.empty()) {
    ctx.diag.error(entry_path + "." + std::string(extra.front()),
                   fmt::format("remove_nacl_entry removes the entry with this rule_number, whatever it holds (EC2 API "
                               "DeleteNetworkAclEntry): {} would not be read; remove {}",
                               fmt::join(extra, ", "), extra.size() == 1 ? "it" : "them"));
    ok = false;
  }
  if (!ok || !all(nacl, direction)) return std::nullopt;
  return RemoveNaclEntry{*nacl, *direction, e.rule_number()};
}

std::optional<RuleChange> convert_association(const pb::NaclAssociation& c, const std::string& path,
                                              ConversionContext& ctx) {
  const auto subnet = require(ctx.subnets, c.subnet(), path + ".subnet", "the subnet's id", ctx.diag);
  const auto nacl = require(ctx.nacls, c.network_acl(), path + ".network_acl", "the ACL's id", ctx.diag);
  if (!all(subnet, nacl)) return std::nullopt;
  return AssociateNacl{*subnet, *nacl};
}

std::optional<RuleChange> convert_kind(const pb::Change& c, const std::string& path, ConversionContext& ctx) {
  switch (c.change_case()) {
    case pb::Change::kAddSgRule:
      return convert_add_sg_rule(c.add_sg_rule(), path + ".add_sg_rule", ctx);
    case pb::Change::kRemoveSgRule:
      return convert_remove_sg_rule(c.remove_sg_rule(), path + ".remove_sg_rule", ctx);
    case pb::Change::kAttachSg:
      return convert_attachment<AttachSg>(c.attach_sg(), path + ".attach_sg", ctx);
    case pb::Change::kDetachSg:
      return convert_attachment<DetachSg>(c.detach_sg(), path + ".detach_sg", ctx);
    case pb::Change::kAddNaclEntry:
      return convert_put_nacl_entry(c.add_nacl_entry(), path + ".add_nacl_entry", false, ctx);
    case pb::Change::kReplaceNaclEntry:
      return convert_put_nacl_entry(c.replace_nacl_entry(), path + ".replace_nacl_entry", true, ctx);
    case pb::Change::kRemoveNaclEntry:
      return convert_remove_nacl_entry(c.remove_nacl_entry(), path + ".remove_nacl_entry", ctx);
    case pb::Change::kAssociateNacl:
      return convert_association(c.associate_nacl(), path + ".associate_nacl", ctx);
    case pb::Change::CHANGE_NOT_SET:
      break;
  }
  ctx.diag.error(path,
                 "a change needs what to change: one of add_sg_rule, remove_sg_rule, attach_sg, detach_sg, "
                 "add_nacl_entry, replace_nacl_entry, remove_nacl_entry or associate_nacl");
  return std::nullopt;
}

bool same_rule(const SgRule& a, const SgRule& b) { return a.traffic == b.traffic && a.peer == b.peer; }

// What the network holds at the start or gains through some change, at any time: a removal
// outside it can never succeed, whatever the order of the changes.
class EverPresent {
 public:
  EverPresent(const Network& net, const std::vector<TimedChange>& changes) : net_(net) {
    for (std::size_t g = 0; g < net.security_groups.size(); ++g) {
      for (Direction d : {Direction::kIngress, Direction::kEgress}) {
        for (const SgRule& r : net.security_groups[g].rules(d)) rules_[{g, d}].push_back(r);
      }
    }
    for (std::size_t a = 0; a < net.network_acls.size(); ++a) {
      for (Direction d : {Direction::kIngress, Direction::kEgress}) {
        for (const NaclEntry& e : net.network_acls[a].entries(d)) numbers_.insert({a, d, e.number});
      }
    }
    for (std::size_t e = 0; e < net.enis.size(); ++e) {
      for (SgId g : net.enis[e].groups) attached_.insert({e, g.value});
    }
    for (const TimedChange& c : changes) {
      if (const auto* add = std::get_if<AddSgRule>(&c.change))
        rules_[{add->sg.value, add->direction}].push_back(add->rule);
      if (const auto* put = std::get_if<PutNaclEntry>(&c.change); put && !put->replace) {
        numbers_.insert({put->nacl.value, put->direction, put->entry.number});
      }
      if (const auto* attach = std::get_if<AttachSg>(&c.change))
        attached_.insert({attach->eni.value, attach->sg.value});
    }
  }

  // The reason `change` can never apply, if it cannot, with the field to report it at.
  std::optional<std::pair<std::string, std::string>> never(const RuleChange& change) const {
    return std::visit(
        Overloaded{
            [&](const RemoveSgRule& c) -> std::optional<std::pair<std::string, std::string>> {
              const auto it = rules_.find({c.sg.value, c.direction});
              const auto& rules = it == rules_.end() ? kNoRules : it->second;
              const std::string whose = fmt::format("{} has no {} rule", net_.sg(c.sg).id, to_string(c.direction));
              if (!c.rule_id.empty()) {
                if (std::ranges::any_of(rules, [&](const SgRule& r) { return r.id == c.rule_id; })) return std::nullopt;
                return std::pair{"rule_id", fmt::format("{} with id '{}', and no change adds one ({})", whose,
                                                        c.rule_id, rule_ids(rules))};
              }
              if (std::ranges::any_of(rules, [&](const SgRule& r) { return same_rule(r, *c.match); })) {
                return std::nullopt;
              }
              return std::pair{"rule", fmt::format("{} for {} with this peer, and no change adds one; a rule is "
                                                   "removed when its protocol, ports and peer are the same",
                                                   whose, c.match->traffic.to_string())};
            },
            [&](const DetachSg& c) -> std::optional<std::pair<std::string, std::string>> {
              if (attached_.contains({c.eni.value, c.sg.value})) return std::nullopt;
              return std::pair{"security_group", fmt::format("{} is not attached to {}, and no change attaches it",
                                                             net_.sg(c.sg).id, net_.eni_label(c.eni))};
            },
            [&](const PutNaclEntry& c) -> std::optional<std::pair<std::string, std::string>> {
              if (!c.replace || numbers_.contains({c.nacl.value, c.direction, c.entry.number})) return std::nullopt;
              return std::pair{"entry.rule_number", missing_number(c.nacl, c.direction, c.entry.number, "replace")};
            },
            [&](const RemoveNaclEntry& c) -> std::optional<std::pair<std::string, std::string>> {
              if (numbers_.contains({c.nacl.value, c.direction, c.number})) return std::nullopt;
              return std::pair{"entry.rule_number", missing_number(c.nacl, c.direction, c.number, "remove")};
            },
            [](const auto&) -> std::optional<std::pair<std::string, std::string>> { return std::nullopt; },
        },
        change);
  }

 private:
  static std::string rule_ids(const std::vector<SgRule>& rules) {
    std::vector<std::string> ids;
    for (const SgRule& r : rules) {
      if (!r.id.empty()) ids.push_back(r.id);
    }
    return ids.empty() ? "its rules have no ids" : "ids: " + fmt::format("{}", fmt::join(ids, ", "));
  }

  std::string missing_number(NaclId nacl, Direction d, int number, std::string_view verb) const {
    return fmt::format("{} has no {} rule {}, and no change adds one: there is nothing to {}", net_.nacl(nacl).id,
                       to_string(d), number, verb);
  }

  inline static const std::vector<SgRule> kNoRules;
  const Network& net_;
  std::map<std::pair<std::size_t, Direction>, std::vector<SgRule>> rules_;
  std::set<std::tuple<std::size_t, Direction, int>> numbers_;
  std::set<std::pair<std::size_t, std::uint32_t>> attached_;
};

// "changes[3].remove_sg_rule": where the kind of a change is written.
std::string kind_path(const pb::Change& c, const std::string& path) {
  const auto* field = c.GetDescriptor()->FindFieldByNumber(static_cast<int>(c.change_case()));
  return field == nullptr ? path : path + "." + field->name();
}

}  // namespace

std::vector<TimedChange> convert_changes(const pb::Scenario& proto, ConversionContext& ctx) {
  std::vector<TimedChange> changes;
  std::vector<const pb::Change*> sources;  // parallel to `changes`
  for (int i = 0; i < proto.changes_size(); ++i) {
    const pb::Change& c = proto.changes(i);
    const std::string path = at("changes", static_cast<std::size_t>(i));
    const auto when = convert_seconds(c.at_seconds(), path + ".at_seconds", ctx.diag);
    if (when && ctx.horizon > SimTime::zero() && *when >= ctx.horizon) {
      ctx.diag.error(path + ".at_seconds",
                     fmt::format("the change happens at {}, not before the horizon ({}): it would change nothing; "
                                 "make it earlier or raise horizon_seconds",
                                 format_time(*when), format_time(ctx.horizon)));
    }
    auto change = convert_kind(c, path, ctx);
    if (!when || !change) continue;
    changes.push_back(TimedChange{*when, std::move(*change), c.description(), path});
    sources.push_back(&c);
  }
  const EverPresent present(ctx.net, changes);
  for (std::size_t i = 0; i < changes.size(); ++i) {
    if (auto reason = present.never(changes[i].change)) {
      ctx.diag.error(kind_path(*sources[i], changes[i].field) + "." + reason->first, reason->second);
    }
  }
  std::ranges::stable_sort(changes, {}, &TimedChange::at);
  return changes;
}

}  // namespace vpcsim::io
