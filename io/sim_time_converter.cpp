#include "io/sim_time_converter.h"

#include <fmt/format.h>

#include <cmath>

namespace vpcsim::io {

std::optional<SimTime> convert_seconds(double seconds, const std::string& path, Diagnostics& diag, SecondsRule rule) {
  const std::string field = path.substr(path.rfind('.') + 1);
  const bool positive = rule == SecondsRule::kPositive;
  if (!std::isfinite(seconds)) {
    diag.error(path,
               fmt::format("{} is {}: give a number of seconds", field, std::isnan(seconds) ? "NaN" : "infinite"));
    return std::nullopt;
  }
  if (seconds < 0 || (positive && seconds == 0)) {
    diag.error(path, fmt::format("{} {} is {}: it must be {} 0 seconds", field, seconds_text(seconds),
                                 seconds < 0 ? "negative" : "zero", positive ? "more than" : "at least"));
    return std::nullopt;
  }
  if (seconds > kMaxSeconds) {
    diag.error(path, fmt::format("{} {} is too long: vpcsim simulates at most {} seconds (about 31 years)", field,
                                 seconds_text(seconds), seconds_text(kMaxSeconds)));
    return std::nullopt;
  }
  // One rounding, of the product: seconds * 1e9 <= 1e18 fits an int64 and a long long.
  const SimTime t(std::llround(seconds * 1e9));
  if (positive && t.count() == 0) {
    diag.error(path, fmt::format("{} {} is shorter than a nanosecond, the engine's unit of time", field,
                                 seconds_text(seconds)));
    return std::nullopt;
  }
  return t;
}

std::string seconds_text(double seconds) { return fmt::format("{}s", seconds); }

}  // namespace vpcsim::io
