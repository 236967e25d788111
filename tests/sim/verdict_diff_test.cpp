#include "sim/verdict_diff.h"

#include <gtest/gtest.h>

#include <vector>

#include "sim/simulator.h"
#include "tests/model/network_builder.h"
#include "tests/sim/sim_test_support.h"

namespace vpcsim {
namespace {

using namespace vpcsim::test;

std::vector<JudgedFlow> judge(const Scenario& s, FilteringModel model, Fidelity fidelity = Fidelity::kFlow) {
  Simulator sim(s, options_for(model, fidelity));
  JudgedFlowCollector judged(sim.network());
  sim.add_observer(judged);
  sim.run();
  return judged.take();
}

// ssh and dns from the client; the server answers both only when its reply rules are there.
Scenario ssh_and_dns(const SshPair& n) {
  return scenario_of(n.b.build(), {n.ssh(seconds(1)), flow_spec(n.client, n.server, Protocol::kUdp, 53, seconds(2)),
                                   n.ssh(seconds(3))});
}

TEST(VerdictDiff, RemovingAnIngressRuleIsBreakageGroupedByTheRemovedRule) {
  SshPair before;
  SshPair after;
  after.b.net().sg(after.server_sg).ingress.erase(after.b.net().sg(after.server_sg).ingress.begin());  // sgr-ssh
  const auto b = judge(ssh_and_dns(before), FilteringModel::kStateful);
  const auto a = judge(ssh_and_dns(after), FilteringModel::kStateful);
  const VerdictDiff d = diff_verdicts(b, a);
  EXPECT_EQ(d.compared, 3u);
  EXPECT_EQ(d.unchanged, 1u);  // dns
  EXPECT_EQ(d.newly_dropped, 2u);
  EXPECT_EQ(d.newly_allowed, 0u);
  EXPECT_TRUE(d.breakage());
  EXPECT_FALSE(d.exposure());
  ASSERT_EQ(d.groups.size(), 1u);
  const DiffGroup& g = d.groups[0];
  EXPECT_EQ(g.change, VerdictChange::kNewlyDropped);
  EXPECT_FALSE(g.reply);
  EXPECT_EQ(g.hop, Hop::kSgIngress);
  EXPECT_EQ(g.count, 2u);
  EXPECT_NE(g.previously.find("tcp 22"), std::string::npos) << g.previously;  // the removed rule
  EXPECT_NE(g.rule.find("no rule matched"), std::string::npos) << g.rule;
  ASSERT_EQ(g.examples.size(), 2u);
  EXPECT_NE(g.examples[0].find("10.0.2.20:22"), std::string::npos) << g.examples[0];
}

TEST(VerdictDiff, AddingReplyRulesIsExposureOfTheRepliesOnlyInTheStatelessModel) {
  SshPair before;
  SshPair after;
  after.open_replies();
  const auto stateless = diff_verdicts(judge(ssh_and_dns(before), FilteringModel::kStateless),
                                       judge(ssh_and_dns(after), FilteringModel::kStateless));
  // Both ssh replies now leave the server (egress) and enter the client; dns replies stay dropped.
  EXPECT_EQ(stateless.newly_allowed, 2u);
  EXPECT_EQ(stateless.newly_dropped, 0u);
  ASSERT_EQ(stateless.groups.size(), 1u);
  EXPECT_TRUE(stateless.groups[0].reply);
  EXPECT_EQ(stateless.groups[0].hop, Hop::kSgEgress);
  EXPECT_NE(stateless.groups[0].rule.find("1024-65535"), std::string::npos) << stateless.groups[0].rule;
  EXPECT_NE(stateless.groups[0].previously.find("no rule matched"), std::string::npos);

  const auto stateful = diff_verdicts(judge(ssh_and_dns(before), FilteringModel::kStateful),
                                      judge(ssh_and_dns(after), FilteringModel::kStateful));
  EXPECT_EQ(stateful.compared, 3u);
  EXPECT_EQ(stateful.unchanged, 3u);  // tracked replies got through before already
  EXPECT_TRUE(stateful.groups.empty());
}

TEST(VerdictDiff, PacketFidelityJudgesTheFirstDroppedPacket) {
  SshPair n;
  const auto packets = judge(ssh_and_dns(n), FilteringModel::kStateless, Fidelity::kPacket);
  ASSERT_EQ(packets.size(), 3u);
  EXPECT_TRUE(packets[0].request.delivered);
  EXPECT_FALSE(packets[0].reply.delivered);  // the SYN-ACK has no egress rule
  EXPECT_EQ(packets[0].reply.drop_hop, Hop::kSgEgress);
  EXPECT_FALSE(packets[0].reply.cause_at(Hop::kSgEgress).empty());
  EXPECT_TRUE(packets[0].reply.cause_at(Hop::kSgIngress).empty());  // never got there
}

TEST(VerdictDiff, FlowsOnlyOneRunHasAreCountedNotCompared) {
  JudgedFlow f1{1, "one", {}, {}};
  JudgedFlow f2{2, "two", {}, {}};
  JudgedFlow f3{3, "three", {}, {}};
  const std::vector<JudgedFlow> before{f1, f2};
  const std::vector<JudgedFlow> after{f2, f3};
  const VerdictDiff d = diff_verdicts(before, after);
  EXPECT_EQ(d.compared, 1u);
  EXPECT_EQ(d.only_before, 1u);
  EXPECT_EQ(d.only_after, 1u);
  EXPECT_EQ(d.unchanged, 1u);
}

TEST(VerdictDiff, ExamplesAreCappedAndGroupsOrderedByCount) {
  SshPair before;
  SshPair after;
  after.b.net().sg(after.server_sg).ingress.clear();  // ssh and dns both go
  std::vector<FlowSpec> flows;
  for (int i = 0; i < 5; ++i) {
    flows.push_back(before.ssh(seconds(i + 1)));
    flows.back().client_port = static_cast<std::uint16_t>(kDefaultClientPort + i);  // five connections, not one
  }
  flows.push_back(flow_spec(before.client, before.server, Protocol::kUdp, 53, seconds(10)));
  Scenario sb = scenario_of(before.b.build(), flows);
  Scenario sa = scenario_of(after.b.build(), flows);
  const VerdictDiff d = diff_verdicts(judge(sb, FilteringModel::kStateful), judge(sa, FilteringModel::kStateful), 2);
  ASSERT_EQ(d.groups.size(), 2u);
  EXPECT_EQ(d.groups[0].count, 5u);
  EXPECT_EQ(d.groups[0].examples.size(), 2u);
  EXPECT_EQ(d.groups[1].count, 1u);
  EXPECT_NE(d.groups[1].previously.find("udp 53"), std::string::npos) << d.groups[1].previously;
}

}  // namespace
}  // namespace vpcsim
