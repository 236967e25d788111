// The bundled default scenario (scenarios/lessons/01-ssh-inbound-only.textproto), compiled
// into the binary so that `vpcsim run` works from any directory.
#pragma once

#include <string_view>

namespace vpcsim::cli {

extern const std::string_view kDefaultScenarioText;
extern const std::string_view kDefaultScenarioLabel;

}  // namespace vpcsim::cli
