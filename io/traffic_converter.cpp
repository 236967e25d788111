#include "io/traffic_converter.h"

#include <fmt/format.h>

namespace vpcsim::io {

namespace {

constexpr std::string_view kProtocolChoices = "tcp, udp, icmp, icmpv6, all (-1) or a protocol number 0-255";

bool in_icmp_range(std::optional<int> v) { return !v || (*v >= -1 && *v <= 255); }

// The path of the first ICMP field that was given, for "remove it" messages.
std::string given_icmp_field(const TrafficFields& f, const std::string& path) {
  return path + (f.icmp_type ? ".icmp_type" : ".icmp_code");
}

}  // namespace

std::optional<TrafficMatch> convert_traffic(const TrafficFields& f, const std::string& path, Diagnostics& diag) {
  if (f.protocol.empty()) {
    diag.error(path + ".protocol", fmt::format("protocol is required: use {}", kProtocolChoices));
    return std::nullopt;
  }
  auto protocol = Protocol::parse(f.protocol);
  if (!protocol) {
    diag.error(path + ".protocol", protocol.error());
    return std::nullopt;
  }
  TrafficMatch t;
  t.protocol = *protocol;
  const std::string name = protocol->to_string();
  const bool has_icmp = f.icmp_type || f.icmp_code;
  const std::size_t errors_before = diag.count();

  if (protocol->has_ports()) {
    if (has_icmp) {
      diag.error(
          given_icmp_field(f, path),
          fmt::format("icmp_type and icmp_code apply to icmp and icmpv6 only; remove them ({} selects ports)", name));
    }
    if (f.ports.empty()) {
      diag.error(path + ".ports",
                 fmt::format("{} needs ports: a port (\"443\"), a range (\"1024-65535\") or \"all\"", name));
    } else if (auto ports = PortRange::parse(f.ports)) {
      t.ports = *ports;
    } else {
      diag.error(path + ".ports", ports.error());
    }
  } else if (protocol->is_icmp_family()) {
    if (!f.ports.empty()) {
      diag.error(path + ".ports", fmt::format("ports apply to tcp and udp only; select {} messages with icmp_type and "
                                              "icmp_code (leave them out for all)",
                                              name));
    }
    if (auto icmp = IcmpMatch::make(f.icmp_type.value_or(-1), f.icmp_code.value_or(-1))) {
      t.icmp = *icmp;
    } else {
      diag.error(path + (in_icmp_range(f.icmp_type) ? ".icmp_code" : ".icmp_type"), icmp.error());
    }
  } else {
    // EC2 API IpPermission / CreateNetworkAclEntry: protocol -1, and protocols other than
    // tcp, udp, icmp and icmpv6, select all traffic of the protocol whatever ports are given;
    // ports written here are a mistake worth pointing out.
    const std::string why = protocol->is_all() ? " (all selects every port of every protocol)"
                                               : " (AWS ignores ports for protocols other than tcp and udp)";
    if (!f.ports.empty()) {
      diag.error(path + ".ports", fmt::format("ports have no effect with protocol {}; remove them{}", name, why));
    }
    if (has_icmp) {
      diag.error(given_icmp_field(f, path),
                 fmt::format("icmp_type and icmp_code have no effect with protocol {}; remove them", name));
    }
  }
  if (diag.count() != errors_before) return std::nullopt;
  return t;
}

}  // namespace vpcsim::io
