#include "sim/cli/report_output.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <google/protobuf/util/json_util.h>

#include "io/csv.h"
#include "io/result_proto.h"
#include "model/explain.h"
#include "sim/expectations.h"

namespace vpcsim::cli {

namespace {

void print_json(std::ostream& out, const google::protobuf::Message& m) {
  google::protobuf::util::JsonPrintOptions opts;
  opts.add_whitespace = true;
  opts.preserve_proto_field_names = true;
  std::string json;
  // Serialising a message we built ourselves cannot fail.
  (void)google::protobuf::util::MessageToJsonString(m, &json, opts);
  out << json;
}

std::string flow_heading(const Network& net, const FlowSpec& f, const Packet& p) {
  std::string what = Protocol::number(p.protocol).to_string();
  if (p.has_ports()) what += "/" + std::to_string(p.dst_port);
  if (p.is_icmp()) what += " type " + std::to_string(p.icmp_type);
  return fmt::format("{}: {} -> {}, {}", f.name, endpoint_label(net, f.client), endpoint_label(net, f.server), what);
}

// "allowed (sg-ingress: sg-web ingress #1: tcp 22 from ...)" or "DROPPED at sg-egress of web (eni-web): ...".
std::string direction_summary(const Network& net, const PathTrace* t) {
  if (!t) return "not sent (the request was dropped)";
  if (const HopResult* d = t->drop()) {
    return fmt::format("DROPPED at {} of {}: {}", to_string(d->hop), describe_location(net, *d), explain_hop(net, *d, t->packet));
  }
  const HopResult& shown = *t->deciding_hop();  // a delivered exchange crossed at least one hop
  return fmt::format("allowed ({}: {})", to_string(shown.hop), explain_hop(net, shown, t->packet));
}

void print_run_table(std::ostream& out, const Scenario& s, const RunReport& r) {
  fmt::print(out, "Scenario {} under the {} model\n\n", s.name, to_string(r.model));
  for (const FlowOutcome& o : r.flows) {
    const Exchange& x = o.exchange;
    fmt::print(out, "{}\n", flow_heading(s.network, *o.flow, x.request.packet));
    fmt::print(out, "  request  {}\n", direction_summary(s.network, &x.request));
    fmt::print(out, "  reply    {}\n", direction_summary(s.network, x.reply ? &*x.reply : nullptr));
    if (o.expectations_checked > 0) {
      if (o.failures.empty()) fmt::print(out, "  expect   ok\n");
      for (const std::string& f : o.failures) fmt::print(out, "  expect   FAILED: {}\n", f);
    }
    out << '\n';
  }
  fmt::print(out, "{} flows: {} work both ways, {} requests dropped, {} replies dropped\n", r.flows.size(), r.working(),
             r.requests_dropped(), r.replies_dropped());
  fmt::print(out, "expectations: {} checked, {} failed\n", r.expectations_checked(), r.expectations_failed());
}

std::string hop_cell(const PathTrace* t) {
  if (!t) return "not-sent";
  return t->delivered() ? "allowed" : "dropped";
}

void print_run_csv(std::ostream& out, const Scenario& s, const RunReport& r) {
  out << "flow,from,to,packet,request,request_dropped_at,request_rule,reply,reply_dropped_at,reply_rule,works,"
         "expectation_failures\n";
  for (const FlowOutcome& o : r.flows) {
    const Exchange& x = o.exchange;
    const PathTrace* reply = x.reply ? &*x.reply : nullptr;
    const auto drop_hop = [](const PathTrace* t) { return t && t->drop() ? std::string(to_string(t->drop()->hop)) : ""; };
    // The rule that decided: the dropping hop's, or the last hop's for a delivered packet.
    const auto rule = [&](const PathTrace* t) {
      if (!t || t->hops.empty()) return std::string();
      const HopResult& h = t->drop() ? *t->drop() : t->hops.back();
      return describe_rule(s.network, h);
    };
    std::string failures;
    for (const std::string& f : o.failures) failures += (failures.empty() ? "" : "; ") + f;
    const std::string row[] = {o.flow->name,
                               endpoint_label(s.network, o.flow->client),
                               endpoint_label(s.network, o.flow->server),
                               x.request.packet.to_string(),
                               hop_cell(&x.request),
                               drop_hop(&x.request),
                               rule(&x.request),
                               hop_cell(reply),
                               drop_hop(reply),
                               rule(reply),
                               x.works() ? "true" : "false",
                               failures};
    std::string line;
    io::append_csv_row(line, row);
    out << line;
  }
}

void print_trace_table(std::ostream& out, const Network& net, const char* what, const PathTrace* t) {
  if (!t) {
    fmt::print(out, "{:<8} not sent: the request was dropped, so nothing replies\n", what);
    return;
  }
  fmt::print(out, "{:<8} {}\n", what, t->packet.to_string());
  int n = 0;
  for (const HopResult& h : t->hops) {
    fmt::print(out, "  {} {:<12} {:<34} {:<8} {}\n", ++n, to_string(h.hop), describe_location(net, h),
               h.dropped() ? "DROPPED" : to_string(h.outcome), explain_hop(net, h, t->packet));
  }
  fmt::print(out, "  => {}\n", t->delivered() ? "delivered" : "dropped");
}

}  // namespace

void print_run(std::ostream& out, const Scenario& s, const RunReport& r, OutputFormat f) {
  switch (f) {
    case OutputFormat::kTable: return print_run_table(out, s, r);
    case OutputFormat::kCsv: return print_run_csv(out, s, r);
    case OutputFormat::kJson: print_json(out, io::to_proto(s, r)); return;
  }
}

void print_trace(std::ostream& out, const Scenario& s, const FlowOutcome& o, FilteringModel model, OutputFormat f) {
  if (f != OutputFormat::kTable) {
    RunReport one{model, {o}};
    return print_run(out, s, one, f);
  }
  const Exchange& x = o.exchange;
  fmt::print(out, "{} under the {} model\n", flow_heading(s.network, *o.flow, x.request.packet), to_string(model));
  print_trace_table(out, s.network, "request", &x.request);
  print_trace_table(out, s.network, "reply", x.reply ? &*x.reply : nullptr);
  fmt::print(out, "result: {}\n", x.works()      ? "the connection works both ways"
                                  : !x.reply      ? "the request is dropped"
                                                  : "the request arrives but the reply is dropped");
  for (const std::string& failure : o.failures) fmt::print(out, "expectation FAILED: {}\n", failure);
}

}  // namespace vpcsim::cli
