// Loading scenario files (protobuf text format or JSON, see proto/vpcsim.proto) into the
// domain model, with every problem reported at once: file, line and column (text format),
// field path, and what to do about it.
#pragma once

#include <expected>
#include <filesystem>
#include <string>
#include <string_view>

#include "io/scenario_format.h"
#include "model/error.h"
#include "model/scenario.h"

namespace vpcsim::io {

// The format comes from the extension (format_from_path). Errors name the file as given.
std::expected<Scenario, Errors> load_scenario_file(const std::filesystem::path& path);

// `file_label` names the source in errors, becomes Scenario::source, and gives the scenario
// its name (the label's stem) when the content has none.
std::expected<Scenario, Errors> load_scenario_string(std::string_view content, const std::string& file_label,
                                                     ScenarioFormat format);

}  // namespace vpcsim::io
