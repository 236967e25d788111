// The live server (sim/server): events/s delivered to 1 and to 50 local watchers over
// loopback TCP, and the server's peak memory (VmHWM) with them; the baseline is the same run
// encoded in-process, without sockets (bench/README.md, "vpcsim_server_bench").
//
//   vpcsim_server_bench [--horizon=S] [benchmark flags]
//
// The server runs in a child process (forked before any thread exists), so that its memory
// is its own and the watchers compete with it for the CPU as real clients would. Every
// watcher must receive the same number of events and the same result; the program aborts
// otherwise, so it cannot report the speed of a broken stream.
#include <benchmark/benchmark.h>
#include <google/protobuf/text_format.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "io/scenario_parser.h"
#include "sim/server/client.h"
#include "sim/server/lessons.h"
#include "sim/server/live_simulation.h"
#include "sim/server/server.h"

namespace vpcsim::bench {
namespace {

using namespace std::chrono_literals;
using server::Client;
using server::ServerMessage;
using Clock = std::chrono::steady_clock;

double g_horizon = 300;  // simulated seconds of the workload
const std::string kToken = "bench";

// Lesson 12 (a scanner, four instances, stateful) with internet users visiting the web
// servers: 200 sessions per simulated second, flow fidelity. Every packet record, finished
// flow and connection event is streamed: about 2,000 events per simulated second.
server::LoadScenario workload() {
  const server::Lesson* lesson = server::find_lesson("12-internet-scanner");
  auto parsed = io::parse_scenario_proto(lesson->text, "12-internet-scanner.textproto", io::ScenarioFormat::kText);
  if (!parsed) std::abort();
  vpcsim::pb::Scenario s = parsed->message;
  if (!google::protobuf::TextFormat::MergeFromString(
          R"(generators { name: "users" sessions { clients { internet: true } servers { role: "web" }
                                                   protocol: "tcp" ports: 443 rate_per_second: 200 } })",
          &s)) {
    std::abort();
  }
  s.set_horizon_seconds(g_horizon);
  server::LoadScenario l;
  *l.mutable_scenario() = s;
  return l;
}

long status_kib(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const std::string key = std::string(field) + ":";
  while (std::getline(in, line)) {
    if (line.starts_with(key)) return std::atol(line.c_str() + key.size());
  }
  return -1;
}

// `vpcsim serve` in a child process: reports its port, and its VmHWM when stopped.
class ServerProcess {
 public:
  ServerProcess() {
    int to_parent[2];
    if (::pipe(to_parent) != 0) std::abort();
    pid_ = ::fork();
    if (pid_ == 0) {
      ::close(to_parent[0]);
      boost::asio::io_context io;
      server::ServerOptions o;
      o.port = 0;
      o.token = kToken;
      o.max_clients = 200;
      server::Server s(io, o);
      if (!s.load(workload())) ::_exit(3);
      s.stop_on_signals();
      const std::uint16_t port = s.port();
      if (::write(to_parent[1], &port, sizeof port) != sizeof port) ::_exit(4);
      io.run();
      const long kib[2] = {status_kib("VmHWM"), status_kib("VmRSS")};
      if (::write(to_parent[1], kib, sizeof kib) != sizeof kib) ::_exit(5);
      ::_exit(0);
    }
    ::close(to_parent[1]);
    fd_ = to_parent[0];
    if (::read(fd_, &port_, sizeof port_) != sizeof port_) std::abort();
  }
  std::uint16_t port() const { return port_; }
  // Stops it; its VmHWM in KiB.
  long stop() {
    ::kill(pid_, SIGTERM);
    long kib[2] = {-1, -1};
    if (::read(fd_, kib, sizeof kib) != sizeof kib) kib[0] = -1;
    ::waitpid(pid_, nullptr, 0);
    ::close(fd_);
    return kib[0];
  }

 private:
  pid_t pid_ = -1;
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

std::unique_ptr<Client> connect_client(std::uint16_t port, const std::string& token, bool subscribe) {
  auto c = std::make_unique<Client>();
  if (!c->connect("127.0.0.1", port, 10s)) std::abort();
  c->send(Client::hello("bench", token));
  if (!c->receive(10s)) std::abort();
  if (subscribe) c->send(Client::subscribe(true, true));
  return c;
}

// Sends `r` and waits for its reply.
void call(Client& c, server::Request r) {
  const auto id = c.send(std::move(r));
  if (!id) std::abort();
  while (true) {
    auto m = c.receive(30s);
    if (!m) std::abort();
    if (m->has_reply() && m->reply().request_id() == *id) {
      if (m->reply().code() != server::OK) {
        std::fprintf(stderr, "request refused: %s\n", m->reply().message().c_str());
        std::abort();
      }
      return;
    }
  }
}

struct Received {
  std::uint64_t events = 0;  // packet, flow and state messages
  std::uint64_t bytes = 0;
  std::string result;
};

// Reads until the result of generation `generation` arrives.
Received drain(Client& c, std::uint64_t generation) {
  Received r;
  while (true) {
    auto m = c.receive(60s);
    if (!m) {
      std::fprintf(stderr, "watcher: %s\n", m.error().message.c_str());
      std::abort();
    }
    if (m->has_packet() || m->has_flow() || m->has_state()) {
      ++r.events;
      r.bytes += m->ByteSizeLong();
    }
    if (m->has_result() && m->result().generation() >= generation) {
      r.result = m->result().result().summary().ShortDebugString();
      return r;
    }
  }
}

void BM_LocalEncode(benchmark::State& state) {
  std::uint64_t events = 0;
  for (auto _ : state) {
    std::uint64_t n = 0;
    server::LiveSimulation live([&](ServerMessage&& m, server::Channel) {
      if (m.has_packet() || m.has_flow() || m.has_state()) ++n;
      benchmark::DoNotOptimize(m.ByteSizeLong());
    });
    live.set_interest(true, true);
    if (!live.load(workload())) std::abort();
    while (!live.finished()) live.step(4096);
    events += n;
    state.counters["events_per_run"] = static_cast<double>(n);
  }
  state.counters["events/s"] = benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
}

void BM_Deliver(benchmark::State& state) {
  const auto watchers_n = static_cast<std::size_t>(state.range(0));
  ServerProcess proc;
  auto controller = connect_client(proc.port(), kToken, false);
  std::vector<std::unique_ptr<Client>> watchers;
  for (std::size_t i = 0; i < watchers_n; ++i) watchers.push_back(connect_client(proc.port(), "", true));
  // Each watcher's subscribe reply and first status.
  for (auto& w : watchers) {
    for (int i = 0; i < 2; ++i) {
      if (!w->receive(10s)) std::abort();
    }
  }
  call(*controller, Client::as_fast_as_possible());
  std::uint64_t delivered = 0;
  std::uint64_t bytes = 0;
  std::uint64_t generation = 1;
  std::string reference;
  for (auto _ : state) {
    call(*controller, Client::reset());
    ++generation;
    const auto begin = Clock::now();
    call(*controller, Client::run_request());
    std::vector<Received> got(watchers_n);
    std::vector<std::thread> readers;
    for (std::size_t i = 0; i < watchers_n; ++i) {
      readers.emplace_back([&, i] { got[i] = drain(*watchers[i], generation); });
    }
    for (auto& t : readers) t.join();
    state.SetIterationTime(std::chrono::duration<double>(Clock::now() - begin).count());
    for (const Received& r : got) {
      if (r.events != got[0].events || r.result != got[0].result) {
        std::fprintf(stderr, "watchers disagree: %llu vs %llu events\n", static_cast<unsigned long long>(r.events),
                     static_cast<unsigned long long>(got[0].events));
        std::abort();
      }
      delivered += r.events;
      bytes += r.bytes;
    }
    if (reference.empty()) reference = got[0].result;
    if (reference != got[0].result) std::abort();
    state.counters["events_per_watcher"] = static_cast<double>(got[0].events);
  }
  watchers.clear();
  controller.reset();
  const long hwm = proc.stop();
  state.counters["delivered_events/s"] =
      benchmark::Counter(static_cast<double>(delivered), benchmark::Counter::kIsRate);
  state.counters["delivered_MiB/s"] =
      benchmark::Counter(static_cast<double>(bytes) / (1 << 20), benchmark::Counter::kIsRate);
  state.counters["server_peak_rss_MiB"] = static_cast<double>(hwm) / 1024.0;
  state.SetLabel("same events and result at every watcher");
}

BENCHMARK(BM_LocalEncode)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_Deliver)->Arg(1)->Arg(50)->Unit(benchmark::kMillisecond)->UseManualTime()->Iterations(3);

}  // namespace
}  // namespace vpcsim::bench

int main(int argc, char** argv) {
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    const std::string a = argv[i];
    if (a.starts_with("--horizon=")) {
      vpcsim::bench::g_horizon = std::atof(a.c_str() + 10);
    } else {
      rest.push_back(argv[i]);
    }
  }
  int n = static_cast<int>(rest.size());
  benchmark::Initialize(&n, rest.data());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
