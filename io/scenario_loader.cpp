#include "io/scenario_loader.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "io/scenario_converter.h"
#include "io/scenario_parser.h"

namespace vpcsim::io {

namespace {

std::unexpected<Error> os_error(const std::string& file, std::string_view doing, int error_number) {
  return std::unexpected(Error{file, 0, 0, "", "cannot " + std::string(doing) + ": " + std::strerror(error_number)});
}

std::expected<std::string, Error> read_file(const std::filesystem::path& path) {
  const std::string label = path.string();
  errno = 0;
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(label.c_str(), "rb"), &std::fclose);
  if (!file) return os_error(label, "open the scenario file", errno);
  std::string content;
  char buffer[1 << 16];
  while (true) {
    const std::size_t n = std::fread(buffer, 1, sizeof buffer, file.get());
    content.append(buffer, n);
    if (n < sizeof buffer) break;
  }
  // A directory opens but does not read (EISDIR).
  if (std::ferror(file.get())) return os_error(label, "read the scenario file", errno);
  return content;
}

}  // namespace

std::expected<Scenario, Errors> load_scenario_file(const std::filesystem::path& path) {
  const auto format = format_from_path(path);
  if (!format) return std::unexpected(Errors{format.error()});
  auto content = read_file(path);
  if (!content) return std::unexpected(Errors{content.error()});
  return load_scenario_string(*content, path.string(), *format);
}

std::expected<Scenario, Errors> load_scenario_string(std::string_view content, const std::string& file_label,
                                                     ScenarioFormat format) {
  auto parsed = parse_scenario_proto(content, file_label, format);
  if (!parsed) return std::unexpected(std::move(parsed.error()));
  return scenario_from_proto(parsed->message, file_label, parsed->locations.get());
}

}  // namespace vpcsim::io
