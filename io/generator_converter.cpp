#include "io/generator_converter.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "io/flow_converter.h"
#include "io/internet_users_converter.h"
#include "io/selector_converter.h"
#include "io/sim_time_converter.h"
#include "sim/traffic_sources.h"

namespace vpcsim::io {

namespace {

// One flow per nanosecond, the engine's unit of time: beyond it arrivals would pile up at one
// instant and a run could not advance.
constexpr double kMaxRate = 1e9;
// What one scanner probe carries each way: IPv4 and TCP headers with options, about a SYN's
// size (and its SYN-ACK or RST).
constexpr std::uint32_t kProbeBytes = 60;
constexpr std::uint8_t kIcmpEchoRequest = 8;      // RFC 792
constexpr std::uint8_t kIcmpv6EchoRequest = 128;  // RFC 4443

std::string_view field_name(std::string_view path) { return path.substr(path.rfind('.') + 1); }

// The protocol at `path`: `fallback` when left out (none: required); one kind of traffic, and
// ICMP of the generator's family (when it is known: an address pool or a scanner's source that
// did not convert leaves it unknown, and has been reported).
std::optional<Protocol> convert_protocol(const std::string& text, std::string_view fallback,
                                         std::optional<Family> family, const std::string& path, Diagnostics& diag) {
  if (text.empty() && fallback.empty()) {
    diag.error(path, "protocol is required: tcp, udp, icmp, icmpv6 or a protocol number");
    return std::nullopt;
  }
  auto p = Protocol::parse(text.empty() ? fallback : text);
  if (!p) {
    diag.error(path, p.error());
    return std::nullopt;
  }
  if (p->is_all()) {
    diag.error(path, "a generator's flows are one kind of traffic: use tcp, udp, icmp, icmpv6 or a protocol number");
    return std::nullopt;
  }
  if (family && p->is_icmp_family() && (p->value() == Protocol::kIcmpv6) != (*family == Family::kIpv6)) {
    diag.error(path, p->value() == Protocol::kIcmpv6 ? "icmpv6 is ICMP for IPv6, and this generator's traffic is IPv4"
                                                     : "icmp is ICMP for IPv4, and this generator's traffic is IPv6: "
                                                       "use icmpv6");
    return std::nullopt;
  }
  return *p;
}

// Server ports: required for tcp and udp, each 1-65535 and listed once; none otherwise.
std::optional<std::vector<std::uint16_t>> convert_ports(const google::protobuf::RepeatedField<std::uint32_t>& ports,
                                                        Protocol protocol, const std::string& path, Diagnostics& diag) {
  std::vector<std::uint16_t> out;
  const std::string name = protocol.to_string();
  if (!protocol.has_ports()) {
    if (ports.empty()) return out;
    diag.error(path, fmt::format("ports apply to tcp and udp only; remove them ({} has no ports)", name));
    return std::nullopt;
  }
  if (ports.empty()) {
    diag.error(path, fmt::format("{} needs ports: the server ports to use, e.g. ports: [80, 443]", name));
    return std::nullopt;
  }
  bool ok = true;
  for (int i = 0; i < ports.size(); ++i) {
    const std::uint32_t port = ports.Get(i);
    const std::string port_path = at(path, static_cast<std::size_t>(i));
    if (port == 0 || port > 65535) {
      diag.error(port_path, fmt::format("port {} is out of range 1-65535", port));
      ok = false;
    } else if (std::ranges::find(out, port) != out.end()) {
      diag.error(port_path, fmt::format("port {} is listed twice", port));
      ok = false;
    } else {
      out.push_back(static_cast<std::uint16_t>(port));
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

// A rate at `path`: required, more than 0 and at most kMaxRate.
bool check_rate(double rate, const std::string& path, std::string_view what, Diagnostics& diag) {
  const std::string_view field = field_name(path);
  if (rate == 0) {
    diag.error(path, fmt::format("{} is required: {} per second, more than 0", field, what));
  } else if (!std::isfinite(rate) || rate < 0) {
    diag.error(path, fmt::format("{} {} is not a rate: give {} per second, more than 0", field, rate, what));
  } else if (rate > kMaxRate) {
    diag.error(path, fmt::format("{} {} is more than one per nanosecond, the engine's unit of time (at most {:.0f})",
                                 field, rate, kMaxRate));
  } else {
    return true;
  }
  return false;
}

std::optional<DurationDistribution> convert_duration(const pb::Distribution& d, const std::string& path,
                                                     Diagnostics& diag) {
  using Kind = DurationDistribution::Kind;
  const auto positive = [&](double seconds, const std::string& field) {
    return convert_seconds(seconds, path + "." + field, diag, SecondsRule::kPositive).has_value();
  };
  switch (d.kind_case()) {
    case pb::Distribution::kFixedSeconds:
      if (!positive(d.fixed_seconds(), "fixed_seconds")) return std::nullopt;
      return DurationDistribution{Kind::kFixed, d.fixed_seconds(), d.fixed_seconds()};
    case pb::Distribution::kExponentialMeanSeconds:
      if (!positive(d.exponential_mean_seconds(), "exponential_mean_seconds")) return std::nullopt;
      return DurationDistribution{Kind::kExponential, d.exponential_mean_seconds(), d.exponential_mean_seconds()};
    case pb::Distribution::kUniform: {
      const double min = d.uniform().min();
      const double max = d.uniform().max();
      const bool ok = positive(min, "uniform.min") & positive(max, "uniform.max");
      if (!ok) return std::nullopt;
      if (max < min) {
        diag.error(path + ".uniform.max",
                   fmt::format("max {} is less than min {}", seconds_text(max), seconds_text(min)));
        return std::nullopt;
      }
      return DurationDistribution{Kind::kUniform, min, max};
    }
    case pb::Distribution::KIND_NOT_SET:
      break;
  }
  diag.error(path, "a distribution needs one of fixed_seconds, exponential_mean_seconds or uniform");
  return std::nullopt;
}

std::optional<GeneratorSpec::Arrival> convert_arrival(pb::Arrival a, const std::string& path, Diagnostics& diag) {
  switch (a) {
    case pb::POISSON:
      return GeneratorSpec::Arrival::kPoisson;
    case pb::CONSTANT:
      return GeneratorSpec::Arrival::kConstant;
    default:
      break;
  }
  diag.error(path, fmt::format("unknown arrival {}: use POISSON or CONSTANT", static_cast<int>(a)));
  return std::nullopt;
}

// Protocol, server ports and ICMP type into `spec`, of `family` (spec.family, or nullopt when
// it could not be told). `fallback`: the protocol when none is written (empty: required).
template <class Message>
void convert_protocol_and_ports(const Message& m, const std::string& path, std::string_view fallback,
                                std::optional<Family> family, GeneratorSpec& spec, Diagnostics& diag) {
  const auto protocol = convert_protocol(m.protocol(), fallback, family, path + ".protocol", diag);
  if (!protocol) return;
  spec.protocol = protocol->value();
  if (protocol->is_icmp_family()) spec.icmp_type = spec.family == Family::kIpv6 ? kIcmpv6EchoRequest : kIcmpEchoRequest;
  if (auto ports = convert_ports(m.ports(), *protocol, path + ".ports", diag)) spec.ports = std::move(*ports);
}

// The fields sessions and internet users share: traffic, rate, arrival, duration and sizes.
// proto3 cannot tell a 0 from a field left out, so 0 means the default throughout.
template <class Message>
void convert_session_fields(const Message& m, const std::string& path, std::string_view fallback_protocol,
                            std::optional<Family> family, GeneratorSpec& spec, Diagnostics& diag) {
  convert_protocol_and_ports(m, path, fallback_protocol, family, spec, diag);
  if (check_rate(m.rate_per_second(), path + ".rate_per_second", "sessions started", diag)) {
    spec.rate_per_second = m.rate_per_second();
  }
  if (auto arrival = convert_arrival(m.arrival(), path + ".arrival", diag)) spec.arrival = *arrival;
  if (m.has_duration()) {
    if (auto duration = convert_duration(m.duration(), path + ".duration", diag)) spec.duration = *duration;
  }
  if (m.request_packets() != 0) spec.request_packets = m.request_packets();
  if (m.reply_packets() != 0) spec.reply_packets = m.reply_packets();
  spec.bytes_per_packet = m.bytes_per_packet() != 0 ? m.bytes_per_packet() : kDefaultBytesPerPacket;
}

// Linux's default ephemeral range unless the sessions give one: tcp and udp only, above 0.
void convert_client_ports(const std::string& text, const std::string& path, GeneratorSpec& spec, Diagnostics& diag) {
  if (text.empty()) return;
  if (spec.protocol != Protocol::kTcp && spec.protocol != Protocol::kUdp) {
    diag.error(path, "client_ports apply to tcp and udp only; remove it");
    return;
  }
  auto range = PortRange::parse(text);
  if (!range) {
    diag.error(path, range.error());
  } else if (range->from == 0) {
    diag.error(path, fmt::format("client_ports {} includes port 0, which no client sends from: start the range at 1 "
                                 "or above (Linux's default is 32768-60999)",
                                 range->to_string()));
  } else {
    spec.client_port_low = range->from;
    spec.client_port_high = range->to;
  }
}

// A required list of selectors.
std::optional<std::vector<Endpoint>> required_selectors(const google::protobuf::RepeatedPtrField<pb::Selector>& s,
                                                        const std::string& path, std::string_view what,
                                                        const SelectorRules& rules, ConversionContext& ctx) {
  if (s.empty()) {
    ctx.diag.error(path, fmt::format("{} is required: {} (e.g. {} {{ role: \"web\" }})", field_name(path), what,
                                     field_name(path)));
    return std::nullopt;
  }
  return convert_selectors(s, path, rules, ctx);
}

void convert_sessions(const pb::Sessions& s, const std::string& path, GeneratorSpec& spec, ConversionContext& ctx) {
  spec.kind = GeneratorSpec::Kind::kSessions;
  spec.family = s.ipv6() ? Family::kIpv6 : Family::kIpv4;
  const SelectorRules rules{spec.family, {}, spec.name, "set ipv6: true"};
  auto clients = required_selectors(s.clients(), path + ".clients", "the endpoints that open sessions", rules, ctx);
  auto servers = required_selectors(s.servers(), path + ".servers", "the endpoints they connect to", rules, ctx);
  convert_session_fields(s, path, {}, spec.family, spec, ctx.diag);
  convert_client_ports(s.client_ports(), path + ".client_ports", spec, ctx.diag);
  if (!clients || !servers) return;
  if (!has_session_pair(*clients, *servers)) {
    ctx.diag.error(path + ".servers",
                   "no client and server can hold a session: each pair is one endpoint twice or "
                   "two internet hosts, and a session needs two endpoints, one in the VPC");
    return;
  }
  spec.clients = std::move(*clients);
  spec.servers = std::move(*servers);
}

constexpr std::string_view kVpcTargets =
    "a scanner probes the VPC's interfaces; select instances, interfaces, roles, groups or subnets";
constexpr std::string_view kVpcServers =
    "internet users visit servers in the VPC; select instances, interfaces, roles, groups or subnets";

// The internet host a scanner probes from.
std::optional<ExternalHostId> convert_scanner_source(const std::string& name, const std::string& path,
                                                     ConversionContext& ctx) {
  if (name.empty()) {
    ctx.diag.error(path, "source is required: the internet host the probes come from");
    return std::nullopt;
  }
  if (auto host = ctx.hosts.find(name)) return host;
  if (const EndpointNames::Entry* entry = ctx.endpoints.find(name)) {
    ctx.diag.error(path, fmt::format("'{}' is an {}, not an internet host: a scanner probes from the internet", name,
                                     entry->kind));
    return std::nullopt;
  }
  return ctx.hosts.resolve(name, path, ctx.diag);
}

void convert_scanner(const pb::Scanner& s, const std::string& path, GeneratorSpec& spec, ConversionContext& ctx) {
  spec.kind = GeneratorSpec::Kind::kScanner;
  const auto source = convert_scanner_source(s.source(), path + ".source", ctx);
  SelectorRules rules{std::nullopt, kVpcTargets, spec.name, "probe from an internet host with an IPv6 address"};
  if (source) rules.family = spec.family = ctx.net.external_host(*source).address.family();
  std::optional<std::vector<Endpoint>> targets;
  if (s.targets().empty()) {
    // Every instance's primary interface that has an address of the scanner's family: an
    // IPv4 scanner has nothing to probe on an IPv6-only instance (it has no IPv4 address,
    // public or private), so the default leaves such instances out rather than failing.
    targets.emplace();
    std::size_t skipped = 0;
    for (const Instance& i : ctx.net.instances) {
      if (i.enis.empty()) continue;
      if (rules.family && !endpoint_address(ctx.net, i.enis.front(), *rules.family)) {
        ++skipped;
        continue;
      }
      targets->emplace_back(i.enis.front());
    }
    if (targets->empty()) {
      ctx.diag.error(path + ".targets", skipped == 0 ? std::string("the scenario has no instances to scan")
                                                     : fmt::format("no instance has an {} address to scan",
                                                                   to_string(*rules.family)));
      targets.reset();
    } else if (!check_selected(*targets, path + ".targets", rules, ctx)) {
      targets.reset();
    }
  } else {
    targets = convert_selectors(s.targets(), path + ".targets", rules, ctx);
  }
  convert_protocol_and_ports(s, path, "tcp", rules.family, spec, ctx.diag);
  if (check_rate(s.probes_per_second(), path + ".probes_per_second", "probes sent", ctx.diag)) {
    spec.rate_per_second = s.probes_per_second();
  }
  spec.arrival = GeneratorSpec::Arrival::kConstant;
  spec.duration = {DurationDistribution::Kind::kFixed, 0, 0};
  spec.request_packets = spec.reply_packets = 1;
  spec.bytes_per_packet = kProbeBytes;
  if (!source || !targets) return;
  spec.clients = {Endpoint(*source)};
  spec.servers = std::move(*targets);
}

void convert_internet_users(const pb::InternetUsers& u, const std::string& path, std::size_t index, GeneratorSpec& spec,
                            std::vector<UserPool>& pools, ConversionContext& ctx) {
  spec.kind = GeneratorSpec::Kind::kInternetUsers;
  const std::size_t errors_before = ctx.diag.count();
  auto pool = convert_user_pool(u, path, index, spec.name, pools, ctx);
  SelectorRules rules{std::nullopt, kVpcServers, spec.name, "give the users an IPv6 address_pool"};
  if (pool) rules.family = spec.family = pool->pool.family();
  auto servers =
      required_selectors(u.servers(), path + ".servers", "the servers in the VPC the users visit", rules, ctx);
  convert_session_fields(u, path, "tcp", rules.family, spec, ctx.diag);
  if (servers) spec.servers = std::move(*servers);
  // The hosts are created once every generator's selectors are resolved.
  if (pool && ctx.diag.count() == errors_before) pools.push_back(*std::move(pool));
}

// Start, stop and flow limit; sessions and users must end somewhere.
void convert_schedule(const pb::Generator& g, const std::string& path, GeneratorSpec& spec, ConversionContext& ctx) {
  const auto start = convert_seconds(g.start_seconds(), path + ".start_seconds", ctx.diag);
  if (start) spec.start = *start;
  if (start && ctx.horizon > SimTime::zero() && *start >= ctx.horizon) {
    ctx.diag.error(path + ".start_seconds", fmt::format("the generator starts at {}, not before the horizon ({}): it "
                                                        "would produce nothing",
                                                        format_time(*start), format_time(ctx.horizon)));
  }
  if (g.stop_seconds() != 0) {
    const auto stop = convert_seconds(g.stop_seconds(), path + ".stop_seconds", ctx.diag, SecondsRule::kPositive);
    if (stop && start && *stop <= *start) {
      ctx.diag.error(path + ".stop_seconds", fmt::format("the generator stops at {}, not after it starts ({}): it "
                                                         "would produce nothing",
                                                         format_time(*stop), format_time(*start)));
    } else if (stop) {
      spec.stop = *stop;
    }
  }
  spec.flow_limit = g.flow_limit();
  // A scanner ends when every target has been probed; the others run until told to stop.
  if ((g.has_sessions() || g.has_internet_users()) && g.stop_seconds() == 0 && g.flow_limit() == 0 &&
      ctx.horizon == SimTime::zero()) {
    ctx.diag.error(path,
                   "the generator would never stop: set the scenario's horizon_seconds, or this generator's "
                   "stop_seconds or flow_limit");
  }
}

}  // namespace

std::vector<GeneratorSpec> convert_generators(const pb::Scenario& proto, ConversionContext& ctx) {
  std::vector<GeneratorSpec> generators;
  std::vector<UserPool> pools;
  std::map<std::string, std::string> names;  // generator name -> where
  for (int i = 0; i < proto.generators_size(); ++i) {
    const pb::Generator& g = proto.generators(i);
    const std::string path = at("generators", static_cast<std::size_t>(i));
    GeneratorSpec& spec = generators.emplace_back();
    spec.name = g.name();
    spec.field = path;
    if (g.name().empty()) {
      ctx.diag.error(path + ".name", "name is required: results and traces name the generator's flows by it");
    } else if (auto [it, first] = names.try_emplace(g.name(), path); !first) {
      ctx.diag.error(path + ".name", fmt::format("generator name '{}' is already used at {}; give each generator its "
                                                 "own",
                                                 g.name(), it->second));
    }
    switch (g.kind_case()) {
      case pb::Generator::kSessions:
        convert_sessions(g.sessions(), path + ".sessions", spec, ctx);
        break;
      case pb::Generator::kScanner:
        convert_scanner(g.scanner(), path + ".scanner", spec, ctx);
        break;
      case pb::Generator::kInternetUsers:
        convert_internet_users(g.internet_users(), path + ".internet_users", generators.size() - 1, spec, pools, ctx);
        break;
      case pb::Generator::KIND_NOT_SET:
        ctx.diag.error(path, "a generator needs a kind: sessions, scanner or internet_users");
        break;
    }
    convert_schedule(g, path, spec, ctx);
  }
  add_internet_users(pools, generators, ctx.net);
  return generators;
}

}  // namespace vpcsim::io
