// Options shared by `vpcsim reach` and `vpcsim graph`: which endpoints, protocol and port.
#pragma once

#include <CLI/CLI.hpp>

#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "model/analysis/packet_search.h"
#include "model/analysis/reachability.h"
#include "model/scenario.h"
#include "sim/cli/options.h"

namespace vpcsim::cli {

struct QueryOptions {
  CommonOptions common;
  // Comma-separated: instance names, interface ids, internet host names, or "all", "vpc"
  // (every interface), "internet" (every internet host). With --find: one endpoint, or for
  // the internet side a CIDR block ("any address in it").
  std::string from = "all";
  std::string to = "all";
  std::string protocol = "tcp";
  std::optional<int> port;  // the matrix uses 22 when not given; --find searches every port
  std::string client_ports = "1024-65535";
  std::optional<int> icmp_type;
  int icmp_code = 0;
  bool ipv6 = false;
};

void add_query_options(CLI::App& cmd, QueryOptions& o);

struct ResolvedQuery {
  std::vector<Endpoint> clients;
  std::vector<Endpoint> servers;
  analysis::ReachQuery query;
};
// Errors name the option at fault.
std::expected<ResolvedQuery, std::string> resolve_query(const Scenario& s, const QueryOptions& o);

// For --find. A CIDR end adds an internet host standing for the block to `s.network`.
std::expected<analysis::SearchSpace, std::string> search_space(Scenario& s, const QueryOptions& o);

struct ReachQueryText {
  std::string protocol;      // "tcp"
  std::string port;          // "22", or "" for protocols without ports, "type 8 code 0" for ICMP
  std::string client_ports;  // "1024-65535" or "-"
};
ReachQueryText describe_query(const analysis::ReachQuery& q);

}  // namespace vpcsim::cli
