#include "sim/cli/engine_run.h"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>

namespace vpcsim::cli {

void add_engine_options(CLI::App& cmd, EngineOptions& o) {
  static const std::map<std::string, Fidelity> kFidelities{{"flow", Fidelity::kFlow}, {"packet", Fidelity::kPacket}};
  cmd.add_option("--fidelity", o.fidelity, "packet (every packet an event) or flow (one event per direction); "
                                           "default: the scenario's, else flow")
      ->transform(CLI::CheckedTransformer(kFidelities, CLI::ignore_case))
      ->option_text("packet|flow");
  cmd.add_option("--seed", o.seed, "Seed of the traffic generators (default: the scenario's)");
  cmd.add_option("--horizon", o.horizon_seconds, "Seconds of simulated time (default: the scenario's; 0 = until the traffic ends)")
      ->check(CLI::NonNegativeNumber);
}

SimulationOptions simulation_options(const Scenario& s, const CommonOptions& common, const EngineOptions& engine) {
  SimulationOptions o;
  o.model = effective_model(s, common);
  o.fidelity = engine.fidelity.value_or(s.packet_fidelity ? Fidelity::kPacket : Fidelity::kFlow);
  o.seed = engine.seed.value_or(s.seed);
  o.horizon = engine.horizon_seconds ? SimTime(std::llround(*engine.horizon_seconds * 1e9)) : s.horizon;
  return o;
}

void run_with_progress(Simulator& sim) {
  using Clock = std::chrono::steady_clock;
  const bool terminal = ::isatty(STDERR_FILENO) == 1;
  const auto begin = Clock::now();
  auto next_report = begin + std::chrono::seconds(1);
  bool reported = false;
  while (true) {
    bool more = true;
    for (int i = 0; i < 65536 && (more = sim.step()); ++i) {
    }
    if (!more) break;
    if (terminal && Clock::now() >= next_report) {
      const SimTime h = sim.options().horizon;
      std::fprintf(stderr, "\r  simulated %s%s, %llu events, %llu flows   ", format_time(sim.now()).c_str(),
                   h > SimTime{0} ? (" of " + format_time(h)).c_str() : "",
                   static_cast<unsigned long long>(sim.events_processed()),
                   static_cast<unsigned long long>(sim.flows_started()));
      reported = true;
      next_report = Clock::now() + std::chrono::milliseconds(250);
    }
  }
  if (reported) std::fprintf(stderr, "\r%80s\r", "");
}

void ChangeLog::on_state(const StateRecord& s) {
  if (s.kind == StateRecord::Kind::kRuleChange || s.kind == StateRecord::Kind::kRuleChangeFailed) changes_.push_back(s);
}

}  // namespace vpcsim::cli
