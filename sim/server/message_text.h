// One line of text per server message, for `vpcsim client`, logs and the GUI's event list:
// "#12 packet 0.001s flow 0 ssh-admin request SYN tcp 198.51.100.10:50000 -> 10.0.1.10:22 allowed".
#pragma once

#include <string>

#include "proto/server.pb.h"

namespace vpcsim::server {

std::string to_text(const ServerMessage& m);
// The message as one line of JSON (proto3 JSON mapping, field names as in the schema).
std::string to_json_line(const ServerMessage& m);

}  // namespace vpcsim::server
