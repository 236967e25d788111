// Security group permissions and network ACL entries of AWS CLI JSON, as scenario rules.
// Field meanings: EC2 API Reference, "IpPermission", "NetworkAclEntry", "PortRange",
// "IcmpTypeCode" and "CreateNetworkAclEntry"
// (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpPermission.html,
//  https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_NetworkAclEntry.html).
#include <fmt/format.h>

#include <algorithm>

#include "io/aws_import_state.h"
#include "model/cidr.h"
#include "model/network_acl.h"
#include "model/protocol.h"

namespace vpcsim::io {

namespace {

constexpr std::string_view kProtocols = "tcp, udp, icmp, icmpv6, -1 (all) or a protocol number 0-255";

// AWS canonicalises the CIDRs it is given ("100.68.0.18/18" -> "100.68.0.0/18", EC2 API
// IpRange.CidrIp and CreateNetworkAclEntry.CidrBlock), so the importer does too.
std::optional<Cidr> parse_cidr(const std::string& text, Family family, const AwsOrigin& at, AwsImportState& state) {
  if (text.empty()) {
    state.error(at, "the CIDR block is missing or empty");
    return std::nullopt;
  }
  auto cidr = Cidr::parse(text, Cidr::HostBits::kCanonicalise);
  if (!cidr) {
    state.error(at, cidr.error());
    return std::nullopt;
  }
  if (cidr->family() != family) {
    state.error(at, fmt::format("{} is {}, but this member holds {} blocks", text, to_string(cidr->family()),
                                to_string(family)));
    return std::nullopt;
  }
  return *cidr;
}

std::optional<Protocol> parse_protocol(const std::string& text, const AwsOrigin& at, AwsImportState& state) {
  if (text.empty()) {
    state.error(at, fmt::format("the protocol is missing: AWS writes {}", kProtocols));
    return std::nullopt;
  }
  auto protocol = Protocol::parse(text);
  if (!protocol) {
    state.error(at, fmt::format("unknown protocol \"{}\": AWS writes {}", text, kProtocols));
    return std::nullopt;
  }
  return *protocol;
}

std::string ports_text(PortRange p) {
  if (p.is_all()) return "all";
  return p.from == p.to ? std::to_string(p.from) : fmt::format("{}-{}", p.from, p.to);
}

// The traffic part of a rule: protocol, then ports (tcp, udp) or ICMP type and code. For
// tcp/udp `from`/`to` are the port range; for ICMP they are the type and the code, -1 = all.
template <class Rule>
bool set_traffic(Rule& rule, Protocol protocol, const int* from, const int* to, bool icmp_required,
                 const AwsOrigin& from_at, const AwsOrigin& to_at, AwsImportState& state) {
  rule.set_protocol(protocol.to_string());
  if (protocol.has_ports()) {
    if (from == nullptr || to == nullptr) {
      state.error(from == nullptr ? from_at : to_at,
                  fmt::format("{} rules carry a port range: {} is missing", protocol.to_string(),
                              (from == nullptr ? from_at : to_at).path));
      return false;
    }
    const int first = *from;
    const int last = *to;
    auto range = (first == -1 && last == -1) ? std::expected<PortRange, std::string>(PortRange::all())
                                             : PortRange::make(first, last);
    if (!range) {
      state.error(from_at, range.error());
      return false;
    }
    rule.set_ports(ports_text(*range));
    return true;
  }
  if (protocol.is_icmp_family()) {
    if (icmp_required && (from == nullptr || to == nullptr)) {
      state.error(from == nullptr ? from_at : to_at,
                  fmt::format("{} rules carry an ICMP type and code (-1 = all): {} is missing", protocol.to_string(),
                              (from == nullptr ? from_at : to_at).path));
      return false;
    }
    const int type = from != nullptr ? *from : -1;
    const int code = to != nullptr ? *to : -1;
    if (auto icmp = IcmpMatch::make(type, code); !icmp) {
      state.error(from_at, icmp.error());
      return false;
    }
    if (type != -1) rule.set_icmp_type(type);
    if (code != -1) rule.set_icmp_code(code);
  }
  // -1 and other protocols: all traffic of the protocol, whatever ports are given.
  return true;
}

}  // namespace

std::string resolve_group(const std::string& group_id, const std::string& user_id, const std::string& peering_id,
                          const std::string& peering_status, const std::string& peer_vpc, GroupUse use,
                          const AwsOrigin& where, AwsImportState& state) {
  std::string why;
  const auto own = state.group_owner.find(group_id);
  if (!peering_id.empty()) {
    // VPC User Guide, "Update your security groups to reference peer security groups": a
    // reference over a peering connection names a group of the other VPC, whose members are
    // not in this import.
    why = fmt::format("it is reached over peering connection {}{}{}", peering_id,
                      peering_status.empty() ? "" : " (" + peering_status + ")",
                      peer_vpc.empty() ? "" : ", in " + peer_vpc);
  } else if (own == state.group_owner.end()) {
    const auto other = state.other_groups.find(group_id);
    why = other != state.other_groups.end() ? fmt::format("it belongs to {}, not the imported VPC", other->second)
                                            : "it is not in the dump (describe-security-groups)";
  } else {
    if (!user_id.empty() && !own->second.empty() && user_id != own->second) {
      // Group ids are unique across accounts, so the id decides; the account is a slip.
      state.warn(where, fmt::format("the reference names account {}, but {} in the dump belongs to {}: resolved to "
                                    "that group (group ids are unique across accounts)",
                                    user_id, group_id, own->second));
    }
    return group_id;
  }
  if (!user_id.empty() && own == state.group_owner.end()) why += fmt::format(" (account {})", user_id);
  state.warn(where, use == GroupUse::kCarriedByInterface
                        ? fmt::format("the interface's security group {} is kept as a group without rules, so it "
                                      "allows nothing here: {}",
                                      group_id, why)
                        : fmt::format("security group {} kept as a group without members or rules, so this matches "
                                      "nothing here: {}",
                                      group_id, why));
  state.external_groups.try_emplace(group_id, ExternalGroup{"external " + group_id, why});
  return group_id;
}

void convert_permissions(const google::protobuf::RepeatedPtrField<aws::IpPermission>& permissions,
                         const AwsOrigin& group, std::string_view field,
                         google::protobuf::RepeatedPtrField<pb::SgRule>& out, const std::string& out_path,
                         AwsImportState& state) {
  for (int i = 0; i < permissions.size(); ++i) {
    const aws::IpPermission& p = permissions.Get(i);
    const AwsOrigin at = group.child(field, static_cast<std::size_t>(i));
    const auto protocol = parse_protocol(p.ipprotocol(), at.child("IpProtocol"), state);
    if (!protocol) continue;
    pb::SgRule traffic;
    // Absent members are null: "-1" rules come without ports in describe-security-groups.
    const int from_value = p.fromport();
    const int to_value = p.toport();
    const int* from = p.has_fromport() ? &from_value : nullptr;
    const int* to = p.has_toport() ? &to_value : nullptr;
    // "For tcp, udp, and icmp, you must specify a port range. For icmpv6, the port range is
    // optional; if you omit the port range, traffic for all types and codes is allowed."
    const bool icmp_required = protocol->is_icmp_family() && protocol->value() == Protocol::kIcmp;
    if (!set_traffic(traffic, *protocol, from, to, icmp_required, at.child("FromPort"), at.child("ToPort"), state)) {
      continue;
    }
    const auto emit = [&](const AwsOrigin& peer_at, auto set_peer, const std::string& description) {
      const std::string path = fmt::format("{}[{}]", out_path, out.size());
      pb::SgRule* rule = out.Add();
      *rule = traffic;
      set_peer(*rule);
      rule->set_description(description);
      state.record(path, peer_at);
    };
    for (int k = 0; k < p.ipranges_size(); ++k) {
      const AwsOrigin peer_at = at.child("IpRanges", static_cast<std::size_t>(k));
      if (auto c = parse_cidr(p.ipranges(k).cidrip(), Family::kIpv4, peer_at.child("CidrIp"), state)) {
        emit(
            peer_at, [&](pb::SgRule& r) { r.set_cidr(c->to_string()); }, p.ipranges(k).description());
      }
    }
    for (int k = 0; k < p.ipv6ranges_size(); ++k) {
      const AwsOrigin peer_at = at.child("Ipv6Ranges", static_cast<std::size_t>(k));
      if (auto c = parse_cidr(p.ipv6ranges(k).cidripv6(), Family::kIpv6, peer_at.child("CidrIpv6"), state)) {
        emit(
            peer_at, [&](pb::SgRule& r) { r.set_cidr(c->to_string()); }, p.ipv6ranges(k).description());
      }
    }
    for (int k = 0; k < p.prefixlistids_size(); ++k) {
      const AwsOrigin peer_at = at.child("PrefixListIds", static_cast<std::size_t>(k));
      const std::string& id = p.prefixlistids(k).prefixlistid();
      if (id.empty()) {
        state.error(peer_at.child("PrefixListId"), "the prefix list id is missing");
        continue;
      }
      state.referenced_prefix_lists.try_emplace(id, peer_at);
      emit(
          peer_at, [&](pb::SgRule& r) { r.set_prefix_list(id); }, p.prefixlistids(k).description());
    }
    for (int k = 0; k < p.useridgrouppairs_size(); ++k) {
      const aws::UserIdGroupPair& pair = p.useridgrouppairs(k);
      const AwsOrigin peer_at = at.child("UserIdGroupPairs", static_cast<std::size_t>(k));
      if (pair.groupid().empty()) {
        state.error(peer_at.child("GroupId"), "the referenced group's GroupId is missing");
        continue;
      }
      const std::string id = resolve_group(pair.groupid(), pair.userid(), pair.vpcpeeringconnectionid(),
                                           pair.peeringstatus(), pair.vpcid(), GroupUse::kRulePeer, peer_at, state);
      emit(
          peer_at, [&](pb::SgRule& r) { r.set_security_group(id); }, pair.description());
    }
    if (p.ipranges_size() + p.ipv6ranges_size() + p.prefixlistids_size() + p.useridgrouppairs_size() == 0) {
      state.warn(at,
                 "a permission without IpRanges, Ipv6Ranges, PrefixListIds or UserIdGroupPairs allows nothing; "
                 "it is left out");
    }
  }
}

void convert_nacl_entries(const aws::NetworkAcl& acl, const AwsOrigin& origin, pb::NetworkAcl& out,
                          const std::string& out_path, AwsImportState& state) {
  struct Converted {
    pb::NaclEntry entry;
    bool egress = false;
    AwsOrigin origin;
  };
  std::vector<Converted> converted;
  for (int i = 0; i < acl.entries_size(); ++i) {
    const aws::NetworkAclEntry& e = acl.entries(i);
    const AwsOrigin at = origin.child("Entries", static_cast<std::size_t>(i));
    if (!e.has_rulenumber()) {
      state.error(at.child("RuleNumber"), "RuleNumber is missing");
      continue;
    }
    // 32767 (IPv4) and 32768 (IPv6) are the "*" entries AWS shows, which deny what no
    // numbered entry matched; the model has that final deny built in. The API reserves
    // 32767-65535 (EC2 API CreateNetworkAclEntry).
    if (e.rulenumber() > vpcsim::NaclEntry::kMaxNumber) {
      if (e.ruleaction() != "deny" || e.protocol() != "-1") {
        state.warn(at, fmt::format("entry {} is in AWS's reserved range 32767-65535 but is not the \"*\" deny-all; "
                                   "vpcsim applies its own final deny and leaves this entry out",
                                   e.rulenumber()));
      }
      continue;
    }
    if (e.rulenumber() < vpcsim::NaclEntry::kMinNumber) {
      state.error(at.child("RuleNumber"), fmt::format("rule number {} is outside 1-32766", e.rulenumber()));
      continue;
    }
    Converted c{{}, e.egress(), at};
    c.entry.set_rule_number(e.rulenumber());
    std::string action = e.ruleaction();
    std::ranges::transform(action, action.begin(), [](unsigned char ch) { return std::tolower(ch); });
    if (action != "allow" && action != "deny") {
      state.error(at.child("RuleAction"),
                  e.ruleaction().empty() ? "RuleAction is missing: allow or deny"
                                         : fmt::format("unknown RuleAction \"{}\": allow or deny", e.ruleaction()));
      continue;
    }
    c.entry.set_action(action);
    std::optional<Cidr> cidr;
    if (!e.cidrblock().empty() && !e.ipv6cidrblock().empty()) {
      state.error(at, "an entry has one of CidrBlock and Ipv6CidrBlock, not both");
      continue;
    }
    if (e.cidrblock().empty() && e.ipv6cidrblock().empty()) {
      state.error(at.child("CidrBlock"), "CidrBlock (or Ipv6CidrBlock) is missing");
      continue;
    }
    cidr = e.cidrblock().empty() ? parse_cidr(e.ipv6cidrblock(), Family::kIpv6, at.child("Ipv6CidrBlock"), state)
                                 : parse_cidr(e.cidrblock(), Family::kIpv4, at.child("CidrBlock"), state);
    if (!cidr) continue;
    c.entry.set_cidr(cidr->to_string());
    const auto protocol = parse_protocol(e.protocol(), at.child("Protocol"), state);
    if (!protocol) continue;
    bool ok = true;
    if (protocol->has_ports()) {
      const aws::PortRange& r = e.portrange();
      const int from = r.from();
      const int to = r.to();
      ok = set_traffic(c.entry, *protocol, r.has_from() ? &from : nullptr, r.has_to() ? &to : nullptr, false,
                       at.child("PortRange").child("From"), at.child("PortRange").child("To"), state);
    } else if (protocol->is_icmp_family() &&
               (protocol->value() == Protocol::kIcmp || cidr->family() == Family::kIpv6)) {
      // CreateNetworkAclEntry: IcmpTypeCode is "required if specifying protocol 1 (ICMP) or
      // protocol 58 (ICMPv6) with an IPv6 CIDR block"; 58 with an IPv4 block is all ICMPv6.
      const aws::IcmpTypeCode& t = e.icmptypecode();
      const int type = t.type();
      const int code = t.code();
      ok = set_traffic(c.entry, *protocol, t.has_type() ? &type : nullptr, t.has_code() ? &code : nullptr, true,
                       at.child("IcmpTypeCode").child("Type"), at.child("IcmpTypeCode").child("Code"), state);
    } else {
      c.entry.set_protocol(protocol->to_string());
    }
    if (ok) converted.push_back(std::move(c));
  }
  std::ranges::stable_sort(converted, {}, [](const Converted& c) { return c.entry.rule_number(); });
  for (Converted& c : converted) {
    auto& list = c.egress ? *out.mutable_egress() : *out.mutable_ingress();
    state.record(fmt::format("{}.{}[{}]", out_path, c.egress ? "egress" : "ingress", list.size()), c.origin);
    *list.Add() = std::move(c.entry);
  }
}

}  // namespace vpcsim::io
