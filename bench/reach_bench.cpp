// vpcsim_reach_bench: the reachability matrix (model/analysis/reachability.h) for 1,000
// interfaces, each carrying 5 security groups of 60 rules per direction, on one port; against
// a baseline in the same process that runs PathEvaluator::exchange once per pair and model
// with a single client port (what sampling one flow per pair would cost). See bench/README.md.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <fstream>
#include <random>
#include <string>

#include "model/analysis/reachability.h"
#include "model/compiled_filters.h"
#include "model/network.h"

namespace vpcsim::bench {
namespace {

constexpr int kEnis = 1000;
constexpr int kSubnets = 10;
constexpr int kGroups = 20;
constexpr int kGroupsPerEni = 5;
constexpr int kRulesPerGroup = 60;  // per direction
constexpr std::uint16_t kQueryPort = 5432;

// Deterministic: mt19937 with modulo draws only (no std::*_distribution).
struct Draw {
  std::mt19937 rng{20251125};
  std::uint32_t below(std::uint32_t n) { return rng() % n; }
};

IpAddress eni_address(int i) { return IpAddress::v4((10u << 24) | (static_cast<std::uint32_t>(1 + i / 100) << 8) | (10 + i % 100)); }

// `mixed`: rules over a dozen service ports, ranges among them (about 60 port boundaries per
// interface and direction inside the ephemeral range). Otherwise the goal's workload: every
// inbound rule on the queried port, outbound rules on it or on the ephemeral range.
Network make_network(bool mixed) {
  Draw d;
  Network net;
  net.vpc.id = "vpc-bench";
  net.vpc.ipv4_cidrs.push_back(Cidr::parse("10.0.0.0/16").value());
  net.vpc.internet_gateway = true;
  NetworkAcl def{"acl-default", true, {}, {}};
  add_default_nacl_entries(def, false);
  net.network_acls.push_back(def);
  // A custom ACL as AWS's example has it: service ports in, ephemeral ports out, and back.
  NetworkAcl custom{"acl-app", false, {}, {}};
  int n = 100;
  for (const std::uint16_t port : {22, 80, 443, 5432, 6379, 8080, 9000}) {
    custom.ingress.push_back({n, RuleAction::kAllow, TrafficMatch::tcp(PortRange::single(port)), Cidr::parse("10.0.0.0/16").value()});
    custom.egress.push_back({n, RuleAction::kAllow, TrafficMatch::tcp(PortRange::single(port)), Cidr::parse("10.0.0.0/16").value()});
    n += 10;
  }
  custom.ingress.push_back({n, RuleAction::kDeny, TrafficMatch::tcp(PortRange{1024, 2047}), Cidr::parse("10.0.9.0/24").value()});
  custom.ingress.push_back({n + 10, RuleAction::kAllow, TrafficMatch::tcp(PortRange{1024, 65535}), Cidr::parse("10.0.0.0/16").value()});
  custom.egress.push_back({n + 10, RuleAction::kAllow, TrafficMatch::tcp(PortRange{32768, 65535}), Cidr::parse("10.0.0.0/16").value()});
  custom.sort_entries();
  net.network_acls.push_back(custom);
  net.vpc.default_nacl = NaclId(0);
  for (int s = 0; s < kSubnets; ++s) {
    Subnet sub;
    sub.id = "subnet-" + std::to_string(s);
    sub.ipv4_cidr = Cidr::of(IpAddress::v4((10u << 24) | (static_cast<std::uint32_t>(1 + s) << 8)), 24);
    sub.nacl = NaclId(s % 2);
    net.subnets.push_back(sub);
  }
  static const std::uint16_t kPorts[] = {22, 80, 443, 3306, 5432, 5432, 6379, 8080, 8443, 9000, 9090, 27017};
  for (int g = 0; g < kGroups; ++g) {
    SecurityGroup sg{"sg-" + std::to_string(g), "group-" + std::to_string(g), "", {}, {}};
    for (const Direction dir : {Direction::kIngress, Direction::kEgress}) {
      for (int r = 0; r < kRulesPerGroup; ++r) {
        SgRule rule;
        const std::uint32_t kind = d.below(100);
        const std::uint16_t port = kPorts[d.below(std::size(kPorts))];
        if (!mixed) {
          const bool ephemeral = dir == Direction::kEgress && kind < 50;
          rule.traffic = ephemeral ? TrafficMatch::tcp(PortRange{1024, 65535}) : TrafficMatch::tcp(PortRange::single(kQueryPort));
        } else
        if (kind < 70) rule.traffic = TrafficMatch::tcp(PortRange::single(port));
        else if (kind < 80) rule.traffic = TrafficMatch::tcp(PortRange{port, static_cast<std::uint16_t>(port + d.below(100))});
        else if (kind < 88) rule.traffic = TrafficMatch::udp(PortRange::single(static_cast<std::uint16_t>(d.below(2) ? 53 : 123)));
        else if (kind < 94 && dir == Direction::kEgress) rule.traffic = TrafficMatch::tcp(PortRange{1024, 65535});
        else if (kind < 97) rule.traffic = TrafficMatch::tcp(PortRange{32768, 65535});
        else rule.traffic = TrafficMatch::all();
        const std::uint32_t peer = d.below(100);
        if (peer < 50) rule.peer = Cidr::host(eni_address(static_cast<int>(d.below(kEnis))));
        else if (peer < 75) rule.peer = Cidr::of(IpAddress::v4((10u << 24) | ((1 + d.below(kSubnets)) << 8)), 24);
        else if (peer < 78) rule.peer = SgId(d.below(kGroups));
        else if (peer < 95) rule.peer = Cidr::parse("10.0.0.0/16").value();
        else rule.peer = Cidr::of(IpAddress::v4((198u << 24) | (51u << 16) | (d.below(256) << 8)), 24);
        sg.rules(dir).push_back(rule);
      }
    }
    net.security_groups.push_back(std::move(sg));
  }
  for (int i = 0; i < kEnis; ++i) {
    Instance inst{"i" + std::to_string(i), "", "", {EniId(static_cast<std::uint32_t>(i))}};
    net.instances.push_back(inst);
    Eni e;
    e.id = "eni-" + std::to_string(i);
    e.subnet = SubnetId(static_cast<std::uint32_t>(i / 100));
    e.instance = InstanceId(static_cast<std::uint32_t>(i));
    e.private_ipv4.push_back(eni_address(i));
    for (int k = 0; k < kGroupsPerEni; ++k) e.groups.push_back(SgId(static_cast<std::uint32_t>((i + 3 * k) % kGroups)));
    net.enis.push_back(e);
  }
  return net;
}

const Network& network(bool mixed) {
  static const Network one_port = make_network(false);
  static const Network mixed_ports = make_network(true);
  return mixed ? mixed_ports : one_port;
}

// A field of /proc/self/status in KiB ("VmHWM"), or -1.
long status_kib(const std::string& field) {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1));
  }
  return -1;
}

void BM_CompileFilters(benchmark::State& state) {
  for (auto _ : state) {
    CompiledFilters f(network(state.range(0) != 0));
    benchmark::DoNotOptimize(f);
  }
}
BENCHMARK(BM_CompileFilters)->Unit(benchmark::kMillisecond)->Iterations(1)->Arg(0)->Arg(1);

// The matrix: every ordered pair of the 1,000 interfaces, both models, every client-port class.
// Arg 0: the goal's workload (rules on the one port); arg 1: mixed ports.
void BM_ReachMatrix(benchmark::State& state) {
  const Network& net = network(state.range(0) != 0);
  const CompiledFilters filters(net);
  const auto ends = analysis::all_endpoints(net);
  analysis::ReachQuery q;
  q.port = kQueryPort;
  std::size_t works = 0, partial = 0;
  const long hwm_before = status_kib("VmHWM");
  for (auto _ : state) {
    const auto m = analysis::reachability(net, filters, ends, ends, q);
    works = partial = 0;
    for (std::size_t i = 0; i < ends.size(); ++i) {
      for (std::size_t j = 0; j < ends.size(); ++j) {
        const auto& c = m.at(FilteringModel::kStateless, i, j);
        works += c.works();
        partial += c.request && c.reply == analysis::Coverage::kSome;
      }
    }
    benchmark::DoNotOptimize(works);
  }
  const double pairs = static_cast<double>(ends.size() * ends.size());
  state.counters["pairs"] = pairs;
  state.counters["pairs/s"] = benchmark::Counter(pairs * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["stateless_works"] = static_cast<double>(works);
  state.counters["stateless_partial"] = static_cast<double>(partial);
  state.counters["matrix_MiB"] = 2 * pairs * sizeof(analysis::ReachCell) / (1024.0 * 1024.0);
  state.counters["VmHWM_MiB"] = static_cast<double>(status_kib("VmHWM")) / 1024.0;
  state.counters["VmHWM_growth_MiB"] = static_cast<double>(status_kib("VmHWM") - hwm_before) / 1024.0;
}
BENCHMARK(BM_ReachMatrix)->Unit(benchmark::kMillisecond)->Iterations(2)->Arg(0)->Arg(1);

// Baseline: one PathEvaluator::exchange per pair and model, client port 50000 only.
void BM_ExchangePerPairBaseline(benchmark::State& state) {
  const Network& net = network(state.range(0) != 0);
  const CompiledFilters filters(net);
  const PathEvaluator ev(net, filters);
  const auto ends = analysis::all_endpoints(net);
  analysis::ReachQuery q;
  q.port = kQueryPort;
  for (auto _ : state) {
    std::size_t works = 0;
    for (const Endpoint& c : ends) {
      for (const Endpoint& s : ends) {
        if (c == s) continue;
        const auto p = analysis::query_packet(ev, c, s, q, 50000);
        for (const FilteringModel m : {FilteringModel::kStateless, FilteringModel::kStateful}) works += ev.exchange(c, s, *p, m).works();
      }
    }
    benchmark::DoNotOptimize(works);
  }
  const double pairs = static_cast<double>(ends.size() * ends.size());
  state.counters["pairs/s"] = benchmark::Counter(pairs * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ExchangePerPairBaseline)->Unit(benchmark::kMillisecond)->Iterations(2)->Arg(0)->Arg(1);

}  // namespace
}  // namespace vpcsim::bench

BENCHMARK_MAIN();
