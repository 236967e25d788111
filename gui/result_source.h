// What the views of a run are fed with, and the commands they send back. A ResultSource is the
// one seam between the windows and whatever runs the simulation: SimController runs the engine
// in a thread of this process; a client of `vpcsim serve` can implement the same interface and
// hand the views the same batches (see gui/README.md).
#pragma once

#include <QObject>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/scenario.h"
#include "sim/results/flow_collector.h"
#include "sim/results/rule_hit_collector.h"
#include "sim/results/time_series_collector.h"
#include "sim/results/traffic_counts.h"
#include "sim/run_session.h"

namespace vpcsim::gui {

// What changed since the previous batch of the same run. Views append `flows` and replace
// everything else. Sent a few times a second while running, never per event.
struct ResultBatch {
  std::uint64_t run = 0;  // increases with every (re)start: a view drops what it had when it changes
  std::shared_ptr<const Scenario> scenario;
  FilteringModel model = FilteringModel::kStateless;
  SimTime now{0};
  std::optional<SimTime> planned_end;  // for the time slider and progress; nullopt when unknown
  bool finished = false;
  std::uint64_t events = 0;
  std::uint64_t flows_started = 0;
  std::vector<FlowRecord> flows;   // finished since the previous batch, in the order they finished
  std::vector<std::string> texts;  // the run's text table from `first_text` on (FlowRecord indexes it)
  std::size_t first_text = 0;
  SimTime bucket_width{1};
  std::vector<TimeBucket> buckets;  // the whole series so far
  TrafficCounts totals;
  std::vector<RuleHit> hits;             // every rule of the network
  std::optional<SteppedPacket> packet;   // after a single step: the packet just judged
};
using BatchPtr = std::shared_ptr<const ResultBatch>;

class ResultSource : public QObject {
  Q_OBJECT
 public:
  using QObject::QObject;
  ~ResultSource() override = default;

  virtual void load(std::shared_ptr<const Scenario> scenario, FilteringModel model) = 0;
  virtual void run() = 0;
  virtual void pause() = 0;
  virtual void step() = 0;        // one event
  virtual void stepToDrop() = 0;  // events until one drops a packet
  virtual void reset() = 0;       // back to time 0, paused
  virtual void seek(SimTime t) = 0;
  // Simulated seconds per wall-clock second; 0 runs as fast as possible.
  virtual void setSpeed(double simulated_per_second) = 0;
  virtual bool running() const = 0;

 signals:
  void batchReady(vpcsim::gui::BatchPtr batch);
  void runningChanged(bool running);
  void failed(QString message);
};

}  // namespace vpcsim::gui

Q_DECLARE_METATYPE(vpcsim::gui::BatchPtr)
