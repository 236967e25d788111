#include "io/scenario_format.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

namespace vpcsim::io {

namespace {

constexpr std::array<std::string_view, 4> kTextExtensions = {".textproto", ".txtpb", ".pbtxt", ".textpb"};

}  // namespace

std::expected<ScenarioFormat, Error> format_from_path(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::ranges::transform(ext, ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (std::ranges::find(kTextExtensions, ext) != kTextExtensions.end()) return ScenarioFormat::kText;
  if (ext == ".json") return ScenarioFormat::kJson;
  const std::string got = ext.empty() ? "has no extension" : "has the extension " + ext;
  return std::unexpected(Error{path.string(), 0, 0, "",
                               "cannot tell the scenario format: the file " + got +
                                   "; use .textproto (also .txtpb, .pbtxt, .textpb) for protobuf text format or "
                                   ".json for JSON"});
}

}  // namespace vpcsim::io
