#include "sim/verdict_diff.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "model/endpoint.h"
#include "model/explain.h"

namespace vpcsim {

namespace {

std::string_view short_reason(Reason r) {
  switch (r) {
    case Reason::kRuleAllowed: return "allowed";
    case Reason::kRuleDenied: return "denied";
    case Reason::kNoRuleMatched: return "no rule matched";
    case Reason::kImplicitDeny: return "no entry matched (final * entry denies)";
    case Reason::kTracked: return "tracked connection";
    case Reason::kSameSubnet: return "same subnet (no network ACL crossed)";
    case Reason::kInternetGateway: return "routed through the internet gateway";
    case Reason::kNoInternetGateway: return "no internet gateway";
    case Reason::kNoInternetRoute: return "no route to the internet gateway";
    case Reason::kNoPublicAddress: return "no public address";
    case Reason::kNeverFiltered: return "not filtered (AWS never filters traffic to or from its services)";
  }
  return "";
}

std::size_t slot(Hop h) { return static_cast<std::size_t>(h); }

// Is the packet judged so far (`have`) to be replaced by `next`, a later packet of the same
// direction? The first drop wins over deliveries; otherwise the first packet stays.
bool replaces(const JudgedDirection& have, const PathTrace& next) {
  return !have.sent || (have.delivered && !next.delivered());
}

}  // namespace

std::string hop_cause(const Network& net, const HopResult& h) {
  std::string rule = describe_rule(net, h);
  std::string s = std::string(to_string(h.hop)) + " at " + describe_location(net, h) + ": ";
  if (h.reason == Reason::kNeverFiltered && h.service) {
    return s + "not filtered: " + std::string(describe(*h.service)) + " (AWS never filters it)";
  }
  if (rule.empty()) return s + std::string(short_reason(h.reason));
  if (h.reason == Reason::kRuleDenied) return s + "denied by " + rule;
  return s + rule;
}

JudgedDirection judge_trace(const Network& net, const PathTrace& trace) {
  JudgedDirection d;
  d.sent = true;
  d.delivered = trace.delivered();
  for (const HopResult& h : trace.hops) {
    d.cause[slot(h.hop)] = hop_cause(net, h);
    if (h.dropped()) d.drop_hop = h.hop;
  }
  return d;
}

void JudgedFlowCollector::on_packet(const PacketRecord& r) {
  if (r.flow == nullptr || r.trace == nullptr) return;
  JudgedFlow& f = open_[r.flow->id];
  JudgedDirection& d = r.reply ? f.reply : f.request;
  // Rule references are described now, against the rules in force when the packet crossed.
  if (replaces(d, *r.trace)) d = judge_trace(net_, *r.trace);
}

void JudgedFlowCollector::on_flow(const FlowResult& result) {
  const Flow& flow = *result.flow;
  auto node = open_.extract(flow.id);
  JudgedFlow f = node.empty() ? JudgedFlow{} : std::move(node.mapped());
  f.key = flow.id;
  f.label = endpoint_label(net_, flow.client) + " -> " + endpoint_label(net_, flow.server) + ": " +
            flow.request.to_string();
  done_.push_back(std::move(f));
}

std::vector<JudgedFlow> JudgedFlowCollector::take() {
  std::ranges::sort(done_, {}, &JudgedFlow::key);
  return std::move(done_);
}

std::string_view to_string(VerdictChange c) {
  return c == VerdictChange::kNewlyDropped ? "newly dropped" : "newly allowed";
}

void VerdictDiffBuilder::record(VerdictChange change, bool reply, const JudgedDirection& was,
                                const JudgedDirection& now, const std::string& label) {
  // Where the difference shows: the hop that drops it in the run that drops it.
  const Hop hop = change == VerdictChange::kNewlyDropped ? *now.drop_hop : *was.drop_hop;
  const std::string& rule = now.cause_at(hop);
  const std::string& previously = was.cause_at(hop);
  DiffGroup& g = groups_[GroupKey{change, reply, hop, rule, previously}];
  if (g.count == 0) {
    g.change = change;
    g.reply = reply;
    g.hop = hop;
    g.rule = rule;
    g.previously = previously;
  }
  ++g.count;
  if (g.examples.size() < examples_) g.examples.push_back(label);
  ++(change == VerdictChange::kNewlyDropped ? diff_.newly_dropped : diff_.newly_allowed);
}

// Compares one direction; true when it changed (and was recorded).
bool VerdictDiffBuilder::compare(bool reply, const JudgedDirection& was, const JudgedDirection& now,
                                 const std::string& label) {
  if (!was.sent || !now.sent || was.delivered == now.delivered) return false;
  record(now.delivered ? VerdictChange::kNewlyAllowed : VerdictChange::kNewlyDropped, reply, was, now, label);
  return true;
}

void VerdictDiffBuilder::add(const JudgedFlow& before, const JudgedFlow& after) {
  ++diff_.compared;
  bool changed = compare(false, before.request, after.request, after.label);
  if (!changed && before.request.delivered && after.request.delivered) {
    changed = compare(true, before.reply, after.reply, after.label);
  }
  if (!changed) ++diff_.unchanged;
}

VerdictDiff VerdictDiffBuilder::finish() {
  VerdictDiff diff = std::move(diff_);
  diff_ = {};
  for (auto& [key, g] : groups_) diff.groups.push_back(std::move(g));
  groups_.clear();
  std::ranges::stable_sort(diff.groups, [](const DiffGroup& x, const DiffGroup& y) {
    if (x.change != y.change) return x.change < y.change;
    return x.count > y.count;
  });
  return diff;
}

VerdictDiff diff_verdicts(std::span<const JudgedFlow> before, std::span<const JudgedFlow> after,
                          std::size_t examples_per_group) {
  VerdictDiffBuilder builder(examples_per_group);
  auto b = before.begin();
  auto a = after.begin();
  while (b != before.end() || a != after.end()) {
    if (a == after.end() || (b != before.end() && b->key < a->key)) {
      builder.add_only_before();
      ++b;
      continue;
    }
    if (b == before.end() || a->key < b->key) {
      builder.add_only_after();
      ++a;
      continue;
    }
    builder.add(*b, *a);
    ++a;
    ++b;
  }
  return builder.finish();
}

}  // namespace vpcsim
