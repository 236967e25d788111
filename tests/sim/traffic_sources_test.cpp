#include "sim/traffic_sources.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <tuple>
#include <vector>

#include "tests/model/network_builder.h"

namespace vpcsim {
namespace {

using namespace vpcsim::test;

// web-1, web-2 and db in one subnet (IPv4 and IPv6), and two hosts on the internet.
struct Fixture {
  Fixture() {
    NetworkBuilder b("10.0.0.0/16", "2600:1f18::/56");
    const SubnetId s = b.subnet("app", "10.0.1.0/24", true, "2600:1f18:0:1::/64");
    web1 = b.instance("web-1", s, "10.0.1.10", {SgId(0)});
    web2 = b.instance("web-2", s, "10.0.1.11", {SgId(0)});
    db = b.instance("db", s, "10.0.1.20", {SgId(0)});
    for (EniId e : {web1, web2, db}) b.eni(e).ipv6.push_back(ip("2600:1f18:0:1::" + std::to_string(10 + e.value)));
    client = b.external_host("client", "198.51.100.7");
    other = b.external_host("other", "198.51.100.8");
    scenario.network = b.build();
  }

  // Sessions from both internet hosts to the web servers on 80 and 443.
  GeneratorSpec sessions() const {
    GeneratorSpec g;
    g.name = "web-traffic";
    g.clients = {client, other};
    g.servers = {web1, web2};
    g.ports = {80, 443};
    g.rate_per_second = 10;
    g.stop = seconds(100);
    return g;
  }

  Scenario scenario;
  EniId web1, web2, db;
  ExternalHostId client, other;
};

std::vector<Flow> drain(TrafficSource& source, std::size_t limit = 10'000'000) {
  std::vector<Flow> out;
  while (out.size() < limit) {
    auto f = source.next();
    if (!f) break;
    out.push_back(*std::move(f));
  }
  return out;
}

std::vector<Flow> run(const Network& net, const GeneratorSpec& spec, std::uint64_t seed = 1, SimTime horizon = {},
                      std::uint32_t index = 0) {
  GeneratorSource source(net, spec, index, seed, horizon);
  return drain(source);
}

// Everything a flow carries, to compare two runs whole.
auto key(const Flow& f) {
  return std::tuple(f.source, f.generated, f.client, f.server, f.request.to_string(), f.start, f.duration,
                    f.request_packets, f.reply_packets, f.request_bytes, f.reply_bytes);
}

bool same_flows(const std::vector<Flow>& a, const std::vector<Flow>& b) {
  return std::ranges::equal(a, b, [](const Flow& x, const Flow& y) { return key(x) == key(y); });
}

// ---- randomness ---------------------------------------------------------------------------

TEST(RandomStream, Splitmix64MatchesTheReferenceOutput) {
  // The first output of the reference splitmix64 seeded with 0 (Vigna's splitmix64.c).
  EXPECT_EQ(splitmix64(0), 0xe220a8397b1dcdafULL);
}

TEST(RandomStream, SameSeedAndStreamGiveTheSameBits) {
  RandomStream a(42, 3), b(42, 3), c(42, 4), d(43, 3);
  std::vector<std::uint64_t> va, vb, vc, vd;
  for (int i = 0; i < 100; ++i) {
    va.push_back(a.bits());
    vb.push_back(b.bits());
    vc.push_back(c.bits());
    vd.push_back(d.bits());
  }
  EXPECT_EQ(va, vb);
  EXPECT_NE(va, vc);
  EXPECT_NE(va, vd);
}

TEST(RandomStream, BelowStaysInRangeAndIsUniform) {
  RandomStream r(7, 0);
  constexpr int kDraws = 600'000;
  std::vector<int> counts(6);
  for (int i = 0; i < kDraws; ++i) {
    const std::uint64_t v = r.below(6);
    ASSERT_LT(v, 6u);
    ++counts[v];
  }
  // 100,000 expected per face, standard deviation about 290: 2% is about 7 of them.
  for (int c : counts) EXPECT_NEAR(c, kDraws / 6, kDraws / 6 / 50);
  EXPECT_EQ(r.below(1), 0u);
  EXPECT_LT(r.below(std::numeric_limits<std::uint64_t>::max()), std::numeric_limits<std::uint64_t>::max());
}

TEST(RandomStream, UnitIsInTheHalfOpenInterval) {
  RandomStream r(1, 1);
  double sum = 0;
  for (int i = 0; i < 100'000; ++i) {
    const double u = r.unit();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
  }
  EXPECT_NEAR(sum / 100'000, 0.5, 0.01);
}

TEST(RandomStream, ExponentialHasTheRequestedMean) {
  RandomStream r(3, 9);
  double sum = 0;
  constexpr int kDraws = 200'000;
  for (int i = 0; i < kDraws; ++i) {
    const double x = r.exponential(2.5);
    ASSERT_GE(x, 0.0);
    sum += x;
  }
  EXPECT_NEAR(sum / kDraws, 2.5, 2.5 * 0.01);  // standard error 0.22%
}

TEST(FromSeconds, RoundsToTheNearestNanosecondAndClamps) {
  EXPECT_EQ(from_seconds(1.5), milliseconds(1500));
  EXPECT_EQ(from_seconds(0.1), SimTime(100'000'000));
  EXPECT_EQ(from_seconds(1.4e-9), SimTime(1));
  EXPECT_EQ(from_seconds(-3), SimTime::zero());
  EXPECT_EQ(from_seconds(std::nan("")), SimTime::zero());
  EXPECT_EQ(from_seconds(1e300), kLongestDraw);
}

TEST(HasSessionPair, NeedsTwoDifferentEndpointsOneInTheVpc) {
  const Fixture fx;
  EXPECT_TRUE(has_session_pair({fx.client}, {fx.web1}));
  EXPECT_TRUE(has_session_pair({fx.web1}, {fx.web1, fx.web2}));
  EXPECT_FALSE(has_session_pair({fx.web1}, {fx.web1}));
  EXPECT_FALSE(has_session_pair({fx.client, fx.other}, {fx.client, fx.other}));
  EXPECT_FALSE(has_session_pair({}, {fx.web1}));
}

// ---- explicit flows -----------------------------------------------------------------------

TEST(ExplicitFlowSource, YieldsTheScenarioFlowsInStartThenPositionOrder) {
  Fixture fx;
  const auto spec = [&](std::string name, SimTime start, Endpoint from, Endpoint to) {
    FlowSpec f;
    f.name = std::move(name);
    f.client = from;
    f.server = to;
    f.client_port = 50000;
    f.server_port = 443;
    f.start = start;
    return f;
  };
  fx.scenario.flows = {spec("late", seconds(5), fx.client, fx.web1), spec("first", seconds(1), fx.client, fx.web2),
                       spec("also-late", seconds(5), fx.web1, fx.db)};
  fx.scenario.flows[0].request_packets = 3;
  fx.scenario.flows[0].reply_bytes = 1234;
  ExplicitFlowSource source(fx.scenario);
  const std::vector<Flow> flows = drain(source);
  ASSERT_EQ(flows.size(), 3u);
  EXPECT_EQ(flows[0].source, 1u);
  EXPECT_EQ(flows[1].source, 0u);
  EXPECT_EQ(flows[2].source, 2u);
  for (const Flow& f : flows) EXPECT_FALSE(f.generated);
  EXPECT_EQ(flows[1].request.to_string(), "tcp 198.51.100.7:50000 -> 10.0.1.10:443");
  EXPECT_EQ(flows[1].start, seconds(5));
  EXPECT_EQ(flows[1].request_packets, 3u);
  EXPECT_EQ(flows[1].reply_bytes, 1234u);
  EXPECT_EQ(flows[1].duration, seconds(1));
  EXPECT_FALSE(source.next());
}

TEST(ExplicitFlowSource, BuildsIcmpAndIpv6Requests) {
  Fixture fx;
  FlowSpec ping;
  ping.client = fx.web1;
  ping.server = fx.db;
  ping.family = Family::kIpv6;
  ping.protocol = Protocol::kIcmpv6;
  ping.icmp_type = 128;
  fx.scenario.flows = {ping};
  ExplicitFlowSource source(fx.scenario);
  EXPECT_EQ(source.next()->request.to_string(), "icmpv6 2600:1f18:0:1::10 -> 2600:1f18:0:1::12 type 128 code 0");
}

// ---- sessions -----------------------------------------------------------------------------

TEST(GeneratorSource, SameSeedGivesTheSameFlows) {
  const Fixture fx;
  const auto a = run(fx.scenario.network, fx.sessions(), 99);
  const auto b = run(fx.scenario.network, fx.sessions(), 99);
  ASSERT_GT(a.size(), 500u);
  EXPECT_TRUE(same_flows(a, b));
}

TEST(GeneratorSource, DifferentSeedOrGeneratorGivesDifferentFlows) {
  const Fixture fx;
  const auto base = run(fx.scenario.network, fx.sessions(), 99);
  EXPECT_FALSE(same_flows(base, run(fx.scenario.network, fx.sessions(), 100)));
  EXPECT_FALSE(same_flows(base, run(fx.scenario.network, fx.sessions(), 99, {}, 1)));
}

TEST(GeneratorSource, FlowsAreMarkedWithTheirGenerator) {
  const Fixture fx;
  for (const Flow& f : run(fx.scenario.network, fx.sessions(), 1, {}, 4)) {
    EXPECT_TRUE(f.generated);
    EXPECT_EQ(f.source, 4u);
  }
}

TEST(GeneratorSource, StartTimesAreNonDecreasingWithinStartAndStop) {
  const Fixture fx;
  GeneratorSpec spec = fx.sessions();
  spec.start = seconds(10);
  spec.stop = seconds(30);
  const auto flows = run(fx.scenario.network, spec);
  ASSERT_FALSE(flows.empty());
  EXPECT_TRUE(std::ranges::is_sorted(flows, {}, &Flow::start));
  EXPECT_GT(flows.front().start, seconds(10));  // Poisson: the first arrival is a gap after start
  EXPECT_LT(flows.back().start, seconds(30));
}

TEST(GeneratorSource, PoissonArrivalsHaveTheRequestedRate) {
  const Fixture fx;
  GeneratorSpec spec = fx.sessions();
  spec.rate_per_second = 50;
  spec.stop = seconds(2000);
  const auto flows = run(fx.scenario.network, spec, 2024);
  // 100,000 arrivals expected, standard deviation about 316: 1.5% is almost 5 of them. The
  // seed is fixed, so this checks one known sequence and cannot be flaky.
  EXPECT_NEAR(static_cast<double>(flows.size()), 100'000, 1'500);
  // Exponential gaps: the standard deviation equals the mean (a constant rate would give 0).
  double sum = 0, squares = 0;
  for (std::size_t i = 1; i < flows.size(); ++i) {
    const double gap = std::chrono::duration<double>(flows[i].start - flows[i - 1].start).count();
    sum += gap;
    squares += gap * gap;
  }
  const double n = static_cast<double>(flows.size() - 1);
  const double mean = sum / n;
  EXPECT_NEAR(mean, 0.02, 0.02 * 0.015);
  EXPECT_NEAR(std::sqrt(squares / n - mean * mean) / mean, 1.0, 0.02);
}

TEST(GeneratorSource, ConstantArrivalsAreEvenlySpacedFromStart) {
  const Fixture fx;
  GeneratorSpec spec = fx.sessions();
  spec.arrival = GeneratorSpec::Arrival::kConstant;
  spec.rate_per_second = 4;
  spec.start = seconds(2);
  spec.stop = seconds(12);
  const auto flows = run(fx.scenario.network, spec);
  ASSERT_EQ(flows.size(), 40u);  // 2.00, 2.25, ..., 11.75
  for (std::size_t i = 0; i < flows.size(); ++i) EXPECT_EQ(flows[i].start, seconds(2) + i * milliseconds(250));
}

TEST(GeneratorSource, ConstantArrivalsDoNotAccumulateRounding) {
  const Fixture fx;
  GeneratorSpec spec = fx.sessions();
  spec.arrival = GeneratorSpec::Arrival::kConstant;
  spec.rate_per_second = 3;  // 333,333,333.3 ns apart
  spec.stop = seconds(1000);
  const auto flows = run(fx.scenario.network, spec);
  ASSERT_EQ(flows.size(), 3000u);
  for (std::size_t i = 0; i < flows.size(); i += 3)
    EXPECT_EQ(flows[i].start, seconds(static_cast<std::int64_t>(i / 3)));
  EXPECT_EQ(flows[1].start, SimTime(333'333'333));
  EXPECT_EQ(flows[2].start, SimTime(666'666'667));
}

TEST(GeneratorSource, FlowLimitIsRespected) {
  const Fixture fx;
  GeneratorSpec spec = fx.sessions();
  spec.flow_limit = 7;
  spec.stop = SimTime::max();
  GeneratorSource source(fx.scenario.network, spec, 0, 1, SimTime::zero());
  EXPECT_EQ(drain(source).size(), 7u);
  EXPECT_FALSE(source.next());
}

TEST(GeneratorSource, TheHorizonEndsAnUnstoppedGenerator) {
  const Fixture fx;
  GeneratorSpec spec = fx.sessions();
  spec.arrival = GeneratorSpec::Arrival::kConstant;
  spec.stop = SimTime::max();
  const auto flows = run(fx.scenario.network, spec, 1, seconds(5));
  ASSERT_EQ(flows.size(), 50u);
  EXPECT_LT(flows.back().start, seconds(5));
  // The earlier of the stop and the horizon wins.
  spec.stop = seconds(2);
  EXPECT_EQ(run(fx.scenario.network, spec, 1, seconds(5)).size(), 20u);
}

TEST(GeneratorSource, ClientPortsAreDrawnFromTheEphemeralRange) {
  const Fixture fx;
  GeneratorSpec spec = fx.sessions();
  spec.client_port_low = 40000;
  spec.client_port_high = 40009;
  std::set<std::uint16_t> seen;
  for (const Flow& f : run(fx.scenario.network, spec)) {
    ASSERT_GE(f.request.src_port, 40000);
    ASSERT_LE(f.request.src_port, 40009);
    seen.insert(f.request.src_port);
  }
  EXPECT_EQ(seen.size(), 10u);
}

TEST(GeneratorSource, DefaultClientPortsAreLinuxEphemeralPorts) {
  const Fixture fx;
  for (const Flow& f : run(fx.scenario.network, fx.sessions())) {
    ASSERT_GE(f.request.src_port, 32768);
    ASSERT_LE(f.request.src_port, 60999);
  }
}

TEST(GeneratorSource, PicksServerPortsAndPairsUniformly) {
  const Fixture fx;
  GeneratorSpec spec = fx.sessions();
  spec.stop = seconds(1000);  // about 10,000 sessions
  std::map<std::tuple<Endpoint, Endpoint, std::uint16_t>, int> counts;
  const auto flows = run(fx.scenario.network, spec, 5);
  for (const Flow& f : flows) ++counts[{f.client, f.server, f.request.dst_port}];
  ASSERT_EQ(counts.size(), 8u);  // 2 clients x 2 servers x 2 ports
  const double expected = static_cast<double>(flows.size()) / 8;
  for (const auto& [k, n] : counts) EXPECT_NEAR(n, expected, expected * 0.1);
}

TEST(GeneratorSource, NeverPairsAnEndpointWithItselfOrTwoInternetHosts) {
  const Fixture fx;
  GeneratorSpec spec = fx.sessions();
  spec.clients = {fx.web1, fx.client, fx.other};
  spec.servers = {fx.web1, fx.client};
  const auto flows = run(fx.scenario.network, spec);
  ASSERT_GT(flows.size(), 500u);
  std::set<std::pair<Endpoint, Endpoint>> pairs;
  for (const Flow& f : flows) pairs.emplace(f.client, f.server);
  // web-1 -> client, client -> web-1, other -> web-1: all three, and nothing else.
  EXPECT_EQ(pairs,
            (std::set<std::pair<Endpoint, Endpoint>>{{fx.web1, fx.client}, {fx.client, fx.web1}, {fx.other, fx.web1}}));
}

TEST(GeneratorSource, ProducesNothingWithoutAQualifyingPair) {
  const Fixture fx;
  GeneratorSpec spec = fx.sessions();
  spec.clients = {fx.client};
  spec.servers = {fx.other};
  EXPECT_TRUE(run(fx.scenario.network, spec).empty());
}

TEST(GeneratorSource, CarriesPacketsAndBytesOfTheSpec) {
  const Fixture fx;
  GeneratorSpec spec = fx.sessions();
  spec.request_packets = 3;
  spec.reply_packets = 7;
  spec.bytes_per_packet = 100;
  spec.duration = {DurationDistribution::Kind::kFixed, 2.5, 2.5};
  for (const Flow& f : run(fx.scenario.network, spec)) {
    EXPECT_EQ(f.request_packets, 3u);
    EXPECT_EQ(f.reply_packets, 7u);
    EXPECT_EQ(f.request_bytes, 300u);
    EXPECT_EQ(f.reply_bytes, 700u);
    EXPECT_EQ(f.duration, milliseconds(2500));
  }
}

TEST(GeneratorSource, DrawsDurationsFromTheDistribution) {
  const Fixture fx;
  GeneratorSpec spec = fx.sessions();
  spec.stop = seconds(1000);
  spec.duration = {DurationDistribution::Kind::kUniform, 2, 4};
  double sum = 0;
  auto flows = run(fx.scenario.network, spec);
  for (const Flow& f : flows) {
    ASSERT_GE(f.duration, seconds(2));
    ASSERT_LE(f.duration, seconds(4));
    sum += std::chrono::duration<double>(f.duration).count();
  }
  EXPECT_NEAR(sum / static_cast<double>(flows.size()), 3.0, 0.03);
  spec.duration = {DurationDistribution::Kind::kExponential, 30, 30};
  sum = 0;
  flows = run(fx.scenario.network, spec);
  for (const Flow& f : flows) sum += std::chrono::duration<double>(f.duration).count();
  EXPECT_NEAR(sum / static_cast<double>(flows.size()), 30.0, 30 * 0.04);  // standard error 1%
}

TEST(GeneratorSource, UsesTheGeneratorsFamilyAndIcmpType) {
  const Fixture fx;
  GeneratorSpec spec = fx.sessions();
  spec.clients = {fx.web1};
  spec.servers = {fx.db};
  spec.family = Family::kIpv6;
  spec.protocol = Protocol::kIcmpv6;
  spec.ports.clear();
  spec.icmp_type = 128;
  spec.flow_limit = 1;
  EXPECT_EQ(run(fx.scenario.network, spec).at(0).request.to_string(),
            "icmpv6 2600:1f18:0:1::10 -> 2600:1f18:0:1::12 type 128 code 0");
}

// ---- scanner ------------------------------------------------------------------------------

GeneratorSpec scanner(const Fixture& fx) {
  GeneratorSpec g;
  g.name = "scan";
  g.kind = GeneratorSpec::Kind::kScanner;
  g.clients = {fx.client};
  g.servers = {fx.web1, fx.web2, fx.db};
  g.ports = {22, 23, 3306, 5432};
  g.arrival = GeneratorSpec::Arrival::kConstant;
  g.rate_per_second = 2;
  g.start = seconds(1);
  g.request_packets = g.reply_packets = 1;
  g.bytes_per_packet = 60;
  return g;
}

TEST(ScannerSource, ProbesEveryTargetPortOnceInOrderAtItsRate) {
  const Fixture fx;
  const auto flows = run(fx.scenario.network, scanner(fx));
  ASSERT_EQ(flows.size(), 12u);
  const std::vector<EniId> targets = {fx.web1, fx.web2, fx.db};
  const std::vector<std::uint16_t> ports = {22, 23, 3306, 5432};
  for (std::size_t i = 0; i < flows.size(); ++i) {
    const Flow& f = flows[i];
    EXPECT_EQ(f.client, Endpoint(fx.client));
    EXPECT_EQ(f.server, Endpoint(targets[i / 4]));
    EXPECT_EQ(f.request.dst_port, ports[i % 4]);
    EXPECT_EQ(f.start, seconds(1) + i * milliseconds(500));
    EXPECT_EQ(f.duration, SimTime::zero());
    EXPECT_EQ(f.request_packets, 1u);
    EXPECT_EQ(f.reply_packets, 1u);
    EXPECT_EQ(f.request_bytes, 60u);
  }
}

TEST(ScannerSource, StopsAtTheHorizonOrStop) {
  const Fixture fx;
  EXPECT_EQ(run(fx.scenario.network, scanner(fx), 1, seconds(3)).size(), 4u);  // at 1, 1.5, 2, 2.5
  GeneratorSpec spec = scanner(fx);
  spec.stop = seconds(2);
  EXPECT_EQ(run(fx.scenario.network, spec).size(), 2u);
  spec.flow_limit = 1;
  EXPECT_EQ(run(fx.scenario.network, spec).size(), 1u);
}

TEST(ScannerSource, ProbesEachTargetOnceWithoutPorts) {
  const Fixture fx;
  GeneratorSpec spec = scanner(fx);
  spec.protocol = Protocol::kIcmp;
  spec.ports.clear();
  const auto flows = run(fx.scenario.network, spec);
  ASSERT_EQ(flows.size(), 3u);
  EXPECT_EQ(flows[2].request.to_string(), "icmp 198.51.100.7 -> 10.0.1.20 type 8 code 0");
}

// ---- all sources --------------------------------------------------------------------------

TEST(MakeTrafficSources, ExplicitFlowsFirstThenEachGenerator) {
  Fixture fx;
  FlowSpec f;
  f.client = fx.client;
  f.server = fx.web1;
  f.server_port = 443;
  fx.scenario.flows = {f};
  fx.scenario.generators = {fx.sessions(), scanner(fx)};
  fx.scenario.horizon = seconds(10);
  auto sources = make_traffic_sources(fx.scenario, 1);
  ASSERT_EQ(sources.size(), 3u);
  EXPECT_FALSE(sources[0]->next()->generated);
  EXPECT_EQ(sources[1]->next()->source, 0u);
  EXPECT_EQ(sources[2]->next()->source, 1u);
  // The horizon bounds the generators: sessions' stop (100 s) is later.
  EXPECT_LT(drain(*sources[1]).back().start, seconds(10));
  // Seeds give each generator its own stream, as a lone GeneratorSource with the same index.
  auto again = make_traffic_sources(fx.scenario, 1);
  EXPECT_TRUE(same_flows(drain(*again[1]), run(fx.scenario.network, fx.scenario.generators[0], 1, seconds(10), 0)));
}

TEST(MakeTrafficSources, AlwaysHasTheExplicitSource) {
  Fixture fx;
  fx.scenario.generators = {scanner(fx)};
  auto sources = make_traffic_sources(fx.scenario, 1, seconds(60));
  ASSERT_EQ(sources.size(), 2u);
  EXPECT_FALSE(sources[0]->next());
  EXPECT_EQ(drain(*sources[1]).size(), 12u);
}

}  // namespace
}  // namespace vpcsim
