// One client of the server: reads length-prefixed Request frames (rejecting oversized and
// malformed ones), and writes ServerMessage frames through a bounded queue. A client that
// reads too slowly is dropped rather than allowed to grow the server's memory or hold up
// the others. Closing sends an Error frame first when the socket still takes it.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "proto/server.pb.h"
#include "sim/server/frame.h"

namespace vpcsim::server {

struct ConnectionLimits {
  std::uint32_t max_frame_bytes = kDefaultMaxFrameBytes;
  std::size_t max_queue_bytes = 8u << 20;
  std::chrono::milliseconds frame_timeout{10'000};  // the rest of a frame, once it has begun
  std::chrono::milliseconds idle_timeout{300'000};  // no request from a client that is not subscribed
  std::chrono::milliseconds write_timeout{10'000};  // data waits and the socket takes no byte
  std::chrono::milliseconds linger{1'000};          // after the last frame, before the socket closes
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  using Clock = std::chrono::steady_clock;
  using RequestHandler = std::function<void(Connection&, Request&&)>;
  using CloseHandler = std::function<void(Connection&)>;

  Connection(boost::asio::ip::tcp::socket socket, std::uint64_t id, const ConnectionLimits& limits,
             RequestHandler on_request, CloseHandler on_close);

  void start();
  // Queues a frame. When it does not fit the queue the client is dropped (SLOW_CONSUMER).
  void send(Frame frame);
  void send(const ServerMessage& m) { send(make_frame(m)); }
  // Sends Error{code, message} after the frames already being written, then closes.
  void close_with(ErrorCode code, const std::string& message);
  // Closes the socket at once.
  void close_now();
  // Applies the frame, idle, write and linger timeouts.
  void check_timeouts(Clock::time_point now);

  std::uint64_t id() const { return id_; }
  const std::string& peer() const { return peer_; }
  bool closing() const { return closing_; }
  bool closed() const { return closed_; }
  std::size_t queued_bytes() const { return queued_bytes_; }
  // Frames have been waiting and the socket has taken no byte of them for longer than
  // `grace`: the client is not reading.
  bool stalled(Clock::time_point now, std::chrono::milliseconds grace) const {
    return in_flight_ > 0 && now - last_progress_ > grace;
  }
  const std::string& close_reason() const { return close_reason_; }

  // What the server knows of the client.
  std::string name;
  Role role = WATCHER;
  bool subscribed = false;
  bool want_packets = false;
  bool want_flows = false;

 private:
  void read_more();
  void on_read(const boost::system::error_code& ec, std::size_t n);
  void parse_frames();
  void write_next();
  void finish_closing();

  boost::asio::ip::tcp::socket socket_;
  std::uint64_t id_;
  ConnectionLimits limits_;
  RequestHandler on_request_;
  CloseHandler on_close_;
  std::string peer_;

  std::vector<unsigned char> chunk_;
  std::vector<unsigned char> in_;  // bytes of frames not complete yet
  std::optional<Clock::time_point> partial_since_;
  Clock::time_point last_request_;

  std::deque<Frame> queue_;
  std::size_t queued_bytes_ = 0;
  std::size_t in_flight_ = 0;        // frames at the front of queue_ being written
  std::size_t front_written_ = 0;    // bytes of queue_.front() already written
  Clock::time_point last_progress_;  // when the socket last took bytes (or the queue began)
  std::optional<Clock::time_point> linger_until_;

  std::string close_reason_;
  bool closing_ = false;  // no more frames accepted; closes once the queue has drained
  bool closed_ = false;
};

}  // namespace vpcsim::server
