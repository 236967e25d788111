// Idle timeouts of security-group connection tracking, per interface.
#pragma once

#include "model/sim_time.h"

namespace vpcsim {

struct ConntrackTimeouts {
  // EC2 API ConnectionTrackingConfiguration / ConnectionTrackingSpecificationRequest:
  // TcpEstablishedTimeout 60-432000 s, default 432000 s (5 days; 350 s on Nitro v6 instance
  // types); UdpStreamTimeout 60-180 s, default 180 s (flows that saw more than one
  // request-response transaction); UdpTimeout 30-60 s, default 30 s (one direction or a
  // single request-response).
  SimTime tcp_established = seconds(432'000);
  SimTime udp_stream = seconds(180);
  SimTime udp = seconds(30);
  // EC2 User Guide, "Security group connection tracking": other protocols (GRE, ESP, ...)
  // are tracked by addresses and protocol, and a response within 600 s is allowed.
  SimTime other = seconds(600);
  // Not documented by AWS; named assumptions (shared/aws-semantics.md A1, A2) in the
  // spirit of Linux netfilter's defaults.
  SimTime tcp_handshake = seconds(120);  // A1: SYN sent or received, not yet established
  SimTime tcp_closing = seconds(120);    // A1: after a FIN
  SimTime tcp_reset = seconds(10);       // A1: after a RST
  SimTime icmp = seconds(30);            // A2: ICMP, keyed by addresses

  static constexpr SimTime kTcpEstablishedMin = seconds(60), kTcpEstablishedMax = seconds(432'000);
  static constexpr SimTime kUdpStreamMin = seconds(60), kUdpStreamMax = seconds(180);
  static constexpr SimTime kUdpMin = seconds(30), kUdpMax = seconds(60);
  // Nitro v6 instance types default to 350 s (AWS blog, "Best practices for TCP connection
  // management on EC2", and the current API reference).
  static constexpr SimTime kNitroV6TcpEstablished = seconds(350);

  friend bool operator==(const ConntrackTimeouts&, const ConntrackTimeouts&) = default;
};

}  // namespace vpcsim
