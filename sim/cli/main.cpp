// vpcsim: the command-line front end. Exit codes: 0 ok, 1 an expectation failed,
// 2 bad input (scenario, flag or usage).
#include <CLI/CLI.hpp>

#include <iostream>
#include <vector>

#include "sim/cli/commands.h"
#include "sim/cli/options.h"

int main(int argc, char** argv) {
  using namespace vpcsim::cli;
  CLI::App app{"vpcsim: replay traffic through AWS security groups and network ACLs, in both directions", "vpcsim"};
  app.set_version_flag("--version", std::string("vpcsim " VPCSIM_VERSION));
  app.require_subcommand(1);
  std::vector<std::pair<CLI::App*, CommandRunner>> commands;
  for (auto add : {add_run_command, add_trace_command, add_compare_command, add_explain_command, add_validate_command,
                   add_import_command, add_check_command, add_replay_command, add_diff_command,
                   add_lint_command, add_reach_command, add_graph_command, add_serve_command,
                   add_client_command}) {
    const std::size_t before = app.get_subcommands({}).size();
    CommandRunner runner = add(app);
    commands.emplace_back(app.get_subcommands({}).at(before), std::move(runner));
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);  // prints help/version to stdout, errors to stderr
    return code == 0 ? kExitOk : kExitBadInput;
  }
  for (auto& [cmd, run] : commands) {
    if (cmd->parsed()) return run();
  }
  return kExitBadInput;
}
