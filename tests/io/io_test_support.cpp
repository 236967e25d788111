#include "io_test_support.h"

#include <gtest/gtest.h>

#include <ostream>
#include <sstream>

namespace vpcsim::io::testing {

const std::string kBase = R"pb(
  name: "base"
  description: "every kind of object"
  model: STATEFUL
  vpc { id: "vpc-1" cidr_blocks: "10.0.0.0/16" ipv6_cidr_blocks: "2600:1f18:1234:5600::/56" internet_gateway: true }
  subnets {
    id: "public"
    cidr: "10.0.1.0/24"
    ipv6_cidr: "2600:1f18:1234:5601::/64"
    availability_zone: "us-east-1a"
    network_acl: "acl-public"
    internet_route: true
  }
  subnets { id: "app" cidr: "10.0.2.0/24" }
  network_acls {
    id: "acl-public"
    ingress { rule_number: 100 action: "allow" protocol: "tcp" ports: "443" cidr: "0.0.0.0/0" }
    ingress { rule_number: 90 action: "DENY" protocol: "all" cidr: "198.51.100.0/24" }
    egress { rule_number: 100 action: "allow" protocol: "tcp" ports: "1024-65535" cidr: "0.0.0.0/0" }
  }
  prefix_lists { id: "pl-office" name: "office" entries: "203.0.113.0/24" entries: "192.0.2.0/28" }
  security_groups {
    id: "sg-web"
    name: "web"
    defaults: AWS_NEW_GROUP
    ingress { protocol: "tcp" ports: "443" cidr: "0.0.0.0/0" description: "https" }
    ingress { id: "sgr-ssh" protocol: "tcp" ports: "22" prefix_list: "pl-office" }
    ingress { protocol: "icmp" icmp_type: 8 cidr: "0.0.0.0/0" }
    egress { protocol: "tcp" ports: "5432" security_group: "sg-db" }  # declared below
  }
  security_groups {
    id: "sg-db"
    name: "db"
    ingress { protocol: "tcp" ports: "5432" security_group: "sg-web" }
  }
  instances {
    name: "web"
    role: "web"
    interfaces {
      id: "eni-web"
      subnet: "public"
      private_ips: "10.0.1.10"
      ipv6_addresses: "2600:1f18:1234:5601::10"
      public_ip: "54.0.0.10"
      security_groups: "sg-web"
    }
  }
  instances {
    name: "db"
    interfaces { id: "eni-db" subnet: "app" private_ips: "10.0.2.20" security_groups: "sg-db" }
    interfaces { id: "eni-db-admin" subnet: "app" private_ips: "10.0.2.21" private_ips: "10.0.2.22" }
  }
  internet_hosts { name: "client" address: "198.51.100.7" }
  internet_hosts { name: "client6" address: "2001:db8::7" }
  flows {
    name: "https"
    from: "client"
    to: "web"
    protocol: "tcp"
    port: 443
    expect { request: ALLOWED reply: ALLOWED }
  }
  flows {
    name: "sql"
    from: "eni-web"
    to: "db"
    protocol: "tcp"
    port: 5432
    client_port: 40000
    expect { model: STATELESS request_dropped_at: SG_EGRESS }
  }
  flows { name: "ping" from: "web" to: "eni-db" protocol: "icmp" }
  flows { name: "ping6" from: "client6" to: "web" protocol: "icmpv6" ipv6: true }
)pb";

Errors errors_of(std::string_view text) {
  auto loaded = load_scenario_string(text, "test.textproto", ScenarioFormat::kText);
  if (loaded) {
    ADD_FAILURE() << "expected errors, but the scenario loaded";
    return {};
  }
  return loaded.error();
}

Scenario load_ok(std::string_view text, const std::string& label) {
  auto loaded = load_scenario_string(text, label, ScenarioFormat::kText);
  if (!loaded) {
    std::string all;
    for (const Error& e : loaded.error()) all += e.format() + "\n";
    ADD_FAILURE() << "expected the scenario to load, got:\n" << all;
    return {};
  }
  return *std::move(loaded);
}

namespace {

std::pair<int, int> position(std::string_view text, std::size_t offset) {
  if (offset == std::string_view::npos) return {0, 0};
  int line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return {line, static_cast<int>(offset - line_start) + 1};
}

}  // namespace

int line_of(std::string_view text, std::string_view needle) { return position(text, text.find(needle)).first; }
int column_of(std::string_view text, std::string_view needle) { return position(text, text.find(needle)).second; }

::testing::Matcher<const Error&> ErrorAt(const std::string& field, const std::string& message_part) {
  using ::testing::AllOf;
  using ::testing::Field;
  using ::testing::HasSubstr;
  return AllOf(Field("field", &Error::field, field), Field("message", &Error::message, HasSubstr(message_part)));
}

::testing::Matcher<const Error&> ErrorAt(const std::string& field, const std::string& message_part,
                                         std::string_view text, std::string_view needle) {
  using ::testing::AllOf;
  using ::testing::Field;
  const auto [line, column] = position(text, text.find(needle));
  EXPECT_GT(line, 0) << "'" << needle << "' does not occur in the scenario";
  return AllOf(ErrorAt(field, message_part), Field("line", &Error::line, line), Field("column", &Error::column, column),
               Field("file", &Error::file, "test.textproto"));
}

void expect_only_error(const std::string& extra, const std::string& field, const std::string& message_part,
                       std::string_view needle) {
  expect_only_error_in(kBase + extra, field, message_part, needle, kBase.size());
}

void expect_only_error_in(const std::string& text, const std::string& field, const std::string& message_part,
                          std::string_view needle, std::size_t search_from) {
  const auto offset = text.find(needle, search_from);
  ASSERT_NE(offset, std::string::npos) << "'" << needle << "' does not occur in the scenario text";
  const auto [line, column] = position(text, offset);
  const Errors errors = errors_of(text);
  ASSERT_EQ(errors.size(), 1u) << ::testing::PrintToString(errors);
  EXPECT_EQ(errors[0].field, field);
  EXPECT_THAT(errors[0].message, ::testing::HasSubstr(message_part));
  EXPECT_EQ(errors[0].line, line) << errors[0].format();
  EXPECT_EQ(errors[0].column, column) << errors[0].format();
}

namespace {

std::string peer_text(const Peer& p) {
  if (const auto* c = std::get_if<Cidr>(&p)) return c->to_string();
  if (const auto* pl = std::get_if<PrefixListId>(&p)) return "pl#" + std::to_string(pl->value);
  return "sg#" + std::to_string(std::get<SgId>(p).value);
}

std::string endpoint_text(const Endpoint& e) {
  if (const auto eni = as_eni(e)) return "eni#" + std::to_string(eni->value);
  return "host#" + std::to_string(std::get<ExternalHostId>(e).value);
}

template <class T>
std::string opt(const std::optional<T>& v) {
  if (!v) return "-";
  if constexpr (std::is_same_v<T, Cidr> || std::is_same_v<T, IpAddress>) {
    return v->to_string();
  } else {
    return std::string(to_string(*v));
  }
}

}  // namespace

std::string describe(const Scenario& s) {
  std::ostringstream out;
  const Network& n = s.network;
  out << "scenario " << s.name << " [" << s.description << "] model " << opt(s.model) << " source " << s.source << "\n";
  out << "vpc " << n.vpc.id << " igw " << n.vpc.internet_gateway << " default_sg " << n.vpc.default_sg.value
      << " default_nacl " << n.vpc.default_nacl.value << "\n";
  for (const Cidr& c : n.vpc.ipv4_cidrs) out << "  block " << c.to_string() << "\n";
  for (const Cidr& c : n.vpc.ipv6_cidrs) out << "  block6 " << c.to_string() << "\n";
  for (const Subnet& x : n.subnets) {
    out << "subnet " << x.id << " " << opt(x.ipv4_cidr) << " " << opt(x.ipv6_cidr) << " az " << x.availability_zone
        << " nacl " << x.nacl.value << " route " << x.internet_route << "\n";
  }
  for (const SecurityGroup& g : n.security_groups) {
    out << "sg " << g.id << " name " << g.name << " [" << g.description << "]\n";
    for (Direction d : {Direction::kIngress, Direction::kEgress}) {
      for (const SgRule& r : g.rules(d)) {
        out << "  " << to_string(d) << " " << r.id << " " << r.traffic.to_string() << " " << peer_text(r.peer) << " ["
            << r.description << "]\n";
      }
    }
  }
  for (const NetworkAcl& a : n.network_acls) {
    out << "nacl " << a.id << " default " << a.is_default << "\n";
    for (Direction d : {Direction::kIngress, Direction::kEgress}) {
      for (const NaclEntry& e : a.entries(d)) {
        out << "  " << to_string(d) << " " << e.number << " " << to_string(e.action) << " " << e.traffic.to_string()
            << " " << e.cidr.to_string() << "\n";
      }
    }
  }
  for (const PrefixList& p : n.prefix_lists) {
    out << "prefix list " << p.id << " " << p.name << " " << to_string(p.family) << "\n";
    for (const Cidr& c : p.entries) out << "  " << c.to_string() << "\n";
  }
  for (const Instance& i : n.instances) {
    out << "instance " << i.name << " role " << i.role << " [" << i.description << "] enis";
    for (EniId e : i.enis) out << " " << e.value;
    out << "\n";
  }
  for (const Eni& e : n.enis) {
    out << "eni " << e.id << " subnet " << e.subnet.value << " instance " << e.instance.value << " public "
        << opt(e.public_ipv4) << " ips";
    for (const IpAddress& a : e.private_ipv4) out << " " << a.to_string();
    for (const IpAddress& a : e.ipv6) out << " " << a.to_string();
    out << " groups";
    for (SgId g : e.groups) out << " " << g.value;
    out << "\n";
  }
  for (const ExternalHost& h : n.external_hosts) {
    out << "host " << h.name << " " << h.address.to_string() << " [" << h.description << "]\n";
  }
  for (const FlowSpec& f : s.flows) {
    out << "flow " << f.name << " [" << f.description << "] " << endpoint_text(f.client) << " -> "
        << endpoint_text(f.server) << " " << to_string(f.family) << " proto " << int(f.protocol) << " ports "
        << f.client_port << ">" << f.server_port << " icmp " << int(f.icmp_type) << "/" << int(f.icmp_code) << " at "
        << f.field << "\n";
    for (const Expectation& x : f.expectations) {
      out << "  expect " << opt(x.model) << " " << opt(x.request) << " " << opt(x.reply) << " "
          << opt(x.request_dropped_at) << " " << opt(x.reply_dropped_at) << " at " << x.field << "\n";
    }
  }
  return out.str();
}

}  // namespace vpcsim::io::testing

namespace vpcsim {
void PrintTo(const Error& e, std::ostream* os) { *os << e.format(); }
}  // namespace vpcsim
