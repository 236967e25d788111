// The vpcsim subcommands. Each registers its options on the CLI11 app and, when chosen,
// runs and returns the process exit code.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace vpcsim::cli {

using CommandRunner = std::function<int()>;

CommandRunner add_run_command(CLI::App& app);
CommandRunner add_explain_command(CLI::App& app);
CommandRunner add_validate_command(CLI::App& app);
CommandRunner add_trace_command(CLI::App& app);
CommandRunner add_compare_command(CLI::App& app);
CommandRunner add_replay_command(CLI::App& app);
CommandRunner add_diff_command(CLI::App& app);
CommandRunner add_import_command(CLI::App& app);
CommandRunner add_check_command(CLI::App& app);
CommandRunner add_lint_command(CLI::App& app);
CommandRunner add_reach_command(CLI::App& app);
CommandRunner add_graph_command(CLI::App& app);
CommandRunner add_serve_command(CLI::App& app);   // sim/server: the live simulation server
CommandRunner add_client_command(CLI::App& app);  // and its command-line client

// --mode and --format, shared by every command that prints results.
struct CommonOptions;
void add_common_options(CLI::App& cmd, CommonOptions& o);
void add_mode_option(CLI::App& cmd, CommonOptions& o);
void add_format_option(CLI::App& cmd, CommonOptions& o);
// The positional SCENARIO and --aws DIR, either of which a command takes as its input.
void add_input_options(CLI::App& cmd, CommonOptions& o, const std::string& scenario_help);

}  // namespace vpcsim::cli
