// `vpcsim graph SCENARIO --dot [--proto tcp --port 22] [--from SEL --to SEL] [--mode M]`: the
// topology (VPC, subnets, ACLs, instances, interfaces, groups, group references, gateway,
// internet hosts) as Graphviz DOT via Boost.Graph's write_graphviz (model/topology.h), with
// the reachability edges for one port under the run's filtering model drawn over it.
#include <iostream>
#include <memory>

#include "model/analysis/reach_graph.h"
#include "sim/cli/analysis_input.h"
#include "sim/cli/commands.h"
#include "sim/cli/reach_options.h"

namespace vpcsim::cli {

namespace {

struct GraphOptions {
  QueryOptions query;
  bool dot = true;
  bool reach = true;
};

}  // namespace

CommandRunner add_graph_command(CLI::App& app) {
  auto o = std::make_shared<GraphOptions>();
  CLI::App* cmd = app.add_subcommand("graph", "Export the topology and who reaches whom on a port as Graphviz DOT");
  add_query_options(*cmd, o->query);
  add_mode_option(*cmd, o->query.common);
  cmd->add_flag("--dot", o->dot, "Graphviz DOT output (the only format; accepted for clarity)");
  cmd->add_flag("!--no-reach", o->reach, "Draw the topology only, without reachability edges");
  return [o]() {
    const auto scenario = load_analysis_input(o->query.common);
    if (!scenario) return int{kExitBadInput};
    const auto rq = resolve_query(*scenario, o->query);
    if (!rq) {
      std::cerr << "error: " << rq.error() << '\n';
      return int{kExitBadInput};
    }
    const Network& net = scenario->network;
    const Topology topology = Topology::build(net);
    std::vector<Topology::OverlayEdge> overlay;
    if (o->reach) {
      const CompiledFilters filters(net);
      const auto m = analysis::reachability(net, filters, rq->clients, rq->servers, rq->query);
      overlay = analysis::reach_overlay(topology, m, effective_model(*scenario, o->query.common));
    }
    topology.write_dot(std::cout, overlay);
    return int{kExitOk};
  };
}

}  // namespace vpcsim::cli
