// The discrete-event engine at flow fidelity: events/s of Simulator (the radix queue) against
// HeapSimulator (the binary heap of std::priority_queue) on the same 100-instance scenario and
// the same 1 M flows, in one process; and, as a separate mode run once per process, the peak
// memory of a summary-only run (bench/README.md, "vpcsim_engine_bench").
//
//   vpcsim_engine_bench [--flows=N] [--rate=F] [--tcp-established=S] [benchmark flags]
//   vpcsim_engine_bench --memory [same] [--model=stateful|stateless] [--queue=radix|heap]
//
// Both runs of a model must end with the same summary and time series; the program aborts
// otherwise, so it cannot report the speed of a wrong answer.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bench/engine_workload.h"
#include "sim/results/summary_collector.h"
#include "sim/results/time_series_collector.h"
#include "sim/simulator.h"

namespace vpcsim::bench {

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  EngineWorkloadShape shape;
  bool memory = false;
  FilteringModel model = FilteringModel::kStateful;
  bool heap = false;
};

Options& options() {
  static Options o;
  return o;
}

const Scenario& scenario() {
  static const Scenario s = make_engine_scenario(options().shape);
  return s;
}

SimulationOptions simulation_options(FilteringModel model) {
  SimulationOptions o;
  o.model = model;
  o.fidelity = Fidelity::kFlow;
  o.seed = options().shape.seed;
  return o;
}

double seconds_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

// CPU time of this thread: on a shared machine, wall time also counts the time other jobs ran.
double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// What a run must reproduce whichever queue it used.
struct Outcome {
  TrafficCounts totals;
  std::vector<TimeBucket> buckets;
  std::uint64_t events = 0;
  std::uint64_t flows = 0;
  SimTime end{0};
};

bool same(const Outcome& a, const Outcome& b) {
  if (a.totals != b.totals || a.events != b.events || a.flows != b.flows || a.end != b.end) return false;
  if (a.buckets.size() != b.buckets.size()) return false;
  for (std::size_t i = 0; i < a.buckets.size(); ++i) {
    if (a.buckets[i].start != b.buckets[i].start || a.buckets[i].counts != b.buckets[i].counts) return false;
  }
  return true;
}

std::string describe(const Outcome& o) {
  const TrafficCounts& t = o.totals;
  return std::to_string(o.flows) + " flows (" + std::to_string(t.flows_worked) + " worked, " +
         std::to_string(t.flows_request_dropped) + " request dropped, " + std::to_string(t.flows_reply_dropped) +
         " reply dropped), " + std::to_string(t.request.packets_allowed + t.reply.packets_allowed) +
         " packets delivered, " + std::to_string(t.request.packets_dropped + t.reply.packets_dropped) + " dropped, " +
         std::to_string(o.events) + " events, " + std::to_string(o.buckets.size()) + " time buckets, end " +
         format_time(o.end);
}

// The first run of each model is the reference; every later run (the other queue, or a
// repetition) must match it exactly.
const Outcome* check(FilteringModel model, const std::string& name, Outcome outcome) {
  static std::map<FilteringModel, std::pair<std::string, Outcome>> reference;
  const auto [it, first] = reference.try_emplace(model, name, outcome);
  if (!first && !same(it->second.second, outcome)) {
    std::fprintf(stderr, "vpcsim_engine_bench: %s disagrees with %s:\n  %s\n  %s\n", name.c_str(),
                 it->second.first.c_str(), describe(outcome).c_str(), describe(it->second.second).c_str());
    std::abort();
  }
  return first ? nullptr : &it->second.second;
}

// `observers`: attach a SummaryCollector and a TimeSeriesCollector (1 s buckets), as
// `vpcsim run` does; without them the figure is the engine alone, and only its event count,
// flow count and end time are checked against the reference.
template <class Sim>
void BM_Engine(benchmark::State& state, FilteringModel model, const std::string& name, bool observers = true) {
  const Scenario& s = scenario();
  double setup_s = 0;
  double run_s = 0;
  double cpu_s = 0;
  std::size_t tracked = 0;
  std::optional<Outcome> outcome;
  for (auto _ : state) {
    SummaryCollector summary;
    TimeSeriesCollector series(seconds(1));
    const auto t0 = Clock::now();
    Sim sim(s, simulation_options(model));  // copies the network, compiles every filter
    if (observers) {
      sim.add_observer(summary);
      sim.add_observer(series);
    }
    const double c1 = thread_cpu_seconds();
    const auto t1 = Clock::now();
    sim.run();
    const auto t2 = Clock::now();
    cpu_s = thread_cpu_seconds() - c1;
    state.SetIterationTime(seconds_between(t1, t2));
    setup_s = seconds_between(t0, t1);
    run_s = seconds_between(t1, t2);
    tracked = sim.tracked_connections();
    outcome = Outcome{summary.totals(), series.buckets(), sim.events_processed(), sim.flows_started(), sim.now()};
  }
  const Outcome& o = *outcome;
  const double events = static_cast<double>(o.events);
  const double flows = static_cast<double>(o.flows);
  state.counters["events"] = events;
  state.counters["flows"] = flows;
  state.counters["events_per_flow"] = events / flows;
  state.counters["events/s"] = events / run_s;
  state.counters["flows/s"] = flows / run_s;
  state.counters["events/cpu_s"] = events / cpu_s;
  state.counters["setup_ms"] = setup_s * 1e3;
  state.counters["sim_seconds"] = std::chrono::duration<double>(o.end).count();
  state.counters["tracked_at_end"] = static_cast<double>(tracked);
  if (!observers) {
    // Nothing observed: hold the run to the reference's events, flows and end time.
    static std::map<FilteringModel, Outcome> first;
    const auto [it, inserted] = first.try_emplace(model, o);
    if (!inserted && (it->second.events != o.events || it->second.flows != o.flows || it->second.end != o.end)) {
      std::fprintf(stderr, "vpcsim_engine_bench: %s disagrees with the first unobserved run\n", name.c_str());
      std::abort();
    }
    state.SetLabel("no observers: " + std::to_string(o.events) + " events, end " + format_time(o.end));
    return;
  }
  const Outcome* reference = check(model, name, o);
  state.SetLabel(reference ? "same summary and series as the first run" : describe(o));
}

void register_benchmarks() {
  for (const FilteringModel model : {FilteringModel::kStateful, FilteringModel::kStateless}) {
    const std::string suffix = "/" + std::string(to_string(model));
    const std::string radix = "BM_Engine<Simulator>" + suffix;
    const std::string heap = "BM_Engine<HeapSimulator>" + suffix;
    benchmark::RegisterBenchmark(radix.c_str(), [=](benchmark::State& st) { BM_Engine<Simulator>(st, model, radix); })
        ->Iterations(1)
        ->UseManualTime()
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(heap.c_str(), [=](benchmark::State& st) { BM_Engine<HeapSimulator>(st, model, heap); })
        ->Iterations(1)
        ->UseManualTime()
        ->Unit(benchmark::kMillisecond);
  }
  for (const FilteringModel model : {FilteringModel::kStateful, FilteringModel::kStateless}) {
    const std::string alone = "BM_EngineAlone<Simulator>/" + std::string(to_string(model));
    benchmark::RegisterBenchmark(alone.c_str(), [=](benchmark::State& st) { BM_Engine<Simulator>(st, model, alone, false); })
        ->Iterations(1)
        ->UseManualTime()
        ->Unit(benchmark::kMillisecond);
  }
}

// ---- memory mode --------------------------------------------------------------------------

// A field of /proc/self/status in KiB ("VmHWM", "VmRSS"), or -1.
long status_kib(std::string_view field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with(field) && line.size() > field.size() && line[field.size()] == ':') {
      return std::strtol(line.c_str() + field.size() + 1, nullptr, 10);
    }
  }
  return -1;
}

double mib(long kib) { return static_cast<double>(kib) / 1024.0; }

template <class Sim>
int run_memory(FilteringModel model, const char* queue) {
  const auto t0 = Clock::now();
  const Scenario& s = scenario();
  SummaryCollector summary;
  TimeSeriesCollector series(seconds(1));
  Sim sim(s, simulation_options(model));
  sim.add_observer(summary);
  sim.add_observer(series);
  const long hwm_setup = status_kib("VmHWM");
  const double c1 = thread_cpu_seconds();
  const auto t1 = Clock::now();
  // step() is what run() loops over; every 2^16 events, sample what the engine holds.
  std::size_t peak_active = 0;
  std::size_t peak_tracked = 0;
  long peak_rss = 0;
  std::uint64_t n = 0;
  while (sim.step()) {
    if ((++n & 0xffff) == 0) {
      peak_active = std::max(peak_active, sim.flows_active());
      peak_tracked = std::max(peak_tracked, sim.tracked_connections());
      peak_rss = std::max(peak_rss, status_kib("VmRSS"));
    }
  }
  const auto t2 = Clock::now();
  const double cpu_s = thread_cpu_seconds() - c1;
  const long hwm_end = status_kib("VmHWM");
  const double run_s = seconds_between(t1, t2);
  const Outcome o{summary.totals(), series.buckets(), sim.events_processed(), sim.flows_started(), sim.now()};
  std::printf("model=%s queue=%s flows=%llu events=%llu sim_time=%s\n", std::string(to_string(model)).c_str(), queue,
              static_cast<unsigned long long>(o.flows), static_cast<unsigned long long>(o.events),
              format_time(o.end).c_str());
  std::printf("wall: setup %.3f s, run %.3f s (%.3f s CPU); %.2f M events/s (%.2f M per CPU second), %.2f M flows/s\n",
              seconds_between(t0, t1), run_s, cpu_s, static_cast<double>(o.events) / run_s / 1e6,
              static_cast<double>(o.events) / cpu_s / 1e6, static_cast<double>(o.flows) / run_s / 1e6);
  std::printf("VmHWM after setup %.1f MiB, at end %.1f MiB; VmRSS at end %.1f MiB\n", mib(hwm_setup), mib(hwm_end),
              mib(status_kib("VmRSS")));
  std::printf("sampled every 2^16 events: peak VmRSS %.1f MiB, peak active flows %zu, peak tracked connections %zu\n",
              mib(peak_rss), peak_active, peak_tracked);
  std::printf("outcome: %s\n", describe(o).c_str());
  std::printf("dropped packets by hop:");
  for (std::size_t h = 0; h < kHopKinds; ++h) {
    std::printf(" %s %llu", std::string(to_string(static_cast<Hop>(h))).c_str(),
                static_cast<unsigned long long>(o.totals.drops_by_hop[h]));
  }
  std::printf("\n");
  return 0;
}

// Takes this program's own flags out of argv (Google Benchmark rejects flags it does not know).
bool parse_own_flags(int& argc, char** argv) {
  Options& o = options();
  int out = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    const auto value = [&](std::string_view flag) -> std::optional<std::string_view> {
      if (a.starts_with(flag) && a.size() > flag.size() && a[flag.size()] == '=') return a.substr(flag.size() + 1);
      return std::nullopt;
    };
    if (a == "--memory") {
      o.memory = true;
    } else if (const auto v = value("--flows")) {
      o.shape.flows = std::strtoull(std::string(*v).c_str(), nullptr, 10);
      if (o.shape.flows == 0) return false;
    } else if (const auto v = value("--rate")) {
      o.shape.flows_per_second = std::strtod(std::string(*v).c_str(), nullptr);
      if (!(o.shape.flows_per_second > 0)) return false;
    } else if (const auto v = value("--tcp-established")) {
      o.shape.tcp_established_s = std::strtoll(std::string(*v).c_str(), nullptr, 10);
      if (o.shape.tcp_established_s < 60 || o.shape.tcp_established_s > 432'000) return false;
    } else if (const auto v = value("--model")) {
      if (*v != "stateful" && *v != "stateless") return false;
      o.model = *v == "stateful" ? FilteringModel::kStateful : FilteringModel::kStateless;
    } else if (const auto v = value("--queue")) {
      if (*v != "radix" && *v != "heap") return false;
      o.heap = *v == "heap";
    } else {
      argv[out++] = argv[i];
    }
  }
  argc = out;
  return true;
}

}  // namespace

}  // namespace vpcsim::bench

int main(int argc, char** argv) {
  using namespace vpcsim::bench;
  if (!parse_own_flags(argc, argv)) {
    std::fprintf(stderr,
                 "usage: vpcsim_engine_bench [--flows=N] [--rate=FLOWS_PER_S] [--tcp-established=S] [benchmark flags]\n"
                 "       vpcsim_engine_bench --memory [--flows=N] [--rate=FLOWS_PER_S] [--tcp-established=S]\n"
                 "                           [--model=stateful|stateless] [--queue=radix|heap]\n");
    return 2;
  }
  const Options& o = options();
  if (o.memory) {
    if (argc > 1) {
      std::fprintf(stderr, "vpcsim_engine_bench --memory: unexpected argument %s\n", argv[1]);
      return 2;
    }
    return o.heap ? run_memory<vpcsim::HeapSimulator>(o.model, "heap")
                  : run_memory<vpcsim::Simulator>(o.model, "radix");
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::AddCustomContext("flows", std::to_string(o.shape.flows));
  benchmark::AddCustomContext("flows_per_second", std::to_string(static_cast<long long>(o.shape.flows_per_second)));
  const vpcsim::Scenario& s = scenario();
  benchmark::AddCustomContext("scenario", std::to_string(s.network.instances.size()) + " instances, " +
                                              std::to_string(s.network.external_hosts.size()) + " internet hosts, " +
                                              std::to_string(s.network.security_groups.size()) + " groups, " +
                                              std::to_string(s.generators.size()) + " generators");
  register_benchmarks();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
