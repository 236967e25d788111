// The discrete-event engine: a virtual clock, an event queue ordered by (time, sequence),
// flows from traffic sources, per-interface connection tracking, and timed rule changes.
// An object you create and drive (run, run_until, step); observers see what happens.
#pragma once

#include <array>
#include <boost/unordered/unordered_flat_map.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "model/compiled_filters.h"
#include "model/network.h"
#include "model/path_evaluator.h"
#include "model/scenario.h"
#include "sim/conntrack.h"
#include "sim/event_queue.h"
#include "sim/flow.h"
#include "sim/observer.h"

namespace vpcsim {

enum class Fidelity : std::uint8_t {
  kPacket,  // every packet of an exchange is an event (TCP: SYN, SYN-ACK, ACK, data, FIN)
  kFlow,    // one event per direction per flow, carrying its packet and byte counts
};
std::string_view to_string(Fidelity f);

struct SimulationOptions {
  FilteringModel model = FilteringModel::kStateless;
  Fidelity fidelity = Fidelity::kFlow;
  std::uint64_t seed = 1;
  SimTime horizon{0};  // 0: until every flow has finished
  // Packet fidelity: the round-trip time between the two ends (a constant; the filters,
  // not the network, are what vpcsim models).
  SimTime round_trip = milliseconds(1);
};

// What the engine schedules; small so the queue stays in cache.
struct EventPayload {
  enum class Kind : std::uint8_t { kSourceNext, kFlowRequest, kFlowReply, kFlowEnd, kPacket, kChange, kExpiry };
  Kind kind = Kind::kSourceNext;
  std::uint32_t a = 0;  // source, flow slot, change index, or interface
  std::uint32_t b = 0;  // packet index, or conntrack slot
  // Expiry: the slot's timer generation when armed (a later arming, or the entry's erasure,
  // supersedes it). 32 bits, so that a queued event cannot match a later generation of its
  // slot by wrapping around.
  std::uint32_t gen = 0;
};
static_assert(sizeof(QueuedEvent<EventPayload>) == 32, "events stay 32 bytes in the queue");

template <class Queue>
class BasicSimulator {
 public:
  // Copies the scenario's network (rule changes edit the copy); the traffic sources read the
  // scenario's flows and generators, so `scenario` must outlive the simulator.
  BasicSimulator(const Scenario& scenario, SimulationOptions options);
  // Flows from `sources` instead of the scenario's own (benchmarks, replay).
  BasicSimulator(const Scenario& scenario, SimulationOptions options, std::vector<std::unique_ptr<TrafficSource>> sources);
  ~BasicSimulator();
  BasicSimulator(const BasicSimulator&) = delete;
  BasicSimulator& operator=(const BasicSimulator&) = delete;

  void add_observer(Observer& o) { observers_.push_back(&o); }

  // Processes the next event. False when the run is over (no traffic left, or the next
  // event lies past the horizon); then every unfinished flow has been reported.
  bool step();
  void run();
  // Processes every event up to and including time `t`.
  void run_until(SimTime t);
  // The time of the next event, or nullopt when the next step() ends the run (no traffic
  // left). It may lie past the horizon. For a pacing layer that advances against a clock.
  std::optional<SimTime> next_event_time() const;
  // Schedules a rule change at max(c.at, now()), after the events already queued for that
  // time: a change an operator makes while the simulation runs (the live server). Ignored
  // once the run has finished.
  void schedule_change(TimedChange c);

  SimTime now() const { return now_; }
  // Whether events other than conntrack expiry timers are queued; when none are, the next
  // step ends the run.
  bool traffic_pending() const { return traffic_events_ > 0; }
  bool finished() const { return finished_; }
  std::uint64_t events_processed() const { return events_; }
  std::uint64_t flows_started() const { return next_flow_id_; }
  std::size_t flows_active() const { return active_count_; }
  std::size_t tracked_connections() const;
  const Network& network() const { return net_; }
  const SimulationOptions& options() const { return options_; }

 private:
  struct ActiveFlow;
  struct PlannedPacket;
  void schedule(SimTime t, EventPayload p);
  void dispatch(SimTime t, const EventPayload& e);

  void on_source_next(std::uint32_t source);
  void start_flow(Flow flow);
  void on_flow_direction(std::uint32_t slot, bool reply);
  void on_flow_end(std::uint32_t slot);
  void on_packet(std::uint32_t slot, std::uint32_t index);
  void on_change(std::uint32_t index);
  void on_expiry(std::uint32_t eni, std::uint32_t slot, std::uint32_t gen);

  // One packet (or one direction's worth) from `from` to `to` at now_, through conntrack
  // and the filters; notifies observers and updates the flow's result.
  const PathTrace& send(ActiveFlow& f, bool reply, const Packet& p, std::uint32_t packets, std::uint64_t bytes,
                        std::string_view label);
  // The SG hops of the packet just traced that open a tracked connection; marks the others
  // untracked. At most two (the sender's egress, the receiver's ingress).
  using TrackList = boost::container::static_vector<std::pair<EniId, Direction>, 2>;
  TrackList untracked_marks(ActiveFlow& f, bool reply, const Packet& p);
  // Returns the entry's conntrack slot.
  std::uint32_t track(EniId eni, Direction d, const Packet& p);
  // flow_is_untracked, memoised: its answer depends only on the interface's groups, the
  // direction, the family, the protocol and the destination port, so it is kept per such key
  // and forgotten whenever a timed change edits security groups.
  bool is_untracked(EniId eni, Direction initiated, const Packet& request);
  // Looks `key` up once; retires (and reports) the entry if it is due, and returns
  // the iterator of the live entry left, or one that is not found.
  ConntrackTable::Iterator lookup_live(EniId eni, ConntrackTable& table, const PackedConnKey& key);
  // Arms the expiry timer of `entry`, an entry of `table` (interface `eni`), cancelling the
  // one it had: each entry keeps one live timer. (Erasing an entry cancels its timer.)
  void schedule_expiry(EniId eni, ConntrackTable& table, ConntrackTable::Iterator entry);
  SimTime timer_deadline(SimTime expiry) const;
  // The longest a conntrack timer waits before looking again: the closing timeout, so that
  // timers left behind by closed connections are gone within it and memory follows the rate
  // of flows rather than their number.
  static constexpr SimTime kMaxTimerWait = seconds(120);
  // ConntrackTable::match, arming an earlier expiry timer when a FIN or RST shortens it;
  // `hint`: the slot the entry was last seen in, if known (ConntrackTable::kNoHint if not).
  bool match_tracked(EniId eni, Direction d, const Packet& p, std::uint32_t hint);
  // The same on the entry `it` of table `eni`, already found for p's key.
  bool match_tracked(EniId eni, ConntrackTable& table, ConntrackTable::Iterator it, Direction d, const Packet& p);
  void report_expiry(EniId eni, const PackedConnKey& key, Direction initiated, SimTime at);
  void finish_flow(std::uint32_t slot, SimTime end);
  void finish_run();
  void plan_packets(ActiveFlow& f) const;

  Network net_;
  SimulationOptions options_;
  CompiledFilters filters_;
  PathEvaluator evaluator_;
  std::vector<TimedChange> changes_;
  Queue queue_;
  std::vector<std::unique_ptr<TrafficSource>> sources_;
  std::vector<std::optional<Flow>> pending_;  // each source's next flow
  std::vector<ConntrackTable> conntrack_;     // per interface
  std::vector<std::unique_ptr<ActiveFlow>> flows_;  // slots
  std::vector<std::uint32_t> free_flow_slots_;
  std::vector<Observer*> observers_;
  SimTime now_{0};
  std::uint64_t events_ = 0;
  std::uint64_t next_flow_id_ = 0;
  std::size_t active_count_ = 0;
  std::size_t traffic_events_ = 0;  // pending events other than conntrack expiry
  PathTrace scratch_;
  boost::unordered_flat_map<std::uint64_t, bool> untracked_cache_;
  bool finished_ = false;
};

// The radix heap with FIFO lanes for the delays the engine uses most (event_queue.h).
using Simulator = BasicSimulator<LanedEventQueue<EventPayload>>;
// The same engine over std::priority_queue: the benchmark's baseline.
using HeapSimulator = BasicSimulator<HeapEventQueue<EventPayload>>;

}  // namespace vpcsim
