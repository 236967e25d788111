#include "sim/results/flow_collector.h"

#include "model/explain.h"

namespace vpcsim {

FlowCollector::FlowCollector(const Network& net) : net_(net) { texts_.emplace_back(); }

std::uint32_t FlowCollector::intern(std::string text) {
  if (text.empty()) return 0;
  const auto [it, added] = text_index_.try_emplace(std::move(text), static_cast<std::uint32_t>(texts_.size()));
  if (added) texts_.push_back(it->first);
  return it->second;
}

FlowDirectionRecord FlowCollector::record(const DirectionResult& d) {
  FlowDirectionRecord out;
  out.verdict = verdict(d);
  if (d.first_drop) {
    // The location names interfaces, subnets and ACLs by id, which changes leave in place;
    // the rule comes from DirectionResult, which the engine freezes before a change.
    out.first_drop = DropRecord{d.first_drop->hop, d.first_drop->reason, intern(describe_location(net_, *d.first_drop)),
                                intern(d.drop_rule(net_))};
  }
  out.packets_delivered = d.packets_delivered;
  out.packets_dropped = d.packets_dropped;
  out.bytes_delivered = d.bytes_delivered;
  out.bytes_dropped = d.bytes_dropped;
  return out;
}

void FlowCollector::on_flow(const FlowResult& f) {
  if (!f.flow) return;
  FlowRecord r;
  r.id = f.flow->id;
  r.source = f.flow->source;
  r.generated = f.flow->generated;
  r.client = f.flow->client;
  r.server = f.flow->server;
  r.first_packet = f.request.sent ? f.request.first_packet : f.flow->request;
  r.start = f.flow->start;
  r.end = f.end;
  r.request = record(f.request);
  r.reply = record(f.reply);
  r.works = f.works();
  flows_.push_back(std::move(r));
}

}  // namespace vpcsim
