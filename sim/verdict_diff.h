// What-if comparison: the same flows judged against two rule sets ("before" and "after"), and
// the flows whose verdict changed, grouped by the rule that made the difference. An engineer
// testing a rule change reads "newly dropped" as breakage risk and "newly allowed" as new
// exposure. Used by `vpcsim diff` and by the GUI's rule editor.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <map>
#include <span>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "model/hop.h"
#include "model/network.h"
#include "model/path_evaluator.h"
#include "sim/observer.h"

namespace vpcsim {


// One direction of one flow as one run judged it: whether it got through and, for every hop
// it crossed, what decided there ("sg-ingress at db (eni-db): sg-db ingress #2: tcp 5432 from
// sg-app", "... : no rule matched"). For a direction with several packets the packet judged is
// the first one dropped, else the first one sent.
struct JudgedDirection {
  bool sent = false;
  bool delivered = false;
  std::optional<Hop> drop_hop;
  std::array<std::string, kHopKinds> cause;  // indexed by Hop; "" for hops not crossed

  const std::string& cause_at(Hop h) const { return cause[static_cast<std::size_t>(h)]; }
};

struct JudgedFlow {
  std::uint64_t key = 0;  // the same flow has the same key in both runs (flow id, record number)
  std::string label;      // how examples name it: "web 10.0.1.10:50000 -> db 10.0.2.10:5432 tcp"
  JudgedDirection request;
  JudgedDirection reply;
};

// What decided at hop `h`, in the words JudgedDirection::cause uses.
std::string hop_cause(const Network& net, const HopResult& h);
// The judgement of one packet's trace.
JudgedDirection judge_trace(const Network& net, const PathTrace& trace);

// An observer that judges every flow of an engine run, keyed by flow id. Memory grows with
// the number of flows: a diff needs them all.
class JudgedFlowCollector : public Observer {
 public:
  explicit JudgedFlowCollector(const Network& net) : net_(net) {}
  void on_packet(const PacketRecord& r) override;
  void on_flow(const FlowResult& f) override;
  // Sorted by key.
  std::vector<JudgedFlow> take();

 private:
  const Network& net_;
  std::unordered_map<std::uint64_t, JudgedFlow> open_;  // looked up only, never iterated
  std::vector<JudgedFlow> done_;
};

enum class VerdictChange : std::uint8_t { kNewlyDropped, kNewlyAllowed };
std::string_view to_string(VerdictChange c);  // "newly dropped", "newly allowed"

// Flows whose verdict changed the same way at the same place for the same reason.
struct DiffGroup {
  VerdictChange change = VerdictChange::kNewlyDropped;
  bool reply = false;        // the direction that changed (a changed request hides the reply)
  Hop hop = Hop::kSgIngress; // where the difference is
  std::string rule;          // what decides there now (the new allow rule, or the drop)
  std::string previously;    // what decided there before (the removed rule, or the old drop)
  std::uint64_t count = 0;
  std::vector<std::string> examples;  // flow labels, the first few by key
};

struct VerdictDiff {
  std::uint64_t compared = 0;      // flows judged in both runs
  std::uint64_t unchanged = 0;
  std::uint64_t newly_dropped = 0;
  std::uint64_t newly_allowed = 0;
  std::uint64_t only_before = 0;   // flows one run had and the other did not (e.g. a generator
  std::uint64_t only_after = 0;    // that picks instances by a security group that changed)
  std::vector<DiffGroup> groups;   // newly dropped first, then by count (descending), then text

  bool breakage() const { return newly_dropped > 0; }
  bool exposure() const { return newly_allowed > 0; }
};

// The diff built one flow at a time, for callers that do not keep every judged flow (vpcsim
// diff over flow logs streams the records). Add the flows in key order: a group's examples are
// the first ones added.
class VerdictDiffBuilder {
 public:
  explicit VerdictDiffBuilder(std::size_t examples_per_group = 3) : examples_(examples_per_group) {}
  // The same flow as judged in both runs. A flow changes when its request changes delivery, or
  // when the request got through both times and the reply changes.
  void add(const JudgedFlow& before, const JudgedFlow& after);
  void add_only_before() { ++diff_.only_before; }  // a flow only the before run had
  void add_only_after() { ++diff_.only_after; }
  VerdictDiff finish();

 private:
  using GroupKey = std::tuple<VerdictChange, bool, Hop, std::string, std::string>;
  void record(VerdictChange change, bool reply, const JudgedDirection& was, const JudgedDirection& now,
              const std::string& label);
  bool compare(bool reply, const JudgedDirection& was, const JudgedDirection& now, const std::string& label);

  std::size_t examples_;
  VerdictDiff diff_;
  std::map<GroupKey, DiffGroup> groups_;  // ordered: groups come out in a fixed order
};

// Both spans sorted by key (as JudgedFlowCollector::take returns them). A flow changes when its
// request changes delivery, or when the request got through both times and the reply changes.
VerdictDiff diff_verdicts(std::span<const JudgedFlow> before, std::span<const JudgedFlow> after,
                          std::size_t examples_per_group = 3);

}  // namespace vpcsim
