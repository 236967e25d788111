// `vpcsim validate SCENARIO`: loads and checks a scenario, reporting every problem with its
// file, line and field.
#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "sim/cli/commands.h"
#include "sim/cli/options.h"

namespace vpcsim::cli {

CommandRunner add_validate_command(CLI::App& app) {
  auto o = std::make_shared<CommonOptions>();
  CLI::App* cmd = app.add_subcommand("validate", "Check a scenario file and report every problem with file, line and field");
  add_input_options(*cmd, *o, "Scenario file (.textproto or .json)");
  return [o]() {
    const auto s = load_input_or_report(*o);
    if (!s) return int{kExitBadInput};
    const Network& n = s->network;
    std::size_t rules = 0;
    for (const SecurityGroup& g : n.security_groups) rules += g.ingress.size() + g.egress.size();
    std::size_t entries = 0;
    for (const NetworkAcl& a : n.network_acls) entries += a.ingress.size() + a.egress.size();
    fmt::print("{}: ok: {} subnets, {} security groups ({} rules), {} network ACLs ({} entries), {} instances, "
               "{} interfaces, {} internet hosts, {} flows; model {}\n",
               o->aws_dir.empty() ? o->scenario : o->aws_dir, n.subnets.size(), n.security_groups.size(), rules, n.network_acls.size(), entries,
               n.instances.size(), n.enis.size(), n.external_hosts.size(), s->flows.size(),
               s->model ? to_string(*s->model) : "not set (stateless applies)");
    return int{kExitOk};
  };
}

}  // namespace vpcsim::cli
