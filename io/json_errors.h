// Errors of protobuf's JSON parser (google::protobuf::util::JsonStringToMessage) as vpcsim
// Errors: the file, and the line and column when the parser's context locates them.
#pragma once

#include <string>
#include <string_view>

#include "model/error.h"

namespace vpcsim::io {

// Protobuf's JSON syntax errors read "MESSAGE\nCONTEXT\n   ^", the context being up to 20
// characters around the offending one and the caret under it. When the context occurs once
// in the content, the error gets that line and column. `prefix` starts the message
// ("invalid scenario JSON: ").
Error json_parse_error(std::string_view status_message, std::string_view content, const std::string& file_label,
                       std::string_view prefix);

}  // namespace vpcsim::io
