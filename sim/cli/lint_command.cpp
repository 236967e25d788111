// `vpcsim lint SCENARIO [--format table|json|sarif] [--fail-on SEVERITY] [--mode M]`: static
// checks of the scenario's security groups and network ACLs (model/analysis/lint.h). Exit 1
// when a finding at or above --fail-on exists (default high), 0 otherwise, 2 on bad input.
#include <boost/json.hpp>
#include <fmt/format.h>

#include <iostream>
#include <map>
#include <memory>

#include "model/analysis/lint.h"
#include "model/explain.h"
#include "sim/cli/analysis_input.h"
#include "sim/cli/commands.h"
#include "sim/cli/json_output.h"

namespace vpcsim::cli {

namespace {

using analysis::CheckInfo;
using analysis::Finding;
using analysis::Severity;

enum class LintFormat { kTable, kJson, kSarif };

struct LintOptions {
  CommonOptions common;
  LintFormat format = LintFormat::kTable;
  std::string fail_on = "high";
};

struct Located {
  const Finding* finding;
  std::string object;   // "sg-web" or "acl-app"
  std::string rule;     // describe_sg_rule / describe_nacl_entry, or ""
  std::string related;  // the covering rule, or ""
  std::optional<int> line;
};

Located locate(const Network& net, const RuleLines& lines, const Finding& f) {
  Located l{&f, "", "", "", std::nullopt};
  if (f.sg) l.object = net.sg(*f.sg).id;
  if (f.nacl) l.object = net.nacl(*f.nacl).id;
  if (f.sg_rule) {
    l.rule = describe_sg_rule(net, *f.sg_rule);
    l.line = lines.line(*f.sg_rule);
  } else if (f.nacl_entry) {
    l.rule = describe_nacl_entry(net, *f.nacl_entry);
    l.line = lines.line(*f.nacl_entry);
  } else if (f.sg) {
    l.line = lines.line(*f.sg);
  } else if (f.nacl) {
    l.line = lines.line(*f.nacl);
  }
  if (f.related_sg_rule) l.related = describe_sg_rule(net, *f.related_sg_rule);
  if (f.related_nacl_entry) l.related = describe_nacl_entry(net, *f.related_nacl_entry);
  return l;
}

std::string file_label(const Scenario& s, const LintOptions& o) { return o.common.scenario.empty() ? s.source : o.common.scenario; }

// SARIF artifact locations are URIs: relative paths stay relative (to the repository, as
// code-scanning UIs expect), absolute ones become file:// URIs.
std::string artifact_uri(const std::string& file) { return !file.empty() && file.front() == '/' ? "file://" + file : file; }

void print_table(std::ostream& out, const Scenario& s, const LintOptions& o, FilteringModel model,
                 const std::vector<Located>& found) {
  std::map<Severity, int> counts;
  for (const Located& l : found) ++counts[l.finding->severity];
  std::string summary;
  for (auto it = counts.rbegin(); it != counts.rend(); ++it) {
    summary += fmt::format("{}{} {}", summary.empty() ? "" : ", ", it->second, analysis::to_string(it->first));
  }
  out << fmt::format("lint {} ({} model): {} finding{}{}\n", s.name, to_string(model), found.size(),
                     found.size() == 1 ? "" : "s", summary.empty() ? "" : " (" + summary + ")");
  const std::string file = file_label(s, o);
  for (const Located& l : found) {
    const Finding& f = *l.finding;
    std::string upper(analysis::to_string(f.severity));
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    out << fmt::format("\n{:<8} {}  {}\n", upper, f.check, l.rule.empty() ? l.object : l.rule);
    if (l.line) out << fmt::format("         at {}:{}\n", file, *l.line);
    out << fmt::format("         why: {}\n         fix: {}\n", f.message, f.fix);
  }
}

boost::json::object finding_json(const Located& l, const std::string& file) {
  const Finding& f = *l.finding;
  boost::json::object o;
  o["id"] = f.check;
  o["name"] = analysis::find_check(f.check)->name;
  o["severity"] = analysis::to_string(f.severity);
  o["object"] = l.object;
  if (!l.rule.empty()) o["rule"] = l.rule;
  if (!l.related.empty()) o["related_rule"] = l.related;
  o["file"] = file;
  if (l.line) o["line"] = *l.line;
  o["message"] = f.message;
  o["fix"] = f.fix;
  return o;
}

std::string_view sarif_level(Severity s) {
  switch (s) {
    case Severity::kCritical:
    case Severity::kHigh: return "error";
    case Severity::kMedium:
    case Severity::kLow: return "warning";
    case Severity::kInfo: return "note";
  }
  return "none";
}

// GitHub code scanning ranks security results by this property (0.0-10.0).
std::string_view security_severity(Severity s) {
  switch (s) {
    case Severity::kCritical: return "9.5";
    case Severity::kHigh: return "8.0";
    case Severity::kMedium: return "5.5";
    case Severity::kLow: return "3.0";
    case Severity::kInfo: return "0.0";
  }
  return "0.0";
}

// SARIF 2.1.0 (OASIS): one run, the catalogue as tool.driver.rules, one result per finding
// with the scenario file (and the rule's line when known) as its location.
boost::json::object sarif(const std::vector<Located>& found, const std::string& file) {
  boost::json::array rules;
  std::map<std::string_view, std::size_t> index;
  for (const CheckInfo& c : analysis::lint_checks()) {
    index[c.id] = rules.size();
    boost::json::object r;
    r["id"] = c.id;
    r["name"] = c.name;
    r["shortDescription"] = boost::json::object{{"text", c.summary}};
    r["fullDescription"] = boost::json::object{{"text", c.help}};
    r["help"] = boost::json::object{{"text", c.help}};
    r["helpUri"] = c.help_uri;
    r["defaultConfiguration"] = boost::json::object{{"level", sarif_level(c.severity)}};
    r["properties"] = boost::json::object{{"tags", boost::json::array{"security", "aws", "vpc"}},
                                          {"security-severity", security_severity(c.severity)}};
    rules.push_back(std::move(r));
  }
  boost::json::array results;
  for (const Located& l : found) {
    const Finding& f = *l.finding;
    boost::json::object physical{{"artifactLocation", boost::json::object{{"uri", file}}}};
    if (l.line) physical["region"] = boost::json::object{{"startLine", *l.line}};
    boost::json::object logical{{"name", l.object}, {"kind", f.nacl ? "networkAcl" : "securityGroup"}};
    if (!l.rule.empty()) logical["fullyQualifiedName"] = l.rule;
    boost::json::object res;
    res["ruleId"] = f.check;
    res["ruleIndex"] = index.at(f.check);
    res["level"] = sarif_level(f.severity);
    res["message"] = boost::json::object{
        {"text", fmt::format("{}: {}. Fix: {}", l.rule.empty() ? l.object : l.rule, f.message, f.fix)}};
    res["locations"] = boost::json::array{
        boost::json::object{{"physicalLocation", physical}, {"logicalLocations", boost::json::array{logical}}}};
    res["properties"] = boost::json::object{{"severity", analysis::to_string(f.severity)}};
    results.push_back(std::move(res));
  }
  boost::json::object driver{{"name", "vpcsim"},
                             {"version", VPCSIM_VERSION},
                             {"informationUri", "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-best-practices.html"},
                             {"rules", std::move(rules)}};
  boost::json::object run{{"tool", boost::json::object{{"driver", std::move(driver)}}},
                          {"artifacts", boost::json::array{boost::json::object{{"location", boost::json::object{{"uri", file}}}}}},
                          {"results", std::move(results)}};
  return boost::json::object{{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                             {"version", "2.1.0"},
                             {"runs", boost::json::array{std::move(run)}}};
}

}  // namespace

CommandRunner add_lint_command(CLI::App& app) {
  auto o = std::make_shared<LintOptions>();
  CLI::App* cmd = app.add_subcommand("lint", "Check security groups and network ACLs for risky, broken or redundant rules");
  add_input_options(*cmd, o->common, "Scenario file (.textproto or .json)");
  add_mode_option(*cmd, o->common);
  const std::map<std::string, LintFormat> formats{
      {"table", LintFormat::kTable}, {"json", LintFormat::kJson}, {"sarif", LintFormat::kSarif}};
  cmd->add_option("--format", o->format, "Output format: table, json or sarif (SARIF 2.1.0)")
      ->transform(CLI::CheckedTransformer(formats, CLI::ignore_case))
      ->option_text("table|json|sarif");
  cmd->add_option("--fail-on", o->fail_on,
                  "Exit 1 when a finding of this severity or worse exists: info, low, medium, high, critical or never")
      ->check(CLI::IsMember({"info", "low", "medium", "high", "critical", "never"}, CLI::ignore_case))
      ->capture_default_str();
  return [o]() {
    const auto scenario = load_analysis_input(o->common);
    if (!scenario) return int{kExitBadInput};
    const FilteringModel model = effective_model(*scenario, o->common);
    const auto findings = analysis::lint(scenario->network, {model});
    const RuleLines lines = RuleLines::read(o->common, scenario->network);
    std::vector<Located> found;
    for (const Finding& f : findings) found.push_back(locate(scenario->network, lines, f));
    const std::string file = file_label(*scenario, *o);
    switch (o->format) {
      case LintFormat::kTable: print_table(std::cout, *scenario, *o, model, found); break;
      case LintFormat::kJson: {
        boost::json::array items;
        for (const Located& l : found) items.push_back(finding_json(l, file));
        print_pretty_json(std::cout, boost::json::object{{"scenario", scenario->name},
                                                         {"file", file},
                                                         {"model", to_string(model)},
                                                         {"fail_on", o->fail_on},
                                                         {"findings", std::move(items)}});
        break;
      }
      case LintFormat::kSarif: print_pretty_json(std::cout, sarif(found, artifact_uri(file))); break;
    }
    std::string threshold = o->fail_on;
    for (char& c : threshold) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto fail_on = analysis::parse_severity(threshold);
    const bool fail = fail_on && std::ranges::any_of(findings, [&](const Finding& f) { return f.severity >= *fail_on; });
    return fail ? int{kExitExpectationFailed} : int{kExitOk};
  };
}

}  // namespace vpcsim::cli
