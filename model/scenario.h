// A scenario: a network, the filtering model it is judged under, and the flows to evaluate
// with what a lesson or an engineer expects of them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/endpoint.h"
#include "model/hop.h"
#include "model/network.h"
#include "model/path_evaluator.h"
#include "model/rule_change.h"
#include "model/sim_time.h"
#include "model/traffic_spec.h"

namespace vpcsim {

enum class ExpectedVerdict : std::uint8_t { kAllowed, kDropped, kNotSent };
std::string_view to_string(ExpectedVerdict v);

struct Expectation {
  std::optional<FilteringModel> model;  // checked under this model only; both when absent
  std::optional<ExpectedVerdict> request;
  std::optional<ExpectedVerdict> reply;
  std::optional<Hop> request_dropped_at;
  std::optional<Hop> reply_dropped_at;
  std::string field;  // where it was written ("flows[2].expect[0]"), for messages
};

struct FlowSpec {
  std::string name;
  std::string description;
  Endpoint client;
  Endpoint server;
  Family family = Family::kIpv4;
  std::uint8_t protocol = Protocol::kTcp;
  std::uint16_t client_port = 0;  // TCP/UDP source port
  std::uint16_t server_port = 0;  // TCP/UDP destination port
  std::uint8_t icmp_type = 8;     // ICMP: echo request unless given
  std::uint8_t icmp_code = 0;
  // When it runs over simulated time (the engine); the stateless evaluation of `vpcsim run`
  // without an engine ignores these.
  SimTime start{0};
  SimTime duration = seconds(1);
  std::uint32_t request_packets = 10;
  std::uint32_t reply_packets = 10;
  std::uint64_t request_bytes = 5000;
  std::uint64_t reply_bytes = 5000;
  std::vector<Expectation> expectations;
  std::string field;  // "flows[2]"
};

// The client port a flow uses when the scenario does not give one: inside the Linux default
// ephemeral range 32768-60999 (Linux ip-sysctl, ip_local_port_range), Windows' 49152-65535,
// and AWS's example NACL range 32768-65535 (VPC User Guide, "Ephemeral ports").
inline constexpr std::uint16_t kDefaultClientPort = 50000;

struct Scenario {
  std::string name;
  std::string description;
  std::optional<FilteringModel> model;  // as written; stateless applies when absent
  Network network;
  std::vector<FlowSpec> flows;
  std::vector<GeneratorSpec> generators;
  std::vector<TimedChange> changes;  // sorted by time, stable
  SimTime horizon{0};                // 0: until the last flow has finished
  bool packet_fidelity = false;      // the engine runs it packet by packet unless told otherwise
  std::uint64_t seed = 1;            // every generator's random stream derives from it
  std::string source;                // the file it came from, for messages

  FilteringModel effective_model() const { return model.value_or(FilteringModel::kStateless); }
};

}  // namespace vpcsim
