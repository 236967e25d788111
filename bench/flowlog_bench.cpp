// vpcsim_flowlog_bench: flow-log text ingest (io/flowlog_reader.h) against a naive
// std::istringstream split in the same process, and the whole replay (parse, order, decide,
// tally) on the sample network. Figures in bench/README.md.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "io/flowlog_reader.h"
#include "io/flowlog_replay.h"
#include "io/scenario_loader.h"

namespace vpcsim {
namespace {

constexpr std::size_t kRecords = 200'000;

// Default-format records between web and admin of scenarios/flowlogs/aws-examples.textproto
// and internet peers: both directions, TCP and UDP, ACCEPT and REJECT.
const std::string& corpus() {
  static const std::string text = [] {
    std::mt19937_64 rng(42);
    std::string s;
    s.reserve(kRecords * 120);
    const char* enis[] = {"eni-1235b8ca123456789", "eni-0a1b2c3d4e5f60718"};
    const char* locals[] = {"172.31.16.139", "172.31.9.69"};
    for (std::size_t i = 0; i < kRecords; ++i) {
      const std::size_t e = rng() % 2;
      const std::string peer = "198.51." + std::to_string(rng() % 256) + "." + std::to_string(rng() % 256);
      const bool in = rng() % 2;
      const unsigned eph = 32768 + static_cast<unsigned>(rng() % 28000);
      const unsigned svc = (rng() % 3 == 0) ? 22 : 443;
      const std::string src = in ? peer : locals[e];
      const std::string dst = in ? locals[e] : peer;
      const unsigned sport = in ? eph : svc, dport = in ? svc : eph;
      const std::uint64_t start = 1'700'000'000 + i / 50;
      s += "2 123456789012 " + std::string(enis[e]) + " " + src + " " + dst + " " + std::to_string(sport) + " " +
           std::to_string(dport) + (rng() % 4 ? " 6 " : " 17 ") + std::to_string(1 + rng() % 40) + " " +
           std::to_string(60 + rng() % 50000) + " " + std::to_string(start) + " " + std::to_string(start + 55) +
           (rng() % 5 ? " ACCEPT OK\n" : " REJECT OK\n");
    }
    return s;
  }();
  return text;
}

template <class F>
void for_each_line(const std::string& text, F&& f) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    f(std::string_view(text).substr(pos, nl - pos));
    pos = nl + 1;
  }
}

void report(benchmark::State& state, std::size_t records) {
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * corpus().size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * records));
}

// The reader's one-pass parser: views into the buffer, std::from_chars, no allocation per field.
void BM_FlowLogParse(benchmark::State& state) {
  const io::FlowLogFormat format = io::FlowLogFormat::default_v2();
  io::FlowRecordParser parser(format);
  std::uint64_t ok = 0;
  for (auto _ : state) {
    for_each_line(corpus(), [&](std::string_view line) { ok += parser.parse(line).has_value(); });
  }
  benchmark::DoNotOptimize(ok);
  report(state, kRecords);
}
BENCHMARK(BM_FlowLogParse)->Unit(benchmark::kMillisecond);

// Baseline: what a first version would write, an istringstream per line and a std::string per
// field, then the same conversions.
void BM_NaiveIstreamParse(benchmark::State& state) {
  std::uint64_t ok = 0;
  for (auto _ : state) {
    for_each_line(corpus(), [&](std::string_view line) {
      std::istringstream in{std::string(line)};
      std::vector<std::string> f;
      std::string tok;
      while (in >> tok) f.push_back(tok);
      if (f.size() != 14) return;
      FlowObservation o;
      o.interface_id = f[2];
      const auto src = IpAddress::parse(f[3]);
      const auto dst = IpAddress::parse(f[4]);
      if (!src || !dst) return;
      o.packet.src = *src;
      o.packet.dst = *dst;
      o.packet.src_port = static_cast<std::uint16_t>(std::stoul(f[5]));
      o.packet.dst_port = static_cast<std::uint16_t>(std::stoul(f[6]));
      o.packet.protocol = static_cast<std::uint8_t>(std::stoul(f[7]));
      o.start = std::stoll(f[10]);
      o.end = std::stoll(f[11]);
      o.recorded = f[12] == "ACCEPT" ? RecordedAction::kAccept : RecordedAction::kReject;
      ok += f[13] == "OK";
    });
  }
  benchmark::DoNotOptimize(ok);
  report(state, kRecords);
}
BENCHMARK(BM_NaiveIstreamParse)->Unit(benchmark::kMillisecond);

// The whole replay of the corpus: line index, parse, time order, decisions with connection
// tracking, agreement tally (not the output text).
void BM_ReplayStateful(benchmark::State& state) {
  static const Scenario scenario =
      *io::load_scenario_file(std::string(VPCSIM_SOURCE_DIR) + "/scenarios/flowlogs/aws-examples.textproto");
  io::FlowLogSet set;
  set.format = io::FlowLogFormat::default_v2();
  set.files.push_back({"bench", corpus(), false});
  std::uint64_t pos = 0, line = 0;
  for_each_line(corpus(), [&](std::string_view l) {
    set.lines.push_back({0, static_cast<std::uint32_t>(++line), pos, static_cast<std::uint32_t>(l.size())});
    pos += l.size() + 1;
  });
  std::uint64_t agree = 0;
  for (auto _ : state) {
    agree += io::replay_flowlogs(set, scenario.network, FilteringModel::kStateful).report.agree;
  }
  benchmark::DoNotOptimize(agree);
  report(state, kRecords);
}
BENCHMARK(BM_ReplayStateful)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace vpcsim

BENCHMARK_MAIN();
