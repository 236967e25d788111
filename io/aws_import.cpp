#include "io/aws_import.h"

#include <fmt/format.h>
#include <google/protobuf/text_format.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <map>
#include <set>

#include "io/aws_import_state.h"
#include "io/scenario_converter.h"
#include "model/cidr.h"

namespace vpcsim::io {

namespace {

// "associated" blocks only; AWS prints the state in lower case, older CLI examples upper.
bool associated(const aws::CidrState& s) { return s.state().empty() || same_text(s.state(), "associated"); }

// One warning for the objects of a kind that belong to other VPCs than the imported one.
template <class T>
void report_other_vpcs(const std::vector<AwsObject<T>>& objects, std::string_view kind, auto id_of, auto vpc_of,
                       AwsImportState& state) {
  std::vector<std::string> ids;
  const AwsOrigin* first = nullptr;
  for (const auto& o : objects) {
    if (vpc_of(*o.value).empty() || vpc_of(*o.value) == state.vpc_id) continue;
    if (first == nullptr) first = &o.origin;
    ids.push_back(id_of(*o.value));
  }
  if (ids.empty()) return;
  state.warn(*first, fmt::format("{} {} of other VPCs left out (vpcsim imports one VPC, {}): {}", ids.size(), kind,
                                 state.vpc_id, fmt::join(ids, ", ")));
}

class Importer {
 public:
  Importer(const AwsDump& dump, const std::string& label, const AwsImportOptions& options)
      : dump_(dump), label_(label), options_(options), state_(dump, out_) {}

  std::expected<AwsImport, Errors> run();

 private:
  bool choose_vpc();
  void convert_vpc();
  void convert_prefix_lists();
  void convert_security_groups();
  void convert_nacls();
  void convert_subnets();
  void add_internet_hosts();
  std::optional<bool> subnet_internet_route(const std::string& subnet_id, bool ipv4, bool ipv6, const AwsOrigin& at);
  Errors located(Errors errors) const;

  const AwsDump& dump_;
  std::string label_;
  AwsImportOptions options_;
  pb::Scenario out_;
  AwsImportState state_;
  const AwsObject<aws::Vpc>* vpc_ = nullptr;
};

bool Importer::choose_vpc() {
  std::vector<const AwsObject<aws::Vpc>*> vpcs;
  std::set<std::string> seen;
  for (const auto& v : dump_.vpcs) {
    if (seen.insert(v.value->vpcid()).second) vpcs.push_back(&v);
  }
  if (!options_.vpc_id.empty()) {
    for (const auto* v : vpcs) {
      if (v->value->vpcid() == options_.vpc_id) vpc_ = v;
    }
    if (vpc_ == nullptr) {
      state_.errors.push_back(
          Error{label_, 0, 0, "",
                fmt::format("no VPC {} in the dump (Vpcs holds: {})", options_.vpc_id, fmt::join(seen, ", "))});
    }
  } else if (vpcs.empty()) {
    state_.errors.push_back(Error{label_, 0, 0, "",
                                  "no VPC: add the output of `aws ec2 describe-vpcs` "
                                  "(describe-vpcs.json); every other object is placed in it"});
  } else if (vpcs.size() > 1) {
    state_.errors.push_back(
        Error{label_, 0, 0, "",
              fmt::format("the dump holds {} VPCs ({}): choose one with --vpc", vpcs.size(), fmt::join(seen, ", "))});
  } else {
    vpc_ = vpcs.front();
  }
  if (vpc_ == nullptr) return false;
  state_.vpc_id = vpc_->value->vpcid();
  return true;
}

void Importer::convert_vpc() {
  const aws::Vpc& v = *vpc_->value;
  state_.record("vpc", vpc_->origin);
  pb::Vpc& vpc = *out_.mutable_vpc();
  vpc.set_id(v.vpcid());
  if (v.cidrblock().empty()) state_.error(vpc_->origin.child("CidrBlock"), "the VPC's CidrBlock is missing");
  vpc.add_cidr_blocks(v.cidrblock());
  for (const auto& a : v.cidrblockassociationset()) {
    if (a.cidrblock() != v.cidrblock() && associated(a.cidrblockstate())) vpc.add_cidr_blocks(a.cidrblock());
  }
  for (const auto& a : v.ipv6cidrblockassociationset()) {
    if (associated(a.ipv6cidrblockstate())) vpc.add_ipv6_cidr_blocks(a.ipv6cidrblock());
  }
  // VPC User Guide, "Enable internet access for a VPC using an internet gateway": an attached
  // gateway. Without describe-internet-gateways, a route to an igw- in the VPC shows one.
  bool gateway = false;
  if (!dump_.internet_gateways.empty()) {
    for (const auto& g : dump_.internet_gateways) {
      for (const auto& a : g.value->attachments()) {
        gateway |= a.vpcid() == v.vpcid() && (same_text(a.state(), "available") || same_text(a.state(), "attached"));
      }
    }
  } else {
    for (const auto& t : dump_.route_tables) {
      if (t.value->vpcid() != v.vpcid()) continue;
      for (const auto& r : t.value->routes()) gateway |= r.gatewayid().starts_with("igw-");
    }
  }
  vpc.set_internet_gateway(gateway);
  const std::string name = tag(v.tags(), "Name");
  out_.set_name(name.empty() ? v.vpcid() : name);
}

void Importer::convert_prefix_lists() {
  // Every list the dump describes or gives entries of, then those only referenced.
  std::vector<std::string> ids;
  std::map<std::string, const aws::ManagedPrefixList*> described;
  for (const auto& p : dump_.prefix_lists) {
    if (described.emplace(p.value->prefixlistid(), p.value).second) ids.push_back(p.value->prefixlistid());
  }
  std::map<std::string, const AwsPrefixListEntries*> entries;
  for (const auto& e : dump_.prefix_list_entries) {
    if (!entries.emplace(e.id, &e).second) {
      state_.warn(e.origin, fmt::format("a second entries file for {}: the first one read is used", e.id));
      continue;
    }
    if (!described.contains(e.id)) ids.push_back(e.id);
  }
  for (const auto& [id, at] : state_.referenced_prefix_lists) {
    if (std::ranges::find(ids, id) == ids.end()) ids.push_back(id);
  }
  for (const std::string& id : ids) {
    const std::string path = fmt::format("prefix_lists[{}]", out_.prefix_lists_size());
    pb::PrefixList& list = *out_.add_prefix_lists();
    list.set_id(id);
    if (const auto d = described.find(id); d != described.end()) list.set_name(d->second->prefixlistname());
    const auto e = entries.find(id);
    if (e == entries.end()) {
      const auto ref = state_.referenced_prefix_lists.find(id);
      if (ref != state_.referenced_prefix_lists.end()) {
        state_.warn(ref->second, fmt::format("prefix list {} has no entries in the dump, so rules naming it match "
                                             "nothing: add `aws ec2 get-managed-prefix-list-entries "
                                             "--prefix-list-id {}` as prefix-list-{}.json",
                                             id, id, id));
        state_.record(path, ref->second);
      }
      continue;
    }
    state_.record(path, e->second->origin);
    for (int i = 0; i < e->second->entries->size(); ++i) {
      const std::string& text = e->second->entries->Get(i).cidr();
      auto cidr = Cidr::parse(text, Cidr::HostBits::kCanonicalise);
      if (!cidr) {
        state_.error(AwsOrigin{e->second->origin.file, fmt::format("Entries[{}].Cidr", i)}, cidr.error());
        continue;
      }
      list.add_entries(cidr->to_string());
    }
  }
}

void Importer::convert_security_groups() {
  std::set<std::string> seen;
  for (const auto& g : dump_.security_groups) {
    if (g.value->vpcid() == state_.vpc_id || g.value->vpcid().empty()) {
      state_.group_owner.emplace(g.value->groupid(), g.value->ownerid());
    } else {
      state_.other_groups.emplace(g.value->groupid(), g.value->vpcid());
    }
  }
  report_other_vpcs(
      dump_.security_groups, "security groups", [](const aws::SecurityGroup& g) { return g.groupid(); },
      [](const aws::SecurityGroup& g) { return g.vpcid(); }, state_);
  for (const auto& g : dump_.security_groups) {
    const aws::SecurityGroup& sg = *g.value;
    if (!state_.group_owner.contains(sg.groupid())) continue;
    if (sg.groupid().empty()) {
      state_.error(g.origin.child("GroupId"), "GroupId is missing");
      continue;
    }
    if (!seen.insert(sg.groupid()).second) {
      state_.warn(g.origin, fmt::format("{} appears twice in the dump: the first one read is used", sg.groupid()));
      continue;
    }
    const std::string path = fmt::format("security_groups[{}]", out_.security_groups_size());
    state_.record(path, g.origin);
    pb::SecurityGroup& out = *out_.add_security_groups();
    out.set_id(sg.groupid());
    out.set_name(sg.groupname().empty() ? sg.groupid() : sg.groupname());
    out.set_description(sg.description());
    // The rules exactly as AWS lists them (defaults: NONE): describe output already holds
    // whatever AWS added when it created the group.
    convert_permissions(sg.ippermissions(), g.origin, "IpPermissions", *out.mutable_ingress(), path + ".ingress",
                        state_);
    convert_permissions(sg.ippermissionsegress(), g.origin, "IpPermissionsEgress", *out.mutable_egress(),
                        path + ".egress", state_);
  }
  const bool has_default =
      std::ranges::any_of(out_.security_groups(), [](const pb::SecurityGroup& g) { return g.name() == "default"; });
  if (!dump_.security_groups.empty() && !has_default) {
    state_.warnings.push_back(Error{label_, 0, 0, "",
                                    "the VPC's group named \"default\" is not in the dump: vpcsim adds "
                                    "one with AWS's default rules"});
  }
  if (dump_.security_groups.empty()) {
    state_.warnings.push_back(Error{label_, 0, 0, "",
                                    "no security groups (describe-security-groups.json): every "
                                    "interface's groups are unknown and match nothing"});
  }
}

void Importer::convert_nacls() {
  report_other_vpcs(
      dump_.network_acls, "network ACLs", [](const aws::NetworkAcl& a) { return a.networkaclid(); },
      [](const aws::NetworkAcl& a) { return a.vpcid(); }, state_);
  std::set<std::string> seen;
  for (const auto& a : dump_.network_acls) {
    const aws::NetworkAcl& acl = *a.value;
    if (!acl.vpcid().empty() && acl.vpcid() != state_.vpc_id) continue;
    if (acl.networkaclid().empty()) {
      state_.error(a.origin.child("NetworkAclId"), "NetworkAclId is missing");
      continue;
    }
    if (!seen.insert(acl.networkaclid()).second) {
      state_.warn(a.origin,
                  fmt::format("{} appears twice in the dump: the first one read is used", acl.networkaclid()));
      continue;
    }
    const std::string path = fmt::format("network_acls[{}]", out_.network_acls_size());
    state_.record(path, a.origin);
    pb::NetworkAcl& out = *out_.add_network_acls();
    out.set_id(acl.networkaclid());
    out.set_is_default(acl.isdefault());
    convert_nacl_entries(acl, a.origin, out, path, state_);
  }
  const bool has_default =
      std::ranges::any_of(out_.network_acls(), [](const pb::NetworkAcl& a) { return a.is_default(); });
  if (out_.network_acls_size() > 0 && !has_default) {
    state_.warnings.push_back(Error{label_, 0, 0, "",
                                    "no default network ACL (IsDefault) in the dump: subnets without an "
                                    "association get AWS's default ACL, which allows all traffic"});
  }
  if (out_.network_acls_size() == 0) {
    state_.warnings.push_back(Error{label_, 0, 0, "",
                                    "no network ACLs (describe-network-acls.json): every subnet gets "
                                    "AWS's default ACL, which allows all traffic"});
  }
}

// VPC User Guide, "Route tables": a subnet uses the table explicitly associated with it, else
// the VPC's main table; it is public when that table sends 0.0.0.0/0 to an internet gateway
// (::/0 for an IPv6-only subnet, which has no IPv4 traffic to route).
std::optional<bool> Importer::subnet_internet_route(const std::string& subnet_id, bool ipv4, bool ipv6,
                                                    const AwsOrigin& at) {
  const aws::RouteTable* table = nullptr;
  const aws::RouteTable* main = nullptr;
  for (const auto& t : dump_.route_tables) {
    if (!t.value->vpcid().empty() && t.value->vpcid() != state_.vpc_id) continue;
    for (const auto& a : t.value->associations()) {
      if (a.subnetid() == subnet_id) table = t.value;
      if (a.main()) main = t.value;
    }
  }
  if (table == nullptr) table = main;
  if (table == nullptr) return std::nullopt;
  bool v4 = false;
  bool v6 = false;
  for (const aws::Route& r : table->routes()) {
    if (!r.gatewayid().starts_with("igw-") || same_text(r.state(), "blackhole")) continue;
    v4 |= r.destinationcidrblock() == "0.0.0.0/0";
    v6 |= r.destinationipv6cidrblock() == "::/0";
  }
  if (!ipv4) return v6;
  if (ipv6 && v4 != v6) {
    state_.warn(at, fmt::format("route table {} sends {} to the internet gateway but not {}; vpcsim has one internet "
                                "route per subnet and follows the IPv4 one",
                                table->routetableid(), v4 ? "0.0.0.0/0" : "::/0", v4 ? "::/0" : "0.0.0.0/0"));
  }
  return v4;
}

void Importer::convert_subnets() {
  report_other_vpcs(
      dump_.subnets, "subnets", [](const aws::Subnet& s) { return s.subnetid(); },
      [](const aws::Subnet& s) { return s.vpcid(); }, state_);
  std::map<std::string, std::string> acl_of;  // subnet -> its explicitly associated ACL
  for (const auto& a : dump_.network_acls) {
    if (!a.value->vpcid().empty() && a.value->vpcid() != state_.vpc_id) continue;
    for (const auto& assoc : a.value->associations()) acl_of.emplace(assoc.subnetid(), a.value->networkaclid());
  }
  bool reported_no_tables = false;
  for (const auto& s : dump_.subnets) {
    const aws::Subnet& subnet = *s.value;
    if (!subnet.vpcid().empty() && subnet.vpcid() != state_.vpc_id) continue;
    if (subnet.subnetid().empty()) {
      state_.error(s.origin.child("SubnetId"), "SubnetId is missing");
      continue;
    }
    if (!state_.subnets.emplace(subnet.subnetid(), s.origin).second) {
      state_.warn(s.origin, fmt::format("{} appears twice in the dump: the first one read is used", subnet.subnetid()));
      continue;
    }
    const std::string path = fmt::format("subnets[{}]", out_.subnets_size());
    state_.record(path, s.origin);
    pb::Subnet& out = *out_.add_subnets();
    out.set_id(subnet.subnetid());
    out.set_cidr(subnet.cidrblock());
    for (const auto& a : subnet.ipv6cidrblockassociationset()) {
      if (associated(a.ipv6cidrblockstate()) && out.ipv6_cidr().empty()) out.set_ipv6_cidr(a.ipv6cidrblock());
    }
    // An IPv6-only subnet ("Ipv6Native": true) has an IPv6 block and no CidrBlock (EC2 API
    // Subnet: "Ipv6Native - Indicates whether this is an IPv6 only subnet";
    // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Subnet.html).
    if (subnet.cidrblock().empty() && out.ipv6_cidr().empty()) {
      state_.error(s.origin.child("CidrBlock"), subnet.ipv6native()
                                                    ? "the IPv6-only subnet has no associated IPv6 block "
                                                      "(Ipv6CidrBlockAssociationSet)"
                                                    : "CidrBlock is missing, and the subnet has no associated IPv6 "
                                                      "block either");
    } else if (subnet.ipv6native() && !subnet.cidrblock().empty()) {
      state_.warn(s.origin.child("CidrBlock"),
                  "Ipv6Native is true, yet the subnet has a CidrBlock: imported as a "
                  "dual-stack subnet");
    }
    out.set_availability_zone(subnet.availabilityzone());
    // VPC User Guide, "Network ACLs": a subnet without an explicit association uses the
    // VPC's default ACL, which the scenario's empty network_acl also means.
    if (const auto acl = acl_of.find(subnet.subnetid()); acl != acl_of.end()) out.set_network_acl(acl->second);
    const auto route =
        subnet_internet_route(subnet.subnetid(), !out.cidr().empty(), !out.ipv6_cidr().empty(), s.origin);
    if (!route && !reported_no_tables) {
      reported_no_tables = true;
      state_.warn(s.origin, dump_.route_tables.empty()
                                ? "no route tables (describe-route-tables.json): every subnet is taken as private "
                                  "(no route to the internet gateway)"
                                : "no route table is associated with this subnet and the VPC has no main table in "
                                  "the dump: taken as private");
    }
    out.set_internet_route(route.value_or(false));
  }
}

// Internet hosts for flows and `explain --from internet`: AWS dumps have none, and the
// engine's flows need an end outside the VPC. Documentation addresses (RFC 5737, RFC 3849).
void Importer::add_internet_hosts() {
  std::vector<Cidr> blocks;
  for (const auto& c : out_.vpc().cidr_blocks()) {
    if (auto b = Cidr::parse(c)) blocks.push_back(*b);
  }
  for (const auto& c : out_.vpc().ipv6_cidr_blocks()) {
    if (auto b = Cidr::parse(c)) blocks.push_back(*b);
  }
  std::set<std::string> taken;
  for (const pb::Instance& i : out_.instances()) taken.insert(i.name());
  const auto add = [&](std::string name, std::initializer_list<const char*> candidates, const char* what) {
    while (taken.contains(name)) name += "-host";
    for (const char* text : candidates) {
      const IpAddress a = *IpAddress::parse(text);
      if (std::ranges::any_of(blocks, [&](const Cidr& b) { return b.contains(a); })) continue;
      pb::InternetHost& h = *out_.add_internet_hosts();
      h.set_name(name);
      h.set_address(text);
      h.set_description(what);
      return;
    }
  };
  add("internet", {"198.51.100.77", "192.0.2.77", "203.0.113.77"}, "an IPv4 host on the internet, added by the import");
  if (out_.vpc().ipv6_cidr_blocks_size() > 0) {
    add("internet6", {"2001:db8:ffff::77", "2001:db8:eeee::77"}, "an IPv6 host on the internet, added by the import");
  }
}

// A converter error names a field of the written scenario; the origin map turns it back into
// the file and JSON path it came from.
Errors Importer::located(Errors errors) const {
  for (Error& e : errors) {
    const std::string field = e.field;
    const AwsOrigin* best = nullptr;
    std::size_t best_length = 0;
    for (const auto& [path, origin] : state_.origins) {
      const bool prefix = field.starts_with(path) &&
                          (field.size() == path.size() || field[path.size()] == '.' || field[path.size()] == '[');
      if (prefix && path.size() >= best_length) {
        best = &origin;
        best_length = path.size();
      }
    }
    if (best == nullptr) {
      e.file = label_;
      continue;
    }
    e.file = best->file;
    e.line = 0;
    e.column = 0;
    e.message += fmt::format(" (imported as {})", field);
    e.field = best->path;
  }
  return errors;
}

std::expected<AwsImport, Errors> Importer::run() {
  if (!choose_vpc()) return std::unexpected(std::move(state_.errors));
  convert_vpc();
  convert_security_groups();
  convert_prefix_lists();
  convert_nacls();
  convert_subnets();
  convert_interfaces(state_);
  add_internet_hosts();
  // External groups last: rules and interfaces keep naming them, and they match nothing.
  for (const auto& [id, g] : state_.external_groups) {
    pb::SecurityGroup& out = *out_.add_security_groups();
    out.set_id(id);
    out.set_name(g.name);
    out.set_description("not resolvable in this import, so it has no rules and only the members the dump shows: " +
                        g.why);
  }
  out_.set_model(pb::STATEFUL);  // real AWS: security groups track connections
  out_.set_description(fmt::format(
      "VPC {} imported from AWS CLI JSON ({}){}", state_.vpc_id, label_,
      state_.warnings.empty() && dump_.warnings.empty()
          ? ""
          : fmt::format("; {} warning(s): see the import's output", state_.warnings.size() + dump_.warnings.size())));
  if (!state_.errors.empty()) return std::unexpected(std::move(state_.errors));
  ConversionOptions options;
  options.rule_host_bits = Cidr::HostBits::kCanonicalise;
  auto scenario = scenario_from_proto(out_, label_, nullptr, options);
  if (!scenario) return std::unexpected(located(std::move(scenario.error())));
  AwsImport result{out_, std::move(*scenario), dump_.warnings};
  for (Error& w : state_.warnings) result.warnings.push_back(std::move(w));
  return result;
}

}  // namespace

std::expected<AwsImport, Errors> import_aws_dump(const AwsDump& dump, const std::string& label,
                                                 const AwsImportOptions& options) {
  return Importer(dump, label, options).run();
}

std::expected<AwsImport, Errors> import_aws(const std::filesystem::path& path, const AwsImportOptions& options) {
  auto files = read_aws_json_files(path);
  if (!files) return std::unexpected(std::move(files.error()));
  auto dump = read_aws_dump(std::move(*files));
  if (!dump) return std::unexpected(std::move(dump.error()));
  return import_aws_dump(*dump, path.string(), options);
}

std::string to_scenario_json(const AwsImport& imported) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(imported.proto, &out, options);
  return out;
}

std::string to_textproto(const AwsImport& imported, const std::string& source) {
  std::string out = fmt::format("# vpcsim scenario imported from AWS CLI JSON: {}\n", source);
  out += fmt::format("# {} warning{}\n", imported.warnings.size(), imported.warnings.size() == 1 ? "" : "s");
  for (const Error& w : imported.warnings) {
    std::string text = w.format();
    std::ranges::replace(text, '\n', ' ');
    out += "# warning: " + text + "\n";
  }
  out += "\n";
  std::string body;
  google::protobuf::TextFormat::Printer printer;
  printer.PrintToString(imported.proto, &body);
  return out + body;
}

}  // namespace vpcsim::io
