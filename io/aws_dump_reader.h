// Reading a dump of AWS CLI JSON (`aws ec2 describe-*` outputs) into the messages of
// proto/aws.proto, each object remembered with the file and JSON path it came from.
// Files are told apart by their top-level keys, not their names; only the output of
// `get-managed-prefix-list-entries`, which prints no list id, needs its name (see
// prefix_list_id_from_file_name).
#pragma once

#include <expected>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/error.h"
#include "proto/aws.pb.h"

namespace vpcsim::io {

// Where an object of a dump was written: "describe-security-groups.json" and
// "SecurityGroups[2].IpPermissions[0]".
struct AwsOrigin {
  std::string file;
  std::string path;

  AwsOrigin child(std::string_view field) const { return {file, path + "." + std::string(field)}; }
  AwsOrigin child(std::string_view field, std::size_t index) const;
  Error error(std::string message) const { return Error{file, 0, 0, path, std::move(message)}; }
};

template <class T>
struct AwsObject {
  const T* value = nullptr;
  AwsOrigin origin;
};

// get-managed-prefix-list-entries of one list.
struct AwsPrefixListEntries {
  std::string id;
  const google::protobuf::RepeatedPtrField<aws::PrefixListEntry>* entries = nullptr;
  AwsOrigin origin;  // of the file's "Entries"
};

// An instance with the reservation it came in.
struct AwsInstanceObject {
  const aws::Instance* value = nullptr;
  AwsOrigin origin;
};

// Everything read, in file-name order and then the order of each file.
struct AwsDump {
  std::vector<std::string> files;  // as read, sorted
  std::vector<AwsObject<aws::Vpc>> vpcs;
  std::vector<AwsObject<aws::Subnet>> subnets;
  std::vector<AwsObject<aws::SecurityGroup>> security_groups;
  std::vector<AwsObject<aws::NetworkInterface>> network_interfaces;  // describe-network-interfaces
  std::vector<AwsInstanceObject> instances;
  std::vector<AwsObject<aws::NetworkAcl>> network_acls;
  std::vector<AwsObject<aws::RouteTable>> route_tables;
  std::vector<AwsObject<aws::InternetGateway>> internet_gateways;
  std::vector<AwsObject<aws::ManagedPrefixList>> prefix_lists;
  std::vector<AwsPrefixListEntries> prefix_list_entries;
  Errors warnings;

  // Owns the parsed files the pointers above point into.
  std::vector<std::unique_ptr<aws::Dump>> storage;
};

// One input file: its name (for messages and the prefix-list id) and content.
struct AwsJsonFile {
  std::string name;
  std::string content;
};

// The pl-... id in a file name such as "prefix-list-pl-0123abcd.json", if it holds exactly one.
std::optional<std::string> prefix_list_id_from_file_name(std::string_view name);

// Parses every file; all problems (syntax, wrong types, a prefix-list entries file whose list
// cannot be told) are returned together, each with its file and, where known, line or JSON path.
std::expected<AwsDump, Errors> read_aws_dump(std::vector<AwsJsonFile> files);

// `path` is a directory (every *.json in it, sorted by name) or one file.
std::expected<std::vector<AwsJsonFile>, Errors> read_aws_json_files(const std::filesystem::path& path);

}  // namespace vpcsim::io
