// Totals of a whole run: flows by outcome, packets and bytes per direction, drops per hop.
// O(1) memory whatever the number of flows.
#pragma once

#include "sim/observer.h"
#include "sim/results/traffic_counts.h"

namespace vpcsim {

class SummaryCollector : public Observer {
 public:
  void on_packet(const PacketRecord& r) override;
  void on_flow(const FlowResult& f) override;

  const TrafficCounts& totals() const { return totals_; }
  // The latest simulated time seen: the last packet or the end of the last flow.
  SimTime last_activity() const { return last_activity_; }

 private:
  TrafficCounts totals_;
  SimTime last_activity_{0};
};

}  // namespace vpcsim
