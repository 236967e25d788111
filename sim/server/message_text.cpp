#include "sim/server/message_text.h"

#include <fmt/format.h>
#include <google/protobuf/util/json_util.h>

#include "model/sim_time.h"

namespace vpcsim::server {

namespace {

std::string t(std::int64_t ns) { return format_time(SimTime(ns)); }

std::string lower(std::string s) {
  for (char& c : s) c = (c == '_') ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string verdict_text(const vpcsim::pb::PacketResult& r) {
  if (r.verdict() == vpcsim::pb::DROPPED) return "DROPPED at " + lower(vpcsim::pb::Hop_Name(r.dropped_at()));
  return lower(vpcsim::pb::Verdict_Name(r.verdict()));
}

std::string direction_text(const char* name, const FlowDirection& d) {
  std::string out = fmt::format("{} {}", name, lower(vpcsim::pb::Verdict_Name(d.verdict())));
  if (d.verdict() == vpcsim::pb::DROPPED)
    out += fmt::format(" at {} ({})", lower(vpcsim::pb::Hop_Name(d.dropped_at())), d.drop());
  return out;
}

std::string body(const ServerMessage& m) {
  switch (m.kind_case()) {
    case ServerMessage::kWelcome: {
      const Welcome& w = m.welcome();
      return fmt::format("welcome {} (vpcsim {}, protocol {}): {}", lower(Role_Name(w.role())), w.server_version(),
                         w.protocol_version(), w.message());
    }
    case ServerMessage::kReply: {
      const Reply& r = m.reply();
      return fmt::format("reply {} {}{}{}", r.request_id(), ErrorCode_Name(r.code()), r.message().empty() ? "" : ": ",
                         r.message());
    }
    case ServerMessage::kError:
      return fmt::format("error {}: {}", ErrorCode_Name(m.error().code()), m.error().message());
    case ServerMessage::kStatus: {
      const Status& s = m.status();
      return fmt::format("status {} {} generation {} at {}{} speed {} events {} flows {} ({})",
                         lower(RunState_Name(s.state())), s.scenario().empty() ? "-" : s.scenario(), s.generation(),
                         t(s.sim_time_ns()), s.horizon_ns() > 0 ? " of " + t(s.horizon_ns()) : "",
                         s.as_fast_as_possible() ? "max" : fmt::format("{:g}x", s.speed()), s.events_processed(),
                         s.flows_started(), s.reason());
    }
    case ServerMessage::kPacket: {
      const PacketEvent& p = m.packet();
      // Flow fidelity labels a record "request" or "reply": said once.
      const std::string direction = p.reply() ? "reply" : "request";
      const std::string label = p.label() == direction ? direction : direction + " " + p.label();
      return fmt::format("packet {} flow {} {} {} {} {}", t(p.time_ns()), p.flow_id(),
                         p.flow_name().empty() ? "-" : p.flow_name(), label, p.result().packet(),
                         verdict_text(p.result()));
    }
    case ServerMessage::kState: {
      const StateEvent& s = m.state();
      if (s.kind() == RULE_CHANGE || s.kind() == RULE_CHANGE_FAILED) {
        return fmt::format("state {} {}: {}", t(s.time_ns()), lower(StateKind_Name(s.kind())), s.description());
      }
      return fmt::format("state {} {} at {}: {} ({})", t(s.time_ns()), lower(StateKind_Name(s.kind())), s.interface(),
                         s.connection(), s.direction());
    }
    case ServerMessage::kFlow: {
      const FlowEvent& f = m.flow();
      return fmt::format("flow {} {} {} -> {} {}: {}, {}", f.flow_id(), f.name().empty() ? "-" : f.name(), f.from(),
                         f.to(), f.works() ? "works" : "fails", direction_text("request", f.request()),
                         direction_text("reply", f.reply()));
    }
    case ServerMessage::kTimeSeries: {
      const TimeSeriesUpdate& u = m.time_series();
      if (u.buckets_size() == 0) return "time-series (no buckets)";
      return fmt::format("time-series {} buckets of {} from {}", u.buckets_size(), t(u.bucket_width_ns()),
                         t(u.buckets(0).start_ns()));
    }
    case ServerMessage::kResult: {
      const auto& r = m.result().result();
      const auto& s = r.summary();
      return fmt::format(
          "result {} generation {}: {} flows, {} worked, {} requests dropped, {} replies dropped; "
          "packets request {} allowed / {} dropped, reply {} allowed / {} dropped",
          r.scenario(), m.result().generation(), s.flows_started(), s.flows_worked(), s.flows_request_dropped(),
          s.flows_reply_dropped(), s.request().packets_allowed(), s.request().packets_dropped(),
          s.reply().packets_allowed(), s.reply().packets_dropped());
    }
    case ServerMessage::KIND_NOT_SET:
      break;
  }
  return "(empty message)";
}

}  // namespace

std::string to_text(const ServerMessage& m) { return m.seq() == 0 ? body(m) : fmt::format("#{} {}", m.seq(), body(m)); }

std::string to_json_line(const ServerMessage& m) {
  google::protobuf::util::JsonPrintOptions o;
  o.preserve_proto_field_names = true;
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(m, &out, o);
  return out;
}

}  // namespace vpcsim::server
