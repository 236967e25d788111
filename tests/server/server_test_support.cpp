#include "tests/server/server_test_support.h"

#include <gtest/gtest.h>

#include <boost/asio/post.hpp>

namespace vpcsim::server::testing {

ServerOptions test_options() {
  ServerOptions o;
  o.port = 0;
  o.token = kToken;
  o.limits.frame_timeout = 300ms;
  o.limits.idle_timeout = 5s;
  o.limits.write_timeout = 1s;
  o.limits.linger = 200ms;
  return o;
}

TestServer::TestServer(ServerOptions options, const std::string& lesson) {
  server_ = std::make_unique<Server>(io_, std::move(options));
  port_ = server_->port();
  LoadScenario load;
  load.set_lesson(lesson);
  if (auto loaded = server_->load(load); !loaded) throw std::runtime_error(loaded.error().message);
  std::packaged_task<void()> run([this] { io_.run(); });
  done_ = run.get_future();
  thread_ = std::thread(std::move(run));
}

bool TestServer::stop() {
  if (stopped_) return true;
  stopped_ = true;
  boost::asio::post(io_, [this] { server_->stop("test over"); });
  if (done_.wait_for(kWait) != std::future_status::ready) {
    io_.stop();  // a failure, reported by the caller; do not hang
    thread_.join();
    return false;
  }
  thread_.join();
  return true;
}

TestServer::~TestServer() { EXPECT_TRUE(stop()) << "the server did not stop within " << kWait.count() << " s"; }

std::unique_ptr<Client> connect(std::uint16_t port, const std::string& token, bool subscribe, bool packets,
                                bool flows) {
  auto c = std::make_unique<Client>();
  if (auto ok = c->connect("127.0.0.1", port, kWait); !ok) {
    ADD_FAILURE() << ok.error().message;
    return nullptr;
  }
  if (!c->send(Client::hello("test", token))) return nullptr;
  auto welcome = c->receive(kWait);
  if (!welcome || !welcome->has_welcome()) {
    ADD_FAILURE() << "no welcome";
    return nullptr;
  }
  if (!subscribe) return c;
  if (Reply r = call(*c, Client::subscribe(packets, flows)); r.code() != OK) {
    ADD_FAILURE() << "subscribe: " << r.message();
    return nullptr;
  }
  auto status = c->receive(kWait);
  if (!status || !status->has_status()) {
    ADD_FAILURE() << "no status after subscribe";
    return nullptr;
  }
  return c;
}

Reply call(Client& c, Request r, std::vector<ServerMessage>* others) {
  const auto id = c.send(std::move(r));
  if (!id) {
    ADD_FAILURE() << id.error().message;
    return {};
  }
  const auto deadline = std::chrono::steady_clock::now() + kWait;
  while (std::chrono::steady_clock::now() < deadline) {
    auto m = c.receive(kWait);
    if (!m) {
      ADD_FAILURE() << "waiting for the reply to " << *id << ": " << m.error().message;
      return {};
    }
    if (m->has_reply() && m->reply().request_id() == *id) return m->reply();
    if (others != nullptr) others->push_back(std::move(*m));
  }
  ADD_FAILURE() << "no reply to " << *id;
  return {};
}

std::vector<ServerMessage> receive_until_result(Client& c, std::chrono::milliseconds timeout) {
  std::vector<ServerMessage> out;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      ADD_FAILURE() << "no result within " << timeout.count() << " ms (" << out.size() << " messages)";
      return out;
    }
    auto m = c.receive(left);
    if (!m) {
      ADD_FAILURE() << "no result: " << m.error().message << " (" << out.size() << " messages)";
      return out;
    }
    out.push_back(std::move(*m));
    if (out.back().has_result()) return out;
  }
}

std::vector<ServerMessage> receive_until_closed(Client& c, std::chrono::milliseconds timeout) {
  std::vector<ServerMessage> out;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      ADD_FAILURE() << "the connection did not close within " << timeout.count() << " ms";
      return out;
    }
    auto m = c.receive(left);
    if (!m) {
      if (m.error().kind == ClientError::Kind::kTimeout) continue;
      return out;
    }
    out.push_back(std::move(*m));
  }
}

std::vector<std::string> events_of(const std::vector<ServerMessage>& messages) {
  std::vector<std::string> out;
  for (ServerMessage m : messages) {
    if (!(m.has_packet() || m.has_state() || m.has_flow() || m.has_result())) continue;
    m.set_seq(0);
    if (m.has_result()) m.mutable_result()->set_generation(0);
    out.push_back(m.ShortDebugString());
  }
  return out;
}

}  // namespace vpcsim::server::testing
