// The engine's event queue against the binary-heap baseline, in the classic hold model: N
// events stay pending; each step pops the earliest and schedules one new event a random delay
// after it, as a simulation whose every event causes one more does. items/s are hold steps
// (one pop + one push) per second.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "sim/event_queue.h"

namespace vpcsim::bench {

namespace {

// The payload the engine carries is ~8-16 bytes: an index into its own tables.
using Payload = std::uint64_t;

constexpr std::size_t kDelays = 4096;         // a power of two, 32 KiB: stays in L1/L2 beside the queue
constexpr double kMeanDelayNs = 1'000'000.0;  // 1 ms: the scale of packet and timer delays

// Exponentially distributed delays, drawn once from a fixed seed. The logarithm is taken here
// rather than through std::exponential_distribution, whose output differs between standard
// libraries; rounding to whole nanoseconds gives some equal times, as a real run has.
const std::vector<SimTime>& delays() {
  static const std::vector<SimTime> table = [] {
    std::mt19937_64 rng(0x5eed);
    std::vector<SimTime> t(kDelays);
    for (SimTime& d : t) {
      const double u = (static_cast<double>(rng() >> 11) + 0.5) * 0x1p-53;  // (0, 1)
      d = SimTime{static_cast<std::int64_t>(-std::log(u) * kMeanDelayNs)};
    }
    return t;
  }();
  return table;
}

template <class Queue>
void BM_QueueHold(benchmark::State& state) {
  const auto pending = static_cast<std::size_t>(state.range(0));
  const std::vector<SimTime>& delay = delays();
  constexpr std::size_t kMask = kDelays - 1;
  std::size_t next = 0;

  Queue q;
  for (std::size_t i = 0; i < pending; ++i) q.push(delay[next++ & kMask], i);
  // Warm up to the steady state before timing: the initial times are all within a few mean
  // delays of 0, a spread the running queue only has after every event has been replaced.
  for (std::size_t i = 0; i < pending; ++i) {
    const auto e = q.pop();
    q.push(e.time + delay[next++ & kMask], e.payload);
  }

  for (auto _ : state) {
    const auto e = q.pop();
    q.push(e.time + delay[next++ & kMask], e.payload);
  }
  benchmark::DoNotOptimize(q.last_popped());
  state.SetItemsProcessed(state.iterations());
  state.counters["pending"] = static_cast<double>(q.size());
  state.counters["event_bytes"] = static_cast<double>(sizeof(QueuedEvent<Payload>));
}

BENCHMARK_TEMPLATE(BM_QueueHold, HeapEventQueue<Payload>)->Arg(1'000)->Arg(100'000)->Arg(1'000'000);
BENCHMARK_TEMPLATE(BM_QueueHold, RadixEventQueue<Payload>)->Arg(1'000)->Arg(100'000)->Arg(1'000'000);

}  // namespace

}  // namespace vpcsim::bench
