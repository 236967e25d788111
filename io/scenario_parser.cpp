#include "io/scenario_parser.h"

#include <google/protobuf/text_format.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>

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

// Protobuf's JSON syntax errors read "MESSAGE\nCONTEXT\n   ^", the context being up to 20
// characters around the offending one and the caret under it. When the context occurs once
// in the content, the error gets that line and column.
Error json_syntax_error(std::string_view message, std::string_view content, const std::string& file_label) {
  Error e{file_label, 0, 0, "", "invalid scenario JSON: "};
  const auto first_newline = message.find('\n');
  const auto last_newline = message.rfind('\n');
  if (first_newline == std::string_view::npos || first_newline == last_newline) {
    e.message += message;
    return e;
  }
  e.message += message.substr(0, first_newline);
  const std::string_view context = message.substr(first_newline + 1, last_newline - first_newline - 1);
  const std::size_t caret = message.substr(last_newline + 1).find('^');
  const std::size_t at = content.find(context);
  if (context.empty() || caret == std::string_view::npos || at == std::string_view::npos ||
      content.find(context, at + 1) != std::string_view::npos) {
    return e;
  }
  const std::string_view before = content.substr(0, at + caret);
  const std::size_t line_start = before.rfind('\n');
  e.line = 1 + static_cast<int>(std::ranges::count(before, '\n'));
  e.column =
      1 + static_cast<int>(line_start == std::string_view::npos ? before.size() : before.size() - line_start - 1);
  return e;
}

std::expected<ParsedScenario, Errors> parse_json(std::string_view content, const std::string& file_label) {
  ParsedScenario parsed;
  gp::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;  // a misspelt field in our own scenarios is a mistake
  const auto status =
      gp::util::JsonStringToMessage(gp::StringPiece(content.data(), content.size()), &parsed.message, options);
  if (!status.ok()) {
    return std::unexpected(Errors{json_syntax_error(std::string(status.message()), content, file_label)});
  }
  return parsed;
}

}  // namespace

std::expected<ParsedScenario, Errors> parse_scenario_proto(std::string_view content, const std::string& file_label,
                                                           ScenarioFormat format) {
  return format == ScenarioFormat::kText ? parse_text(content, file_label) : parse_json(content, file_label);
}

}  // namespace vpcsim::io
