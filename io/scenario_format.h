// The file formats a scenario can be written in, told apart by the file's extension.
#pragma once

#include <expected>
#include <filesystem>

#include "model/error.h"

namespace vpcsim::io {

enum class ScenarioFormat { kText, kJson };

// .textproto, .txtpb, .pbtxt, .textpb: protobuf text format; .json: protobuf JSON. Anything
// else is an error naming the accepted extensions.
std::expected<ScenarioFormat, Error> format_from_path(const std::filesystem::path& path);

}  // namespace vpcsim::io
