// `vpcsim import aws DIR [-o FILE] [--vpc ID]`: AWS CLI JSON (aws ec2 describe-*) into a
// scenario file under the stateful model, with every warning on stderr and in the file's
// header comments.
#include <iostream>
#include <memory>

#include "io/aws_import.h"
#include "io/result_files.h"
#include "io/scenario_format.h"
#include "sim/cli/commands.h"
#include "sim/cli/options.h"

namespace vpcsim::cli {

namespace {

struct ImportOptions {
  std::string dir;
  std::string out;
  io::AwsImportOptions aws;
};

}  // namespace

CommandRunner add_import_command(CLI::App& app) {
  auto o = std::make_shared<ImportOptions>();
  CLI::App* cmd = app.add_subcommand("import", "Convert other formats into a scenario");
  cmd->require_subcommand(1);
  CLI::App* aws = cmd->add_subcommand("aws", "AWS CLI JSON (aws ec2 describe-* outputs) into a stateful scenario");
  aws->add_option("dir", o->dir, "Directory of *.json files (or one file) holding the describe-* outputs")->required();
  aws->add_option("-o,--output", o->out,
                  "Write the scenario here (.textproto, or .json for protobuf JSON); default: "
                  "text format on stdout");
  aws->add_option("--vpc", o->aws.vpc_id, "The VPC to import when the dump holds several");
  return [o]() {
    auto imported = io::import_aws(o->dir, o->aws);
    if (!imported) {
      for (const Error& e : imported.error()) std::cerr << "error: " << e.format() << '\n';
      std::cerr << imported.error().size() << (imported.error().size() == 1 ? " error" : " errors") << " in " << o->dir
                << '\n';
      return int{kExitBadInput};
    }
    for (const Error& w : imported->warnings) std::cerr << "warning: " << w.format() << '\n';
    if (o->out.empty()) {
      std::cout << io::to_textproto(*imported, o->dir);
      return int{kExitOk};
    }
    // The format follows the extension, as the loader reads it back.
    const auto format = io::format_from_path(o->out);
    if (!format) {
      std::cerr << "error: " << format.error().format() << '\n';
      return int{kExitBadInput};
    }
    const std::string text =
        *format == io::ScenarioFormat::kJson ? io::to_scenario_json(*imported) : io::to_textproto(*imported, o->dir);
    if (auto written = io::write_file_atomically(o->out, text); !written) {
      std::cerr << "error: " << written.error().format() << '\n';
      return int{kExitBadInput};
    }
    const Network& n = imported->scenario.network;
    std::cerr << "imported " << imported->scenario.network.vpc.id << " into " << o->out << ": " << n.subnets.size()
              << " subnets, " << n.security_groups.size() << " security groups, " << n.network_acls.size()
              << " network ACLs, " << n.instances.size() << " instances, " << n.enis.size() << " interfaces; "
              << imported->warnings.size() << (imported->warnings.size() == 1 ? " warning\n" : " warnings\n");
    return int{kExitOk};
  };
}

}  // namespace vpcsim::cli
