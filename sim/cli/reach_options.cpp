#include "sim/cli/reach_options.h"

#include "sim/cli/commands.h"

#include <fmt/format.h>

#include <set>

#include "model/aws_service.h"

namespace vpcsim::cli {

void add_query_options(CLI::App& cmd, QueryOptions& o) {
  add_input_options(cmd, o.common, "Scenario file (.textproto or .json)");
  cmd.add_option("--from", o.from,
                 "Clients: comma-separated instance names, interface ids, internet host names, or all, vpc, internet")
      ->capture_default_str();
  cmd.add_option("--to", o.to, "Servers, as --from")->capture_default_str();
  cmd.add_option("--proto", o.protocol, "tcp, udp, icmp, icmpv6 or a protocol number (--find: also any)")
      ->capture_default_str();
  cmd.add_option("--port", o.port, "Server port for tcp/udp (matrix: 22 when not given; --find: every port)");
  cmd.add_option("--client-ports", o.client_ports, "The ephemeral range clients send from")->capture_default_str();
  cmd.add_option("--icmp-type", o.icmp_type, "ICMP type (default: echo request)");
  cmd.add_option("--icmp-code", o.icmp_code, "ICMP code")->capture_default_str();
  cmd.add_flag("--ipv6", o.ipv6, "Use IPv6 addresses");
}

namespace {

std::expected<std::vector<Endpoint>, std::string> select(const Network& net, const std::string& text, const char* option) {
  std::vector<Endpoint> out;
  std::set<Endpoint> seen;
  const auto add = [&](Endpoint e) {
    if (seen.insert(e).second) out.push_back(e);
  };
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string item = text.substr(start, comma - start);
    start = comma + 1;
    if (item.empty()) return std::unexpected(fmt::format("{}: empty name in '{}'", option, text));
    if (item == "all" || item == "vpc") {
      for (std::uint32_t i = 0; i < net.enis.size(); ++i) add(EniId(i));
    }
    if (item == "all" || item == "internet") {
      for (std::uint32_t i = 0; i < net.external_hosts.size(); ++i) {
        // "internet" leaves out hosts that stand for an AWS service (model/aws_service.h).
        if (item == "internet" && aws_service_at(net, net.external_hosts[i].address)) continue;
        add(ExternalHostId(i));
      }
    }
    if (item == "all" || item == "vpc" || item == "internet") continue;
    const auto e = resolve_endpoint(net, item);
    if (!e) return std::unexpected(fmt::format("{}: '{}' is not an instance, interface or internet host", option, item));
    add(*e);
  }
  return out;
}

}  // namespace

static std::expected<analysis::ReachQuery, std::string> parse_query(const QueryOptions& o, bool port_required) {
  analysis::ReachQuery q;
  const auto proto = Protocol::parse(o.protocol);
  if (!proto) return std::unexpected("--proto: " + proto.error());
  if (proto->is_all()) return std::unexpected(std::string("--proto: a packet has one protocol; 'all' is only for rules"));
  q.protocol = proto->value();
  q.family = o.ipv6 ? Family::kIpv6 : Family::kIpv4;
  if (proto->has_ports()) {
    const int port = o.port.value_or(port_required ? 22 : 0);
    if (port < 0 || port > 65535 || (o.port && port < 1)) return std::unexpected(fmt::format("--port {} is out of range 1-65535", port));
    q.port = static_cast<std::uint16_t>(port);
    const auto range = PortRange::parse(o.client_ports);
    if (!range) return std::unexpected("--client-ports: " + range.error());
    q.client_ports = *range;
  } else if (proto->is_icmp_family()) {
    const int type = o.icmp_type.value_or(q.protocol == Protocol::kIcmp ? 8 : 128);
    if (type < 0 || type > 255 || o.icmp_code < 0 || o.icmp_code > 255) {
      return std::unexpected(std::string("--icmp-type/--icmp-code must be 0-255"));
    }
    q.icmp_type = static_cast<std::uint8_t>(type);
    q.icmp_code = static_cast<std::uint8_t>(o.icmp_code);
  }
  return q;
}

std::expected<ResolvedQuery, std::string> resolve_query(const Scenario& s, const QueryOptions& o) {
  ResolvedQuery r;
  auto q = parse_query(o, true);
  if (!q) return std::unexpected(q.error());
  r.query = *q;
  auto clients = select(s.network, o.from, "--from");
  if (!clients) return std::unexpected(clients.error());
  auto servers = select(s.network, o.to, "--to");
  if (!servers) return std::unexpected(servers.error());
  r.clients = std::move(*clients);
  r.servers = std::move(*servers);
  return r;
}

std::expected<analysis::SearchSpace, std::string> search_space(Scenario& s, const QueryOptions& o) {
  analysis::SearchSpace space;
  // "--proto any" searches every protocol number.
  QueryOptions parsed = o;
  if (o.protocol == "any") parsed.protocol = "tcp";
  auto q = parse_query(parsed, false);
  if (!q) return std::unexpected(q.error());
  space.family = q->family;
  if (o.protocol != "any") space.protocol = q->protocol;
  if (o.port && o.protocol != "any") space.dst_ports = PortRange::single(q->port);
  if (q->protocol == Protocol::kTcp || q->protocol == Protocol::kUdp) space.src_ports = q->client_ports;
  for (const auto& [text, option, endpoint, blocks] :
       {std::tuple{o.from, "--from", &space.from, &space.from_addresses}, std::tuple{o.to, "--to", &space.to, &space.to_addresses}}) {
    if (const auto cidr = Cidr::parse(text, Cidr::HostBits::kCanonicalise); cidr && text.find('/') != std::string::npos) {
      // An internet host standing for the block: the search varies its address over it.
      s.network.external_hosts.push_back(ExternalHost{"internet " + cidr->to_string(), cidr->first(), "any address in the block"});
      *endpoint = ExternalHostId(static_cast<std::uint32_t>(s.network.external_hosts.size() - 1));
      blocks->push_back(*cidr);
      continue;
    }
    const auto e = resolve_endpoint(s.network, text);
    if (!e) {
      return std::unexpected(fmt::format("{}: with --find give one instance, interface or internet host name, or a CIDR "
                                         "block for the internet side ('{}' is none of these)",
                                         option, text));
    }
    *endpoint = *e;
  }
  return space;
}

ReachQueryText describe_query(const analysis::ReachQuery& q) {
  ReachQueryText t;
  t.protocol = Protocol::number(q.protocol).to_string();
  if (q.protocol == Protocol::kTcp || q.protocol == Protocol::kUdp) {
    t.port = std::to_string(q.port);
    t.client_ports = q.client_ports.to_string();
  } else {
    if (q.protocol == Protocol::kIcmp || q.protocol == Protocol::kIcmpv6) t.port = fmt::format("type {} code {}", q.icmp_type, q.icmp_code);
    t.client_ports = "-";
  }
  return t;
}

}  // namespace vpcsim::cli
