#include "io/diagnostics.h"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

namespace vpcsim::io {

void Diagnostics::error(std::string field, std::string message) {
  Error e{file_, 0, 0, std::move(field), std::move(message)};
  if (locator_ != nullptr) {
    if (const auto where = locator_->locate(e.field)) {
      e.line = where->line;
      e.column = where->column;
    }
  }
  errors_.push_back(std::move(e));
}

Errors Diagnostics::take() {
  std::ranges::stable_sort(
      errors_, [](const Error& a, const Error& b) { return std::tie(a.line, a.column) < std::tie(b.line, b.column); });
  return std::move(errors_);
}

std::string known_names(const std::vector<std::string>& names, std::size_t limit) {
  if (names.empty()) return "none are declared";
  std::string out = "known: ";
  for (std::size_t i = 0; i < names.size() && i < limit; ++i) {
    if (i > 0) out += ", ";
    out += names[i];
  }
  if (names.size() > limit) out += fmt::format(", ... ({} more)", names.size() - limit);
  return out;
}

std::string at(std::string_view base, std::size_t index) { return fmt::format("{}[{}]", base, index); }

}  // namespace vpcsim::io
