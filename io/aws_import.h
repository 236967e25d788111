// `vpcsim import aws`: a VPC described by AWS CLI JSON (aws ec2 describe-vpcs, -subnets,
// -security-groups, -network-interfaces, -instances, -network-acls, -route-tables,
// -internet-gateways, -managed-prefix-lists and get-managed-prefix-list-entries) becomes a
// vpcsim scenario under the stateful model: first the schema's pb::Scenario (what
// `import aws -o` writes), then, through the same converter as hand-written scenarios, the
// domain model.
//
// What AWS data cannot be resolved inside the dump is kept and reported as a warning with
// its file and JSON path, never dropped:
// - a rule referencing a security group that is not in the dump, belongs to another account
//   or is reached over a peering connection keeps that group as its peer; the group is added
//   without rules and without members (named "external sg-..."), so the rule matches nothing
//   here, as a stale reference matches nothing in AWS;
// - a prefix list referenced without its entries is added empty (it matches nothing);
// - an interface whose subnet is not in the dump gets a stand-in subnet around its addresses;
// - an interface no instance owns (NAT gateway, VPC endpoint, Lambda, load balancer, or a
//   detached one) gets a stand-in owner named "<InterfaceType>-<interface id>", its role the
//   interface type: the model's instances are what flows name, and these are reachable ends.
#pragma once

#include <expected>
#include <filesystem>
#include <string>
#include <vector>

#include "io/aws_dump_reader.h"
#include "model/error.h"
#include "model/scenario.h"
#include "proto/vpcsim.pb.h"

namespace vpcsim::io {

struct AwsImportOptions {
  std::string vpc_id;  // which VPC, when the dump holds several
};

struct AwsImport {
  pb::Scenario proto;  // the scenario as the schema writes it
  Scenario scenario;   // the same, converted
  Errors warnings;     // what was kept but could not be resolved, or was left out
};

// `label` names the dump in the scenario's description and in errors without a file.
std::expected<AwsImport, Errors> import_aws_dump(const AwsDump& dump, const std::string& label,
                                                 const AwsImportOptions& options = {});

// Reads `path` (a directory of *.json files, or one file) and imports it.
std::expected<AwsImport, Errors> import_aws(const std::filesystem::path& path, const AwsImportOptions& options = {});

// The scenario in protobuf text format, headed by comments naming its source and listing
// the warnings: what `vpcsim import aws` writes.
std::string to_textproto(const AwsImport& imported, const std::string& source);
// The scenario as protobuf JSON (loadable as a .json scenario); JSON has no comments, so the
// warnings are not in it.
std::string to_scenario_json(const AwsImport& imported);

}  // namespace vpcsim::io
