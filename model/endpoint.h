// One end of a flow: an interface in the VPC or a host on the internet.
#pragma once

#include <optional>
#include <string>
#include <variant>

#include "model/ids.h"
#include "model/network.h"

namespace vpcsim {

using Endpoint = std::variant<EniId, ExternalHostId>;

inline std::optional<EniId> as_eni(const Endpoint& e) {
  if (const auto* id = std::get_if<EniId>(&e)) return *id;
  return std::nullopt;
}

// "web (eni-web)" or "internet host attacker (198.51.100.7)".
std::string endpoint_label(const Network& net, const Endpoint& e);

// The address an endpoint uses in `family` (an interface's primary private IPv4 or first
// IPv6 address), if it has one.
std::optional<IpAddress> endpoint_address(const Network& net, const Endpoint& e, Family family);

// The endpoint a scenario or a command line names: an instance name (its primary
// interface), an interface id, or an internet host name, tried in that order.
std::optional<Endpoint> resolve_endpoint(const Network& net, std::string_view name);

}  // namespace vpcsim
