// `vpcsim reach SCENARIO [--proto tcp --port 22] [--from SEL --to SEL] [--mode M]`: who can
// reach whom, for one protocol and port, under both filtering models (model/analysis/
// reachability.h). With `--find allowed|dropped` and one --from and --to: the exhaustive
// search for a packet between them (model/analysis/packet_search.h).
#include <boost/json.hpp>
#include <fmt/format.h>

#include <iostream>
#include <map>
#include <memory>
#include <sstream>

#include "model/analysis/packet_search.h"
#include "model/analysis/reachability.h"
#include "model/explain.h"
#include "sim/cli/analysis_input.h"
#include "sim/cli/commands.h"
#include "sim/cli/json_output.h"
#include "sim/cli/reach_options.h"

namespace vpcsim::cli {

namespace {

using analysis::Coverage;
using analysis::ReachCell;
using analysis::ReachMatrix;

struct ReachOptions {
  QueryOptions query;
  std::string find;                 // "", "allowed" or "dropped"
  std::string scope = "exchange";   // request | exchange
  bool details = true;
};

std::string cell_text(const ReachCell& c) {
  if (!c.applicable) return "-";
  if (!c.request) return "request dropped";
  switch (c.reply) {
    case Coverage::kAll: return "works";
    case Coverage::kSome: return "reply dropped for some client ports";
    case Coverage::kNone: return "reply dropped";
  }
  return "?";
}

boost::json::object hop_json(const Network& net, const HopResult& h, const Packet& p) {
  boost::json::object o{{"hop", to_string(h.hop)}, {"outcome", to_string(h.outcome)}, {"location", describe_location(net, h)}};
  if (const std::string rule = describe_rule(net, h); !rule.empty()) o["rule"] = rule;
  o["why"] = explain_hop(net, h, p);
  return o;
}

boost::json::array trace_json(const Network& net, const PathTrace& t) {
  boost::json::array a;
  for (const HopResult& h : t.hops) a.push_back(hop_json(net, h, t.packet));
  return a;
}

// The exchange behind a cell (the oracle's view, for the printed path).
std::optional<Exchange> cell_exchange(const Network& net, const PathEvaluator& ev, const ReachMatrix& m, std::size_t i,
                                      std::size_t j, FilteringModel model) {
  const ReachCell& c = m.at(model, i, j);
  if (!c.applicable) return std::nullopt;
  const auto p = analysis::query_packet(ev, m.clients()[i], m.servers()[j], m.query(), c.example_port);
  if (!p) return std::nullopt;
  (void)net;
  return ev.exchange(m.clients()[i], m.servers()[j], *p, model);
}

// One sentence for a cell: where it failed and why, or which rule let the request in.
std::string cell_reason(const Network& net, const Exchange& x, const ReachCell& c) {
  if (const HopResult* drop = x.request.drop()) {
    return fmt::format("request dropped at {}: {}", to_string(drop->hop), explain_hop(net, *drop, x.request.packet));
  }
  if (x.reply) {
    if (const HopResult* drop = x.reply->drop()) {
      return fmt::format("reply to client port {} dropped at {}: {}", c.example_port, to_string(drop->hop),
                         explain_hop(net, *drop, x.reply->packet));
    }
  }
  const HopResult* h = x.request.deciding_hop();
  return h ? explain_hop(net, *h, x.request.packet) : std::string("delivered");
}

int run_matrix(const Scenario& s, const ReachOptions& o, const ResolvedQuery& rq) {
  const Network& net = s.network;
  const CompiledFilters filters(net);
  const ReachMatrix m = analysis::reachability(net, filters, rq.clients, rq.servers, rq.query);
  const PathEvaluator ev(net, filters);
  std::vector<FilteringModel> models{FilteringModel::kStateless, FilteringModel::kStateful};
  if (o.query.common.mode) models = {*o.query.common.mode};
  if (o.query.common.format == OutputFormat::kJson) {
    boost::json::array pairs;
    for (std::size_t i = 0; i < m.clients().size(); ++i) {
      for (std::size_t j = 0; j < m.servers().size(); ++j) {
        if (!m.at(models.front(), i, j).applicable) continue;
        boost::json::object pair{{"from", endpoint_label(net, m.clients()[i])}, {"to", endpoint_label(net, m.servers()[j])}};
        for (const FilteringModel model : models) {
          const ReachCell& c = m.at(model, i, j);
          boost::json::object v{{"request_delivered", c.request},
                                 {"reply_delivered", analysis::to_string(c.reply)},
                                 {"works", c.works()},
                                 {"verdict", cell_text(c)}};
          if (const auto x = cell_exchange(net, ev, m, i, j, model)) {
            v["example_client_port"] = c.example_port;
            v["reason"] = cell_reason(net, *x, c);
            v["request_hops"] = trace_json(net, x->request);
            if (x->reply) v["reply_hops"] = trace_json(net, *x->reply);
          }
          pair[std::string(to_string(model))] = std::move(v);
        }
        pairs.push_back(std::move(pair));
      }
    }
    const ReachQueryText qt = describe_query(rq.query);
    print_pretty_json(std::cout, boost::json::object{{"scenario", s.name},
                                                     {"protocol", qt.protocol},
                                                     {"port", qt.port},
                                                     {"client_ports", qt.client_ports},
                                                     {"family", to_string(rq.query.family)},
                                                     {"pairs", std::move(pairs)}});
    return kExitOk;
  }
  const ReachQueryText qt = describe_query(rq.query);
  const bool ports = qt.client_ports != "-";
  std::cout << fmt::format("reach {}: {}{}{} ({}), {} clients x {} servers\n", s.name, qt.protocol,
                           ports ? " port " + qt.port : qt.port.empty() ? "" : " " + qt.port,
                           ports ? " from client ports " + qt.client_ports : "", to_string(rq.query.family),
                           m.clients().size(), m.servers().size());
  std::size_t width = 10;
  for (std::size_t i = 0; i < m.clients().size(); ++i) {
    for (std::size_t j = 0; j < m.servers().size(); ++j) {
      if (!m.at(models.front(), i, j).applicable) continue;
      width = std::max(width, endpoint_label(net, m.clients()[i]).size() + endpoint_label(net, m.servers()[j]).size() + 4);
    }
  }
  std::string header = fmt::format("\n{:<{}}", "FROM -> TO", width + 2);
  for (const FilteringModel model : models) header += fmt::format("  {:<36}", to_string(model));
  while (!header.empty() && header.back() == ' ') header.pop_back();
  std::cout << header << '\n';
  for (std::size_t i = 0; i < m.clients().size(); ++i) {
    for (std::size_t j = 0; j < m.servers().size(); ++j) {
      if (!m.at(models.front(), i, j).applicable) continue;
      std::string line = fmt::format("{:<{}}", endpoint_label(net, m.clients()[i]) + " -> " + endpoint_label(net, m.servers()[j]), width + 2);
      for (const FilteringModel model : models) line += fmt::format("  {:<36}", cell_text(m.at(model, i, j)));
      while (!line.empty() && line.back() == ' ') line.pop_back();
      std::cout << line << '\n';
      if (!o.details) continue;
      for (const FilteringModel model : models) {
        if (const auto x = cell_exchange(net, ev, m, i, j, model)) {
          std::cout << fmt::format("    {}: {}\n", to_string(model), cell_reason(net, *x, m.at(model, i, j)));
        }
      }
    }
  }
  return kExitOk;
}

void print_found(const Scenario& s, const analysis::SearchResult& r, const ReachOptions& o, FilteringModel model) {
  const Network& net = s.network;
  if (o.query.common.format == OutputFormat::kJson) {
    boost::json::object out{{"scenario", s.name}, {"find", o.find}, {"scope", o.scope}, {"model", to_string(model)},
                            {"classes_evaluated", r.classes}, {"found", r.example.has_value()}};
    if (r.example) {
      out["packet"] = r.example->request.packet.to_string();
      out["request_hops"] = trace_json(net, r.example->request);
      if (r.example->reply) out["reply_hops"] = trace_json(net, *r.example->reply);
    }
    print_pretty_json(std::cout, out);
    return;
  }
  if (!r.example) {
    std::cout << fmt::format("no packet is {} ({} model, {} scope): {} classes of packets evaluated, none qualifies\n",
                             o.find, to_string(model), o.scope, r.classes);
    return;
  }
  const Exchange& x = *r.example;
  std::cout << fmt::format("{} packet ({} model, {} scope, found after {} classes): {}\n", o.find, to_string(model),
                           o.scope, r.classes, x.request.packet.to_string());
  const auto print_trace = [&](const char* title, const PathTrace& t) {
    std::cout << fmt::format("  {} {}: {}\n", title, t.packet.to_string(), t.delivered() ? "delivered" : "dropped");
    for (const HopResult& h : t.hops) {
      std::cout << fmt::format("    {:<12} {:<8} {}\n", to_string(h.hop), to_string(h.outcome), explain_hop(net, h, t.packet));
    }
  };
  print_trace("request", x.request);
  if (x.reply) print_trace("reply", *x.reply);
}

int run_find(Scenario& s, const ReachOptions& o) {
  auto space = search_space(s, o.query);
  if (!space) {
    std::cerr << "error: " << space.error() << '\n';
    return kExitBadInput;
  }
  const FilteringModel model = effective_model(s, o.query.common);
  const CompiledFilters filters(s.network);
  const auto r = analysis::find_packet(s.network, filters, *space, o.find == "allowed" ? analysis::SearchGoal::kAllowed : analysis::SearchGoal::kDropped,
                                       o.scope == "request" ? analysis::SearchScope::kRequest : analysis::SearchScope::kExchange, model);
  if (!r) {
    std::cerr << "error: " << r.error() << '\n';
    return kExitBadInput;
  }
  print_found(s, *r, o, model);
  return r->example ? kExitOk : kExitExpectationFailed;
}

}  // namespace

CommandRunner add_reach_command(CLI::App& app) {
  auto o = std::make_shared<ReachOptions>();
  CLI::App* cmd = app.add_subcommand(
      "reach", "Who can reach whom on a port, under both filtering models; --find: search every packet for an allowed or dropped one");
  add_query_options(*cmd, o->query);
  add_common_options(*cmd, o->query.common);
  cmd->add_option("--find", o->find,
                  "Search every packet from --from to --to for one that is allowed or dropped (exit 1 when there is none)")
      ->check(CLI::IsMember({"allowed", "dropped"}))
      ->option_text("allowed|dropped");
  cmd->add_option("--scope", o->scope, "With --find: judge the request alone, or the exchange (request and reply)")
      ->check(CLI::IsMember({"request", "exchange"}))
      ->capture_default_str();
  cmd->add_flag("!--no-details", o->details, "Table: omit the reason line under each pair");
  return [o]() {
    auto scenario = load_analysis_input(o->query.common);
    if (!scenario) return int{kExitBadInput};
    if (o->query.common.format == OutputFormat::kCsv) {
      std::cerr << "error: --format csv is not supported by reach: use table or json\n";
      return int{kExitBadInput};
    }
    if (!o->find.empty()) return run_find(*scenario, *o);
    const auto rq = resolve_query(*scenario, o->query);
    if (!rq) {
      std::cerr << "error: " << rq.error() << '\n';
      return int{kExitBadInput};
    }
    return run_matrix(*scenario, *o, *rq);
  };
}

}  // namespace vpcsim::cli
