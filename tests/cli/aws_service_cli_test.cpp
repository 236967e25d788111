// End to end through the CLI: traffic security groups and network ACLs never filter
// (model/aws_service.h; VPC User Guide, "Security in Amazon VPC"). Lesson 13's worker has no
// rules at all and a deny-all ACL, yet reaches the metadata service and the VPC's DNS server in
// both models, and the explanation says why; flow-log replay skips such records by name.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/cli/cli_test_support.h"

namespace {

using ::testing::HasSubstr;
using ::testing::Not;

using Result = vpcsim::test::CliResult;

const std::string kLesson =
    "'" + std::string(VPCSIM_SOURCE_DIR) + "/scenarios/lessons/13-aws-services-never-filtered.textproto'";

class AwsServiceCli : public vpcsim::test::CliTest {};

TEST_F(AwsServiceCli, MetadataAndDnsAreReachableWithoutRulesInBothModels) {
  for (const std::string mode : {"stateless", "stateful"}) {
    SCOPED_TRACE(mode);
    Result r = run("explain " + kLesson + " --from worker --to imds --proto tcp --port 80 --mode " + mode);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.out, HasSubstr("-> imds (instance metadata service, 169.254.169.254), tcp/80 under the " + mode));
    EXPECT_THAT(r.out, HasSubstr("sg-egress    worker (eni-worker)                skipped  not filtered: instance "
                                 "metadata service at 169.254.169.254 (AWS never filters it: security groups do not "
                                 "filter traffic to or from it)"));
    EXPECT_THAT(r.out, HasSubstr("nacl-ingress acl-deny-all of private            skipped  not filtered: instance "
                                 "metadata service at 169.254.169.254 (AWS never filters it: network ACLs"));
    EXPECT_THAT(r.out, HasSubstr("result: the connection works both ways"));
    EXPECT_THAT(r.out, Not(HasSubstr("allowed by")));

    r = run("explain " + kLesson + " --from worker --to amazon-dns --proto udp --port 53 --mode " + mode);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.out, HasSubstr("not filtered: Amazon DNS (Route 53 Resolver) at 10.0.0.2"));
    EXPECT_THAT(r.out, HasSubstr("result: the connection works both ways"));

    r = run("explain " + kLesson + " --from worker --to link-local-peer --proto tcp --port 80 --mode " + mode);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.out, HasSubstr("no outbound rule of sg-locked allows tcp port 80 to 169.254.169.252"));
  }
}

TEST_F(AwsServiceCli, TheLessonsExpectationsHoldAndNoServicePacketIsDropped) {
  for (const std::string mode : {"stateless", "stateful"}) {
    const Result r = run("run " + kLesson + " --mode " + mode);
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;  // exit 1 would mean a failed expectation
    EXPECT_THAT(r.out, HasSubstr("4 flows: 3 worked both ways, 1 requests dropped, 0 replies dropped"));
    EXPECT_THAT(r.out, HasSubstr("dropped packets by hop: sg-egress 10\n"));
  }
}

TEST_F(AwsServiceCli, ReachShowsTheServicesWorkingAndKeepsThemOutOfInternet) {
  Result r = run("reach " + kLesson + " --proto tcp --port 80 --from vpc --to all");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out,
              HasSubstr("worker (eni-worker) -> imds (instance metadata service, 169.254.169.254)        works"));
  r = run("reach " + kLesson + " --proto tcp --port 80 --from vpc --to internet");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("1 clients x 1 servers"));
  EXPECT_THAT(r.out, Not(HasSubstr("imds")));
}

TEST_F(AwsServiceCli, ReplaySkipsRecordsOfMetadataTrafficByName) {
  write("imds.log",
        "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action "
        "log-status\n"
        "2 123456789010 eni-worker 10.0.1.10 169.254.169.254 50000 80 6 4 336 1432917027 1432917042 REJECT OK\n"
        "2 123456789010 eni-worker 10.0.1.10 169.254.169.252 50001 80 6 4 336 1432917027 1432917042 ACCEPT OK\n");
  const Result r = run("replay " + kLesson + " imds.log --emit-flowlog out.log");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("records read: 2 = 1 replayed + 1 skipped"));
  EXPECT_THAT(r.out, HasSubstr("aws-service: e.g. imds.log:2 (eni-worker: 169.254.169.254 is the instance metadata "
                               "service)"));
  // The one disagreement is the ordinary link-local record, judged and rejected at the group.
  EXPECT_THAT(r.out, HasSubstr("agreement: 0 of 1 records agree (0.0%), 1 disagree"));
  EXPECT_THAT(
      vpcsim::test::slurp(dir_ / "out.log"),
      HasSubstr("169.254.169.254 50000 80 6 4 336 1432917027 1432917042 REJECT OK - REJECT - skipped:aws-service\n"));
}

}  // namespace
