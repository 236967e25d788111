// A CIDR block: a network address and a prefix length, IPv4 (/0-/32) or IPv6 (/0-/128).
#pragma once

#include <compare>
#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

#include "model/ip_address.h"

namespace vpcsim {

class Cidr {
 public:
  // What to do with an address whose host bits are set ("10.0.0.5/24"). Hand-written
  // scenarios reject it (it is usually a typo); AWS canonicalises it silently
  // ("100.68.0.18/18" -> "100.68.0.0/18", EC2 API IpRange.CidrIp), so the AWS importer does too.
  enum class HostBits { kReject, kCanonicalise };

  constexpr Cidr() = default;
  // `prefix` must be valid for the family and `network` must have no host bits set.
  static Cidr of(IpAddress network, int prefix);
  static Cidr host(IpAddress address) { return of(address, address_bits(address.family())); }
  static Cidr all(Family f) { return of(f == Family::kIpv4 ? IpAddress::v4(0) : IpAddress::v6(0), 0); }

  static std::expected<Cidr, std::string> parse(std::string_view text, HostBits host_bits = HostBits::kReject);

  Family family() const { return network_.family(); }
  IpAddress network() const { return network_; }
  int prefix() const { return prefix_; }
  bool is_all() const { return prefix_ == 0; }
  IpAddress first() const { return network_; }
  IpAddress last() const;

  bool contains(IpAddress a) const;
  bool contains(const Cidr& other) const;
  bool overlaps(const Cidr& other) const { return contains(other.network_) || other.contains(network_); }

  std::string to_string() const;
  friend auto operator<=>(const Cidr&, const Cidr&) = default;

 private:
  IpAddress network_;
  int prefix_ = 0;
};

// The bits of a `prefix`-long netmask in a family's address width (0 for /0).
U128 netmask(Family f, int prefix);

}  // namespace vpcsim
