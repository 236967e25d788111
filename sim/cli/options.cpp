#include "sim/cli/options.h"

#include <iostream>

#include "io/aws_import.h"
#include "io/scenario_loader.h"
#include "sim/cli/commands.h"
#include "sim/cli/default_scenario.h"

namespace vpcsim::cli {

std::optional<Scenario> load_or_report(const std::string& path) {
  auto loaded = path.empty()
                    ? io::load_scenario_string(kDefaultScenarioText, std::string(kDefaultScenarioLabel), io::ScenarioFormat::kText)
                    : io::load_scenario_file(path);
  if (loaded) return std::move(*loaded);
  for (const Error& e : loaded.error()) std::cerr << "error: " << e.format() << '\n';
  std::cerr << loaded.error().size() << (loaded.error().size() == 1 ? " error" : " errors") << " in "
            << (path.empty() ? std::string(kDefaultScenarioLabel) : path) << '\n';
  return std::nullopt;
}

std::optional<Scenario> load_input_or_report(const CommonOptions& o) {
  if (!o.scenario.empty() && !o.aws_dir.empty()) {
    std::cerr << "error: give a scenario file or --aws DIR, not both\n";
    return std::nullopt;
  }
  if (!o.aws_vpc.empty() && o.aws_dir.empty()) {
    std::cerr << "error: --vpc chooses a VPC of an --aws dump; give --aws DIR too\n";
    return std::nullopt;
  }
  if (o.aws_dir.empty()) {
    if (o.scenario.empty() && o.scenario_required) {
      std::cerr << "error: give a scenario file or --aws DIR (a directory of aws ec2 describe-* JSON)\n";
      return std::nullopt;
    }
    return load_or_report(o.scenario);
  }
  auto imported = io::import_aws(o.aws_dir, io::AwsImportOptions{o.aws_vpc});
  if (!imported) {
    for (const Error& e : imported.error()) std::cerr << "error: " << e.format() << '\n';
    std::cerr << imported.error().size() << (imported.error().size() == 1 ? " error" : " errors") << " in "
              << o.aws_dir << '\n';
    return std::nullopt;
  }
  for (const Error& w : imported->warnings) std::cerr << "warning: " << w.format() << '\n';
  return std::move(imported->scenario);
}

void add_input_options(CLI::App& cmd, CommonOptions& o, const std::string& scenario_help) {
  cmd.add_option("scenario", o.scenario, scenario_help);
  cmd.add_option("--aws", o.aws_dir, "Import this directory (or file) of AWS CLI JSON (aws ec2 describe-*) in "
                                     "memory instead of reading a scenario")
      ->option_text("DIR");
  cmd.add_option("--vpc", o.aws_vpc, "With --aws: the VPC to import when the dump holds several")->option_text("VPC_ID");
}

FilteringModel effective_model(const Scenario& s, const CommonOptions& o) { return o.mode.value_or(s.effective_model()); }

std::optional<std::string> model_note(const Scenario& s, const CommonOptions& o) {
  if (o.mode || s.model) return std::nullopt;
  return "note: " + s.name +
         " names no filtering model, so stateless applies (every packet, reply included, must be allowed by the rules); "
         "real AWS security groups are stateful: add --mode stateful to compare.";
}

}  // namespace vpcsim::cli
