#include "sim/expectations.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace vpcsim {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

HopResult hop(Hop h, Outcome o) {
  HopResult r;
  r.hop = h;
  r.outcome = o;
  return r;
}

Exchange delivered_both_ways() {
  Exchange x;
  x.request.hops = {hop(Hop::kSgEgress, Outcome::kAllowed), hop(Hop::kSgIngress, Outcome::kAllowed)};
  x.reply = PathTrace{{}, {hop(Hop::kSgEgress, Outcome::kAllowed), hop(Hop::kSgIngress, Outcome::kAllowed)}};
  return x;
}

Exchange reply_dropped_at(Hop h) {
  Exchange x = delivered_both_ways();
  x.reply->hops = {hop(Hop::kSgEgress, Outcome::kAllowed), hop(h, Outcome::kDropped)};
  return x;
}

Exchange request_dropped_at(Hop h) {
  Exchange x;
  x.request.hops = {hop(h, Outcome::kDropped)};
  return x;
}

TEST(Expectations, VerdictsNameEachDirection) {
  EXPECT_EQ(request_verdict(delivered_both_ways()), ExpectedVerdict::kAllowed);
  EXPECT_EQ(reply_verdict(delivered_both_ways()), ExpectedVerdict::kAllowed);
  EXPECT_EQ(reply_verdict(reply_dropped_at(Hop::kNaclEgress)), ExpectedVerdict::kDropped);
  EXPECT_EQ(request_verdict(request_dropped_at(Hop::kSgIngress)), ExpectedVerdict::kDropped);
  EXPECT_EQ(reply_verdict(request_dropped_at(Hop::kSgIngress)), ExpectedVerdict::kNotSent);
}

TEST(Expectations, MatchingExpectationHasNoFailures) {
  Expectation e;
  e.request = ExpectedVerdict::kAllowed;
  e.reply = ExpectedVerdict::kDropped;
  e.reply_dropped_at = Hop::kNaclIngress;
  EXPECT_THAT(check_expectation(e, reply_dropped_at(Hop::kNaclIngress)), IsEmpty());
}

TEST(Expectations, WrongVerdictIsReportedWithWhatHappened) {
  Expectation e;
  e.request = ExpectedVerdict::kAllowed;
  e.reply = ExpectedVerdict::kAllowed;
  EXPECT_THAT(check_expectation(e, reply_dropped_at(Hop::kSgIngress)),
              ElementsAre("reply: expected allowed, got dropped at sg-ingress"));
}

TEST(Expectations, WrongDropHopIsAFailureEvenWhenTheVerdictHolds) {
  Expectation e;
  e.request = ExpectedVerdict::kDropped;
  e.request_dropped_at = Hop::kNaclIngress;
  EXPECT_THAT(check_expectation(e, request_dropped_at(Hop::kSgIngress)),
              ElementsAre("request: expected dropped at nacl-ingress, got dropped at sg-ingress"));
}

TEST(Expectations, DropHopAloneImpliesDropped) {
  Expectation e;
  e.reply_dropped_at = Hop::kSgEgress;
  EXPECT_THAT(check_expectation(e, reply_dropped_at(Hop::kSgEgress)), IsEmpty());
  EXPECT_THAT(check_expectation(e, delivered_both_ways()), ElementsAre("reply: expected dropped at sg-egress, got allowed"));
}

TEST(Expectations, ReplyNotSentWhenTheRequestWasDropped) {
  Expectation e;
  e.reply = ExpectedVerdict::kNotSent;
  EXPECT_THAT(check_expectation(e, request_dropped_at(Hop::kSgEgress)), IsEmpty());
  EXPECT_THAT(check_expectation(e, delivered_both_ways()), ElementsAre("reply: expected not-sent, got allowed"));
}

TEST(Expectations, ModeRestrictedExpectationAppliesOnlyUnderItsModel) {
  Expectation any;
  Expectation stateful;
  stateful.model = FilteringModel::kStateful;
  EXPECT_TRUE(applies(any, FilteringModel::kStateless));
  EXPECT_TRUE(applies(any, FilteringModel::kStateful));
  EXPECT_FALSE(applies(stateful, FilteringModel::kStateless));
  EXPECT_TRUE(applies(stateful, FilteringModel::kStateful));
}

}  // namespace
}  // namespace vpcsim
