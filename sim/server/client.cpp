#include "sim/server/client.h"

#include <fmt/format.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>
#include <charconv>

namespace vpcsim::server {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {
constexpr std::size_t kReadChunk = 64 * 1024;

// Runs `io` until `done` or `timeout`; cancels what is still pending on `socket` and waits for
// its handler, so that nothing refers to the caller's stack afterwards.
void run_with_timeout(asio::io_context& io, asio::ip::tcp::socket& socket, const bool& done,
                      std::chrono::milliseconds timeout) {
  io.restart();
  io.run_for(timeout);
  if (!done) {
    error_code ec;
    socket.cancel(ec);
    io.restart();
    io.run();
  }
}
}  // namespace

Client::Client() : socket_(io_), chunk_(kReadChunk) {}

Client::~Client() {
  error_code ec;
  socket_.close(ec);
}

std::expected<void, ClientError> Client::connect(const std::string& host_port, std::chrono::milliseconds timeout) {
  const auto colon = host_port.rfind(':');
  if (colon == std::string::npos) {
    return std::unexpected(ClientError{ClientError::Kind::kConnect, "'" + host_port + "': give HOST:PORT"});
  }
  std::string host = host_port.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  unsigned port = 0;
  const std::string port_text = host_port.substr(colon + 1);
  const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc{} || end != port_text.data() + port_text.size() || port == 0 || port > 65535) {
    return std::unexpected(
        ClientError{ClientError::Kind::kConnect, "'" + host_port + "': the port must be a number from 1 to 65535"});
  }
  return connect(host, static_cast<std::uint16_t>(port), timeout);
}

std::expected<void, ClientError> Client::connect(const std::string& host, std::uint16_t port,
                                                 std::chrono::milliseconds timeout) {
  error_code ec;
  asio::ip::tcp::resolver resolver(io_);
  const auto endpoints = resolver.resolve(host, std::to_string(port), ec);
  if (ec)
    return std::unexpected(ClientError{ClientError::Kind::kConnect, "cannot resolve " + host + ": " + ec.message()});
  bool done = false;
  error_code result = asio::error::timed_out;
  asio::async_connect(socket_, endpoints, [&](const error_code& e, const asio::ip::tcp::endpoint&) {
    done = true;
    result = e;
  });
  run_with_timeout(io_, socket_, done, timeout);
  if (!done || result) {
    const std::string why = done ? result.message() : fmt::format("no answer within {} ms", timeout.count());
    return std::unexpected(
        ClientError{ClientError::Kind::kConnect, fmt::format("cannot connect to {}:{}: {}", host, port, why)});
  }
  socket_.set_option(asio::ip::tcp::no_delay(true), ec);
  connected_ = true;
  return {};
}

std::expected<std::uint64_t, ClientError> Client::send(Request request) {
  if (request.id() == 0) request.set_id(next_id_++);
  if (auto sent = send_bytes(encode_frame(request)); !sent) return std::unexpected(sent.error());
  return request.id();
}

std::expected<void, ClientError> Client::send_bytes(const std::string& bytes) {
  std::lock_guard lock(write_mutex_);
  if (!connected_) return std::unexpected(ClientError{ClientError::Kind::kClosed, "not connected"});
  error_code ec;
  asio::write(socket_, asio::buffer(bytes), ec);
  if (ec) return std::unexpected(ClientError{ClientError::Kind::kSend, "cannot send: " + ec.message()});
  return {};
}

std::optional<ServerMessage> Client::take_frame(ClientError& error) {
  const std::size_t available = in_.size() - in_pos_;
  if (available < kFrameHeaderBytes) return std::nullopt;
  const unsigned char* frame = in_.data() + in_pos_;
  const std::uint32_t length = frame_length(frame);
  if (length > kClientMaxFrameBytes) {
    error = {ClientError::Kind::kProtocol, fmt::format("the server sent a frame of {} bytes, above the client's limit "
                                                       "of {}",
                                                       length, kClientMaxFrameBytes)};
    return std::nullopt;
  }
  if (available - kFrameHeaderBytes < length) return std::nullopt;
  ServerMessage m;
  if (!m.ParseFromArray(frame + kFrameHeaderBytes, static_cast<int>(length))) {
    error = {ClientError::Kind::kProtocol, "the server sent a frame that is not a vpcsim.server.ServerMessage"};
    return std::nullopt;
  }
  // Consumed bytes are dropped in bulk, not per frame (that would move the buffer each time).
  in_pos_ += kFrameHeaderBytes + length;
  if (in_pos_ == in_.size()) {
    in_.clear();
    in_pos_ = 0;
  }
  return m;
}

std::expected<ServerMessage, ClientError> Client::receive(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    ClientError error{ClientError::Kind::kProtocol, ""};
    if (auto m = take_frame(error)) return std::move(*m);
    if (!error.message.empty()) return std::unexpected(error);
    if (!connected_) return std::unexpected(ClientError{ClientError::Kind::kClosed, "the connection is closed"});
    const auto remaining =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (remaining.count() <= 0) {
      return std::unexpected(
          ClientError{ClientError::Kind::kTimeout, fmt::format("no message within {} ms", timeout.count())});
    }
    bool done = false;
    error_code result;
    std::size_t n = 0;
    socket_.async_read_some(asio::buffer(chunk_), [&](const error_code& e, std::size_t bytes) {
      done = true;
      result = e;
      n = bytes;
    });
    run_with_timeout(io_, socket_, done, remaining);
    if (in_pos_ > 0) {
      in_.erase(in_.begin(), in_.begin() + static_cast<std::ptrdiff_t>(in_pos_));
      in_pos_ = 0;
    }
    in_.insert(in_.end(), chunk_.begin(), chunk_.begin() + static_cast<std::ptrdiff_t>(n));
    if (result == asio::error::operation_aborted && !closed_by_user_) continue;  // timed out: the loop says so
    if (result) {
      connected_ = false;
      return std::unexpected(ClientError{ClientError::Kind::kClosed, closed_by_user_ ? "closed"
                                                                     : result == asio::error::eof
                                                                         ? "the server closed the connection"
                                                                         : "connection lost: " + result.message()});
    }
  }
}

std::optional<ClientError> Client::run(const std::function<bool(const ServerMessage&)>& on_message) {
  while (true) {
    if (closed_by_user_) return ClientError{ClientError::Kind::kClosed, "closed"};
    auto m = receive(std::chrono::milliseconds(200));
    if (!m) {
      if (m.error().kind == ClientError::Kind::kTimeout) continue;
      return m.error();
    }
    if (!on_message(*m)) return std::nullopt;
  }
}

void Client::close() {
  closed_by_user_ = true;
  connected_ = false;
  error_code ec;
  // shutdown (not close) is safe while the reading thread waits: it wakes up with EOF.
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
}

Request Client::hello(const std::string& client_name, const std::string& token) {
  Request r;
  r.mutable_hello()->set_client_name(client_name);
  r.mutable_hello()->set_token(token);
  r.mutable_hello()->set_protocol_version(kProtocolVersion);
  return r;
}
Request Client::subscribe(bool packets, bool flows) {
  Request r;
  r.mutable_subscribe()->set_packets(packets);
  r.mutable_subscribe()->set_flows(flows);
  return r;
}
Request Client::load_lesson(const std::string& lesson) {
  Request r;
  r.mutable_load()->set_lesson(lesson);
  return r;
}
Request Client::load_scenario(const vpcsim::pb::Scenario& scenario) {
  Request r;
  *r.mutable_load()->mutable_scenario() = scenario;
  return r;
}
Request Client::run_request() {
  Request r;
  r.mutable_run();
  return r;
}
Request Client::pause() {
  Request r;
  r.mutable_pause();
  return r;
}
Request Client::step(std::uint32_t events) {
  Request r;
  r.mutable_step()->set_events(events);
  return r;
}
Request Client::speed(double factor) {
  Request r;
  r.mutable_set_speed()->set_factor(factor);
  return r;
}
Request Client::as_fast_as_possible() {
  Request r;
  r.mutable_set_speed()->set_as_fast_as_possible(true);
  return r;
}
Request Client::reset() {
  Request r;
  r.mutable_reset();
  return r;
}
Request Client::change(const vpcsim::pb::Change& change) {
  Request r;
  *r.mutable_change()->mutable_change() = change;
  return r;
}
Request Client::ping() {
  Request r;
  r.mutable_ping();
  return r;
}

}  // namespace vpcsim::server
