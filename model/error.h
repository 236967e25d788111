// The error value every parser and validator returns: where (file, line, column, field path)
// and what. Failure to parse user input is normal, so it is a value, never an exception.
#pragma once

#include <string>
#include <vector>

namespace vpcsim {

struct Error {
  std::string file;     // empty when the input did not come from a file
  int line = 0;         // 1-based; 0 when unknown
  int column = 0;       // 1-based; 0 when unknown
  std::string field;    // field path, e.g. "security_groups[2].ingress[0].cidr"
  std::string message;  // what is wrong and, where possible, how to fix it

  // "file:line:column: field: message", leaving out the parts that are unknown.
  std::string format() const;
};

using Errors = std::vector<Error>;

}  // namespace vpcsim
