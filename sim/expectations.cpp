#include "sim/expectations.h"

namespace vpcsim {

bool applies(const Expectation& e, FilteringModel model) { return !e.model || *e.model == model; }

ExpectedVerdict request_verdict(const Exchange& x) {
  return x.request_delivered() ? ExpectedVerdict::kAllowed : ExpectedVerdict::kDropped;
}

ExpectedVerdict reply_verdict(const Exchange& x) {
  if (!x.reply) return ExpectedVerdict::kNotSent;
  return x.reply->delivered() ? ExpectedVerdict::kAllowed : ExpectedVerdict::kDropped;
}

namespace {

ObservedDirection observe(ExpectedVerdict v, const PathTrace* t) {
  ObservedDirection o{v, std::nullopt};
  if (t && t->drop()) o.dropped_at = t->drop()->hop;
  return o;
}

void check_direction(const char* what, const std::optional<ExpectedVerdict>& want, const std::optional<Hop>& want_hop,
                     const ObservedDirection& got, std::vector<std::string>& out) {
  const bool verdict_ok = !want || *want == got.verdict;
  const bool hop_ok = !want_hop || got.dropped_at == want_hop;
  if (verdict_ok && hop_ok) return;
  std::string expected = want ? std::string(to_string(*want)) : std::string(to_string(ExpectedVerdict::kDropped));
  if (want_hop) expected += " at " + std::string(to_string(*want_hop));
  std::string observed(to_string(got.verdict));
  if (got.verdict == ExpectedVerdict::kDropped && got.dropped_at) observed += " at " + std::string(to_string(*got.dropped_at));
  out.push_back(std::string(what) + ": expected " + expected + ", got " + observed);
}

}  // namespace

std::vector<std::string> check_expectation(const Expectation& e, const ObservedDirection& request,
                                           const ObservedDirection& reply) {
  std::vector<std::string> out;
  check_direction("request", e.request, e.request_dropped_at, request, out);
  check_direction("reply", e.reply, e.reply_dropped_at, reply, out);
  return out;
}

std::vector<std::string> check_expectation(const Expectation& e, const Exchange& x) {
  return check_expectation(e, observe(request_verdict(x), &x.request),
                           observe(reply_verdict(x), x.reply ? &*x.reply : nullptr));
}

}  // namespace vpcsim
