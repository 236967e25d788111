// Single-packet filter evaluation: the compiled security-group and network-ACL filters
// against the plain linear evaluators, on the same network and the same packets in one
// process, so the ratios are what to read (bench/README.md). Before anything is timed, every
// evaluator must agree with the oracle on every packet: a fast wrong answer is no result.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "bench/sg_workload.h"
#include "model/nacl_filter.h"
#include "model/sg_filter.h"

namespace vpcsim::bench {

namespace {

const SgWorkload& workload() {
  static const SgWorkload w = make_sg_workload();
  return w;
}

// The fairer baseline: the same expanded rules SgFilter compiles (peers already resolved to
// address ranges), scanned in order, mapped back to the deciding rule as SgFilter does.
class LinearSgFilter {
 public:
  LinearSgFilter(const Network& net, EniId eni, Direction d)
      : direction_(d), classifier_(expand_sg_rules(net, eni, d, refs_)) {}

  SgDecision evaluate(const Packet& p) const {
    const auto hit = classifier_.classify(p.family(), p.protocol, p.match_key(), peer_address(p, direction_).value());
    if (!hit) return {false, std::nullopt};
    return {true, refs_[*hit]};
  }
  std::size_t expanded_rules() const { return classifier_.rules().size(); }
  std::size_t memory_bytes() const {
    return classifier_.rules().size() * sizeof(ClassifierRule) + refs_.capacity() * sizeof(SgRuleRef);
  }

 private:
  Direction direction_;
  std::vector<SgRuleRef> refs_;  // declared before classifier_: expand_sg_rules fills it
  LinearClassifier classifier_;
};

std::size_t sg_rules_written(const SgWorkload& w, Direction d) {
  std::size_t n = 0;
  for (const SgId sg : w.net.eni(w.eni).groups) n += w.net.sg(sg).rules(d).size();
  return n;
}

std::vector<Packet> replies(const std::vector<Packet>& packets) {
  std::vector<Packet> out;
  out.reserve(packets.size());
  for (const Packet& p : packets) out.push_back(p.reply());
  return out;
}

[[noreturn]] void fail(const std::string& what, const Packet& p, const std::string& got, const std::string& want) {
  std::fprintf(stderr, "vpcsim_bench: %s disagrees with the linear oracle on %s: %s, oracle %s\n", what.c_str(),
               p.to_string().c_str(), got.c_str(), want.c_str());
  std::abort();
}

std::string describe(const SgDecision& d) {
  if (!d.allowed) return "dropped";
  return "allowed by group " + std::to_string(d.rule->sg.value) + " rule " + std::to_string(d.rule->index);
}

std::string describe(const NaclDecision& d) {
  const std::string action(to_string(d.action));
  return d.entry ? action + " by entry " + std::to_string(d.entry->index) : action + " by the implicit deny";
}

bool same(const SgDecision& a, const SgDecision& b) { return a.allowed == b.allowed && a.rule == b.rule; }
bool same(const NaclDecision& a, const NaclDecision& b) { return a.action == b.action && a.entry == b.entry; }

// Verdict and deciding rule, for every packet; returns how many the oracle allows.
std::size_t verify_sg(const SgWorkload& w, Direction d, const std::vector<Packet>& packets) {
  const SgFilter compiled(w.net, w.eni, d);
  const LinearSgFilter linear(w.net, w.eni, d);
  std::size_t allowed = 0;
  for (const Packet& p : packets) {
    const SgDecision want = evaluate_sg_linear(w.net, w.eni, d, p);
    if (const auto got = compiled.evaluate(p); !same(got, want)) fail("SgFilter", p, describe(got), describe(want));
    if (const auto got = linear.evaluate(p); !same(got, want)) {
      fail("LinearClassifier", p, describe(got), describe(want));
    }
    allowed += want.allowed ? 1 : 0;
  }
  return allowed;
}

std::size_t verify_nacl(const SgWorkload& w, Direction d, const std::vector<Packet>& packets) {
  const NaclFilter compiled(w.net.nacl(w.nacl), w.nacl, d);
  std::size_t allowed = 0;
  for (const Packet& p : packets) {
    const NaclDecision want = evaluate_nacl_linear(w.net, w.nacl, d, p);
    if (const auto got = compiled.evaluate(p); !same(got, want)) fail("NaclFilter", p, describe(got), describe(want));
    allowed += want.action == RuleAction::kAllow ? 1 : 0;
  }
  return allowed;
}

std::string percent(std::size_t part, std::size_t whole) {
  return std::to_string(part * 100 / whole) + "% of " + std::to_string(whole);
}

void verify_and_describe(const SgWorkload& w) {
  const auto& packets = w.packets;
  if (packets.empty() || (packets.size() & (packets.size() - 1)) != 0) {
    std::fprintf(stderr, "vpcsim_bench: the packet pool size must be a power of two\n");
    std::abort();
  }
  const auto back = replies(packets);
  const std::size_t sg_in = verify_sg(w, Direction::kIngress, packets);
  const std::size_t sg_out = verify_sg(w, Direction::kEgress, back);
  const std::size_t nacl_in = verify_nacl(w, Direction::kIngress, packets);
  const std::size_t nacl_out = verify_nacl(w, Direction::kEgress, back);
  benchmark::AddCustomContext("sg_rules_ingress", std::to_string(sg_rules_written(w, Direction::kIngress)));
  benchmark::AddCustomContext("packets_allowed_sg_ingress", percent(sg_in, packets.size()));
  benchmark::AddCustomContext("packets_allowed_nacl_ingress", percent(nacl_in, packets.size()));
  benchmark::AddCustomContext("verified",
                              "SgFilter, LinearClassifier and NaclFilter agree with the linear oracle on "
                              "every packet and reply (verdict and deciding rule); replies allowed: SG " +
                                  percent(sg_out, back.size()) + ", NACL " + percent(nacl_out, back.size()));
}

// One packet per iteration, cycling through the pool, so the reported items/s are packets/s.
template <class Evaluate>
void run_packets(benchmark::State& state, const Evaluate& evaluate) {
  const auto& packets = workload().packets;
  const std::size_t mask = packets.size() - 1;
  std::size_t i = 0;
  for (auto _ : state) {
    auto decision = evaluate(packets[i++ & mask]);
    benchmark::DoNotOptimize(decision);
  }
  state.SetItemsProcessed(state.iterations());
}

benchmark::Counter bytes(std::size_t n) {
  return benchmark::Counter(static_cast<double>(n), benchmark::Counter::kDefaults, benchmark::Counter::kIs1024);
}

// The deliberately naive scan over the rules as written: SG-reference and prefix-list peers
// are resolved again for every packet (members_of walks every interface).
void BM_SgNaive(benchmark::State& state) {
  const SgWorkload& w = workload();
  run_packets(state, [&](const Packet& p) { return evaluate_sg_linear(w.net, w.eni, Direction::kIngress, p); });
  state.counters["rules"] = static_cast<double>(sg_rules_written(w, Direction::kIngress));
}

void BM_SgLinearClassifier(benchmark::State& state) {
  const SgWorkload& w = workload();
  const LinearSgFilter filter(w.net, w.eni, Direction::kIngress);
  run_packets(state, [&](const Packet& p) { return filter.evaluate(p); });
  state.counters["rules"] = static_cast<double>(sg_rules_written(w, Direction::kIngress));
  state.counters["expanded"] = static_cast<double>(filter.expanded_rules());
  state.counters["bytes"] = bytes(filter.memory_bytes());
}

void BM_SgCompiled(benchmark::State& state) {
  const SgWorkload& w = workload();
  const SgFilter filter(w.net, w.eni, Direction::kIngress);
  run_packets(state, [&](const Packet& p) { return filter.evaluate(p); });
  state.counters["rules"] = static_cast<double>(filter.rule_count());
  state.counters["bytes"] = bytes(filter.memory_bytes());
}

void BM_SgFilterBuild(benchmark::State& state) {
  const SgWorkload& w = workload();
  std::size_t memory = 0;
  for (auto _ : state) {
    SgFilter filter(w.net, w.eni, Direction::kIngress);
    benchmark::DoNotOptimize(filter);
    memory = filter.memory_bytes();
  }
  state.counters["rules"] = static_cast<double>(sg_rules_written(w, Direction::kIngress));
  state.counters["bytes"] = bytes(memory);
}

void BM_NaclLinear(benchmark::State& state) {
  const SgWorkload& w = workload();
  run_packets(state, [&](const Packet& p) { return evaluate_nacl_linear(w.net, w.nacl, Direction::kIngress, p); });
  state.counters["entries"] = static_cast<double>(w.net.nacl(w.nacl).ingress.size());
}

void BM_NaclCompiled(benchmark::State& state) {
  const SgWorkload& w = workload();
  const NaclFilter filter(w.net.nacl(w.nacl), w.nacl, Direction::kIngress);
  run_packets(state, [&](const Packet& p) { return filter.evaluate(p); });
  state.counters["entries"] = static_cast<double>(w.net.nacl(w.nacl).ingress.size());
}

BENCHMARK(BM_SgNaive);
BENCHMARK(BM_SgLinearClassifier);
BENCHMARK(BM_SgCompiled);
BENCHMARK(BM_SgFilterBuild)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_NaclLinear);
BENCHMARK(BM_NaclCompiled);

}  // namespace

}  // namespace vpcsim::bench

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  vpcsim::bench::verify_and_describe(vpcsim::bench::workload());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
