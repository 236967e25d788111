#include "sim/cli/options.h"

#include <iostream>

#include "io/scenario_loader.h"
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

FilteringModel effective_model(const Scenario& s, const CommonOptions& o) { return o.mode.value_or(s.effective_model()); }

std::optional<std::string> model_note(const Scenario& s, const CommonOptions& o) {
  if (o.mode || s.model) return std::nullopt;
  return "note: " + s.name +
         " names no filtering model, so stateless applies (every packet, reply included, must be allowed by the rules); "
         "real AWS security groups are stateful: add --mode stateful to compare.";
}

}  // namespace vpcsim::cli
