// One engine run with the result collectors a viewer needs, driven in small slices: a number
// of events, up to a simulated time, one event, or until the next drop. The GUI's controller
// (and any other front end that shows a run while it progresses) wraps one of these; keeping
// it free of Qt lets the stepping logic be tested here.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/endpoint.h"
#include "model/path_evaluator.h"
#include "model/scenario.h"
#include "sim/results/flow_collector.h"
#include "sim/results/rule_hit_collector.h"
#include "sim/results/summary_collector.h"
#include "sim/results/time_series_collector.h"
#include "sim/simulator.h"
#include "sim/verdict_diff.h"

namespace vpcsim {

// The packet the engine judged last, copied (observer records point into engine storage).
struct SteppedPacket {
  SimTime time{0};
  std::uint64_t flow_id = 0;
  bool reply = false;
  Endpoint from;  // the sender of this packet (the server for a reply)
  Endpoint to;
  std::string label;  // "SYN", "request", ...
  std::uint32_t packets = 1;
  PathTrace trace;
  std::vector<std::string> explanations;  // explain_hop() of each hop, against the rules in force then
};

// The simulation options a scenario asks for, with an optional override of the model.
SimulationOptions scenario_options(const Scenario& s, std::optional<FilteringModel> model = std::nullopt);
// The time-series bucket width `vpcsim run` uses: a sixtieth of the horizon (at least 1 ms),
// or one second when the run has no horizon.
SimTime default_bucket_width(const SimulationOptions& o);
// When the traffic is expected to end: the horizon, else the latest end of the explicit flows
// and of the generators that stop; nullopt when a generator runs without end (it then stops
// at its flow limit, whose time is not known beforehand).
std::optional<SimTime> planned_end(const Scenario& s, const SimulationOptions& o);

class RunSession {
 public:
  // `scenario` must outlive the session. `keep_flows`: collect one FlowRecord per flow (the
  // flow table); memory then grows with the number of flows.
  RunSession(const Scenario& scenario, SimulationOptions options, SimTime bucket_width, bool keep_flows = true);

  // Processes at most `max_events` events, none later than `until` when given. Returns how
  // many were processed.
  std::uint64_t advance(std::uint64_t max_events, std::optional<SimTime> until = std::nullopt);
  // One event. False when the run is over.
  bool step();
  // Steps until an event drops a packet, the run ends, or `max_events` were processed.
  // True when it stopped at a drop (last_packet() is then the dropped one).
  bool step_to_drop(std::uint64_t max_events);

  bool finished() const { return sim_.finished(); }
  SimTime now() const { return sim_.now(); }
  std::uint64_t events() const { return sim_.events_processed(); }
  std::uint64_t flows_started() const { return sim_.flows_started(); }
  std::uint64_t packets_dropped() const { return observer_.drops; }
  const Simulator& simulator() const { return sim_; }
  const SimulationOptions& options() const { return sim_.options(); }
  const Scenario& scenario() const { return scenario_; }

  const SummaryCollector& summary() const { return summary_; }
  const TimeSeriesCollector& series() const { return series_; }
  const RuleHitCollector& hits() const { return hits_; }
  const FlowCollector* flows() const { return flows_.get(); }
  // The last packet judged, when recording was on during the last step (step() and
  // step_to_drop() record; advance() does not, so that big runs copy no traces).
  const std::optional<SteppedPacket>& last_packet() const { return observer_.last; }

 private:
  struct StepObserver : Observer {
    const Network* net = nullptr;
    bool record = false;
    std::uint64_t drops = 0;
    std::uint64_t drops_this_step = 0;
    std::optional<SteppedPacket> last;
    void on_packet(const PacketRecord& r) override;
  };

  const Scenario& scenario_;
  Simulator sim_;
  SummaryCollector summary_;
  TimeSeriesCollector series_;
  RuleHitCollector hits_;
  std::unique_ptr<FlowCollector> flows_;
  StepObserver observer_;
};

// Judges every flow of a run of `scenario` (for a verdict diff), sorted by flow id.
std::vector<JudgedFlow> judge_run(const Scenario& scenario, const SimulationOptions& options);

}  // namespace vpcsim
