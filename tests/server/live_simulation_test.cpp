// The live simulation without sockets: loading, rule changes applied live, and a stream
// identical to a plain engine run however the run is sliced.
#include "sim/server/live_simulation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "io/scenario_converter.h"
#include "io/scenario_parser.h"
#include "sim/server/event_encoder.h"
#include "sim/server/lessons.h"

namespace vpcsim::server {
namespace {

using ::testing::HasSubstr;

struct Recorder {
  std::vector<ServerMessage> messages;
  Sink sink() {
    return [this](ServerMessage&& m, Channel) { messages.push_back(std::move(m)); };
  }
  const ServerMessage* result() const {
    for (const auto& m : messages) {
      if (m.has_result()) return &m;
    }
    return nullptr;
  }
};

LoadScenario lesson(const std::string& name) {
  LoadScenario l;
  l.set_lesson(name);
  return l;
}

// The reference: the engine run on its own, each record encoded as the server encodes it.
class EncodingObserver : public Observer {
 public:
  EncodingObserver(const Scenario& s, const Simulator& sim) : scenario_(s), sim_(sim) {}
  void on_packet(const PacketRecord& r) override {
    ServerMessage m;
    *m.mutable_packet() = encode_packet(scenario_, sim_.network(), r);
    events.push_back(m.ShortDebugString());
  }
  void on_flow(const FlowResult& f) override {
    ServerMessage m;
    *m.mutable_flow() = encode_flow(scenario_, sim_.network(), f);
    events.push_back(m.ShortDebugString());
  }
  void on_state(const StateRecord& s) override {
    ServerMessage m;
    *m.mutable_state() = encode_state(sim_.network(), s);
    events.push_back(m.ShortDebugString());
  }
  std::vector<std::string> events;

 private:
  const Scenario& scenario_;
  const Simulator& sim_;
};

std::vector<std::string> reference_events(const std::string& name) {
  const Lesson* l = find_lesson(name);
  auto parsed = io::parse_scenario_proto(l->text, std::string(name) + ".textproto", io::ScenarioFormat::kText);
  auto scenario = io::scenario_from_proto(parsed->message, std::string(name) + ".textproto");
  SimulationOptions o;
  o.model = scenario->effective_model();
  o.fidelity = scenario->packet_fidelity ? Fidelity::kPacket : Fidelity::kFlow;
  o.seed = scenario->seed;
  o.horizon = scenario->horizon;
  Simulator sim(*scenario, o);
  EncodingObserver rec(*scenario, sim);
  sim.add_observer(rec);
  sim.run();
  return rec.events;
}

std::vector<std::string> stream_events(const std::vector<ServerMessage>& messages) {
  std::vector<std::string> out;
  for (const auto& m : messages) {
    if (m.has_packet() || m.has_flow() || m.has_state()) out.push_back(m.ShortDebugString());
  }
  return out;
}

TEST(LiveSimulation, LoadsEveryBundledLesson) {
  ASSERT_GE(bundled_lessons().size(), 12u);
  for (const Lesson& l : bundled_lessons()) {
    Recorder rec;
    LiveSimulation live(rec.sink());
    ASSERT_TRUE(live.load(lesson(std::string(l.name)))) << l.name;
    EXPECT_EQ(live.status().state(), PAUSED);
    EXPECT_FALSE(live.status().scenario().empty());
  }
}

TEST(LiveSimulation, UnknownLessonListsTheBundledOnes) {
  Recorder rec;
  LiveSimulation live(rec.sink());
  const auto r = live.load(lesson("99-nope"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, UNKNOWN_LESSON);
  EXPECT_THAT(r.error().message, HasSubstr("01-ssh-inbound-only"));
  EXPECT_FALSE(live.loaded());
}

TEST(LiveSimulation, InvalidInlineScenarioNamesTheField) {
  Recorder rec;
  LiveSimulation live(rec.sink());
  LoadScenario l;
  auto* s = l.mutable_scenario();
  s->mutable_vpc()->add_cidr_blocks("10.0.0.0/16");
  auto* sg = s->add_security_groups();
  sg->set_id("sg-a");
  sg->add_ingress()->set_protocol("tcp");
  sg->mutable_ingress(0)->set_ports("22");
  sg->mutable_ingress(0)->set_cidr("10.0.0.300/32");
  const auto r = live.load(l);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, INVALID_SCENARIO);
  EXPECT_THAT(r.error().message, HasSubstr("security_groups[0].ingress[0].cidr"));
}

TEST(LiveSimulation, BadLoadOptionsAreRefused) {
  Recorder rec;
  LiveSimulation live(rec.sink());
  LoadScenario l = lesson("01-ssh-inbound-only");
  l.set_horizon_seconds(-1);
  EXPECT_EQ(live.load(l).error().code, BAD_REQUEST);
  l.set_horizon_seconds(0);
  l.set_bucket_seconds(std::numeric_limits<double>::quiet_NaN());
  EXPECT_EQ(live.load(l).error().code, BAD_REQUEST);
}

// However the run is cut into slices (paced targets, single steps), the stream is the
// engine's own, record for record.
TEST(LiveSimulation, StreamIsThePlainEngineRunWhateverTheSlicing) {
  for (const std::string name :
       {"10-rule-removed-during-session", "11-conntrack-idle-timeout", "12-internet-scanner"}) {
    const auto expected = reference_events(name);
    ASSERT_FALSE(expected.empty());

    Recorder paced;
    LiveSimulation a(paced.sink());
    a.set_interest(true, true);
    ASSERT_TRUE(a.load(lesson(name)));
    SimTime target{0};
    for (int i = 0; !a.finished() && i < 1'000'000; ++i) {
      target += milliseconds(700);
      a.advance(target, 7);
      if (i % 5 == 0) a.flush_time_series();
    }
    ASSERT_TRUE(a.finished()) << name;
    EXPECT_EQ(stream_events(paced.messages), expected) << name;
    ASSERT_NE(paced.result(), nullptr);

    Recorder stepped;
    LiveSimulation b(stepped.sink());
    b.set_interest(true, true);
    ASSERT_TRUE(b.load(lesson(name)));
    while (!b.finished()) b.step(3);
    EXPECT_EQ(stream_events(stepped.messages), expected) << name;
    // The results agree, whatever time-series updates came before.
    EXPECT_EQ(paced.result()->ShortDebugString(), stepped.result()->ShortDebugString()) << name;
  }
}

TEST(LiveSimulation, TimeSeriesUpdatesEndWithTheResultsBuckets) {
  Recorder rec;
  LiveSimulation live(rec.sink());
  ASSERT_TRUE(live.load(lesson("12-internet-scanner")));
  SimTime target{0};
  while (!live.finished()) {
    target += seconds(3);
    live.advance(target, 1'000'000);
    live.flush_time_series();
  }
  // Replaying the updates in order gives the final series.
  std::map<std::int64_t, std::string> buckets;
  for (const auto& m : rec.messages) {
    if (!m.has_time_series()) continue;
    for (const auto& b : m.time_series().buckets()) buckets[b.start_ns()] = b.ShortDebugString();
  }
  const auto& series = rec.result()->result().result().time_series();
  ASSERT_GT(series.buckets_size(), 0);
  ASSERT_EQ(buckets.size(), static_cast<std::size_t>(series.buckets_size()));
  for (const auto& b : series.buckets()) EXPECT_EQ(buckets[b.start_ns()], b.ShortDebugString());
}

vpcsim::pb::Change egress_ephemeral_rule() {
  vpcsim::pb::Change c;
  auto* add = c.mutable_add_sg_rule();
  add->set_security_group("sg-ssh-in");
  add->set_direction(vpcsim::pb::EGRESS);
  add->mutable_rule()->set_protocol("tcp");
  add->mutable_rule()->set_ports("1024-65535");
  add->mutable_rule()->set_cidr("198.51.100.10/32");
  return c;
}

TEST(LiveSimulation, RuleChangeAppliedLiveChangesTheOutcome) {
  Recorder rec;
  LiveSimulation live(rec.sink());
  ASSERT_TRUE(live.load(lesson("01-ssh-inbound-only")));
  ASSERT_TRUE(live.apply_change(egress_ephemeral_rule()));
  while (!live.finished()) live.step(100);
  // The stateless lesson drops two replies; with outbound 1024-65535 on sg-ssh-in every flow works.
  EXPECT_EQ(rec.result()->result().result().summary().flows_worked(), 3u);
  bool reported = false;
  for (const auto& m : rec.messages) reported = reported || (m.has_state() && m.state().kind() == RULE_CHANGE);
  EXPECT_TRUE(reported);

  // Reset forgets the change: the lesson as written again.
  rec.messages.clear();
  ASSERT_TRUE(live.reset());
  while (!live.finished()) live.step(100);
  EXPECT_EQ(rec.result()->result().result().summary().flows_worked(), 1u);
  EXPECT_EQ(rec.result()->result().result().summary().flows_reply_dropped(), 2u);
}

TEST(LiveSimulation, InvalidChangeNamesTheField) {
  Recorder rec;
  LiveSimulation live(rec.sink());
  ASSERT_TRUE(live.load(lesson("01-ssh-inbound-only")));
  auto c = egress_ephemeral_rule();
  c.mutable_add_sg_rule()->set_security_group("sg-nope");
  const auto r = live.apply_change(c);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, INVALID_CHANGE);
  EXPECT_THAT(r.error().message, HasSubstr("change.add_sg_rule.security_group"));
  EXPECT_THAT(r.error().message, HasSubstr("sg-nope"));
  EXPECT_EQ(live.apply_change(vpcsim::pb::Change{}).error().code, INVALID_CHANGE);
  while (!live.finished()) live.step(100);
  EXPECT_EQ(live.apply_change(egress_ephemeral_rule()).error().code, RUN_FINISHED);
}

TEST(LiveSimulation, NothingLoaded) {
  Recorder rec;
  LiveSimulation live(rec.sink());
  EXPECT_EQ(live.reset().error().code, NO_SCENARIO);
  EXPECT_EQ(live.apply_change(egress_ephemeral_rule()).error().code, NO_SCENARIO);
  EXPECT_EQ(live.step(5), 0u);
  EXPECT_EQ(live.status().state(), EMPTY);
}

}  // namespace
}  // namespace vpcsim::server

namespace vpcsim {
namespace {

// The two engine entry points the server needs: when the next event is due, and a rule change
// scheduled while the run is under way.
TEST(SimulatorLive, NextEventTimeAndScheduledChange) {
  const server::Lesson* l = server::find_lesson("10-rule-removed-during-session");
  auto parsed = io::parse_scenario_proto(l->text, "10.textproto", io::ScenarioFormat::kText);
  auto scenario = io::scenario_from_proto(parsed->message, "10.textproto");
  ASSERT_TRUE(scenario);
  SimulationOptions o;
  o.fidelity = Fidelity::kPacket;
  o.horizon = scenario->horizon;
  Simulator sim(*scenario, o);
  struct Changes : Observer {
    std::vector<StateRecord> seen;
    void on_state(const StateRecord& s) override {
      if (s.kind == StateRecord::Kind::kRuleChange || s.kind == StateRecord::Kind::kRuleChangeFailed) seen.push_back(s);
    }
  } changes;
  sim.add_observer(changes);
  const auto first = sim.next_event_time();
  ASSERT_TRUE(first);
  ASSERT_TRUE(sim.step());
  EXPECT_EQ(sim.now(), *first);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(sim.step());
  // A change "in the past" happens now, after what is already queued for now.
  TimedChange c = scenario->changes.front();
  c.at = SimTime{0};
  c.description = "live";
  const SimTime now = sim.now();
  sim.schedule_change(c);
  while (changes.seen.empty() && sim.step()) {
  }
  ASSERT_FALSE(changes.seen.empty());
  EXPECT_EQ(changes.seen.front().description.substr(0, 4), "live");
  EXPECT_EQ(changes.seen.front().time, now);
  sim.run();
  EXPECT_FALSE(sim.next_event_time());
  sim.schedule_change(c);  // ignored once finished
  EXPECT_FALSE(sim.step());
}

}  // namespace
}  // namespace vpcsim
