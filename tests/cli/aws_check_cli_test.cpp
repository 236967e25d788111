// End-to-end tests of `vpcsim import aws`, `--aws DIR` in the other commands, and
// `vpcsim check` with its JUnit report: outputs, files and exit codes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/cli/cli_test_support.h"
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

using Result = vpcsim::test::CliResult;
using vpcsim::test::slurp;

const std::string kSample = "'" + (fs::path(VPCSIM_SOURCE_DIR) / "scenarios/aws/three-tier").string() + "'";

class AwsCli : public vpcsim::test::CliTest {};

TEST_F(AwsCli, ImportWritesAScenarioThatValidatesAndReportsWarnings) {
  const Result r = run("import aws " + kSample + " -o imported.textproto");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("warning: "));
  EXPECT_THAT(r.err, HasSubstr("sg-0fedcba9876543210"));
  EXPECT_THAT(r.err, HasSubstr("into imported.textproto: 3 subnets"));
  const std::string text = slurp(dir_ / "imported.textproto");
  EXPECT_THAT(text, HasSubstr("model: STATEFUL"));
  EXPECT_THAT(text, HasSubstr("# warning: "));
  const Result v = run("validate imported.textproto");
  EXPECT_EQ(v.exit_code, 0) << v.err;
  EXPECT_THAT(v.out, HasSubstr("4 instances, 4 interfaces"));
}

TEST_F(AwsCli, ImportToStdoutIsDeterministic) {
  const Result a = run("import aws " + kSample);
  const Result b = run("import aws " + kSample);
  EXPECT_EQ(a.exit_code, 0);
  EXPECT_EQ(a.out, b.out);
  EXPECT_THAT(a.out, HasSubstr("name: \"shop-prod\""));
}

TEST_F(AwsCli, ImportTakesOneMergedFile) {
  const std::string file = "'" + (fs::path(VPCSIM_SOURCE_DIR) / "scenarios/aws/public-db-ipv6/ec2.json").string() + "'";
  const Result r = run("import aws " + file + " -o one.textproto");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("pl-63a5400a"));
  EXPECT_THAT(slurp(dir_ / "one.textproto"), HasSubstr("ipv6_cidr_blocks: \"2600:1f18:1234:5600::/56\""));
}

TEST_F(AwsCli, ImportWritesJsonForAJsonFileName) {
  const Result r = run("import aws " + kSample + " -o imported.json");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(slurp(dir_ / "imported.json"), HasSubstr("\"model\": \"STATEFUL\""));
  EXPECT_EQ(run("validate imported.json").exit_code, 0);
  EXPECT_EQ(run("import aws " + kSample + " -o imported.txt").exit_code, 2);
}

TEST_F(AwsCli, VpcChoosesAmongSeveralVpcsOfAnAwsDump) {
  write("two/describe-vpcs.json", R"({"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"},
                                              {"VpcId": "vpc-2", "CidrBlock": "10.1.0.0/16"}]})");
  const Result both = run("validate --aws two");
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_THAT(both.err, HasSubstr("choose one with --vpc"));
  EXPECT_EQ(run("validate --aws two --vpc vpc-2").exit_code, 0);
  EXPECT_EQ(run("import aws two --vpc vpc-1").exit_code, 0);
  EXPECT_EQ(run("validate --vpc vpc-2").exit_code, 2);
}

TEST_F(AwsCli, BadDumpExitsTwoNamingFileAndPath) {
  write("dump/describe-vpcs.json", R"({"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}]})");
  write("dump/describe-security-groups.json",
        R"({"SecurityGroups": [{"GroupId": "sg-1", "VpcId": "vpc-1", "IpPermissions": [{"IpProtocol": "tcpp"}]}]})");
  const Result r = run("import aws dump -o out.textproto");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("dump/describe-security-groups.json: SecurityGroups[0].IpPermissions[0].IpProtocol: "
                               "unknown protocol \"tcpp\""));
  EXPECT_FALSE(fs::exists(dir_ / "out.textproto"));
  write("broken/describe-vpcs.json", "{\"Vpcs\": [\n");
  const Result b = run("validate --aws broken");
  EXPECT_EQ(b.exit_code, 2);
  EXPECT_THAT(b.err, HasSubstr("broken/describe-vpcs.json:"));
  EXPECT_EQ(run("import aws nowhere").exit_code, 2);
}

// An interface with IPv6 addresses only in a dual-stack subnet: not something AWS reports, so
// the import stops (exit 2) at the interface's PrivateIpAddresses; the same interface written
// by hand in a scenario is rejected at its file and line.
TEST_F(AwsCli, AnIpv6OnlyInterfaceInADualStackSubnetExitsTwo) {
  write("dump/describe-vpcs.json", R"({"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16",
   "Ipv6CidrBlockAssociationSet": [{"Ipv6CidrBlock": "2600:1f18:1:2300::/56", "Ipv6CidrBlockState": {"State": "associated"}}]}]})");
  write("dump/describe-subnets.json", R"({"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24",
   "Ipv6CidrBlockAssociationSet": [{"Ipv6CidrBlock": "2600:1f18:1:2301::/64", "Ipv6CidrBlockState": {"State": "associated"}}]}]})");
  write("dump/describe-network-interfaces.json", R"({"NetworkInterfaces": [
  {"NetworkInterfaceId": "eni-1", "SubnetId": "subnet-1", "VpcId": "vpc-1", "PrivateIpAddresses": [],
   "Ipv6Addresses": [{"Ipv6Address": "2600:1f18:1:2301::9"}], "Groups": []}]})");
  const Result r = run("import aws dump -o out.textproto");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("dump/describe-network-interfaces.json: NetworkInterfaces[0].PrivateIpAddresses: the "
                               "interface has IPv6 addresses but no private IPv4 address, and its subnet subnet-1"));
  EXPECT_FALSE(fs::exists(dir_ / "out.textproto"));
  write("v6.textproto", R"pb(vpc { id: "vpc-1" cidr_blocks: "10.0.0.0/16" ipv6_cidr_blocks: "2600:1f18:1:2300::/56" }
subnets { id: "ds" cidr: "10.0.1.0/24" ipv6_cidr: "2600:1f18:1:2301::/64" }
instances {
  name: "api"
  interfaces { id: "eni-1" subnet: "ds" ipv6_addresses: "2600:1f18:1:2301::9" }
}
)pb");
  const Result v = run("validate v6.textproto");
  EXPECT_EQ(v.exit_code, 2);
  EXPECT_THAT(v.err, HasSubstr("v6.textproto:5:"));
  EXPECT_THAT(v.err, HasSubstr("instances[0].interfaces[0].private_ips: the interface has no private IPv4 address, "
                               "but subnet ds has an IPv4 block (10.0.1.0/24)"));
}

TEST_F(AwsCli, EveryCommandTakesAwsInPlaceOfAScenario) {
  const Result e = run("explain --aws " + kSample + " --from internet --to web-1 --port 443");
  EXPECT_EQ(e.exit_code, 0) << e.err;
  EXPECT_THAT(e.out, HasSubstr("result: the connection works both ways"));
  EXPECT_THAT(e.err, HasSubstr("warning: "));
  const Result d = run("explain --aws " + kSample + " --from internet --to db-1 --port 3306");
  EXPECT_THAT(d.out, HasSubstr("DROPPED"));
  const Result a = run("explain --aws " + kSample + " --from app-1 --to db-1 --port 3306");
  EXPECT_THAT(a.out, HasSubstr("result: the connection works both ways"));
  EXPECT_EQ(run("validate --aws " + kSample).exit_code, 0);
  EXPECT_EQ(run("run --aws " + kSample).exit_code, 0);
  EXPECT_EQ(run("compare-modes --aws " + kSample).exit_code, 0);
}

TEST_F(AwsCli, ScenarioAndAwsTogetherIsAUsageError) {
  write("s.textproto", "name: \"x\"\nvpc { id: \"v\" cidr_blocks: \"10.0.0.0/16\" }\n");
  const Result r = run("validate s.textproto --aws " + kSample);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("not both"));
  EXPECT_EQ(run("explain --from a --to b").exit_code, 2);
}

constexpr const char* kChecked = R"(
name: "checked"
model: STATEFUL
vpc { id: "vpc-1" cidr_blocks: "10.0.0.0/16" internet_gateway: true }
subnets { id: "pub" cidr: "10.0.1.0/24" internet_route: true }
security_groups { id: "sg-web" defaults: AWS_NEW_GROUP ingress { protocol: "tcp" ports: "443" cidr: "0.0.0.0/0" } }
instances { name: "web" interfaces { id: "eni-web" subnet: "pub" private_ips: "10.0.1.10" public_ip: "192.0.2.10" security_groups: "sg-web" } }
internet_hosts { name: "user" address: "203.0.113.9" }
flows { name: "https" from: "user" to: "web" protocol: "tcp" port: 443 expect { request: ALLOWED reply: ALLOWED } }
flows { name: "ssh <&\"admin\">" from: "user" to: "web" protocol: "tcp" port: 22 expect { request: ALLOWED } }
flows { name: "stateful-only" from: "user" to: "web" protocol: "tcp" port: 443 expect { model: STATEFUL request: ALLOWED } }
)";

TEST_F(AwsCli, CheckExitsOneOnAFailedExpectationAndWritesJunit) {
  write("checked.textproto", kChecked);
  const Result r = run("check checked.textproto --junit report/junit.xml");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("ok    https flows[0].expect[0] (stateless, stateful)"));
  EXPECT_THAT(r.out, HasSubstr("FAIL  ssh <&\"admin\"> flows[1].expect[0]"));
  EXPECT_THAT(r.out, HasSubstr("expectations: 3 checked, 1 failed"));
  const std::string xml = slurp(dir_ / "report/junit.xml");
  EXPECT_THAT(xml, HasSubstr("<testsuite name=\"checked\" tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"0\">"));
  EXPECT_THAT(xml, HasSubstr("<testcase classname=\"checked.https\" name=\"flows[0].expect[0]\"/>"));
  EXPECT_THAT(
      xml,
      HasSubstr("<testcase classname=\"checked.ssh &lt;&amp;&quot;admin&quot;&gt;\" name=\"flows[1].expect[0]\">"));
  // The failure names the observed verdict, the hop and the rule.
  EXPECT_THAT(xml, HasSubstr("<failure message=\"stateless: request: expected allowed, got dropped at sg-ingress"));
  EXPECT_THAT(xml, HasSubstr("DROPPED at sg-ingress of web (eni-web): no inbound rule of sg-web allows tcp port 22"));
  EXPECT_THAT(xml, Not(HasSubstr("<&")));
  // Written to a temporary name and renamed: nothing else is left in the directory.
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_ / "report"), fs::directory_iterator()), 1);
}

TEST_F(AwsCli, CheckWithModeSkipsExpectationsOfTheOtherModel) {
  write("checked.textproto", kChecked);
  const Result r = run("check checked.textproto --mode stateless --junit junit.xml");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(slurp(dir_ / "junit.xml"), HasSubstr("<skipped message=\"applies to no model that was run\"/>"));
}

TEST_F(AwsCli, CheckPassesALessonAndRefusesInputWithoutExpectations) {
  const std::string lesson =
      "'" + (fs::path(VPCSIM_SOURCE_DIR) / "scenarios/lessons/05-db-from-app-only.textproto").string() + "'";
  const Result ok = run("check " + lesson);
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_THAT(ok.out, HasSubstr(" 0 failed"));
  const Result none = run("check --aws " + kSample);
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_THAT(none.err, HasSubstr("no expectations"));
  EXPECT_EQ(run("check missing.textproto").exit_code, 2);
}

}  // namespace
