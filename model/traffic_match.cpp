#include "model/traffic_match.h"

namespace vpcsim {

bool TrafficMatch::matches(const Packet& p) const {
  if (protocol.is_all()) return true;
  if (protocol.value() != p.protocol) return false;
  if (protocol.has_ports()) return ports.contains(p.dst_port);
  if (protocol.is_icmp_family()) return icmp.matches(p.icmp_type, p.icmp_code);
  return true;
}

std::uint16_t TrafficMatch::key_low() const {
  if (protocol.is_all()) return 0;
  if (protocol.has_ports()) return ports.from;
  if (protocol.is_icmp_family() && icmp.type != -1) {
    return static_cast<std::uint16_t>((icmp.type << 8) | (icmp.code == -1 ? 0 : icmp.code));
  }
  return 0;
}

std::uint16_t TrafficMatch::key_high() const {
  if (protocol.is_all()) return 65535;
  if (protocol.has_ports()) return ports.to;
  if (protocol.is_icmp_family() && icmp.type != -1) {
    return static_cast<std::uint16_t>((icmp.type << 8) | (icmp.code == -1 ? 255 : icmp.code));
  }
  return 65535;
}

std::string TrafficMatch::to_string() const {
  if (protocol.is_all()) return "all traffic";
  if (protocol.has_ports()) return protocol.to_string() + " " + (ports.is_all() ? "all ports" : ports.to_string());
  if (protocol.is_icmp_family()) return protocol.to_string() + " " + icmp.to_string();
  return "protocol " + protocol.to_string();
}

ClassifierRule to_classifier_rule(const TrafficMatch& t, const Cidr& peer, std::uint32_t index) {
  return {peer.family(), t.protocol.is_all() ? -1 : int{t.protocol.value()}, t.key_low(), t.key_high(),
          peer.first().value(), peer.last().value(), index};
}

}  // namespace vpcsim
