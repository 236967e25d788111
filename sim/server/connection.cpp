#include "sim/server/connection.h"

#include <fmt/format.h>

#include <boost/asio/buffer.hpp>
#include <boost/asio/write.hpp>

namespace vpcsim::server {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {
constexpr std::size_t kReadChunk = 64 * 1024;
constexpr std::size_t kMaxFramesPerWrite = 64;
}  // namespace

Connection::Connection(asio::ip::tcp::socket socket, std::uint64_t id, const ConnectionLimits& limits,
                       RequestHandler on_request, CloseHandler on_close)
    : socket_(std::move(socket)),
      id_(id),
      limits_(limits),
      on_request_(std::move(on_request)),
      on_close_(std::move(on_close)),
      chunk_(kReadChunk),
      last_request_(Clock::now()) {
  error_code ec;
  const auto remote = socket_.remote_endpoint(ec);
  peer_ = ec ? "?" : fmt::format("{}:{}", remote.address().to_string(), remote.port());
  socket_.set_option(asio::ip::tcp::no_delay(true), ec);
}

void Connection::start() { read_more(); }

void Connection::read_more() {
  if (closed_) return;
  socket_.async_read_some(asio::buffer(chunk_),
                          [self = shared_from_this()](const error_code& ec, std::size_t n) { self->on_read(ec, n); });
}

void Connection::on_read(const error_code& ec, std::size_t n) {
  if (closed_) return;
  if (ec) {
    // The peer went away (or shut down its side after we did): nothing more to send.
    if (close_reason_.empty()) close_reason_ = ec == asio::error::eof ? "disconnected" : ec.message();
    close_now();
    return;
  }
  if (!closing_) {
    in_.insert(in_.end(), chunk_.begin(), chunk_.begin() + static_cast<std::ptrdiff_t>(n));
    parse_frames();
  }
  // While closing, what the client still sends is read and discarded, so that the kernel
  // does not answer it with a reset that could destroy the Error frame in flight.
  read_more();
}

void Connection::parse_frames() {
  std::size_t pos = 0;
  while (!closing_ && in_.size() - pos >= kFrameHeaderBytes) {
    const std::uint32_t length = frame_length(in_.data() + pos);
    if (length > limits_.max_frame_bytes) {
      close_with(FRAME_TOO_LARGE, fmt::format("a frame of {} bytes is larger than the server's limit of {} bytes",
                                              length, limits_.max_frame_bytes));
      break;
    }
    if (in_.size() - pos - kFrameHeaderBytes < length) break;
    Request request;
    if (!request.ParseFromArray(in_.data() + pos + kFrameHeaderBytes, static_cast<int>(length))) {
      close_with(MALFORMED_FRAME, fmt::format("a frame of {} bytes is not a vpcsim.server.Request", length));
      break;
    }
    pos += kFrameHeaderBytes + length;
    last_request_ = Clock::now();
    on_request_(*this, std::move(request));
  }
  if (closing_) {
    in_.clear();
  } else {
    in_.erase(in_.begin(), in_.begin() + static_cast<std::ptrdiff_t>(pos));
  }
  if (in_.empty()) {
    partial_since_.reset();
  } else if (!partial_since_ || pos > 0) {
    partial_since_ = Clock::now();
  }
}

void Connection::send(Frame frame) {
  if (closing_) return;
  if (queued_bytes_ + frame->size() > limits_.max_queue_bytes) {
    close_with(SLOW_CONSUMER, fmt::format("dropped: more than {} bytes waited to be sent (the client reads too slowly)",
                                          limits_.max_queue_bytes));
    return;
  }
  queued_bytes_ += frame->size();
  queue_.push_back(std::move(frame));
  if (in_flight_ == 0) write_next();
}

void Connection::write_next() {
  if (closed_) return;
  if (queue_.empty()) {
    in_flight_ = 0;
    if (closing_) finish_closing();
    return;
  }
  if (in_flight_ == 0) last_progress_ = Clock::now();  // the queue begins: progress counts from now
  // async_write_some rather than async_write: every byte the socket takes counts as progress,
  // so a client that reads slowly is told apart from one that has stopped.
  in_flight_ = std::min(queue_.size(), kMaxFramesPerWrite);
  std::vector<asio::const_buffer> buffers;
  buffers.reserve(in_flight_);
  buffers.emplace_back(asio::buffer(*queue_.front()) + front_written_);
  for (std::size_t i = 1; i < in_flight_; ++i) buffers.emplace_back(asio::buffer(*queue_[i]));
  socket_.async_write_some(buffers, [self = shared_from_this()](const error_code& ec, std::size_t n) {
    if (self->closed_) return;
    if (ec) {
      if (self->close_reason_.empty()) self->close_reason_ = "write failed: " + ec.message();
      self->close_now();
      return;
    }
    self->last_progress_ = Clock::now();
    n += self->front_written_;
    while (n > 0 && n >= self->queue_.front()->size()) {
      n -= self->queue_.front()->size();
      self->queued_bytes_ -= self->queue_.front()->size();
      self->queue_.pop_front();
    }
    self->front_written_ = n;
    self->write_next();
  });
}

void Connection::close_with(ErrorCode code, const std::string& message) {
  if (closing_) return;
  closing_ = true;
  close_reason_ = fmt::format("{}: {}", ErrorCode_Name(code), message);
  // Frames not yet handed to the socket are dropped; the error goes right after those that are.
  // The frames being written stay (the socket may hold parts of them, and the pending write
  // refers to them); the error follows them.
  while (queue_.size() > in_flight_) {
    queued_bytes_ -= queue_.back()->size();
    queue_.pop_back();
  }
  ServerMessage m;
  m.mutable_error()->set_code(code);
  m.mutable_error()->set_message(message);
  Frame f = make_frame(m);
  queued_bytes_ += f->size();
  queue_.push_back(std::move(f));
  if (in_flight_ == 0) write_next();
}

void Connection::finish_closing() {
  // Everything is written: end our side, and close once the peer has seen it (its EOF), or
  // after the linger time.
  error_code ec;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  if (ec) {
    close_now();
    return;
  }
  linger_until_ = Clock::now() + limits_.linger;
}

void Connection::close_now() {
  if (closed_) return;
  closed_ = true;
  closing_ = true;
  error_code ec;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  socket_.close(ec);
  queue_.clear();
  queued_bytes_ = 0;
  if (on_close_) on_close_(*this);
}

void Connection::check_timeouts(Clock::time_point now) {
  if (closed_) return;
  if (linger_until_ && now >= *linger_until_) {
    close_now();
    return;
  }
  if (stalled(now, limits_.write_timeout)) {
    close_reason_ = fmt::format("{}: the client read nothing for {} ms", ErrorCode_Name(SLOW_CONSUMER),
                                limits_.write_timeout.count());
    close_now();
    return;
  }
  if (closing_) return;
  if (partial_since_ && now - *partial_since_ > limits_.frame_timeout) {
    close_with(TIMEOUT, fmt::format("a frame began but did not complete within {} ms", limits_.frame_timeout.count()));
  } else if (!subscribed && now - last_request_ > limits_.idle_timeout) {
    close_with(TIMEOUT,
               fmt::format("no request for {} ms from a client that is not subscribed", limits_.idle_timeout.count()));
  }
}

}  // namespace vpcsim::server
