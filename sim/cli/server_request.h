// What `vpcsim serve` and `vpcsim client` share: a scenario argument as the server's
// LoadScenario request (a bundled lesson by name, or a scenario file sent inline), and
// HOST:PORT parsing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "proto/server.pb.h"

namespace vpcsim::cli {

// Empty: the bundled default lesson. A bundled lesson's name ("03-public-web"): that lesson.
// Otherwise a scenario file, validated here (errors with file and line go to stderr, and the
// result is nullopt) and sent inline.
std::optional<server::LoadScenario> scenario_request(const std::string& arg);

struct HostPort {
  std::string host;
  std::uint16_t port = 0;
};
// "127.0.0.1:7878", "[::1]:7878", "0.0.0.0:0". nullopt (with a message on stderr) when malformed.
std::optional<HostPort> parse_host_port(const std::string& text, const std::string& option);

}  // namespace vpcsim::cli
