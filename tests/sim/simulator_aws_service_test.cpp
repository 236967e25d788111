// The engine and traffic that security groups and network ACLs never filter (model/aws_service.h;
// VPC User Guide, "Security in Amazon VPC"): it is delivered in both models at both fidelities,
// opens no tracked connection and is never a drop.
#include <gtest/gtest.h>

#include "sim/simulator.h"
#include "tests/model/network_builder.h"
#include "tests/sim/sim_test_support.h"

namespace vpcsim {
namespace {

using namespace vpcsim::test;

// An instance with no security group rules at all in a subnet whose new custom ACL denies
// everything, and no internet gateway.
struct LockedDown {
  LockedDown() {
    b.associate(sub, b.nacl("acl-closed"));
    app = b.instance("app", sub, "10.0.1.10", {b.sg("sg-none")});
  }
  NetworkBuilder b;
  SubnetId sub = b.subnet("subnet-app", "10.0.1.0/24");
  EniId app;
  ExternalHostId imds = b.external_host("imds", "169.254.169.254");
  ExternalHostId dns = b.external_host("dns", "10.0.0.2");
  ExternalHostId other = b.external_host("not-a-service", "169.254.169.252");
};

TEST(SimulatorAwsService, ServiceTrafficIsDeliveredUntrackedAndNeverDropped) {
  for (const FilteringModel m : {FilteringModel::kStateless, FilteringModel::kStateful}) {
    for (const Fidelity f : {Fidelity::kPacket, Fidelity::kFlow}) {
      LockedDown n;
      const Scenario s = scenario_of(n.b.build(), {flow_spec(n.app, n.imds, Protocol::kTcp, 80, seconds(1)),
                                                   flow_spec(n.app, n.dns, Protocol::kUdp, 53, seconds(2))});
      const Recorder r = run_scenario(s, options_for(m, f));
      for (const std::uint64_t id : {0u, 1u}) {
        const FlowLog fl = r.flow(id);
        EXPECT_TRUE(fl.works) << to_string(m) << " flow " << id;
        EXPECT_EQ(fl.request.packets_dropped, 0u);
        EXPECT_EQ(fl.reply.packets_dropped, 0u);
        EXPECT_GT(fl.reply.packets_delivered, 0u);
      }
      ASSERT_FALSE(r.packets.empty());
      for (const PacketLog& p : r.packets) {
        ASSERT_EQ(p.hops.size(), 2u) << p.label;
        for (const HopLog& h : p.hops) {
          EXPECT_EQ(h.reason, Reason::kNeverFiltered) << p.label;
          EXPECT_EQ(h.outcome, Outcome::kSkipped) << p.label;
          EXPECT_FALSE(h.untracked);
        }
      }
      EXPECT_TRUE(r.states_of(StateRecord::Kind::kConnectionTracked).empty()) << to_string(m);
    }
  }
}

TEST(SimulatorAwsService, AnOrdinaryLinkLocalAddressIsDroppedAtTheGroup) {
  LockedDown n;
  const Recorder r = run_scenario(scenario_of(n.b.build(), {flow_spec(n.app, n.other, Protocol::kTcp, 80, seconds(1))}),
                                  options_for(FilteringModel::kStateful, Fidelity::kPacket));
  EXPECT_FALSE(r.flow(0).works);
  ASSERT_FALSE(r.packets.empty());
  EXPECT_EQ(r.packets[0].drop_hop(), Hop::kSgEgress);
}

}  // namespace
}  // namespace vpcsim
