#include "io/result_proto.h"

#include "model/explain.h"
#include "sim/expectations.h"

namespace vpcsim::io {

pb::FilteringModel to_proto(FilteringModel m) {
  return m == FilteringModel::kStateless ? pb::STATELESS : pb::STATEFUL;
}

pb::Hop to_proto(Hop h) {
  switch (h) {
    case Hop::kSgEgress: return pb::SG_EGRESS;
    case Hop::kNaclEgress: return pb::NACL_EGRESS;
    case Hop::kNaclIngress: return pb::NACL_INGRESS;
    case Hop::kSgIngress: return pb::SG_INGRESS;
    case Hop::kRoute: return pb::ROUTE;
  }
  return pb::HOP_UNSPECIFIED;
}

pb::Verdict to_proto(ExpectedVerdict v) {
  switch (v) {
    case ExpectedVerdict::kAllowed: return pb::ALLOWED;
    case ExpectedVerdict::kDropped: return pb::DROPPED;
    case ExpectedVerdict::kNotSent: return pb::NOT_SENT;
  }
  return pb::VERDICT_UNSPECIFIED;
}

pb::PacketResult to_proto(const Network& net, const PathTrace& trace) {
  pb::PacketResult out;
  out.set_packet(trace.packet.to_string());
  out.set_verdict(trace.delivered() ? pb::ALLOWED : pb::DROPPED);
  if (const HopResult* drop = trace.drop()) out.set_dropped_at(to_proto(drop->hop));
  for (const HopResult& h : trace.hops) {
    pb::HopResult* hop = out.add_hops();
    hop->set_hop(to_proto(h.hop));
    hop->set_outcome(std::string(to_string(h.outcome)));
    hop->set_reason(std::string(to_string(h.reason)));
    hop->set_location(describe_location(net, h));
    hop->set_rule(describe_rule(net, h));
    hop->set_explanation(explain_hop(net, h, trace.packet));
  }
  return out;
}

pb::FlowResult to_proto(const Network& net, const FlowOutcome& outcome) {
  pb::FlowResult out;
  out.set_name(outcome.flow->name);
  out.set_from(endpoint_label(net, outcome.flow->client));
  out.set_to(endpoint_label(net, outcome.flow->server));
  *out.mutable_request() = to_proto(net, outcome.exchange.request);
  if (outcome.exchange.reply) {
    *out.mutable_reply() = to_proto(net, *outcome.exchange.reply);
  } else {
    out.mutable_reply()->set_verdict(pb::NOT_SENT);
  }
  out.set_works(outcome.exchange.works());
  for (const std::string& f : outcome.failures) out.add_failed_expectations(f);
  return out;
}

pb::RunResult to_proto(const Scenario& scenario, const RunReport& report) {
  pb::RunResult out;
  out.set_scenario(scenario.name);
  out.set_model(to_proto(report.model));
  for (const FlowOutcome& f : report.flows) *out.add_flows() = to_proto(scenario.network, f);
  out.set_flows_working(static_cast<std::uint32_t>(report.working()));
  out.set_requests_dropped(static_cast<std::uint32_t>(report.requests_dropped()));
  out.set_replies_dropped(static_cast<std::uint32_t>(report.replies_dropped()));
  out.set_expectations_checked(static_cast<std::uint32_t>(report.expectations_checked()));
  out.set_expectations_failed(static_cast<std::uint32_t>(report.expectations_failed()));
  return out;
}

}  // namespace vpcsim::io
