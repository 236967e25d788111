#include "sim/run_session.h"

#include <gtest/gtest.h>

#include <string>

#include "io/scenario_loader.h"
#include "sim/results/summary_collector.h"

namespace vpcsim {
namespace {

Scenario lesson(const std::string& file) {
  auto s = io::load_scenario_file(std::string(VPCSIM_SOURCE_DIR) + "/scenarios/lessons/" + file);
  EXPECT_TRUE(s.has_value());
  return *s;
}

TEST(RunSessionTest, AdvancingInSlicesGivesTheSameTotalsAsOneRun) {
  const Scenario s = lesson("12-internet-scanner.textproto");
  const SimulationOptions o = scenario_options(s);
  Simulator reference(s, o);
  SummaryCollector expected;
  reference.add_observer(expected);
  reference.run();

  RunSession session(s, o, default_bucket_width(o));
  std::uint64_t slices = 0;
  while (!session.finished()) {
    session.advance(7);
    ++slices;
  }
  EXPECT_GT(slices, 3u);
  EXPECT_EQ(session.summary().totals(), expected.totals());
  EXPECT_EQ(session.events(), reference.events_processed());
  ASSERT_NE(session.flows(), nullptr);
  EXPECT_EQ(session.flows()->flows().size(), expected.totals().flows_started);
}

TEST(RunSessionTest, AdvanceStopsAtTheGivenTime) {
  const Scenario s = lesson("12-internet-scanner.textproto");
  const SimulationOptions o = scenario_options(s);
  RunSession session(s, o, default_bucket_width(o));
  // The scanner probes twenty ports at two a second: busy for about ten seconds.
  session.advance(1'000'000, seconds(4));
  EXPECT_LE(session.now(), seconds(4));
  EXPECT_GE(session.now(), seconds(3));
  EXPECT_FALSE(session.finished());
  session.advance(1'000'000);
  EXPECT_TRUE(session.finished());
}

TEST(RunSessionTest, AdvanceEndsWhenOnlyExpiryTimersAreLeft) {
  // Stateful, so connections are tracked and their expiry timers outlive the traffic; a run
  // paced to the traffic's end must not wait for them.
  const Scenario s = lesson("01-ssh-inbound-only.textproto");
  RunSession session(s, scenario_options(s, FilteringModel::kStateful), seconds(1));
  const SimTime end = *planned_end(s, session.options());
  session.advance(1'000'000, end + milliseconds(10));
  EXPECT_TRUE(session.finished());
}

TEST(RunSessionTest, StepRecordsTheJudgedPacket) {
  const Scenario s = lesson("01-ssh-inbound-only.textproto");
  RunSession session(s, scenario_options(s, FilteringModel::kStateless), seconds(1));
  while (session.step() && !session.last_packet()) {
  }
  ASSERT_TRUE(session.last_packet().has_value());
  const SteppedPacket& p = *session.last_packet();
  EXPECT_FALSE(p.reply);
  EXPECT_FALSE(p.trace.hops.empty());
  EXPECT_EQ(p.explanations.size(), p.trace.hops.size());
  EXPECT_TRUE(std::holds_alternative<ExternalHostId>(p.from));  // the admin opens the session
}

TEST(RunSessionTest, StepToDropStopsAtTheDroppedReply) {
  const Scenario s = lesson("01-ssh-inbound-only.textproto");
  RunSession session(s, scenario_options(s, FilteringModel::kStateless), seconds(1));
  ASSERT_TRUE(session.step_to_drop(10'000));
  ASSERT_TRUE(session.last_packet().has_value());
  const SteppedPacket& p = *session.last_packet();
  EXPECT_TRUE(p.reply);
  ASSERT_NE(p.trace.drop(), nullptr);
  EXPECT_EQ(p.trace.drop()->hop, Hop::kSgEgress);
  EXPECT_NE(p.explanations.back().find("sg-ssh-in"), std::string::npos) << p.explanations.back();
  EXPECT_GT(session.packets_dropped(), 0u);
}

TEST(RunSessionTest, StepToDropReportsNoDropUnderAModelThatDropsNothing) {
  const Scenario s = lesson("01-ssh-inbound-only.textproto");
  RunSession session(s, scenario_options(s, FilteringModel::kStateful), seconds(1));
  EXPECT_FALSE(session.step_to_drop(100'000));
  EXPECT_TRUE(session.finished());
  EXPECT_EQ(session.packets_dropped(), 0u);
}

TEST(RunSessionTest, PlannedEndIsTheHorizonOrTheLastFlow) {
  const Scenario scanner = lesson("12-internet-scanner.textproto");
  EXPECT_EQ(planned_end(scanner, scenario_options(scanner)), seconds(60));
  const Scenario ssh = lesson("01-ssh-inbound-only.textproto");
  SimTime last{0};
  for (const FlowSpec& f : ssh.flows) last = std::max(last, f.start + f.duration);
  EXPECT_EQ(planned_end(ssh, scenario_options(ssh)), last);
  EXPECT_EQ(default_bucket_width(scenario_options(scanner)), seconds(1));
}

TEST(RunSessionTest, JudgeRunKeysEveryFlowInOrder) {
  const Scenario s = lesson("01-ssh-inbound-only.textproto");
  const auto judged = judge_run(s, scenario_options(s));
  ASSERT_EQ(judged.size(), s.flows.size());
  for (std::size_t i = 1; i < judged.size(); ++i) EXPECT_LT(judged[i - 1].key, judged[i].key);
}

}  // namespace
}  // namespace vpcsim
