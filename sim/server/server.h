// The live simulation server: one LiveSimulation, many clients over TCP (Boost.Asio, one
// thread). The controller (a client that gave the control token) loads, runs, pauses, steps,
// changes the speed, resets and applies rule changes; every subscriber receives the same
// numbered stream. Simulation work is done in short slices between I/O so that a long run
// never keeps the server from reading requests or writing to clients.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <ostream>
#include <string>

#include "sim/server/connection.h"
#include "sim/server/live_simulation.h"
#include "sim/server/pacer.h"

namespace vpcsim::server {

struct ServerOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 7878;  // 0: an ephemeral port (tests)
  std::string token;          // empty: generated from std::random_device
  ConnectionLimits limits;
  std::size_t max_clients = 1000;
  // Wall time one simulation slice may take before the server attends to I/O again.
  std::chrono::microseconds slice_budget{5'000};
  // How often subscribers get a Status and time-series buckets while running.
  std::chrono::milliseconds status_interval{250};
  // As fast as possible means as fast as the subscribers read: a slice stops while a
  // subscriber has more than half its queue waiting, unless its socket has taken no byte for
  // longer than this (it has stopped reading, and is not waited for: it is dropped when its
  // queue overflows or the write timeout passes).
  std::chrono::milliseconds stall_grace{500};
  std::ostream* log = nullptr;  // connection and control events, one line each
};

// Loopback addresses (127.0.0.0/8, ::1) need no --allow-remote.
bool is_loopback(const std::string& address);
// 32 hex digits from std::random_device.
std::string generate_token();

struct ServerStats {
  std::size_t clients = 0;
  std::uint64_t accepted = 0;
  std::uint64_t dropped_slow = 0;      // SLOW_CONSUMER
  std::uint64_t frames_broadcast = 0;  // broadcast messages produced (seq)
  std::uint64_t frames_sent = 0;       // queued to clients
};

class Server {
 public:
  // Binds and listens; throws boost::system::system_error when it cannot (address in use).
  Server(boost::asio::io_context& io, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  std::uint16_t port() const;
  const std::string& token() const { return options_.token; }

  // Loads the scenario the server starts with (as a controller's LoadScenario would).
  std::expected<void, Failure> load(const LoadScenario& request);
  // Stops on SIGINT or SIGTERM.
  void stop_on_signals();
  // Tells every client (SHUTTING_DOWN), closes the listener and every connection; io.run()
  // returns once they are gone (at most the linger time later).
  void stop(const std::string& reason);

  ServerStats stats() const;

 private:
  void accept();
  void on_request(Connection& c, Request&& r);
  void on_control(Connection& c, const Request& r);
  void reply(Connection& c, std::uint64_t id, ErrorCode code, const std::string& message = {});
  void broadcast(ServerMessage&& m, Channel channel);
  void broadcast_status(const std::string& reason);
  Status current_status(const std::string& reason) const;
  void update_interest();
  void set_running(bool running);
  void schedule_tick(std::optional<Pacer::Clock::time_point> at);
  void tick();
  // A subscriber that still reads has more than half its queue waiting.
  bool backlogged(Pacer::Clock::time_point now) const;
  void housekeeping();
  void log(const std::string& line) const;

  boost::asio::io_context& io_;
  ServerOptions options_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer tick_timer_;
  boost::asio::steady_timer accept_timer_;  // a pause after a failed accept (out of descriptors)
  boost::asio::steady_timer housekeeping_timer_;
  std::unique_ptr<boost::asio::signal_set> signals_;
  std::map<std::uint64_t, std::shared_ptr<Connection>> connections_;  // by id: deterministic order
  std::uint64_t next_id_ = 1;
  std::uint64_t seq_ = 0;
  LiveSimulation sim_;
  Pacer pacer_;
  double speed_ = 1.0;
  bool as_fast_as_possible_ = false;
  bool running_ = false;
  bool tick_pending_ = false;
  bool stopping_ = false;
  Pacer::Clock::time_point last_status_{};
  ServerStats stats_;
};

}  // namespace vpcsim::server
