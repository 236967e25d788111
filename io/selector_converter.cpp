#include "io/selector_converter.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <unordered_set>

#include "model/aws_service.h"

namespace vpcsim::io {

namespace {

constexpr std::size_t kLabelsShown = 4;

std::vector<Endpoint> by_role(const std::string& role, const std::string& path, ConversionContext& ctx) {
  std::vector<Endpoint> out;
  std::vector<std::string> roles;
  for (const Instance& i : ctx.net.instances) {
    if (i.role == role && !i.enis.empty()) out.emplace_back(i.enis.front());
    if (!i.role.empty() && std::ranges::find(roles, i.role) == roles.end()) roles.push_back(i.role);
  }
  if (out.empty()) {
    ctx.diag.error(
        path, role.empty() ? std::string("role is empty: name a role instances have (e.g. \"web\")")
                           : fmt::format("selects nothing: no instance has role '{}' (roles: {})", role,
                                         roles.empty() ? "none are given" : fmt::format("{}", fmt::join(roles, ", "))));
  }
  return out;
}

std::vector<Endpoint> by_group(const std::string& id, const std::string& path, ConversionContext& ctx) {
  std::vector<Endpoint> out;
  const auto sg = ctx.sgs.resolve(id, path, ctx.diag);
  if (!sg) return out;
  for (EniId eni : ctx.net.members_of(*sg)) out.emplace_back(eni);
  if (out.empty()) ctx.diag.error(path, fmt::format("selects nothing: no interface carries security group {}", id));
  return out;
}

std::vector<Endpoint> by_subnet(const std::string& id, const std::string& path, ConversionContext& ctx) {
  std::vector<Endpoint> out;
  const auto subnet = ctx.subnets.resolve(id, path, ctx.diag);
  if (!subnet) return out;
  for (std::size_t i = 0; i < ctx.net.enis.size(); ++i) {
    if (ctx.net.enis[i].subnet == *subnet) out.emplace_back(EniId(static_cast<std::uint32_t>(i)));
  }
  if (out.empty()) ctx.diag.error(path, fmt::format("selects nothing: no interface is in subnet {}", id));
  return out;
}

std::vector<Endpoint> by_name(const std::string& name, const std::string& path, ConversionContext& ctx) {
  if (name.empty()) {
    ctx.diag.error(path, "instance is empty: name an instance, an interface or an internet host");
    return {};
  }
  const EndpointNames::Entry* entry = ctx.endpoints.find(name);
  if (entry == nullptr) {
    ctx.diag.error(path, fmt::format("no instance, interface or internet host is named '{}' ({})", name,
                                     known_names(ctx.endpoints.names())));
    return {};
  }
  if (!entry->endpoint) return {};  // an instance without interfaces, already reported
  return {*entry->endpoint};
}

// Every internet host the scenario declares with an address of `family` (each host has one
// address, so a generator of one family cannot use the others).
std::vector<Endpoint> internet_hosts(bool selected, std::optional<Family> family, const std::string& path,
                                     ConversionContext& ctx) {
  std::vector<Endpoint> out;
  if (!selected) {
    ctx.diag.error(path,
                   "internet: false selects nothing; write internet: true for every internet host, or leave "
                   "this selector out");
    return out;
  }
  for (std::size_t i = 0; i < ctx.net.external_hosts.size(); ++i) {
    if (family && ctx.net.external_hosts[i].address.family() != *family) continue;
    // A host that stands for an AWS service (model/aws_service.h) is not on the internet.
    if (aws_service_at(ctx.net, ctx.net.external_hosts[i].address)) continue;
    out.emplace_back(ExternalHostId(static_cast<std::uint32_t>(i)));
  }
  if (out.empty()) {
    ctx.diag.error(path, family ? fmt::format("selects nothing: the scenario declares no internet hosts with {} "
                                              "addresses",
                                              to_string(*family))
                                : std::string("selects nothing: the scenario declares no internet hosts"));
  }
  return out;
}

// The endpoints one selector chooses; empty after reporting why.
std::vector<Endpoint> select(const pb::Selector& s, const std::string& path, const SelectorRules& rules,
                             ConversionContext& ctx) {
  switch (s.by_case()) {
    case pb::Selector::kRole:
      return by_role(s.role(), path + ".role", ctx);
    case pb::Selector::kSecurityGroup:
      return by_group(s.security_group(), path + ".security_group", ctx);
    case pb::Selector::kSubnet:
      return by_subnet(s.subnet(), path + ".subnet", ctx);
    case pb::Selector::kInstance:
      return by_name(s.instance(), path + ".instance", ctx);
    case pb::Selector::kInternet:
      return internet_hosts(s.internet(), rules.family, path + ".internet", ctx);
    case pb::Selector::BY_NOT_SET:
      break;
  }
  ctx.diag.error(path, "a selector needs one of role, security_group, subnet, instance or internet");
  return {};
}

// "web (eni-web), db (eni-db) and 3 more".
std::string labels(const Network& net, const std::vector<Endpoint>& endpoints) {
  std::vector<std::string> shown;
  for (std::size_t i = 0; i < endpoints.size() && i < kLabelsShown; ++i)
    shown.push_back(endpoint_label(net, endpoints[i]));
  std::string out = fmt::format("{}", fmt::join(shown, ", "));
  if (endpoints.size() > kLabelsShown) out += fmt::format(" and {} more", endpoints.size() - kLabelsShown);
  return out;
}

}  // namespace

bool check_selected(const std::vector<Endpoint>& endpoints, const std::string& path, const SelectorRules& rules,
                    ConversionContext& ctx) {
  const Network& net = ctx.net;
  std::vector<Endpoint> hosts;
  std::vector<Endpoint> no_address;
  for (const Endpoint& e : endpoints) {
    if (!rules.vpc_only.empty() && !as_eni(e)) {
      hosts.push_back(e);
    } else if (rules.family && !endpoint_address(net, e, *rules.family)) {
      no_address.push_back(e);
    }
  }
  if (!hosts.empty()) {
    ctx.diag.error(path, fmt::format("selects {}: {}", labels(net, hosts), rules.vpc_only));
  }
  if (!no_address.empty()) {
    const std::string_view family = to_string(*rules.family);
    // An IPv4 generator cannot reach an IPv6-only interface: there is no IPv4 packet to send
    // it. The generator does not switch families on its own; the error says how to.
    const bool ipv6_only = std::ranges::any_of(no_address, [&](const Endpoint& e) {
      const auto eni = as_eni(e);
      return eni && net.eni(*eni).ipv6_only();
    });
    std::string fix;
    if (rules.family == Family::kIpv6) {
      fix = ": give them IPv6 addresses, or select others";
    } else if (ipv6_only) {
      fix = fmt::format(": {} IPv6-only; select others, or make the generator's traffic IPv6{}",
                        no_address.size() == 1 ? "it is" : "they are",
                        rules.to_ipv6.empty() ? "" : fmt::format(" ({})", rules.to_ipv6));
    }
    ctx.diag.error(path,
                   fmt::format("{}{} {} no {} address, and the generator's traffic is {}{}",
                               rules.generator.empty() ? "" : fmt::format("generator '{}': ", rules.generator),
                               labels(net, no_address), no_address.size() == 1 ? "has" : "have", family, family, fix));
  }
  return hosts.empty() && no_address.empty();
}

std::optional<std::vector<Endpoint>> convert_selectors(
    const google::protobuf::RepeatedPtrField<pb::Selector>& selectors, const std::string& path,
    const SelectorRules& rules, ConversionContext& ctx) {
  std::vector<Endpoint> out;
  std::unordered_set<Endpoint> seen;
  bool ok = true;
  for (int i = 0; i < selectors.size(); ++i) {
    const std::string selector_path = at(path, static_cast<std::size_t>(i));
    const std::vector<Endpoint> chosen = select(selectors.Get(i), selector_path, rules, ctx);
    if (chosen.empty() || !check_selected(chosen, selector_path, rules, ctx)) {
      ok = false;
      continue;
    }
    for (const Endpoint& e : chosen) {
      if (seen.insert(e).second) out.push_back(e);
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

}  // namespace vpcsim::io
