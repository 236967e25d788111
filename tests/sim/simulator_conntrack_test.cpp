// The engine's connection tracking (EC2 User Guide, "Security group connection tracking";
// shared/aws-semantics.md §2): what opens, passes, expires and is never tracked, and the
// property the stateful model exists for.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "sim/simulator.h"
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

std::vector<const StateLog*> states_at(const Recorder& r, Kind kind, EniId eni) {
  std::vector<const StateLog*> out;
  for (const StateLog* s : r.states_of(kind)) {
    if (s->eni == eni) out.push_back(s);
  }
  return out;
}

// The engine after running `s`: tests that ask it about its state after the run.
struct Ran {
  Ran(const Scenario& s, SimulationOptions o) : sim(s, o) {
    sim.add_observer(log);
    sim.run();
  }
  Recorder log;
  Simulator sim;
};

// ---- lifecycle in the stateful model ------------------------------------------------------

TEST(SimulatorConntrack, SynOpensATrackedConnectionAtBothEnds) {
  SshPair n;
  const Recorder r = run_scenario(scenario_of(n.b.build(), {n.ssh(seconds(3))}), options_for(kStateful, kPacket));
  const auto at_server = states_at(r, Kind::kConnectionTracked, n.server);
  ASSERT_EQ(at_server.size(), 1u);
  EXPECT_EQ(at_server[0]->time, seconds(3));
  EXPECT_EQ(at_server[0]->initiated, Direction::kIngress);
  EXPECT_EQ(at_server[0]->connection.tcp_flags, Packet::kSyn);
  EXPECT_EQ(at_server[0]->connection.dst_port, 22);
  const auto at_client = states_at(r, Kind::kConnectionTracked, n.client);
  ASSERT_EQ(at_client.size(), 1u);
  EXPECT_EQ(at_client[0]->initiated, Direction::kEgress);
  EXPECT_EQ(r.states_of(Kind::kConnectionTracked).size(), 2u);
}

TEST(SimulatorConntrack, RepliesPassSgEgressAsTrackedWithoutEgressRules) {
  SshPair n;  // the server's group has no egress rule at all
  for (const Fidelity f : {kPacket, kFlow}) {
    const Recorder r = run_scenario(scenario_of(n.b.build(), {n.ssh(seconds(3))}), options_for(kStateful, f));
    int replies = 0;
    for (const PacketLog& p : r.packets) {
      if (!p.reply) continue;
      ++replies;
      ASSERT_NE(p.hop(Hop::kSgEgress), nullptr);
      EXPECT_EQ(p.hop(Hop::kSgEgress)->reason, Reason::kTracked) << p.label;
      EXPECT_EQ(p.hop(Hop::kSgIngress)->reason, Reason::kTracked) << p.label;
      EXPECT_TRUE(p.delivered()) << p.label;
    }
    EXPECT_EQ(replies, f == kPacket ? 6 : 1);
    EXPECT_TRUE(r.flow(0).works);
  }
}

TEST(SimulatorConntrack, StatelessModelDropsTheSameReplyAtSgEgress) {
  SshPair n;
  const Recorder r = run_scenario(scenario_of(n.b.build(), {n.ssh(seconds(3))}), options_for(kStateless, kPacket));
  ASSERT_EQ(r.packets.size(), 2u);
  EXPECT_EQ(r.packets[1].label, "SYN-ACK");
  ASSERT_NE(r.packets[1].drop(), nullptr);
  EXPECT_EQ(r.packets[1].drop()->hop, Hop::kSgEgress);
  EXPECT_EQ(r.packets[1].drop()->reason, Reason::kNoRuleMatched);
  EXPECT_TRUE(r.states_of(Kind::kConnectionTracked).empty());
}

// One request at 1 ms + 100 s and two replies at 1.5 ms + 66.7 s and + 133.3 s: after the
// handshake the server is the first to speak, 66.7 s later.
Scenario quiet_session(SshPair& n, SimTime tcp_established) {
  n.b.eni(n.server).conntrack.tcp_established = tcp_established;
  FlowSpec f = n.ssh(SimTime{0}, seconds(200), 1);
  f.reply_packets = 2;
  return scenario_of(n.b.build(), {f});
}

const PacketLog* first_reply_data(const Recorder& r) {
  for (const PacketLog& p : r.packets) {
    if (p.reply && p.label == "data") return &p;
  }
  return nullptr;
}

TEST(SimulatorConntrack, ServerSpeakingAfterItsIdleTimeoutIsJudgedByRules) {
  SshPair n;
  const Recorder r = run_scenario(quiet_session(n, seconds(60)), options_for(kStateful, kPacket));
  const PacketLog* late = first_reply_data(r);
  ASSERT_NE(late, nullptr);
  EXPECT_GT(late->time, seconds(66));
  ASSERT_NE(late->drop(), nullptr);
  EXPECT_EQ(late->drop()->hop, Hop::kSgEgress);
  EXPECT_EQ(late->drop()->reason, Reason::kNoRuleMatched);

  SshPair m;  // the default 432000 s keeps the same connection
  const Recorder kept = run_scenario(quiet_session(m, seconds(432'000)), options_for(kStateful, kPacket));
  ASSERT_NE(first_reply_data(kept), nullptr);
  EXPECT_EQ(first_reply_data(kept)->hop(Hop::kSgEgress)->reason, Reason::kTracked);
  EXPECT_TRUE(kept.flow(0).works);
}

// The entry dies at 60.001 s, before its first timer (the handshake's 120 s) fires: the
// server's packet at 66.7 s retires it, and the expiry is reported at the time it happened.
TEST(SimulatorConntrack, IdleExpiryIsReportedAtTheTimeTheEntryDied) {
  SshPair n;
  const Recorder r = run_scenario(quiet_session(n, seconds(60)), options_for(kStateful, kPacket));
  const auto expired = states_at(r, Kind::kConnectionExpired, n.server);
  ASSERT_FALSE(expired.empty());
  // Last seen: the handshake's final ACK at 1 ms.
  EXPECT_EQ(expired[0]->time, seconds(60) + kRtt);
  EXPECT_EQ(expired[0]->connection.dst_port, 22);
  EXPECT_EQ(expired[0]->initiated, Direction::kIngress);
}

TEST(SimulatorConntrack, UdpEntriesExpireOnTheirIdleTimeout) {
  SshPair n;
  const Scenario s = scenario_of(n.b.build(), {flow_spec(n.client, n.server, Protocol::kUdp, 53, SimTime{0}),
                                               // Later traffic that tracks nothing (dropped at once)
                                               // so that the run reaches 1000 s.
                                               flow_spec(n.server, n.client, Protocol::kUdp, 53, seconds(1000))});
  for (const Fidelity f : {kPacket, kFlow}) {
    Ran ran(s, options_for(kStateful, f));
    EXPECT_EQ(ran.sim.tracked_connections(), 0u) << to_string(f);
    const auto expired = states_at(ran.log, Kind::kConnectionExpired, n.server);
    ASSERT_EQ(expired.size(), 1u) << to_string(f);
    EXPECT_EQ(expired[0]->connection.src, ip("10.0.1.10"));
    EXPECT_EQ(expired[0]->connection.dst_port, 53);
    EXPECT_EQ(states_at(ran.log, Kind::kConnectionExpired, n.client).size(), 1u);
    // Flow fidelity: one request-response, idle since 0 s, UdpTimeout (30 s). Packet fidelity:
    // four each way make a stream, idle since the last reply at 0.75 s + half a round trip,
    // UdpStreamTimeout (180 s).
    EXPECT_EQ(expired[0]->time, f == kFlow ? seconds(30) : milliseconds(750) + kHalfRtt + seconds(180));
  }
}

// A FIN (packet fidelity) or the end of a flow (flow fidelity) moves its entries to the
// 120 s closing timer, which must retire them on time: conntrack memory follows the rate of
// flows, not their number. (Regression: the expiry timer stayed at the established timeout.)
TEST(SimulatorConntrack, ClosedTcpFlowsAreForgottenAfterTheClosingTimeout) {
  SshPair n;
  for (const Fidelity f : {kFlow, kPacket}) {
    const Scenario s = scenario_of(n.b.build(), {n.ssh(SimTime{0}, seconds(200)),
                                                 // Tracks nothing (the server may not send to 22).
                                                 flow_spec(n.server, n.client, Protocol::kTcp, 22, seconds(1000))});
    Ran ran(s, options_for(kStateful, f));
    EXPECT_EQ(ran.sim.tracked_connections(), 0u) << to_string(f);
    EXPECT_EQ(ran.log.states_of(Kind::kConnectionExpired).size(), 2u) << to_string(f);
  }
}

// Each tracked entry keeps one live timer: the end of the flow re-arms it for the closing
// deadline and the timer armed at the SYN (the handshake deadline) is superseded, so it pops
// without effect instead of waking the entry and arming a second timer for the same deadline.
// (Regression: 3 timer events per entry, now 2.)
TEST(SimulatorConntrack, TheEndOfAFlowSupersedesItsEntriesHandshakeTimers) {
  SshPair n;
  const Scenario s = scenario_of(n.b.build(), {n.ssh(SimTime{0}, seconds(2)),
                                               // Tracks nothing; keeps the run going past the expiries.
                                               flow_spec(n.server, n.client, Protocol::kTcp, 22, seconds(1000))});
  Ran ran(s, options_for(kStateful, kFlow));
  const auto expired = ran.log.states_of(Kind::kConnectionExpired);
  ASSERT_EQ(expired.size(), 2u);  // the client's egress entry and the server's ingress entry
  for (const StateLog* e : expired) EXPECT_EQ(e->time, seconds(2) + seconds(120));
  // The ssh flow: its start (with the request), the reply and the end; the second flow's start
  // (its request dropped, nothing follows); per entry one superseded handshake timer and the
  // closing timer that expires it.
  EXPECT_EQ(ran.sim.events_processed(), 3u + 1u + 2u * 2u);
  EXPECT_EQ(ran.sim.tracked_connections(), 0u);
}

// A new SYN on the 5-tuple of a connection that is closing starts a new connection at both
// ends. (Regression: the receiver passed it as part of the closing entry and tracked nothing.)
TEST(SimulatorConntrack, ReusedPortsAfterAClosedConnectionOpenANewOne) {
  SshPair n;
  const Recorder r =
      run_scenario(scenario_of(n.b.build(), {n.ssh(SimTime{0}), n.ssh(seconds(10))}), options_for(kStateful, kPacket));
  EXPECT_TRUE(r.flow(0).works);
  EXPECT_TRUE(r.flow(1).works);
  const auto second = r.packets_of(1);
  ASSERT_FALSE(second.empty());
  EXPECT_EQ(second[0]->hop(Hop::kSgIngress)->reason, Reason::kRuleAllowed);  // a new connection
  EXPECT_EQ(states_at(r, Kind::kConnectionTracked, n.server).size(), 2u);
}

// An entry whose expiry event is due at this very time but still queued behind the packet:
// the packet must find it dead, open a new one with a timer of its own, and report it.
TEST(SimulatorConntrack, EntryReplacedAtItsExpiryInstantStillExpires) {
  SshPair n;
  // The same udp 5-tuple again exactly when the first one's entries die (udp: 30 s idle).
  const Scenario s = scenario_of(n.b.build(), {flow_spec(n.client, n.server, Protocol::kUdp, 53, SimTime{0}),
                                               flow_spec(n.client, n.server, Protocol::kUdp, 53, seconds(30)),
                                               flow_spec(n.server, n.client, Protocol::kUdp, 53, seconds(1000))});
  Ran ran(s, options_for(kStateful, kFlow));
  EXPECT_EQ(states_at(ran.log, Kind::kConnectionTracked, n.server).size(), 2u);
  EXPECT_EQ(ran.sim.tracked_connections(), 0u);
}

// ---- untracked flows ----------------------------------------------------------------------

// A bastion in a public subnet: ssh from `ssh_source`, everything out to 0.0.0.0/0, and an
// admin on the internet. AWS's example in "Security group connection tracking".
struct Bastion {
  explicit Bastion(std::string_view ssh_source) {
    b.internet_gateway();
    const SubnetId pub = b.subnet("subnet-public", "10.0.1.0/24", true);
    sg = b.sg("sg-bastion");
    b.ingress(sg, tcp(22), cidr(ssh_source)).egress(sg, all_traffic(), cidr("0.0.0.0/0"));
    b.net().sg(sg).ingress.back().id = "sgr-ssh";
    server = b.instance("bastion", pub, "10.0.1.10", {sg});
    b.eni(server).public_ipv4 = ip("203.0.113.10");
    admin = b.external_host("admin", "198.51.100.7");
  }
  // An ssh session from 0 to 10 s (data at 2, 4, 6, 8 s), the ssh rule removed at 3 s.
  Scenario session_losing_its_rule() {
    return scenario_of(b.build(), {flow_spec(admin, server, Protocol::kTcp, 22, SimTime{0}, seconds(10))},
                       {{seconds(3), RemoveSgRule{sg, Direction::kIngress, "sgr-ssh", {}}, {}, {}}});
  }
  // The first packet after the change at 3 s.
  static const PacketLog& first_after_change(const Recorder& r) {
    return *std::ranges::find_if(r.packets, [](const PacketLog& p) { return p.time > seconds(3); });
  }

  NetworkBuilder b;
  SgId sg;
  EniId server;
  ExternalHostId admin;
};

TEST(SimulatorUntracked, SshOpenToTheWorldWithOpenEgressIsNotTracked) {
  Bastion n("0.0.0.0/0");
  Ran ran(scenario_of(n.b.build(), {flow_spec(n.admin, n.server, Protocol::kTcp, 22, SimTime{0})}),
          options_for(kStateful, kPacket));
  EXPECT_TRUE(ran.log.states_of(Kind::kConnectionTracked).empty());
  EXPECT_EQ(ran.sim.tracked_connections(), 0u);
  ASSERT_EQ(ran.log.packets.size(), 14u);
  for (const PacketLog& p : ran.log.packets) {
    const HopLog* sg = p.hop(p.reply ? Hop::kSgEgress : Hop::kSgIngress);
    ASSERT_NE(sg, nullptr);
    EXPECT_EQ(sg->reason, Reason::kRuleAllowed) << p.label;
    EXPECT_TRUE(sg->untracked) << p.label;
  }
  EXPECT_TRUE(ran.log.flow(0).works);
}

TEST(SimulatorUntracked, RemovingTheOpenRuleDropsTheNextPacketEvenWhenStateful) {
  Bastion n("0.0.0.0/0");
  const Recorder r = run_scenario(n.session_losing_its_rule(), options_for(kStateful, kPacket));
  for (const PacketLog& p : r.packets) {
    EXPECT_TRUE(p.time > seconds(3) || p.delivered()) << p.label;
  }
  const PacketLog& next = Bastion::first_after_change(r);
  EXPECT_FALSE(next.reply);
  EXPECT_EQ(next.label, "data");
  ASSERT_NE(next.drop(), nullptr);
  EXPECT_EQ(next.drop()->hop, Hop::kSgIngress);
  EXPECT_EQ(next.drop()->reason, Reason::kNoRuleMatched);
}

TEST(SimulatorUntracked, NarrowRuleIsTrackedSoItsSessionOutlivesTheRule) {
  Bastion n("198.51.100.7/32");
  const Recorder stateful = run_scenario(n.session_losing_its_rule(), options_for(kStateful, kPacket));
  EXPECT_EQ(states_at(stateful, Kind::kConnectionTracked, n.server).size(), 1u);
  EXPECT_EQ(Bastion::first_after_change(stateful).hop(Hop::kSgIngress)->reason, Reason::kTracked);
  EXPECT_TRUE(stateful.flow(0).works);
  EXPECT_EQ(stateful.flow(0).request.packets_delivered, 8u);  // SYN, ACK, 4 data, FIN, ACK

  const Recorder stateless = run_scenario(n.session_losing_its_rule(), options_for(kStateless, kPacket));
  EXPECT_EQ(Bastion::first_after_change(stateless).drop_hop(), Hop::kSgIngress);
  EXPECT_EQ(stateless.flow(0).request.packets_dropped, 5u);  // data at 4, 6, 8 s, FIN, ACK
}

// ---- property: the stateful model never drops the reply of an allowed request at an SG -----

// Seeded random VPCs: 2-4 subnets (some public), 2-4 groups with 0-3 rules each way (CIDR,
// 0.0.0.0/0 and group-reference peers), 4-10 interfaces with 1-2 groups, two internet hosts;
// network ACLs allow everything unless `random_nacls`.
class RandomWorld {
 public:
  RandomWorld(std::uint32_t seed, bool random_nacls) : rng_(seed) {
    b_.internet_gateway();
    const int subnets = uniform(2, 4);
    std::vector<SubnetId> subnet_ids;
    for (int i = 0; i < subnets; ++i) {
      subnet_cidrs_.push_back("10.0." + std::to_string(i) + ".0/24");
      subnet_ids.push_back(b_.subnet("subnet-" + std::to_string(i), subnet_cidrs_.back(), chance(0.6)));
    }
    for (int g = uniform(2, 4); g > 0; --g) groups_.push_back(b_.sg("sg-" + std::to_string(g)));
    const int enis = uniform(4, 10);
    std::vector<int> home;
    for (int e = 0; e < enis; ++e) {
      home.push_back(uniform(0, subnets - 1));
      addresses_.push_back("10.0." + std::to_string(home.back()) + "." + std::to_string(10 + e));
    }
    for (const SgId sg : groups_) {
      // Most groups keep the outbound rule AWS gives a new group (VPC User Guide, "Security groups").
      if (chance(0.6)) b_.egress(sg, all_traffic(), cidr("0.0.0.0/0"));
      for (const Direction d : {Direction::kIngress, Direction::kEgress}) {
        for (int k = uniform(0, 4); k > 0; --k) b_.rule(sg, d, traffic(), peer());
      }
    }
    for (int e = 0; e < enis; ++e) {
      std::vector<SgId> mine{pick(groups_)};
      if (chance(0.3) && pick(groups_) != mine[0]) mine.push_back(pick(groups_));
      const EniId id = b_.instance("i-" + std::to_string(e), subnet_ids[home[e]], addresses_[e], mine);
      if (chance(0.5)) b_.eni(id).public_ipv4 = ip("203.0.113." + std::to_string(10 + e));
      endpoints_.push_back(id);
    }
    endpoints_.push_back(b_.external_host("user-1", "198.51.100.7"));
    endpoints_.push_back(b_.external_host("user-2", "198.51.100.8"));
    if (random_nacls) add_random_nacls(subnet_ids);
  }

  // Flows with distinct client ports (no 5-tuple is reused), none longer than 5 s: shorter
  // than every idle timeout, so no tracked connection expires mid-flow.
  Scenario scenario(int flows) {
    std::vector<FlowSpec> specs;
    constexpr std::uint8_t kProtocols[] = {Protocol::kTcp, Protocol::kTcp, Protocol::kUdp, Protocol::kIcmp};
    const std::vector<std::uint16_t> ports{22, 53, 80, 443, 8080};
    while (static_cast<int>(specs.size()) < flows) {
      const Endpoint client = pick(endpoints_);
      const Endpoint server = pick(endpoints_);
      if (client == server || (!as_eni(client) && !as_eni(server))) continue;
      FlowSpec f =
          flow_spec(client, server, kProtocols[uniform(0, 3)], pick(ports), milliseconds(100 * uniform(0, 200)),
                    milliseconds(100 * uniform(0, 50)), static_cast<std::uint32_t>(uniform(1, 5)));
      if (f.client_port != 0) f.client_port = static_cast<std::uint16_t>(40000 + specs.size());
      f.reply_packets = static_cast<std::uint32_t>(uniform(1, 5));
      specs.push_back(f);
    }
    return scenario_of(b_.build(), specs);
  }

 private:
  int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  template <class T>
  const T& pick(const std::vector<T>& items) {
    return items[static_cast<std::size_t>(uniform(0, static_cast<int>(items.size()) - 1))];
  }

  TrafficMatch traffic() {
    const std::vector<TrafficMatch> kinds{tcp(22),       tcp(80), tcp(0, 65535), tcp(1024, 65535), udp(53),
                                          udp(0, 65535), icmp(),  icmp(8),       all_traffic(),    all_traffic()};
    return pick(kinds);
  }
  Peer peer() {
    switch (uniform(0, 6)) {
      case 0:
      case 1:
        return cidr("0.0.0.0/0");
      case 2:
        return cidr("10.0.0.0/16");
      case 3:
        return cidr(pick(subnet_cidrs_));
      case 4:
        return cidr(pick(addresses_) + "/32");
      case 5:
        return cidr("198.51.100.0/24");
      default:
        return pick(groups_);
    }
  }
  void add_random_nacls(const std::vector<SubnetId>& subnets) {
    for (const SubnetId s : subnets) {
      if (chance(0.4)) continue;
      const NaclId acl = b_.nacl("acl-" + std::to_string(s.value));
      for (const Direction d : {Direction::kIngress, Direction::kEgress}) {
        for (int k = uniform(1, 4); k > 0; --k) {
          const std::vector<std::string> remotes{"0.0.0.0/0", "10.0.0.0/16", pick(subnet_cidrs_), "198.51.100.0/24"};
          b_.nacl_entry(acl, d, 10 * k, chance(0.7) ? RuleAction::kAllow : RuleAction::kDeny, traffic(), pick(remotes));
        }
      }
      b_.associate(s, acl);
    }
  }

  std::mt19937 rng_;
  NetworkBuilder b_;
  std::vector<std::string> subnet_cidrs_;
  std::vector<std::string> addresses_;
  std::vector<SgId> groups_;
  std::vector<Endpoint> endpoints_;
};

struct ReplyTally {
  int allowed_requests = 0;  // flows whose first request packet was delivered
  int replies = 0;           // reply packets of those flows
  int replies_dropped_at_sg = 0;
  int replies_untracked = 0;  // passed an SG by its rules because the flow is untracked
  std::vector<std::string> examples;
};

// The replies of every flow whose first request packet was delivered, and how many an SG dropped.
ReplyTally tally(const Recorder& r, const std::string& context) {
  ReplyTally t;
  for (const FlowLog& f : r.flows) {
    const auto packets = r.packets_of(f.id);
    const auto first = std::ranges::find_if(packets, [](const PacketLog* p) { return !p->reply; });
    if (first == packets.end() || !(*first)->delivered()) continue;
    ++t.allowed_requests;
    for (const PacketLog* p : packets) {
      if (!p->reply) continue;
      ++t.replies;
      t.replies_untracked += std::ranges::any_of(p->hops, &HopLog::untracked) ? 1 : 0;
      const auto hop = p->drop_hop();
      if (hop != Hop::kSgEgress && hop != Hop::kSgIngress) continue;
      ++t.replies_dropped_at_sg;
      if (t.examples.size() < 3) {
        t.examples.push_back(context + ": flow " + std::to_string(f.id) + " " + p->label + " at " +
                             std::to_string(p->time.count()) + " dropped at " + std::string(to_string(*hop)));
      }
    }
  }
  return t;
}

void check_replies_of_allowed_requests(bool random_nacls) {
  int allowed = 0, replies = 0, untracked = 0, stateless_sg_drops = 0;
  for (std::uint32_t seed = 1; seed <= 50; ++seed) {
    RandomWorld world(seed, random_nacls);
    const Scenario s = world.scenario(30);
    for (const Fidelity f : {kPacket, kFlow}) {
      const std::string context = "seed " + std::to_string(seed) + ", " + std::string(to_string(f));
      const ReplyTally stateful = tally(run_scenario(s, options_for(kStateful, f)), context);
      EXPECT_EQ(stateful.replies_dropped_at_sg, 0) << ::testing::PrintToString(stateful.examples);
      allowed += stateful.allowed_requests;
      replies += stateful.replies;
      untracked += stateful.replies_untracked;
      stateless_sg_drops += tally(run_scenario(s, options_for(kStateless, f)), context).replies_dropped_at_sg;
    }
  }
  // Not vacuous: many requests got through (some of them untracked flows, whose replies the
  // rules judge), and without state many of their replies would not.
  EXPECT_GT(allowed, 300);
  EXPECT_GT(replies, 700);
  EXPECT_GT(untracked, 20);
  EXPECT_GT(stateless_sg_drops, 150);
}

TEST(SimulatorStatefulProperty, NoReplyOfAnAllowedRequestIsDroppedByASecurityGroup) {
  check_replies_of_allowed_requests(false);
}

TEST(SimulatorStatefulProperty, NetworkAclsMayDropRepliesButSecurityGroupsNever) {
  check_replies_of_allowed_requests(true);
}

}  // namespace
}  // namespace vpcsim
