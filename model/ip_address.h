// IPv4 and IPv6 addresses as one value type. Both families are held in a 128-bit integer
// (IPv4 in the low 32 bits) so that containment and interval arithmetic are plain integer
// operations; the family keeps them apart, as AWS keeps IPv4 and IPv6 rules apart.
#pragma once

#include <compare>
#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

namespace vpcsim {

using U128 = unsigned __int128;

enum class Family : std::uint8_t { kIpv4, kIpv6 };

constexpr int address_bits(Family f) { return f == Family::kIpv4 ? 32 : 128; }
std::string_view to_string(Family f);

class IpAddress {
 public:
  constexpr IpAddress() = default;
  static constexpr IpAddress v4(std::uint32_t value) { return IpAddress(Family::kIpv4, value); }
  static constexpr IpAddress v6(U128 value) { return IpAddress(Family::kIpv6, value); }

  // Dotted quad ("10.0.0.1") or any RFC 4291 text form of IPv6 ("2001:db8::1").
  static std::expected<IpAddress, std::string> parse(std::string_view text);

  constexpr Family family() const { return family_; }
  constexpr bool is_v4() const { return family_ == Family::kIpv4; }
  constexpr U128 value() const { return value_; }
  // IPv4 as dotted quad; IPv6 in the RFC 5952 canonical form.
  std::string to_string() const;

  friend constexpr auto operator<=>(const IpAddress&, const IpAddress&) = default;

 private:
  constexpr IpAddress(Family f, U128 v) : family_(f), value_(v) {}
  Family family_ = Family::kIpv4;
  U128 value_ = 0;
};

}  // namespace vpcsim
