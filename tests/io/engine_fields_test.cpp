// The scenario fields the engine reads: horizon and seed, interfaces' connection-tracking
// timeouts, and when flows run and what they carry.
#include <gtest/gtest.h>

#include "io_test_support.h"

namespace vpcsim::io {
namespace {

using testing::expect_only_error;
using testing::kBase;
using testing::load_ok;

// ---- horizon and seed -------------------------------------------------------------------

TEST(HorizonConversion, RoundsSecondsToTheNearestNanosecond) {
  EXPECT_EQ(load_ok(kBase + "horizon_seconds: 90.5\n").horizon, milliseconds(90'500));
  EXPECT_EQ(load_ok(kBase + "horizon_seconds: 0.1\n").horizon, SimTime(100'000'000));
  EXPECT_EQ(load_ok(kBase + "horizon_seconds: 1.0000000004\n").horizon, SimTime(1'000'000'000));
  EXPECT_EQ(load_ok(kBase + "horizon_seconds: 1.0000000006\n").horizon, SimTime(1'000'000'001));
  EXPECT_EQ(load_ok(kBase).horizon, SimTime::zero());
}

TEST(HorizonConversion, RejectsNegativeInfiniteNanAndTooLong) {
  expect_only_error("horizon_seconds: -1\n", "horizon_seconds",
                    "horizon_seconds -1s is negative: it must be at least 0", "horizon_seconds");
  expect_only_error("horizon_seconds: inf\n", "horizon_seconds", "horizon_seconds is infinite", "horizon_seconds");
  expect_only_error("horizon_seconds: nan\n", "horizon_seconds", "horizon_seconds is NaN", "horizon_seconds");
  expect_only_error("horizon_seconds: 1e12\n", "horizon_seconds",
                    "horizon_seconds 1000000000000s is too long: vpcsim simulates at most 1000000000s",
                    "horizon_seconds");
}

TEST(SeedConversion, ZeroMeansOne) {
  EXPECT_EQ(load_ok(kBase).seed, 1u);
  EXPECT_EQ(load_ok(kBase + "seed: 0\n").seed, 1u);
  EXPECT_EQ(load_ok(kBase + "seed: 18446744073709551615\n").seed, 18446744073709551615u);
}

TEST(FidelityConversion, PacketOnlyWhenAskedFor) {
  EXPECT_FALSE(load_ok(kBase).packet_fidelity);
  EXPECT_FALSE(load_ok(kBase + "fidelity: FLOW\n").packet_fidelity);
  EXPECT_TRUE(load_ok(kBase + "fidelity: PACKET\n").packet_fidelity);
  expect_only_error("fidelity: 7\n", "fidelity", "unknown fidelity 7: use FLOW or PACKET", "fidelity");
}

// ---- connection tracking ----------------------------------------------------------------

// An instance (instances[2]) whose interface has `tracking` fields.
std::string tracked(const std::string& tracking) {
  return "instances {\n  name: \"t\"\n  interfaces { id: \"eni-t\" subnet: \"app\" private_ips: \"10.0.2.30\"\n"
         "    connection_tracking { " +
         tracking + " } }\n}\n";
}

const Eni& eni_t(const Scenario& s) { return s.network.enis.back(); }

TEST(ConnectionTrackingConversion, DefaultsAreAwss) {
  const Scenario s = load_ok(kBase + tracked(""));
  EXPECT_EQ(eni_t(s).conntrack, ConntrackTimeouts{});
  EXPECT_EQ(s.network.enis.front().conntrack, ConntrackTimeouts{});  // no connection_tracking at all
}

TEST(ConnectionTrackingConversion, TakesTheGivenTimeouts) {
  const ConntrackTimeouts t =
      eni_t(load_ok(kBase + tracked("tcp_established_timeout: 60 udp_stream_timeout: 120 udp_timeout: 45"))).conntrack;
  EXPECT_EQ(t.tcp_established, seconds(60));
  EXPECT_EQ(t.udp_stream, seconds(120));
  EXPECT_EQ(t.udp, seconds(45));
  EXPECT_EQ(t.other, ConntrackTimeouts{}.other);
}

TEST(ConnectionTrackingConversion, NitroV6DefaultsTcpEstablishedTo350Seconds) {
  EXPECT_EQ(eni_t(load_ok(kBase + tracked("nitro_v6: true"))).conntrack.tcp_established,
            ConntrackTimeouts::kNitroV6TcpEstablished);
  EXPECT_EQ(eni_t(load_ok(kBase + tracked("nitro_v6: true tcp_established_timeout: 1000"))).conntrack.tcp_established,
            seconds(1000));
}

TEST(ConnectionTrackingConversion, RejectsTimeoutsOutsideTheApiRanges) {
  const std::string field = "instances[2].interfaces[0].connection_tracking.";
  expect_only_error(tracked("tcp_established_timeout: 59"), field + "tcp_established_timeout",
                    "tcp_established_timeout 59 is out of range 60-432000 seconds (EC2 API "
                    "ConnectionTrackingSpecificationRequest); leave it out for AWS's default of 432000 seconds",
                    "tcp_established_timeout");
  expect_only_error(tracked("nitro_v6: true tcp_established_timeout: 432001"), field + "tcp_established_timeout",
                    "out of range 60-432000 seconds (EC2 API ConnectionTrackingSpecificationRequest); leave it out "
                    "for AWS's default of 350 seconds",
                    "tcp_established_timeout");
  expect_only_error(tracked("udp_stream_timeout: 181"), field + "udp_stream_timeout",
                    "udp_stream_timeout 181 is out of range 60-180 seconds", "udp_stream_timeout");
  expect_only_error(tracked("udp_timeout: 29"), field + "udp_timeout", "udp_timeout 29 is out of range 30-60 seconds",
                    "udp_timeout");
}

// ---- flow timing ------------------------------------------------------------------------

// An https flow (flows[4]) with `more` fields.
std::string timed_flow(const std::string& more) {
  return "flows {\n  name: \"t\" from: \"client\" to: \"web\" protocol: \"tcp\" port: 443\n  " + more + "\n}\n";
}

TEST(FlowTimingConversion, DefaultsToOneSecondTenPacketsAndFiveHundredBytesEach) {
  const FlowSpec f = load_ok(kBase + timed_flow("")).flows.back();
  EXPECT_EQ(f.start, SimTime::zero());
  EXPECT_EQ(f.duration, seconds(1));
  EXPECT_EQ(f.request_packets, 10u);
  EXPECT_EQ(f.reply_packets, 10u);
  EXPECT_EQ(f.request_bytes, 5000u);
  EXPECT_EQ(f.reply_bytes, 5000u);
}

TEST(FlowTimingConversion, TakesStartDurationAndSizes) {
  const FlowSpec f = load_ok(kBase + timed_flow("start_seconds: 2.5 duration_seconds: 600 request_packets: 3 "
                                                "reply_packets: 4 reply_bytes: 6000"))
                         .flows.back();
  EXPECT_EQ(f.start, milliseconds(2500));
  EXPECT_EQ(f.duration, seconds(600));
  EXPECT_EQ(f.request_packets, 3u);
  EXPECT_EQ(f.reply_packets, 4u);
  EXPECT_EQ(f.request_bytes, 1500u);  // 500 per packet of its own count
  EXPECT_EQ(f.reply_bytes, 6000u);
}

TEST(FlowTimingConversion, RejectsNegativeTimes) {
  expect_only_error(timed_flow("start_seconds: -1"), "flows[4].start_seconds", "start_seconds -1s is negative",
                    "start_seconds");
  expect_only_error(timed_flow("duration_seconds: -0.5"), "flows[4].duration_seconds",
                    "duration_seconds -0.5s is negative", "duration_seconds");
}

TEST(FlowTimingConversion, BytesAreAtLeastThePackets) {
  expect_only_error(timed_flow("request_packets: 20 request_bytes: 19"), "flows[4].request_bytes",
                    "request_bytes 19 is less than request_packets (20): every packet carries at least one byte",
                    "request_bytes");
  EXPECT_EQ(load_ok(kBase + timed_flow("reply_packets: 20 reply_bytes: 20")).flows.back().reply_bytes, 20u);
}

TEST(FlowTimingConversion, RejectsAFlowStartingAtOrAfterTheHorizon) {
  expect_only_error("horizon_seconds: 60\n" + timed_flow("start_seconds: 60"), "flows[4].start_seconds",
                    "the flow starts at 1m00s, not before the horizon (1m00s): it would never run", "start_seconds");
  EXPECT_EQ(load_ok(kBase + "horizon_seconds: 60\n" + timed_flow("start_seconds: 59.9")).flows.back().start,
            milliseconds(59'900));
}

// ---- JSON ---------------------------------------------------------------------------------

TEST(EngineFieldsJson, LoadAndReportByFieldPath) {
  const std::string json = R"({
    "vpc": {"id": "vpc-1", "cidrBlocks": ["10.0.0.0/16"], "internetGateway": true},
    "subnets": [{"id": "app", "cidr": "10.0.1.0/24"}],
    "instances": [{"name": "web", "role": "web",
                   "interfaces": [{"id": "eni-web", "subnet": "app", "privateIps": ["10.0.1.10"]}]}],
    "internetHosts": [{"name": "scanner", "address": "203.0.113.66"}],
    "horizonSeconds": 30,
    "generators": [{"name": "scan", "scanner": {"source": "scanner", "ports": [22, 70000], "probesPerSecond": 1}}],
    "changes": [{"atSeconds": 5, "attachSg": {"interface": "web", "securityGroup": "sg-none"}}]
  })";
  auto loaded = load_scenario_string(json, "t.json", ScenarioFormat::kJson);
  ASSERT_FALSE(loaded);
  EXPECT_THAT(loaded.error(),
              ::testing::ElementsAre(testing::ErrorAt("generators[0].scanner.ports[1]", "port 70000 is out of range"),
                                     testing::ErrorAt("changes[0].attach_sg.security_group",
                                                      "no security group is named 'sg-none'")));
}

}  // namespace
}  // namespace vpcsim::io
