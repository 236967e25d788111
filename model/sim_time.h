// Simulated time: an integer count of nanoseconds since the start of a run. Never a double,
// never the wall clock.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace vpcsim {

using SimTime = std::chrono::duration<std::int64_t, std::nano>;

constexpr SimTime seconds(std::int64_t s) { return std::chrono::seconds(s); }
constexpr SimTime milliseconds(std::int64_t ms) { return std::chrono::milliseconds(ms); }

// "12.5s", "3m20s", "1h0m0s": how traces and charts print a time.
std::string format_time(SimTime t);

}  // namespace vpcsim
