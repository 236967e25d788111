#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

#include "model/rule_change.h"
#include "sim/results/flow_collector.h"
#include "sim/results/rule_hit_collector.h"
#include "sim/results/summary_collector.h"
#include "sim/results/time_series_collector.h"
#include "tests/model/network_builder.h"

namespace vpcsim {
namespace {

using test::cidr;
using test::tcp;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;

// A client and a web server in two subnets. sg-web: ingress tcp 22 from anywhere (#1), tcp 80
// from the VPC (#2); egress all. acl-app (the web subnet's): ingress 100 allow tcp 22, 200 deny
// all; egress 100 allow all.
struct TestNetwork {
  test::NetworkBuilder b;
  SgId web_sg = b.sg("sg-web");
  NaclId app_acl = b.nacl("acl-app");
  SubnetId client_subnet = b.subnet("subnet-client", "10.0.1.0/24");
  SubnetId app_subnet = b.subnet("subnet-app", "10.0.2.0/24");
  EniId client;
  EniId web;

  TestNetwork() {
    b.ingress(web_sg, tcp(22), cidr("0.0.0.0/0")).ingress(web_sg, tcp(80), cidr("10.0.0.0/16"));
    b.egress(web_sg, test::all_traffic(), cidr("0.0.0.0/0"));
    b.nacl_entry(app_acl, Direction::kIngress, 100, RuleAction::kAllow, tcp(22), "0.0.0.0/0");
    b.nacl_entry(app_acl, Direction::kIngress, 200, RuleAction::kDeny, test::all_traffic(), "0.0.0.0/0");
    b.nacl_entry(app_acl, Direction::kEgress, 100, RuleAction::kAllow, test::all_traffic(), "0.0.0.0/0");
    b.associate(app_subnet, app_acl);
    client = b.instance("client", client_subnet, "10.0.1.10", {SgId(0)});
    web = b.instance("web", app_subnet, "10.0.2.10", {web_sg});
  }
  Network& net() { return b.net(); }
};

HopResult sg_hop(Hop h, EniId eni, std::optional<SgRuleRef> rule) {
  HopResult r;
  r.hop = h;
  r.eni = eni;
  r.sg_rule = rule;
  r.outcome = rule ? Outcome::kAllowed : Outcome::kDropped;
  r.reason = rule ? Reason::kRuleAllowed : Reason::kNoRuleMatched;
  return r;
}

HopResult nacl_hop(Hop h, NaclId acl, SubnetId subnet, std::optional<std::uint32_t> index, Outcome o) {
  HopResult r;
  r.hop = h;
  r.nacl = acl;
  r.subnet = subnet;
  r.outcome = o;
  const Direction d = h == Hop::kNaclIngress ? Direction::kIngress : Direction::kEgress;
  if (index) {
    r.nacl_entry = NaclEntryRef{acl, d, *index};
    r.reason = o == Outcome::kAllowed ? Reason::kRuleAllowed : Reason::kRuleDenied;
  } else {
    r.reason = Reason::kImplicitDeny;
  }
  return r;
}

PathTrace trace(std::vector<HopResult> hops) {
  PathTrace t;
  t.packet = test::tcp_packet("10.0.1.10", 50000, "10.0.2.10", 22);
  t.hops.assign(hops.begin(), hops.end());
  return t;
}

PathTrace delivered() { return trace({HopResult{}}); }
PathTrace dropped_at(Hop h) {
  HopResult r;
  r.hop = h;
  r.outcome = Outcome::kDropped;
  return trace({r});
}

Flow flow_at(SimTime start, std::uint64_t id = 0) {
  Flow f;
  f.id = id;
  f.start = start;
  return f;
}

PacketRecord record(const Flow& f, const PathTrace& t, SimTime at, bool reply = false, std::uint32_t packets = 1,
                    std::uint64_t bytes = 100) {
  return PacketRecord{at, &f, reply, &t, packets, bytes, reply ? "reply" : "request"};
}

DirectionResult direction(std::uint64_t delivered_packets, std::uint64_t dropped_packets) {
  DirectionResult d;
  d.sent = delivered_packets + dropped_packets > 0;
  d.packets_delivered = delivered_packets;
  d.packets_dropped = dropped_packets;
  d.bytes_delivered = delivered_packets * 100;
  d.bytes_dropped = dropped_packets * 100;
  return d;
}

FlowResult flow_result(const Flow& f, DirectionResult request, DirectionResult reply, SimTime end) {
  return FlowResult{&f, end, std::move(request), std::move(reply)};
}

// ---- summary and time series -----------------------------------------------------------

TEST(SummaryCollector, CountsPacketsAndBytesPerDirectionAndDropsPerHop) {
  const Flow f = flow_at(seconds(0));
  const PathTrace ok = delivered();
  const PathTrace nacl_drop = dropped_at(Hop::kNaclEgress);
  const PathTrace sg_drop = dropped_at(Hop::kSgIngress);
  SummaryCollector s;
  s.on_packet(record(f, ok, seconds(1), false, 10, 5000));
  s.on_packet(record(f, nacl_drop, seconds(2), true, 7, 700));
  s.on_packet(record(f, sg_drop, seconds(3), false, 2, 80));

  const TrafficCounts& t = s.totals();
  EXPECT_EQ(t.request.packets_allowed, 10u);
  EXPECT_EQ(t.request.bytes_allowed, 5000u);
  EXPECT_EQ(t.request.packets_dropped, 2u);
  EXPECT_EQ(t.request.bytes_dropped, 80u);
  EXPECT_EQ(t.reply.packets_dropped, 7u);
  EXPECT_EQ(t.reply.bytes_dropped, 700u);
  EXPECT_EQ(t.drops_at(Hop::kNaclEgress), 7u);
  EXPECT_EQ(t.drops_at(Hop::kSgIngress), 2u);
  EXPECT_EQ(t.drops_at(Hop::kSgEgress), 0u);
  EXPECT_EQ(s.last_activity(), seconds(3));
}

TEST(SummaryCollector, ClassifiesFlowsByDirection) {
  const Flow f = flow_at(seconds(0));
  SummaryCollector s;
  s.on_flow(flow_result(f, direction(3, 0), direction(3, 0), seconds(1)));  // works
  s.on_flow(flow_result(f, direction(0, 1), direction(0, 0), seconds(1)));  // request dropped, reply not sent
  s.on_flow(flow_result(f, direction(3, 0), direction(0, 3), seconds(1)));  // reply dropped
  s.on_flow(flow_result(f, direction(2, 1), direction(1, 1), seconds(1)));  // both partly dropped

  const TrafficCounts& t = s.totals();
  EXPECT_EQ(t.flows_started, 4u);
  EXPECT_EQ(t.flows_worked, 1u);
  EXPECT_EQ(t.flows_request_dropped, 2u);
  // Only when the request got through: the "request arrives, reply dropped" outcome.
  EXPECT_EQ(t.flows_reply_dropped, 1u);
  EXPECT_EQ(t.request.flows_allowed, 2u);
  EXPECT_EQ(t.request.flows_dropped, 2u);
  EXPECT_EQ(t.reply.flows_allowed, 1u);
  EXPECT_EQ(t.reply.flows_dropped, 2u);  // the not-sent reply is neither
}

TEST(TimeSeriesCollector, FlowCountsInTheBucketOfItsStart) {
  const Flow f = flow_at(seconds(5));
  TimeSeriesCollector ts(seconds(10));
  ts.on_flow(flow_result(f, direction(1, 0), direction(0, 1), seconds(25)));

  ASSERT_EQ(ts.buckets().size(), 1u);
  EXPECT_EQ(ts.buckets()[0].counts.flows_started, 1u);
  EXPECT_EQ(ts.buckets()[0].counts.flows_reply_dropped, 1u);
}

TEST(TimeSeriesCollector, PacketsCountInTheBucketOfTheirTimeAndBucketsGrow) {
  const Flow f = flow_at(seconds(0));
  const PathTrace ok = delivered();
  const PathTrace drop = dropped_at(Hop::kRoute);
  TimeSeriesCollector ts(seconds(10));
  ts.on_packet(record(f, ok, seconds(0), false, 4));
  ts.on_packet(record(f, ok, seconds(10) - SimTime(1), true, 3));
  ts.on_packet(record(f, drop, seconds(30), false, 2));

  const std::vector<TimeBucket>& b = ts.buckets();
  ASSERT_EQ(b.size(), 4u);
  EXPECT_EQ(b[0].start, seconds(0));
  EXPECT_EQ(b[3].start, seconds(30));
  EXPECT_EQ(b[0].counts.request.packets_allowed, 4u);
  EXPECT_EQ(b[0].counts.reply.packets_allowed, 3u);
  EXPECT_EQ(b[1].counts, TrafficCounts{});
  EXPECT_EQ(b[2].counts, TrafficCounts{});
  EXPECT_EQ(b[3].counts.request.packets_dropped, 2u);
  EXPECT_EQ(b[3].counts.drops_at(Hop::kRoute), 2u);
}

TEST(TimeSeriesCollector, ExtendToCoversTheQuietTailOfARun) {
  TimeSeriesCollector ts(milliseconds(500));
  ts.extend_to(seconds(2));
  ASSERT_EQ(ts.buckets().size(), 4u);
  EXPECT_EQ(ts.buckets().back().start, milliseconds(1500));
  ts.extend_to(seconds(1));  // never shrinks
  EXPECT_EQ(ts.buckets().size(), 4u);
}

TEST(TimeSeriesCollector, RejectsABucketWidthThatIsNotPositive) {
  EXPECT_THROW(TimeSeriesCollector(SimTime(0)), std::invalid_argument);
  EXPECT_THROW(TimeSeriesCollector(seconds(-1)), std::invalid_argument);
}

// ---- rule hits -------------------------------------------------------------------------

// The request path client -> web for tcp/22: allowed by sg-default egress #1, skipped NACL
// egress, acl-app ingress rule 100, sg-web ingress #1.
PathTrace ssh_request(const TestNetwork& n) {
  return trace({sg_hop(Hop::kSgEgress, n.client, SgRuleRef{SgId(0), Direction::kEgress, 0}),
                nacl_hop(Hop::kNaclIngress, n.app_acl, n.app_subnet, 0, Outcome::kAllowed),
                sg_hop(Hop::kSgIngress, n.web, SgRuleRef{n.web_sg, Direction::kIngress, 0})});
}

const RuleHit& find(const std::vector<RuleHit>& hits, const std::string& rule_prefix) {
  for (const RuleHit& h : hits) {
    if (h.rule.starts_with(rule_prefix)) return h;
  }
  static const RuleHit none;
  ADD_FAILURE() << "no rule starting with " << rule_prefix;
  return none;
}

TEST(RuleHitCollector, CountsPacketsOfTheDecidingRuleWeightedByRecord) {
  TestNetwork n;
  RuleHitCollector c(n.net());
  const Flow f = flow_at(seconds(0));
  const PathTrace t = ssh_request(n);
  c.on_packet(record(f, t, seconds(0), false, 10, 5000));
  c.on_packet(record(f, t, seconds(1), false, 1, 60));

  const std::vector<RuleHit> hits = c.hits();
  EXPECT_EQ(find(hits, "sg-web ingress #1").packets, 11u);
  EXPECT_EQ(find(hits, "sg-web ingress #1").bytes, 5060u);
  EXPECT_EQ(find(hits, "sg-default egress #1").packets, 11u);
  EXPECT_EQ(find(hits, "acl-app ingress rule 100").packets, 11u);
  EXPECT_EQ(find(hits, "sg-web ingress #2").packets, 0u);
}

TEST(RuleHitCollector, CountsImplicitDenyPerAclAndNoRuleMatchedPerInterface) {
  TestNetwork n;
  RuleHitCollector c(n.net());
  const Flow f = flow_at(seconds(0));
  const PathTrace star = trace({nacl_hop(Hop::kNaclEgress, n.app_acl, n.app_subnet, std::nullopt, Outcome::kDropped)});
  const PathTrace no_rule = trace({sg_hop(Hop::kSgIngress, n.web, std::nullopt)});
  c.on_packet(record(f, star, seconds(0), true, 3));
  c.on_packet(record(f, no_rule, seconds(0), false, 5));

  const std::vector<RuleHit> hits = c.hits();
  const RuleHit& s = find(hits, "acl-app egress rule *");
  EXPECT_EQ(s.kind, RuleHit::Kind::kNaclImplicitDeny);
  EXPECT_EQ(s.packets, 3u);
  EXPECT_EQ(find(hits, "acl-app ingress rule *").packets, 0u);
  const RuleHit& none = find(hits, "web (eni-web) ingress: no security group rule matched");
  EXPECT_EQ(none.kind, RuleHit::Kind::kSgNoRuleMatched);
  EXPECT_EQ(none.group, "eni-web");
  EXPECT_EQ(none.packets, 5u);
}

TEST(RuleHitCollector, ListsEveryRuleInADeterministicOrder) {
  TestNetwork n;
  RuleHitCollector c(n.net());
  std::vector<std::string> listed;
  for (const RuleHit& h : c.hits()) listed.push_back(h.rule.substr(0, h.rule.find(':')));
  EXPECT_THAT(listed,
              ElementsAre("sg-default ingress #1", "sg-default egress #1", "sg-web ingress #1", "sg-web ingress #2",
                          "sg-web egress #1", "client (eni-client) ingress", "client (eni-client) egress",
                          "web (eni-web) ingress", "web (eni-web) egress", "acl-default ingress rule 100",
                          "acl-default ingress rule * (implicit deny)", "acl-default egress rule 100",
                          "acl-default egress rule * (implicit deny)", "acl-app ingress rule 100",
                          "acl-app ingress rule 200", "acl-app ingress rule * (implicit deny)",
                          "acl-app egress rule 100", "acl-app egress rule * (implicit deny)"));
}

TEST(RuleHitCollector, NeverMatchedListsRulesWithoutHitsOnly) {
  TestNetwork n;
  RuleHitCollector c(n.net());
  const Flow f = flow_at(seconds(0));
  const PathTrace t = ssh_request(n);
  c.on_packet(record(f, t, seconds(0)));

  std::vector<std::string> never;
  for (const RuleHit& h : c.never_matched()) never.push_back(h.group + " " + std::to_string(h.rule_number));
  EXPECT_THAT(never, ElementsAre("sg-default 1", "sg-web 2", "sg-web 1", "acl-default 100", "acl-default 100",
                                 "acl-app 200", "acl-app 100"));
}

TEST(RuleHitCollector, RulesAddedDuringARunAreListedAndRemovedOnesKeepTheirHits) {
  TestNetwork n;
  RuleHitCollector c(n.net());
  const Flow f = flow_at(seconds(0));
  {
    const PathTrace t = trace({sg_hop(Hop::kSgIngress, n.web, SgRuleRef{n.web_sg, Direction::kIngress, 0})});
    c.on_packet(record(f, t, seconds(0), false, 4));
  }
  // Remove tcp 22 (#1), so tcp 80 moves to #1; add tcp 443 as #2.
  ASSERT_TRUE(
      apply(n.net(), RemoveSgRule{n.web_sg, Direction::kIngress, {}, SgRule{{}, tcp(22), cidr("0.0.0.0/0"), {}}}));
  ASSERT_TRUE(
      apply(n.net(), AddSgRule{n.web_sg, Direction::kIngress, SgRule{"sgr-https", tcp(443), cidr("0.0.0.0/0"), {}}}));
  c.on_state(StateRecord{seconds(1), StateRecord::Kind::kRuleChange, std::nullopt, {}, Direction::kIngress, "edit"});
  {
    const PathTrace http = trace({sg_hop(Hop::kSgIngress, n.web, SgRuleRef{n.web_sg, Direction::kIngress, 0})});
    const PathTrace https = trace({sg_hop(Hop::kSgIngress, n.web, SgRuleRef{n.web_sg, Direction::kIngress, 1})});
    c.on_packet(record(f, http, seconds(2), false, 2));
    c.on_packet(record(f, https, seconds(2), false, 1));
  }

  std::vector<RuleHit> web;
  for (const RuleHit& h : c.hits()) {
    if (h.group == "sg-web" && h.direction == Direction::kIngress) web.push_back(h);
  }
  ASSERT_EQ(web.size(), 3u);
  // In first-seen order: the removed rule keeps its place and its hits.
  EXPECT_TRUE(web[0].removed);
  EXPECT_EQ(web[0].packets, 4u);
  EXPECT_THAT(web[0].rule, ::testing::HasSubstr("tcp 22"));
  EXPECT_FALSE(web[1].removed);
  EXPECT_EQ(web[1].packets, 2u);
  EXPECT_EQ(web[1].rule_number, 1);
  EXPECT_THAT(web[1].rule, ::testing::HasSubstr("tcp 80"));
  EXPECT_EQ(web[2].rule_id, "sgr-https");
  EXPECT_EQ(web[2].packets, 1u);
}

TEST(RuleHitCollector, AReplacedNaclEntryIsANewRule) {
  TestNetwork n;
  RuleHitCollector c(n.net());
  const Flow f = flow_at(seconds(0));
  const PathTrace t = trace({nacl_hop(Hop::kNaclIngress, n.app_acl, n.app_subnet, 0, Outcome::kAllowed)});
  c.on_packet(record(f, t, seconds(0), false, 6));
  NaclEntry deny{100, RuleAction::kDeny, tcp(22), cidr("0.0.0.0/0")};
  ASSERT_TRUE(apply(n.net(), PutNaclEntry{n.app_acl, Direction::kIngress, deny, true}));
  c.on_state(StateRecord{seconds(1), StateRecord::Kind::kRuleChange, std::nullopt, {}, Direction::kIngress, "replace"});
  const PathTrace denied = trace({nacl_hop(Hop::kNaclIngress, n.app_acl, n.app_subnet, 0, Outcome::kDropped)});
  c.on_packet(record(f, denied, seconds(2), false, 1));

  std::vector<RuleHit> rule100;
  for (const RuleHit& h : c.hits()) {
    if (h.group == "acl-app" && h.rule_number == 100 && h.direction == Direction::kIngress) rule100.push_back(h);
  }
  ASSERT_EQ(rule100.size(), 2u);
  EXPECT_TRUE(rule100[0].removed);
  EXPECT_EQ(rule100[0].packets, 6u);
  EXPECT_THAT(rule100[1].rule, ::testing::HasSubstr("deny"));
  EXPECT_EQ(rule100[1].packets, 1u);
}

TEST(RuleHitCollector, SameInputGivesTheSameOutput) {
  const auto run = [] {
    TestNetwork n;
    RuleHitCollector c(n.net());
    const Flow f = flow_at(seconds(0));
    const PathTrace t = ssh_request(n);
    for (int i = 0; i < 3; ++i) c.on_packet(record(f, t, seconds(i)));
    std::vector<std::string> out;
    for (const RuleHit& h : c.hits()) out.push_back(h.rule + "=" + std::to_string(h.packets));
    return out;
  };
  EXPECT_EQ(run(), run());
}

// ---- per-flow records ------------------------------------------------------------------

TEST(FlowCollector, RecordsVerdictsTheFirstDropAndCounts) {
  TestNetwork n;
  FlowCollector c(n.net());
  Flow f = flow_at(seconds(3), 7);
  f.source = 2;
  f.client = n.client;
  f.server = n.web;
  f.request = test::tcp_packet("10.0.1.10", 50000, "10.0.2.10", 80);
  DirectionResult request = direction(0, 4);
  request.first_packet = f.request;
  request.first_drop = nacl_hop(Hop::kNaclIngress, n.app_acl, n.app_subnet, 1, Outcome::kDropped);
  c.on_flow(flow_result(f, request, direction(0, 0), seconds(4)));

  ASSERT_EQ(c.flows().size(), 1u);
  const FlowRecord& r = c.flows()[0];
  EXPECT_EQ(r.id, 7u);
  EXPECT_EQ(r.source, 2u);
  EXPECT_EQ(r.start, seconds(3));
  EXPECT_EQ(r.end, seconds(4));
  EXPECT_EQ(r.first_packet.dst_port, 80);
  EXPECT_FALSE(r.works);
  EXPECT_EQ(r.request.verdict, DirectionVerdict::kDropped);
  EXPECT_EQ(r.request.packets_dropped, 4u);
  EXPECT_EQ(r.request.bytes_dropped, 400u);
  ASSERT_TRUE(r.request.first_drop);
  EXPECT_EQ(r.request.first_drop->hop, Hop::kNaclIngress);
  EXPECT_EQ(r.request.first_drop->reason, Reason::kRuleDenied);
  EXPECT_EQ(c.text(r.request.first_drop->rule), "acl-app ingress rule 200: deny all traffic from 0.0.0.0/0");
  EXPECT_EQ(c.text(r.request.first_drop->location), "acl-app of subnet-app");
  EXPECT_EQ(r.reply.verdict, DirectionVerdict::kNotSent);
  EXPECT_FALSE(r.reply.first_drop);
}

TEST(FlowCollector, StoresEachDropDescriptionOnce) {
  TestNetwork n;
  FlowCollector c(n.net());
  std::vector<Flow> flows;
  for (std::uint64_t i = 0; i < 3; ++i) flows.push_back(flow_at(seconds(0), i));
  for (const Flow& f : flows) {
    DirectionResult request = direction(0, 1);
    request.first_drop = sg_hop(Hop::kSgIngress, n.web, std::nullopt);
    c.on_flow(flow_result(f, request, direction(0, 0), seconds(1)));
  }
  ASSERT_EQ(c.flows().size(), 3u);
  EXPECT_EQ(c.flows()[0].request.first_drop->location, c.flows()[2].request.first_drop->location);
  EXPECT_EQ(c.text(c.flows()[0].request.first_drop->rule), "");  // no rule decided: none matched
  EXPECT_EQ(c.text(c.flows()[0].request.first_drop->location), "web (eni-web)");
}

}  // namespace
}  // namespace vpcsim
