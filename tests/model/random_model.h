// Seeded random rules and packets for the oracle tests (compiled filters against the linear
// evaluators). Values are drawn mostly from the places where classifiers go wrong: range
// boundaries, /0 and host prefixes, "all" protocols, ICMP type/code keys.
#pragma once

#include <array>
#include <cstdint>
#include <random>
#include <vector>

#include "model/cidr.h"
#include "model/ip_address.h"
#include "model/packet.h"
#include "model/protocol.h"
#include "model/traffic_match.h"

namespace vpcsim::test {

class RandomModel {
 public:
  explicit RandomModel(std::uint32_t seed) : rng_(seed) {}

  std::mt19937& engine() { return rng_; }
  long uniform(long lo, long hi) { return std::uniform_int_distribution<long>(lo, hi)(rng_); }
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  template <class T>
  const T& pick(const std::vector<T>& items) {
    return items[static_cast<std::size_t>(uniform(0, static_cast<long>(items.size()) - 1))];
  }

  std::uint8_t protocol_number() {
    static constexpr std::array<std::uint8_t, 6> kCommon{
        Protocol::kTcp, Protocol::kUdp, Protocol::kIcmp, Protocol::kIcmpv6, 50, 0};
    if (chance(0.9)) return kCommon[static_cast<std::size_t>(uniform(0, kCommon.size() - 1))];
    return static_cast<std::uint8_t>(uniform(0, 255));
  }

  std::uint16_t port() {
    static constexpr std::array<std::uint16_t, 9> kInteresting{0, 1, 22, 80, 443, 1023, 1024, 50000, 65535};
    if (chance(0.6)) return kInteresting[static_cast<std::size_t>(uniform(0, kInteresting.size() - 1))];
    return static_cast<std::uint16_t>(uniform(0, 65535));
  }

  PortRange port_range() {
    if (chance(0.2)) return PortRange::all();
    const std::uint16_t a = port();
    if (chance(0.4)) return PortRange::single(a);
    const std::uint16_t b = port();
    return a <= b ? PortRange{a, b} : PortRange{b, a};
  }

  IcmpMatch icmp_match() {
    static const std::vector<long> kTypes{-1, 0, 3, 8, 11, 128, 129};
    const long type = chance(0.8) ? pick(kTypes) : uniform(0, 255);
    const long code = type == -1 || chance(0.5) ? -1 : chance(0.7) ? pick(std::vector<long>{0, 1, 4}) : uniform(0, 255);
    return IcmpMatch::make(type, code).value();
  }

  // A protocol (or all, -1) with a port range or ICMP selector; protocols without ports get a
  // random range as well, which AWS (and the matcher) ignores.
  TrafficMatch traffic() {
    TrafficMatch t;
    t.protocol = chance(0.15) ? Protocol::all() : Protocol::number(protocol_number());
    t.ports = port_range();
    if (t.protocol.is_icmp_family()) t.icmp = icmp_match();
    return t;
  }

  // A block around `anchor`: a random prefix, biased to /0, host routes and common sizes.
  Cidr cidr_around(const IpAddress& anchor) {
    const bool v4 = anchor.is_v4();
    static const std::vector<long> kV4{0, 8, 16, 24, 28, 31, 32};
    static const std::vector<long> kV6{0, 32, 48, 56, 64, 120, 127, 128};
    const int bits = address_bits(anchor.family());
    const int prefix = static_cast<int>(chance(0.8) ? pick(v4 ? kV4 : kV6) : uniform(0, bits));
    const U128 net = anchor.value() & netmask(anchor.family(), prefix);
    return Cidr::of(v4 ? IpAddress::v4(static_cast<std::uint32_t>(net)) : IpAddress::v6(net), prefix);
  }

  // Another address near `anchor` (same family): itself, a neighbour, or random low bits.
  IpAddress address_near(const IpAddress& anchor) {
    const U128 width = anchor.is_v4() ? U128{0xffffffffu} : ~U128{0};
    U128 v = anchor.value();
    switch (uniform(0, 3)) {
      case 0:
        break;
      case 1:
        v = (v + 1) & width;
        break;
      case 2:
        v = (v - 1) & width;
        break;
      default:
        v = (v & ~U128{0xffff}) | static_cast<U128>(uniform(0, 0xffff));
        break;
    }
    return anchor.is_v4() ? IpAddress::v4(static_cast<std::uint32_t>(v)) : IpAddress::v6(v);
  }

  Packet packet(const IpAddress& src, const IpAddress& dst) {
    Packet p;
    p.src = src;
    p.dst = dst;
    p.protocol = protocol_number();
    if (p.has_ports()) {
      p.src_port = port();
      p.dst_port = port();
    } else if (p.is_icmp()) {
      static const std::vector<long> kTypes{0, 3, 8, 11, 128, 129};
      p.icmp_type = static_cast<std::uint8_t>(chance(0.8) ? pick(kTypes) : uniform(0, 255));
      p.icmp_code = static_cast<std::uint8_t>(chance(0.7) ? uniform(0, 4) : uniform(0, 255));
    }
    return p;
  }

 private:
  std::mt19937 rng_;
};

}  // namespace vpcsim::test
