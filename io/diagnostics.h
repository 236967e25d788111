// Collects every problem found while converting a scenario, each with the file, the field
// path and, when the source format records them, the line and column.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "io/source_locations.h"
#include "model/error.h"

namespace vpcsim::io {

class Diagnostics {
 public:
  // `locator` may be null (JSON); it must outlive the Diagnostics.
  Diagnostics(std::string file, const SourceLocator* locator) : file_(std::move(file)), locator_(locator) {}

  void error(std::string field, std::string message);

  bool empty() const { return errors_.empty(); }
  std::size_t count() const { return errors_.size(); }
  const std::string& file() const { return file_; }
  // The errors in source order (those without a line first), else in the order found.
  Errors take();

 private:
  std::string file_;
  const SourceLocator* locator_;
  Errors errors_;
};

// "known: a, b, c" (at most `limit` names, then how many more), or "none are declared".
std::string known_names(const std::vector<std::string>& names, std::size_t limit = 8);

// `base` + "[" + index + "]", the way field paths name an element of a repeated field.
std::string at(std::string_view base, std::size_t index);

}  // namespace vpcsim::io
