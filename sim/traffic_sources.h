// Where the engine's flows come from: the scenario's explicit flows and its generators, each
// a TrafficSource that produces flows lazily, in start order, in memory that does not grow
// with the flows produced. Deterministic: a generator's flows depend only on its spec, the
// network's addresses, the seed, the generator's index and the horizon.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <vector>

#include "model/scenario.h"
#include "model/traffic_spec.h"
#include "sim/flow.h"

namespace vpcsim {

// One generator's random stream. std::mt19937_64's output is fixed by the standard; the
// standard distributions' are not (each library implements them its own way), so the few
// this needs are written out here and a run is the same with any compiler.
class RandomStream {
 public:
  // Streams of different (seed, stream) pairs are independent: both go through splitmix64.
  RandomStream(std::uint64_t seed, std::uint64_t stream);

  std::uint64_t bits() { return engine_(); }
  // Uniform in [0, n) for n > 0, unbiased (Lemire, "Fast random integer generation in an
  // interval", 2019: multiply, and reject the few low products that would bias it).
  std::uint64_t below(std::uint64_t n);
  // Uniform in [0, 1), from 53 random bits: every double there is a multiple of 2^-53.
  double unit();
  // Exponentially distributed with mean `mean` (inverting the CDF: -ln(1 - u) * mean).
  double exponential(double mean);

 private:
  std::mt19937_64 engine_;
};

// splitmix64's output function (Steele, Lea, Flood, "Fast splittable pseudorandom number
// generators", 2014): a bijection that spreads nearby inputs far apart.
std::uint64_t splitmix64(std::uint64_t x);

// `s` seconds as SimTime, rounded to the nearest nanosecond; negative values become 0 and
// values beyond kLongestDraw are clamped to it, so that sums of times cannot overflow.
SimTime from_seconds(double s);
inline constexpr SimTime kLongestDraw = seconds(1'000'000'000);  // about 31.7 years

// Whether a session can run between some client and some server: two different endpoints, at
// least one of them in the VPC (the engine does not simulate the internet talking to itself).
bool has_session_pair(const std::vector<Endpoint>& clients, const std::vector<Endpoint>& servers);

// The scenario's explicit flows in (start, position) order. The scenario must outlive it.
class ExplicitFlowSource final : public TrafficSource {
 public:
  explicit ExplicitFlowSource(const Scenario& scenario);
  std::optional<Flow> next() override;

 private:
  const Scenario& scenario_;
  std::vector<std::uint32_t> order_;  // flow positions sorted by start
  std::size_t next_ = 0;
};

// The flows of one generator (GeneratorSpec). `net` and `spec` must outlive it.
//
// Sessions and internet users: arrivals from spec.start, Poisson (exponential gaps with mean
// 1/rate, the first one gap after start) or constant (start, start + 1/rate, ..., each time
// computed from its arrival number so that rounding never accumulates), up to but excluding
// min(spec.stop, horizon) (a horizon of 0 leaves spec.stop alone). Each arrival draws, in
// this order: a client and a server, uniformly, drawing again while they are the same
// endpoint or both on the internet; a server port from spec.ports; a client port from the
// client port range (tcp and udp); a duration from spec.duration.
//
// Scanner: one probe per (server, port), servers in order and each one's ports in order (one
// per server when there are no ports), at constant rate from spec.start, each one packet each
// way, of duration 0; from spec.clients.front(), from a client port drawn from the range.
//
// Either way at most spec.flow_limit flows (0: no limit).
class GeneratorSource final : public TrafficSource {
 public:
  GeneratorSource(const Network& net, const GeneratorSpec& spec, std::uint32_t index, std::uint64_t seed,
                  SimTime horizon);
  std::optional<Flow> next() override;

 private:
  std::optional<Flow> next_session();
  std::optional<Flow> next_probe();
  SimTime constant_arrival(std::uint64_t k) const;
  SimTime next_poisson_arrival();
  std::uint16_t draw_client_port();
  SimTime draw_duration();
  Flow make_flow(SimTime start, const Endpoint& client, const Endpoint& server, std::uint16_t server_port);

  const Network& net_;
  const GeneratorSpec& spec_;
  std::uint32_t index_;
  RandomStream random_;
  SimTime end_;    // arrivals before it
  bool possible_;  // some client/server pair qualifies
  bool exhausted_ = false;
  std::uint64_t produced_ = 0;
  std::uint64_t arrivals_ = 0;  // constant arrivals and scanner probes so far
  SimTime last_arrival_;        // Poisson: the previous arrival (initially spec.start)
  // endpoint_address(net, e, spec.family) of each of spec.clients and spec.servers, looked up
  // once (nullopt: none; make_flow reports it when that endpoint is drawn).
  std::vector<std::optional<IpAddress>> client_addresses_;
  std::vector<std::optional<IpAddress>> server_addresses_;
};

// Every source of a scenario: its explicit flows first (always, even when it has none, so that
// generator i is source i + 1), then one per generator in order, generator i drawing from the
// stream (seed, i). The scenario must outlive the sources. `horizon` bounds the generators (0:
// their stop only); the first form uses the scenario's own.
std::vector<std::unique_ptr<TrafficSource>> make_traffic_sources(const Scenario& scenario, std::uint64_t seed);
std::vector<std::unique_ptr<TrafficSource>> make_traffic_sources(const Scenario& scenario, std::uint64_t seed,
                                                                 SimTime horizon);

}  // namespace vpcsim
