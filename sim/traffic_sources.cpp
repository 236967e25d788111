#include "sim/traffic_sources.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <tuple>

namespace vpcsim {

namespace {

using U128 = unsigned __int128;

// The request packet of a flow: the ends' addresses in `family` as the filters see them (an
// interface's private address), ports or ICMP type/code. Scenario validation guarantees the
// addresses, so a missing one is a programmer's error.
// With `client_address` and `server_address`, the ends' addresses already looked up.
Packet request_packet(const Network& net, const Endpoint& client, const Endpoint& server, Family family,
                      std::uint8_t protocol, std::uint16_t client_port, std::uint16_t server_port,
                      std::uint8_t icmp_type, std::uint8_t icmp_code, const std::optional<IpAddress>& client_address,
                      const std::optional<IpAddress>& server_address) {
  for (const auto& [end, address] : {std::pair{&client, &client_address}, std::pair{&server, &server_address}}) {
    if (!*address) {
      throw std::logic_error(endpoint_label(net, *end) + " has no " + std::string(to_string(family)) + " address");
    }
  }
  return Packet::make(*client_address, *server_address, protocol, client_port, server_port, icmp_type, icmp_code);
}

Packet request_packet(const Network& net, const Endpoint& client, const Endpoint& server, Family family,
                      std::uint8_t protocol, std::uint16_t client_port, std::uint16_t server_port,
                      std::uint8_t icmp_type, std::uint8_t icmp_code) {
  return request_packet(net, client, server, family, protocol, client_port, server_port, icmp_type, icmp_code,
                        endpoint_address(net, client, family), endpoint_address(net, server, family));
}

std::vector<std::optional<IpAddress>> addresses_of(const Network& net, const std::vector<Endpoint>& ends,
                                                   Family family) {
  std::vector<std::optional<IpAddress>> out;
  out.reserve(ends.size());
  for (const Endpoint& e : ends) out.push_back(endpoint_address(net, e, family));
  return out;
}

// `a` + `b` for non-negative times, saturating instead of overflowing.
SimTime add(SimTime a, SimTime b) { return b > SimTime::max() - a ? SimTime::max() : a + b; }

}  // namespace

// ---- randomness ---------------------------------------------------------------------------

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

RandomStream::RandomStream(std::uint64_t seed, std::uint64_t stream) : engine_(splitmix64(splitmix64(seed) ^ stream)) {}

std::uint64_t RandomStream::below(std::uint64_t n) {
  U128 product = static_cast<U128>(bits()) * n;
  auto low = static_cast<std::uint64_t>(product);
  if (low < n) {
    const std::uint64_t threshold = (0 - n) % n;  // 2^64 mod n: how many low products to reject
    while (low < threshold) {
      product = static_cast<U128>(bits()) * n;
      low = static_cast<std::uint64_t>(product);
    }
  }
  return static_cast<std::uint64_t>(product >> 64);
}

double RandomStream::unit() { return static_cast<double>(bits() >> 11) * 0x1.0p-53; }

double RandomStream::exponential(double mean) { return -std::log1p(-unit()) * mean; }

SimTime from_seconds(double s) {
  if (!(s > 0)) return SimTime::zero();
  if (s >= 1e9) return kLongestDraw;
  return SimTime(std::llround(s * 1e9));
}

bool has_session_pair(const std::vector<Endpoint>& clients, const std::vector<Endpoint>& servers) {
  // With repeats removed (selectors remove them) each any_of stops within two elements.
  const auto other_than = [](const std::vector<Endpoint>& list, const Endpoint& e) {
    return std::ranges::any_of(list, [&](const Endpoint& x) { return x != e; });
  };
  for (const Endpoint& c : clients) {
    if (as_eni(c) && other_than(servers, c)) return true;
  }
  for (const Endpoint& s : servers) {
    if (as_eni(s) && other_than(clients, s)) return true;
  }
  return false;
}

// ---- explicit flows -----------------------------------------------------------------------

ExplicitFlowSource::ExplicitFlowSource(const Scenario& scenario) : scenario_(scenario) {
  order_.resize(scenario.flows.size());
  for (std::uint32_t i = 0; i < order_.size(); ++i) order_[i] = i;
  std::ranges::stable_sort(order_, {}, [&](std::uint32_t i) { return scenario.flows[i].start; });
}

std::optional<Flow> ExplicitFlowSource::next() {
  if (next_ == order_.size()) return std::nullopt;
  const std::uint32_t index = order_[next_++];
  const FlowSpec& spec = scenario_.flows[index];
  Flow f;
  f.source = index;
  f.generated = false;
  f.client = spec.client;
  f.server = spec.server;
  f.request = request_packet(scenario_.network, spec.client, spec.server, spec.family, spec.protocol, spec.client_port,
                             spec.server_port, spec.icmp_type, spec.icmp_code);
  f.start = spec.start;
  f.duration = spec.duration;
  f.request_packets = spec.request_packets;
  f.reply_packets = spec.reply_packets;
  f.request_bytes = spec.request_bytes;
  f.reply_bytes = spec.reply_bytes;
  return f;
}

// ---- generators ---------------------------------------------------------------------------

GeneratorSource::GeneratorSource(const Network& net, const GeneratorSpec& spec, std::uint32_t index, std::uint64_t seed,
                                 SimTime horizon)
    : net_(net),
      spec_(spec),
      index_(index),
      random_(seed, index),
      end_(horizon > SimTime::zero() ? std::min(spec.stop, horizon) : spec.stop),
      possible_(spec.kind == GeneratorSpec::Kind::kScanner ? !spec.clients.empty() && !spec.servers.empty()
                                                           : has_session_pair(spec.clients, spec.servers)),
      last_arrival_(spec.start),
      client_addresses_(addresses_of(net, spec.clients, spec.family)),
      server_addresses_(addresses_of(net, spec.servers, spec.family)) {}

std::optional<Flow> GeneratorSource::next() {
  if (exhausted_ || !possible_ || (spec_.flow_limit != 0 && produced_ >= spec_.flow_limit)) return std::nullopt;
  auto flow = spec_.kind == GeneratorSpec::Kind::kScanner ? next_probe() : next_session();
  if (flow) {
    ++produced_;
  } else {
    exhausted_ = true;
  }
  return flow;
}

SimTime GeneratorSource::constant_arrival(std::uint64_t k) const {
  // From the arrival number, not by adding up rounded gaps: 3 per second lands exactly on
  // every whole second.
  const double offset_ns = static_cast<double>(k) * 1e9 / spec_.rate_per_second;
  if (offset_ns >= 1e18) return SimTime::max();
  return add(spec_.start, SimTime(std::llround(offset_ns)));
}

SimTime GeneratorSource::next_poisson_arrival() {
  last_arrival_ = add(last_arrival_, from_seconds(random_.exponential(1.0 / spec_.rate_per_second)));
  return last_arrival_;
}

std::uint16_t GeneratorSource::draw_client_port() {
  const std::uint64_t span = std::uint64_t{spec_.client_port_high} - spec_.client_port_low + 1;
  return static_cast<std::uint16_t>(spec_.client_port_low + random_.below(span));
}

SimTime GeneratorSource::draw_duration() {
  const DurationDistribution& d = spec_.duration;
  switch (d.kind) {
    case DurationDistribution::Kind::kFixed:
      return from_seconds(d.a);
    case DurationDistribution::Kind::kExponential:
      return from_seconds(random_.exponential(d.a));
    case DurationDistribution::Kind::kUniform:
      return from_seconds(d.a + random_.unit() * (d.b - d.a));
  }
  return from_seconds(d.a);
}

Flow GeneratorSource::make_flow(SimTime start, const Endpoint& client, const Endpoint& server,
                                std::uint16_t server_port) {
  const bool ports = spec_.protocol == Protocol::kTcp || spec_.protocol == Protocol::kUdp;
  const std::uint16_t client_port = ports ? draw_client_port() : 0;
  Flow f;
  f.source = index_;
  f.generated = true;
  f.client = client;
  f.server = server;
  // client and server are elements of spec_.clients and spec_.servers.
  const auto ci = static_cast<std::size_t>(&client - spec_.clients.data());
  const auto si = static_cast<std::size_t>(&server - spec_.servers.data());
  f.request = request_packet(net_, client, server, spec_.family, spec_.protocol, client_port, server_port,
                             spec_.icmp_type, 0, client_addresses_[ci], server_addresses_[si]);
  f.start = start;
  return f;
}

std::optional<Flow> GeneratorSource::next_session() {
  const SimTime start =
      spec_.arrival == GeneratorSpec::Arrival::kConstant ? constant_arrival(arrivals_++) : next_poisson_arrival();
  if (start >= end_) return std::nullopt;
  const Endpoint* client = nullptr;
  const Endpoint* server = nullptr;
  do {  // possible_ guarantees a qualifying pair, so this ends
    client = &spec_.clients[random_.below(spec_.clients.size())];
    server = &spec_.servers[random_.below(spec_.servers.size())];
  } while (*client == *server || (!as_eni(*client) && !as_eni(*server)));
  const std::uint16_t port = spec_.ports.empty() ? 0 : spec_.ports[random_.below(spec_.ports.size())];
  Flow f = make_flow(start, *client, *server, port);
  f.duration = draw_duration();
  f.request_packets = spec_.request_packets;
  f.reply_packets = spec_.reply_packets;
  f.request_bytes = std::uint64_t{spec_.request_packets} * spec_.bytes_per_packet;
  f.reply_bytes = std::uint64_t{spec_.reply_packets} * spec_.bytes_per_packet;
  return f;
}

std::optional<Flow> GeneratorSource::next_probe() {
  const std::uint64_t ports_per_target = std::max<std::uint64_t>(spec_.ports.size(), 1);
  if (arrivals_ >= spec_.servers.size() * ports_per_target) return std::nullopt;
  const SimTime start = constant_arrival(arrivals_);
  if (start >= end_) return std::nullopt;
  const Endpoint& target = spec_.servers[arrivals_ / ports_per_target];
  const std::uint16_t port = spec_.ports.empty() ? 0 : spec_.ports[arrivals_ % ports_per_target];
  ++arrivals_;
  // A probe is one packet each way (a SYN and its SYN-ACK or RST), over in an instant.
  Flow f = make_flow(start, spec_.clients.front(), target, port);
  f.duration = SimTime::zero();
  f.request_packets = 1;
  f.reply_packets = 1;
  f.request_bytes = spec_.bytes_per_packet;
  f.reply_bytes = spec_.bytes_per_packet;
  return f;
}

// ---- all of a scenario's ------------------------------------------------------------------

std::vector<std::unique_ptr<TrafficSource>> make_traffic_sources(const Scenario& scenario, std::uint64_t seed) {
  return make_traffic_sources(scenario, seed, scenario.horizon);
}

std::vector<std::unique_ptr<TrafficSource>> make_traffic_sources(const Scenario& scenario, std::uint64_t seed,
                                                                 SimTime horizon) {
  std::vector<std::unique_ptr<TrafficSource>> sources;
  sources.reserve(scenario.generators.size() + 1);
  sources.push_back(std::make_unique<ExplicitFlowSource>(scenario));
  for (std::size_t i = 0; i < scenario.generators.size(); ++i) {
    sources.push_back(std::make_unique<GeneratorSource>(scenario.network, scenario.generators[i],
                                                        static_cast<std::uint32_t>(i), seed, horizon));
  }
  return sources;
}

}  // namespace vpcsim
