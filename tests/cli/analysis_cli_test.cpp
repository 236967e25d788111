// End-to-end tests of `vpcsim lint`, `vpcsim reach` and `vpcsim graph`: outputs, formats and
// exit codes on good and bad input.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/cli/cli_test_support.h"

#include <boost/json/src.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/wait.h>

namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

using Result = vpcsim::test::CliResult;
using vpcsim::test::slurp;

class AnalysisCli : public vpcsim::test::CliTest {};

TEST_F(AnalysisCli, LintSshOpenToWorldFailsOnHighWithTheRuleAndItsLine) {
  const Result r = run("lint " + lesson("06-ssh-open-to-world"));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("HIGH     VPCSIM-SG001  sg-ssh-open ingress #1: tcp 22 from 0.0.0.0/0"));
  EXPECT_THAT(r.out, HasSubstr("06-ssh-open-to-world.textproto:17"));
  EXPECT_THAT(r.out, HasSubstr("fix: restrict the source"));
  EXPECT_THAT(r.out, Not(HasSubstr("sg-ssh-admin ingress")));
}

TEST_F(AnalysisCli, LintCleanLessonExitsZeroAndFailOnMovesTheThreshold) {
  EXPECT_EQ(run("lint " + lesson("03-public-web")).exit_code, 0);
  EXPECT_EQ(run("lint --fail-on info " + lesson("03-public-web")).exit_code, 1);
  EXPECT_EQ(run("lint --fail-on never " + lesson("06-ssh-open-to-world")).exit_code, 0);
  EXPECT_EQ(run("lint --fail-on critical " + lesson("06-ssh-open-to-world")).exit_code, 0);
  EXPECT_EQ(run("lint --fail-on medium " + lesson("07-mistyped-port")).exit_code, 1);
}

TEST_F(AnalysisCli, LintModeStatelessAddsReplyChecks) {
  const Result r = run("lint --mode stateless --fail-on never " + lesson("09-nacl-ephemeral-ports"));
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.out, HasSubstr("lint nacl-ephemeral-ports (stateless model)"));
  EXPECT_THAT(r.out, HasSubstr("VPCSIM-NACL001"));
}

TEST_F(AnalysisCli, LintSarifIsValidSarif210WithRulesLevelsAndLines) {
  const Result r = run("lint --format sarif " + lesson("07-mistyped-port"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const boost::json::value doc = boost::json::parse(r.out);
  EXPECT_EQ(doc.at("version").as_string(), "2.1.0");
  const auto& run0 = doc.at("runs").as_array().at(0);
  const auto& rules = run0.at("tool").at("driver").at("rules").as_array();
  ASSERT_GE(rules.size(), 18u);
  for (const auto& rule : rules) {
    EXPECT_TRUE(rule.at("id").as_string().starts_with("VPCSIM-"));
    EXPECT_FALSE(rule.at("help").at("text").as_string().empty());
    EXPECT_TRUE(rule.at("helpUri").as_string().starts_with("https://docs.aws.amazon.com/"));
  }
  const auto& results = run0.at("results").as_array();
  ASSERT_EQ(results.size(), 4u);  // two typos and the open outbound default of each group
  const auto& first = results.at(0);
  EXPECT_EQ(first.at("ruleId").as_string(), "VPCSIM-SG005");
  EXPECT_EQ(first.at("level").as_string(), "warning");
  EXPECT_EQ(rules.at(first.at("ruleIndex").as_int64()).at("id"), first.at("ruleId"));
  const auto& physical = first.at("locations").as_array().at(0).at("physicalLocation");
  EXPECT_THAT(std::string(physical.at("artifactLocation").at("uri").as_string()), HasSubstr("07-mistyped-port.textproto"));
  EXPECT_EQ(physical.at("region").at("startLine").as_int64(), 15);
  EXPECT_THAT(std::string(first.at("message").at("text").as_string()), HasSubstr("443"));
}

TEST_F(AnalysisCli, LintJsonAndDeterminism) {
  const Result a = run("lint --format json --fail-on never " + lesson("09-nacl-ephemeral-ports"));
  const Result b = run("lint --format json --fail-on never " + lesson("09-nacl-ephemeral-ports"));
  EXPECT_EQ(a.exit_code, 0);
  EXPECT_EQ(a.out, b.out);
  const boost::json::value doc = boost::json::parse(a.out);
  const auto& findings = doc.at("findings").as_array();
  ASSERT_FALSE(findings.empty());
  EXPECT_EQ(findings.at(0).at("id").as_string(), "VPCSIM-NACL001");
  EXPECT_EQ(findings.at(0).at("severity").as_string(), "high");
  EXPECT_EQ(findings.at(0).at("rule").as_string(), "acl-broken ingress rule 100: allow tcp 443 from 0.0.0.0/0");
}

TEST_F(AnalysisCli, LintBadInputExitsTwo) {
  const Result missing = run("lint nosuch.textproto");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("nosuch.textproto"));
  const fs::path broken = write("broken.textproto", "name: \"x\"\nvpc { id: \"v\" cidr_blocks: \"10.0.0.0/16\" \n subnets {\n");
  const Result syntax = run("lint '" + broken.string() + "'");
  EXPECT_EQ(syntax.exit_code, 2);
  EXPECT_THAT(syntax.err, HasSubstr("broken.textproto:"));
  EXPECT_EQ(run("lint --fail-on severe " + lesson("06-ssh-open-to-world")).exit_code, 2);
  EXPECT_EQ(run("lint --format xml " + lesson("06-ssh-open-to-world")).exit_code, 2);
}

TEST_F(AnalysisCli, ReachMatrixShowsBothModelsWithReasons) {
  const Result r = run("reach --port 22 --from admin --to vpc " + lesson("01-ssh-inbound-only"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("tcp port 22 from client ports 1024-65535 (IPv4), 1 clients x 3 servers"));
  EXPECT_THAT(r.out, HasSubstr("internet host admin (198.51.100.10) -> server (eni-server)"));
  EXPECT_THAT(r.out, HasSubstr("reply dropped"));
  EXPECT_THAT(r.out, HasSubstr("stateless: reply to client port 1024 dropped at sg-egress"));
  EXPECT_THAT(r.out, HasSubstr("stateful: allowed by sg-ssh-in ingress #1"));
}

TEST_F(AnalysisCli, ReachJsonHasHopsForEachPair) {
  const Result r = run("reach --format json --port 443 --from internet --to vpc " + lesson("09-nacl-ephemeral-ports"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const boost::json::value doc = boost::json::parse(r.out);
  const auto& pairs = doc.at("pairs").as_array();
  ASSERT_EQ(pairs.size(), 6u);
  const auto& sample = pairs.at(2);
  EXPECT_EQ(sample.at("to").as_string(), "web-sample (eni-web-sample)");
  EXPECT_EQ(sample.at("stateful").at("reply_delivered").as_string(), "some");
  EXPECT_FALSE(sample.at("stateful").at("reply_hops").as_array().empty());
}

TEST_F(AnalysisCli, ReachFindGivesAConcretePacketOrExitsOne) {
  const Result found = run("reach --find allowed --from 0.0.0.0/0 --to fixed-server --proto any " + lesson("06-ssh-open-to-world"));
  EXPECT_EQ(found.exit_code, 0) << found.err;
  EXPECT_THAT(found.out, HasSubstr("allowed packet"));
  EXPECT_THAT(found.out, HasSubstr("tcp 198.51.100.10:1024 -> 10.0.1.11:22"));
  const Result none = run("reach --find allowed --from 0.0.0.0/0 --to fixed-server --port 23 " + lesson("06-ssh-open-to-world"));
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_THAT(none.out, HasSubstr("no packet is allowed"));
  const Result dropped = run("reach --find dropped --from linux-user --to web-fixed --port 443 " + lesson("09-nacl-ephemeral-ports"));
  EXPECT_EQ(dropped.exit_code, 1) << dropped.out;  // every client port 1024-65535 gets its reply
}

TEST_F(AnalysisCli, ReachBadSelectorsExitTwo) {
  const Result r = run("reach --from nosuch " + lesson("01-ssh-inbound-only"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--from: 'nosuch' is not an instance"));
  EXPECT_EQ(run("reach --find allowed " + lesson("01-ssh-inbound-only")).exit_code, 2);
  EXPECT_EQ(run("reach --port 70000 " + lesson("01-ssh-inbound-only")).exit_code, 2);
}

TEST_F(AnalysisCli, GraphDotHasTopologyAndReachabilityEdges) {
  const Result r = run("graph --dot --port 443 " + lesson("04-tiers-sg-references"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("digraph G {"));
  EXPECT_THAT(r.out, HasSubstr("[label=\"sg-lb\", shape=hexagon]"));
  EXPECT_THAT(r.out, HasSubstr("[style=dotted, label=\"ingress\"]"));
  EXPECT_THAT(r.out, HasSubstr("[label=\"tcp/443\", color=\"darkgreen\""));
  const Result bare = run("graph --dot --no-reach " + lesson("04-tiers-sg-references"));
  EXPECT_THAT(bare.out, Not(HasSubstr("tcp/443")));
}

}  // namespace
