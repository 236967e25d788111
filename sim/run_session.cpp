#include "sim/run_session.h"

#include <algorithm>

#include "model/explain.h"

namespace vpcsim {

SimulationOptions scenario_options(const Scenario& s, std::optional<FilteringModel> model) {
  SimulationOptions o;
  o.model = model.value_or(s.effective_model());
  o.fidelity = s.packet_fidelity ? Fidelity::kPacket : Fidelity::kFlow;
  o.seed = s.seed;
  o.horizon = s.horizon;
  return o;
}

SimTime default_bucket_width(const SimulationOptions& o) {
  if (o.horizon > SimTime{0}) return std::max(o.horizon / 60, milliseconds(1));
  return seconds(1);
}

std::optional<SimTime> planned_end(const Scenario& s, const SimulationOptions& o) {
  if (o.horizon > SimTime{0}) return o.horizon;
  SimTime end{0};
  for (const FlowSpec& f : s.flows) end = std::max(end, f.start + f.duration);
  for (const GeneratorSpec& g : s.generators) {
    if (g.stop == SimTime::max()) return std::nullopt;
    end = std::max(end, g.stop);
  }
  return end;
}

RunSession::RunSession(const Scenario& scenario, SimulationOptions options, SimTime bucket_width, bool keep_flows)
    : scenario_(scenario), sim_(scenario, options), series_(bucket_width), hits_(sim_.network()) {
  if (keep_flows) flows_ = std::make_unique<FlowCollector>(sim_.network());
  observer_.net = &sim_.network();
  sim_.add_observer(summary_);
  sim_.add_observer(series_);
  sim_.add_observer(hits_);
  if (flows_) sim_.add_observer(*flows_);
  sim_.add_observer(observer_);
}

void RunSession::StepObserver::on_packet(const PacketRecord& r) {
  if (r.trace == nullptr || r.flow == nullptr) return;
  const bool dropped = !r.trace->delivered();
  if (dropped) {
    drops += r.packets;
    ++drops_this_step;
  }
  if (!record) return;
  SteppedPacket p;
  p.time = r.time;
  p.flow_id = r.flow->id;
  p.reply = r.reply;
  p.from = r.reply ? r.flow->server : r.flow->client;
  p.to = r.reply ? r.flow->client : r.flow->server;
  p.label = std::string(r.label);
  p.packets = r.packets;
  p.trace = *r.trace;
  for (const HopResult& h : r.trace->hops) p.explanations.push_back(explain_hop(*net, h, r.trace->packet));
  // Within one event, a drop is what a stepping reader wants to see.
  if (!last || dropped || drops_this_step == 0) last = std::move(p);
}

std::uint64_t RunSession::advance(std::uint64_t max_events, std::optional<SimTime> until) {
  observer_.record = false;
  std::uint64_t done = 0;
  while (done < max_events && !sim_.finished()) {
    // Nothing due at or before `until`: the run waits for the clock. Unless only expiry
    // timers are left: then the run is over, and the next step says so at once rather than
    // when the clock reaches a timer.
    if (until && sim_.traffic_pending()) {
      const auto next = sim_.next_event_time();
      if (next && *next > *until) break;
    }
    if (!sim_.step()) break;
    ++done;
  }
  return done;
}

bool RunSession::step() {
  observer_.record = true;
  observer_.drops_this_step = 0;
  observer_.last.reset();
  const bool more = sim_.step();
  observer_.record = false;
  return more;
}

bool RunSession::step_to_drop(std::uint64_t max_events) {
  for (std::uint64_t i = 0; i < max_events; ++i) {
    const bool more = step();
    if (observer_.drops_this_step > 0) return true;
    if (!more) return false;
  }
  return false;
}

std::vector<JudgedFlow> judge_run(const Scenario& scenario, const SimulationOptions& options) {
  Simulator sim(scenario, options);
  JudgedFlowCollector judged(sim.network());
  sim.add_observer(judged);
  sim.run();
  return judged.take();
}

}  // namespace vpcsim
