// Turns the protobuf text-format parser's errors into vpcsim Errors that point at the
// offending token and say how to fix it.
#pragma once

#include <google/protobuf/io/tokenizer.h>

#include <string>
#include <string_view>

#include "model/error.h"

namespace vpcsim::io {

class TextFormatErrors final : public google::protobuf::io::ErrorCollector {
 public:
  // `content` and `file` must outlive the collector; errors are appended to `out`.
  TextFormatErrors(std::string_view content, const std::string& file, Errors& out)
      : content_(content), file_(file), out_(out) {}

  void AddError(int line, google::protobuf::io::ColumnNumber column, const std::string& message) override;

 private:
  std::string_view content_;
  const std::string& file_;
  Errors& out_;
};

}  // namespace vpcsim::io
