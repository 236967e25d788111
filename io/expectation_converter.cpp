#include "io/expectation_converter.h"

#include <fmt/format.h>

namespace vpcsim::io {

namespace {

template <class PbEnum>
void report_unknown(PbEnum value, const std::string& path, std::string_view choices, Diagnostics& diag) {
  diag.error(path, fmt::format("unknown value {}: use {}", static_cast<int>(value), choices));
}

std::optional<ExpectedVerdict> convert_verdict(pb::Verdict v, const std::string& path, Diagnostics& diag) {
  switch (v) {
    case pb::VERDICT_UNSPECIFIED:
      return std::nullopt;
    case pb::ALLOWED:
      return ExpectedVerdict::kAllowed;
    case pb::DROPPED:
      return ExpectedVerdict::kDropped;
    case pb::NOT_SENT:
      return ExpectedVerdict::kNotSent;
    default:
      break;
  }
  report_unknown(v, path, "ALLOWED, DROPPED or NOT_SENT", diag);
  return std::nullopt;
}

std::optional<Hop> convert_hop(pb::Hop h, const std::string& path, Diagnostics& diag) {
  switch (h) {
    case pb::HOP_UNSPECIFIED:
      return std::nullopt;
    case pb::SG_EGRESS:
      return Hop::kSgEgress;
    case pb::NACL_EGRESS:
      return Hop::kNaclEgress;
    case pb::NACL_INGRESS:
      return Hop::kNaclIngress;
    case pb::SG_INGRESS:
      return Hop::kSgIngress;
    case pb::ROUTE:
      return Hop::kRoute;
    default:
      break;
  }
  report_unknown(h, path, "SG_EGRESS, NACL_EGRESS, NACL_INGRESS, SG_INGRESS or ROUTE", diag);
  return std::nullopt;
}

std::string verdict_name(ExpectedVerdict v) {
  switch (v) {
    case ExpectedVerdict::kAllowed:
      return "ALLOWED";
    case ExpectedVerdict::kDropped:
      return "DROPPED";
    case ExpectedVerdict::kNotSent:
      return "NOT_SENT";
  }
  return "?";
}

// A dropped_at names the hop that dropped the packet, so it implies DROPPED and contradicts
// anything else.
void imply_dropped(std::optional<ExpectedVerdict>& verdict, const std::optional<Hop>& dropped_at,
                   const std::string& path, std::string_view direction, Diagnostics& diag) {
  if (!dropped_at) return;
  if (!verdict) {
    verdict = ExpectedVerdict::kDropped;
  } else if (*verdict != ExpectedVerdict::kDropped) {
    diag.error(fmt::format("{}.{}_dropped_at", path, direction),
               fmt::format("{}_dropped_at says where the {} is dropped, but {} is {}: write {}: DROPPED or remove "
                           "{}_dropped_at",
                           direction, direction, direction, verdict_name(*verdict), direction, direction));
  }
}

}  // namespace

std::optional<FilteringModel> convert_model(pb::FilteringModel m, const std::string& path, Diagnostics& diag) {
  switch (m) {
    case pb::FILTERING_MODEL_UNSPECIFIED:
      return std::nullopt;
    case pb::STATELESS:
      return FilteringModel::kStateless;
    case pb::STATEFUL:
      return FilteringModel::kStateful;
    default:
      break;
  }
  report_unknown(m, path, "STATELESS or STATEFUL", diag);
  return std::nullopt;
}

std::optional<Expectation> convert_expectation(const pb::Expectation& e, const std::string& path, Diagnostics& diag) {
  const std::size_t errors_before = diag.count();
  Expectation x;
  x.field = path;
  x.model = convert_model(e.model(), path + ".model", diag);
  x.request = convert_verdict(e.request(), path + ".request", diag);
  x.reply = convert_verdict(e.reply(), path + ".reply", diag);
  x.request_dropped_at = convert_hop(e.request_dropped_at(), path + ".request_dropped_at", diag);
  x.reply_dropped_at = convert_hop(e.reply_dropped_at(), path + ".reply_dropped_at", diag);
  if (diag.count() != errors_before) return std::nullopt;

  if (!x.request && !x.reply && !x.request_dropped_at && !x.reply_dropped_at) {
    diag.error(path, "this expectation checks nothing: give request, reply, request_dropped_at or reply_dropped_at");
    return std::nullopt;
  }
  if (x.request == ExpectedVerdict::kNotSent) {
    diag.error(path + ".request",
               "a request is always sent: NOT_SENT is for a reply whose request was dropped; use "
               "ALLOWED or DROPPED");
  }
  imply_dropped(x.request, x.request_dropped_at, path, "request", diag);
  imply_dropped(x.reply, x.reply_dropped_at, path, "reply", diag);
  if (x.request == ExpectedVerdict::kDropped && x.reply && x.reply != ExpectedVerdict::kNotSent) {
    diag.error(path + ".reply", fmt::format("the request is dropped, so no reply is sent, but reply is {}: write "
                                            "reply: NOT_SENT or leave it out",
                                            verdict_name(*x.reply)));
  }
  if (x.request == ExpectedVerdict::kAllowed && x.reply == ExpectedVerdict::kNotSent) {
    diag.error(path + ".reply",
               "reply NOT_SENT means the request was dropped, but request is ALLOWED: a delivered "
               "request is answered (write reply: ALLOWED or DROPPED)");
  }
  if (diag.count() != errors_before) return std::nullopt;
  return x;
}

}  // namespace vpcsim::io
