// The server over real loopback sockets (ephemeral ports): roles, the shared stream, bad
// frames, slow and vanishing clients, timeouts and shutdown. Every wait has a timeout.
#include <gmock/gmock.h>
#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include <boost/asio/write.hpp>
#include <future>

#include "io/scenario_parser.h"
#include "sim/server/frame.h"
#include "sim/server/lessons.h"
#include "sim/server/live_simulation.h"
#include "tests/server/server_test_support.h"

namespace vpcsim::server::testing {
namespace {

using ::testing::HasSubstr;

// Many packet events: the scanner lesson with users visiting the web servers, 200 sessions
// per simulated second for `seconds`.
LoadScenario heavy_load(double seconds) {
  const Lesson* lesson = find_lesson("12-internet-scanner");
  auto parsed = io::parse_scenario_proto(lesson->text, "12.textproto", io::ScenarioFormat::kText);
  EXPECT_TRUE(parsed);
  vpcsim::pb::Scenario s = parsed->message;
  const bool ok = google::protobuf::TextFormat::MergeFromString(
      R"(generators { name: "users" sessions { clients { internet: true } servers { role: "web" }
                                                protocol: "tcp" ports: 443 rate_per_second: 200 } })",
      &s);
  EXPECT_TRUE(ok);
  s.set_horizon_seconds(seconds);
  LoadScenario l;
  *l.mutable_scenario() = s;
  return l;
}

// Polls `done` until it holds or kWait passes.
template <class F>
bool eventually(F done) {
  const auto deadline = std::chrono::steady_clock::now() + kWait;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

const ServerMessage* last_error(const std::vector<ServerMessage>& ms) {
  for (auto it = ms.rbegin(); it != ms.rend(); ++it) {
    if (it->has_error()) return &*it;
  }
  return nullptr;
}

TEST(ServerSocket, ControllerAndWatchersShareOneNumberedStream) {
  TestServer server;
  auto controller = connect(server.port(), kToken, true, true, true);
  std::vector<std::unique_ptr<Client>> watchers;
  for (int i = 0; i < 3; ++i) watchers.push_back(connect(server.port(), "", true, true, true));
  ASSERT_TRUE(controller);
  LoadScenario load;
  load.set_lesson("10-rule-removed-during-session");
  Request r;
  *r.mutable_load() = load;
  std::vector<ServerMessage> c_msgs;
  ASSERT_EQ(call(*controller, r, &c_msgs).code(), OK);
  ASSERT_EQ(call(*controller, Client::as_fast_as_possible(), &c_msgs).code(), OK);
  ASSERT_EQ(call(*controller, Client::run_request(), &c_msgs).code(), OK);
  auto rest = receive_until_result(*controller);
  c_msgs.insert(c_msgs.end(), rest.begin(), rest.end());
  const auto expected = events_of(c_msgs);
  ASSERT_GT(expected.size(), 10u);
  for (auto& w : watchers) {
    ASSERT_TRUE(w);
    const auto got = receive_until_result(*w);
    EXPECT_EQ(events_of(got), expected);
    // Broadcast numbers only grow, and are the same for everyone (same subscriptions).
    std::uint64_t last = 0;
    for (const auto& m : got) {
      if (m.seq() == 0) continue;
      EXPECT_GT(m.seq(), last);
      last = m.seq();
    }
  }
  EXPECT_EQ(c_msgs.back().result().result().scenario(), "rule-removed-during-session");
  // ... and it is what a local run of the same scenario and seed produces.
  std::vector<ServerMessage> local;
  LiveSimulation reference([&](ServerMessage&& m, Channel) { local.push_back(std::move(m)); });
  reference.set_interest(true, true);
  ASSERT_TRUE(reference.load(load));
  while (!reference.finished()) reference.step(1000);
  EXPECT_EQ(events_of(local), expected);
}

TEST(ServerSocket, WatchersCannotControl) {
  TestServer server;
  for (const std::string& token : std::vector<std::string>{"", "wrong-token", kToken + "x"}) {
    auto w = std::make_unique<Client>();
    ASSERT_TRUE(w->connect("127.0.0.1", server.port(), kWait));
    ASSERT_TRUE(w->send(Client::hello("w", token)));
    auto welcome = w->receive(kWait);
    ASSERT_TRUE(welcome && welcome->has_welcome());
    EXPECT_EQ(welcome->welcome().role(), WATCHER);
    for (Request r : {Client::run_request(), Client::pause(), Client::step(1), Client::speed(2), Client::reset(),
                      Client::load_lesson("03-public-web"), Client::change(vpcsim::pb::Change{})}) {
      const Reply reply = call(*w, r);
      EXPECT_EQ(reply.code(), NOT_AUTHORIZED) << r.ShortDebugString();
      EXPECT_THAT(reply.message(), HasSubstr("token"));
    }
    // Watching is allowed.
    EXPECT_EQ(call(*w, Client::subscribe(false, false)).code(), OK);
    auto status = w->receive(kWait);
    ASSERT_TRUE(status && status->has_status());
    EXPECT_EQ(status->status().state(), PAUSED);
    EXPECT_EQ(status->status().events_processed(), 0u);
  }
  auto c = connect(server.port(), kToken, false);
  ASSERT_TRUE(c);
  EXPECT_EQ(call(*c, Client::step(1)).code(), OK);
}

TEST(ServerSocket, ControlErrorsAreRepliesNotDisconnects) {
  TestServer server;
  auto c = connect(server.port(), kToken, false);
  ASSERT_TRUE(c);
  EXPECT_EQ(call(*c, Client::load_lesson("nope")).code(), UNKNOWN_LESSON);
  EXPECT_EQ(call(*c, Client::speed(0)).code(), BAD_REQUEST);
  EXPECT_EQ(call(*c, Client::speed(-3)).code(), BAD_REQUEST);
  EXPECT_EQ(call(*c, Request{}).code(), BAD_REQUEST);
  Request future_hello = Client::hello("x", kToken);
  future_hello.mutable_hello()->set_protocol_version(99);
  EXPECT_EQ(call(*c, future_hello).code(), BAD_REQUEST);
  vpcsim::pb::Change bad;
  bad.mutable_detach_sg()->set_interface("eni-nope");
  bad.mutable_detach_sg()->set_security_group("sg-ssh-in");
  const Reply r = call(*c, Client::change(bad));
  EXPECT_EQ(r.code(), INVALID_CHANGE);
  EXPECT_THAT(r.message(), HasSubstr("eni-nope"));
  EXPECT_EQ(call(*c, Client::ping()).code(), OK);
}

TEST(ServerSocket, RuleChangeIsBroadcast) {
  TestServer server;
  auto c = connect(server.port(), kToken, true);
  ASSERT_TRUE(c);
  vpcsim::pb::Change change;
  auto* add = change.mutable_add_sg_rule();
  add->set_security_group("sg-ssh-in");
  add->set_direction(vpcsim::pb::EGRESS);
  add->mutable_rule()->set_protocol("tcp");
  add->mutable_rule()->set_ports("1024-65535");
  add->mutable_rule()->set_cidr("198.51.100.10/32");
  ASSERT_EQ(call(*c, Client::change(change)).code(), OK);
  ASSERT_EQ(call(*c, Client::as_fast_as_possible()).code(), OK);
  ASSERT_EQ(call(*c, Client::run_request()).code(), OK);
  const auto msgs = receive_until_result(*c);
  bool change_seen = false;
  for (const auto& m : msgs) change_seen = change_seen || (m.has_state() && m.state().kind() == RULE_CHANGE);
  EXPECT_TRUE(change_seen);
  ASSERT_TRUE(msgs.back().has_result());
  EXPECT_EQ(msgs.back().result().result().summary().flows_worked(), 3u);
  EXPECT_EQ(call(*c, Client::run_request()).code(), RUN_FINISHED);
  EXPECT_EQ(call(*c, Client::reset()).code(), OK);
  EXPECT_EQ(call(*c, Client::step(1)).code(), OK);
}

TEST(ServerSocket, StepAndPauseHoldTheClock) {
  TestServer server;
  auto c = connect(server.port(), kToken, true, true, false);
  ASSERT_TRUE(c);
  std::vector<ServerMessage> msgs;
  ASSERT_EQ(call(*c, Client::step(1), &msgs).code(), OK);
  // One event: the first flow starts (no packet yet), then its SYN, ...
  ASSERT_EQ(call(*c, Client::step(3), &msgs).code(), OK);
  int packets = 0;
  for (const auto& m : msgs) packets += m.has_packet() ? 1 : 0;
  EXPECT_GE(packets, 1);
  auto status = c->receive(kWait);
  ASSERT_TRUE(status && status->has_status());
  EXPECT_EQ(status->status().state(), PAUSED);
  EXPECT_EQ(status->status().events_processed(), 4u);
  // Paused: nothing more happens.
  auto quiet = c->receive(300ms);
  ASSERT_FALSE(quiet);
  EXPECT_EQ(quiet.error().kind, ClientError::Kind::kTimeout);
}

TEST(ServerSocket, PacedRunFollowsTheClock) {
  TestServer server;
  auto c = connect(server.port(), kToken, true);
  ASSERT_TRUE(c);
  // The lesson's traffic ends at 1 simulated second: at 10x that takes at least 100 ms of wall
  // time (a lower bound only: a busy machine may take longer).
  ASSERT_EQ(call(*c, Client::speed(10)).code(), OK);
  const auto begin = std::chrono::steady_clock::now();
  ASSERT_EQ(call(*c, Client::run_request()).code(), OK);
  const auto msgs = receive_until_result(*c);
  const auto elapsed = std::chrono::steady_clock::now() - begin;
  EXPECT_GE(elapsed, 90ms);
  std::int64_t last = -1;
  int running = 0;
  for (const auto& m : msgs) {
    if (!m.has_status()) continue;
    EXPECT_GE(m.status().sim_time_ns(), last);  // the clock never goes back
    last = m.status().sim_time_ns();
    running += m.status().state() == RUNNING ? 1 : 0;
  }
  EXPECT_GE(running, 1);
  ASSERT_FALSE(msgs.empty());
  EXPECT_TRUE(msgs.back().has_result());
}

TEST(ServerSocket, OversizedFrameIsRefusedAndDisconnected) {
  TestServer server;
  auto c = connect(server.port(), "", false);
  ASSERT_TRUE(c);
  const auto h = frame_header(kDefaultMaxFrameBytes + 1);
  ASSERT_TRUE(c->send_bytes(std::string(h.begin(), h.end()) + std::string(1000, 'x')));
  const auto msgs = receive_until_closed(*c);
  const ServerMessage* e = last_error(msgs);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->error().code(), FRAME_TOO_LARGE);
  EXPECT_THAT(e->error().message(), HasSubstr(std::to_string(kDefaultMaxFrameBytes)));
  // The server goes on serving.
  auto other = connect(server.port(), kToken, false);
  ASSERT_TRUE(other);
  EXPECT_EQ(call(*other, Client::ping()).code(), OK);
}

TEST(ServerSocket, GarbageFrameIsRefusedAndDisconnected) {
  TestServer server;
  auto c = connect(server.port(), "", false);
  ASSERT_TRUE(c);
  const std::string garbage = "\xff\xff\xff\xff\xff\xff\xff\xff\x01\x02";
  const auto h = frame_header(static_cast<std::uint32_t>(garbage.size()));
  ASSERT_TRUE(c->send_bytes(std::string(h.begin(), h.end()) + garbage));
  const auto msgs = receive_until_closed(*c);
  const ServerMessage* e = last_error(msgs);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->error().code(), MALFORMED_FRAME);
  EXPECT_TRUE(eventually([&] { return server.stats().clients == 0; }));
}

TEST(ServerSocket, TruncatedFrameTimesOut) {
  TestServer server;
  auto c = connect(server.port(), "", false);
  ASSERT_TRUE(c);
  const auto h = frame_header(100);
  ASSERT_TRUE(c->send_bytes(std::string(h.begin(), h.end()) + std::string(10, '\0')));
  const auto msgs = receive_until_closed(*c);
  const ServerMessage* e = last_error(msgs);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->error().code(), TIMEOUT);
  EXPECT_THAT(e->error().message(), HasSubstr("did not complete"));
}

TEST(ServerSocket, TruncatedHeaderThenDisconnect) {
  TestServer server;
  {
    auto c = connect(server.port(), "", false);
    ASSERT_TRUE(c);
    ASSERT_TRUE(c->send_bytes(std::string("\0\0", 2)));
  }  // gone mid-header
  auto other = connect(server.port(), kToken, false);
  ASSERT_TRUE(other);
  EXPECT_EQ(call(*other, Client::ping()).code(), OK);
}

TEST(ServerSocket, SilentClientTimesOut) {
  ServerOptions o = test_options();
  o.limits.idle_timeout = 200ms;
  TestServer server(o);
  Client c;
  ASSERT_TRUE(c.connect("127.0.0.1", server.port(), kWait));
  const auto msgs = receive_until_closed(c);
  const ServerMessage* e = last_error(msgs);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->error().code(), TIMEOUT);
  // A subscriber may stay silent.
  auto w = connect(server.port(), "", true);
  ASSERT_TRUE(w);
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(call(*w, Client::ping()).code(), OK);
}

TEST(ServerSocket, ClientThatNeverReadsIsDroppedOthersFinish) {
  ServerOptions o = test_options();
  o.limits.max_queue_bytes = 256 * 1024;
  TestServer server(o);
  // A raw socket with a small receive buffer that subscribes to everything and never reads.
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket sleeper(io);
  sleeper.open(boost::asio::ip::tcp::v4());
  sleeper.set_option(boost::asio::socket_base::receive_buffer_size(4096));
  sleeper.connect({boost::asio::ip::make_address("127.0.0.1"), server.port()});
  const std::string hello = encode_frame(Client::hello("sleeper")) + encode_frame(Client::subscribe(true, true));
  boost::asio::write(sleeper, boost::asio::buffer(hello));

  auto reader = connect(server.port(), "", true, true, false);
  auto c = connect(server.port(), kToken, false);
  ASSERT_TRUE(reader && c);
  ASSERT_TRUE(eventually([&] { return server.stats().clients == 3; }));
  Request load;
  *load.mutable_load() = heavy_load(20);  // about 5 MB of packet events
  ASSERT_EQ(call(*c, load).code(), OK);
  ASSERT_EQ(call(*c, Client::as_fast_as_possible()).code(), OK);
  ASSERT_EQ(call(*c, Client::run_request()).code(), OK);
  const auto msgs = receive_until_result(*reader, 30s);
  ASSERT_FALSE(msgs.empty());
  EXPECT_TRUE(msgs.back().has_result());
  // The sleeper was dropped (its queue overflowed, or its writes stalled); the others stay.
  EXPECT_TRUE(eventually([&] { return server.stats().dropped_slow == 1; }));
  EXPECT_TRUE(eventually([&] { return server.stats().clients == 2; }));
  EXPECT_EQ(call(*reader, Client::ping()).code(), OK);
}

TEST(ServerSocket, AbruptDisconnectsMidStream) {
  TestServer server;
  // Subscribed (to status only) so that the idle timeout spares it during a long run.
  auto c = connect(server.port(), kToken, true);
  std::vector<std::unique_ptr<Client>> leavers;
  for (int i = 0; i < 5; ++i) leavers.push_back(connect(server.port(), "", true, true, true));
  auto stayer = connect(server.port(), "", true, true, true);
  ASSERT_TRUE(c && stayer);
  Request load;
  *load.mutable_load() = heavy_load(30);
  ASSERT_EQ(call(*c, load).code(), OK);
  // What a local run of the same scenario streams.
  std::vector<ServerMessage> local;
  LiveSimulation reference([&](ServerMessage&& m, Channel) { local.push_back(std::move(m)); });
  reference.set_interest(true, true);
  ASSERT_TRUE(reference.load(load.load()));
  while (!reference.finished()) reference.step(1000);
  // The stayer reads all along, on its own thread.
  auto stayed = std::async(std::launch::async, [&] { return receive_until_result(*stayer, 30s); });
  ASSERT_EQ(call(*c, Client::as_fast_as_possible()).code(), OK);
  ASSERT_EQ(call(*c, Client::run_request()).code(), OK);
  for (std::size_t i = 0; i < leavers.size(); ++i) {
    ASSERT_TRUE(leavers[i]);
    for (std::size_t n = 0; n < 10 * i; ++n) (void)leavers[i]->receive(kWait);
    leavers[i].reset();  // gone without a word, unread data in its socket
  }
  ASSERT_EQ(stayed.wait_for(40s), std::future_status::ready);
  EXPECT_EQ(events_of(stayed.get()), events_of(local));
  EXPECT_TRUE(eventually([&] { return server.stats().clients == 2; })) << server.stats().clients << " clients";
}

// How the GUI uses the client: a worker thread in run(), requests sent from another thread,
// close() from another thread to end it.
TEST(ServerSocket, ClientOnAWorkerThread) {
  TestServer server;
  Client c;
  ASSERT_TRUE(c.connect("127.0.0.1:" + std::to_string(server.port()), kWait));
  std::vector<ServerMessage> got;
  auto worker = std::async(std::launch::async, [&] {
    return c.run([&](const ServerMessage& m) {
      got.push_back(m);
      return !m.has_result();
    });
  });
  for (Request r : {Client::hello("gui", kToken), Client::subscribe(false, true), Client::as_fast_as_possible(),
                    Client::run_request()}) {
    ASSERT_TRUE(c.send(r));
  }
  ASSERT_EQ(worker.wait_for(kWait), std::future_status::ready);
  EXPECT_FALSE(worker.get());  // ended by the callback
  ASSERT_FALSE(got.empty());
  EXPECT_TRUE(got.front().has_welcome());
  EXPECT_TRUE(got.back().has_result());

  auto blocked = std::async(std::launch::async, [&] { return c.run([](const ServerMessage&) { return true; }); });
  std::this_thread::sleep_for(100ms);
  c.close();
  ASSERT_EQ(blocked.wait_for(kWait), std::future_status::ready);
  const auto why = blocked.get();
  ASSERT_TRUE(why);
  EXPECT_EQ(why->kind, ClientError::Kind::kClosed);
  EXPECT_FALSE(c.send(Client::ping()));
}

TEST(ServerSocket, TooManyClients) {
  ServerOptions o = test_options();
  o.max_clients = 2;
  TestServer server(o);
  auto a = connect(server.port(), "", true);
  auto b = connect(server.port(), "", true);
  ASSERT_TRUE(a && b);
  Client third;
  ASSERT_TRUE(third.connect("127.0.0.1", server.port(), kWait));
  const auto msgs = receive_until_closed(third);
  const ServerMessage* e = last_error(msgs);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->error().code(), TOO_MANY_CLIENTS);
}

TEST(ServerSocket, ShutdownTellsEveryClient) {
  auto server = std::make_unique<TestServer>();
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < 4; ++i) clients.push_back(connect(server->port(), i == 0 ? kToken : "", true));
  ASSERT_EQ(call(*clients[0], Client::run_request()).code(), OK);
  ASSERT_TRUE(server->stop());
  for (auto& c : clients) {
    const auto msgs = receive_until_closed(*c);
    const ServerMessage* e = last_error(msgs);
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->error().code(), SHUTTING_DOWN);
  }
  Client late;
  EXPECT_FALSE(late.connect("127.0.0.1", server->port(), 1s));
}

}  // namespace
}  // namespace vpcsim::server::testing
