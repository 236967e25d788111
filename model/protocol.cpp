#include "model/protocol.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace vpcsim {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::ranges::transform(out, out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::expected<long, std::string> parse_number(std::string_view text) {
  long v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) {
    return std::unexpected("'" + std::string(text) + "' is not a number");
  }
  return v;
}

}  // namespace

std::expected<Protocol, std::string> Protocol::parse(std::string_view text) {
  const std::string name = lower(text);
  if (name == "tcp") return tcp();
  if (name == "udp") return udp();
  if (name == "icmp") return icmp();
  if (name == "icmpv6") return icmpv6();
  if (name == "all" || name == "-1") return all();
  auto n = parse_number(name);
  if (!n || *n < 0 || *n > 255) {
    return std::unexpected("unknown protocol '" + std::string(text) +
                           "': use tcp, udp, icmp, icmpv6, all (-1) or a protocol number 0-255");
  }
  return number(static_cast<std::uint8_t>(*n));
}

std::string Protocol::to_string() const {
  switch (value_) {
    case kAll: return "all";
    case kTcp: return "tcp";
    case kUdp: return "udp";
    case kIcmp: return "icmp";
    case kIcmpv6: return "icmpv6";
    default: return std::to_string(value_);
  }
}

std::expected<PortRange, std::string> PortRange::make(long from, long to) {
  if (from < 0 || from > 65535) return std::unexpected("port " + std::to_string(from) + " is out of range 0-65535");
  if (to < 0 || to > 65535) return std::unexpected("port " + std::to_string(to) + " is out of range 0-65535");
  if (from > to) {
    return std::unexpected("port range " + std::to_string(from) + "-" + std::to_string(to) +
                           " is reversed; write " + std::to_string(to) + "-" + std::to_string(from));
  }
  return PortRange{static_cast<std::uint16_t>(from), static_cast<std::uint16_t>(to)};
}

std::expected<PortRange, std::string> PortRange::parse(std::string_view text) {
  if (text == "all" || text == "*") return all();
  const auto dash = text.find('-', 1);
  auto from = parse_number(text.substr(0, dash));
  if (!from) return std::unexpected("port range '" + std::string(text) + "': " + from.error() + " (expected e.g. 22 or 1024-65535)");
  if (dash == std::string_view::npos) return make(*from, *from);
  auto to = parse_number(text.substr(dash + 1));
  if (!to) return std::unexpected("port range '" + std::string(text) + "': " + to.error() + " (expected e.g. 22 or 1024-65535)");
  return make(*from, *to);
}

std::string PortRange::to_string() const {
  if (is_all()) return "all";
  if (from == to) return std::to_string(from);
  return std::to_string(from) + "-" + std::to_string(to);
}

std::expected<IcmpMatch, std::string> IcmpMatch::make(long type, long code) {
  if (type < -1 || type > 255) return std::unexpected("ICMP type " + std::to_string(type) + " is out of range (-1 for all, or 0-255)");
  if (code < -1 || code > 255) return std::unexpected("ICMP code " + std::to_string(code) + " is out of range (-1 for all, or 0-255)");
  // EC2 API IpPermission: "If you specify all ICMP types, you must specify all ICMP codes."
  if (type == -1 && code != -1) return std::unexpected("ICMP code " + std::to_string(code) + " needs a specific ICMP type (type -1 means all types and codes)");
  return IcmpMatch{static_cast<std::int16_t>(type), static_cast<std::int16_t>(code)};
}

std::string IcmpMatch::to_string() const {
  if (type == -1) return "all types";
  std::string s = "type " + std::to_string(type);
  s += code == -1 ? " all codes" : " code " + std::to_string(code);
  return s;
}

}  // namespace vpcsim
