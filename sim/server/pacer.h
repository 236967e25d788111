// Real-time pacing: maps the wall clock (std::chrono::steady_clock) onto simulated time with
// a speed factor. The engine never reads a clock; the server asks the pacer how far the
// simulation should have come and runs the engine up to there.
#pragma once

#include <chrono>

#include "model/sim_time.h"

namespace vpcsim::server {

class Pacer {
 public:
  using Clock = std::chrono::steady_clock;

  // Simulated seconds per wall-clock second. Throws std::invalid_argument unless
  // 0 < factor <= kMaxSpeed (the server validates what clients send).
  static constexpr double kMaxSpeed = 1e9;

  // Starts the clock: at wall time `wall` the simulation stands at `sim`.
  void start(Clock::time_point wall, SimTime sim);
  // Keeps the simulated time reached at `wall`, and goes on from there at `factor`.
  void set_speed(double factor, Clock::time_point wall);
  double speed() const { return speed_; }

  // Where the simulation should stand at `wall` (never before the start).
  SimTime target(Clock::time_point wall) const;
  // The wall time at which the simulation reaches `sim`: when to wake up for the next event.
  Clock::time_point wall_time_of(SimTime sim) const;

 private:
  Clock::time_point wall_anchor_{};
  SimTime sim_anchor_{0};
  double speed_ = 1.0;
};

}  // namespace vpcsim::server
