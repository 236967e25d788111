// A packet as the filters see it: addresses, protocol, and ports or ICMP type/code.
#pragma once

#include <cstdint>
#include <string>

#include "model/ip_address.h"
#include "model/protocol.h"

namespace vpcsim {

struct Packet {
  IpAddress src;
  IpAddress dst;
  std::uint8_t protocol = Protocol::kTcp;
  std::uint16_t src_port = 0;  // TCP/UDP only
  std::uint16_t dst_port = 0;  // TCP/UDP only
  std::uint8_t icmp_type = 0;  // ICMP/ICMPv6 only
  std::uint8_t icmp_code = 0;  // ICMP/ICMPv6 only
  std::uint8_t tcp_flags = 0;  // TCP only: kFin | kSyn | kRst | kAck, as on the wire

  static constexpr std::uint8_t kFin = 0x01, kSyn = 0x02, kRst = 0x04, kAck = 0x10;

  // A packet from src to dst: the ports for TCP and UDP, type and code for ICMP, neither for
  // other protocols.
  static Packet make(IpAddress src, IpAddress dst, std::uint8_t protocol, std::uint16_t src_port,
                     std::uint16_t dst_port, std::uint8_t icmp_type = 0, std::uint8_t icmp_code = 0);

  Family family() const { return src.family(); }
  bool has_ports() const { return protocol == Protocol::kTcp || protocol == Protocol::kUdp; }
  bool is_icmp() const { return protocol == Protocol::kIcmp || protocol == Protocol::kIcmpv6; }

  // The 16-bit value rules select on: the destination port for TCP/UDP (AWS rules match the
  // destination port, never the source port), type<<8|code for ICMP, 0 for anything else.
  std::uint16_t match_key() const;

  // The reply a well-behaved peer sends: addresses and ports swapped; an ICMP echo or
  // timestamp request becomes the matching reply type (RFC 792, RFC 4443).
  Packet reply() const;

  // "tcp 10.0.0.5:50000 -> 10.0.1.7:22", "icmp 10.0.0.5 -> 10.0.1.7 type 8 code 0".
  std::string to_string() const;
};

}  // namespace vpcsim
