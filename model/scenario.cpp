#include "model/scenario.h"

namespace vpcsim {

std::string_view to_string(ExpectedVerdict v) {
  switch (v) {
    case ExpectedVerdict::kAllowed: return "allowed";
    case ExpectedVerdict::kDropped: return "dropped";
    case ExpectedVerdict::kNotSent: return "not-sent";
  }
  return "?";
}

}  // namespace vpcsim
