// End-to-end tests of the vpcsim binary: outputs and exit codes on good and bad input.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/cli/cli_test_support.h"

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

class Cli : public vpcsim::test::CliTest {};

constexpr const char* kSmallScenario = R"(
name: "small"
model: STATEFUL
vpc { id: "vpc-1" cidr_blocks: "10.0.0.0/16" internet_gateway: true }
subnets { id: "pub" cidr: "10.0.1.0/24" internet_route: true }
security_groups { id: "sg-web" defaults: AWS_NEW_GROUP ingress { protocol: "tcp" ports: "443" cidr: "0.0.0.0/0" } }
instances { name: "web" interfaces { id: "eni-web" subnet: "pub" private_ips: "10.0.1.10" public_ip: "192.0.2.10" security_groups: "sg-web" } }
internet_hosts { name: "user" address: "203.0.113.9" }
flows { name: "https" from: "user" to: "web" protocol: "tcp" port: 443 expect { request: ALLOWED reply: ALLOWED } }
)";

TEST_F(Cli, RunWithoutScenarioRunsTheDefaultLessonStatelessWithANote) {
  const Result r = run("run");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("note: ssh-inbound-only names no filtering model, so stateless applies"));
  EXPECT_THAT(r.out, HasSubstr("real AWS security groups are stateful"));
  EXPECT_THAT(r.out, HasSubstr("DROPPED at sg-egress of server (eni-server)"));
  EXPECT_THAT(r.out, HasSubstr("expectations: 3 checked, 0 failed"));
}

TEST_F(Cli, ModeFlagOverridesTheScenarioAndSilencesTheNote) {
  const Result r = run("run --mode stateful");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, Not(HasSubstr("note:")));
  EXPECT_THAT(r.out, HasSubstr("under the stateful model"));
  EXPECT_THAT(r.out, HasSubstr("3 flows: 3 worked both ways"));
  EXPECT_THAT(r.out, HasSubstr("part of a tracked connection"));
}

TEST_F(Cli, JsonOutputIsTheSimulationResultMessage) {
  const Result r = run("run --format json " + lesson("09-nacl-ephemeral-ports"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"scenario\": \"nacl-ephemeral-ports\""));
  EXPECT_THAT(r.out, HasSubstr("\"model\": \"STATEFUL\""));
  EXPECT_THAT(r.out, HasSubstr("\"flows_reply_dropped\": \"2\""));
  EXPECT_THAT(r.out, HasSubstr("\"nacl_egress\": \"20\""));
  EXPECT_THAT(r.out, HasSubstr("\"rule\": \"acl-broken egress rule * (implicit deny)\""));
}

TEST_F(Cli, CsvOutputHasAHeaderAndOneRowPerFlow) {
  const Result r = run("run --format csv " + lesson("09-nacl-ephemeral-ports"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::istringstream lines(r.out);
  std::string header;
  std::getline(lines, header);
  EXPECT_EQ(header.rfind("id,name,generated,from,to,packet,start_s,end_s,request,", 0), 0u) << header;
  int rows = 0;
  for (std::string line; std::getline(lines, line);) ++rows;
  EXPECT_EQ(rows, 5);
  EXPECT_THAT(r.out, HasSubstr(",linux-to-broken,"));
  EXPECT_THAT(r.out, HasSubstr("dropped,nacl-egress,implicit-deny,acl-broken of broken,acl-broken rule * (implicit deny)"));
}

TEST_F(Cli, NoteGoesToStderrForMachineReadableFormats) {
  const Result r = run("run --format json");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("note:"));
  EXPECT_THAT(r.out, Not(HasSubstr("note:")));
}

TEST_F(Cli, FailedExpectationExitsOne) {
  std::string text = kSmallScenario;
  const std::string expectation = "request: ALLOWED reply: ALLOWED";
  text.replace(text.find(expectation), expectation.size(), "request: DROPPED");
  const Result r = run("run '" + write("wrong.textproto", text).string() + "'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, HasSubstr("expect   FAILED: request: expected dropped, got allowed"));
  EXPECT_THAT(r.out, HasSubstr("expectations: 1 checked, 1 failed"));
}

TEST_F(Cli, SyntaxErrorExitsTwoNamingFileAndLine) {
  const fs::path p = write("broken.textproto", "name: \"x\"\nvpc { id: \"v\" cidr_blocks: \"10.0.0.0/16\" \n subnets {\n");
  const Result r = run("run '" + p.string() + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr(p.string() + ":"));
  EXPECT_THAT(r.out, Not(HasSubstr("flows")));
}

TEST_F(Cli, ValidationErrorsAreAllReportedWithFieldPaths) {
  std::string text = kSmallScenario;
  text.replace(text.find("10.0.1.0/24"), 11, "10.9.1.0/24");   // subnet outside the VPC
  text.replace(text.find("ports: \"443\""), 12, "ports: \"70000\"");  // port out of range
  const Result r = run("validate '" + write("invalid.textproto", text).string() + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("subnets[0].cidr"));
  EXPECT_THAT(r.err, HasSubstr("security_groups[0].ingress[0].ports"));
}

TEST_F(Cli, MissingScenarioFileExitsTwo) {
  const Result r = run("run does-not-exist.textproto");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("does-not-exist.textproto"));
}

TEST_F(Cli, BadFlagsExitTwo) {
  EXPECT_EQ(run("run --mode sometimes").exit_code, 2);
  EXPECT_EQ(run("run --format xml").exit_code, 2);
  EXPECT_EQ(run("run --no-such-flag").exit_code, 2);
  EXPECT_EQ(run("frobnicate").exit_code, 2);
  EXPECT_EQ(run("").exit_code, 2);
}

TEST_F(Cli, HelpExitsZeroForEveryCommand) {
  for (const char* args : {"--help", "run --help", "explain --help", "validate --help"}) {
    const Result r = run(args);
    EXPECT_EQ(r.exit_code, 0) << args;
    EXPECT_THAT(r.out, HasSubstr("Usage")) << args;
  }
}

TEST_F(Cli, ValidateSummarisesAGoodScenario) {
  const Result r = run("validate '" + write("ok.textproto", kSmallScenario).string() + "'");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr(": ok: 1 subnets"));
  EXPECT_THAT(r.out, HasSubstr("model stateful"));
}

TEST_F(Cli, ExplainTracesEveryHopInBothDirections) {
  const Result r = run("explain " + lesson("09-nacl-ephemeral-ports") + " --from linux-user --to web-broken --proto tcp --port 443");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("request  tcp 203.0.113.25:50000 -> 10.0.1.10:443"));
  EXPECT_THAT(r.out, HasSubstr("allowed by acl-broken ingress rule 100: allow tcp 443 from 0.0.0.0/0"));
  EXPECT_THAT(r.out, HasSubstr("allowed by sg-web ingress #1: tcp 443 from 0.0.0.0/0"));
  EXPECT_THAT(r.out, HasSubstr("reply    tcp 10.0.1.10:443 -> 203.0.113.25:50000"));
  EXPECT_THAT(r.out, HasSubstr("nacl-egress"));
  EXPECT_THAT(r.out, HasSubstr("the final * entry denies it"));
  EXPECT_THAT(r.out, HasSubstr("the request arrives but the reply is dropped"));
}

TEST_F(Cli, ExplainByFlowNameUsesTheScenarioFlow) {
  const Result r = run("explain " + lesson("01-ssh-inbound-only") + " --flow ssh-outbound-22 --mode stateful");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("part of a tracked connection"));
  EXPECT_THAT(r.out, HasSubstr("the connection works both ways"));
}

TEST_F(Cli, ExplainRejectsUnknownEndpointsAndMissingPorts) {
  Result r = run("explain " + lesson("01-ssh-inbound-only") + " --from nobody --to server --port 22");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--from: 'nobody' is not an instance, interface or internet host"));
  r = run("explain " + lesson("01-ssh-inbound-only") + " --from admin --to server --proto tcp");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--port is required for tcp"));
  r = run("explain " + lesson("01-ssh-inbound-only") + " --flow nope");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("no flow named 'nope'"));
}

TEST_F(Cli, RunPrintsTotalsAndATextChart) {
  const Result r = run("run " + lesson("12-internet-scanner"));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("under the stateful model, flow fidelity, seed 7, horizon 1m00s"));
  EXPECT_THAT(r.out, HasSubstr("23 flows:"));  // 3 explicit flows + 20 probes
  EXPECT_THAT(r.out, HasSubstr("request dropped |"));
  EXPECT_THAT(r.out, HasSubstr("dropped packets by hop:"));
  EXPECT_THAT(r.out, HasSubstr("one column = 1s"));
}

TEST_F(Cli, OutWritesEveryResultFileAndNoTemporaries) {
  const fs::path out = dir_ / "results";
  const Result r = run("run " + lesson("12-internet-scanner") + " --flows --out '" + out.string() + "'");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  for (const char* f : {"summary.json", "result.json", "result.pb", "timeseries.csv", "rule_hits.csv", "flows.csv"}) {
    EXPECT_TRUE(fs::exists(out / f)) << f;
  }
  for (const auto& entry : fs::directory_iterator(out)) {
    EXPECT_EQ(entry.path().string().find(".tmp"), std::string::npos) << entry.path();
  }
  EXPECT_THAT(slurp(out / "flows.csv"), HasSubstr(",port-scan,true,"));
}

// Determinism: the same scenario and seed give byte-identical result files; another seed
// gives other traffic.
TEST_F(Cli, SameSeedGivesByteIdenticalResults) {
  const std::string scenario = write("gen.textproto", std::string(kSmallScenario) + R"(
horizon_seconds: 30
generators { name: "visitors" internet_users { address_pool: "198.51.100.0/24" count: 20 servers { instance: "web" }
  ports: [443, 80] rate_per_second: 5 duration { exponential_mean_seconds: 2 } } }
)").string();
  for (const char* d : {"a", "b", "c"}) {
    const std::string seed = std::string(d) == "c" ? " --seed 99" : "";
    const Result r = run("run '" + scenario + "' --flows --out '" + (dir_ / d).string() + "'" + seed);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  for (const char* f : {"result.pb", "result.json", "flows.csv", "timeseries.csv", "rule_hits.csv"}) {
    EXPECT_EQ(slurp(dir_ / "a" / f), slurp(dir_ / "b" / f)) << f;
  }
  EXPECT_NE(slurp(dir_ / "a" / "flows.csv"), slurp(dir_ / "c" / "flows.csv"));
}

TEST_F(Cli, UnwritableOutDirectoryExitsTwoNamingIt) {
  write("blocker", "a file where a directory should be");
  const Result r = run("run --out '" + (dir_ / "blocker" / "sub").string() + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("blocker"));
}

TEST_F(Cli, EngineFlagsAreValidated) {
  EXPECT_EQ(run("run --fidelity sometimes").exit_code, 2);
  EXPECT_EQ(run("run --horizon -5").exit_code, 2);
  EXPECT_EQ(run("run --bucket 0").exit_code, 2);
  EXPECT_EQ(run("run --seed banana").exit_code, 2);
}

TEST_F(Cli, RuleRemovedDuringSessionLessonShowsTheChangeAndBothModels) {
  Result r = run("run " + lesson("10-rule-removed-during-session"));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_THAT(r.out, HasSubstr("packet fidelity"));
  EXPECT_THAT(r.out, HasSubstr("at 5m00s: the admin rule is removed"));
  r = run("run " + lesson("10-rule-removed-during-session") + " --mode stateless");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_THAT(r.out, HasSubstr("session-to-bastion at 0s"));
  EXPECT_THAT(r.out, HasSubstr("DROPPED at sg-ingress of bastion (eni-bastion)"));
}

TEST_F(Cli, TraceFollowsOneFlowPacketByPacket) {
  const Result r = run("trace " + lesson("11-conntrack-idle-timeout") + " --flow push-after-idle-short");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("SYN      request  tcp 203.0.113.25:50000 -> 10.0.1.10:443"));
  EXPECT_THAT(r.out, HasSubstr("server-short (eni-short) tracks the connection from now on"));
  EXPECT_THAT(r.out, HasSubstr("server-short (eni-short) tracks the connection no longer: idle past its timeout"));
  EXPECT_THAT(r.out, HasSubstr("DROPPED  no outbound rule of sg-api allows tcp port 50000 to 203.0.113.25"));
  EXPECT_THAT(r.out, HasSubstr("the connection did not work"));
}

TEST_F(Cli, TraceRejectsAnUnknownFlow) {
  Result r = run("trace " + lesson("01-ssh-inbound-only") + " --flow nope");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("'nope' is neither a flow of ssh-inbound-only"));
  r = run("trace " + lesson("01-ssh-inbound-only") + " --flow 999");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("no such flow ran (3 flows ran)"));
}

TEST_F(Cli, CompareModesListsOnlyTheFlowsThatDiffer) {
  Result r = run("compare-modes " + lesson("01-ssh-inbound-only"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("2 of 3 flows differ"));
  EXPECT_THAT(r.out, HasSubstr("stateless: request allowed, reply dropped at sg-egress"));
  EXPECT_THAT(r.out, Not(HasSubstr("ssh-outbound-ephemeral (flow")));
  r = run("compare-modes " + lesson("01-ssh-inbound-only") + " --format csv");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out.rfind("id,name,from,to,packet,stateless,stateful,why\n", 0), 0u);
  r = run("compare-modes " + lesson("01-ssh-inbound-only") + " --format json");
  EXPECT_THAT(r.out, HasSubstr("\"flows_compared\": \"3\""));
}

}  // namespace
