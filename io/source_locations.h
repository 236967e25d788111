// Where in a scenario file a field was written, so that validation errors can point at the
// line and column of the offending value, not only name its field path.
#pragma once

#include <google/protobuf/descriptor.h>
#include <google/protobuf/text_format.h>

#include <memory>
#include <optional>
#include <string_view>

namespace vpcsim::io {

struct SourceLocation {
  int line = 0;    // 1-based
  int column = 0;  // 1-based
};

// Maps field paths ("security_groups[1].ingress[0].cidr") to positions in the source.
// Importers of other formats can supply their own; JSON scenarios have none.
class SourceLocator {
 public:
  virtual ~SourceLocator() = default;
  // Where the field at `path` was written. When it was not written (a required field left
  // out), where its nearest written ancestor was; nullopt when no part of the path was.
  virtual std::optional<SourceLocation> locate(std::string_view path) const = 0;
};

// Locations recorded by the protobuf text-format parser (TextFormat::ParseInfoTree).
class TextFormatLocator final : public SourceLocator {
 public:
  // `root` is the descriptor of the message the text was parsed into.
  explicit TextFormatLocator(const google::protobuf::Descriptor* root);

  // The tree to hand to TextFormat::Parser::WriteLocationsTo before parsing.
  google::protobuf::TextFormat::ParseInfoTree* tree() { return tree_.get(); }

  std::optional<SourceLocation> locate(std::string_view path) const override;

 private:
  const google::protobuf::Descriptor* root_;
  // ParseInfoTree can be neither copied nor moved; the locator can.
  std::unique_ptr<google::protobuf::TextFormat::ParseInfoTree> tree_;
};

}  // namespace vpcsim::io
