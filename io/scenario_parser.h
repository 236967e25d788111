// Parses scenario text (protobuf text format or JSON) into the schema message, keeping the
// source positions of text-format fields for later validation errors.
#pragma once

#include <expected>
#include <memory>
#include <string>
#include <string_view>

#include "io/scenario_format.h"
#include "io/source_locations.h"
#include "model/error.h"
#include "proto/vpcsim.pb.h"

namespace vpcsim::io {

struct ParsedScenario {
  pb::Scenario message;
  std::unique_ptr<SourceLocator> locations;  // null for JSON: its errors carry field paths only
};

// Syntax errors, unknown fields and values of the wrong type are errors naming `file_label`
// (with line and column for text format).
std::expected<ParsedScenario, Errors> parse_scenario_proto(std::string_view content, const std::string& file_label,
                                                           ScenarioFormat format);

}  // namespace vpcsim::io
