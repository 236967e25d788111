#include "model/cidr.h"

#include <cassert>
#include <charconv>

namespace vpcsim {

U128 netmask(Family f, int prefix) {
  const int bits = address_bits(f);
  if (prefix <= 0) return 0;
  const U128 width = bits == 128 ? ~U128{0} : (U128{1} << 32) - 1;
  const U128 host = prefix >= bits ? 0 : (U128{1} << (bits - prefix)) - 1;
  return width & ~host;
}

Cidr Cidr::of(IpAddress network, int prefix) {
  assert(prefix >= 0 && prefix <= address_bits(network.family()));
  assert((network.value() & ~netmask(network.family(), prefix)) == 0);
  Cidr c;
  c.network_ = network;
  c.prefix_ = prefix;
  return c;
}

std::expected<Cidr, std::string> Cidr::parse(std::string_view text, HostBits host_bits) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) {
    auto addr = IpAddress::parse(text);
    if (!addr) return std::unexpected(addr.error() + " (a CIDR block is ADDRESS/LENGTH, e.g. 10.0.0.0/16)");
    return std::unexpected("'" + std::string(text) + "' is not a CIDR block: add a prefix length (a single host is " +
                           std::string(text) + (addr->is_v4() ? "/32" : "/128") + ")");
  }
  auto addr = IpAddress::parse(text.substr(0, slash));
  if (!addr) return std::unexpected(addr.error());
  const std::string_view len_text = text.substr(slash + 1);
  const int max_len = address_bits(addr->family());
  int len = -1;
  auto [end, ec] = std::from_chars(len_text.data(), len_text.data() + len_text.size(), len);
  if (len_text.empty() || ec != std::errc{} || end != len_text.data() + len_text.size() || len < 0 || len > max_len) {
    return std::unexpected("'" + std::string(text) + "': prefix length '" + std::string(len_text) +
                           "' must be a number from 0 to " + std::to_string(max_len) + " for " +
                           std::string(vpcsim::to_string(addr->family())));
  }
  const U128 mask = netmask(addr->family(), len);
  const U128 net = addr->value() & mask;
  const IpAddress network = addr->is_v4() ? IpAddress::v4(static_cast<std::uint32_t>(net)) : IpAddress::v6(net);
  if (net != addr->value() && host_bits == HostBits::kReject) {
    return std::unexpected("'" + std::string(text) + "' has host bits set; the network is " + network.to_string() + "/" +
                           std::to_string(len) + " (or use /" + std::to_string(max_len) + " for the single host)");
  }
  return of(network, len);
}

IpAddress Cidr::last() const {
  const U128 width = family() == Family::kIpv4 ? U128{0xffffffffu} : ~U128{0};
  const U128 host_mask = ~netmask(family(), prefix_) & width;
  const U128 v = network_.value() | host_mask;
  return family() == Family::kIpv4 ? IpAddress::v4(static_cast<std::uint32_t>(v)) : IpAddress::v6(v);
}

bool Cidr::contains(IpAddress a) const {
  if (a.family() != family()) return false;
  return (a.value() & netmask(family(), prefix_)) == network_.value();
}

bool Cidr::contains(const Cidr& other) const {
  return other.family() == family() && other.prefix_ >= prefix_ && contains(other.network_);
}

std::string Cidr::to_string() const { return network_.to_string() + "/" + std::to_string(prefix_); }

}  // namespace vpcsim
