#include "sim/server/event_encoder.h"

#include "io/result_proto.h"
#include "model/security_group.h"
#include "sim/results/traffic_counts.h"

namespace vpcsim::server {

namespace {

vpcsim::pb::Verdict to_proto(DirectionVerdict v) {
  switch (v) {
    case DirectionVerdict::kAllowed:
      return vpcsim::pb::ALLOWED;
    case DirectionVerdict::kDropped:
      return vpcsim::pb::DROPPED;
    case DirectionVerdict::kNotSent:
      return vpcsim::pb::NOT_SENT;
  }
  return vpcsim::pb::VERDICT_UNSPECIFIED;
}

StateKind to_proto(StateRecord::Kind k) {
  switch (k) {
    case StateRecord::Kind::kConnectionTracked:
      return CONNECTION_TRACKED;
    case StateRecord::Kind::kConnectionExpired:
      return CONNECTION_EXPIRED;
    case StateRecord::Kind::kRuleChange:
      return RULE_CHANGE;
    case StateRecord::Kind::kRuleChangeFailed:
      return RULE_CHANGE_FAILED;
  }
  return STATE_KIND_UNSPECIFIED;
}

void encode_direction(const Network& net, const DirectionResult& d, FlowDirection& out) {
  out.set_verdict(to_proto(verdict(d)));
  if (d.first_drop) {
    out.set_dropped_at(io::to_proto(d.first_drop->hop));
    out.set_drop(d.explain_drop(net));
  }
  out.set_packets_delivered(d.packets_delivered);
  out.set_packets_dropped(d.packets_dropped);
}

}  // namespace

std::string flow_name(const Scenario& scenario, const Flow& f) {
  if (f.generated) return f.source < scenario.generators.size() ? scenario.generators[f.source].name : "";
  return f.source < scenario.flows.size() ? scenario.flows[f.source].name : "";
}

PacketEvent encode_packet(const Scenario& scenario, const Network& net, const PacketRecord& r) {
  PacketEvent out;
  out.set_time_ns(r.time.count());
  if (r.flow != nullptr) {
    out.set_flow_id(r.flow->id);
    out.set_flow_name(flow_name(scenario, *r.flow));
  }
  out.set_reply(r.reply);
  out.set_label(std::string(r.label));
  out.set_packets(r.packets);
  out.set_bytes(r.bytes);
  if (r.trace != nullptr) *out.mutable_result() = io::to_proto(net, *r.trace);
  return out;
}

StateEvent encode_state(const Network& net, const StateRecord& r) {
  StateEvent out;
  out.set_time_ns(r.time.count());
  out.set_kind(to_proto(r.kind));
  if (r.kind == StateRecord::Kind::kConnectionTracked || r.kind == StateRecord::Kind::kConnectionExpired) {
    if (r.eni && r.eni->value < net.enis.size()) out.set_interface(net.eni_label(*r.eni));
    out.set_connection(r.connection.to_string());
    out.set_direction(std::string(to_string(r.initiated)));
  }
  out.set_description(r.description);
  return out;
}

FlowEvent encode_flow(const Scenario& scenario, const Network& net, const FlowResult& r) {
  FlowEvent out;
  if (r.flow != nullptr) {
    const Flow& f = *r.flow;
    out.set_flow_id(f.id);
    out.set_name(flow_name(scenario, f));
    out.set_generated(f.generated);
    out.set_from(endpoint_label(net, f.client));
    out.set_to(endpoint_label(net, f.server));
    out.set_packet(f.request.to_string());
    out.set_start_ns(f.start.count());
  }
  out.set_end_ns(r.end.count());
  encode_direction(net, r.request, *out.mutable_request());
  encode_direction(net, r.reply, *out.mutable_reply());
  out.set_works(r.works());
  return out;
}

}  // namespace vpcsim::server
