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
  std::string aws_dir;                  // --aws: AWS CLI JSON imported in memory instead of a scenario
  std::string aws_vpc;                  // --vpc: which VPC of that dump, when it holds several
  bool scenario_required = true;        // false for `run`, where no input means the bundled lesson
  std::optional<FilteringModel> mode;   // --mode overrides the scenario's model
  OutputFormat format = OutputFormat::kTable;
};

// Loads the scenario (or the bundled default), printing every error to stderr.
std::optional<Scenario> load_or_report(const std::string& path);

// The command's input: the scenario file, or the AWS dump of --aws imported in memory (its
// warnings printed to stderr), or the bundled default when neither is given and the command
// allows it. Both at once, or neither when one is required, is a usage error. Errors go to
// stderr; nullopt means exit 2.
std::optional<Scenario> load_input_or_report(const CommonOptions& o);

// The model a run uses, and the one-line note printed when the scenario names none.
FilteringModel effective_model(const Scenario& s, const CommonOptions& o);
std::optional<std::string> model_note(const Scenario& s, const CommonOptions& o);

}  // namespace vpcsim::cli
