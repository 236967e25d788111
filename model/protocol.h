// IP protocols, port ranges and ICMP type/code selectors as AWS rules use them.
#pragma once

#include <compare>
#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

namespace vpcsim {

// An IP protocol number 0-255, or "all protocols" (AWS writes it "-1").
class Protocol {
 public:
  static constexpr int kAll = -1;
  static constexpr std::uint8_t kIcmp = 1;
  static constexpr std::uint8_t kTcp = 6;
  static constexpr std::uint8_t kUdp = 17;
  static constexpr std::uint8_t kIcmpv6 = 58;

  constexpr Protocol() = default;  // all
  static constexpr Protocol all() { return Protocol(kAll); }
  static constexpr Protocol number(std::uint8_t n) { return Protocol(n); }
  static constexpr Protocol tcp() { return Protocol(kTcp); }
  static constexpr Protocol udp() { return Protocol(kUdp); }
  static constexpr Protocol icmp() { return Protocol(kIcmp); }
  static constexpr Protocol icmpv6() { return Protocol(kIcmpv6); }

  // Names (tcp, udp, icmp, icmpv6, all; any case), "-1", or a number 0-255, as both the EC2
  // API and the CLI accept them (AWS returns SG protocols as names and NACL ones as numbers).
  static std::expected<Protocol, std::string> parse(std::string_view text);

  constexpr bool is_all() const { return value_ == kAll; }
  // The protocol number; only meaningful when !is_all().
  constexpr std::uint8_t value() const { return static_cast<std::uint8_t>(value_); }
  constexpr bool has_ports() const { return value_ == kTcp || value_ == kUdp; }
  constexpr bool is_icmp_family() const { return value_ == kIcmp || value_ == kIcmpv6; }

  // "tcp", "udp", "icmp", "icmpv6", "all", or the number.
  std::string to_string() const;
  friend constexpr auto operator<=>(Protocol, Protocol) = default;

 private:
  constexpr explicit Protocol(int v) : value_(static_cast<std::int16_t>(v)) {}
  std::int16_t value_ = kAll;
};

// An inclusive port range within 0-65535.
struct PortRange {
  std::uint16_t from = 0;
  std::uint16_t to = 65535;

  static constexpr PortRange all() { return {0, 65535}; }
  static constexpr PortRange single(std::uint16_t p) { return {p, p}; }
  // "22", "1024-65535", "all" or "*"; rejects reversed ranges and numbers above 65535.
  static std::expected<PortRange, std::string> parse(std::string_view text);
  static std::expected<PortRange, std::string> make(long from, long to);

  constexpr bool is_all() const { return from == 0 && to == 65535; }
  constexpr bool contains(std::uint16_t port) const { return from <= port && port <= to; }
  std::string to_string() const;
  friend constexpr auto operator<=>(const PortRange&, const PortRange&) = default;
};

// ICMP type and code, each -1 for "any" (EC2 API IpPermission: FromPort is the ICMP type,
// ToPort the code, -1 meaning all).
struct IcmpMatch {
  std::int16_t type = -1;
  std::int16_t code = -1;

  static std::expected<IcmpMatch, std::string> make(long type, long code);
  constexpr bool is_all() const { return type == -1; }
  constexpr bool matches(std::uint8_t t, std::uint8_t c) const {
    return (type == -1 || type == t) && (code == -1 || code == c);
  }
  std::string to_string() const;
  friend constexpr auto operator<=>(const IcmpMatch&, const IcmpMatch&) = default;
};

}  // namespace vpcsim
