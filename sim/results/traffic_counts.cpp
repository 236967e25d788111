#include "sim/results/traffic_counts.h"

namespace vpcsim {

std::string_view to_string(DirectionVerdict v) {
  switch (v) {
    case DirectionVerdict::kAllowed:
      return "allowed";
    case DirectionVerdict::kDropped:
      return "dropped";
    case DirectionVerdict::kNotSent:
      return "not-sent";
  }
  return "?";
}

DirectionVerdict verdict(const DirectionResult& d) {
  if (d.packets_dropped > 0) return DirectionVerdict::kDropped;
  return d.sent ? DirectionVerdict::kAllowed : DirectionVerdict::kNotSent;
}

bool request_dropped(const FlowResult& f) { return f.request.packets_dropped > 0; }

bool reply_dropped(const FlowResult& f) { return f.request.all_delivered() && f.reply.packets_dropped > 0; }

void TrafficCounts::add_packet(const PacketRecord& r) {
  if (!r.trace) return;  // a record without a path carries no verdict
  DirectionCounts& d = r.reply ? reply : request;
  if (const HopResult* drop = r.trace->drop()) {
    d.packets_dropped += r.packets;
    d.bytes_dropped += r.bytes;
    drops_by_hop[static_cast<std::size_t>(drop->hop)] += r.packets;
  } else {
    d.packets_allowed += r.packets;
    d.bytes_allowed += r.bytes;
  }
}

namespace {

void count_verdict(DirectionCounts& d, const DirectionResult& result) {
  switch (verdict(result)) {
    case DirectionVerdict::kAllowed:
      ++d.flows_allowed;
      break;
    case DirectionVerdict::kDropped:
      ++d.flows_dropped;
      break;
    case DirectionVerdict::kNotSent:
      break;
  }
}

}  // namespace

void TrafficCounts::add_flow(const FlowResult& f) {
  ++flows_started;
  if (f.works()) ++flows_worked;
  if (request_dropped(f)) ++flows_request_dropped;
  if (reply_dropped(f)) ++flows_reply_dropped;
  count_verdict(request, f.request);
  count_verdict(reply, f.reply);
}

}  // namespace vpcsim
