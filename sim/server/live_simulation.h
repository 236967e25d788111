// One simulation that many clients follow: a loaded scenario, the engine running it, the
// result collectors, and the stream of protocol messages they produce. No sockets and no
// clock here: the server (server.h) decides when to advance it and to what simulated time;
// the tests drive it directly.
#pragma once

#include <expected>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "model/scenario.h"
#include "proto/server.pb.h"
#include "sim/simulator.h"

namespace vpcsim::server {

struct Failure {
  ErrorCode code = BAD_REQUEST;
  std::string message;
};

// Which subscribers a message is for.
enum class Channel { kAlways, kPackets, kFlows };
using Sink = std::function<void(ServerMessage&&, Channel)>;

class LiveSimulation {
 public:
  explicit LiveSimulation(Sink sink);
  ~LiveSimulation();
  LiveSimulation(const LiveSimulation&) = delete;
  LiveSimulation& operator=(const LiveSimulation&) = delete;

  // Replaces the scenario (inline, or a bundled lesson), paused at time 0.
  std::expected<void, Failure> load(const LoadScenario& request);
  // Back to time 0 of the loaded scenario, without the changes applied live.
  std::expected<void, Failure> reset();
  // Converts `change` against the scenario (with every change applied live so far) and
  // schedules it at the current simulated time.
  std::expected<void, Failure> apply_change(const vpcsim::pb::Change& change);

  // Processes the events up to simulated time `target`, at most `max_events` of them; ends
  // the run when the traffic is over or `target` reaches the horizon. Returns the number of
  // events processed.
  std::size_t advance(SimTime target, std::size_t max_events);
  // Processes `events` events (fewer when the run ends first).
  std::size_t step(std::size_t events);
  // Sends the time-series buckets that changed since the last call.
  void flush_time_series();

  // Produce packet events and flow events only when someone listens (they cost time).
  void set_interest(bool packets, bool flows);

  bool loaded() const { return run_ != nullptr; }
  bool finished() const;
  // The time of the next event, nullopt when none is queued (or nothing is loaded).
  std::optional<SimTime> next_event_time() const;
  // The simulated clock: the paced time while running, at least the engine's time.
  SimTime clock() const { return clock_; }
  SimTime horizon() const;
  std::uint64_t generation() const { return generation_; }
  // Everything but the run state and the speed, which the server owns.
  Status status() const;

 private:
  struct Run;
  std::expected<void, Failure> start(vpcsim::pb::Scenario source, std::string label, const LoadScenario& request);
  void rebuild();
  void finish();

  Sink sink_;
  std::unique_ptr<Scenario> scenario_;
  vpcsim::pb::Scenario source_;  // as loaded, for converting live changes
  std::vector<vpcsim::pb::Change> live_changes_;
  LoadScenario options_;  // the load request's overrides (source cleared)
  std::unique_ptr<Run> run_;
  SimTime clock_{0};
  std::uint64_t generation_ = 0;
  bool want_packets_ = false;
  bool want_flows_ = false;
};

}  // namespace vpcsim::server
