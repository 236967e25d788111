// An in-process server on an ephemeral loopback port, run by its own thread, and clients
// that talk to it. Every wait has a timeout, so a broken server fails a test, never hangs it.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "sim/server/client.h"
#include "sim/server/server.h"

namespace vpcsim::server::testing {

using namespace std::chrono_literals;
inline constexpr auto kWait = 10s;  // the longest any single wait may take
inline const std::string kToken = "test-token";

// Limits small enough for tests to reach them quickly.
ServerOptions test_options();

class TestServer {
 public:
  explicit TestServer(ServerOptions options = test_options(), const std::string& lesson = "01-ssh-inbound-only");
  ~TestServer();

  std::uint16_t port() const { return port_; }
  // Runs `f` on the server's thread and returns its result.
  template <class F>
  auto call(F f) -> decltype(f(std::declval<Server&>())) {
    using R = decltype(f(std::declval<Server&>()));
    auto task = std::make_shared<std::packaged_task<R()>>([this, f] { return f(*server_); });
    auto result = task->get_future();
    boost::asio::post(io_, [task] { (*task)(); });
    if (result.wait_for(kWait) != std::future_status::ready)
      throw std::runtime_error("the server thread did not answer");
    return result.get();
  }
  ServerStats stats() {
    return call([](Server& s) { return s.stats(); });
  }
  // Stops the server and waits for its thread; true when it ended in time.
  bool stop();

 private:
  boost::asio::io_context io_;
  std::unique_ptr<Server> server_;
  std::uint16_t port_ = 0;
  std::thread thread_;
  std::future<void> done_;
  bool stopped_ = false;
};

// Connects, says hello (with `token` when given) and, when `subscribe`, subscribes; consumes
// the welcome, the reply and the first status. Fails the test (ADD_FAILURE) and returns null
// when anything goes wrong.
std::unique_ptr<Client> connect(std::uint16_t port, const std::string& token, bool subscribe, bool packets = false,
                                bool flows = false);

// Sends `r` and returns its Reply, skipping (and collecting into `others`, when given) the
// messages that arrive before it.
Reply call(Client& c, Request r, std::vector<ServerMessage>* others = nullptr);

// Receives until a RunResult arrives (included), the connection closes, or `timeout`.
std::vector<ServerMessage> receive_until_result(Client& c, std::chrono::milliseconds timeout = kWait);
// Receives until the connection closes (or `timeout`).
std::vector<ServerMessage> receive_until_closed(Client& c, std::chrono::milliseconds timeout = kWait);

// The events of a stream (packet, state, flow, result) without their sequence numbers (and
// the result without its generation).
std::vector<std::string> events_of(const std::vector<ServerMessage>& messages);

}  // namespace vpcsim::server::testing
