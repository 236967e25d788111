#include "sim/simulator.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/model/network_builder.h"
#include "tests/sim/sim_test_support.h"

namespace vpcsim {
namespace {

using namespace vpcsim::test;
using Kind = StateRecord::Kind;

constexpr FilteringModel kStateful = FilteringModel::kStateful;
constexpr FilteringModel kStateless = FilteringModel::kStateless;
constexpr Fidelity kPacket = Fidelity::kPacket;
constexpr Fidelity kFlow = Fidelity::kFlow;

// ---- ordering and determinism -------------------------------------------------------------

TEST(SimulatorOrdering, FlowsStartingTogetherRunInSchedulingOrder) {
  SshPair n;
  const Scenario s = scenario_of(n.b.build(), {n.ssh(seconds(5)), n.ssh(seconds(5))});
  const Recorder r = run_scenario(s, options_for(kStateful, kFlow));
  // Flow 0's reply was scheduled while flow 1's start was already waiting at the same time.
  ASSERT_EQ(r.packets.size(), 4u);
  EXPECT_EQ(std::vector<std::uint64_t>({r.packets[0].flow, r.packets[1].flow, r.packets[2].flow, r.packets[3].flow}),
            std::vector<std::uint64_t>({0, 1, 0, 1}));
  EXPECT_FALSE(r.packets[1].reply);
  EXPECT_TRUE(r.packets[2].reply);
}

TEST(SimulatorOrdering, ChangeScheduledBeforeAPacketAtTheSameTimeJudgesIt) {
  // The change was scheduled when the engine was built, the SYN-ACK only when the SYN went
  // out: at equal times the change comes first.
  SshPair n;
  n.open_replies();
  const Scenario s =
      scenario_of(n.b.build(), {n.ssh(seconds(5))},
                  {{seconds(5) + kHalfRtt, RemoveSgRule{n.server_sg, Direction::kEgress, "sgr-replies", {}}, {}, {}}});
  const Recorder r = run_scenario(s, options_for(kStateless, kPacket));
  ASSERT_EQ(r.lines.size(), 4u);  // SYN, the change, SYN-ACK, the flow
  EXPECT_TRUE(r.lines[0].starts_with("packet") && r.lines[1].starts_with("state") && r.lines[2].starts_with("packet"));
  EXPECT_TRUE(r.packets[0].delivered());
  EXPECT_EQ(r.packets[1].time, seconds(5) + kHalfRtt);
  EXPECT_EQ(r.packets[1].drop_hop(), Hop::kSgEgress);
}

// Where the request of a flow at 10 s was dropped ("delivered", "not run"), with the ssh rule
// removed at 10 s and `before` other flows earlier.
std::string request_at_change_time(int before) {
  SshPair n;
  std::vector<FlowSpec> flows;
  for (int i = 0; i < before; ++i) flows.push_back(flow_spec(n.client, n.server, Protocol::kUdp, 53, seconds(i)));
  flows.push_back(n.ssh(seconds(10)));
  const Scenario s = scenario_of(
      n.b.build(), flows, {{seconds(10), RemoveSgRule{n.server_sg, Direction::kIngress, "sgr-ssh", {}}, {}, {}}});
  const Recorder r = run_scenario(s, options_for(kStateless, kFlow));
  const auto packets = r.packets_of(static_cast<std::uint64_t>(before));
  if (packets.empty()) return "not run";
  return packets.front()->drop() ? std::string(to_string(packets.front()->drop()->hop)) : "delivered";
}

// A change at t precedes every flow starting at t, whether or not other flows came first.
// (Regression: a source's first flow was queued before the changes.)
TEST(SimulatorOrdering, FlowStartingWithAChangeSeesTheSameRulesWhateverCameBefore) {
  EXPECT_EQ(request_at_change_time(2), "sg-ingress");  // the change applied first
  EXPECT_EQ(request_at_change_time(0), "sg-ingress");
}

// Poisson sessions (tcp and udp) from three clients and an internet host to two servers,
// some of them dropped, plus one explicit flow.
Scenario generated_traffic() {
  NetworkBuilder b;
  b.internet_gateway();
  const SubnetId web = b.subnet("subnet-web", "10.0.1.0/24", true);
  const SubnetId app = b.subnet("subnet-app", "10.0.2.0/24");
  const SgId front = b.sg("sg-front");
  const SgId back = b.sg("sg-back");
  b.ingress(front, tcp(80), cidr("0.0.0.0/0")).egress(front, all_traffic(), cidr("0.0.0.0/0"));
  b.ingress(back, tcp(22), SgId(1))
      .ingress(back, udp(53), cidr("10.0.0.0/16"))
      .egress(back, tcp(443), cidr("0.0.0.0/0"));
  const EniId w1 = b.instance("web-1", web, "10.0.1.10", {front});
  const EniId w2 = b.instance("web-2", web, "10.0.1.11", {front});
  b.eni(w1).public_ipv4 = ip("203.0.113.10");
  const EniId a1 = b.instance("app-1", app, "10.0.2.10", {back});
  const EniId a2 = b.instance("app-2", app, "10.0.2.11", {back});
  const ExternalHostId user = b.external_host("user", "198.51.100.7");
  Scenario s = scenario_of(b.build(), {flow_spec(w1, a1, Protocol::kTcp, 22, seconds(1))});
  GeneratorSpec tcp_sessions;
  tcp_sessions.clients = {w1, w2, a1, user};
  tcp_sessions.servers = {w1, a1, a2};
  tcp_sessions.ports = {22, 80, 443};
  tcp_sessions.rate_per_second = 20;
  tcp_sessions.duration = {DurationDistribution::Kind::kExponential, 0.5, 0};
  tcp_sessions.request_packets = 3;
  tcp_sessions.reply_packets = 3;
  tcp_sessions.stop = seconds(10);
  GeneratorSpec udp_sessions = tcp_sessions;
  udp_sessions.protocol = Protocol::kUdp;
  udp_sessions.ports = {53};
  udp_sessions.rate_per_second = 5;
  udp_sessions.duration = {DurationDistribution::Kind::kFixed, 1.0, 1.0};
  s.generators = {tcp_sessions, udp_sessions};
  return s;
}

TEST(SimulatorDeterminism, SameScenarioAndSeedGiveIdenticalLogs) {
  const Scenario s = generated_traffic();
  for (const Fidelity f : {kPacket, kFlow}) {
    const Recorder first = run_scenario(s, options_for(kStateful, f, {}, 7));
    const Recorder second = run_scenario(s, options_for(kStateful, f, {}, 7));
    const Recorder other_seed = run_scenario(s, options_for(kStateful, f, {}, 8));
    EXPECT_GT(first.flows.size(), 150u) << to_string(f);
    EXPECT_EQ(first.lines, second.lines) << to_string(f);
    EXPECT_NE(first.lines, other_seed.lines) << to_string(f);  // the comparison is not vacuous
  }
}

TEST(SimulatorDeterminism, RadixAndHeapQueuesGiveIdenticalLogs) {
  const Scenario s = generated_traffic();
  for (const FilteringModel m : {kStateful, kStateless}) {
    for (const Fidelity f : {kPacket, kFlow}) {
      const Recorder radix = run_scenario<Simulator>(s, options_for(m, f, {}, 3));
      const Recorder heap = run_scenario<HeapSimulator>(s, options_for(m, f, {}, 3));
      EXPECT_GT(radix.lines.size(), 300u);
      EXPECT_EQ(radix.lines, heap.lines) << to_string(m) << " " << to_string(f);
    }
  }
}

// ---- flow fidelity ------------------------------------------------------------------------

TEST(SimulatorFlowFidelity, EachFlowIsOneRequestAndOneReplyRecordWithItsCounts) {
  SshPair n;
  FlowSpec big = n.ssh(seconds(2), seconds(3));
  big.request_packets = 7;
  big.reply_packets = 3;
  big.request_bytes = 700;
  big.reply_bytes = 9000;
  const Scenario s = scenario_of(n.b.build(), {n.ssh(seconds(1)), big});
  const Recorder r = run_scenario(s, options_for(kStateful, kFlow));
  ASSERT_EQ(r.packets.size(), 4u);
  const auto records = r.packets_of(1);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0]->label, "request");
  EXPECT_EQ(records[0]->time, seconds(2));
  EXPECT_EQ(records[0]->packets, 7u);
  EXPECT_EQ(records[0]->bytes, 700u);
  EXPECT_EQ(records[1]->label, "reply");
  EXPECT_TRUE(records[1]->reply);
  EXPECT_EQ(records[1]->time, seconds(2));
  EXPECT_EQ(records[1]->packets, 3u);
  EXPECT_EQ(records[1]->bytes, 9000u);
  const FlowLog f = r.flow(1);
  EXPECT_EQ(f.end, seconds(5));
  EXPECT_EQ(f.request.packets_delivered, 7u);
  EXPECT_EQ(f.request.bytes_delivered, 700u);
  EXPECT_EQ(f.reply.packets_delivered, 3u);
  EXPECT_EQ(f.reply.bytes_delivered, 9000u);
  EXPECT_TRUE(f.works);
}

TEST(SimulatorFlowFidelity, DroppedRequestGetsNoReplyAndEndsAtItsStart) {
  SshPair n;
  const Scenario s = scenario_of(n.b.build(), {flow_spec(n.client, n.server, Protocol::kTcp, 80, seconds(4))});
  const Recorder r = run_scenario(s, options_for(kStateful, kFlow));
  ASSERT_EQ(r.packets.size(), 1u);
  EXPECT_EQ(r.packets[0].drop_hop(), Hop::kSgEgress);  // the client may not send to 80
  const FlowLog f = r.flow(0);
  EXPECT_EQ(f.end, seconds(4));
  EXPECT_EQ(f.request.packets_dropped, 4u);
  EXPECT_EQ(f.request.bytes_dropped, 400u);
  EXPECT_FALSE(f.reply.sent);
  EXPECT_FALSE(f.works);
}

TEST(SimulatorFlowFidelity, DroppedReplyDoesNotShortenTheFlow) {
  SshPair n;
  const Scenario s = scenario_of(n.b.build(), {n.ssh(seconds(1), seconds(2))});
  const Recorder r = run_scenario(s, options_for(kStateless, kFlow));
  const FlowLog f = r.flow(0);
  EXPECT_TRUE(f.request.all_delivered());
  EXPECT_EQ(f.reply.packets_dropped, 4u);
  EXPECT_EQ(f.reply.first_drop->hop, Hop::kSgEgress);
  EXPECT_EQ(f.end, seconds(3));
  EXPECT_FALSE(f.works);
}

// ---- packet fidelity ----------------------------------------------------------------------

TEST(SimulatorPacketFidelity, TcpIsHandshakeDataBothWaysThenClose) {
  SshPair n;
  const Scenario s = scenario_of(n.b.build(), {n.ssh(seconds(10), seconds(3), 2)});
  const Recorder r = run_scenario(s, options_for(kStateful, kPacket));
  EXPECT_EQ(r.labels_of(0), std::vector<std::string>({"SYN", "<SYN-ACK", "ACK", "data", "<data", "data", "<data", "FIN",
                                                      "<FIN-ACK", "ACK"}));
  const SimTime t0 = seconds(10);
  const std::vector<SimTime> times{t0,
                                   t0 + kHalfRtt,
                                   t0 + kRtt,
                                   t0 + kRtt + seconds(1),
                                   t0 + kRtt + seconds(1) + kHalfRtt,
                                   t0 + kRtt + seconds(2),
                                   t0 + kRtt + seconds(2) + kHalfRtt,
                                   t0 + kRtt + seconds(3) + kHalfRtt,
                                   t0 + kRtt + seconds(3) + kRtt,
                                   t0 + kRtt + seconds(3) + kRtt + kHalfRtt};
  std::vector<SimTime> seen;
  for (const PacketLog& p : r.packets) seen.push_back(p.time);
  EXPECT_EQ(seen, times);
  constexpr std::uint8_t kSyn = Packet::kSyn, kAck = Packet::kAck, kFin = Packet::kFin;
  std::vector<int> flags;
  for (const PacketLog& p : r.packets) flags.push_back(p.tcp_flags);
  EXPECT_EQ(flags, std::vector<int>({kSyn, kSyn | kAck, kAck, kAck, kAck, kAck, kAck, kFin | kAck, kFin | kAck, kAck}));
  EXPECT_EQ(r.packets[3].bytes, 100u);  // 200 request bytes over two data packets
  EXPECT_EQ(r.packets[0].bytes, 40u);   // a bare TCP/IPv4 header
  const FlowLog f = r.flow(0);
  EXPECT_EQ(f.end, times.back());
  EXPECT_EQ(f.request.packets_delivered, 6u);  // SYN, ACK, 2 data, FIN, ACK
  EXPECT_EQ(f.reply.packets_delivered, 4u);    // SYN-ACK, 2 data, FIN-ACK
  EXPECT_EQ(f.request.bytes_delivered, 200u + 4 * 40u);
  EXPECT_TRUE(f.works);
}

TEST(SimulatorPacketFidelity, DroppedSynEndsTheFlowAfterOnePacket) {
  SshPair n;
  n.b.egress(n.client_sg, all_traffic(), cidr("0.0.0.0/0"));
  const Scenario s = scenario_of(n.b.build(), {flow_spec(n.client, n.server, Protocol::kTcp, 80, seconds(2))});
  const Recorder r = run_scenario(s, options_for(kStateful, kPacket));
  ASSERT_EQ(r.packets.size(), 1u);
  EXPECT_EQ(r.packets[0].label, "SYN");
  EXPECT_EQ(r.packets[0].drop_hop(), Hop::kSgIngress);
  EXPECT_EQ(r.flow(0).end, seconds(2));
  EXPECT_FALSE(r.flow(0).reply.sent);
}

TEST(SimulatorPacketFidelity, DroppedSynAckEndsTheFlowAfterTwoPackets) {
  SshPair n;
  const Recorder r = run_scenario(scenario_of(n.b.build(), {n.ssh(seconds(2))}), options_for(kStateless, kPacket));
  EXPECT_EQ(r.labels_of(0), std::vector<std::string>({"SYN", "<SYN-ACK"}));
  EXPECT_EQ(r.packets.at(1).drop_hop(), Hop::kSgEgress);
  EXPECT_EQ(r.flow(0).end, seconds(2) + kHalfRtt);
  EXPECT_EQ(r.flow(0).request.packets_delivered, 1u);
  EXPECT_EQ(r.flow(0).reply.packets_dropped, 1u);
}

TEST(SimulatorPacketFidelity, UdpExchangesAlternateRequestAndReply) {
  SshPair n;
  const Scenario s =
      scenario_of(n.b.build(), {flow_spec(n.client, n.server, Protocol::kUdp, 53, SimTime{0}, seconds(3), 3)});
  const Recorder r = run_scenario(s, options_for(kStateful, kPacket));
  EXPECT_EQ(r.labels_of(0), std::vector<std::string>({"request", "<reply", "request", "<reply", "request", "<reply"}));
  EXPECT_EQ(r.packets.at(2).time, seconds(1));
  EXPECT_EQ(r.packets.at(3).time, seconds(1) + kHalfRtt);
  EXPECT_TRUE(r.flow(0).works);
}

// Rounds closer together than half a round trip: replies interleave later requests, and
// simulated time never runs backwards (in either queue).
TEST(SimulatorPacketFidelity, ShortUdpFlowNeverSchedulesIntoThePast) {
  SshPair n;
  const Scenario s =
      scenario_of(n.b.build(), {flow_spec(n.client, n.server, Protocol::kUdp, 53, seconds(1), milliseconds(1), 4)});
  for (const bool heap : {false, true}) {
    const Recorder r = heap ? run_scenario<HeapSimulator>(s, options_for(kStateful, kPacket))
                            : run_scenario<Simulator>(s, options_for(kStateful, kPacket));
    ASSERT_EQ(r.packets.size(), 8u);
    for (std::size_t i = 1; i < r.packets.size(); ++i) {
      EXPECT_GE(r.packets[i].time, r.packets[i - 1].time) << "packet " << i << (heap ? " (heap)" : " (radix)");
    }
  }
}

// ---- timed rule changes -------------------------------------------------------------------

// A probe flow at 0 s and the same flow at 20 s, with `change` at 10 s (stateless model,
// flow fidelity): where each request was dropped (nullopt: delivered).
struct AroundChange {
  std::optional<Hop> before;
  std::optional<Hop> after;
  std::optional<Reason> after_reason;
  std::vector<StateLog> states;
  Network network;  // the engine's, after the run
};

AroundChange around_change(Network net, RuleChange change, FlowSpec probe) {
  FlowSpec later = probe;
  probe.start = SimTime{0};
  later.start = seconds(20);
  const Scenario s = scenario_of(std::move(net), {probe, later}, {{seconds(10), std::move(change), {}, {}}});
  Recorder r;
  Simulator sim(s, options_for(kStateless, kFlow));
  sim.add_observer(r);
  sim.run();
  AroundChange out;
  const auto first = r.packets_of(0);
  const auto second = r.packets_of(1);
  if (first.empty() || second.empty()) {
    ADD_FAILURE() << "a probe did not run";
    return out;
  }
  out.before = first.front()->drop_hop();
  out.after = second.front()->drop_hop();
  if (const HopLog* d = second.front()->drop()) out.after_reason = d->reason;
  out.states = r.states;
  out.network = sim.network();
  return out;
}

TEST(SimulatorRuleChanges, AddSgRuleAdmitsLaterFlows) {
  SshPair n;
  const AroundChange x = around_change(
      n.b.build(), AddSgRule{n.server_sg, Direction::kIngress, {"sgr-web", tcp(80), cidr("10.0.0.0/16"), {}}},
      flow_spec(n.client, n.server, Protocol::kTcp, 80, {}));
  EXPECT_EQ(x.before, Hop::kSgEgress);  // the client has no egress rule for 80 either
  EXPECT_EQ(x.after, Hop::kSgEgress);
  SshPair m;
  m.b.egress(m.client_sg, all_traffic(), cidr("0.0.0.0/0"));
  const AroundChange y = around_change(
      m.b.build(), AddSgRule{m.server_sg, Direction::kIngress, {"sgr-web", tcp(80), cidr("10.0.0.0/16"), {}}},
      flow_spec(m.client, m.server, Protocol::kTcp, 80, {}));
  EXPECT_EQ(y.before, Hop::kSgIngress);
  EXPECT_EQ(y.after, std::nullopt);
  ASSERT_EQ(y.states.size(), 1u);
  EXPECT_EQ(y.states[0].kind, Kind::kRuleChange);
  EXPECT_EQ(y.states[0].time, seconds(10));
  EXPECT_EQ(y.network.sg(m.server_sg).ingress.size(), 3u);
}

TEST(SimulatorRuleChanges, RemoveSgRuleByIdDropsLaterFlows) {
  SshPair n;
  const AroundChange x =
      around_change(n.b.build(), RemoveSgRule{n.server_sg, Direction::kIngress, "sgr-ssh", {}}, n.ssh({}));
  EXPECT_EQ(x.before, std::nullopt);
  EXPECT_EQ(x.after, Hop::kSgIngress);
  EXPECT_EQ(x.after_reason, Reason::kNoRuleMatched);
  EXPECT_EQ(x.network.sg(n.server_sg).ingress.size(), 1u);  // udp 53 is left
}

TEST(SimulatorRuleChanges, RemoveSgRuleByMatchDropsLaterFlows) {
  SshPair n;
  const SgRule same{"", tcp(22), cidr("10.0.1.0/24"), "written again"};
  const AroundChange x =
      around_change(n.b.build(), RemoveSgRule{n.server_sg, Direction::kIngress, "", same}, n.ssh({}));
  EXPECT_EQ(x.before, std::nullopt);
  EXPECT_EQ(x.after, Hop::kSgIngress);
  EXPECT_EQ(x.network.sg(n.server_sg).ingress.size(), 1u);
}

TEST(SimulatorRuleChanges, AttachSgAdmitsLaterFlows) {
  SshPair n;
  n.b.egress(n.client_sg, all_traffic(), cidr("0.0.0.0/0"));
  const SgId web = n.b.sg("sg-web");
  n.b.ingress(web, tcp(80), cidr("0.0.0.0/0"));
  const AroundChange x =
      around_change(n.b.build(), AttachSg{n.server, web}, flow_spec(n.client, n.server, Protocol::kTcp, 80, {}));
  EXPECT_EQ(x.before, Hop::kSgIngress);
  EXPECT_EQ(x.after, std::nullopt);
  EXPECT_EQ(x.network.eni(n.server).groups, std::vector<SgId>({n.server_sg, web}));
}

TEST(SimulatorRuleChanges, DetachSgDropsLaterFlows) {
  SshPair n;
  n.b.egress(n.client_sg, all_traffic(), cidr("0.0.0.0/0"));
  const SgId web = n.b.sg("sg-web");
  n.b.ingress(web, tcp(80), cidr("0.0.0.0/0"));
  n.b.net().enis.at(n.server.value).groups.push_back(web);
  const AroundChange x =
      around_change(n.b.build(), DetachSg{n.server, web}, flow_spec(n.client, n.server, Protocol::kTcp, 80, {}));
  EXPECT_EQ(x.before, std::nullopt);
  EXPECT_EQ(x.after, Hop::kSgIngress);
  EXPECT_EQ(x.network.eni(n.server).groups, std::vector<SgId>({n.server_sg}));
}

TEST(SimulatorRuleChanges, AddedNaclDenyDropsLaterFlows) {
  SshPair n;
  const NaclEntry deny{50, RuleAction::kDeny, tcp(22), cidr("10.0.1.0/24")};
  const AroundChange x =
      around_change(n.b.build(), PutNaclEntry{n.b.net().vpc.default_nacl, Direction::kIngress, deny, false}, n.ssh({}));
  EXPECT_EQ(x.before, std::nullopt);
  EXPECT_EQ(x.after, Hop::kNaclIngress);
  EXPECT_EQ(x.after_reason, Reason::kRuleDenied);
  EXPECT_EQ(x.network.nacl(NaclId(0)).ingress.front().number, 50);
}

TEST(SimulatorRuleChanges, ReplacedNaclEntryJudgesLaterFlows) {
  SshPair n;
  const NaclEntry deny_all{100, RuleAction::kDeny, all_traffic(), cidr("0.0.0.0/0")};
  const AroundChange x =
      around_change(n.b.build(), PutNaclEntry{NaclId(0), Direction::kEgress, deny_all, true}, n.ssh({}));
  EXPECT_EQ(x.before, std::nullopt);
  EXPECT_EQ(x.after, Hop::kNaclEgress);
  EXPECT_EQ(x.after_reason, Reason::kRuleDenied);
  ASSERT_EQ(x.network.nacl(NaclId(0)).egress.size(), 1u);
  EXPECT_EQ(x.network.nacl(NaclId(0)).egress.front().action, RuleAction::kDeny);
}

TEST(SimulatorRuleChanges, RemovedNaclEntryLeavesTheImplicitDeny) {
  SshPair n;
  const AroundChange x = around_change(n.b.build(), RemoveNaclEntry{NaclId(0), Direction::kIngress, 100}, n.ssh({}));
  EXPECT_EQ(x.before, std::nullopt);
  EXPECT_EQ(x.after, Hop::kNaclIngress);
  EXPECT_EQ(x.after_reason, Reason::kImplicitDeny);
  EXPECT_TRUE(x.network.nacl(NaclId(0)).ingress.empty());
}

TEST(SimulatorRuleChanges, AssociatedNaclJudgesLaterFlows) {
  SshPair n;
  const NaclId locked = n.b.nacl("acl-locked");  // no entries: denies everything
  const AroundChange x = around_change(n.b.build(), AssociateNacl{n.data, locked}, n.ssh({}));
  EXPECT_EQ(x.before, std::nullopt);
  EXPECT_EQ(x.after, Hop::kNaclIngress);
  EXPECT_EQ(x.after_reason, Reason::kImplicitDeny);
  EXPECT_EQ(x.network.subnet(n.data).nacl, locked);
}

TEST(SimulatorRuleChanges, ChangeThatCannotApplyIsReportedAndChangesNothing) {
  SshPair n;
  const Network before = n.b.build();
  const AroundChange x =
      around_change(before, RemoveSgRule{n.server_sg, Direction::kIngress, "sgr-missing", {}}, n.ssh({}));
  ASSERT_EQ(x.states.size(), 1u);
  EXPECT_EQ(x.states[0].kind, Kind::kRuleChangeFailed);
  EXPECT_EQ(x.states[0].time, seconds(10));
  EXPECT_NE(x.states[0].description.find("not applied"), std::string::npos) << x.states[0].description;
  EXPECT_EQ(x.before, std::nullopt);
  EXPECT_EQ(x.after, std::nullopt);
  ASSERT_EQ(x.network.sg(n.server_sg).ingress.size(), 2u);
  EXPECT_EQ(x.network.sg(n.server_sg).ingress[0].id, "sgr-ssh");
}

TEST(SimulatorRuleChanges, NaclDenyCutsATrackedSessionAtOnce) {
  // AWS's way to stop traffic regardless of connection state (EC2 User Guide, "Security group
  // connection tracking"): network ACLs keep no state.
  SshPair n;
  const NaclEntry deny{50, RuleAction::kDeny, tcp(22), cidr("10.0.1.0/24")};
  const Scenario s = scenario_of(n.b.build(), {n.ssh(SimTime{0}, seconds(10))},
                                 {{seconds(3), PutNaclEntry{NaclId(0), Direction::kIngress, deny, false}, {}, {}}});
  const Recorder r = run_scenario(s, options_for(kStateful, kPacket));
  for (const PacketLog& p : r.packets) {
    // Replies go to port 50000, not 22: the deny never matches them.
    const bool cut = p.time > seconds(3) && !p.reply;
    EXPECT_EQ(p.drop_hop(), cut ? std::optional(Hop::kNaclIngress) : std::nullopt)
        << p.label << " at " << p.time.count();
  }
  EXPECT_EQ(r.flow(0).request.packets_dropped, 5u);  // data at 4, 6 and 8 s, the FIN, the last ACK
}

// ---- horizon ------------------------------------------------------------------------------

TEST(SimulatorHorizon, FlowsStartingAfterTheHorizonNeverStart) {
  SshPair n;
  const Scenario s = scenario_of(n.b.build(), {n.ssh(seconds(10)), n.ssh(seconds(60))});
  Recorder r;
  Simulator sim(s, options_for(kStateful, kFlow, seconds(50)));
  sim.add_observer(r);
  sim.run();
  EXPECT_TRUE(sim.finished());
  EXPECT_EQ(sim.flows_started(), 1u);
  EXPECT_EQ(sim.now(), seconds(50));
  ASSERT_EQ(r.flows.size(), 1u);
  EXPECT_EQ(r.flows[0].start, seconds(10));
}

TEST(SimulatorHorizon, ScenarioHorizonAppliesWhenTheOptionsGiveNone) {
  SshPair n;
  Scenario s = scenario_of(n.b.build(), {n.ssh(seconds(10)), n.ssh(seconds(60))});
  s.horizon = seconds(50);
  const Recorder r = run_scenario(s, options_for(kStateful, kFlow));
  EXPECT_EQ(r.flows.size(), 1u);
}

TEST(SimulatorHorizon, FlowRunningAtTheHorizonIsReportedWithItsPacketsSoFar) {
  SshPair n;
  // Data every 20 s from 10 s + rtt: the ones at 30 s go out, the ones at 50 s + rtt do not.
  const Scenario s = scenario_of(n.b.build(), {n.ssh(seconds(10), seconds(100))});
  Recorder r;
  Simulator sim(s, options_for(kStateful, kPacket, seconds(50)));
  sim.add_observer(r);
  sim.run();
  EXPECT_EQ(r.labels_of(0), std::vector<std::string>({"SYN", "<SYN-ACK", "ACK", "data", "<data"}));
  ASSERT_EQ(r.flows.size(), 1u);
  EXPECT_EQ(r.flows[0].end, seconds(50));
  EXPECT_EQ(r.flows[0].request.packets_delivered, 3u);
  EXPECT_EQ(r.flows[0].reply.packets_delivered, 2u);
  EXPECT_EQ(sim.flows_active(), 0u);

  const Recorder coarse = run_scenario(s, options_for(kStateful, kFlow, seconds(50)));
  ASSERT_EQ(coarse.flows.size(), 1u);
  EXPECT_EQ(coarse.flows[0].end, seconds(50));
  EXPECT_EQ(coarse.flows[0].reply.packets_delivered, 4u);
}

TEST(SimulatorHorizon, RunUntilStopsAfterTheLastEventAtThatTime) {
  SshPair n;
  const Scenario s = scenario_of(n.b.build(), {n.ssh(seconds(5)), n.ssh(seconds(10))});
  Recorder r;
  Simulator sim(s, options_for(kStateful, kFlow));
  sim.add_observer(r);
  sim.run_until(seconds(5));
  EXPECT_EQ(sim.now(), seconds(5));
  EXPECT_FALSE(sim.finished());
  EXPECT_EQ(sim.flows_active(), 1u);  // its end is at 6 s
  EXPECT_EQ(r.packets.size(), 2u);
  sim.run();
  EXPECT_TRUE(sim.finished());
  EXPECT_FALSE(sim.step());
  EXPECT_EQ(r.flows.size(), 2u);
  EXPECT_EQ(sim.now(), seconds(11));
}

TEST(SimulatorHorizon, PendingConntrackExpiryDoesNotStretchARunWithoutHorizon) {
  SshPair n;  // default timeouts: an established TCP connection is kept 432000 s
  const Scenario s = scenario_of(n.b.build(), {n.ssh(seconds(1))});
  for (const Fidelity f : {kPacket, kFlow}) {
    Simulator sim(s, options_for(kStateful, f));
    sim.run();
    EXPECT_TRUE(sim.finished());
    EXPECT_LT(sim.now(), seconds(3)) << to_string(f);
    EXPECT_EQ(sim.tracked_connections(), 2u) << to_string(f);  // still held: their timers never ran
  }
}

}  // namespace
}  // namespace vpcsim
