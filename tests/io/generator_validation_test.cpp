// Generators: sessions, scanners and internet users; their selectors, traffic, rates,
// distributions and schedules.
#include <gtest/gtest.h>

#include <algorithm>

#include "io_test_support.h"

namespace vpcsim::io {
namespace {

using testing::expect_only_error;
using testing::kBase;
using testing::load_ok;

// A generator (generators[0]) named "g" of `body`, in a scenario with a 60 s horizon unless
// `horizon` is false.
std::string generator(const std::string& body, bool horizon = true) {
  return std::string(horizon ? "horizon_seconds: 60\n" : "") + "generators {\n  name: \"g\"\n  " + body + "\n}\n";
}

// Sessions from the internet to the web server, on 443, with `more` fields.
std::string sessions(const std::string& more = "") {
  return generator(
      "sessions {\n    clients { internet: true }\n    servers { role: \"web\" }\n    protocol: \"tcp\" "
      "ports: [443] rate_per_second: 5\n    " +
      more + "\n  }");
}

const GeneratorSpec& only_generator(const Scenario& s) {
  EXPECT_EQ(s.generators.size(), 1u);
  return s.generators.front();
}

constexpr EniId kWeb(0), kDb(1), kDbAdmin(2);
constexpr ExternalHostId kClient(0), kClient6(1);

// ---- sessions ---------------------------------------------------------------------------

TEST(SessionsConversion, ResolvesSelectorsAndTakesTheDocumentedDefaults) {
  const Scenario s = load_ok(kBase + sessions());
  const GeneratorSpec& g = only_generator(s);
  EXPECT_EQ(g.name, "g");
  EXPECT_EQ(g.field, "generators[0]");
  EXPECT_EQ(g.kind, GeneratorSpec::Kind::kSessions);
  EXPECT_EQ(g.clients, std::vector<Endpoint>{kClient});  // internet: the hosts with IPv4 addresses
  EXPECT_EQ(g.servers, std::vector<Endpoint>{kWeb});
  EXPECT_EQ(g.family, Family::kIpv4);
  EXPECT_EQ(g.protocol, Protocol::kTcp);
  EXPECT_EQ(g.ports, std::vector<std::uint16_t>{443});
  EXPECT_EQ(g.rate_per_second, 5);
  EXPECT_EQ(g.arrival, GeneratorSpec::Arrival::kPoisson);
  EXPECT_EQ(g.duration.kind, DurationDistribution::Kind::kFixed);
  EXPECT_EQ(g.duration.a, 1.0);
  EXPECT_EQ(g.request_packets, 10u);
  EXPECT_EQ(g.reply_packets, 10u);
  EXPECT_EQ(g.bytes_per_packet, 500u);
  EXPECT_EQ(g.client_port_low, 32768);
  EXPECT_EQ(g.client_port_high, 60999);
  EXPECT_EQ(g.start, SimTime::zero());
  EXPECT_EQ(g.stop, SimTime::max());
  EXPECT_EQ(g.flow_limit, 0u);
}

TEST(SessionsConversion, TakesEveryField) {
  const Scenario s =
      load_ok(kBase + generator("sessions {\n    clients { instance: \"client6\" }\n    servers { instance: \"web\" }\n"
                                "    protocol: \"udp\" ports: [53, 5353] rate_per_second: 0.5 arrival: CONSTANT\n"
                                "    duration { uniform { min: 0.5 max: 2 } }\n    request_packets: 4 reply_packets: 6 "
                                "bytes_per_packet: 1000\n    client_ports: \"1024-2047\" ipv6: true\n  }\n"
                                "  start_seconds: 5 stop_seconds: 50 flow_limit: 100",
                                false));
  const GeneratorSpec& g = only_generator(s);
  EXPECT_EQ(g.family, Family::kIpv6);
  EXPECT_EQ(g.clients, std::vector<Endpoint>{kClient6});
  EXPECT_EQ(g.protocol, Protocol::kUdp);
  EXPECT_EQ(g.ports, (std::vector<std::uint16_t>{53, 5353}));
  EXPECT_EQ(g.rate_per_second, 0.5);
  EXPECT_EQ(g.arrival, GeneratorSpec::Arrival::kConstant);
  EXPECT_EQ(g.duration.kind, DurationDistribution::Kind::kUniform);
  EXPECT_EQ(g.duration.a, 0.5);
  EXPECT_EQ(g.duration.b, 2.0);
  EXPECT_EQ(g.request_packets, 4u);
  EXPECT_EQ(g.reply_packets, 6u);
  EXPECT_EQ(g.bytes_per_packet, 1000u);
  EXPECT_EQ(g.client_port_low, 1024);
  EXPECT_EQ(g.client_port_high, 2047);
  EXPECT_EQ(g.start, seconds(5));
  EXPECT_EQ(g.stop, seconds(50));
  EXPECT_EQ(g.flow_limit, 100u);
}

TEST(SessionsConversion, IcmpSessionsUseEchoRequests) {
  const std::string body =
      "sessions { clients { instance: \"web\" } servers { instance: \"db\" } protocol: \"icmp\" "
      "rate_per_second: 1 }";
  const GeneratorSpec g = only_generator(load_ok(kBase + generator(body)));
  EXPECT_EQ(g.protocol, Protocol::kIcmp);
  EXPECT_EQ(g.icmp_type, 8);
  EXPECT_TRUE(g.ports.empty());
}

// ---- selectors --------------------------------------------------------------------------

std::string with_clients(const std::string& clients) {
  return generator("sessions {\n    " + clients +
                   "\n    servers { role: \"web\" }\n    protocol: \"tcp\" ports: [443] "
                   "rate_per_second: 5\n  }");
}

TEST(SelectorConversion, SelectsByGroupSubnetAndNameWithoutRepeats) {
  EXPECT_EQ(only_generator(load_ok(kBase + with_clients("clients { security_group: \"default\" }"))).clients,
            std::vector<Endpoint>{kDbAdmin});
  EXPECT_EQ(only_generator(load_ok(kBase + with_clients("clients { subnet: \"app\" }"))).clients,
            (std::vector<Endpoint>{kDb, kDbAdmin}));
  EXPECT_EQ(only_generator(load_ok(kBase + with_clients("clients { instance: \"eni-db-admin\" }\n"
                                                        "    clients { subnet: \"app\" }\n"
                                                        "    clients { instance: \"client\" }")))
                .clients,
            (std::vector<Endpoint>{kDbAdmin, kDb, kClient}));
}

TEST(SelectorValidation, ReportsSelectorsThatSelectNothing) {
  expect_only_error(with_clients("clients { role: \"dbb\" }"), "generators[0].sessions.clients[0].role",
                    "selects nothing: no instance has role 'dbb' (roles: web)", "role: \"dbb\"");
  expect_only_error("security_groups { id: \"sg-unused\" }\n" + with_clients("clients { security_group: "
                                                                             "\"sg-unused\" }"),
                    "generators[0].sessions.clients[0].security_group",
                    "selects nothing: no interface carries security group sg-unused", "security_group: \"sg-unused\"");
  expect_only_error("subnets { id: \"empty\" cidr: \"10.0.3.0/24\" }\n" + with_clients("clients { subnet: \"empty\" }"),
                    "generators[0].sessions.clients[0].subnet", "selects nothing: no interface is in subnet empty",
                    "subnet: \"empty\"");
  expect_only_error(with_clients("clients { internet: false }"), "generators[0].sessions.clients[0].internet",
                    "internet: false selects nothing", "internet: false");
  expect_only_error(with_clients("clients { }"), "generators[0].sessions.clients[0]",
                    "a selector needs one of role, security_group, subnet, instance or internet", "clients { }");
}

TEST(SelectorValidation, ReportsUnknownNames) {
  expect_only_error(with_clients("clients { security_group: \"sg-wbe\" }"),
                    "generators[0].sessions.clients[0].security_group", "no security group is named 'sg-wbe'",
                    "security_group:");
  expect_only_error(with_clients("clients { subnet: \"pub\" }"), "generators[0].sessions.clients[0].subnet",
                    "no subnet is named 'pub'", "subnet:");
  expect_only_error(with_clients("clients { instance: \"wbe\" }"), "generators[0].sessions.clients[0].instance",
                    "no instance, interface or internet host is named 'wbe' (known: web, eni-web, db", "instance:");
}

TEST(SelectorValidation, EveryEndpointNeedsAnAddressOfTheFamily) {
  expect_only_error(generator("sessions { clients { internet: true } servers { subnet: \"app\" } protocol: \"tcp\" "
                              "ports: [22] rate_per_second: 1 ipv6: true }"),
                    "generators[0].sessions.servers[0]",
                    "db (eni-db), db (eni-db-admin) have no IPv6 address, and the generator's traffic is IPv6: give "
                    "them IPv6 addresses, or select others",
                    "servers {");
}

std::string scanner(const std::string& fields);  // below

// An IPv6-only instance "v6" (role "api") in an IPv6-only subnet, after the base network.
const std::string kIpv6Only =
    "subnets { id: \"v6\" ipv6_cidr: \"2600:1f18:1234:5602::/64\" }\n"
    "instances { name: \"v6\" role: \"api\" interfaces { id: \"eni-v6\" subnet: \"v6\" "
    "ipv6_addresses: \"2600:1f18:1234:5602::20\" } }\n";
constexpr EniId kV6(3);

TEST(SelectorValidation, AnIpv4GeneratorCannotSelectAnIpv6OnlyInterface) {
  // No IPv4 packet can be addressed to it: the error names the generator and how to fix it.
  expect_only_error(kIpv6Only + generator("sessions { clients { internet: true } servers { role: \"api\" } "
                                          "protocol: \"tcp\" ports: [443] rate_per_second: 1 }"),
                    "generators[0].sessions.servers[0]",
                    "generator 'g': v6 (eni-v6) has no IPv4 address, and the generator's traffic is IPv4: it is "
                    "IPv6-only; select others, or make the generator's traffic IPv6 (set ipv6: true)",
                    "servers {");
  expect_only_error(kIpv6Only + generator("sessions { clients { instance: \"v6\" } servers { role: \"web\" } "
                                          "protocol: \"tcp\" ports: [443] rate_per_second: 1 }"),
                    "generators[0].sessions.clients[0]", "generator 'g': v6 (eni-v6) has no IPv4 address", "clients {");
  expect_only_error(kIpv6Only + scanner("source: \"client\" targets { instance: \"v6\" } ports: [22] "
                                        "probes_per_second: 1"),
                    "generators[0].scanner.targets[0]",
                    "v6 (eni-v6) has no IPv4 address, and the generator's traffic is IPv4: it is IPv6-only; select "
                    "others, or make the generator's traffic IPv6 (probe from an internet host with an IPv6 address)",
                    "targets {");
  expect_only_error(kIpv6Only +
                        "generators { name: \"u\" internet_users { address_pool: \"203.0.113.0/24\" "
                        "count: 2 servers { instance: \"v6\" } ports: [443] rate_per_second: 2 } "
                        "stop_seconds: 30 }\n",
                    "generators[0].internet_users.servers[0]",
                    "generator 'u': v6 (eni-v6) has no IPv4 address, and the generator's traffic is IPv4: it is "
                    "IPv6-only; select others, or make the generator's traffic IPv6 (give the users an IPv6 "
                    "address_pool)",
                    "servers {");
}

TEST(SelectorConversion, AnIpv6GeneratorReachesAnIpv6OnlyInterface) {
  const GeneratorSpec g = only_generator(
      load_ok(kBase + kIpv6Only +
              generator("sessions { clients { role: \"web\" } servers { role: \"api\" } protocol: \"tcp\" "
                        "ports: [443] rate_per_second: 1 ipv6: true }")));
  EXPECT_EQ(g.family, Family::kIpv6);
  EXPECT_EQ(g.servers, std::vector<Endpoint>{kV6});
}

TEST(SelectorValidation, InternetSelectsTheHostsOfTheFamily) {
  const std::string body =
      "sessions { clients { internet: true } servers { role: \"web\" } protocol: \"tcp\" ports: "
      "[443] rate_per_second: 1 ipv6: true }";
  EXPECT_EQ(only_generator(load_ok(kBase + generator(body))).clients, std::vector<Endpoint>{kClient6});
}

// ---- sessions: what can be wrong --------------------------------------------------------

TEST(SessionsValidation, NeedsClientsAndServers) {
  expect_only_error(generator("sessions { servers { role: \"web\" } protocol: \"tcp\" ports: [443] rate_per_second: "
                              "1 }"),
                    "generators[0].sessions.clients",
                    "clients is required: the endpoints that open sessions (e.g. clients { role: \"web\" })",
                    "sessions {");
  expect_only_error(generator("sessions { clients { role: \"web\" } protocol: \"tcp\" ports: [443] rate_per_second: "
                              "1 }"),
                    "generators[0].sessions.servers", "servers is required: the endpoints they connect to",
                    "sessions {");
}

TEST(SessionsValidation, NeedsAPairOfDifferentEndpointsOneInTheVpc) {
  expect_only_error(generator("sessions { clients { instance: \"web\" } servers { instance: \"eni-web\" } protocol: "
                              "\"tcp\" ports: [443] rate_per_second: 1 }"),
                    "generators[0].sessions.servers", "no client and server can hold a session", "servers {");
  expect_only_error(generator("sessions { clients { instance: \"client\" } servers { internet: true } protocol: "
                              "\"tcp\" ports: [443] rate_per_second: 1 }"),
                    "generators[0].sessions.servers", "a session needs two endpoints, one in the VPC", "servers {");
}

TEST(SessionsValidation, ProtocolIsRequiredAndOneKindOfTraffic) {
  const std::string ends = "clients { instance: \"web\" } servers { instance: \"db\" } rate_per_second: 1 ";
  expect_only_error(generator("sessions { " + ends + "}"), "generators[0].sessions.protocol", "protocol is required",
                    "sessions {");
  expect_only_error(generator("sessions { " + ends + "protocol: \"all\" }"), "generators[0].sessions.protocol",
                    "a generator's flows are one kind of traffic", "protocol:");
  expect_only_error(generator("sessions { " + ends + "protocol: \"icmpv6\" }"), "generators[0].sessions.protocol",
                    "icmpv6 is ICMP for IPv6, and this generator's traffic is IPv4", "protocol:");
}

TEST(SessionsValidation, PortsAreRequiredForTcpAndUdpOnly) {
  const std::string ends = "clients { instance: \"web\" } servers { instance: \"db\" } rate_per_second: 1 ";
  expect_only_error(generator("sessions { " + ends + "protocol: \"tcp\" }"), "generators[0].sessions.ports",
                    "tcp needs ports: the server ports to use, e.g. ports: [80, 443]", "sessions {");
  expect_only_error(generator("sessions { " + ends + "protocol: \"icmp\" ports: [8] }"), "generators[0].sessions.ports",
                    "ports apply to tcp and udp only; remove them (icmp has no ports)", "ports:");
  expect_only_error(generator("sessions { " + ends + "protocol: \"tcp\" ports: 80 ports: 70000 }"),
                    "generators[0].sessions.ports[1]", "port 70000 is out of range 1-65535", "ports: 70000");
  expect_only_error(generator("sessions { " + ends + "protocol: \"tcp\" ports: 80 ports: 0 }"),
                    "generators[0].sessions.ports[1]", "port 0 is out of range 1-65535", "ports: 0");
  // The list syntax: the text-format parser records no position for the later elements.
  const Errors errors = testing::errors_of(kBase + generator("sessions { " + ends +
                                                             "protocol: \"tcp\" ports: [80, "
                                                             "443, 80] }"));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0], testing::ErrorAt("generators[0].sessions.ports[2]", "port 80 is listed twice"));
}

TEST(SessionsValidation, RateIsRequiredPositiveAndAtMostOnePerNanosecond) {
  expect_only_error(generator("sessions { clients { role: \"web\" } servers { instance: \"db\" } protocol: \"tcp\" "
                              "ports: [5432] }"),
                    "generators[0].sessions.rate_per_second",
                    "rate_per_second is required: sessions started per second, more than 0", "sessions {");
  expect_only_error(sessions("").replace(sessions("").find("rate_per_second: 5"), 18, "rate_per_second: -2"),
                    "generators[0].sessions.rate_per_second", "rate_per_second -2 is not a rate", "rate_per_second");
  expect_only_error(sessions("").replace(sessions("").find("rate_per_second: 5"), 18, "rate_per_second: 2e9"),
                    "generators[0].sessions.rate_per_second", "is more than one per nanosecond", "rate_per_second");
}

TEST(SessionsValidation, DurationsArePositive) {
  expect_only_error(sessions("duration { fixed_seconds: 0 }"), "generators[0].sessions.duration.fixed_seconds",
                    "fixed_seconds 0s is zero: it must be more than 0 seconds", "fixed_seconds");
  expect_only_error(sessions("duration { exponential_mean_seconds: -3 }"),
                    "generators[0].sessions.duration.exponential_mean_seconds", "is negative",
                    "exponential_mean_seconds");
  expect_only_error(sessions("duration { uniform { min: 5 max: 2 } }"), "generators[0].sessions.duration.uniform.max",
                    "max 2s is less than min 5s", "max:");
  expect_only_error(sessions("duration { uniform { max: 2 } }"), "generators[0].sessions.duration.uniform.min",
                    "min 0s is zero", "uniform {");
  expect_only_error(sessions("duration { }"), "generators[0].sessions.duration",
                    "a distribution needs one of fixed_seconds, exponential_mean_seconds or uniform", "duration {");
  EXPECT_EQ(only_generator(load_ok(kBase + sessions("duration { exponential_mean_seconds: 30 }"))).duration.kind,
            DurationDistribution::Kind::kExponential);
}

TEST(SessionsValidation, RejectsAnArrivalOutsideTheEnum) {
  expect_only_error(sessions("arrival: 3"), "generators[0].sessions.arrival",
                    "unknown arrival 3: use POISSON or CONSTANT", "arrival:");
}

TEST(SessionsValidation, ClientPortsAreARangeAboveZeroForTcpAndUdp) {
  expect_only_error(sessions("client_ports: \"60999-32768\""), "generators[0].sessions.client_ports",
                    "port range 60999-32768 is reversed", "client_ports");
  expect_only_error(sessions("client_ports: \"all\""), "generators[0].sessions.client_ports",
                    "client_ports all includes port 0, which no client sends from", "client_ports");
  expect_only_error(generator("sessions { clients { instance: \"web\" } servers { instance: \"db\" } protocol: "
                              "\"icmp\" rate_per_second: 1 client_ports: \"1024-2047\" }"),
                    "generators[0].sessions.client_ports", "client_ports apply to tcp and udp only", "client_ports");
}

// ---- every generator --------------------------------------------------------------------

TEST(GeneratorValidation, NeedsAUniqueNameAndAKind) {
  expect_only_error(
      "horizon_seconds: 60\ngenerators { sessions { clients { role: \"web\" } servers { instance: "
      "\"db\" } protocol: \"tcp\" ports: [5432] rate_per_second: 1 } }\n",
      "generators[0].name", "name is required", "generators {");
  expect_only_error(sessions() +
                        "generators { name: \"g\" scanner { source: \"client\" ports: [22] "
                        "probes_per_second: 1 } }\n",
                    "generators[1].name", "generator name 'g' is already used at generators[0]", "name: \"g\" scanner");
  expect_only_error(generator("start_seconds: 1"), "generators[0]",
                    "a generator needs a kind: sessions, scanner or internet_users", "generators {");
}

TEST(GeneratorValidation, SessionsMustStopSomehow) {
  const std::string body =
      "sessions { clients { internet: true } servers { role: \"web\" } protocol: \"tcp\" ports: "
      "[443] rate_per_second: 5 }";
  expect_only_error(generator(body, false), "generators[0]",
                    "the generator would never stop: set the scenario's horizon_seconds, or this generator's "
                    "stop_seconds or flow_limit",
                    "generators {");
  EXPECT_EQ(only_generator(load_ok(kBase + generator(body + " stop_seconds: 30", false))).stop, seconds(30));
  EXPECT_EQ(only_generator(load_ok(kBase + generator(body + " flow_limit: 1000", false))).flow_limit, 1000u);
}

TEST(GeneratorValidation, ChecksStartAndStop) {
  const std::string body =
      "sessions { clients { internet: true } servers { role: \"web\" } protocol: \"tcp\" ports: "
      "[443] rate_per_second: 5 }\n  ";
  expect_only_error(generator(body + "start_seconds: -1"), "generators[0].start_seconds",
                    "start_seconds -1s is negative", "start_seconds");
  expect_only_error(generator(body + "start_seconds: 60"), "generators[0].start_seconds",
                    "the generator starts at 1m00s, not before the horizon (1m00s): it would produce nothing",
                    "start_seconds");
  expect_only_error(generator(body + "start_seconds: 20 stop_seconds: 20"), "generators[0].stop_seconds",
                    "the generator stops at 20s, not after it starts (20s): it would produce nothing", "stop_seconds");
  expect_only_error(generator(body + "stop_seconds: -5"), "generators[0].stop_seconds", "stop_seconds -5s is negative",
                    "stop_seconds");
  const GeneratorSpec g = only_generator(load_ok(kBase + generator(body + "start_seconds: 1.5 stop_seconds: 90")));
  EXPECT_EQ(g.start, milliseconds(1500));
  EXPECT_EQ(g.stop, seconds(90));  // past the horizon: the horizon ends it
}

// ---- scanner ----------------------------------------------------------------------------

std::string scanner(const std::string& fields) { return generator("scanner { " + fields + " }", false); }

TEST(ScannerConversion, ProbesEveryInstanceOverTcpByDefault) {
  const GeneratorSpec g = only_generator(load_ok(kBase + scanner("source: \"client\" ports: [22, 3389] "
                                                                 "probes_per_second: 2")));
  EXPECT_EQ(g.kind, GeneratorSpec::Kind::kScanner);
  EXPECT_EQ(g.clients, std::vector<Endpoint>{kClient});
  EXPECT_EQ(g.servers, (std::vector<Endpoint>{kWeb, kDb}));  // the instances' primary interfaces
  EXPECT_EQ(g.protocol, Protocol::kTcp);
  EXPECT_EQ(g.ports, (std::vector<std::uint16_t>{22, 3389}));
  EXPECT_EQ(g.rate_per_second, 2);
  EXPECT_EQ(g.arrival, GeneratorSpec::Arrival::kConstant);
  EXPECT_EQ(g.request_packets, 1u);
  EXPECT_EQ(g.reply_packets, 1u);
  EXPECT_EQ(g.duration.a, 0.0);
}

TEST(ScannerConversion, TakesTargetsProtocolAndTheSourcesFamily) {
  const GeneratorSpec g = only_generator(load_ok(
      kBase + scanner("source: \"client6\" targets { role: \"web\" } protocol: \"icmpv6\" probes_per_second: 1")));
  EXPECT_EQ(g.family, Family::kIpv6);
  EXPECT_EQ(g.servers, std::vector<Endpoint>{kWeb});
  EXPECT_EQ(g.protocol, Protocol::kIcmpv6);
  EXPECT_EQ(g.icmp_type, 128);
}

TEST(ScannerValidation, TheSourceIsAnInternetHost) {
  expect_only_error(scanner("ports: [22] probes_per_second: 1"), "generators[0].scanner.source", "source is required",
                    "scanner {");
  expect_only_error(scanner("source: \"web\" ports: [22] probes_per_second: 1"), "generators[0].scanner.source",
                    "'web' is an instance, not an internet host: a scanner probes from the internet", "source:");
  expect_only_error(scanner("source: \"scnaner\" ports: [22] probes_per_second: 1"), "generators[0].scanner.source",
                    "no internet host is named 'scnaner' (known: client, client6)", "source:");
}

TEST(ScannerValidation, TargetsAreInTheVpcWithAddressesOfTheSourcesFamily) {
  expect_only_error(scanner("source: \"client\" targets { instance: \"client6\" } ports: [22] probes_per_second: 1"),
                    "generators[0].scanner.targets[0]",
                    "selects internet host client6 (2001:db8::7): a scanner probes the VPC's interfaces", "targets {");
  expect_only_error(scanner("source: \"client6\" targets { instance: \"db\" } ports: [22] probes_per_second: 1"),
                    "generators[0].scanner.targets[0]", "db (eni-db) has no IPv6 address, and the generator's traffic is IPv6",
                    "targets {");
}

TEST(ScannerConversion, DefaultTargetsAreTheInstancesWithAnAddressOfTheSourcesFamily) {
  // A scanner on the internet can only reach addresses of its own family: by default it
  // probes the instances that have one, and leaves the others out instead of failing.
  const auto contains = [](const std::vector<Endpoint>& v, EniId e) { return std::ranges::find(v, Endpoint(e)) != v.end(); };
  const GeneratorSpec v4 = only_generator(load_ok(kBase + kIpv6Only + scanner("source: \"client\" ports: [22] "
                                                                              "probes_per_second: 1")));
  EXPECT_TRUE(contains(v4.servers, kWeb));
  EXPECT_TRUE(contains(v4.servers, kDb));
  EXPECT_FALSE(contains(v4.servers, kV6));
  const GeneratorSpec v6 = only_generator(load_ok(kBase + kIpv6Only + scanner("source: \"client6\" ports: [22] "
                                                                              "probes_per_second: 1")));
  EXPECT_TRUE(contains(v6.servers, kWeb));
  EXPECT_TRUE(contains(v6.servers, kV6));
  EXPECT_FALSE(contains(v6.servers, kDb));
}

TEST(ScannerValidation, DefaultTargetsNeedOneInstanceOfTheSourcesFamily) {
  const std::string v4_only = "vpc { id: \"vpc-1\" cidr_blocks: \"10.0.0.0/16\" internet_gateway: true }\n"
                              "subnets { id: \"a\" cidr: \"10.0.1.0/24\" }\n"
                              "instances { name: \"i\" interfaces { id: \"eni-i\" subnet: \"a\" "
                              "private_ips: \"10.0.1.5\" } }\n"
                              "internet_hosts { name: \"s6\" address: \"2001:db8::9\" }\n";
  const std::string text = v4_only + scanner("source: \"s6\" ports: [22] probes_per_second: 1");
  testing::expect_only_error_in(text, "generators[0].scanner.targets", "no instance has an IPv6 address to scan",
                                "scanner {");
}

TEST(ScannerValidation, NeedsPortsForTcpAndARate) {
  expect_only_error(scanner("source: \"client\" probes_per_second: 1"), "generators[0].scanner.ports",
                    "tcp needs ports", "scanner {");
  expect_only_error(scanner("source: \"client\" ports: [22]"), "generators[0].scanner.probes_per_second",
                    "probes_per_second is required: probes sent per second, more than 0", "scanner {");
}

// ---- internet users ---------------------------------------------------------------------

std::string users(const std::string& pool_and_count, const std::string& name = "g") {
  return "generators {\n  name: \"" + name + "\"\n  internet_users { " + pool_and_count +
         " servers { role: \"web\" } ports: [443] rate_per_second: 2 }\n  stop_seconds: 30\n}\n";
}

TEST(InternetUsersConversion, CreatesNumberedHostsFromThePool) {
  const Scenario s = load_ok(kBase + users("address_pool: \"203.0.113.0/24\" count: 3"));
  const GeneratorSpec& g = only_generator(s);
  EXPECT_EQ(g.kind, GeneratorSpec::Kind::kInternetUsers);
  EXPECT_EQ(g.protocol, Protocol::kTcp);
  EXPECT_EQ(g.family, Family::kIpv4);
  EXPECT_EQ(g.servers, std::vector<Endpoint>{kWeb});
  ASSERT_EQ(g.clients.size(), 3u);
  ASSERT_EQ(s.network.external_hosts.size(), 5u);
  for (std::uint32_t i = 0; i < 3; ++i) {
    EXPECT_EQ(g.clients[i], Endpoint(ExternalHostId(2 + i)));
    const ExternalHost& h = s.network.external_hosts[2 + i];
    EXPECT_EQ(h.name, "g-user-" + std::to_string(i + 1));
    EXPECT_EQ(h.address.to_string(), "203.0.113." + std::to_string(i + 1));
  }
}

TEST(InternetUsersConversion, AnIpv6PoolMakesAnIpv6Generator) {
  const Scenario s = load_ok(kBase + users("address_pool: \"2001:db8:1::/64\" count: 2"));
  EXPECT_EQ(only_generator(s).family, Family::kIpv6);
  EXPECT_EQ(s.network.external_hosts.back().address.to_string(), "2001:db8:1::2");
}

TEST(InternetUsersConversion, InternetSelectorsSeeOnlyTheDeclaredHosts) {
  const Scenario s = load_ok(kBase + users("address_pool: \"203.0.113.0/24\" count: 3", "visitors") +
                             "generators { name: \"s\" sessions { clients { internet: true } servers { role: \"web\" } "
                             "protocol: \"tcp\" ports: [443] rate_per_second: 1 } stop_seconds: 10 }\n");
  EXPECT_EQ(s.generators[1].clients, std::vector<Endpoint>{kClient});
}

TEST(InternetUsersValidation, ThePoolIsABlockOutsideTheVpc) {
  expect_only_error(users("count: 3"), "generators[0].internet_users.address_pool", "address_pool is required",
                    "internet_users {");
  expect_only_error(users("address_pool: \"203.0.113.1/24\" count: 3"), "generators[0].internet_users.address_pool",
                    "203.0.113.1/24", "address_pool");
  expect_only_error(users("address_pool: \"10.0.200.0/24\" count: 3"), "generators[0].internet_users.address_pool",
                    "10.0.200.0/24 overlaps the VPC's block 10.0.0.0/16; internet users' addresses are outside the "
                    "VPC",
                    "address_pool");
}

TEST(InternetUsersValidation, CountIsBetweenOneAndTheLimitAndFitsThePool) {
  expect_only_error(users("address_pool: \"203.0.113.0/24\""), "generators[0].internet_users.count",
                    "count is required: how many users, 1-65536", "internet_users {");
  expect_only_error(users("address_pool: \"100.64.0.0/10\" count: 65537"), "generators[0].internet_users.count",
                    "count 65537 is more than one generator may have (65536)", "count:");
  expect_only_error(users("address_pool: \"203.0.113.0/30\" count: 3"), "generators[0].internet_users.count",
                    "203.0.113.0/30 has 2 usable addresses, fewer than the 3 users: use a larger pool", "count:");
  EXPECT_EQ(load_ok(kBase + users("address_pool: \"203.0.113.0/24\" count: 254")).network.external_hosts.back().address,
            IpAddress::parse("203.0.113.254").value());
}

TEST(InternetUsersValidation, UsersDoNotTakeAddressesOrNamesInUse) {
  expect_only_error(users("address_pool: \"198.51.100.0/24\" count: 10"), "generators[0].internet_users.address_pool",
                    "the users would have 198.51.100.1-198.51.100.10, and 198.51.100.7 is internet host client's "
                    "address: use a pool clear of it",
                    "address_pool");
  expect_only_error(users("address_pool: \"54.0.0.0/24\" count: 10"), "generators[0].internet_users.address_pool",
                    "54.0.0.10 is the public IP of web (eni-web)", "address_pool");
  expect_only_error(users("address_pool: \"203.0.113.0/24\" count: 10", "a") +
                        users("address_pool: \"203.0.113.0/28\" count: 5", "b"),
                    "generators[1].internet_users.address_pool",
                    "the users would have 203.0.113.1-203.0.113.5, which overlaps the users of "
                    "generators[0].internet_users (203.0.113.1-203.0.113.10)",
                    "address_pool: \"203.0.113.0/28\"");
  expect_only_error("internet_hosts { name: \"g-user-2\" address: \"192.0.2.99\" }\n" +
                        users("address_pool: \"203.0.113.0/24\" count: 3"),
                    "generators[0].internet_users",
                    "its users are named g-user-1 to g-user-3, and 'g-user-2' is already the name of internet host "
                    "internet_hosts[2]: rename the generator or the internet host",
                    "internet_users {");
}

TEST(InternetUsersValidation, ServersAreInTheVpc) {
  expect_only_error(
      "generators { name: \"g\" internet_users { address_pool: \"203.0.113.0/24\" count: 3 servers { "
      "instance: \"client\" } ports: [443] rate_per_second: 2 } stop_seconds: 30 }\n",
      "generators[0].internet_users.servers[0]",
      "selects internet host client (198.51.100.7): internet users visit servers in the VPC", "servers {");
}

}  // namespace
}  // namespace vpcsim::io
