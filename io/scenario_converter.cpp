#include "io/scenario_converter.h"

#include <fmt/format.h>

#include <filesystem>

#include "io/change_converter.h"
#include "io/conversion_context.h"
#include "io/endpoint_converter.h"
#include "io/expectation_converter.h"
#include "io/flow_converter.h"
#include "io/generator_converter.h"
#include "io/network_acl_converter.h"
#include "io/network_converter.h"
#include "io/security_group_converter.h"
#include "io/sim_time_converter.h"

namespace vpcsim::io {

namespace {

// Whether the scenario asks the engine to run packet by packet (flow by flow when unspecified).
bool convert_fidelity(pb::Fidelity f, Diagnostics& diag) {
  switch (f) {
    case pb::FIDELITY_UNSPECIFIED:
    case pb::FLOW:
      return false;
    case pb::PACKET:
      return true;
    default:
      break;
  }
  diag.error("fidelity", fmt::format("unknown fidelity {}: use FLOW or PACKET", static_cast<int>(f)));
  return false;
}

}  // namespace

std::expected<Scenario, Errors> scenario_from_proto(const pb::Scenario& proto, const std::string& file_label,
                                                    const SourceLocator* locations, const ConversionOptions& options) {
  Diagnostics diag(file_label, locations);
  Scenario scenario;
  scenario.name = proto.name().empty() ? std::filesystem::path(file_label).stem().string() : proto.name();
  scenario.description = proto.description();
  scenario.source = file_label;
  scenario.model = convert_model(proto.model(), "model", diag);

  // Order matters: each step resolves names declared by the ones before it. Security groups
  // are declared before any rule is converted, as rules may name groups written later. The
  // horizon comes first: flows, generators and changes are checked against it.
  ConversionContext ctx(scenario.network, diag, options);
  if (auto horizon = convert_seconds(proto.horizon_seconds(), "horizon_seconds", diag)) scenario.horizon = *horizon;
  ctx.horizon = scenario.horizon;
  scenario.seed = proto.seed() == 0 ? 1 : proto.seed();
  scenario.packet_fidelity = convert_fidelity(proto.fidelity(), diag);
  convert_vpc(proto, ctx);
  convert_prefix_lists(proto, ctx);
  declare_security_groups(proto, ctx);
  convert_security_group_rules(proto, ctx);
  convert_network_acls(proto, ctx);
  convert_subnets(proto, ctx);
  convert_instances(proto, ctx);
  convert_internet_hosts(proto, ctx);
  scenario.flows = convert_flows(proto, ctx);
  scenario.generators = convert_generators(proto, ctx);  // adds the internet users' hosts
  scenario.changes = convert_changes(proto, ctx);

  if (!diag.empty()) return std::unexpected(diag.take());
  return scenario;
}

}  // namespace vpcsim::io
