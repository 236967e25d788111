// The protocol / ports / ICMP fields that security-group rules and network-ACL entries share,
// checked and converted into a TrafficMatch the same way for both.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "io/diagnostics.h"
#include "model/traffic_match.h"

namespace vpcsim::io {

struct TrafficFields {
  std::string_view protocol;
  std::string_view ports;
  std::optional<int> icmp_type;  // absent = all types
  std::optional<int> icmp_code;  // absent = all codes

  // From a pb::SgRule or pb::NaclEntry, which name these fields alike.
  template <class Message>
  static TrafficFields of(const Message& m) {
    return {m.protocol(), m.ports(), m.has_icmp_type() ? std::optional<int>(m.icmp_type()) : std::nullopt,
            m.has_icmp_code() ? std::optional<int>(m.icmp_code()) : std::nullopt};
  }
};

// The TrafficMatch of the rule at `path` (its fields are `path`.protocol, .ports, ...), or
// nullopt after reporting every problem with it.
std::optional<TrafficMatch> convert_traffic(const TrafficFields& fields, const std::string& path, Diagnostics& diag);

}  // namespace vpcsim::io
