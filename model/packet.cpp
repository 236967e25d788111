#include "model/packet.h"

#include <utility>

namespace vpcsim {

Packet Packet::make(IpAddress src, IpAddress dst, std::uint8_t protocol, std::uint16_t src_port, std::uint16_t dst_port,
                    std::uint8_t icmp_type, std::uint8_t icmp_code) {
  Packet p;
  p.src = src;
  p.dst = dst;
  p.protocol = protocol;
  if (p.has_ports()) {
    p.src_port = src_port;
    p.dst_port = dst_port;
  } else if (p.is_icmp()) {
    p.icmp_type = icmp_type;
    p.icmp_code = icmp_code;
  }
  return p;
}

std::uint16_t Packet::match_key() const {
  if (has_ports()) return dst_port;
  if (is_icmp()) return static_cast<std::uint16_t>((icmp_type << 8) | icmp_code);
  return 0;
}

Packet Packet::reply() const {
  Packet r = *this;
  std::swap(r.src, r.dst);
  std::swap(r.src_port, r.dst_port);
  if (protocol == Protocol::kIcmp) {
    if (icmp_type == 8) r.icmp_type = 0;         // echo request -> echo reply
    else if (icmp_type == 13) r.icmp_type = 14;  // timestamp -> timestamp reply
  } else if (protocol == Protocol::kIcmpv6 && icmp_type == 128) {
    r.icmp_type = 129;  // ICMPv6 echo request -> echo reply
  }
  return r;
}

std::string Packet::to_string() const {
  const std::string proto = Protocol::number(protocol).to_string();
  const auto endpoint = [this](const IpAddress& a, std::uint16_t port) {
    if (!has_ports()) return a.to_string();
    return a.is_v4() ? a.to_string() + ":" + std::to_string(port) : "[" + a.to_string() + "]:" + std::to_string(port);
  };
  std::string s = proto + " " + endpoint(src, src_port) + " -> " + endpoint(dst, dst_port);
  if (is_icmp()) s += " type " + std::to_string(icmp_type) + " code " + std::to_string(icmp_code);
  return s;
}

}  // namespace vpcsim
