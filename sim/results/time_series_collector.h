// Counters per time bucket, the data the CLI chart and the GUI plot: flows by outcome,
// packets and bytes per direction and verdict, drops per hop. Memory grows with the length of
// the run over the bucket width, never with the number of flows.
#pragma once

#include <vector>

#include "model/sim_time.h"
#include "sim/observer.h"
#include "sim/results/traffic_counts.h"

namespace vpcsim {

struct TimeBucket {
  SimTime start{0};  // the bucket covers [start, start + width)
  TrafficCounts counts;
};

class TimeSeriesCollector : public Observer {
 public:
  // Throws std::invalid_argument unless `bucket_width` is positive (a programmer error: the
  // CLI and the scenario loader validate what users give).
  explicit TimeSeriesCollector(SimTime bucket_width);

  // Packets count in the bucket of their time.
  void on_packet(const PacketRecord& r) override;
  // A flow counts in the bucket of its start, although it is reported when it ends: a chart
  // then shows when failing connections were attempted, and a bucket's flow counts do not
  // depend on how long its flows lasted.
  void on_flow(const FlowResult& f) override;

  // Adds empty buckets so the series covers [0, end): charts show the quiet tail of a run.
  void extend_to(SimTime end);

  SimTime bucket_width() const { return width_; }
  // Consecutive buckets from time 0 up to the last one that saw activity (or extend_to).
  const std::vector<TimeBucket>& buckets() const { return buckets_; }

 private:
  TrafficCounts& bucket_at(SimTime t);

  SimTime width_;
  std::vector<TimeBucket> buckets_;
};

}  // namespace vpcsim
