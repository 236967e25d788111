// One compact record per finished flow, for per-flow output (flows.csv, the GUI's flow table).
// The only collector whose memory grows with the number of flows: use it only when per-flow
// output is asked for. Names and endpoint labels are left to the output (they follow from
// `source` and the endpoints); descriptions of drops are stored once in a shared text table,
// since many flows fail at the same rule.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/network.h"
#include "sim/observer.h"
#include "sim/results/traffic_counts.h"

namespace vpcsim {

// Where and why the first packet of a direction was dropped. Texts are indices into
// FlowCollector::text().
struct DropRecord {
  Hop hop = Hop::kSgEgress;
  Reason reason = Reason::kNoRuleMatched;
  std::uint32_t location = 0;  // "web (eni-web)", "acl-app of subnet-app"
  std::uint32_t rule = 0;      // the deciding rule; "" when none decided (no rule matched, routing)
};

struct FlowDirectionRecord {
  DirectionVerdict verdict = DirectionVerdict::kNotSent;
  std::optional<DropRecord> first_drop;
  std::uint64_t packets_delivered = 0;
  std::uint64_t packets_dropped = 0;
  std::uint64_t bytes_delivered = 0;
  std::uint64_t bytes_dropped = 0;
};

struct FlowRecord {
  std::uint64_t id = 0;
  std::uint32_t source = 0;  // Flow::source: the scenario flow or the generator
  bool generated = false;
  Endpoint client;
  Endpoint server;
  Packet first_packet;  // the request's first packet
  SimTime start{0};
  SimTime end{0};
  FlowDirectionRecord request;
  FlowDirectionRecord reply;
  bool works = false;
};

class FlowCollector : public Observer {
 public:
  // `net` is the network the engine evaluates packets against (Simulator::network()); it
  // must outlive the collector.
  explicit FlowCollector(const Network& net);

  void on_flow(const FlowResult& f) override;

  // In the order the flows finished.
  const std::vector<FlowRecord>& flows() const { return flows_; }
  // A stored description; text(0) is "".
  const std::string& text(std::uint32_t index) const { return texts_.at(index); }
  // How many texts are stored: they are only appended, so a reader in batches (the GUI) copies
  // those from its last count on.
  std::size_t text_count() const { return texts_.size(); }

 private:
  std::uint32_t intern(std::string text);
  FlowDirectionRecord record(const DirectionResult& d);

  const Network& net_;
  std::vector<FlowRecord> flows_;
  std::vector<std::string> texts_;
  std::unordered_map<std::string, std::uint32_t> text_index_;  // lookups only, never iterated
};

}  // namespace vpcsim
