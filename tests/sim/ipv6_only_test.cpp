// An IPv6-only instance (an interface with no private IPv4, in an IPv6-only subnet: VPC User
// Guide, "IPv6-only subnets"; AWS Networking blog, "Introducing IPv6-only subnets and EC2
// instances") run through the engine under both filtering models: its explicit flows and a
// generator's sessions travel over IPv6, allowed or dropped as its rules say.
#include <gtest/gtest.h>

#include <string>

#include "io/scenario_loader.h"
#include "sim/flow_outcomes.h"
#include "sim/simulator.h"

namespace vpcsim {
namespace {

// web: dual-stack, public subnet. api: IPv6-only, in an IPv6-only subnet whose route table
// sends ::/0 to the internet gateway; it serves 443 to everyone and 8080 to web, and its
// group has no outbound rule, so the stateless model drops its replies at its own egress.
constexpr std::string_view kScenario = R"pb(
  name: "ipv6-only"
  vpc { id: "vpc-1" cidr_blocks: "10.0.0.0/16" ipv6_cidr_blocks: "2600:1f18:1234:5600::/56" internet_gateway: true }
  subnets { id: "public" cidr: "10.0.1.0/24" ipv6_cidr: "2600:1f18:1234:5601::/64" internet_route: true }
  subnets { id: "v6" ipv6_cidr: "2600:1f18:1234:5602::/64" internet_route: true }
  security_groups {
    id: "sg-web"
    name: "web"
    ingress { protocol: "tcp" ports: "1024-65535" cidr: "::/0" }
    egress { protocol: "all" cidr: "0.0.0.0/0" }
    egress { protocol: "all" cidr: "::/0" }
  }
  security_groups {
    id: "sg-api"
    name: "api"
    ingress { protocol: "tcp" ports: "443" cidr: "::/0" }
    ingress { protocol: "tcp" ports: "8080" security_group: "sg-web" }
    ingress { protocol: "tcp" ports: "22" cidr: "0.0.0.0/0" }  # IPv4: nothing can use it here
  }
  instances {
    name: "web"
    interfaces {
      id: "eni-web"
      subnet: "public"
      private_ips: "10.0.1.10"
      ipv6_addresses: "2600:1f18:1234:5601::10"
      security_groups: "sg-web"
    }
  }
  instances {
    name: "api"
    role: "api"
    interfaces { id: "eni-api" subnet: "v6" ipv6_addresses: "2600:1f18:1234:5602::20" security_groups: "sg-api" }
  }
  internet_hosts { name: "client6" address: "2001:db8::7" }
  flows {
    name: "https"
    from: "client6"
    to: "api"
    protocol: "tcp"
    port: 443
    ipv6: true
    expect { model: STATEFUL request: ALLOWED reply: ALLOWED }
    expect { model: STATELESS request: ALLOWED reply: DROPPED reply_dropped_at: SG_EGRESS }
  }
  flows {
    name: "web-api"
    from: "web"
    to: "api"
    protocol: "tcp"
    port: 8080
    ipv6: true
    expect { model: STATEFUL request: ALLOWED reply: ALLOWED }
    expect { model: STATELESS request: ALLOWED reply: DROPPED reply_dropped_at: SG_EGRESS }
  }
  flows {
    name: "ssh"
    from: "client6"
    to: "api"
    protocol: "tcp"
    port: 22
    ipv6: true
    expect { request: DROPPED request_dropped_at: SG_INGRESS }
  }
  flows {
    name: "api-out"
    from: "api"
    to: "client6"
    protocol: "tcp"
    port: 443
    ipv6: true
    expect { request: DROPPED request_dropped_at: SG_EGRESS }
  }
  generators {
    name: "visitors"
    sessions {
      clients { internet: true }
      servers { role: "api" }
      protocol: "tcp"
      ports: [ 443, 22 ]
      rate_per_second: 20
      ipv6: true
    }
    stop_seconds: 5
  }
)pb";

// Counts the packets the engine judged, by family, and those of the IPv6-only interface.
class FamilyCounter : public Observer {
 public:
  void on_packet(const PacketRecord& r) override {
    const Packet& p = r.trace->packet;
    (p.family() == Family::kIpv6 ? ipv6 : ipv4) += 1;
    if (p.src == api || p.dst == api) (r.trace->delivered() ? api_delivered : api_dropped) += 1;
  }
  IpAddress api = *IpAddress::parse("2600:1f18:1234:5602::20");
  std::uint64_t ipv4 = 0, ipv6 = 0, api_delivered = 0, api_dropped = 0;
};

TEST(Ipv6OnlyInstance, RunsOverIpv6UnderBothModelsAsItsRulesSay) {
  const auto scenario = io::load_scenario_string(kScenario, "ipv6-only.textproto", io::ScenarioFormat::kText);
  ASSERT_TRUE(scenario.has_value()) << scenario.error().front().format();
  const Eni& api = scenario->network.eni(*scenario->network.find_eni("eni-api"));
  ASSERT_TRUE(api.ipv6_only());
  for (const FilteringModel m : {FilteringModel::kStateless, FilteringModel::kStateful}) {
    SCOPED_TRACE(to_string(m));
    SimulationOptions options;
    options.model = m;
    Simulator sim(*scenario, options);
    FlowOutcomes outcomes(*scenario, m);
    FamilyCounter counter;
    sim.add_observer(outcomes);
    sim.add_observer(counter);
    sim.run();
    for (const ObservedFlow* o : outcomes.flows()) {
      for (const std::string& f : o->failures) ADD_FAILURE() << o->spec->name << ": " << f;
    }
    EXPECT_EQ(outcomes.expectations_checked(), 4u);
    EXPECT_EQ(outcomes.expectations_failed(), 0u);
    // Every packet is IPv6; the generator's sessions reach the server on 443 and are dropped
    // on 22 (its only SSH rule is for IPv4).
    EXPECT_EQ(counter.ipv4, 0u);
    EXPECT_GT(counter.ipv6, 100u);
    EXPECT_GT(counter.api_delivered, 0u);
    EXPECT_GT(counter.api_dropped, 0u);
  }
}

}  // namespace
}  // namespace vpcsim
