// End-to-end tests of `vpcsim replay` and `vpcsim diff`: outputs, files and exit codes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/cli/cli_test_support.h"
#include <sys/wait.h>
#include <zlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

using Result = vpcsim::test::CliResult;
using vpcsim::test::slurp;

const std::string kSamples = std::string(VPCSIM_SOURCE_DIR) + "/scenarios/flowlogs/";
const std::string kScenario = kSamples + "aws-examples.textproto";

class ReplayCli : public vpcsim::test::CliTest {};

TEST_F(ReplayCli, EmitsTheExpectedFlowLogAndAgreementReport) {
  const Result r = run("replay '" + kScenario + "' '" + kSamples + "v2-header.log' --emit-flowlog out.log");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("records read: 11 = 8 replayed + 3 skipped"));
  EXPECT_THAT(r.out, HasSubstr("agreement: 8 of 8 records agree"));
  EXPECT_THAT(r.out, HasSubstr("unknown-interface: e.g."));
  EXPECT_EQ(slurp(dir_ / "out.log"),
            slurp(std::string(VPCSIM_SOURCE_DIR) + "/tests/io/data/v2-header.stateful.expected"));
  EXPECT_FALSE(fs::exists(dir_ / "out.log.tmp"));
}

TEST_F(ReplayCli, GzipInputGivesTheSameOutput) {
  const std::string text = slurp(kSamples + "v5-custom.log");
  gzFile f = gzopen((dir_ / "v5.log.gz").c_str(), "wb");
  gzwrite(f, text.data(), static_cast<unsigned>(text.size()));
  gzclose(f);
  const Result r = run("replay '" + kScenario + "' v5.log.gz --emit-flowlog out.log");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(slurp(dir_ / "out.log"),
            slurp(std::string(VPCSIM_SOURCE_DIR) + "/tests/io/data/v5-custom.stateful.expected"));
}

// Flow logs exported from CloudWatch Logs: an export task's gzipped file and
// filter-log-events JSON give v2-default.log's output (the messages, without timestamps).
TEST_F(ReplayCli, CloudWatchLogsExportsReplayLikeThePlainFlowLog) {
  const std::string expected = slurp(std::string(VPCSIM_SOURCE_DIR) + "/tests/io/data/v2-default.stateful.expected");
  const std::string text = slurp(kSamples + "cloudwatch-export.log") + "2014-12-14T04:06:50Z? garbled\n";
  gzFile f = gzopen((dir_ / "000000.gz").c_str(), "wb");
  gzwrite(f, text.data(), static_cast<unsigned>(text.size()));
  gzclose(f);
  const Result exported = run("replay '" + kScenario + "' 000000.gz --emit-flowlog out.log");
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_THAT(exported.out, HasSubstr("records read: 7 = 4 replayed + 3 skipped"));
  EXPECT_THAT(exported.out, HasSubstr("bad-log-event: e.g. 000000.gz:7 (timestamp prefix '2014-12-14T04:06:50Z?'"));
  EXPECT_EQ(slurp(dir_ / "out.log"), expected);

  const Result events = run("replay '" + kScenario + "' '" + kSamples + "cloudwatch-events.json' --emit-flowlog ev.log");
  ASSERT_EQ(events.exit_code, 0) << events.err;
  EXPECT_THAT(events.out, HasSubstr("records read: 6 = 4 replayed + 2 skipped"));
  EXPECT_THAT(events.out, HasSubstr("cloudwatch-events.json:events[2]"));
  EXPECT_EQ(slurp(dir_ / "ev.log"), expected);

  write("bad.json", "{\"events\": [");
  const Result bad = run("replay '" + kScenario + "' bad.json");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("bad.json"));
}

// One page of filter-log-events (--no-paginate kept the API's nextToken): replayed, with a
// warning on stderr naming the file and how to fetch every page; the same from diff. A page
// that is the last (no nextToken) gets no warning.
TEST_F(ReplayCli, APaginatedCloudWatchJsonFileIsReplayedWithAWarning) {
  const std::string events =
      R"("events": [{"timestamp": 1418530010000, "message": "2 123456789010 eni-1235b8ca123456789 172.31.16.139 )"
      R"(172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK"}])";
  write("page.json", "{" + events + R"(, "nextToken": "Bxkq6kVGFtq2y_Moigeqscy"})");
  write("last.json", "{" + events + "}");
  const Result r = run("replay '" + kScenario + "' page.json");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("records read: 1 = 1 replayed + 0 skipped"));
  EXPECT_THAT(r.err, HasSubstr("warning: page.json: nextToken: "));
  EXPECT_THAT(r.err, HasSubstr("only this page was read"));
  EXPECT_THAT(r.err, HasSubstr("aws logs filter-log-events"));
  const Result last = run("replay '" + kScenario + "' last.json");
  EXPECT_EQ(last.exit_code, 0) << last.err;
  EXPECT_THAT(last.err, ::testing::Not(HasSubstr("warning")));
  const Result diff = run("diff --before '" + kScenario + "' --after '" + kScenario + "' page.json");
  EXPECT_EQ(diff.exit_code, 0) << diff.err;
  EXPECT_THAT(diff.err, HasSubstr("warning: page.json: nextToken: "));
}

TEST_F(ReplayCli, StatelessModeDisagreesAndCanFailCi) {
  const std::string args = "replay '" + kScenario + "' '" + kSamples + "v2-header.log' --mode stateless";
  const Result info = run(args);
  EXPECT_EQ(info.exit_code, 0);
  EXPECT_THAT(info.out, HasSubstr("recorded ACCEPT, simulated REJECT at sg-ingress: no rule matched"));
  EXPECT_THAT(info.out, HasSubstr("v2-header.log:11"));
  EXPECT_EQ(run(args + " --fail-on-disagreement").exit_code, 1);
  const Result json = run(args + " --format json");
  EXPECT_EQ(json.exit_code, 0);
  EXPECT_THAT(json.out, HasSubstr("\"disagree\": \"1\""));
  EXPECT_THAT(json.out, HasSubstr("\"reason\": \"nodata\""));
}

TEST_F(ReplayCli, FatalInputErrorsExitTwoNamingTheFile) {
  const Result missing = run("replay '" + kScenario + "' nope.log");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("nope.log"));
  write("cut.log.gz", std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10) + "abc");
  const Result cut = run("replay '" + kScenario + "' cut.log.gz");
  EXPECT_EQ(cut.exit_code, 2);
  EXPECT_THAT(cut.err, HasSubstr("cut.log.gz"));
  EXPECT_EQ(
      run("replay '" + kScenario + "' '" + kSamples + "v2-default.log' --log-format 'srcaddr ${srcaddr}'").exit_code,
      2);
}

TEST_F(ReplayCli, BadRecordsAreCountedNotFatal) {
  write("bad.log",
        "2 1 eni-1235b8ca123456789 1.2.3.4 172.31.16.139 x 22 6 1 1 1 1 ACCEPT OK\n"
        "2 1 eni-1235b8ca123456789 1.2.3.4\n"
        "2 1 - 1.2.3.4 172.31.16.139 1 22 6 1 1 1 1 ACCEPT OK\n");
  const Result r = run("replay '" + kScenario + "' bad.log --emit-flowlog out.log");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("records read: 3 = 0 replayed + 3 skipped"));
  EXPECT_THAT(r.out, HasSubstr("bad-port: e.g. bad.log:1 (srcport 'x' dstport '22')"));
  EXPECT_THAT(r.out, HasSubstr("wrong-field-count: e.g. bad.log:2 (4 fields, the format has 14)"));
  EXPECT_THAT(r.out, HasSubstr("no-interface-id: e.g. bad.log:3 (-)"));
  // The line with too few fields is left out of the output; the others are copied.
  EXPECT_EQ(slurp(dir_ / "out.log"),
            "2 1 eni-1235b8ca123456789 1.2.3.4 172.31.16.139 x 22 6 1 1 1 1 ACCEPT OK - ACCEPT - skipped:bad-port\n"
            "2 1 - 1.2.3.4 172.31.16.139 1 22 6 1 1 1 1 ACCEPT OK - ACCEPT - skipped:no-interface-id\n");
}

// A reply logged before its request, 100 s earlier in record time: within the default reorder
// window it is replayed after its request; with a 50 s window it is replayed first, counted,
// and the output is still in input order. A fatal error found mid-stream leaves no output file.
TEST_F(ReplayCli, TheReorderWindowBoundsTheWaitAndLateRecordsAreCounted) {
  write("ooo.log",
        "2 1 eni-1235b8ca123456789 172.31.16.21 172.31.16.139 80 40000 6 1 1 1100 1160 ACCEPT OK\n"
        "2 1 eni-1235b8ca123456789 172.31.16.22 172.31.16.139 20642 22 6 1 1 1200 1260 ACCEPT OK\n"
        "2 1 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 40000 80 6 1 1 1000 1060 ACCEPT OK\n");
  const Result in_window = run("replay '" + kScenario + "' ooo.log --format json");
  EXPECT_EQ(in_window.exit_code, 0) << in_window.err;
  EXPECT_THAT(in_window.out, HasSubstr("\"out_of_order\": \"0\""));
  EXPECT_THAT(in_window.out, HasSubstr("\"agree\": \"3\""));
  const Result late = run("replay '" + kScenario + "' ooo.log --reorder-window 50 --emit-flowlog out.log");
  EXPECT_EQ(late.exit_code, 0) << late.err;
  EXPECT_THAT(late.out, HasSubstr("out of order: 1 records started more than the reorder window (50 s)"));
  EXPECT_THAT(late.out, HasSubstr("records read: 3 = 3 replayed + 0 skipped"));
  EXPECT_THAT(slurp(dir_ / "out.log"),
              HasSubstr("2 1 eni-1235b8ca123456789 172.31.16.21 172.31.16.139 80 40000 6 1 1 1100 1160 REJECT OK REJECT "
                        "ACCEPT sg-ingress"));
  EXPECT_EQ(run("replay '" + kScenario + "' ooo.log --reorder-window -5").exit_code, 2);

  write("second-header.log",
        "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action "
        "log-status\n"
        "2 1 eni-1235b8ca123456789 172.31.16.21 172.31.16.139 80 40000 6 1 1 1100 1160 ACCEPT OK\n"
        "version srcaddr\n");
  const Result fatal = run("replay '" + kScenario + "' second-header.log --emit-flowlog fatal.log");
  EXPECT_EQ(fatal.exit_code, 2);
  EXPECT_THAT(fatal.err, HasSubstr("second-header.log:3"));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "fatal.log"));
  for (const auto& e : std::filesystem::directory_iterator(dir_)) {
    EXPECT_EQ(e.path().filename().string().find("fatal.log.tmp"), std::string::npos);
  }
}

TEST_F(ReplayCli, TransitGatewayLogsAreSkippedNotFatal) {
  write("tgw.log",
        "version resource-type account-id tgw-id tgw-attachment-id srcaddr dstaddr srcport dstport protocol packets "
        "bytes start end log-status\n"
        "6 TransitGateway 123456789010 tgw-123 tgw-attach-456 10.0.0.1 10.1.0.1 41000 443 6 10 600 1 2 OK\n");
  const Result r = run("replay '" + kScenario + "' tgw.log");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("warning: the flow logs' format has no interface-id"));
  EXPECT_THAT(r.out, HasSubstr("records read: 1 = 0 replayed + 1 skipped"));
  EXPECT_THAT(r.out, HasSubstr("no-interface-id: e.g. tgw.log:2"));
}

TEST_F(ReplayCli, ReplaysAgainstAnAwsImport) {
  // Import -> replay -> emitted flow log: the web tier of the sample dump answers HTTPS from
  // the internet (open to 0.0.0.0/0 both ways: untracked, judged by the rules).
  write("aws.log",
        "2 123456789012 eni-0a1b2c3d4e5f01001 198.51.100.7 10.20.1.10 50000 443 6 5 500 100 160 ACCEPT OK\n"
        "2 123456789012 eni-0a1b2c3d4e5f01001 10.20.1.10 198.51.100.7 443 50000 6 5 500 100 160 ACCEPT OK\n");
  const Result r = run("replay --aws '" + std::string(VPCSIM_SOURCE_DIR) +
                       "/scenarios/aws/three-tier' aws.log --emit-flowlog out.log");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("agreement: 2 of 2 records agree"));
  EXPECT_EQ(
      slurp(dir_ / "out.log"),
      "2 123456789012 eni-0a1b2c3d4e5f01001 198.51.100.7 10.20.1.10 50000 443 6 5 500 100 160 ACCEPT OK ACCEPT ACCEPT "
      "sg-ingress sg-0a1b2c3d4e5f00101%20ingress%20#1:%20tcp%20443%20from%200.0.0.0/0%20(untracked)\n"
      "2 123456789012 eni-0a1b2c3d4e5f01001 10.20.1.10 198.51.100.7 443 50000 6 5 500 100 160 ACCEPT OK ACCEPT ACCEPT "
      "sg-egress sg-0a1b2c3d4e5f00101%20egress%20#1:%20all%20traffic%20to%200.0.0.0/0\n");
  EXPECT_EQ(run("replay --aws '" + std::string(VPCSIM_SOURCE_DIR) + "/scenarios/aws/three-tier'").exit_code, 2);
}

TEST_F(ReplayCli, DiffFindsBreakageAndExposureOfAChangeFile) {
  const std::string base = "diff --before '" + kScenario + "' --change '" + kSamples + "remove-ssh.textproto' '" +
                           kSamples + "v2-header.log'";
  const Result r = run(base);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("newly dropped 1 (breakage risk), newly allowed 1 (new exposure)"));
  EXPECT_THAT(
      r.out,
      HasSubstr("before: sg-ingress at web (eni-1235b8ca123456789): sg-web ingress #1: tcp 22 from 172.31.0.0/16"));
  EXPECT_THAT(r.out, HasSubstr("v2-header.log:9"));
  EXPECT_EQ(run(base + " --fail-on breakage").exit_code, 1);
  EXPECT_EQ(run(base + " --fail-on exposure").exit_code, 1);
  EXPECT_EQ(run(base + " --fail-on any").exit_code, 1);
  EXPECT_THAT(run(base + " --format json").out, HasSubstr("\"newly_allowed\": \"1\""));
}

TEST_F(ReplayCli, DiffOnlyRemovingARuleIsBreakageNotExposure) {
  write("close.textproto",
        "changes { remove_sg_rule { security_group: \"sg-web\" direction: INGRESS rule { protocol: \"icmp\" cidr: "
        "\"0.0.0.0/0\" } } }\n");
  const std::string base =
      "diff --before '" + kScenario + "' --change close.textproto '" + kSamples + "v2-default.log'";
  const Result r = run(base + " --fail-on exposure");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("newly dropped 1 (breakage risk), newly allowed 0"));
  EXPECT_EQ(run(base + " --fail-on breakage").exit_code, 1);
}

TEST_F(ReplayCli, DiffOnScenarioTrafficAndAgainstAnotherScenario) {
  const std::string lesson = std::string(VPCSIM_SOURCE_DIR) + "/scenarios/lessons/02-ssh-restricted.textproto";
  write("ch.textproto",
        "changes { remove_sg_rule { security_group: \"sg-bastion\" direction: INGRESS rule { protocol: \"tcp\" ports: "
        "\"22\" "
        "cidr: \"198.51.100.0/24\" } } }\n");
  const Result r = run("diff --before '" + lesson + "' --change ch.textproto --fail-on breakage");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("on scenario traffic"));
  EXPECT_THAT(r.out, HasSubstr("newly dropped 1"));
  const Result same = run("diff --before '" + lesson + "' --after '" + lesson + "' --fail-on any");
  EXPECT_EQ(same.exit_code, 0) << same.err;
  EXPECT_THAT(same.out, HasSubstr("newly dropped 0 (breakage risk), newly allowed 0"));
}

TEST_F(ReplayCli, DiffTakesAwsDumpsAsEitherSide) {
  // A directory is an AWS dump: imported before == the dump itself; narrowing the web tier's
  // HTTPS rule in the imported scenario breaks the request record only.
  const std::string dump = std::string(VPCSIM_SOURCE_DIR) + "/scenarios/aws/three-tier";
  write("aws.log",
        "2 123456789012 eni-0a1b2c3d4e5f01001 198.51.100.7 10.20.1.10 50000 443 6 5 500 100 160 ACCEPT OK\n"
        "2 123456789012 eni-0a1b2c3d4e5f01001 10.20.1.10 198.51.100.7 443 50000 6 5 500 100 160 ACCEPT OK\n");
  ASSERT_EQ(run("import aws '" + dump + "' -o imported.textproto").exit_code, 0);
  const Result same = run("diff --before '" + dump + "' --after imported.textproto aws.log --fail-on any");
  EXPECT_EQ(same.exit_code, 0) << same.err;
  EXPECT_THAT(same.out, HasSubstr("flows compared: 2; unchanged 2"));

  std::string text = slurp(dir_ / "imported.textproto");
  const std::string https = "ports: \"443\"\n    cidr: \"0.0.0.0/0\"\n    description: \"HTTPS from anywhere\"";
  const auto at = text.find(https);
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 13, "ports: \"8443\"");
  write("narrowed.textproto", text);
  const Result broke = run("diff --before '" + dump + "' --after narrowed.textproto aws.log --fail-on breakage");
  EXPECT_EQ(broke.exit_code, 1) << broke.err;
  EXPECT_THAT(broke.out, HasSubstr("unchanged 1, newly dropped 1"));
  EXPECT_THAT(broke.out, HasSubstr("tcp 443 from 0.0.0.0/0"));

  const Result change = run("diff --before '" + dump + "' --change narrowed.textproto aws.log");
  EXPECT_EQ(change.exit_code, 2);
  EXPECT_THAT(change.err, HasSubstr("--change applies to a scenario file"));
}

TEST_F(ReplayCli, DiffRejectsBadChangeFiles) {
  write("unknown.textproto", "changes { remove_sg_rule { security_group: \"sg-nope\" direction: INGRESS } }\n");
  const Result unknown = run("diff --before '" + kScenario + "' --change unknown.textproto");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("unknown.textproto:1"));
  write("timed.textproto", "changes { at_seconds: 5 attach_sg { interface: \"web\" security_group: \"sg-admin\" } }\n");
  EXPECT_EQ(run("diff --before '" + kScenario + "' --change timed.textproto").exit_code, 2);
  write("notonly.textproto", "name: \"x\"\n");
  EXPECT_EQ(run("diff --before '" + kScenario + "' --change notonly.textproto").exit_code, 2);
  write("absent.textproto",
        "changes { remove_sg_rule { security_group: \"sg-web\" direction: INGRESS rule { protocol: \"tcp\" ports: "
        "\"9\" cidr: \"0.0.0.0/0\" } } }\n");
  const Result absent = run("diff --before '" + kScenario + "' --change absent.textproto");
  EXPECT_EQ(absent.exit_code, 2);
  EXPECT_THAT(absent.err, HasSubstr("has no ingress rule for tcp 9"));
  EXPECT_EQ(run("diff --before '" + kScenario + "'").exit_code, 2);
}

}  // namespace
