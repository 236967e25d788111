#include "io/json_errors.h"

#include <algorithm>

namespace vpcsim::io {

Error json_parse_error(std::string_view message, std::string_view content, const std::string& file_label,
                       std::string_view prefix) {
  Error e{file_label, 0, 0, "", std::string(prefix)};
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

}  // namespace vpcsim::io
