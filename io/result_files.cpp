#include "io/result_files.h"

#include <fcntl.h>
#include <google/protobuf/util/json_util.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <vector>

#include "io/csv.h"
#include "io/result_proto.h"

namespace vpcsim::io {

namespace {

constexpr std::array kHops = {Hop::kSgEgress, Hop::kNaclEgress, Hop::kNaclIngress, Hop::kSgIngress, Hop::kRoute};

std::int64_t ns(SimTime t) { return t.count(); }

pb::Verdict to_proto(DirectionVerdict v) {
  switch (v) {
    case DirectionVerdict::kAllowed:
      return pb::ALLOWED;
    case DirectionVerdict::kDropped:
      return pb::DROPPED;
    case DirectionVerdict::kNotSent:
      return pb::NOT_SENT;
  }
  return pb::VERDICT_UNSPECIFIED;
}

pb::RuleHitKind to_proto(RuleHit::Kind k) {
  switch (k) {
    case RuleHit::Kind::kSgRule:
      return pb::SG_RULE;
    case RuleHit::Kind::kSgNoRuleMatched:
      return pb::SG_NO_RULE_MATCHED;
    case RuleHit::Kind::kNaclEntry:
      return pb::NACL_ENTRY;
    case RuleHit::Kind::kNaclImplicitDeny:
      return pb::NACL_IMPLICIT_DENY;
  }
  return pb::RULE_HIT_KIND_UNSPECIFIED;
}

pb::DirectionCounts to_proto(const DirectionCounts& d) {
  pb::DirectionCounts out;
  out.set_flows_allowed(d.flows_allowed);
  out.set_flows_dropped(d.flows_dropped);
  out.set_packets_allowed(d.packets_allowed);
  out.set_packets_dropped(d.packets_dropped);
  out.set_bytes_allowed(d.bytes_allowed);
  out.set_bytes_dropped(d.bytes_dropped);
  return out;
}

pb::FlowDirectionRecord to_proto(const FlowCollector& flows, const FlowDirectionRecord& d) {
  pb::FlowDirectionRecord out;
  out.set_verdict(to_proto(d.verdict));
  if (d.first_drop) {
    out.set_dropped_at(io::to_proto(d.first_drop->hop));
    out.set_drop_reason(std::string(to_string(d.first_drop->reason)));
    out.set_drop_location(flows.text(d.first_drop->location));
    out.set_drop_rule(flows.text(d.first_drop->rule));
  }
  out.set_packets_delivered(d.packets_delivered);
  out.set_packets_dropped(d.packets_dropped);
  out.set_bytes_delivered(d.bytes_delivered);
  out.set_bytes_dropped(d.bytes_dropped);
  return out;
}

std::string text(std::uint64_t v) { return std::to_string(v); }

void append_counts(std::vector<std::string>& row, const DirectionCounts& d) {
  for (const std::uint64_t v :
       {d.flows_allowed, d.flows_dropped, d.packets_allowed, d.packets_dropped, d.bytes_allowed, d.bytes_dropped}) {
    row.push_back(text(v));
  }
}

void append_direction(std::vector<std::string>& row, const FlowCollector& flows, const FlowDirectionRecord& d) {
  row.emplace_back(to_string(d.verdict));
  row.emplace_back(d.first_drop ? to_string(d.first_drop->hop) : "");
  row.emplace_back(d.first_drop ? to_string(d.first_drop->reason) : "");
  row.push_back(d.first_drop ? flows.text(d.first_drop->location) : "");
  row.push_back(d.first_drop ? flows.text(d.first_drop->rule) : "");
  for (const std::uint64_t v : {d.packets_delivered, d.packets_dropped, d.bytes_delivered, d.bytes_dropped}) {
    row.push_back(text(v));
  }
}

std::unexpected<Error> file_error(const std::filesystem::path& file, const std::string& what) {
  Error e;
  e.file = file.string();
  e.message = what;
  return std::unexpected(std::move(e));
}

std::expected<void, Error> write_json(const std::filesystem::path& file, const google::protobuf::Message& m) {
  google::protobuf::util::JsonPrintOptions opts;
  opts.add_whitespace = true;
  opts.preserve_proto_field_names = true;
  // Zero counts stay visible: a rule that never matched shows "packets": "0".
  opts.always_print_primitive_fields = true;
  std::string json;
  if (const auto status = google::protobuf::util::MessageToJsonString(m, &json, opts); !status.ok()) {
    return file_error(file, "cannot convert to JSON: " + std::string(status.message()));
  }
  return write_file_atomically(file, json);
}

}  // namespace

pb::TrafficCounts to_proto(const TrafficCounts& c) {
  pb::TrafficCounts out;
  out.set_flows_started(c.flows_started);
  out.set_flows_worked(c.flows_worked);
  out.set_flows_request_dropped(c.flows_request_dropped);
  out.set_flows_reply_dropped(c.flows_reply_dropped);
  *out.mutable_request() = to_proto(c.request);
  *out.mutable_reply() = to_proto(c.reply);
  pb::HopDrops* drops = out.mutable_drops_by_hop();
  drops->set_sg_egress(c.drops_at(Hop::kSgEgress));
  drops->set_nacl_egress(c.drops_at(Hop::kNaclEgress));
  drops->set_nacl_ingress(c.drops_at(Hop::kNaclIngress));
  drops->set_sg_ingress(c.drops_at(Hop::kSgIngress));
  drops->set_route(c.drops_at(Hop::kRoute));
  return out;
}

pb::TimeSeries to_proto(const TimeSeriesCollector& ts) {
  pb::TimeSeries out;
  out.set_bucket_width_ns(ns(ts.bucket_width()));
  for (const TimeBucket& b : ts.buckets()) {
    pb::TimeSeriesBucket* bucket = out.add_buckets();
    bucket->set_start_ns(ns(b.start));
    *bucket->mutable_counts() = to_proto(b.counts);
  }
  return out;
}

pb::RuleHit to_proto(const RuleHit& h) {
  pb::RuleHit out;
  out.set_kind(to_proto(h.kind));
  out.set_group(h.group);
  out.set_direction(h.direction == Direction::kIngress ? pb::INGRESS : pb::EGRESS);
  out.set_rule_number(h.rule_number);
  out.set_rule_id(h.rule_id);
  out.set_rule(h.rule);
  out.set_packets(h.packets);
  out.set_bytes(h.bytes);
  out.set_removed(h.removed);
  return out;
}

std::string flow_name(const Scenario& scenario, const FlowRecord& r) {
  if (r.generated) return r.source < scenario.generators.size() ? scenario.generators[r.source].name : "";
  return r.source < scenario.flows.size() ? scenario.flows[r.source].name : "";
}

pb::FlowRecord to_proto(const Scenario& scenario, const FlowCollector& flows, const FlowRecord& r) {
  pb::FlowRecord out;
  out.set_id(r.id);
  out.set_name(flow_name(scenario, r));
  out.set_generated(r.generated);
  out.set_from(endpoint_label(scenario.network, r.client));
  out.set_to(endpoint_label(scenario.network, r.server));
  out.set_packet(r.first_packet.to_string());
  out.set_start_ns(ns(r.start));
  out.set_end_ns(ns(r.end));
  *out.mutable_request() = to_proto(flows, r.request);
  *out.mutable_reply() = to_proto(flows, r.reply);
  out.set_works(r.works);
  return out;
}

namespace {

// The run's identity and totals: summary.json, and the head of result.json.
pb::SimulationResult summary_message(const SimulationOutputs& out) {
  pb::SimulationResult m;
  m.set_scenario(out.scenario->name);
  m.set_model(io::to_proto(out.model));
  m.set_fidelity(out.fidelity);
  m.set_seed(out.seed);
  m.set_horizon_ns(ns(out.horizon));
  m.set_end_ns(ns(out.summary->last_activity()));
  *m.mutable_summary() = io::to_proto(out.summary->totals());
  if (out.rule_hits) m.set_rules_never_matched(out.rule_hits->never_matched().size());
  return m;
}

}  // namespace

pb::SimulationResult to_simulation_result(const SimulationOutputs& out, bool include_flows) {
  pb::SimulationResult m = summary_message(out);
  if (out.time_series) *m.mutable_time_series() = to_proto(*out.time_series);
  if (out.rule_hits) {
    for (const RuleHit& h : out.rule_hits->hits()) *m.add_rule_hits() = to_proto(h);
  }
  if (include_flows && out.flows) {
    for (const FlowRecord& r : out.flows->flows()) *m.add_flows() = to_proto(*out.scenario, *out.flows, r);
  }
  return m;
}

std::string time_series_csv(const TimeSeriesCollector& ts) {
  std::vector<std::string> header = {
      "start_s", "end_s", "flows_started", "flows_worked", "flows_request_dropped", "flows_reply_dropped"};
  for (const std::string_view dir : {"request", "reply"}) {
    for (const std::string_view c :
         {"flows_allowed", "flows_dropped", "packets_allowed", "packets_dropped", "bytes_allowed", "bytes_dropped"}) {
      header.push_back(std::string(dir) + "_" + std::string(c));
    }
  }
  for (const Hop h : kHops) {
    std::string name = "drops_" + std::string(to_string(h));
    std::ranges::replace(name, '-', '_');
    header.push_back(std::move(name));
  }
  std::string out;
  append_csv_row(out, header);
  std::vector<std::string> row;
  for (const TimeBucket& b : ts.buckets()) {
    const TrafficCounts& c = b.counts;
    row = {seconds_text(b.start),         seconds_text(b.start + ts.bucket_width()),
           text(c.flows_started),         text(c.flows_worked),
           text(c.flows_request_dropped), text(c.flows_reply_dropped)};
    append_counts(row, c.request);
    append_counts(row, c.reply);
    for (const Hop h : kHops) row.push_back(text(c.drops_at(h)));
    append_csv_row(out, row);
  }
  return out;
}

std::string rule_hits_csv(const RuleHitCollector& hits) {
  std::string out;
  append_csv_row(
      out, std::array{"kind", "group", "direction", "rule_number", "rule_id", "rule", "packets", "bytes", "removed"});
  for (const RuleHit& h : hits.hits()) {
    const std::string number = h.kind == RuleHit::Kind::kNaclImplicitDeny ? "*"
                               : h.rule_number > 0                        ? std::to_string(h.rule_number)
                                                                          : "";
    append_csv_row(
        out, std::array{std::string(to_string(h.kind)), h.group, std::string(to_string(h.direction)), number, h.rule_id,
                        h.rule, text(h.packets), text(h.bytes), std::string(h.removed ? "true" : "false")});
  }
  return out;
}

std::string flows_csv(const Scenario& scenario, const FlowCollector& flows) {
  std::vector<std::string> header = {"id", "name", "generated", "from", "to", "packet", "start_s", "end_s"};
  for (const std::string_view dir : {"request", "reply"}) {
    for (const std::string_view c : {"", "_dropped_at", "_drop_reason", "_drop_location", "_drop_rule",
                                     "_packets_delivered", "_packets_dropped", "_bytes_delivered", "_bytes_dropped"}) {
      header.push_back(std::string(dir) + std::string(c));
    }
  }
  header.emplace_back("works");
  std::string out;
  append_csv_row(out, header);
  std::vector<std::string> row;
  for (const FlowRecord& r : flows.flows()) {
    row = {text(r.id),
           flow_name(scenario, r),
           r.generated ? "true" : "false",
           endpoint_label(scenario.network, r.client),
           endpoint_label(scenario.network, r.server),
           r.first_packet.to_string(),
           seconds_text(r.start),
           seconds_text(r.end)};
    append_direction(row, flows, r.request);
    append_direction(row, flows, r.reply);
    row.emplace_back(r.works ? "true" : "false");
    append_csv_row(out, row);
  }
  return out;
}

std::expected<void, Error> write_file_atomically(const std::filesystem::path& file, std::string_view content) {
  const std::filesystem::path tmp = file.string() + ".tmp." + std::to_string(::getpid());
  const auto fail = [&](const std::string& what, int err) {
    ::unlink(tmp.c_str());
    return file_error(file, what + ": " + std::strerror(err));
  };
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return file_error(file, "cannot create " + tmp.string() + ": " + std::strerror(errno));
  while (!content.empty()) {
    const ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      return fail("cannot write", err);
    }
    content.remove_prefix(static_cast<std::size_t>(n));
  }
  // On disk before the rename, so that a crash leaves the old file or the whole new one.
  if (::fsync(fd) != 0) {
    const int err = errno;
    ::close(fd);
    return fail("cannot write", err);
  }
  if (::close(fd) != 0) return fail("cannot write", errno);
  std::error_code ec;
  std::filesystem::rename(tmp, file, ec);
  if (ec) return fail("cannot rename " + tmp.string(), ec.value());
  return {};
}

std::expected<void, Error> write_results(const std::filesystem::path& dir, const SimulationOutputs& out,
                                         bool include_flows) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return file_error(dir, "cannot create the directory: " + ec.message());
  if (auto r = write_json(dir / "summary.json", summary_message(out)); !r) return r;
  if (out.time_series) {
    if (auto r = write_file_atomically(dir / "timeseries.csv", time_series_csv(*out.time_series)); !r) return r;
  }
  if (out.rule_hits) {
    if (auto r = write_file_atomically(dir / "rule_hits.csv", rule_hits_csv(*out.rule_hits)); !r) return r;
  }
  if (include_flows && out.flows) {
    if (auto r = write_file_atomically(dir / "flows.csv", flows_csv(*out.scenario, *out.flows)); !r) return r;
  }
  const pb::SimulationResult result = to_simulation_result(out, include_flows);
  if (auto r = write_json(dir / "result.json", result); !r) return r;
  std::string binary;
  if (!result.SerializeToString(&binary)) return file_error(dir / "result.pb", "cannot serialise the result");
  return write_file_atomically(dir / "result.pb", binary);
}

}  // namespace vpcsim::io
