#include "io/source_locations.h"

#include <charconv>
#include <string>

namespace vpcsim::io {

namespace {

namespace gp = google::protobuf;

// One step of a field path: "ingress[0]" is {"ingress", 0}, "cidr" is {"cidr", -1}.
struct PathStep {
  std::string_view name;
  int index = -1;
};

// The next step of `path`, consuming it; nullopt when the path is malformed.
std::optional<PathStep> next_step(std::string_view& path) {
  const auto dot = path.find('.');
  std::string_view step = path.substr(0, dot);
  path = dot == std::string_view::npos ? std::string_view{} : path.substr(dot + 1);
  PathStep out;
  const auto bracket = step.find('[');
  out.name = step.substr(0, bracket);
  if (bracket == std::string_view::npos) return out;
  if (step.back() != ']') return std::nullopt;
  const std::string_view digits = step.substr(bracket + 1, step.size() - bracket - 2);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out.index);
  if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size() || out.index < 0) return std::nullopt;
  return out;
}

// ParseInfoTree wants -1 for singular fields and a real index for repeated ones (it logs a
// DFATAL otherwise); a path naming a whole repeated field points at its first element.
int tree_index(const gp::FieldDescriptor* field, int index) {
  if (!field->is_repeated()) return -1;
  return index < 0 ? 0 : index;
}

}  // namespace

TextFormatLocator::TextFormatLocator(const gp::Descriptor* root)
    : root_(root), tree_(std::make_unique<gp::TextFormat::ParseInfoTree>()) {}

std::optional<SourceLocation> TextFormatLocator::locate(std::string_view path) const {
  std::optional<SourceLocation> best;
  const gp::Descriptor* message = root_;
  const gp::TextFormat::ParseInfoTree* tree = tree_.get();
  while (!path.empty() && message != nullptr && tree != nullptr) {
    const auto step = next_step(path);
    if (!step) break;
    const gp::FieldDescriptor* field = message->FindFieldByName(std::string(step->name));
    if (field == nullptr) break;
    const int index = tree_index(field, step->index);
    const gp::TextFormat::ParseLocation where = tree->GetLocation(field, index);
    if (where.line < 0) break;
    best = SourceLocation{where.line + 1, where.column + 1};
    if (field->cpp_type() != gp::FieldDescriptor::CPPTYPE_MESSAGE) break;
    message = field->message_type();
    tree = tree->GetTreeForNested(field, index);
  }
  return best;
}

}  // namespace vpcsim::io
