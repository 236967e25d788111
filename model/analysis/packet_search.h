// Exhaustive search for a packet between two endpoints that the filters allow (or drop),
// without brute force: every CIDR, port range and ICMP type/code range of every rule on the
// path cuts the address, port and key spaces into classes inside which every packet gets the
// same verdicts, and one packet per class is evaluated. The first hit is a concrete example;
// no hit proves there is none in the space.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "model/compiled_filters.h"
#include "model/endpoint.h"
#include "model/path_evaluator.h"

namespace vpcsim::analysis {

enum class SearchGoal : std::uint8_t { kAllowed, kDropped };

// What a packet's fate is judged on: the request alone, or the exchange (allowed: request and
// reply delivered; dropped: either is dropped).
enum class SearchScope : std::uint8_t { kRequest, kExchange };

struct SearchSpace {
  Endpoint from;
  Endpoint to;
  Family family = Family::kIpv4;
  // Addresses the source (destination) may use. Empty: the endpoint's own — an interface's
  // private addresses of the family, an internet host's address. An internet host may be
  // given any blocks ("any address on the internet": 0.0.0.0/0).
  std::vector<Cidr> from_addresses;
  std::vector<Cidr> to_addresses;
  std::optional<std::uint8_t> protocol;  // nullopt: every protocol number
  PortRange dst_ports = PortRange::all();  // tcp/udp
  PortRange src_ports = PortRange::all();  // tcp/udp
};

struct SearchResult {
  std::optional<Exchange> example;  // the first packet found, with its traces
  std::uint64_t classes = 0;        // packets evaluated (one per class)
};

// Fails with a message when an endpoint has no address of the family, or a given block is of
// the other family.
std::expected<SearchResult, std::string> find_packet(const Network& net, const CompiledFilters& filters,
                                                     const SearchSpace& space, SearchGoal goal, SearchScope scope,
                                                     FilteringModel model);

}  // namespace vpcsim::analysis
