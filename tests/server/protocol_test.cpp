// Framing, pacing and the small helpers of the server, without sockets.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "sim/server/frame.h"
#include "sim/server/message_text.h"
#include "sim/server/pacer.h"
#include "sim/server/server.h"

namespace vpcsim::server {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

TEST(Frame, HeaderIsBigEndianLength) {
  const auto h = frame_header(0x01020304);
  EXPECT_EQ(h[0], 1);
  EXPECT_EQ(h[1], 2);
  EXPECT_EQ(h[2], 3);
  EXPECT_EQ(h[3], 4);
  EXPECT_EQ(frame_length(h.data()), 0x01020304u);
  const auto max = frame_header(0xffffffffu);
  EXPECT_EQ(frame_length(max.data()), 0xffffffffu);
}

TEST(Frame, EncodedFrameHoldsOneMessage) {
  Request r;
  r.set_id(7);
  r.mutable_load()->set_lesson("03-public-web");
  const std::string f = encode_frame(r);
  ASSERT_EQ(f.size(), kFrameHeaderBytes + r.ByteSizeLong());
  EXPECT_EQ(frame_length(reinterpret_cast<const unsigned char*>(f.data())), r.ByteSizeLong());
  Request back;
  ASSERT_TRUE(back.ParseFromArray(f.data() + kFrameHeaderBytes, static_cast<int>(f.size() - kFrameHeaderBytes)));
  EXPECT_EQ(back.id(), 7u);
  EXPECT_EQ(back.load().lesson(), "03-public-web");
  // An empty message is a frame of length 0.
  EXPECT_EQ(encode_frame(Request{}), std::string(4, '\0'));
}

TEST(Pacer, AdvancesAtTheSpeedFactor) {
  Pacer p;
  const Pacer::Clock::time_point t0{};
  p.start(t0, seconds(10));
  p.set_speed(2.0, t0);
  EXPECT_EQ(p.target(t0), seconds(10));
  EXPECT_EQ(p.target(t0 + 1s), seconds(12));
  EXPECT_EQ(p.target(t0 - 1s), seconds(10));  // never before the start
  // Changing the speed keeps the time reached.
  p.set_speed(0.5, t0 + 1s);
  EXPECT_EQ(p.target(t0 + 1s), seconds(12));
  EXPECT_EQ(p.target(t0 + 3s), seconds(13));
  EXPECT_EQ(p.wall_time_of(seconds(13)), t0 + 3s);
  EXPECT_EQ(p.wall_time_of(seconds(1)), t0 + 1s);  // already due
}

TEST(Pacer, HugeFactorsNeitherOverflowNorStall) {
  Pacer p;
  const Pacer::Clock::time_point t0{};
  p.start(t0, SimTime{0});
  p.set_speed(Pacer::kMaxSpeed, t0);
  EXPECT_GT(p.target(t0 + 1h), SimTime{0});
  EXPECT_LE(p.target(t0 + 24h * 365 * 100).count(), std::numeric_limits<std::int64_t>::max());
  p.set_speed(1e-3, t0);
  EXPECT_LE(p.wall_time_of(seconds(1'000'000)), t0 + 2h);  // wakes up at least hourly
  EXPECT_THROW(p.set_speed(0, t0), std::invalid_argument);
  EXPECT_THROW(p.set_speed(-1, t0), std::invalid_argument);
  EXPECT_THROW(p.set_speed(std::numeric_limits<double>::quiet_NaN(), t0), std::invalid_argument);
}

TEST(Server, LoopbackAddresses) {
  EXPECT_TRUE(is_loopback("127.0.0.1"));
  EXPECT_TRUE(is_loopback("127.8.9.10"));
  EXPECT_TRUE(is_loopback("::1"));
  EXPECT_FALSE(is_loopback("0.0.0.0"));
  EXPECT_FALSE(is_loopback("::"));
  EXPECT_FALSE(is_loopback("192.168.1.5"));
  EXPECT_FALSE(is_loopback("localhost"));  // names are not resolved: give an address
}

TEST(Server, TokensAreRandomHex) {
  std::set<std::string> seen;
  for (int i = 0; i < 20; ++i) {
    const std::string t = generate_token();
    EXPECT_EQ(t.size(), 32u);
    EXPECT_EQ(t.find_first_not_of("0123456789abcdef"), std::string::npos);
    seen.insert(t);
  }
  EXPECT_EQ(seen.size(), 20u);
}

TEST(MessageText, OneLinePerMessage) {
  ServerMessage m;
  m.set_seq(4);
  auto* p = m.mutable_packet();
  p->set_time_ns(1'000'000);
  p->set_flow_id(3);
  p->set_flow_name("ssh");
  p->set_label("SYN");
  p->mutable_result()->set_packet("tcp 1.2.3.4:50000 -> 10.0.0.1:22");
  p->mutable_result()->set_verdict(vpcsim::pb::DROPPED);
  p->mutable_result()->set_dropped_at(vpcsim::pb::SG_INGRESS);
  const std::string text = to_text(m);
  EXPECT_THAT(text, HasSubstr("#4 packet"));
  EXPECT_THAT(text, HasSubstr("DROPPED at sg-ingress"));
  EXPECT_EQ(text.find('\n'), std::string::npos);
  const std::string json = to_json_line(m);
  EXPECT_THAT(json, HasSubstr("\"flow_name\":\"ssh\""));
  EXPECT_EQ(json.find('\n'), std::string::npos);
  ServerMessage r;
  r.mutable_reply()->set_request_id(9);
  r.mutable_reply()->set_code(NOT_AUTHORIZED);
  EXPECT_THAT(to_text(r), HasSubstr("reply 9 NOT_AUTHORIZED"));
}

}  // namespace
}  // namespace vpcsim::server
