// What part of the traffic a rule selects: protocol plus destination ports or ICMP type/code.
// Shared by security-group rules and network-ACL entries, which match traffic the same way.
#pragma once

#include <cstdint>
#include <string>

#include "model/cidr.h"
#include "model/classifier.h"
#include "model/packet.h"
#include "model/protocol.h"

namespace vpcsim {

struct TrafficMatch {
  Protocol protocol = Protocol::all();
  PortRange ports = PortRange::all();  // used for tcp and udp only
  IcmpMatch icmp;                      // used for icmp and icmpv6 only

  static TrafficMatch all() { return {}; }
  static TrafficMatch tcp(PortRange p) { return {Protocol::tcp(), p, {}}; }
  static TrafficMatch udp(PortRange p) { return {Protocol::udp(), p, {}}; }

  // EC2 API IpPermission / CreateNetworkAclEntry: protocol -1, or any protocol other than
  // tcp/udp/icmp/icmpv6, selects all ports whatever range is given.
  bool matches(const Packet& p) const;

  // The inclusive range of Packet::match_key() values this selects (all keys for protocols
  // without ports or ICMP fields).
  std::uint16_t key_low() const;
  std::uint16_t key_high() const;

  // Does it select every port (or every type/code) of its protocol?
  bool selects_all_keys() const { return key_low() == 0 && key_high() == 65535; }

  // "tcp 22", "udp 1024-65535", "icmp type 8 all codes", "all traffic".
  std::string to_string() const;
  friend bool operator==(const TrafficMatch&, const TrafficMatch&) = default;
};

// The classifier rule for "traffic `t` to or from `peer`", with priority `index`.
ClassifierRule to_classifier_rule(const TrafficMatch& t, const Cidr& peer, std::uint32_t index);

}  // namespace vpcsim
