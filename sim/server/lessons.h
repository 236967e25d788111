// The bundled lessons (scenarios/lessons/*.textproto), compiled into the server so that a
// client can load one by name whatever the server's working directory.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace vpcsim::server {

struct Lesson {
  std::string_view name;  // the file's stem: "01-ssh-inbound-only"
  std::string_view text;  // protobuf text format
};

// Sorted by name (generated at configure time).
std::span<const Lesson> bundled_lessons();
const Lesson* find_lesson(std::string_view name);
// "01-ssh-inbound-only, 02-ssh-restricted, ...", for error messages.
std::string lesson_names();

}  // namespace vpcsim::server
