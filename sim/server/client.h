// The client side of the server protocol, for `vpcsim client`, the tests and the GUI's
// "Connect to server…". Blocking calls with timeouts, meant for one worker thread that reads
// (receive or run) while any thread may send or close:
//
//   Client c;
//   if (auto ok = c.connect("127.0.0.1", 7878, 5s); !ok) ...;
//   c.send(Client::hello("gui", token));
//   c.send(Client::subscribe(/*packets=*/true, /*flows=*/true));
//   c.run([&](const ServerMessage& m) { emit received(m); return true; });  // worker thread
//   c.close();  // any thread: run() returns
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdint>
#include <expected>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "proto/server.pb.h"
#include "sim/server/frame.h"

namespace vpcsim::server {

struct ClientError {
  enum class Kind { kConnect, kTimeout, kClosed, kProtocol, kSend };
  Kind kind = Kind::kClosed;
  std::string message;
};

class Client {
 public:
  Client();
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Resolves `host` and connects within `timeout`.
  std::expected<void, ClientError> connect(const std::string& host, std::uint16_t port,
                                           std::chrono::milliseconds timeout);
  // "host:port" (IPv6: "[::1]:7878").
  std::expected<void, ClientError> connect(const std::string& host_port, std::chrono::milliseconds timeout);

  // Sends one request; gives it the next id when its id is 0, and returns the id. Safe to call
  // from any thread, also while another thread is in receive() or run().
  std::expected<std::uint64_t, ClientError> send(Request request);
  // Sends raw bytes (tests of malformed input).
  std::expected<void, ClientError> send_bytes(const std::string& bytes);

  // The next message, waiting at most `timeout`. One reading thread at a time.
  std::expected<ServerMessage, ClientError> receive(std::chrono::milliseconds timeout);
  // Calls `on_message` for each message until it returns false (returns nullopt then), the
  // connection closes or close() is called (returns why).
  std::optional<ClientError> run(const std::function<bool(const ServerMessage&)>& on_message);
  // Ends the connection; safe from any thread, wakes up receive() and run().
  void close();
  bool connected() const { return connected_; }

  // Requests, ready to send.
  static Request hello(const std::string& client_name, const std::string& token = {});
  static Request subscribe(bool packets, bool flows);
  static Request load_lesson(const std::string& lesson);
  static Request load_scenario(const vpcsim::pb::Scenario& scenario);
  static Request run_request();
  static Request pause();
  static Request step(std::uint32_t events);
  static Request speed(double factor);
  static Request as_fast_as_possible();
  static Request reset();
  static Request change(const vpcsim::pb::Change& change);
  static Request ping();

 private:
  std::optional<ServerMessage> take_frame(ClientError& error);

  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
  std::mutex write_mutex_;
  std::atomic<bool> connected_{false};
  std::atomic<bool> closed_by_user_{false};
  std::atomic<std::uint64_t> next_id_{1};
  std::vector<unsigned char> in_;  // received bytes; those before in_pos_ are consumed
  std::size_t in_pos_ = 0;
  std::vector<unsigned char> chunk_;
};

}  // namespace vpcsim::server
