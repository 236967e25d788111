// Loading files: choosing the format, reading, and reporting syntax errors where they are.
#include "io/scenario_loader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "io_test_support.h"

namespace vpcsim::io {
namespace {

using testing::ErrorAt;
using testing::errors_of;
using ::testing::HasSubstr;

namespace fs = std::filesystem;

class ScenarioFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("vpcsim_io_test_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path write(const std::string& name, const std::string& content) {
    const fs::path p = dir_ / name;
    std::ofstream(p) << content;
    return p;
  }

  fs::path dir_;
};

TEST_F(ScenarioFiles, LoadsTextFormatFilesByExtension) {
  for (const char* ext : {".textproto", ".txtpb", ".pbtxt", ".textpb"}) {
    const auto p = write(std::string("net") + ext, testing::kBase);
    const auto s = load_scenario_file(p);
    ASSERT_TRUE(s) << ext << ": " << s.error()[0].format();
    EXPECT_EQ(s->source, p.string());
    EXPECT_EQ(s->flows.size(), 4u);
  }
}

TEST_F(ScenarioFiles, LoadsJsonFilesByExtension) {
  const auto p = write("net.json", R"({"vpc": {"id": "v", "cidrBlocks": ["10.0.0.0/16"]}})");
  const auto s = load_scenario_file(p);
  ASSERT_TRUE(s) << s.error()[0].format();
  EXPECT_EQ(s->name, "net");
}

TEST_F(ScenarioFiles, RejectsUnknownExtensionNamingTheAcceptedOnes) {
  const auto p = write("net.yaml", "vpc: {}");
  const auto s = load_scenario_file(p);
  ASSERT_FALSE(s);
  ASSERT_EQ(s.error().size(), 1u);
  EXPECT_EQ(s.error()[0].file, p.string());
  EXPECT_THAT(s.error()[0].message, HasSubstr("the extension .yaml"));
  EXPECT_THAT(s.error()[0].message, HasSubstr(".textproto (also .txtpb, .pbtxt, .textpb)"));
  EXPECT_THAT(s.error()[0].message, HasSubstr(".json"));
}

TEST(ScenarioLoader, ReportsMissingFileWithTheOsReason) {
  const auto s = load_scenario_file("/nonexistent/dir/missing.textproto");
  ASSERT_FALSE(s);
  ASSERT_EQ(s.error().size(), 1u);
  EXPECT_EQ(s.error()[0].format(),
            "/nonexistent/dir/missing.textproto: cannot open the scenario file: No such file or directory");
}

TEST_F(ScenarioFiles, ReportsDirectoryThatCannotBeRead) {
  fs::create_directories(dir_ / "dir.textproto");
  const auto s = load_scenario_file(dir_ / "dir.textproto");
  ASSERT_FALSE(s);
  EXPECT_THAT(s.error()[0].message, HasSubstr("Is a directory"));
}

TEST(ScenarioLoader, ReportsSyntaxErrorAtItsLineAndColumn) {
  const std::string text = "vpc {\n  id: \"v\"\n  cidr_blocks: 10.0.0.0/16\n}\n";
  const Errors errors = errors_of(text);
  ASSERT_FALSE(errors.empty());
  // The tokenizer may complain about the number first; the parser then names what it expected.
  const Error& e = errors.back();
  EXPECT_EQ(e.file, "test.textproto");
  EXPECT_EQ(e.line, 3);
  EXPECT_EQ(e.column, 16);  // where the unquoted value starts
  EXPECT_THAT(e.message, HasSubstr("Expected string, got: 10.0 (string values are quoted"));
}

TEST(ScenarioLoader, ReportsUnclosedBlockAtTheEnd) {
  const Errors errors = errors_of("vpc {\n  id: \"v\"\n");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].line, 3);
  EXPECT_THAT(errors[0].message, HasSubstr("end of file (is a closing '}' missing?)"));
}

TEST(ScenarioLoader, ExplainsUnknownFieldAndSuggestsTheIntendedOne) {
  const std::string text =
      "vpc { id: \"v\" cidr_blocks: \"10.0.0.0/16\" }\nsubnets {\n  id: \"a\"\n  cidr_block: \"10.0.1.0/24\"\n}\n";
  const Errors errors = errors_of(text);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].line, 4);
  EXPECT_EQ(errors[0].column, 3);  // at the name, not the colon after it where protobuf reports it
  EXPECT_THAT(errors[0].message, HasSubstr("unknown field 'cidr_block' in Subnet: did you mean 'cidr'?"));
  EXPECT_THAT(errors[0].message, HasSubstr("Subnet has the fields id, cidr, ipv6_cidr"));
}

TEST(ScenarioLoader, ReportsUnknownEnumValue) {
  const Errors errors = errors_of("name: \"n\"\nmodel: STATEFULL\n");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].line, 2);  // protobuf reports the token after it, on the next line
  EXPECT_EQ(errors[0].column, 8);
  EXPECT_EQ(errors[0].message, "unknown value 'STATEFULL' for field 'model': use one of STATELESS, STATEFUL");
}

TEST(ScenarioLoader, ReportsFieldGivenTwiceAtItsSecondOccurrence) {
  const Errors errors = errors_of("vpc { id: \"a\" id: \"b\" }");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].column, 15);
  EXPECT_EQ(errors[0].message, "field 'id' is given twice; it takes one value");
}

TEST(ScenarioLoader, RejectsTwoPeersInOneRule) {
  const Errors errors = errors_of(
      "security_groups {\n  id: \"sg\"\n  ingress { protocol: \"all\" cidr: \"10.0.0.0/8\" security_group: \"sg\" "
      "}\n}\n");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].line, 3);
  EXPECT_THAT(errors[0].message, HasSubstr("oneof"));
}

TEST(ScenarioLoader, ReportsJsonSyntaxErrorNamingTheFile) {
  const auto s = load_scenario_string(R"({"vpc": {"id": "v")", "bad.json", ScenarioFormat::kJson);
  ASSERT_FALSE(s);
  ASSERT_EQ(s.error().size(), 1u);
  EXPECT_EQ(s.error()[0].file, "bad.json");
  EXPECT_THAT(s.error()[0].message, HasSubstr("invalid scenario JSON: "));
}

TEST(ScenarioLoader, LocatesJsonSyntaxErrors) {
  const auto s = load_scenario_string("{\"vpc\": {\"id\": \"v\"},\n  \"subnets\": [{\"id\": x}]}", "bad.json",
                                      ScenarioFormat::kJson);
  ASSERT_FALSE(s);
  ASSERT_EQ(s.error().size(), 1u);
  EXPECT_EQ(s.error()[0].format(), "bad.json:2:22: invalid scenario JSON: Unexpected token.");
}

TEST(ScenarioLoader, RejectsUnknownJsonFields) {
  const auto s =
      load_scenario_string(R"({"vpc": {"id": "v", "cidrBlock": ["10.0.0.0/16"]}})", "bad.json", ScenarioFormat::kJson);
  ASSERT_FALSE(s);
  EXPECT_THAT(s.error()[0].message, HasSubstr("cidrBlock"));
}

TEST(ScenarioLoader, JsonValidationErrorsCarryTheFieldPathOnly) {
  const auto s =
      load_scenario_string(R"({"vpc": {"id": "v", "cidrBlocks": ["10.0.0.0/33"]}})", "bad.json", ScenarioFormat::kJson);
  ASSERT_FALSE(s);
  ASSERT_EQ(s.error().size(), 1u);
  EXPECT_EQ(s.error()[0].line, 0);
  EXPECT_EQ(s.error()[0].format(),
            "bad.json: vpc.cidr_blocks[0]: '10.0.0.0/33': prefix length '33' must be a number from 0 to 32 for IPv4");
}

TEST(ScenarioLoader, ReportsEveryProblemAtOnce) {
  const std::string text = R"pb(
    vpc { id: "v" cidr_blocks: "10.0.0.0/16" }
    subnets { id: "a" cidr: "10.1.0.0/24" }
    security_groups {
      id: "sg"
      ingress { protocol: "tcp" cidr: "0.0.0.0/0" }
    }
    instances {
      name: "i"
      interfaces { id: "e" subnet: "nope" private_ips: "10.0.0.5" }
    }
    flows { from: "i" to: "ghost" protocol: "tcp" port: 80 }
  )pb";
  const Errors errors = errors_of(text);
  // In the order they appear in the file, whatever order they were found in.
  EXPECT_THAT(errors, ::testing::ElementsAre(
                          ErrorAt("subnets[0].cidr", "outside the VPC's IPv4 blocks", text, "cidr: \"10.1"),
                          ErrorAt("security_groups[0].ingress[0].ports", "tcp needs ports", text, "ingress {"),
                          ErrorAt("instances[0].interfaces[0].subnet", "no subnet is named 'nope' (known: a)", text,
                                  "subnet: \"nope\""),
                          ErrorAt("flows[0].to", "no instance, interface or internet host is named 'ghost'", text,
                                  "to: \"ghost\"")));
}

}  // namespace
}  // namespace vpcsim::io
