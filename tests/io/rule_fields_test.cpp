#include "io/rule_fields.h"

#include <gtest/gtest.h>

#include <string>

#include "io/scenario_loader.h"

namespace vpcsim::io {
namespace {

Network lesson_network() {
  auto s = load_scenario_file(std::string(VPCSIM_SOURCE_DIR) + "/scenarios/lessons/04-tiers-sg-references.textproto");
  EXPECT_TRUE(s.has_value());
  return s->network;
}

TEST(RuleFieldsTest, SgRulesRoundTripThroughFields) {
  const Network net = lesson_network();
  for (const SecurityGroup& sg : net.security_groups) {
    for (Direction d : {Direction::kIngress, Direction::kEgress}) {
      std::vector<SgRuleFields> rows;
      for (const SgRule& r : sg.rules(d)) rows.push_back(to_fields(net, r));
      const auto back = sg_rules_from_fields(net, rows);
      ASSERT_TRUE(back.has_value()) << sg.id << ": " << back.error().front().problem.message;
      ASSERT_EQ(back->size(), sg.rules(d).size());
      for (std::size_t i = 0; i < back->size(); ++i) {
        EXPECT_EQ((*back)[i].traffic, sg.rules(d)[i].traffic);
        EXPECT_EQ((*back)[i].peer, sg.rules(d)[i].peer);
      }
    }
  }
}

TEST(RuleFieldsTest, SgRowProblemsNameRowAndField) {
  const Network net = lesson_network();
  std::vector<SgRuleFields> rows(3);
  rows[0] = {"tcp", "22", "", "", "10.0.0.0/8", "", ""};
  rows[1] = {"tcp", "70000", "", "", "10.0.0.0/8", "", ""};
  rows[2] = {"tcp", "22", "", "", "sg-nope", "", ""};
  const auto r = sg_rules_from_fields(net, rows);
  ASSERT_FALSE(r.has_value());
  ASSERT_EQ(r.error().size(), 2u);
  EXPECT_EQ(r.error()[0].row, 1u);
  EXPECT_EQ(r.error()[0].problem.field, "ports");
  EXPECT_EQ(r.error()[1].row, 2u);
  EXPECT_EQ(r.error()[1].problem.field, "security_group");
  EXPECT_NE(r.error()[1].problem.message.find("sg-nope"), std::string::npos);
}

TEST(RuleFieldsTest, SgRuleWithHostBitsIsRejectedAsInAScenario) {
  const Network net = lesson_network();
  const auto r = sg_rules_from_fields(net, {{"tcp", "22", "", "", "10.0.0.1/8", "", ""}});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error()[0].problem.field, "cidr");
}

TEST(RuleFieldsTest, NaclEntriesAreSortedAndDuplicatesReported) {
  const auto ok = nacl_entries_from_fields({{"200", "deny", "tcp", "22", "", "", "0.0.0.0/0"},
                                            {"100", "allow", "all", "", "", "", "0.0.0.0/0"}});
  ASSERT_TRUE(ok.has_value());
  ASSERT_EQ(ok->size(), 2u);
  EXPECT_EQ((*ok)[0].number, 100);
  EXPECT_EQ((*ok)[1].action, RuleAction::kDeny);
  EXPECT_EQ(to_fields((*ok)[1]).ports, "22");

  const auto dup = nacl_entries_from_fields({{"100", "allow", "tcp", "22", "", "", "0.0.0.0/0"},
                                             {"100", "deny", "tcp", "23", "", "", "0.0.0.0/0"},
                                             {"x", "allow", "tcp", "22", "", "", "0.0.0.0/0"},
                                             {"40000", "maybe", "tcp", "22", "", "", "0.0.0.0/0"}});
  ASSERT_FALSE(dup.has_value());
  std::vector<std::pair<std::size_t, std::string>> got;
  for (const RowProblem& p : dup.error()) got.emplace_back(p.row, p.problem.field);
  EXPECT_EQ(got, (std::vector<std::pair<std::size_t, std::string>>{
                     {1, "rule_number"}, {2, "rule_number"}, {3, "rule_number"}, {3, "action"}}));
  EXPECT_NE(dup.error()[0].problem.message.find("row 1"), std::string::npos) << dup.error()[0].problem.message;
}

}  // namespace
}  // namespace vpcsim::io
