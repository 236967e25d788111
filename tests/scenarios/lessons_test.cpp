// Every bundled lesson loads, checks at least one expectation, and meets all of them under
// both filtering models: lessons are data, and this is their test.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "io/scenario_loader.h"
#include "sim/flow_outcomes.h"
#include "sim/flow_runner.h"
#include "sim/simulator.h"

namespace vpcsim {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> lesson_files() {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(fs::path(VPCSIM_SOURCE_DIR) / "scenarios" / "lessons")) {
    if (entry.path().extension() == ".textproto" || entry.path().extension() == ".json") out.push_back(entry.path());
  }
  std::ranges::sort(out);
  return out;
}

class LessonTest : public ::testing::TestWithParam<fs::path> {};

// Each lesson runs through the engine, at its own fidelity, under both models.
TEST_P(LessonTest, MeetsItsExpectationsUnderBothModels) {
  const auto scenario = io::load_scenario_file(GetParam());
  ASSERT_TRUE(scenario.has_value()) << GetParam() << ": " << scenario.error().front().format();
  EXPECT_FALSE(scenario->description.empty()) << "a lesson explains what it teaches";
  std::size_t checked = 0;
  for (const FilteringModel model : {FilteringModel::kStateless, FilteringModel::kStateful}) {
    SimulationOptions options;
    options.model = model;
    options.fidelity = scenario->packet_fidelity ? Fidelity::kPacket : Fidelity::kFlow;
    options.seed = scenario->seed;
    Simulator sim(*scenario, options);
    FlowOutcomes outcomes(*scenario, model);
    sim.add_observer(outcomes);
    sim.run();
    checked += outcomes.expectations_checked();
    for (const ObservedFlow* o : outcomes.flows()) {
      for (const std::string& f : o->failures) ADD_FAILURE() << to_string(model) << " " << o->spec->name << ": " << f;
    }
    for (const std::string& f : outcomes.not_run()) ADD_FAILURE() << to_string(model) << " " << f;
  }
  EXPECT_GE(checked, scenario->flows.size()) << "every flow of a lesson should carry an expectation";
}

// Lessons without time-dependent parts (no rule changes, flow fidelity) give the same
// verdicts through the engine as through the static evaluator of `vpcsim explain`.
TEST_P(LessonTest, EngineAgreesWithTheStaticEvaluator) {
  const auto scenario = io::load_scenario_file(GetParam());
  ASSERT_TRUE(scenario.has_value());
  if (!scenario->changes.empty() || scenario->packet_fidelity) GTEST_SKIP() << "time-dependent lesson";
  for (const FilteringModel model : {FilteringModel::kStateless, FilteringModel::kStateful}) {
    const RunReport report = run_flows(*scenario, model);
    SimulationOptions options;
    options.model = model;
    Simulator sim(*scenario, options);
    FlowOutcomes outcomes(*scenario, model);
    sim.add_observer(outcomes);
    sim.run();
    const auto engine = outcomes.flows();
    ASSERT_EQ(engine.size(), report.flows.size());
    for (std::size_t i = 0; i < engine.size(); ++i) {
      const Exchange& x = report.flows[i].exchange;
      EXPECT_EQ(observe(engine[i]->request).verdict, request_verdict(x)) << engine[i]->spec->name;
      EXPECT_EQ(observe(engine[i]->reply).verdict, reply_verdict(x)) << engine[i]->spec->name;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Lessons, LessonTest, ::testing::ValuesIn(lesson_files()),
                         [](const ::testing::TestParamInfo<fs::path>& info) {
                           std::string name = info.param.stem().string();
                           std::ranges::replace_if(name, [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
                           return name;
                         });

TEST(Lessons, CoverTheIssueList) {
  std::set<std::string> stems;
  for (const fs::path& p : lesson_files()) stems.insert(p.stem().string());
  EXPECT_GE(stems.size(), 12u);
  EXPECT_TRUE(stems.contains("01-ssh-inbound-only")) << "the default scenario";
}

// The default lesson is the stateless SSH case: its reply is dropped at the server's own
// security group egress, and an outbound port-22 rule does not fix it.
TEST(Lessons, DefaultLessonDropsTheReplyAtSgEgressUnderStateless) {
  const auto s = io::load_scenario_file(fs::path(VPCSIM_SOURCE_DIR) / "scenarios/lessons/01-ssh-inbound-only.textproto");
  ASSERT_TRUE(s.has_value());
  EXPECT_FALSE(s->model.has_value()) << "the default lesson shows the stateless-by-default note";
  const RunReport r = run_flows(*s, FilteringModel::kStateless);
  ASSERT_EQ(r.flows.size(), 3u);
  for (std::size_t i : {0u, 1u}) {
    const Exchange& x = r.flows[i].exchange;
    ASSERT_TRUE(x.request_delivered());
    ASSERT_TRUE(x.reply.has_value());
    ASSERT_NE(x.reply->drop(), nullptr);
    EXPECT_EQ(x.reply->drop()->hop, Hop::kSgEgress);
    EXPECT_EQ(x.reply->drop()->reason, Reason::kNoRuleMatched);
  }
  EXPECT_TRUE(r.flows[2].exchange.works());
}

}  // namespace
}  // namespace vpcsim
