#include "sim/cli/analysis_input.h"

#include <fstream>
#include <sstream>

#include "io/diagnostics.h"
#include "io/scenario_format.h"
#include "io/scenario_parser.h"
#include "sim/cli/default_scenario.h"

namespace vpcsim::cli {

std::optional<Scenario> load_analysis_input(const CommonOptions& o) { return load_input_or_report(o); }

namespace {

std::optional<int> locate(const io::SourceLocator& loc, const std::string& path) {
  const auto l = loc.locate(path);
  if (!l || l->line <= 0) return std::nullopt;
  return l->line;
}

constexpr std::size_t slot(Direction d) { return d == Direction::kIngress ? 0 : 1; }

}  // namespace

RuleLines RuleLines::read(const CommonOptions& input, const Network& net) {
  if (input.aws_dir.empty()) return read(input.scenario, net);
  RuleLines out;
  out.sgs_.resize(net.security_groups.size());
  out.acls_.resize(net.network_acls.size());
  return out;
}

RuleLines RuleLines::read(const std::string& path, const Network& net) {
  RuleLines out;
  out.sgs_.resize(net.security_groups.size());
  out.acls_.resize(net.network_acls.size());
  std::string content;
  std::string label = path;
  io::ScenarioFormat format = io::ScenarioFormat::kText;
  if (path.empty()) {
    content = std::string(kDefaultScenarioText);
    label = std::string(kDefaultScenarioLabel);
  } else {
    const auto f = io::format_from_path(path);
    if (!f) return out;
    format = *f;
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    content = ss.str();
  }
  auto parsed = io::parse_scenario_proto(content, label, format);
  if (!parsed || !parsed->locations) return out;
  const pb::Scenario& m = parsed->message;
  const io::SourceLocator& loc = *parsed->locations;
  for (int k = 0; k < m.security_groups_size(); ++k) {
    const auto id = net.find_sg(m.security_groups(k).id());
    if (!id) continue;
    const std::string base = io::at("security_groups", static_cast<std::size_t>(k));
    Lines& lines = out.sgs_[id->value];
    lines.self = locate(loc, base);
    const SecurityGroup& sg = net.sg(*id);
    for (const Direction d : {Direction::kIngress, Direction::kEgress}) {
      const auto& written = d == Direction::kIngress ? m.security_groups(k).ingress() : m.security_groups(k).egress();
      const std::size_t model_count = sg.rules(d).size();
      const std::size_t written_count = static_cast<std::size_t>(written.size());
      lines.rules[slot(d)].assign(model_count, std::nullopt);
      if (written_count > model_count) continue;  // not the file the network came from
      // The converter puts AWS's default rules first, then the rules as written.
      const std::size_t offset = model_count - written_count;
      for (std::size_t j = 0; j < written_count; ++j) {
        lines.rules[slot(d)][offset + j] =
            locate(loc, io::at(base + (d == Direction::kIngress ? ".ingress" : ".egress"), j));
      }
    }
  }
  for (int k = 0; k < m.network_acls_size(); ++k) {
    const auto id = net.find_nacl(m.network_acls(k).id());
    if (!id) continue;
    const std::string base = io::at("network_acls", static_cast<std::size_t>(k));
    Lines& lines = out.acls_[id->value];
    lines.self = locate(loc, base);
    const NetworkAcl& acl = net.nacl(*id);
    for (const Direction d : {Direction::kIngress, Direction::kEgress}) {
      const auto& written = d == Direction::kIngress ? m.network_acls(k).ingress() : m.network_acls(k).egress();
      lines.rules[slot(d)].assign(acl.entries(d).size(), std::nullopt);
      // Entries are kept sorted by number, which is unique per direction.
      for (int j = 0; j < written.size(); ++j) {
        for (std::size_t i = 0; i < acl.entries(d).size(); ++i) {
          if (acl.entries(d)[i].number != written.Get(j).rule_number()) continue;
          lines.rules[slot(d)][i] =
              locate(loc, io::at(base + (d == Direction::kIngress ? ".ingress" : ".egress"), static_cast<std::size_t>(j)));
        }
      }
    }
  }
  return out;
}

std::optional<int> RuleLines::line(const SgRuleRef& ref) const {
  if (ref.sg.value >= sgs_.size()) return std::nullopt;
  const auto& rules = sgs_[ref.sg.value].rules[slot(ref.direction)];
  if (ref.index < rules.size() && rules[ref.index]) return rules[ref.index];
  return sgs_[ref.sg.value].self;
}

std::optional<int> RuleLines::line(const NaclEntryRef& ref) const {
  if (ref.nacl.value >= acls_.size()) return std::nullopt;
  const auto& rules = acls_[ref.nacl.value].rules[slot(ref.direction)];
  if (ref.index < rules.size() && rules[ref.index]) return rules[ref.index];
  return acls_[ref.nacl.value].self;
}

std::optional<int> RuleLines::line(SgId sg) const { return sg.value < sgs_.size() ? sgs_[sg.value].self : std::nullopt; }
std::optional<int> RuleLines::line(NaclId acl) const {
  return acl.value < acls_.size() ? acls_[acl.value].self : std::nullopt;
}

}  // namespace vpcsim::cli
