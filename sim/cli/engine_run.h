// Running the engine from the command line: options shared by run, trace and compare-modes,
// the choice of model, fidelity, seed and horizon, and a progress line on a terminal.
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

#include "model/scenario.h"
#include "sim/cli/options.h"
#include "sim/observer.h"
#include "sim/simulator.h"

namespace vpcsim::cli {

struct EngineOptions {
  std::optional<Fidelity> fidelity;
  std::optional<std::uint64_t> seed;
  std::optional<double> horizon_seconds;
};

void add_engine_options(CLI::App& cmd, EngineOptions& o);

// The options a run uses: flags first, then the scenario's own settings.
SimulationOptions simulation_options(const Scenario& s, const CommonOptions& common, const EngineOptions& engine);

// Runs to the end, printing a progress line to stderr when it is a terminal and the run
// takes longer than a second (the wall clock is read here, never by the engine).
void run_with_progress(Simulator& sim);

// Rule changes as they were applied (or refused), for the report.
class ChangeLog : public Observer {
 public:
  void on_state(const StateRecord& s) override;
  const std::vector<StateRecord>& changes() const { return changes_; }

 private:
  std::vector<StateRecord> changes_;
};

}  // namespace vpcsim::cli
