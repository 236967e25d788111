// Facts about rules that several analyses share: which addresses a peer stands for, whether
// one rule's traffic covers another's, well-known service ports, and the equivalence classes
// that a set of intervals carves out of a range.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "model/cidr.h"
#include "model/network.h"
#include "model/traffic_match.h"

namespace vpcsim::analysis {

// The address blocks a peer stands for: the CIDR itself, a prefix list's entries, or the
// private addresses (IPv4 and IPv6) of every interface carrying the group (EC2 User Guide,
// "Security group rules"). A dangling group or list stands for nothing.
std::vector<Cidr> peer_blocks(const Network& net, const Peer& peer);

// A literal 0.0.0.0/0 or ::/0 (AWS's "anywhere"); prefix lists and groups never count, as
// for connection tracking (shared/aws-semantics.md, assumption A5).
bool is_world(const Peer& peer);

// Does `outer` select every packet `inner` selects (protocol, ports or ICMP type/code)?
bool traffic_covers(const TrafficMatch& outer, const TrafficMatch& inner);
// Does `outer` stand for every address `inner` does, whatever the group memberships are?
bool peer_covers(const Peer& outer, const Peer& inner);

// Does the rule select `protocol` traffic to `port`? (tcp/udp; "all protocols" selects every port)
bool selects_port(const TrafficMatch& t, std::uint8_t protocol, std::uint16_t port);

// A tcp/udp rule whose port range is reversed (from > to): it selects nothing.
inline bool is_reversed(const TrafficMatch& t) { return t.protocol.has_ports() && t.ports.from > t.ports.to; }

// The ephemeral ranges replies go to (shared/aws-semantics.md 3.6): the current Linux default
// (ip_local_port_range), and the widest one AWS documents (NAT gateways, ELB, Lambda).
inline constexpr PortRange kLinuxEphemeral{32768, 60999};
inline constexpr PortRange kWideEphemeral{1024, 65535};

// A rule that reads as a return-traffic rule rather than a service: its range covers the
// whole Linux ephemeral range (or every port, or every protocol).
bool is_return_rule(const TrafficMatch& t);

struct ServicePort {
  std::uint16_t port;
  std::string_view service;
  bool sensitive;  // administration, file sharing or a database: never to be open to the world
  bool udp_too;    // also a UDP service (tcp is always meant)
};
// Well-known service ports, most popular first.
std::span<const ServicePort> service_ports();
const ServicePort* find_service_port(std::uint16_t port);

// Optimal-string-alignment distance between the decimal spellings of two ports: one changed,
// inserted, deleted or two adjacent swapped digits is distance 1 (433/443, 2/22, 3360/3306).
int port_typo_distance(std::uint16_t a, std::uint16_t b);

// The starts of the classes that the intervals [lo_i, hi_i] carve out of [lo, hi]: within a
// class every interval either contains all values or none. Sorted, first element `lo`.
template <class T>
std::vector<T> class_starts(T lo, T hi, std::span<const std::pair<T, T>> intervals) {
  std::vector<T> starts{lo};
  for (const auto& [a, b] : intervals) {
    if (b < lo || a > hi || a > b) continue;
    if (a > lo) starts.push_back(a);
    if (b < hi) starts.push_back(static_cast<T>(b + 1));
  }
  std::ranges::sort(starts);
  starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
  return starts;
}

// The blocks' [first, last] address values, of one family.
std::vector<std::pair<U128, U128>> address_intervals(std::span<const Cidr> blocks, Family f);

}  // namespace vpcsim::analysis
