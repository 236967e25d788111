#include "sim/server/lessons.h"

namespace vpcsim::server {

const Lesson* find_lesson(std::string_view name) {
  for (const Lesson& l : bundled_lessons()) {
    if (l.name == name) return &l;
  }
  return nullptr;
}

std::string lesson_names() {
  std::string out;
  for (const Lesson& l : bundled_lessons()) {
    if (!out.empty()) out += ", ";
    out += l.name;
  }
  return out;
}

}  // namespace vpcsim::server
