// Times and durations a scenario writes in seconds (a double), converted into SimTime:
// integer nanoseconds, rounded once, so that the engine never sees a double.
#pragma once

#include <optional>
#include <string>

#include "io/diagnostics.h"
#include "model/sim_time.h"

namespace vpcsim::io {

enum class SecondsRule : std::uint8_t {
  kNonNegative,  // a time from the start of the run, or a duration that may be 0
  kPositive,     // a duration or an interval: at least one nanosecond
};

// The longest time a scenario may write: SimTime's int64 nanoseconds reach about 292 years;
// a round bound below that leaves room for sums of a start and a duration.
inline constexpr double kMaxSeconds = 1e9;  // about 31.7 years

// `seconds` (the field at `path`) in nanoseconds, rounded to the nearest; nullopt after
// reporting NaN, infinity, a negative value (or, under kPositive, one that rounds to 0 ns) or
// one above kMaxSeconds.
std::optional<SimTime> convert_seconds(double seconds, const std::string& path, Diagnostics& diag,
                                       SecondsRule rule = SecondsRule::kNonNegative);

// "90s", "1.5s", "0.000001s": a number of seconds as a message shows it.
std::string seconds_text(double seconds);

}  // namespace vpcsim::io
