#include "io/flow_converter.h"

#include <fmt/format.h>

#include <map>
#include <tuple>

#include "io/expectation_converter.h"
#include "io/sim_time_converter.h"

namespace vpcsim::io {

namespace {

constexpr std::uint8_t kIcmpEchoRequest = 8;      // RFC 792
constexpr std::uint8_t kIcmpv6EchoRequest = 128;  // RFC 4443

// One end of a flow, by the name `field` gives; nullopt after reporting why not.
std::optional<Endpoint> resolve_end(const std::string& name, const std::string& path, std::string_view role,
                                    ConversionContext& ctx) {
  if (name.empty()) {
    ctx.diag.error(path, fmt::format("{} is required: the {}, an instance name, an interface id or an internet host "
                                     "name",
                                     path.substr(path.rfind('.') + 1), role));
    return std::nullopt;
  }
  const EndpointNames::Entry* entry = ctx.endpoints.find(name);
  if (entry == nullptr) {
    ctx.diag.error(path, fmt::format("no instance, interface or internet host is named '{}' ({})", name,
                                     known_names(ctx.endpoints.names())));
    return std::nullopt;
  }
  return entry->endpoint;  // absent for an instance without interfaces, already reported
}

void check_ends(const std::string& path, const Endpoint& client, const Endpoint& server, FlowSpec& spec,
                ConversionContext& ctx) {
  const Network& net = ctx.net;
  if (!as_eni(client) && !as_eni(server)) {
    ctx.diag.error(path, "both ends are internet hosts; a flow needs at least one end in the VPC");
    return;
  }
  if (client == server) {
    ctx.diag.error(path + ".to", fmt::format("from and to are the same endpoint ({}); a flow runs between two",
                                             endpoint_label(net, client)));
    return;
  }
  for (const auto& [end, field] : {std::pair{&client, "from"}, std::pair{&server, "to"}}) {
    if (!endpoint_address(net, *end, spec.family)) {
      const bool host = !as_eni(*end);
      const std::string fix = spec.family == Family::kIpv6
                                  ? (host ? "give the host an IPv6 address" : "give the interface ipv6_addresses")
                              : host ? "set ipv6: true for an IPv6 flow"
                                     : "it is an IPv6-only interface: set ipv6: true for an IPv6 flow";
      ctx.diag.error(path + "." + field,
                     fmt::format("{} has no {} address and the flow is {}: {}", endpoint_label(net, *end),
                                 to_string(spec.family), to_string(spec.family), fix));
    }
  }
}

// Protocol, ports and ICMP type/code of the flow at `path`.
void convert_traffic_fields(const pb::Flow& f, const std::string& path, FlowSpec& spec, Diagnostics& diag) {
  if (f.protocol().empty()) {
    diag.error(path + ".protocol", "protocol is required: tcp, udp, icmp, icmpv6 or a protocol number");
    return;
  }
  auto p = Protocol::parse(f.protocol());
  if (!p) {
    diag.error(path + ".protocol", p.error());
    return;
  }
  if (p->is_all()) {
    diag.error(path + ".protocol", "a flow is one kind of traffic: use tcp, udp, icmp, icmpv6 or a protocol number");
    return;
  }
  spec.protocol = p->value();
  const std::string name = p->to_string();
  const bool has_icmp = f.has_icmp_type() || f.has_icmp_code();
  const std::string icmp_field = path + (f.has_icmp_type() ? ".icmp_type" : ".icmp_code");
  if (p->has_ports()) {
    if (f.port() == 0) {
      diag.error(path + ".port", fmt::format("port is required for {}: the server port, 1-65535", name));
    } else if (f.port() > 65535) {
      diag.error(path + ".port", fmt::format("port {} is out of range 1-65535", f.port()));
    }
    if (f.client_port() > 65535) {
      diag.error(path + ".client_port", fmt::format("client_port {} is out of range 1-65535", f.client_port()));
    }
    spec.server_port = static_cast<std::uint16_t>(f.port());
    spec.client_port = f.client_port() == 0 ? kDefaultClientPort : static_cast<std::uint16_t>(f.client_port());
    if (has_icmp) {
      diag.error(icmp_field,
                 fmt::format("icmp_type and icmp_code apply to icmp flows; remove them ({} flows have ports)", name));
    }
    return;
  }
  for (const auto& [value, field] : {std::pair{f.port(), "port"}, std::pair{f.client_port(), "client_port"}}) {
    if (value != 0) {
      diag.error(path + "." + field, fmt::format("{} applies to tcp and udp flows only; remove it", field));
    }
  }
  if (!p->is_icmp_family()) {
    if (has_icmp) {
      diag.error(icmp_field,
                 fmt::format("icmp_type and icmp_code apply to icmp flows, not protocol {}; remove them", name));
    }
    return;
  }
  const bool v6 = p->value() == Protocol::kIcmpv6;
  if (v6 != (spec.family == Family::kIpv6)) {
    diag.error(path + ".protocol", v6 ? "icmpv6 is ICMP for IPv6: set ipv6: true, or use icmp"
                                      : "icmp is ICMP for IPv4: use icmpv6 in an IPv6 flow");
  }
  const int type = f.has_icmp_type() ? f.icmp_type() : (v6 ? kIcmpv6EchoRequest : kIcmpEchoRequest);
  const int code = f.has_icmp_code() ? f.icmp_code() : 0;
  if (type < 0 || type > 255) diag.error(path + ".icmp_type", fmt::format("ICMP type {} is out of range 0-255", type));
  if (code < 0 || code > 255) diag.error(path + ".icmp_code", fmt::format("ICMP code {} is out of range 0-255", code));
  spec.icmp_type = static_cast<std::uint8_t>(type);
  spec.icmp_code = static_cast<std::uint8_t>(code);
}

// A packet or byte count: `given` (0 = left out: `fallback`). Bytes are at least the packets,
// as every packet carries at least one byte.
std::uint64_t count_or(std::uint64_t given, std::uint64_t fallback) { return given == 0 ? fallback : given; }

// When the flow runs over simulated time and what it carries. proto3 cannot tell a 0 from a
// field left out, so 0 means the default throughout.
void convert_timing(const pb::Flow& f, const std::string& path, FlowSpec& spec, ConversionContext& ctx) {
  if (auto start = convert_seconds(f.start_seconds(), path + ".start_seconds", ctx.diag)) {
    spec.start = *start;
    if (ctx.horizon > SimTime::zero() && spec.start >= ctx.horizon) {
      ctx.diag.error(path + ".start_seconds",
                     fmt::format("the flow starts at {}, not before the horizon ({}): it would never run; start it "
                                 "earlier or raise horizon_seconds",
                                 format_time(spec.start), format_time(ctx.horizon)));
    }
  }
  if (f.duration_seconds() != 0) {
    if (auto duration = convert_seconds(f.duration_seconds(), path + ".duration_seconds", ctx.diag)) {
      spec.duration = *duration;
    }
  }
  spec.request_packets = static_cast<std::uint32_t>(count_or(f.request_packets(), spec.request_packets));
  spec.reply_packets = static_cast<std::uint32_t>(count_or(f.reply_packets(), spec.reply_packets));
  spec.request_bytes = count_or(f.request_bytes(), std::uint64_t{kDefaultBytesPerPacket} * spec.request_packets);
  spec.reply_bytes = count_or(f.reply_bytes(), std::uint64_t{kDefaultBytesPerPacket} * spec.reply_packets);
  for (const auto& [bytes, packets, direction] : {std::tuple{spec.request_bytes, spec.request_packets, "request"},
                                                  std::tuple{spec.reply_bytes, spec.reply_packets, "reply"}}) {
    if (bytes < packets) {
      ctx.diag.error(path + "." + direction + "_bytes",
                     fmt::format("{}_bytes {} is less than {}_packets ({}): every packet carries at least one byte",
                                 direction, bytes, direction, packets));
    }
  }
}

FlowSpec convert_flow(const pb::Flow& f, const std::string& path, ConversionContext& ctx) {
  FlowSpec spec;
  spec.name = f.name();
  spec.description = f.description();
  spec.field = path;
  spec.family = f.ipv6() ? Family::kIpv6 : Family::kIpv4;
  const auto client = resolve_end(f.from(), path + ".from", "client", ctx);
  const auto server = resolve_end(f.to(), path + ".to", "server", ctx);
  if (client && server) {
    spec.client = *client;
    spec.server = *server;
    check_ends(path, *client, *server, spec, ctx);
  }
  convert_traffic_fields(f, path, spec, ctx.diag);
  convert_timing(f, path, spec, ctx);
  for (int i = 0; i < f.expect_size(); ++i) {
    if (auto e = convert_expectation(f.expect(i), at(path + ".expect", static_cast<std::size_t>(i)), ctx.diag)) {
      spec.expectations.push_back(*e);
    }
  }
  return spec;
}

}  // namespace

std::vector<FlowSpec> convert_flows(const pb::Scenario& proto, ConversionContext& ctx) {
  std::vector<FlowSpec> flows;
  std::map<std::string, std::string> names;  // flow name -> where
  for (int i = 0; i < proto.flows_size(); ++i) {
    const pb::Flow& f = proto.flows(i);
    const std::string path = at("flows", static_cast<std::size_t>(i));
    if (!f.name().empty()) {
      if (auto [it, first] = names.try_emplace(f.name(), path); !first) {
        ctx.diag.error(path + ".name", fmt::format("flow name '{}' is already used at {}; results are reported by "
                                                   "name, so give each flow its own",
                                                   f.name(), it->second));
      }
    }
    flows.push_back(convert_flow(f, path, ctx));
  }
  return flows;
}

}  // namespace vpcsim::io
