#include "sim/server/pacer.h"

#include <cmath>
#include <stdexcept>

namespace vpcsim::server {

void Pacer::start(Clock::time_point wall, SimTime sim) {
  wall_anchor_ = wall;
  sim_anchor_ = sim;
}

void Pacer::set_speed(double factor, Clock::time_point wall) {
  if (!(factor > 0.0 && factor <= kMaxSpeed)) throw std::invalid_argument("speed factor out of range");
  sim_anchor_ = target(wall);
  wall_anchor_ = wall;
  speed_ = factor;
}

SimTime Pacer::target(Clock::time_point wall) const {
  if (wall <= wall_anchor_) return sim_anchor_;
  const auto elapsed = std::chrono::duration_cast<std::chrono::nanoseconds>(wall - wall_anchor_).count();
  // long double keeps nanosecond precision over days of simulated time at any factor.
  const long double advanced = static_cast<long double>(elapsed) * speed_;
  constexpr long double kMax = 9.0e18L;  // SimTime is a signed 64-bit nanosecond count
  const long double total = std::min(kMax, static_cast<long double>(sim_anchor_.count()) + advanced);
  return SimTime(static_cast<std::int64_t>(std::floor(total)));
}

Pacer::Clock::time_point Pacer::wall_time_of(SimTime sim) const {
  if (sim <= sim_anchor_) return wall_anchor_;
  const long double wall_ns = std::ceil(static_cast<long double>((sim - sim_anchor_).count()) / speed_);
  constexpr long double kMaxWait = 3.6e12L;  // an hour: the server wakes up at least that often
  return wall_anchor_ + std::chrono::nanoseconds(static_cast<std::int64_t>(std::min(wall_ns, kMaxWait)));
}

}  // namespace vpcsim::server
