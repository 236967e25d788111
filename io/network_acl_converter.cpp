#include "io/network_acl_converter.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <tuple>

#include "io/traffic_converter.h"

namespace vpcsim::io {

namespace {

constexpr std::string_view kImplicitDefaultId = "default-acl";

std::string lower(std::string_view s) {
  std::string out(s);
  std::ranges::transform(out, out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::optional<RuleAction> convert_action(const std::string& text, const std::string& path, Diagnostics& diag) {
  const std::string action = lower(text);
  if (action == "allow") return RuleAction::kAllow;
  if (action == "deny") return RuleAction::kDeny;
  diag.error(path + ".action", text.empty() ? std::string("action is required: allow or deny")
                                            : fmt::format("unknown action '{}': use allow or deny", text));
  return std::nullopt;
}

NetworkAcl convert_acl(const pb::NetworkAcl& a, const std::string& path, ConversionContext& ctx) {
  NetworkAcl acl{a.id(), a.is_default(), {}, {}};
  if (a.aws_default_entries()) add_default_nacl_entries(acl, ctx.net.vpc.has_ipv6());
  for (const auto& [direction, entries, field] : {std::tuple{Direction::kIngress, &a.ingress(), "ingress"},
                                                  std::tuple{Direction::kEgress, &a.egress(), "egress"}}) {
    NaclNumberUse used;
    for (const NaclEntry& e : acl.entries(direction)) {
      used.emplace(e.number, "AWS's default entries (aws_default_entries: true)");
    }
    for (int j = 0; j < entries->size(); ++j) {
      const std::string entry_path = at(path + "." + field, static_cast<std::size_t>(j));
      if (auto entry = convert_nacl_entry(entries->Get(j), entry_path, ctx, &used)) {
        acl.entries(direction).push_back(*entry);
      }
    }
  }
  acl.sort_entries();
  return acl;
}

}  // namespace

bool check_nacl_rule_number(int number, const std::string& path, Diagnostics& diag, NaclNumberUse* used) {
  const std::string field = path + ".rule_number";
  if (number == 0) {
    diag.error(field, fmt::format("rule_number is required: {}-{}; entries are evaluated in ascending order",
                                  NaclEntry::kMinNumber, NaclEntry::kMaxNumber));
  } else if (number > NaclEntry::kMaxNumber) {
    diag.error(field, fmt::format("rule number {} is out of range {}-{}: 32767 and above are reserved for the "
                                  "implicit * rule (EC2 API CreateNetworkAclEntry)",
                                  number, NaclEntry::kMinNumber, NaclEntry::kMaxNumber));
  } else if (number < NaclEntry::kMinNumber) {
    diag.error(field, fmt::format("rule number {} is out of range {}-{}", number, NaclEntry::kMinNumber,
                                  NaclEntry::kMaxNumber));
  } else if (used == nullptr) {
    return true;
  } else if (auto [it, first] = used->try_emplace(number, path); !first) {
    diag.error(field, fmt::format("rule {} already used at {}; rule numbers are unique per direction of an ACL", number,
                                  it->second));
  } else {
    return true;
  }
  return false;
}

std::optional<NaclEntry> convert_nacl_entry(const pb::NaclEntry& e, const std::string& path, ConversionContext& ctx,
                                            NaclNumberUse* used) {
  const std::size_t errors_before = ctx.diag.count();
  check_nacl_rule_number(e.rule_number(), path, ctx.diag, used);
  const auto action = convert_action(e.action(), path, ctx.diag);
  auto traffic = convert_traffic(TrafficFields::of(e), path, ctx.diag);
  std::optional<Cidr> cidr;
  if (e.cidr().empty()) {
    ctx.diag.error(path + ".cidr", "cidr is required: the remote block, IPv4 or IPv6 (\"0.0.0.0/0\", \"::/0\")");
  } else if (auto parsed = Cidr::parse(e.cidr(), ctx.options.rule_host_bits)) {
    cidr = *parsed;
  } else {
    ctx.diag.error(path + ".cidr", parsed.error());
  }
  if (ctx.diag.count() != errors_before) return std::nullopt;
  // EC2 API CreateNetworkAclEntry: with protocol 58 (ICMPv6) and an IPv4 CIDR block, all ICMP
  // types and codes match, whatever is specified.
  if (traffic->protocol == Protocol::icmpv6() && cidr->family() == Family::kIpv4) traffic->icmp = IcmpMatch{};
  return NaclEntry{e.rule_number(), *action, *traffic, *cidr};
}

void convert_network_acls(const pb::Scenario& proto, ConversionContext& ctx) {
  std::optional<std::string> default_path;
  for (int i = 0; i < proto.network_acls_size(); ++i) {
    const pb::NetworkAcl& a = proto.network_acls(i);
    const std::string path = at("network_acls", static_cast<std::size_t>(i));
    const NaclId id(static_cast<std::uint32_t>(ctx.net.network_acls.size()));
    if (a.id().empty()) {
      ctx.diag.error(path + ".id", "id is required: subnets refer to the ACL by it (e.g. \"acl-public\")");
    }
    ctx.nacls.add(a.id(), id, path + ".id", ctx.diag);
    if (a.is_default()) {
      if (default_path) {
        ctx.diag.error(path + ".is_default", fmt::format("{} is already the default ACL; a VPC has exactly one default "
                                                         "network ACL: remove is_default from one of them",
                                                         *default_path));
      } else {
        default_path = path;
        ctx.net.vpc.default_nacl = id;
      }
    }
    ctx.net.network_acls.push_back(convert_acl(a, path, ctx));
  }
  if (default_path) return;
  // VPC User Guide, "Default network ACL": every VPC has one, allowing all traffic.
  if (auto clash = ctx.nacls.find(kImplicitDefaultId)) {
    ctx.diag.error(at("network_acls", clash->value) + ".id",
                   "no ACL is marked is_default, so vpcsim creates the default ACL with id 'default-acl', which this "
                   "ACL already uses: add is_default: true to make it the default, or choose another id");
    return;
  }
  const NaclId id(static_cast<std::uint32_t>(ctx.net.network_acls.size()));
  NetworkAcl acl{std::string(kImplicitDefaultId), true, {}, {}};
  add_default_nacl_entries(acl, ctx.net.vpc.has_ipv6());
  ctx.net.network_acls.push_back(std::move(acl));
  ctx.nacls.add(std::string(kImplicitDefaultId), id, "the default ACL vpcsim created", ctx.diag);
  ctx.net.vpc.default_nacl = id;
}

}  // namespace vpcsim::io
