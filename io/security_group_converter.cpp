#include "io/security_group_converter.h"

#include <fmt/format.h>

#include <map>

#include "io/traffic_converter.h"

namespace vpcsim::io {

namespace {

constexpr std::string_view kDefaultGroupName = "default";

std::optional<Peer> convert_peer(const pb::SgRule& r, const std::string& path, ConversionContext& ctx) {
  switch (r.peer_case()) {
    case pb::SgRule::kCidr: {
      auto cidr = Cidr::parse(r.cidr(), ctx.options.rule_host_bits);
      if (!cidr) {
        ctx.diag.error(path + ".cidr", r.cidr().empty()
                                           ? "cidr is empty: give a block such as \"203.0.113.0/24\" or \"::/0\""
                                           : cidr.error());
        return std::nullopt;
      }
      return Peer(*cidr);
    }
    case pb::SgRule::kPrefixList:
      if (auto id = ctx.prefix_lists.resolve(r.prefix_list(), path + ".prefix_list", ctx.diag)) return Peer(*id);
      return std::nullopt;
    case pb::SgRule::kSecurityGroup:
      if (auto id = ctx.sgs.resolve(r.security_group(), path + ".security_group", ctx.diag)) return Peer(*id);
      return std::nullopt;
    case pb::SgRule::PEER_NOT_SET:
      break;
  }
  ctx.diag.error(path, "a rule needs a peer: set one of cidr, prefix_list or security_group");
  return std::nullopt;
}

void apply_group_defaults(const pb::SecurityGroup& g, SgId id, const std::string& path, ConversionContext& ctx) {
  SecurityGroup& sg = ctx.net.sg(id);
  const bool ipv6 = ctx.net.vpc.has_ipv6();
  switch (g.defaults()) {
    case pb::GROUP_DEFAULTS_NONE:
      return;
    case pb::AWS_NEW_GROUP:
      add_new_sg_rules(sg, ipv6);
      return;
    case pb::AWS_DEFAULT_GROUP:
      add_vpc_default_sg_rules(sg, id, ipv6);
      return;
    default:
      break;
  }
  ctx.diag.error(path + ".defaults", fmt::format("unknown defaults value {}: use GROUP_DEFAULTS_NONE, AWS_NEW_GROUP or "
                                                 "AWS_DEFAULT_GROUP",
                                                 static_cast<int>(g.defaults())));
}

// VPC User Guide, "Default security groups for your VPCs": every VPC has a group named
// "default"; interfaces launched without a group get it.
void add_implicit_default_group(ConversionContext& ctx) {
  if (ctx.sgs.find(kDefaultGroupName)) {
    for (std::size_t i = 0; i < ctx.net.security_groups.size(); ++i) {
      if (ctx.net.security_groups[i].id != kDefaultGroupName) continue;
      ctx.diag.error(at("security_groups", i) + ".id",
                     "no group is named \"default\", so vpcsim creates the VPC default group with id 'default', "
                     "which this group already uses: add name: \"default\" to make it the default group, or "
                     "choose another id");
    }
    return;
  }
  const SgId id(static_cast<std::uint32_t>(ctx.net.security_groups.size()));
  SecurityGroup sg{
      std::string(kDefaultGroupName), std::string(kDefaultGroupName), "default VPC security group", {}, {}};
  add_vpc_default_sg_rules(sg, id, ctx.net.vpc.has_ipv6());
  ctx.net.security_groups.push_back(std::move(sg));
  ctx.sgs.add(std::string(kDefaultGroupName), id, "the VPC default group vpcsim created", ctx.diag);
  ctx.net.vpc.default_sg = id;
}

}  // namespace

std::optional<SgRule> convert_sg_rule(const pb::SgRule& r, const std::string& path, ConversionContext& ctx) {
  auto traffic = convert_traffic(TrafficFields::of(r), path, ctx.diag);
  auto peer = convert_peer(r, path, ctx);
  if (!traffic || !peer) return std::nullopt;
  return SgRule{r.id(), *traffic, *peer, r.description()};
}

void convert_prefix_lists(const pb::Scenario& proto, ConversionContext& ctx) {
  for (int i = 0; i < proto.prefix_lists_size(); ++i) {
    const pb::PrefixList& p = proto.prefix_lists(i);
    const std::string path = at("prefix_lists", static_cast<std::size_t>(i));
    const PrefixListId id(static_cast<std::uint32_t>(ctx.net.prefix_lists.size()));
    if (p.id().empty()) {
      ctx.diag.error(path + ".id", "id is required: rules refer to the prefix list by it (e.g. \"pl-office\")");
    }
    ctx.prefix_lists.add(p.id(), id, path + ".id", ctx.diag);

    PrefixList list{p.id(), p.name(), Family::kIpv4, {}};
    std::optional<Family> family;  // the first entry's; an empty list matches nothing
    std::string first_entry;
    for (int j = 0; j < p.entries_size(); ++j) {
      const std::string entry_path = at(path + ".entries", static_cast<std::size_t>(j));
      auto cidr = Cidr::parse(p.entries(j), ctx.options.rule_host_bits);
      if (!cidr) {
        ctx.diag.error(entry_path, cidr.error());
        continue;
      }
      if (!family) {
        family = cidr->family();
        first_entry = entry_path;
      } else if (cidr->family() != *family) {
        // EC2 API CreateManagedPrefixList: a list has one AddressFamily, IPv4 or IPv6.
        ctx.diag.error(entry_path,
                       fmt::format("{} is {} but the list's first entry ({}) is {}; a prefix list holds "
                                   "one address family: put these in a second list",
                                   cidr->to_string(), to_string(cidr->family()), first_entry, to_string(*family)));
        continue;
      }
      list.entries.push_back(*cidr);
    }
    list.family = family.value_or(Family::kIpv4);
    ctx.net.prefix_lists.push_back(std::move(list));
  }
}

void declare_security_groups(const pb::Scenario& proto, ConversionContext& ctx) {
  std::map<std::string, std::string> name_paths;  // group name -> where it was first used
  for (int i = 0; i < proto.security_groups_size(); ++i) {
    const pb::SecurityGroup& g = proto.security_groups(i);
    const std::string path = at("security_groups", static_cast<std::size_t>(i));
    const SgId id(static_cast<std::uint32_t>(ctx.net.security_groups.size()));
    if (g.id().empty()) {
      ctx.diag.error(path + ".id", "id is required: interfaces and rules refer to the group by it (e.g. \"sg-web\")");
    }
    ctx.sgs.add(g.id(), id, path + ".id", ctx.diag);
    if (!g.name().empty()) {
      auto [it, first] = name_paths.try_emplace(g.name(), path + ".name");
      if (!first) {
        // EC2 API CreateSecurityGroup: a group name is unique within its VPC.
        ctx.diag.error(path + ".name",
                       g.name() == kDefaultGroupName
                           ? fmt::format("a VPC has one default group, and {} is already named \"default\"; rename "
                                         "this one",
                                         it->second)
                           : fmt::format("group name '{}' is already used at {}; group names are unique within a VPC",
                                         g.name(), it->second));
      } else if (g.name() == kDefaultGroupName) {
        ctx.net.vpc.default_sg = id;
      }
    }
    ctx.net.security_groups.push_back(SecurityGroup{g.id(), g.name(), g.description(), {}, {}});
  }
  if (!name_paths.contains(std::string(kDefaultGroupName))) add_implicit_default_group(ctx);
}

void convert_security_group_rules(const pb::Scenario& proto, ConversionContext& ctx) {
  for (int i = 0; i < proto.security_groups_size(); ++i) {
    const pb::SecurityGroup& g = proto.security_groups(i);
    const std::string path = at("security_groups", static_cast<std::size_t>(i));
    const SgId id(static_cast<std::uint32_t>(i));
    apply_group_defaults(g, id, path, ctx);
    for (const auto& [direction, rules, field] : {std::tuple{Direction::kIngress, &g.ingress(), "ingress"},
                                                  std::tuple{Direction::kEgress, &g.egress(), "egress"}}) {
      for (int j = 0; j < rules->size(); ++j) {
        const std::string rule_path = at(path + "." + field, static_cast<std::size_t>(j));
        if (auto rule = convert_sg_rule(rules->Get(j), rule_path, ctx)) {
          ctx.net.sg(id).rules(direction).push_back(*rule);
        }
      }
    }
  }
}

}  // namespace vpcsim::io
