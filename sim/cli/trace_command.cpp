// `vpcsim trace SCENARIO --flow NAME|ID`: the packet-level event log of one exchange — time,
// packet, hop, verdict, rule — with the rule changes and connection-tracking events that
// touch it: the step-by-step view a learner follows.
#include <fmt/format.h>
#include <fmt/ostream.h>

#include <charconv>
#include <iostream>
#include <memory>

#include "model/explain.h"
#include "sim/cli/commands.h"
#include "sim/cli/engine_report.h"
#include "sim/cli/engine_run.h"
#include "sim/cli/options.h"
#include "sim/simulator.h"

namespace vpcsim::cli {

namespace {

struct TraceOptions {
  CommonOptions common;
  EngineOptions engine;
  std::string flow;
};

// The flow to follow: a scenario flow by name, or any flow (generated ones too) by id.
struct FlowSelector {
  std::optional<std::uint32_t> spec;
  std::optional<std::uint64_t> id;
  bool matches(const Flow& f) const {
    if (spec) return !f.generated && f.source == *spec;
    return f.id == *id;
  }
};

bool same_connection(const Packet& a, const Packet& b) {
  const bool forward = a.src == b.src && a.dst == b.dst && a.src_port == b.src_port && a.dst_port == b.dst_port;
  const bool backward = a.src == b.dst && a.dst == b.src && a.src_port == b.dst_port && a.dst_port == b.src_port;
  return a.protocol == b.protocol && (forward || backward);
}

class TracePrinter : public Observer {
 public:
  TracePrinter(std::ostream& out, const Simulator& sim, FlowSelector selector) : out_(out), sim_(sim), selector_(selector) {}

  void on_packet(const PacketRecord& r) override {
    if (!selector_.matches(*r.flow)) return;
    if (!flow_) {
      flow_ = *r.flow;
      fmt::print(out_, "flow {}: {} -> {}\n", r.flow->id, endpoint_label(net(), r.flow->client), endpoint_label(net(), r.flow->server));
    }
    fmt::print(out_, "{:>12}  {:<8} {:<7}  {}\n", format_time(r.time), r.label, r.reply ? "reply" : "request",
               r.trace->packet.to_string());
    for (const HopResult& h : r.trace->hops) {
      fmt::print(out_, "{:>14}{:<12} {:<34} {:<8} {}\n", "", to_string(h.hop), describe_location(net(), h),
                 h.dropped() ? "DROPPED" : to_string(h.outcome), explain_hop(net(), h, r.trace->packet));
    }
  }

  void on_state(const StateRecord& s) override {
    if (s.kind == StateRecord::Kind::kRuleChange || s.kind == StateRecord::Kind::kRuleChangeFailed) {
      fmt::print(out_, "{:>12}  rule change: {}\n", format_time(s.time), s.description);
      return;
    }
    if (!flow_ || !same_connection(s.connection, flow_->request)) return;
    const bool opened = s.kind == StateRecord::Kind::kConnectionTracked;
    fmt::print(out_, "{:>12}  {} tracks the connection {}\n", format_time(s.time), net().eni_label(*s.eni),
               opened ? "from now on (replies pass its security groups)" : "no longer: idle past its timeout");
  }

  void on_flow(const FlowResult& r) override {
    if (!selector_.matches(*r.flow)) return;
    found_ = true;
    fmt::print(out_, "result at {}:\n  request  {}\n  reply    {}\n  {}\n", format_time(r.end), direction_line(net(), r.request),
               direction_line(net(), r.reply),
               r.works() ? "the connection worked both ways" : "the connection did not work");
  }

  bool found() const { return found_; }

 private:
  const Network& net() const { return sim_.network(); }
  std::ostream& out_;
  const Simulator& sim_;
  FlowSelector selector_;
  std::optional<Flow> flow_;
  bool found_ = false;
};

std::expected<FlowSelector, std::string> parse_selector(const Scenario& s, const std::string& text) {
  for (std::uint32_t i = 0; i < s.flows.size(); ++i) {
    if (s.flows[i].name == text) return FlowSelector{i, std::nullopt};
  }
  std::uint64_t id = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec == std::errc{} && end == text.data() + text.size()) return FlowSelector{std::nullopt, id};
  std::string names;
  for (const FlowSpec& f : s.flows) names += (names.empty() ? "" : ", ") + f.name;
  return std::unexpected(fmt::format("--flow: '{}' is neither a flow of {} ({}) nor a flow id (0, 1, ...)", text, s.name,
                                     names.empty() ? "it has none" : names));
}

}  // namespace

CommandRunner add_trace_command(CLI::App& app) {
  auto o = std::make_shared<TraceOptions>();
  CLI::App* cmd = app.add_subcommand("trace", "The packet-by-packet event log of one flow: time, packet, hop, verdict, rule");
  add_input_options(*cmd, o->common, "Scenario file (.textproto or .json)");
  cmd->add_option("--flow", o->flow, "A flow of the scenario by name, or any flow by id (as run --flows numbers them)")->required();
  add_mode_option(*cmd, o->common);
  add_engine_options(*cmd, o->engine);
  return [o]() {
    const auto scenario = load_input_or_report(o->common);
    if (!scenario) return int{kExitBadInput};
    const auto selector = parse_selector(*scenario, o->flow);
    if (!selector) {
      std::cerr << "error: " << selector.error() << '\n';
      return int{kExitBadInput};
    }
    if (const auto note = model_note(*scenario, o->common)) std::cout << *note << "\n\n";
    EngineOptions engine = o->engine;
    if (!engine.fidelity) engine.fidelity = Fidelity::kPacket;  // the teaching view is packet by packet
    const SimulationOptions options = simulation_options(*scenario, o->common, engine);
    Simulator sim(*scenario, options);
    TracePrinter printer(std::cout, sim, *selector);
    sim.add_observer(printer);
    fmt::print("{} under the {} model, {} fidelity\n", scenario->name, to_string(options.model), to_string(options.fidelity));
    run_with_progress(sim);
    if (!printer.found()) {
      std::cerr << "error: --flow " << o->flow << ": no such flow ran (" << sim.flows_started() << " flows ran)\n";
      return int{kExitBadInput};
    }
    return int{kExitOk};
  };
}

}  // namespace vpcsim::cli
