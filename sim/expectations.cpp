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

std::string describe(ExpectedVerdict v, const PathTrace* t) {
  std::string s(to_string(v));
  if (v == ExpectedVerdict::kDropped && t && t->drop()) s += " at " + std::string(to_string(t->drop()->hop));
  return s;
}

void check_direction(const char* what, const std::optional<ExpectedVerdict>& want, const std::optional<Hop>& want_hop,
                     ExpectedVerdict got, const PathTrace* trace, std::vector<std::string>& out) {
  const bool verdict_ok = !want || *want == got;
  const HopResult* drop = trace ? trace->drop() : nullptr;
  const bool hop_ok = !want_hop || (drop && drop->hop == *want_hop);
  if (verdict_ok && hop_ok) return;
  std::string expected = want ? std::string(to_string(*want)) : std::string(to_string(ExpectedVerdict::kDropped));
  if (want_hop) expected += " at " + std::string(to_string(*want_hop));
  out.push_back(std::string(what) + ": expected " + expected + ", got " + describe(got, trace));
}

}  // namespace

std::vector<std::string> check_expectation(const Expectation& e, const Exchange& x) {
  std::vector<std::string> out;
  check_direction("request", e.request, e.request_dropped_at, request_verdict(x), &x.request, out);
  check_direction("reply", e.reply, e.reply_dropped_at, reply_verdict(x), x.reply ? &*x.reply : nullptr, out);
  return out;
}

}  // namespace vpcsim
