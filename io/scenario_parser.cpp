#include "io/scenario_parser.h"

#include <google/protobuf/text_format.h>
#include <google/protobuf/util/json_util.h>

#include "io/json_errors.h"
#include "io/text_format_errors.h"

namespace vpcsim::io {

namespace {

namespace gp = google::protobuf;

std::expected<ParsedScenario, Errors> parse_text(std::string_view content, const std::string& file_label) {
  ParsedScenario parsed;
  auto locator = std::make_unique<TextFormatLocator>(pb::Scenario::descriptor());
  Errors errors;
  TextFormatErrors collector(content, file_label, errors);
  gp::TextFormat::Parser parser;
  parser.RecordErrorsTo(&collector);
  parser.WriteLocationsTo(locator->tree());
  if (!parser.ParseFromString(std::string(content), &parsed.message)) {
    if (errors.empty()) errors.push_back(Error{file_label, 0, 0, "", "not a valid scenario in protobuf text format"});
    return std::unexpected(std::move(errors));
  }
  parsed.locations = std::move(locator);
  return parsed;
}

std::expected<ParsedScenario, Errors> parse_json(std::string_view content, const std::string& file_label) {
  ParsedScenario parsed;
  gp::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;  // a misspelt field in our own scenarios is a mistake
  const auto status =
      gp::util::JsonStringToMessage(gp::StringPiece(content.data(), content.size()), &parsed.message, options);
  if (!status.ok()) {
    return std::unexpected(Errors{json_parse_error(std::string(status.message()), content, file_label, "invalid scenario JSON: ")});
  }
  return parsed;
}

}  // namespace

std::expected<ParsedScenario, Errors> parse_scenario_proto(std::string_view content, const std::string& file_label,
                                                           ScenarioFormat format) {
  return format == ScenarioFormat::kText ? parse_text(content, file_label) : parse_json(content, file_label);
}

}  // namespace vpcsim::io
