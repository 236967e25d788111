#include "sim/results/time_series_collector.h"

#include <stdexcept>

namespace vpcsim {

TimeSeriesCollector::TimeSeriesCollector(SimTime bucket_width) : width_(bucket_width) {
  if (width_ <= SimTime::zero()) throw std::invalid_argument("time series bucket width must be positive");
}

void TimeSeriesCollector::on_packet(const PacketRecord& r) { bucket_at(r.time).add_packet(r); }

void TimeSeriesCollector::on_flow(const FlowResult& f) { bucket_at(f.flow ? f.flow->start : f.end).add_flow(f); }

void TimeSeriesCollector::extend_to(SimTime end) {
  if (end <= SimTime::zero()) return;
  bucket_at(end - SimTime(1));
}

TrafficCounts& TimeSeriesCollector::bucket_at(SimTime t) {
  // Times before 0 do not occur in a run; count them in the first bucket rather than lose them.
  const auto index = static_cast<std::size_t>(t > SimTime::zero() ? t / width_ : 0);
  while (buckets_.size() <= index) buckets_.push_back({width_ * static_cast<std::int64_t>(buckets_.size()), {}});
  return buckets_[index].counts;
}

}  // namespace vpcsim
