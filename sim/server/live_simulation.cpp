#include "sim/server/live_simulation.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "io/result_files.h"
#include "io/result_proto.h"
#include "io/scenario_converter.h"
#include "io/scenario_parser.h"
#include "sim/results/rule_hit_collector.h"
#include "sim/results/summary_collector.h"
#include "sim/results/time_series_collector.h"
#include "sim/server/event_encoder.h"
#include "sim/server/lessons.h"

namespace vpcsim::server {

namespace {

std::string format_errors(const Errors& errors) {
  std::string out;
  for (const vpcsim::Error& e : errors) {
    if (!out.empty()) out += '\n';
    out += e.format();
  }
  return out;
}

// As `vpcsim run`: sixty buckets over the horizon, or one-second buckets without one.
SimTime bucket_width(double bucket_seconds, SimTime horizon) {
  if (bucket_seconds > 0) return SimTime(std::max<std::int64_t>(1, std::llround(bucket_seconds * 1e9)));
  if (horizon > SimTime{0}) return std::max(horizon / 60, SimTime(1'000'000));
  return seconds(1);
}

}  // namespace

// The engine of one run and what observes it. Rebuilt by load and reset.
struct LiveSimulation::Run : Observer {
  Run(LiveSimulation& owner, const Scenario& scenario, SimulationOptions options, SimTime bucket)
      : owner(owner), scenario(scenario), sim(scenario, options), series(bucket), hits(sim.network()) {
    sim.add_observer(summary);
    sim.add_observer(series);
    sim.add_observer(hits);
    sim.add_observer(*this);
  }

  void on_packet(const PacketRecord& r) override {
    mark(r.time);
    if (!owner.want_packets_) return;
    ServerMessage m;
    *m.mutable_packet() = encode_packet(scenario, sim.network(), r);
    owner.sink_(std::move(m), Channel::kPackets);
  }
  void on_flow(const FlowResult& f) override {
    if (f.flow != nullptr) mark(f.flow->start);
    if (!owner.want_flows_) return;
    ServerMessage m;
    *m.mutable_flow() = encode_flow(scenario, sim.network(), f);
    owner.sink_(std::move(m), Channel::kFlows);
  }
  void on_state(const StateRecord& s) override {
    ServerMessage m;
    *m.mutable_state() = encode_state(sim.network(), s);
    owner.sink_(std::move(m), Channel::kAlways);
  }
  // The first bucket that changed since the last update.
  void mark(SimTime t) {
    const auto index = static_cast<std::size_t>(std::max<std::int64_t>(0, t / series.bucket_width()));
    dirty_from = std::min(dirty_from, index);
  }

  LiveSimulation& owner;
  const Scenario& scenario;
  Simulator sim;
  SummaryCollector summary;
  TimeSeriesCollector series;
  RuleHitCollector hits;
  std::size_t dirty_from = SIZE_MAX;
  bool finished = false;
};

LiveSimulation::LiveSimulation(Sink sink) : sink_(std::move(sink)) {}
LiveSimulation::~LiveSimulation() = default;

std::expected<void, Failure> LiveSimulation::load(const LoadScenario& request) {
  switch (request.source_case()) {
    case LoadScenario::kScenario:
      return start(request.scenario(), "scenario", request);
    case LoadScenario::kLesson: {
      const Lesson* lesson = find_lesson(request.lesson());
      if (lesson == nullptr) {
        return std::unexpected(Failure{UNKNOWN_LESSON, fmt::format("no bundled lesson is named '{}' (lessons: {})",
                                                                   request.lesson(), lesson_names())});
      }
      const std::string label = std::string(lesson->name) + ".textproto";
      auto parsed = io::parse_scenario_proto(lesson->text, label, io::ScenarioFormat::kText);
      if (!parsed) return std::unexpected(Failure{INVALID_SCENARIO, format_errors(parsed.error())});
      return start(std::move(parsed->message), label, request);
    }
    case LoadScenario::SOURCE_NOT_SET:
      break;
  }
  return std::unexpected(
      Failure{BAD_REQUEST, "load: give either scenario (inline) or lesson (a bundled lesson's name)"});
}

std::expected<void, Failure> LiveSimulation::start(vpcsim::pb::Scenario source, std::string label,
                                                   const LoadScenario& request) {
  if (!std::isfinite(request.horizon_seconds()) || request.horizon_seconds() < 0 || request.horizon_seconds() > 1e9) {
    return std::unexpected(Failure{BAD_REQUEST,
                                   "load.horizon_seconds: give 0 (the scenario's) or a positive number of "
                                   "seconds up to 1e9"});
  }
  if (!std::isfinite(request.bucket_seconds()) || request.bucket_seconds() < 0 || request.bucket_seconds() > 1e9) {
    return std::unexpected(Failure{BAD_REQUEST,
                                   "load.bucket_seconds: give 0 (the default) or a positive number of "
                                   "seconds up to 1e9"});
  }
  auto scenario = io::scenario_from_proto(source, label);
  if (!scenario) return std::unexpected(Failure{INVALID_SCENARIO, format_errors(scenario.error())});
  run_.reset();  // holds references into the old scenario
  scenario_ = std::make_unique<Scenario>(std::move(*scenario));
  source_ = std::move(source);
  live_changes_.clear();
  options_ = request;
  options_.clear_source();
  rebuild();
  return {};
}

std::expected<void, Failure> LiveSimulation::reset() {
  if (!loaded()) return std::unexpected(Failure{NO_SCENARIO, "reset: no scenario is loaded"});
  run_.reset();
  live_changes_.clear();
  rebuild();
  return {};
}

void LiveSimulation::rebuild() {
  SimulationOptions o;
  const Scenario& s = *scenario_;
  o.model = options_.model() == vpcsim::pb::STATEFUL    ? FilteringModel::kStateful
            : options_.model() == vpcsim::pb::STATELESS ? FilteringModel::kStateless
                                                        : s.effective_model();
  o.fidelity = options_.fidelity() == vpcsim::pb::PACKET ? Fidelity::kPacket
               : options_.fidelity() == vpcsim::pb::FLOW ? Fidelity::kFlow
               : s.packet_fidelity                       ? Fidelity::kPacket
                                                         : Fidelity::kFlow;
  o.seed = options_.seed() != 0 ? options_.seed() : s.seed;
  o.horizon = options_.horizon_seconds() > 0 ? SimTime(std::llround(options_.horizon_seconds() * 1e9)) : s.horizon;
  run_ = std::make_unique<Run>(*this, s, o, bucket_width(options_.bucket_seconds(), o.horizon));
  clock_ = SimTime{0};
  ++generation_;
}

std::expected<void, Failure> LiveSimulation::apply_change(const vpcsim::pb::Change& change) {
  if (!loaded()) return std::unexpected(Failure{NO_SCENARIO, "change: no scenario is loaded"});
  if (finished()) return std::unexpected(Failure{RUN_FINISHED, "change: the run is over; reset or load first"});
  // The scenario's own changes and those applied live before this one, so that removing a
  // rule an earlier change added resolves; the engine then checks it fits when it happens.
  vpcsim::pb::Scenario copy = source_;
  for (const auto& c : live_changes_) *copy.add_changes() = c;
  vpcsim::pb::Change& added = *copy.add_changes();
  added = change;
  added.set_at_seconds(static_cast<double>(clock_.count()) / 1e9);
  const SimTime horizon = run_->sim.options().horizon;
  copy.set_horizon_seconds(static_cast<double>(horizon.count()) / 1e9);
  const std::string field = fmt::format("changes[{}]", copy.changes_size() - 1);
  auto converted = io::scenario_from_proto(copy, "change");
  if (!converted) {
    std::string message;
    for (vpcsim::Error e : converted.error()) {
      // Only the new change can be wrong (the rest converted at load time).
      if (e.field.starts_with(field)) e.field = "change" + e.field.substr(field.size());
      if (!message.empty()) message += '\n';
      e.file.clear();
      message += e.format();
    }
    return std::unexpected(Failure{INVALID_CHANGE, message});
  }
  for (TimedChange& c : converted->changes) {
    if (c.field != field) continue;
    c.at = clock_;
    c.field = "live change";
    run_->sim.schedule_change(std::move(c));
    live_changes_.push_back(added);
    return {};
  }
  return std::unexpected(
      Failure{INVALID_CHANGE, "change: no change given (set one of add_sg_rule, remove_sg_rule, ...)"});
}

bool LiveSimulation::finished() const { return run_ != nullptr && run_->finished; }

std::optional<SimTime> LiveSimulation::next_event_time() const {
  if (run_ == nullptr) return std::nullopt;
  return run_->sim.next_event_time();
}

SimTime LiveSimulation::horizon() const { return run_ ? run_->sim.options().horizon : SimTime{0}; }

std::size_t LiveSimulation::advance(SimTime target, std::size_t max_events) {
  if (run_ == nullptr || run_->finished) return 0;
  Simulator& sim = run_->sim;
  const SimTime horizon = sim.options().horizon;
  const bool past_horizon = horizon > SimTime{0} && target >= horizon;
  std::size_t n = 0;
  bool caught_up = false;
  while (true) {
    const auto next = sim.next_event_time();
    if (next && *next > target && !past_horizon) {
      caught_up = true;
      break;
    }
    if (n == max_events) break;
    if (!sim.step()) {
      finish();
      return n;
    }
    ++n;
  }
  // The clock shows the paced time once every event before it has been processed.
  clock_ = std::max(clock_, sim.now());
  if (caught_up) clock_ = std::max(clock_, horizon > SimTime{0} ? std::min(target, horizon) : target);
  return n;
}

std::size_t LiveSimulation::step(std::size_t events) {
  if (run_ == nullptr || run_->finished) return 0;
  std::size_t n = 0;
  while (n < events) {
    if (!run_->sim.step()) {
      finish();
      return n;
    }
    ++n;
  }
  clock_ = std::max(clock_, run_->sim.now());
  return n;
}

void LiveSimulation::finish() {
  Run& r = *run_;
  r.finished = true;
  const SimulationOptions& o = r.sim.options();
  if (o.horizon > SimTime{0}) {
    const std::size_t before = r.series.buckets().size();
    r.series.extend_to(o.horizon);
    if (r.series.buckets().size() > before) r.dirty_from = std::min(r.dirty_from, before);
  }
  clock_ = std::max(clock_, r.sim.now());
  flush_time_series();
  const io::SimulationOutputs outputs{scenario_.get(), o.model,   std::string(to_string(o.fidelity)),
                                      o.seed,          o.horizon, &r.summary,
                                      &r.series,       &r.hits,   nullptr};
  ServerMessage m;
  m.mutable_result()->set_generation(generation_);
  *m.mutable_result()->mutable_result() = io::to_simulation_result(outputs, false);
  sink_(std::move(m), Channel::kAlways);
}

void LiveSimulation::flush_time_series() {
  if (run_ == nullptr || run_->dirty_from == SIZE_MAX) return;
  Run& r = *run_;
  const auto& buckets = r.series.buckets();
  ServerMessage m;
  TimeSeriesUpdate& u = *m.mutable_time_series();
  u.set_bucket_width_ns(r.series.bucket_width().count());
  for (std::size_t i = r.dirty_from; i < buckets.size(); ++i) {
    vpcsim::pb::TimeSeriesBucket& b = *u.add_buckets();
    b.set_start_ns(buckets[i].start.count());
    *b.mutable_counts() = io::to_proto(buckets[i].counts);
  }
  r.dirty_from = SIZE_MAX;
  if (u.buckets_size() > 0) sink_(std::move(m), Channel::kAlways);
}

void LiveSimulation::set_interest(bool packets, bool flows) {
  want_packets_ = packets;
  want_flows_ = flows;
}

Status LiveSimulation::status() const {
  Status s;
  s.set_generation(generation_);
  s.set_state(EMPTY);
  if (run_ == nullptr) return s;
  const Simulator& sim = run_->sim;
  const SimulationOptions& o = sim.options();
  s.set_state(run_->finished ? FINISHED : PAUSED);
  s.set_scenario(scenario_->name);
  s.set_model(io::to_proto(o.model));
  s.set_fidelity(std::string(to_string(o.fidelity)));
  s.set_seed(o.seed);
  s.set_horizon_ns(o.horizon.count());
  s.set_sim_time_ns(clock_.count());
  s.set_events_processed(sim.events_processed());
  s.set_flows_started(sim.flows_started());
  s.set_flows_active(sim.flows_active());
  return s;
}

}  // namespace vpcsim::server
