// The state of one AWS import, shared by aws_import.cpp and aws_rules.cpp: the scenario
// being written, the problems found, and where each written object came from.
#pragma once

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string>

#include "io/aws_dump_reader.h"
#include "model/ip_address.h"
#include "proto/vpcsim.pb.h"

namespace vpcsim::io {

// A security group a rule or interface names that the import cannot resolve to one of the
// VPC's groups; it is added as a group without rules or members.
struct ExternalGroup {
  std::string name;  // "external sg-..."
  std::string why;   // for its description
};

struct AwsImportState {
  AwsImportState(const AwsDump& d, pb::Scenario& o) : dump(d), out(o) {}

  const AwsDump& dump;
  pb::Scenario& out;
  Errors errors;
  Errors warnings;
  std::map<std::string, AwsOrigin> origins;  // scenario field path -> where it came from

  std::string vpc_id;
  std::map<std::string, std::string> group_owner;   // the VPC's groups: id -> OwnerId
  std::map<std::string, std::string> other_groups;  // groups of other VPCs in the dump: id -> VpcId
  std::map<std::string, ExternalGroup> external_groups;
  std::map<std::string, AwsOrigin> referenced_prefix_lists;  // id -> first reference
  std::map<std::string, AwsOrigin> subnets;                  // the VPC's subnets: id -> origin
  // Subnets interfaces name that the dump does not hold: id -> the interfaces' addresses.
  std::map<std::string, std::pair<AwsOrigin, std::vector<IpAddress>>> missing_subnets;
  std::map<std::string, std::vector<IpAddress>> missing_subnet_ipv6;
  bool needs_open_group = false;  // an interface AWS filters with no group

  void error(const AwsOrigin& at, std::string message) { errors.push_back(at.error(std::move(message))); }
  void warn(const AwsOrigin& at, std::string message) { warnings.push_back(at.error(std::move(message))); }
  void record(const std::string& scenario_path, const AwsOrigin& origin) { origins.emplace(scenario_path, origin); }
};

// Interfaces with their instances (or stand-in owners), after the subnets were converted;
// stand-in subnets for interfaces whose subnet the dump lacks.
void convert_interfaces(AwsImportState& state);

// Case-insensitive equality, for the values AWS prints in either case.
inline bool same_text(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](unsigned char x, unsigned char y) { return std::tolower(x) == std::tolower(y); });
}

// The value of tag `key` (any case), or "".
inline std::string tag(const google::protobuf::RepeatedPtrField<aws::Tag>& tags, std::string_view key) {
  for (const aws::Tag& t : tags) {
    if (same_text(t.key(), key)) return t.value();
  }
  return {};
}

// Security group rules: every peer of an IpPermission becomes one rule.
void convert_permissions(const google::protobuf::RepeatedPtrField<aws::IpPermission>& permissions,
                         const AwsOrigin& group, std::string_view field,
                         google::protobuf::RepeatedPtrField<pb::SgRule>& out, const std::string& out_path,
                         AwsImportState& state);

// A network ACL's entries, sorted by number per direction; AWS's "*" entries (32767, 32768)
// are the model's implicit deny and are not written.
void convert_nacl_entries(const aws::NetworkAcl& acl, const AwsOrigin& origin, pb::NetworkAcl& out,
                          const std::string& out_path, AwsImportState& state);

// Resolves a group an interface carries or a rule names; unknown ones become external groups.
// `where` is the reference, for the warning.
enum class GroupUse { kRulePeer, kCarriedByInterface };
std::string resolve_group(const std::string& group_id, const std::string& user_id, const std::string& peering_id,
                          const std::string& peering_status, const std::string& peer_vpc, GroupUse use,
                          const AwsOrigin& where, AwsImportState& state);

}  // namespace vpcsim::io
