// vpcsim_flowlog_bench: flow-log text ingest (io/flowlog_reader.h) against a naive
// std::istringstream split in the same process, the readers (FlowLogStream and the in-memory
// read_flowlogs over it) on the corpus as a file, and the whole replay (parse, order, decide,
// tally) on the sample network. Figures in bench/README.md.
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "io/flowlog_diff.h"
#include "io/flowlog_reader.h"
#include "io/flowlog_replay.h"
#include "io/flowlog_stream.h"
#include "io/scenario_loader.h"

namespace vpcsim {
namespace {

constexpr std::size_t kRecords = 200'000;

// Default-format records between web and admin of scenarios/flowlogs/aws-examples.textproto
// and internet peers: both directions, TCP and UDP, ACCEPT and REJECT.
// Record i of the corpus, appended to `s`.
void append_record(std::string& s, std::mt19937_64& rng, std::size_t i) {
  const char* enis[] = {"eni-1235b8ca123456789", "eni-0a1b2c3d4e5f60718"};
  const char* locals[] = {"172.31.16.139", "172.31.9.69"};
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

const std::string& corpus() {
  static const std::string text = [] {
    std::mt19937_64 rng(42);
    std::string s;
    s.reserve(kRecords * 120);
    for (std::size_t i = 0; i < kRecords; ++i) append_record(s, rng, i);
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

// The corpus as a file in a temporary directory (removed at exit), for the readers.
const std::string& corpus_file() {
  struct File {
    std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("vpcsim_flowlog_bench_corpus." + std::to_string(::getpid()));
    std::string path = (dir / "corpus.log").string();
    File() {
      std::filesystem::create_directories(dir);
      std::ofstream(path, std::ios::binary) << corpus();
    }
    ~File() { std::filesystem::remove_all(dir); }
  };
  static const File file;
  return file.path;
}

// The one flow-log reader, FlowLogStream: open, then every line (no replay).
void BM_StreamFlowLogs(benchmark::State& state) {
  const std::vector<std::string> inputs{corpus_file()};
  std::uint64_t bytes = 0;
  for (auto _ : state) {
    auto stream = io::FlowLogStream::open(inputs);
    if (!stream) {
      state.SkipWithError(stream.error().format().c_str());
      break;
    }
    while (true) {
      auto line = stream->next();
      if (!line || !*line) break;
      bytes += (*line)->text.size();
    }
  }
  benchmark::DoNotOptimize(bytes);
  report(state, kRecords);
}
BENCHMARK(BM_StreamFlowLogs)->Unit(benchmark::kMillisecond);

// The in-memory reader the GUI uses, read_flowlogs: every line kept.
void BM_ReadFlowLogs(benchmark::State& state) {
  const std::vector<std::string> inputs{corpus_file()};
  std::uint64_t lines = 0;
  for (auto _ : state) {
    auto set = io::read_flowlogs(inputs);
    if (!set) {
      state.SkipWithError(set.error().format().c_str());
      break;
    }
    lines += set->lines.size();
  }
  benchmark::DoNotOptimize(lines);
  report(state, kRecords);
}
BENCHMARK(BM_ReadFlowLogs)->Unit(benchmark::kMillisecond);

// The whole replay of the corpus, read once by read_flowlogs: parse, time order, decisions
// with connection tracking, agreement tally (not the output text).
void BM_ReplayStateful(benchmark::State& state) {
  static const Scenario scenario =
      *io::load_scenario_file(std::string(VPCSIM_SOURCE_DIR) + "/scenarios/flowlogs/aws-examples.textproto");
  const auto set = io::read_flowlogs(std::vector<std::string>{corpus_file()});
  if (!set) {
    state.SkipWithError(set.error().format().c_str());
    return;
  }
  std::uint64_t agree = 0;
  for (auto _ : state) {
    agree += io::replay_flowlogs(*set, scenario.network, FilteringModel::kStateful).report.agree;
  }
  benchmark::DoNotOptimize(agree);
  report(state, kRecords);
}
BENCHMARK(BM_ReplayStateful)->Unit(benchmark::kMillisecond);

// ---- memory mode --------------------------------------------------------------------------
// vpcsim_flowlog_bench --memory --records=N --run=replay|diff: writes N corpus records (50 a
// second of record time, as above) to a file in a temporary directory, then streams it as
// `vpcsim replay --emit-flowlog` does (replay) or as `vpcsim diff` over flow logs does (diff,
// against the sample network with SSH from the VPC closed), and prints the time and the peak
// RSS. --stateless replays without connection tracking, whose tables hold every live
// connection (each corpus record is a new one), to show what the streaming itself holds. Run once per size, each in its own process, so every peak is its own.

long status_kib(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with(field) && line.size() > std::strlen(field) && line[std::strlen(field)] == ':') {
      return std::strtol(line.c_str() + std::strlen(field) + 1, nullptr, 10);
    }
  }
  return -1;
}

int run_memory(std::size_t records, const std::string& what, FilteringModel model) {
  using Clock = std::chrono::steady_clock;
  const auto secs = [](Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); };
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("vpcsim_flowlog_bench." + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string input = (dir / "flows.log").string();
  const auto t0 = Clock::now();
  {
    std::ofstream out(input, std::ios::binary);
    std::mt19937_64 rng(42);
    std::string chunk;
    for (std::size_t i = 0; i < records; ++i) {
      append_record(chunk, rng, i);
      if (chunk.size() > (1 << 20)) {
        out << chunk;
        chunk.clear();
      }
    }
    out << chunk;
  }
  const auto bytes = std::filesystem::file_size(input);
  const Scenario before =
      *io::load_scenario_file(std::string(VPCSIM_SOURCE_DIR) + "/scenarios/flowlogs/aws-examples.textproto");
  const long hwm_setup = status_kib("VmHWM");
  const auto t1 = Clock::now();
  std::string summary;
  std::uint64_t out_of_order = 0, peak_window = 0;
  const std::vector<std::string> inputs{input};
  auto stream = io::FlowLogStream::open(inputs);
  if (!stream) {
    std::fprintf(stderr, "%s\n", stream.error().format().c_str());
    return 2;
  }
  if (what == "replay") {
    auto out = io::AtomicFileWriter::create(dir / "out.log");
    if (!out) return 2;
    std::string line_out;
    std::vector<std::string_view> scratch;
    (void)out->append(io::emit_header(stream->format(), stream->any_header()));
    io::ReplayStream replay(stream->format(), stream->paths(), before.network, model, {},
                            [&](std::string_view line, const io::RecordResult& r, const std::vector<std::string>& rules) {
                              line_out.clear();
                              io::append_emitted_line(line_out, stream->format(), scratch, line, r, rules);
                              (void)out->append(line_out);
                            });
    while (true) {
      auto line = stream->next();
      if (!line || !*line) break;
      replay.add(**line);
    }
    const io::ReplayReport rep = replay.finish();
    if (!out->commit()) return 2;
    out_of_order = rep.out_of_order;
    peak_window = replay.stats().peak_window_records;
    summary = "replayed " + std::to_string(rep.replayed) + ", agree " + std::to_string(rep.agree) + ", output " +
              std::to_string(std::filesystem::file_size(dir / "out.log") >> 20) + " MiB";
  } else {
    Scenario after = before;
    for (SecurityGroup& sg : after.network.security_groups) {
      if (sg.id == "sg-web") std::erase_if(sg.ingress, [](const SgRule& r) { return r.traffic.ports.from == 22 && r.traffic.ports.to == 22; });
    }
    const auto d = io::diff_flowlogs(*stream, before.network, after.network, model);
    if (!d) return 2;
    out_of_order = d->out_of_order;
    summary = "compared " + std::to_string(d->diff.compared) + ", newly dropped " +
              std::to_string(d->diff.newly_dropped) + ", " + std::to_string(d->diff.groups.size()) + " groups";
  }
  const auto t2 = Clock::now();
  const double run_s = secs(t1, t2);
  std::printf("model=%s ", std::string(to_string(model)).c_str());
  std::printf("run=%s records=%zu input=%.1f MiB: generate %.2f s, %s %.2f s (%.2f M records/s, %.1f MB/s)\n",
              what.c_str(), records, static_cast<double>(bytes) / (1 << 20), secs(t0, t1), what.c_str(), run_s,
              static_cast<double>(records) / run_s / 1e6, static_cast<double>(bytes) / run_s / 1e6);
  std::printf("VmHWM after setup %.1f MiB, at end %.1f MiB; out of order %llu, peak window records %llu; %s\n",
              static_cast<double>(hwm_setup) / 1024, static_cast<double>(status_kib("VmHWM")) / 1024,
              static_cast<unsigned long long>(out_of_order), static_cast<unsigned long long>(peak_window),
              summary.c_str());
  std::filesystem::remove_all(dir);
  return 0;
}

}  // namespace
}  // namespace vpcsim

int main(int argc, char** argv) {
  if (argc >= 2 && std::string_view(argv[1]) == "--memory") {
    std::size_t records = 1'000'000;
    std::string what = "replay";
    vpcsim::FilteringModel model = vpcsim::FilteringModel::kStateful;
    for (int i = 2; i < argc; ++i) {
      const std::string_view a = argv[i];
      if (a.starts_with("--records=")) {
        records = std::stoull(std::string(a.substr(10)));
      } else if (a.starts_with("--run=") && (a.substr(6) == "replay" || a.substr(6) == "diff")) {
        what = std::string(a.substr(6));
      } else if (a == "--stateless") {
        model = vpcsim::FilteringModel::kStateless;
      } else {
        std::fprintf(stderr, "usage: vpcsim_flowlog_bench --memory [--records=N] [--run=replay|diff] [--stateless]\n");
        return 2;
      }
    }
    return vpcsim::run_memory(records, what, model);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
