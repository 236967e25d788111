#include "io/text_format_errors.h"

#include <google/protobuf/descriptor.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <regex>
#include <vector>

namespace vpcsim::io {

namespace {

namespace gp = google::protobuf;

// The tokenizer's columns: 0-based, a tab advancing to the next multiple of 8.
int advance(int column, char c) { return c == '\t' ? column + 8 - column % 8 : column + 1; }

std::size_t offset_of(std::string_view text, int line, int column) {
  std::size_t i = 0;
  for (int l = 0; l < line && i < text.size(); ++i) {
    if (text[i] == '\n') ++l;
  }
  for (int c = 0; i < text.size() && text[i] != '\n' && c < column; ++i) c = advance(c, text[i]);
  return i;
}

std::pair<int, int> position_of(std::string_view text, std::size_t offset) {
  int line = 0;
  int column = 0;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 0;
    } else {
      column = advance(column, text[i]);
    }
  }
  return {line, column};
}

bool is_word(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// The last whole-word occurrence of `word` before `end`.
std::optional<std::size_t> find_word_before(std::string_view text, std::string_view word, std::size_t end) {
  std::size_t from = end;
  while (from > 0) {
    const std::size_t at = text.rfind(word, from - 1);
    if (at == std::string_view::npos) return std::nullopt;
    const bool starts = at == 0 || !is_word(text[at - 1]);
    const bool ends = at + word.size() >= text.size() || !is_word(text[at + word.size()]);
    if (starts && ends && at + word.size() <= end) return at;
    from = at;
  }
  return std::nullopt;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

// The field of `type` that `unknown` most likely meant: one containing it or contained in it
// (the longest such), else one at most two edits away; empty when none is close.
std::string closest_field(const gp::Descriptor& type, const std::string& unknown) {
  std::string best;
  std::size_t best_distance = 3;
  for (int i = 0; i < type.field_count(); ++i) {
    const std::string& name = type.field(i)->name();
    if (unknown.find(name) != std::string::npos || name.find(unknown) != std::string::npos) {
      if (best_distance > 0 || name.size() > best.size()) best = name;
      best_distance = 0;
    } else if (const std::size_t d = edit_distance(unknown, name); d < best_distance) {
      best_distance = d;
      best = name;
    }
  }
  return best;
}

// "STATELESS, STATEFUL": the values of the enum a field of that name has in the scenario
// schema (fields of one name share one enum there); empty when there is none.
std::string enum_values(const std::string& field_name) {
  const gp::FileDescriptor* file = gp::DescriptorPool::generated_pool()->FindFileContainingSymbol("vpcsim.pb.Scenario");
  if (file == nullptr) return "";
  for (int i = 0; i < file->message_type_count(); ++i) {
    const gp::FieldDescriptor* field = file->message_type(i)->FindFieldByName(field_name);
    if (field == nullptr || field->enum_type() == nullptr) continue;
    std::string out;
    for (int v = 0; v < field->enum_type()->value_count(); ++v) {
      if (field->enum_type()->value(v)->number() == 0) continue;  // the unspecified default
      out += (out.empty() ? "" : ", ") + field->enum_type()->value(v)->name();
    }
    return out;
  }
  return "";
}

struct Explained {
  std::string message;
  std::string token;  // the offending name, to point at; empty when unknown
};

Explained explain(const std::string& message) {
  static const std::regex kUnknownField(R"re(Message type "([\w.]+)" has no field named "(\w+)")re");
  static const std::regex kUnknownEnum(R"re(Unknown enumeration value of "(\w+)" for field "(\w+)")re");
  static const std::regex kRepeatedField(R"re(Non-repeated field "(\w+)" is specified multiple times)re");
  std::smatch m;
  if (std::regex_search(message, m, kUnknownField)) {
    const gp::Descriptor* type = gp::DescriptorPool::generated_pool()->FindMessageTypeByName(m[1].str());
    if (type == nullptr) return {message, m[2].str()};
    std::string fields;
    for (int i = 0; i < type->field_count(); ++i) fields += (i > 0 ? ", " : "") + type->field(i)->name();
    std::string out = "unknown field '" + m[2].str() + "' in " + type->name() + ": ";
    if (const std::string best = closest_field(*type, m[2].str()); !best.empty()) {
      out += "did you mean '" + best + "'? ";
    }
    return {out + type->name() + " has the fields " + fields, m[2].str()};
  }
  if (std::regex_search(message, m, kUnknownEnum)) {
    const std::string values = enum_values(m[2].str());
    return {"unknown value '" + m[1].str() + "' for field '" + m[2].str() + "'" +
                (values.empty() ? std::string() : ": use one of " + values),
            m[1].str()};
  }
  if (std::regex_search(message, m, kRepeatedField)) {
    return {"field '" + m[1].str() + "' is given twice; it takes one value", m[1].str()};
  }
  if (message.ends_with("got: ")) return {message + "end of file (is a closing '}' missing?)", ""};
  if (message.starts_with("Expected string")) return {message + " (string values are quoted: \"...\")", ""};
  return {message, ""};
}

}  // namespace

void TextFormatErrors::AddError(int line, gp::io::ColumnNumber column, const std::string& message) {
  Explained e = explain(message);
  // The parser reports some errors at the token after the offending one; point at the latter.
  if (!e.token.empty()) {
    if (const auto at = find_word_before(content_, e.token, offset_of(content_, line, column))) {
      std::tie(line, column) = position_of(content_, *at);
    }
  }
  out_.push_back(Error{file_, line + 1, column + 1, "", std::move(e.message)});
}

}  // namespace vpcsim::io
