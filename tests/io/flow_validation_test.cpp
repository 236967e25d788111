// Validation of flows (their ends, protocol, ports, ICMP fields and family) and of what
// they expect.
#include <gtest/gtest.h>

#include "io_test_support.h"

namespace vpcsim::io {
namespace {

using testing::expect_only_error;

// A flow (flows[4]) with the given fields.
std::string flow(const std::string& fields) { return "flows {\n  " + fields + "\n}\n"; }
// An https flow from the internet client to web, with `more` fields (expectations).
std::string https_flow(const std::string& more) {
  return flow("from: \"client\" to: \"web\" protocol: \"tcp\" port: 443\n  " + more);
}

// ---- ends -------------------------------------------------------------------------------

TEST(FlowEndValidation, RequiresFromAndTo) {
  expect_only_error(flow("to: \"web\" protocol: \"tcp\" port: 443"), "flows[4].from",
                    "from is required: the client, an instance name, an interface id or an internet host name",
                    "flows {");
  expect_only_error(flow("from: \"client\" protocol: \"tcp\" port: 443"), "flows[4].to", "to is required: the server",
                    "flows {");
}

TEST(FlowEndValidation, RejectsUnknownNameListingTheKnownOnes) {
  expect_only_error(flow("from: \"client\" to: \"wbe\" protocol: \"tcp\" port: 443"), "flows[4].to",
                    "no instance, interface or internet host is named 'wbe' (known: web, eni-web, db, eni-db, "
                    "eni-db-admin, client, client6)",
                    "to:");
}

TEST(FlowEndValidation, NeedsAtLeastOneEndInTheVpc) {
  expect_only_error(flow("from: \"client\" to: \"client6\" protocol: \"tcp\" port: 443"), "flows[4]",
                    "a flow needs at least one end in the VPC", "flows {");
}

TEST(FlowEndValidation, RejectsTheSameEndpointTwice) {
  expect_only_error(flow("from: \"web\" to: \"eni-web\" protocol: \"tcp\" port: 443"), "flows[4].to",
                    "from and to are the same endpoint (web (eni-web))", "to:");
}

TEST(FlowEndValidation, Ipv6FlowNeedsIpv6AddressesAtBothEnds) {
  expect_only_error(flow("from: \"db\" to: \"web\" protocol: \"tcp\" port: 443 ipv6: true"), "flows[4].from",
                    "db (eni-db) has no IPv6 address and the flow is IPv6: give the interface ipv6_addresses", "from:");
  expect_only_error(flow("from: \"client\" to: \"web\" protocol: \"tcp\" port: 443 ipv6: true"), "flows[4].from",
                    "internet host client (198.51.100.7) has no IPv6 address and the flow is IPv6: give the host an "
                    "IPv6 address",
                    "from:");
}

TEST(FlowEndValidation, Ipv4FlowRejectsAnIpv6OnlyInterface) {
  const std::string v6 =
      "subnets { id: \"v6\" ipv6_cidr: \"2600:1f18:1234:5602::/64\" }\n"
      "instances { name: \"v6\" interfaces { id: \"eni-v6\" subnet: \"v6\" ipv6_addresses: \"2600:1f18:1234:5602::20\" "
      "} }\n";
  expect_only_error(v6 + flow("from: \"web\" to: \"v6\" protocol: \"tcp\" port: 443"), "flows[4].to",
                    "v6 (eni-v6) has no IPv4 address and the flow is IPv4: it is an IPv6-only interface: set ipv6: "
                    "true for an IPv6 flow",
                    "to:");
  const Scenario s =
      testing::load_ok(testing::kBase + v6 + flow("from: \"web\" to: \"v6\" protocol: \"tcp\" port: 443 ipv6: true"));
  EXPECT_EQ(s.flows.back().family, Family::kIpv6);
}

TEST(FlowEndValidation, Ipv4FlowRejectsIpv6InternetHost) {
  expect_only_error(flow("from: \"client6\" to: \"web\" protocol: \"tcp\" port: 443"), "flows[4].from",
                    "has no IPv4 address and the flow is IPv4: set ipv6: true for an IPv6 flow", "from:");
}

TEST(FlowEndValidation, Ipv6FlowUsesTheFamily) {
  const Scenario s =
      testing::load_ok(testing::kBase + flow("from: \"client6\" to: \"web\" protocol: \"tcp\" port: 443 ipv6: true"));
  EXPECT_EQ(s.flows.back().family, Family::kIpv6);
}

// ---- traffic ----------------------------------------------------------------------------

TEST(FlowTrafficValidation, RequiresAProtocolThatIsOneKindOfTraffic) {
  expect_only_error(flow("from: \"client\" to: \"web\" port: 443"), "flows[4].protocol", "protocol is required",
                    "flows {");
  expect_only_error(flow("from: \"client\" to: \"web\" protocol: \"all\""), "flows[4].protocol",
                    "a flow is one kind of traffic", "protocol:");
  expect_only_error(flow("from: \"client\" to: \"web\" protocol: \"tcpp\""), "flows[4].protocol",
                    "unknown protocol 'tcpp'", "protocol:");
}

TEST(FlowTrafficValidation, TcpRequiresAServerPortInRange) {
  expect_only_error(flow("from: \"client\" to: \"web\" protocol: \"tcp\""), "flows[4].port",
                    "port is required for tcp: the server port, 1-65535", "flows {");
  expect_only_error(flow("from: \"client\" to: \"web\" protocol: \"udp\" port: 70000"), "flows[4].port",
                    "port 70000 is out of range 1-65535", "port:");
  expect_only_error(flow("from: \"client\" to: \"web\" protocol: \"udp\" port: 53 client_port: 65536"),
                    "flows[4].client_port", "client_port 65536 is out of range", "client_port:");
}

TEST(FlowTrafficValidation, RejectsIcmpFieldsOnTcp) {
  expect_only_error(flow("from: \"client\" to: \"web\" protocol: \"tcp\" port: 22 icmp_code: 0"), "flows[4].icmp_code",
                    "icmp_type and icmp_code apply to icmp flows", "icmp_code:");
}

TEST(FlowTrafficValidation, RejectsPortsOnIcmp) {
  expect_only_error(flow("from: \"client\" to: \"web\" protocol: \"icmp\" port: 8"), "flows[4].port",
                    "port applies to tcp and udp flows only", "port:");
  expect_only_error(flow("from: \"client\" to: \"web\" protocol: \"icmp\" client_port: 8"), "flows[4].client_port",
                    "client_port applies to tcp and udp flows only", "client_port:");
}

TEST(FlowTrafficValidation, ChecksIcmpTypeAndCodeRanges) {
  expect_only_error(flow("from: \"client\" to: \"web\" protocol: \"icmp\" icmp_type: 256"), "flows[4].icmp_type",
                    "ICMP type 256 is out of range 0-255", "icmp_type:");
  expect_only_error(flow("from: \"client\" to: \"web\" protocol: \"icmp\" icmp_type: 3 icmp_code: -1"),
                    "flows[4].icmp_code", "ICMP code -1 is out of range 0-255", "icmp_code:");
}

TEST(FlowTrafficValidation, KeepsGivenIcmpTypeAndCode) {
  const Scenario s = testing::load_ok(
      testing::kBase + flow("from: \"client\" to: \"web\" protocol: \"icmp\" icmp_type: 3 icmp_code: 4"));
  EXPECT_EQ(s.flows.back().icmp_type, 3);
  EXPECT_EQ(s.flows.back().icmp_code, 4);
}

TEST(FlowTrafficValidation, MatchesIcmpVersionToTheFamily) {
  expect_only_error(flow("from: \"client6\" to: \"web\" protocol: \"icmp\" ipv6: true"), "flows[4].protocol",
                    "icmp is ICMP for IPv4: use icmpv6 in an IPv6 flow", "protocol:");
  expect_only_error(flow("from: \"client\" to: \"web\" protocol: \"icmpv6\""), "flows[4].protocol",
                    "icmpv6 is ICMP for IPv6: set ipv6: true, or use icmp", "protocol:");
}

TEST(FlowTrafficValidation, OtherProtocolsTakeNoPortsOrIcmpFields) {
  expect_only_error(flow("from: \"client\" to: \"web\" protocol: \"47\" port: 1723"), "flows[4].port",
                    "port applies to tcp and udp flows only", "port:");
  const Scenario s = testing::load_ok(testing::kBase + flow("from: \"client\" to: \"web\" protocol: \"47\""));
  EXPECT_EQ(s.flows.back().protocol, 47);
}

TEST(FlowValidation, RejectsDuplicateNames) {
  expect_only_error(flow("name: \"ping\" from: \"client\" to: \"web\" protocol: \"icmp\""), "flows[4].name",
                    "flow name 'ping' is already used at flows[2]", "name:");
}

// ---- expectations -----------------------------------------------------------------------

TEST(Expectations, RejectsAnExpectationThatChecksNothing) {
  expect_only_error(https_flow("expect { }"), "flows[4].expect[0]", "this expectation checks nothing", "expect {");
  expect_only_error(https_flow("expect { model: STATEFUL }"), "flows[4].expect[0]", "checks nothing", "expect {");
}

TEST(Expectations, RequestIsNeverNotSent) {
  expect_only_error(https_flow("expect { request: NOT_SENT }"), "flows[4].expect[0].request",
                    "a request is always sent", "request:");
}

TEST(Expectations, ReplyNotSentContradictsRequestAllowed) {
  expect_only_error(https_flow("expect { request: ALLOWED reply: NOT_SENT }"), "flows[4].expect[0].reply",
                    "reply NOT_SENT means the request was dropped, but request is ALLOWED", "reply:");
}

TEST(Expectations, DroppedRequestHasNoReply) {
  expect_only_error(https_flow("expect { request: DROPPED reply: ALLOWED }"), "flows[4].expect[0].reply",
                    "the request is dropped, so no reply is sent, but reply is ALLOWED", "reply:");
}

TEST(Expectations, DroppedAtContradictsAllowed) {
  expect_only_error(https_flow("expect { request: ALLOWED request_dropped_at: NACL_INGRESS }"),
                    "flows[4].expect[0].request_dropped_at",
                    "request_dropped_at says where the request is dropped, but request is ALLOWED",
                    "request_dropped_at:");
  expect_only_error(https_flow("expect { reply: NOT_SENT reply_dropped_at: SG_EGRESS }"),
                    "flows[4].expect[0].reply_dropped_at", "but reply is NOT_SENT", "reply_dropped_at:");
}

TEST(Expectations, DroppedAtImpliesDropped) {
  const Scenario s =
      testing::load_ok(testing::kBase + https_flow("expect { request: ALLOWED reply_dropped_at: ROUTE }"));
  const Expectation& e = s.flows.back().expectations.at(0);
  EXPECT_EQ(e.request, ExpectedVerdict::kAllowed);
  EXPECT_EQ(e.reply, ExpectedVerdict::kDropped);
  EXPECT_EQ(e.reply_dropped_at, Hop::kRoute);
}

TEST(Expectations, ReportsEachBadExpectationOfAFlow) {
  const std::string text =
      testing::kBase + https_flow("expect { }\n  expect { request: ALLOWED }\n  expect { request: NOT_SENT }");
  EXPECT_THAT(
      testing::errors_of(text),
      ::testing::ElementsAre(testing::ErrorAt("flows[4].expect[0]", "checks nothing", text, "expect { }"),
                             testing::ErrorAt("flows[4].expect[2].request", "always sent", text, "request: NOT_SENT")));
}

TEST(Expectations, RejectsVerdictNumbersOutsideTheEnum) {
  const auto s = load_scenario_string(R"({"vpc": {"id": "v", "cidrBlocks": ["10.0.0.0/16"]}, "model": 9})", "m.json",
                                      ScenarioFormat::kJson);
  ASSERT_FALSE(s);
  ASSERT_EQ(s.error().size(), 1u);
  EXPECT_EQ(s.error()[0].format(), "m.json: model: unknown value 9: use STATELESS or STATEFUL");
}

}  // namespace
}  // namespace vpcsim::io
