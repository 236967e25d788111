#include "io/rule_fields.h"

#include <fmt/format.h>

#include <charconv>
#include <optional>

#include "io/conversion_context.h"
#include "io/network_acl_converter.h"
#include "io/security_group_converter.h"
#include "model/explain.h"
#include "proto/vpcsim.pb.h"

namespace vpcsim::io {

namespace {

std::string icmp_text(std::int16_t v) { return v < 0 ? "" : std::to_string(v); }

void set_traffic_text(const TrafficMatch& t, std::string& protocol, std::string& ports, std::string& type,
                      std::string& code) {
  protocol = t.protocol.to_string();
  if (t.protocol.has_ports()) ports = t.ports.to_string();
  if (t.protocol.is_icmp_family()) {
    type = icmp_text(t.icmp.type);
    code = icmp_text(t.icmp.code);
  }
}

// "row 3" (1-based, as the editor numbers its rows).
std::string row_path(std::size_t row) { return fmt::format("row {}", row + 1); }

// An optional whole number written as text: empty is absent; otherwise a problem when it is
// not a number.
std::optional<int> parse_int(const std::string& text, const std::string& field, std::size_t row, RowProblems& problems,
                             bool& ok) {
  if (text.empty()) return std::nullopt;
  int v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) {
    problems.push_back({row, {field, fmt::format("'{}' is not a whole number", text)}});
    ok = false;
    return std::nullopt;
  }
  return v;
}

// The converter's errors for one row, with the field path reduced to the field's name.
void collect(Diagnostics& diag, std::size_t row, RowProblems& out) {
  const std::string prefix = row_path(row);
  for (Error& e : diag.take()) {
    std::string field = e.field;
    if (field.starts_with(prefix)) field.erase(0, prefix.size());
    if (field.starts_with(".")) field.erase(0, 1);
    out.push_back({row, {std::move(field), std::move(e.message)}});
  }
}

// Names of the network's groups and prefix lists, so that a converted rule resolves them.
void declare_names(const Network& net, ConversionContext& ctx) {
  for (std::uint32_t i = 0; i < net.security_groups.size(); ++i) {
    ctx.sgs.add(net.security_groups[i].id, SgId(i), "security_groups", ctx.diag);
  }
  for (std::uint32_t i = 0; i < net.prefix_lists.size(); ++i) {
    ctx.prefix_lists.add(net.prefix_lists[i].id, PrefixListId(i), "prefix_lists", ctx.diag);
  }
}

}  // namespace

SgRuleFields to_fields(const Network& net, const SgRule& r) {
  SgRuleFields f;
  set_traffic_text(r.traffic, f.protocol, f.ports, f.icmp_type, f.icmp_code);
  if (const auto* sg = std::get_if<SgId>(&r.peer)) f.peer = net.sg(*sg).id;
  if (const auto* pl = std::get_if<PrefixListId>(&r.peer)) f.peer = net.prefix_list(*pl).id;
  if (const auto* cidr = std::get_if<Cidr>(&r.peer)) f.peer = cidr->to_string();
  f.description = r.description;
  f.id = r.id;
  return f;
}

NaclEntryFields to_fields(const NaclEntry& e) {
  NaclEntryFields f;
  f.number = std::to_string(e.number);
  f.action = std::string(to_string(e.action));
  set_traffic_text(e.traffic, f.protocol, f.ports, f.icmp_type, f.icmp_code);
  f.cidr = e.cidr.to_string();
  return f;
}

std::expected<std::vector<SgRule>, RowProblems> sg_rules_from_fields(const Network& net,
                                                                     const std::vector<SgRuleFields>& rows) {
  Network scratch = net;
  Diagnostics names_diag("editor", nullptr);
  const ConversionOptions options;
  ConversionContext names(scratch, names_diag, options);
  declare_names(net, names);

  RowProblems problems;
  std::vector<SgRule> rules;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const SgRuleFields& f = rows[i];
    bool ok = true;
    pb::SgRule r;
    r.set_id(f.id);
    r.set_protocol(f.protocol);
    r.set_ports(f.ports);
    if (auto t = parse_int(f.icmp_type, "icmp_type", i, problems, ok); t && *t != -1) r.set_icmp_type(*t);
    if (auto c = parse_int(f.icmp_code, "icmp_code", i, problems, ok); c && *c != -1) r.set_icmp_code(*c);
    // The peer is one text: a group or prefix list by id (also when it does not exist yet, so
    // that the message lists the known ones), else a CIDR block.
    if (names.sgs.find(f.peer) || f.peer.starts_with("sg-")) {
      r.set_security_group(f.peer);
    } else if (names.prefix_lists.find(f.peer) || f.peer.starts_with("pl-")) {
      r.set_prefix_list(f.peer);
    } else {
      r.set_cidr(f.peer);
    }
    r.set_description(f.description);
    Diagnostics diag("editor", nullptr);
    ConversionContext ctx(scratch, diag, options);
    ctx.sgs = names.sgs;
    ctx.prefix_lists = names.prefix_lists;
    auto rule = convert_sg_rule(r, row_path(i), ctx);
    collect(diag, i, problems);
    if (rule && ok) rules.push_back(std::move(*rule));
  }
  if (!problems.empty()) return std::unexpected(std::move(problems));
  return rules;
}

std::expected<std::vector<NaclEntry>, RowProblems> nacl_entries_from_fields(const std::vector<NaclEntryFields>& rows) {
  Network scratch;
  const ConversionOptions options;
  RowProblems problems;
  NaclNumberUse used;
  NetworkAcl acl;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const NaclEntryFields& f = rows[i];
    bool ok = true;
    pb::NaclEntry e;
    const bool number_ok = ok;
    if (auto n = parse_int(f.number, "rule_number", i, problems, ok)) e.set_rule_number(*n);
    // A number that is not one was reported above; a valid stand-in keeps the converter from
    // reporting it again as missing.
    if (number_ok && !ok) e.set_rule_number(NaclEntry::kMinNumber);
    e.set_action(f.action);
    e.set_protocol(f.protocol);
    e.set_ports(f.ports);
    if (auto t = parse_int(f.icmp_type, "icmp_type", i, problems, ok); t && *t != -1) e.set_icmp_type(*t);
    if (auto c = parse_int(f.icmp_code, "icmp_code", i, problems, ok); c && *c != -1) e.set_icmp_code(*c);
    e.set_cidr(f.cidr);
    Diagnostics diag("editor", nullptr);
    ConversionContext ctx(scratch, diag, options);
    auto entry = convert_nacl_entry(e, row_path(i), ctx, ok ? &used : nullptr);
    collect(diag, i, problems);
    if (entry && ok) acl.ingress.push_back(*entry);
  }
  if (!problems.empty()) return std::unexpected(std::move(problems));
  acl.sort_entries();
  return std::move(acl.ingress);
}

}  // namespace vpcsim::io
