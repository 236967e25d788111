// One security-group rule or network-ACL entry written as the text fields of an editor row,
// validated by the same converter code as a scenario file (security_group_converter,
// network_acl_converter), so an editor shows exactly the messages `vpcsim validate` would.
// The inverse, rule -> fields, fills the editor from a network.
#pragma once

#include <cstddef>
#include <expected>
#include <string>
#include <vector>

#include "model/network.h"

namespace vpcsim::io {

// A problem with one field of a row: `field` is the SgRule/NaclEntry field of the schema
// ("protocol", "ports", "cidr", "rule_number", ...; "" for the row as a whole), `message`
// says what is wrong and how to fix it.
struct FieldProblem {
  std::string field;
  std::string message;
};

struct SgRuleFields {
  std::string protocol;   // tcp, udp, icmp, icmpv6, all / -1, or a number
  std::string ports;      // tcp/udp: "22", "1024-65535", "all"
  std::string icmp_type;  // icmp: a number, or empty / -1 for all
  std::string icmp_code;
  std::string peer;       // a CIDR block, a security group id, or a prefix list id
  std::string description;
  std::string id;         // "sgr-..." (kept as it was)
};

struct NaclEntryFields {
  std::string number;  // 1-32766
  std::string action;  // allow | deny
  std::string protocol;
  std::string ports;
  std::string icmp_type;
  std::string icmp_code;
  std::string cidr;
};

// The fields of an existing rule, as the editor shows them.
SgRuleFields to_fields(const Network& net, const SgRule& r);
NaclEntryFields to_fields(const NaclEntry& e);

// A problem with one row of an editor table (0-based; messages name rows 1-based, "row 2").
struct RowProblem {
  std::size_t row = 0;
  FieldProblem problem;
};
using RowProblems = std::vector<RowProblem>;

// The rules the rows describe, in row order, against the groups and prefix lists of `net`
// (which a peer may name), or every problem of every row.
std::expected<std::vector<SgRule>, RowProblems> sg_rules_from_fields(const Network& net,
                                                                     const std::vector<SgRuleFields>& rows);
// The entries, sorted by number; duplicate numbers are problems (the EC2 API refuses them).
std::expected<std::vector<NaclEntry>, RowProblems> nacl_entries_from_fields(const std::vector<NaclEntryFields>& rows);

}  // namespace vpcsim::io
