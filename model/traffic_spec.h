// Synthetic traffic a scenario declares: generators of client->server sessions, internet
// scanners and internet users. Plain data; sim/ turns it into flows, seeded and lazily.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/cidr.h"
#include "model/endpoint.h"
#include "model/sim_time.h"

namespace vpcsim {

// A distribution of a duration or an interval, in seconds (parameters only; every drawn
// value is rounded to integer nanoseconds).
struct DurationDistribution {
  enum class Kind : std::uint8_t { kFixed, kExponential, kUniform };
  Kind kind = Kind::kFixed;
  double a = 1.0;  // fixed: the value; exponential: the mean; uniform: the minimum
  double b = 1.0;  // uniform: the maximum
};

struct GeneratorSpec {
  enum class Kind : std::uint8_t {
    kSessions,       // clients open sessions to servers (Poisson or constant rate)
    kScanner,        // one internet host probes every port of `ports` on every server in turn
    kInternetUsers,  // a pool of internet hosts visits the servers
  };
  enum class Arrival : std::uint8_t { kPoisson, kConstant };

  std::string name;
  Kind kind = Kind::kSessions;
  std::vector<Endpoint> clients;  // resolved; for internet users, the pool's hosts
  std::vector<Endpoint> servers;  // resolved
  std::uint8_t protocol = 6;
  std::vector<std::uint16_t> ports;  // server ports (tcp/udp), drawn uniformly
  std::uint8_t icmp_type = 8;
  Family family = Family::kIpv4;
  Arrival arrival = Arrival::kPoisson;
  double rate_per_second = 1.0;  // sessions (or probes) started per second, all clients together
  DurationDistribution duration{DurationDistribution::Kind::kFixed, 1.0, 1.0};
  std::uint32_t request_packets = 10;
  std::uint32_t reply_packets = 10;
  std::uint32_t bytes_per_packet = 500;
  // Client ports are drawn from this range (Linux's default ip_local_port_range).
  std::uint16_t client_port_low = 32768;
  std::uint16_t client_port_high = 60999;
  SimTime start{0};
  SimTime stop = SimTime::max();  // clamped to the scenario's horizon
  std::uint64_t flow_limit = 0;   // 0 = none
  std::string field;              // "generators[1]"
};

}  // namespace vpcsim
