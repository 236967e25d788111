#include "sim/cli/server_request.h"

#include <charconv>
#include <fstream>
#include <iostream>
#include <sstream>

#include "io/scenario_parser.h"
#include "sim/cli/default_scenario.h"
#include "sim/cli/options.h"
#include "sim/server/lessons.h"

namespace vpcsim::cli {

std::optional<server::LoadScenario> scenario_request(const std::string& arg) {
  server::LoadScenario request;
  if (arg.empty()) {
    const std::string label(kDefaultScenarioLabel);
    const auto slash = label.rfind('/');
    const auto dot = label.rfind('.');
    request.set_lesson(label.substr(slash + 1, dot - slash - 1));
    return request;
  }
  if (server::find_lesson(arg) != nullptr) {
    request.set_lesson(arg);
    return request;
  }
  // A file: the same validation as `vpcsim run`, so that errors name its lines.
  if (!load_or_report(arg)) return std::nullopt;
  std::ifstream in(arg, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  const auto format = io::format_from_path(arg);
  auto parsed =
      format ? io::parse_scenario_proto(content.str(), arg, *format) : std::unexpected(Errors{format.error()});
  if (!parsed) {
    for (const Error& e : parsed.error()) std::cerr << "error: " << e.format() << '\n';
    return std::nullopt;
  }
  *request.mutable_scenario() = std::move(parsed->message);
  return request;
}

std::optional<HostPort> parse_host_port(const std::string& text, const std::string& option) {
  const auto colon = text.rfind(':');
  HostPort out;
  unsigned port = 0;
  bool ok = colon != std::string::npos && colon > 0;
  if (ok) {
    out.host = text.substr(0, colon);
    if (out.host.size() >= 2 && out.host.front() == '[' && out.host.back() == ']') {
      out.host = out.host.substr(1, out.host.size() - 2);
    }
    const char* first = text.data() + colon + 1;
    const char* last = text.data() + text.size();
    const auto [end, ec] = std::from_chars(first, last, port);
    ok = first != last && ec == std::errc{} && end == last && port <= 65535;
  }
  if (!ok) {
    std::cerr << "error: " << option << " '" << text << "': give HOST:PORT (an IPv6 address in brackets: [::1]:7878), "
              << "the port 0-65535\n";
    return std::nullopt;
  }
  out.port = static_cast<std::uint16_t>(port);
  return out;
}

}  // namespace vpcsim::cli
