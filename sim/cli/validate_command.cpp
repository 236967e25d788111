// `vpcsim validate SCENARIO`: loads and checks a scenario, reporting every problem with its
// file, line and field.
#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "sim/cli/commands.h"
#include "sim/cli/options.h"

namespace vpcsim::cli {

CommandRunner add_validate_command(CLI::App& app) {
  auto path = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("validate", "Check a scenario file and report every problem with file, line and field");
  cmd->add_option("scenario", *path, "Scenario file (.textproto or .json)")->required();
  return [path]() {
    const auto s = load_or_report(*path);
    if (!s) return int{kExitBadInput};
    const Network& n = s->network;
    std::size_t rules = 0;
    for (const SecurityGroup& g : n.security_groups) rules += g.ingress.size() + g.egress.size();
    std::size_t entries = 0;
    for (const NetworkAcl& a : n.network_acls) entries += a.ingress.size() + a.egress.size();
    fmt::print("{}: ok: {} subnets, {} security groups ({} rules), {} network ACLs ({} entries), {} instances, "
               "{} interfaces, {} internet hosts, {} flows; model {}\n",
               *path, n.subnets.size(), n.security_groups.size(), rules, n.network_acls.size(), entries,
               n.instances.size(), n.enis.size(), n.external_hosts.size(), s->flows.size(),
               s->model ? to_string(*s->model) : "not set (stateless applies)");
    return int{kExitOk};
  };
}

}  // namespace vpcsim::cli
