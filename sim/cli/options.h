// What every vpcsim command shares: output formats, the filtering-model override, exit
// codes, and loading the scenario a command names.
#pragma once

#include <optional>
#include <string>

#include "model/scenario.h"

namespace vpcsim::cli {

// Documented in the README ("Exit codes").
enum ExitCode : int {
  kExitOk = 0,
  kExitExpectationFailed = 1,
  kExitBadInput = 2,
};

enum class OutputFormat { kTable, kJson, kCsv };

struct CommonOptions {
  std::string scenario;                 // path; empty = the bundled default lesson
  std::optional<FilteringModel> mode;   // --mode overrides the scenario's model
  OutputFormat format = OutputFormat::kTable;
};

// Loads the scenario (or the bundled default), printing every error to stderr.
std::optional<Scenario> load_or_report(const std::string& path);

// The model a run uses, and the one-line note printed when the scenario names none.
FilteringModel effective_model(const Scenario& s, const CommonOptions& o);
std::optional<std::string> model_note(const Scenario& s, const CommonOptions& o);

}  // namespace vpcsim::cli
