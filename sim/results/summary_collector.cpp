#include "sim/results/summary_collector.h"

#include <algorithm>

namespace vpcsim {

void SummaryCollector::on_packet(const PacketRecord& r) {
  totals_.add_packet(r);
  last_activity_ = std::max(last_activity_, r.time);
}

void SummaryCollector::on_flow(const FlowResult& f) {
  totals_.add_flow(f);
  last_activity_ = std::max(last_activity_, f.end);
}

}  // namespace vpcsim
