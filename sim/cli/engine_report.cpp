#include "sim/cli/engine_report.h"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <array>

#include "model/explain.h"

namespace vpcsim::cli {

std::string direction_line(const Network& net, const DirectionResult& d) {
  if (!d.sent) return "not sent (the request was dropped)";
  const std::uint64_t total = d.packets_delivered + d.packets_dropped;
  const std::string counts =
      total > 1 ? fmt::format(" [{} of {} packets delivered]", d.packets_delivered, total) : std::string();
  if (d.first_drop) {
    return fmt::format("DROPPED at {} of {}: {}{}", to_string(d.first_drop->hop), describe_location(net, *d.first_drop),
                       d.explain_drop(net), counts);
  }
  if (!d.decided_by) return "allowed" + counts;
  return fmt::format("allowed ({}: {}){}", to_string(d.decided_by->hop), d.explain_decision(net), counts);
}

std::string text_chart(const std::vector<TimeBucket>& buckets, SimTime width, std::size_t max_columns) {
  if (buckets.empty()) return "  (no traffic)\n";
  const std::size_t per_column = (buckets.size() + max_columns - 1) / max_columns;
  const std::size_t columns = (buckets.size() + per_column - 1) / per_column;
  struct Row {
    const char* name;
    std::uint64_t (*value)(const TrafficCounts&);
  };
  static constexpr std::array<Row, 4> kRows{{
      {"request allowed", [](const TrafficCounts& c) { return c.request.packets_allowed; }},
      {"request dropped", [](const TrafficCounts& c) { return c.request.packets_dropped; }},
      {"reply allowed  ", [](const TrafficCounts& c) { return c.reply.packets_allowed; }},
      {"reply dropped  ", [](const TrafficCounts& c) { return c.reply.packets_dropped; }},
  }};
  std::array<std::vector<std::uint64_t>, kRows.size()> values;
  std::uint64_t peak = 0;
  for (std::size_t r = 0; r < kRows.size(); ++r) {
    values[r].assign(columns, 0);
    for (std::size_t b = 0; b < buckets.size(); ++b) values[r][b / per_column] += kRows[r].value(buckets[b].counts);
    peak = std::max(peak, *std::ranges::max_element(values[r]));
  }
  // Eighth blocks; a blank means nothing at all, a value above zero shows at least the lowest.
  static constexpr std::array<const char*, 9> kLevels{" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  std::string out;
  for (std::size_t r = 0; r < kRows.size(); ++r) {
    out += fmt::format("  {} |", kRows[r].name);
    std::uint64_t total = 0;
    for (const std::uint64_t v : values[r]) {
      total += v;
      const std::size_t level = v == 0 || peak == 0 ? 0 : std::max<std::size_t>(1, (v * 8 + peak - 1) / peak);
      out += kLevels[std::min<std::size_t>(level, 8)];
    }
    out += fmt::format("| {} packets\n", total);
  }
  const SimTime column_width = width * static_cast<std::int64_t>(per_column);
  const std::string end = format_time(column_width * static_cast<std::int64_t>(columns));
  const std::size_t gap = columns > 2 + end.size() ? columns - 2 - end.size() : 1;
  out += fmt::format("  {:15}  0s{}{}\n", "", std::string(gap, ' '), end);
  out += fmt::format("  one column = {}, scale: █ = {} packets\n", format_time(column_width), peak);
  return out;
}

void print_engine_table(std::ostream& out, const EngineReport& r) {
  const Network& net = r.sim.network();
  const SimulationOptions& o = r.sim.options();
  fmt::print(out, "Scenario {} under the {} model, {} fidelity, seed {}, {}\n\n", r.scenario.name, to_string(o.model),
             to_string(o.fidelity), o.seed,
             o.horizon > SimTime{0} ? "horizon " + format_time(o.horizon) : std::string("until the traffic ends"));
  for (const ObservedFlow* f : r.outcomes.flows()) {
    fmt::print(out, "{} at {}: {} -> {}\n", f->spec->name, format_time(f->start), endpoint_label(net, f->spec->client),
               endpoint_label(net, f->spec->server));
    fmt::print(out, "  request  {}\n", direction_line(net, f->request));
    fmt::print(out, "  reply    {}\n", direction_line(net, f->reply));
    if (f->expectations_checked > 0) {
      if (f->failures.empty()) fmt::print(out, "  expect   ok\n");
      for (const std::string& failure : f->failures) fmt::print(out, "  expect   FAILED: {}\n", failure);
    }
    out << '\n';
  }
  for (const std::string& missing : r.outcomes.not_run()) fmt::print(out, "expect FAILED: {}\n\n", missing);
  if (!r.changes.changes().empty()) {
    fmt::print(out, "Rule changes:\n");
    for (const StateRecord& c : r.changes.changes()) {
      fmt::print(out, "  at {}: {}{}\n", format_time(c.time), c.description,
                 c.kind == StateRecord::Kind::kRuleChangeFailed ? " (FAILED)" : "");
    }
    out << '\n';
  }
  const TrafficCounts& t = r.summary.totals();
  fmt::print(out, "{} flows: {} worked both ways, {} requests dropped, {} replies dropped\n", t.flows_started,
             t.flows_worked, t.flows_request_dropped, t.flows_reply_dropped);
  fmt::print(out, "packets: request {} allowed / {} dropped, reply {} allowed / {} dropped\n", t.request.packets_allowed,
             t.request.packets_dropped, t.reply.packets_allowed, t.reply.packets_dropped);
  std::string by_hop;
  for (std::size_t h = 0; h < kHopKinds; ++h) {
    if (t.drops_by_hop[h] == 0) continue;
    by_hop += fmt::format("{}{} {}", by_hop.empty() ? "" : ", ", to_string(static_cast<Hop>(h)), t.drops_by_hop[h]);
  }
  if (!by_hop.empty()) fmt::print(out, "dropped packets by hop: {}\n", by_hop);
  fmt::print(out, "\n{}", text_chart(r.series.buckets(), r.series.bucket_width()));
  const auto never = r.hits.never_matched();
  std::vector<RuleHit> top;
  for (const RuleHit& h : r.hits.hits()) {
    if (h.is_rule() && h.packets > 0) top.push_back(h);
  }
  std::ranges::stable_sort(top, std::greater{}, &RuleHit::packets);
  if (!top.empty()) {
    fmt::print(out, "\nbusiest rules:\n");
    for (std::size_t i = 0; i < std::min<std::size_t>(top.size(), 5); ++i) {
      fmt::print(out, "  {:>10} packets  {}{}\n", top[i].packets, top[i].rule, top[i].removed ? " (removed)" : "");
    }
  }
  if (!never.empty()) fmt::print(out, "{} rules never matched (see rule_hits.csv with --out)\n", never.size());
  fmt::print(out, "expectations: {} checked, {} failed\n", r.outcomes.expectations_checked(),
             r.outcomes.expectations_failed());
}

}  // namespace vpcsim::cli
