// `vpcsim explain SCENARIO --from X --to Y --proto tcp --port 22` (or `--flow NAME`): the
// hop-by-hop trace of one exchange in both directions, naming every deciding rule.
#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "model/compiled_filters.h"
#include "model/endpoint.h"
#include "sim/cli/commands.h"
#include "sim/cli/options.h"
#include "sim/cli/report_output.h"
#include "sim/flow_runner.h"

namespace vpcsim::cli {

namespace {

struct ExplainOptions {
  CommonOptions common;
  std::string flow;
  std::string from;
  std::string to;
  std::string protocol = "tcp";
  std::optional<int> port;
  int client_port = kDefaultClientPort;
  std::optional<int> icmp_type;
  int icmp_code = 0;
  bool ipv6 = false;
};

// The flow the options describe, or a message naming the option that is wrong.
std::expected<FlowSpec, std::string> flow_from_options(const Scenario& s, const ExplainOptions& o) {
  if (!o.flow.empty()) {
    for (const FlowSpec& f : s.flows) {
      if (f.name == o.flow) return f;
    }
    std::string known;
    for (const FlowSpec& f : s.flows) known += (known.empty() ? "" : ", ") + f.name;
    return std::unexpected(fmt::format("--flow: no flow named '{}' in {} (flows: {})", o.flow, s.name, known.empty() ? "none" : known));
  }
  if (o.from.empty() || o.to.empty()) return std::unexpected(std::string("give --flow NAME, or both --from and --to"));
  FlowSpec f;
  f.name = fmt::format("{} -> {}", o.from, o.to);
  for (const auto& [text, option, slot] : {std::tuple{o.from, "--from", &f.client}, std::tuple{o.to, "--to", &f.server}}) {
    const auto e = resolve_endpoint(s.network, text);
    if (!e) return std::unexpected(fmt::format("{}: '{}' is not an instance, interface or internet host of {}", option, text, s.name));
    *slot = *e;
  }
  if (as_eni(f.client) == std::nullopt && as_eni(f.server) == std::nullopt) {
    return std::unexpected(std::string("--from/--to: both are internet hosts; at least one end must be in the VPC"));
  }
  const auto proto = Protocol::parse(o.protocol);
  if (!proto) return std::unexpected("--proto: " + proto.error());
  if (proto->is_all()) return std::unexpected(std::string("--proto: a packet has one protocol; 'all' is only for rules"));
  f.protocol = proto->value();
  f.family = o.ipv6 ? Family::kIpv6 : Family::kIpv4;
  if (proto->has_ports()) {
    if (!o.port) return std::unexpected(fmt::format("--port is required for {}", proto->to_string()));
    if (*o.port < 1 || *o.port > 65535) return std::unexpected(fmt::format("--port {} is out of range 1-65535", *o.port));
    if (o.client_port < 1 || o.client_port > 65535) {
      return std::unexpected(fmt::format("--client-port {} is out of range 1-65535", o.client_port));
    }
    f.server_port = static_cast<std::uint16_t>(*o.port);
    f.client_port = static_cast<std::uint16_t>(o.client_port);
  } else if (proto->is_icmp_family()) {
    const int type = o.icmp_type.value_or(proto->value() == Protocol::kIcmp ? 8 : 128);
    if (type < 0 || type > 255 || o.icmp_code < 0 || o.icmp_code > 255) {
      return std::unexpected(std::string("--icmp-type/--icmp-code must be 0-255"));
    }
    f.icmp_type = static_cast<std::uint8_t>(type);
    f.icmp_code = static_cast<std::uint8_t>(o.icmp_code);
  }
  const CompiledFilters filters(s.network);
  if (auto p = PathEvaluator(s.network, filters).make_packet(f.client, f.server, f.family, f.protocol, 0, 0); !p) {
    return std::unexpected(p.error() + (o.ipv6 ? "" : " (use --ipv6 for IPv6 hosts)"));
  }
  return f;
}

}  // namespace

CommandRunner add_explain_command(CLI::App& app) {
  auto o = std::make_shared<ExplainOptions>();
  CLI::App* cmd = app.add_subcommand("explain", "Trace one exchange hop by hop, both directions, naming each deciding rule");
  add_input_options(*cmd, o->common, "Scenario file (.textproto or .json)");
  cmd->add_option("--flow", o->flow, "A flow of the scenario, by name");
  cmd->add_option("--from", o->from, "Client: instance name, interface id or internet host name");
  cmd->add_option("--to", o->to, "Server: instance name, interface id or internet host name");
  cmd->add_option("--proto", o->protocol, "tcp, udp, icmp, icmpv6 or a protocol number")->capture_default_str();
  cmd->add_option("--port", o->port, "Server (destination) port for tcp/udp");
  cmd->add_option("--client-port", o->client_port, "Client (source) port for tcp/udp")->capture_default_str();
  cmd->add_option("--icmp-type", o->icmp_type, "ICMP type (default: echo request)");
  cmd->add_option("--icmp-code", o->icmp_code, "ICMP code")->capture_default_str();
  cmd->add_flag("--ipv6", o->ipv6, "Use the endpoints' IPv6 addresses");
  add_common_options(*cmd, o->common);
  return [o]() {
    const auto scenario = load_input_or_report(o->common);
    if (!scenario) return int{kExitBadInput};
    const auto flow = flow_from_options(*scenario, *o);
    if (!flow) {
      std::cerr << "error: " << flow.error() << '\n';
      return int{kExitBadInput};
    }
    if (const auto note = model_note(*scenario, o->common)) {
      (o->common.format == OutputFormat::kTable ? std::cout : std::cerr) << *note << "\n\n";
    }
    const FilteringModel model = effective_model(*scenario, o->common);
    const CompiledFilters filters(scenario->network);
    const FlowOutcome outcome = run_flow(scenario->network, filters, *flow, model);
    print_trace(std::cout, *scenario, outcome, model, o->common.format);
    return outcome.failures.empty() ? int{kExitOk} : int{kExitExpectationFailed};
  };
}

}  // namespace vpcsim::cli
