// Field paths map to the line and column where the field was written, or to the nearest
// written ancestor when it was left out.
#include "io/source_locations.h"

#include <gtest/gtest.h>

#include "io/scenario_parser.h"

namespace vpcsim::io {
namespace {

// Delimited "txt", not "pb", so that clang-format leaves the layout the positions depend on.
constexpr std::string_view kText = R"txt(vpc {
  id: "v"
  cidr_blocks: "10.0.0.0/16"
  cidr_blocks: "10.1.0.0/16"
}
security_groups { id: "a" }
security_groups {
  id: "b"
  ingress { protocol: "tcp" }
  ingress {
    protocol: "udp"
    cidr: "0.0.0.0/0"
  }
}
)txt";

class TextLocations : public ::testing::Test {
 protected:
  void SetUp() override {
    auto p = parse_scenario_proto(kText, "t.textproto", ScenarioFormat::kText);
    ASSERT_TRUE(p);
    parsed = std::move(*p);
    ASSERT_NE(parsed.locations, nullptr);
  }

  std::pair<int, int> at(std::string_view path) {
    const auto where = parsed.locations->locate(path);
    if (!where) return {0, 0};
    return {where->line, where->column};
  }

  ParsedScenario parsed;
};

TEST_F(TextLocations, FindsScalarFields) {
  EXPECT_EQ(at("vpc.id"), std::pair(2, 3));
  EXPECT_EQ(at("security_groups[1].id"), std::pair(8, 3));
}

TEST_F(TextLocations, FindsElementsOfRepeatedFields) {
  EXPECT_EQ(at("vpc.cidr_blocks[1]"), std::pair(4, 3));
  EXPECT_EQ(at("vpc.cidr_blocks"), std::pair(3, 3));  // the whole list: its first element
  EXPECT_EQ(at("security_groups[1].ingress[1].cidr"), std::pair(12, 5));
}

TEST_F(TextLocations, FallsBackToTheNearestWrittenAncestor) {
  EXPECT_EQ(at("security_groups[1].ingress[0].ports"), std::pair(9, 3));
  EXPECT_EQ(at("security_groups[0].name"), std::pair(6, 1));
  EXPECT_EQ(at("vpc.cidr_blocks[5]"), std::pair(1, 1));
}

TEST_F(TextLocations, KnowsNothingOfFieldsNeverWritten) {
  EXPECT_EQ(at("subnets[0].cidr"), std::pair(0, 0));
  EXPECT_EQ(at("no_such_field"), std::pair(0, 0));
  EXPECT_EQ(at("vpc.id.deeper"), std::pair(2, 3));
  EXPECT_EQ(at("security_groups[x].id"), std::pair(0, 0));
}

TEST(JsonLocations, JsonHasNoLocator) {
  auto p = parse_scenario_proto(R"({"vpc": {"id": "v"}})", "t.json", ScenarioFormat::kJson);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->locations, nullptr);
  EXPECT_EQ(p->message.vpc().id(), "v");
}

}  // namespace
}  // namespace vpcsim::io
