#include "sim/server/server.h"

#include <fmt/format.h>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <cmath>
#include <random>

namespace vpcsim::server {

namespace asio = boost::asio;
using boost::system::error_code;
using Clock = Pacer::Clock;

namespace {

// Tokens are compared without an early exit, so the time a wrong guess takes says nothing.
bool same_token(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

std::chrono::milliseconds housekeeping_period(const ConnectionLimits& l) {
  const auto shortest = std::min({l.frame_timeout, l.idle_timeout, l.write_timeout, l.linger});
  return std::clamp(shortest / 4, std::chrono::milliseconds(10), std::chrono::milliseconds(250));
}

}  // namespace

bool is_loopback(const std::string& address) {
  error_code ec;
  const auto a = asio::ip::make_address(address, ec);
  return !ec && a.is_loopback();
}

std::string generate_token() {
  std::random_device rd;
  std::string out;
  for (int i = 0; i < 4; ++i) out += fmt::format("{:08x}", rd());
  return out;
}

Server::Server(asio::io_context& io, ServerOptions options)
    : io_(io),
      options_(std::move(options)),
      acceptor_(io),
      tick_timer_(io),
      accept_timer_(io),
      housekeeping_timer_(io),
      sim_([this](ServerMessage&& m, Channel c) { broadcast(std::move(m), c); }) {
  if (options_.token.empty()) options_.token = generate_token();
  const asio::ip::tcp::endpoint endpoint(asio::ip::make_address(options_.address), options_.port);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::ip::tcp::acceptor::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen();
  accept();
  housekeeping();
}

Server::~Server() = default;

std::uint16_t Server::port() const {
  error_code ec;
  const auto e = acceptor_.local_endpoint(ec);
  return ec ? 0 : e.port();
}

ServerStats Server::stats() const {
  ServerStats s = stats_;
  s.clients = connections_.size();
  return s;
}

void Server::log(const std::string& line) const {
  if (options_.log != nullptr) *options_.log << line << std::endl;
}

std::expected<void, Failure> Server::load(const LoadScenario& request) {
  auto loaded = sim_.load(request);
  if (loaded) {
    set_running(false);
    broadcast_status("loaded " + (request.has_scenario() ? sim_.status().scenario() : request.lesson()));
  }
  return loaded;
}

void Server::stop_on_signals() {
  signals_ = std::make_unique<asio::signal_set>(io_, SIGINT, SIGTERM);
  signals_->async_wait([this](const error_code& ec, int signal) {
    if (!ec) stop(signal == SIGINT ? "interrupted (SIGINT)" : "terminated (SIGTERM)");
  });
}

void Server::stop(const std::string& reason) {
  if (stopping_) return;
  stopping_ = true;
  log("stopping: " + reason);
  error_code ec;
  acceptor_.close(ec);
  tick_timer_.cancel();
  accept_timer_.cancel();
  if (signals_) signals_->cancel(ec);
  running_ = false;
  // Copies: closing may remove connections from the map.
  std::vector<std::shared_ptr<Connection>> all;
  for (const auto& [id, c] : connections_) all.push_back(c);
  for (const auto& c : all) c->close_with(SHUTTING_DOWN, "the server is stopping: " + reason);
}

void Server::accept() {
  acceptor_.async_accept([this](const error_code& ec, asio::ip::tcp::socket socket) {
    if (ec) {
      if (ec == asio::error::operation_aborted || stopping_) return;
      // EMFILE and the like: retrying at once would spin; the clients' descriptors free up.
      log("accept failed: " + ec.message());
      accept_timer_.expires_after(std::chrono::milliseconds(100));
      accept_timer_.async_wait([this](const error_code& e) {
        if (!e && !stopping_) accept();
      });
      return;
    }
    const std::uint64_t id = next_id_++;
    auto c = std::make_shared<Connection>(
        std::move(socket), id, options_.limits,
        [this](Connection& conn, Request&& r) { on_request(conn, std::move(r)); },
        [this](Connection& conn) {
          log(fmt::format("client {} ({}) gone: {}", conn.id(), conn.peer(), conn.close_reason()));
          if (conn.close_reason().starts_with("SLOW_CONSUMER")) ++stats_.dropped_slow;
          // Not here: the caller may be iterating over the connections.
          asio::post(io_, [this, id = conn.id()] {
            connections_.erase(id);
            update_interest();
          });
        });
    ++stats_.accepted;
    connections_.emplace(id, c);
    c->start();
    log(fmt::format("client {} connected from {}", id, c->peer()));
    if (connections_.size() > options_.max_clients) {
      c->close_with(TOO_MANY_CLIENTS, fmt::format("the server already has {} clients", options_.max_clients));
    }
    accept();
  });
}

void Server::housekeeping() {
  const auto now = Clock::now();
  std::vector<std::shared_ptr<Connection>> all;
  for (const auto& [id, c] : connections_) all.push_back(c);
  for (const auto& c : all) c->check_timeouts(now);
  if (stopping_ && connections_.empty()) return;
  housekeeping_timer_.expires_after(housekeeping_period(options_.limits));
  housekeeping_timer_.async_wait([this](const error_code& ec) {
    if (!ec) housekeeping();
  });
}

void Server::reply(Connection& c, std::uint64_t id, ErrorCode code, const std::string& message) {
  ServerMessage m;
  m.mutable_reply()->set_request_id(id);
  m.mutable_reply()->set_code(code);
  m.mutable_reply()->set_message(message);
  c.send(m);
}

void Server::on_request(Connection& c, Request&& r) {
  switch (r.kind_case()) {
    case Request::kHello: {
      const Hello& h = r.hello();
      ServerMessage m;
      Welcome& w = *m.mutable_welcome();
      if (h.protocol_version() > kProtocolVersion) {
        reply(c, r.id(), BAD_REQUEST,
              fmt::format("protocol version {} is not supported (this server speaks {})", h.protocol_version(),
                          kProtocolVersion));
        return;
      }
      c.name = h.client_name();
      const bool control = !h.token().empty() && same_token(h.token(), options_.token);
      c.role = control ? CONTROLLER : WATCHER;
      w.set_role(c.role);
      w.set_server_version(VPCSIM_VERSION);
      w.set_protocol_version(kProtocolVersion);
      w.set_max_frame_bytes(options_.limits.max_frame_bytes);
      w.set_max_queue_bytes(options_.limits.max_queue_bytes);
      w.set_message(control             ? "the token matches"
                    : h.token().empty() ? "no control token given: watch only"
                                        : "the control token does not match: watch only");
      c.send(m);
      log(fmt::format("client {} ({}) is '{}', {}", c.id(), c.peer(), c.name, Role_Name(c.role)));
      return;
    }
    case Request::kSubscribe:
      c.subscribed = true;
      c.want_packets = r.subscribe().packets();
      c.want_flows = r.subscribe().flows();
      update_interest();
      reply(c, r.id(), OK);
      {
        ServerMessage m;
        *m.mutable_status() = current_status("subscribed");
        c.send(m);
      }
      return;
    case Request::kPing:
      reply(c, r.id(), OK);
      return;
    case Request::KIND_NOT_SET:
      reply(c, r.id(), BAD_REQUEST, "the request names no operation (a field this server does not know?)");
      return;
    default:
      break;
  }
  if (c.role != CONTROLLER) {
    reply(c, r.id(), NOT_AUTHORIZED,
          "watch only: this request changes the simulation and needs the control token (send hello with it)");
    return;
  }
  on_control(c, r);
}

void Server::on_control(Connection& c, const Request& r) {
  const std::string who = c.name.empty() ? fmt::format("client {}", c.id()) : c.name;
  auto fail = [&](const Failure& f) { reply(c, r.id(), f.code, f.message); };
  auto need_loaded = [&]() {
    if (sim_.loaded()) return true;
    reply(c, r.id(), NO_SCENARIO, "no scenario is loaded: send load first");
    return false;
  };
  switch (r.kind_case()) {
    case Request::kLoad: {
      auto loaded = sim_.load(r.load());
      if (!loaded) return fail(loaded.error());
      set_running(false);
      reply(c, r.id(), OK);
      broadcast_status(
          fmt::format("{} loaded {}", who, r.load().has_scenario() ? sim_.status().scenario() : r.load().lesson()));
      return;
    }
    case Request::kRun:
      if (!need_loaded()) return;
      if (sim_.finished()) return fail({RUN_FINISHED, "the run is over: reset or load first"});
      reply(c, r.id(), OK);
      set_running(true);
      broadcast_status(who + " started the run");
      return;
    case Request::kPause:
      if (!need_loaded()) return;
      set_running(false);
      reply(c, r.id(), OK);
      broadcast_status(who + " paused");
      return;
    case Request::kStep: {
      if (!need_loaded()) return;
      if (sim_.finished()) return fail({RUN_FINISHED, "the run is over: reset or load first"});
      set_running(false);
      const std::size_t n = sim_.step(std::max<std::uint32_t>(1, r.step().events()));
      sim_.flush_time_series();
      reply(c, r.id(), OK, fmt::format("{} events", n));
      broadcast_status(fmt::format("{} stepped {} events", who, n));
      return;
    }
    case Request::kSetSpeed: {
      const SetSpeed& s = r.set_speed();
      if (!s.as_fast_as_possible() && !(s.factor() > 0 && s.factor() <= Pacer::kMaxSpeed)) {
        return fail({BAD_REQUEST, fmt::format("set_speed.factor must be above 0 and at most {:g} (or set "
                                              "as_fast_as_possible); got {:g}",
                                              Pacer::kMaxSpeed, s.factor())});
      }
      if (!s.as_fast_as_possible()) speed_ = s.factor();
      as_fast_as_possible_ = s.as_fast_as_possible();
      if (running_) set_running(true);  // re-anchors the pacer at the simulated time reached
      reply(c, r.id(), OK);
      broadcast_status(as_fast_as_possible_ ? who + " set the speed to as fast as possible"
                                            : fmt::format("{} set the speed to {:g}x", who, speed_));
      return;
    }
    case Request::kReset: {
      auto reset = sim_.reset();
      if (!reset) return fail(reset.error());
      set_running(false);
      reply(c, r.id(), OK);
      broadcast_status(who + " reset the run");
      return;
    }
    case Request::kChange: {
      auto applied = sim_.apply_change(r.change().change());
      if (!applied) return fail(applied.error());
      reply(c, r.id(), OK);
      log(fmt::format("{} applied a rule change at {}", who, format_time(sim_.clock())));
      // The engine reports it (a StateEvent) when it happens: now, at the next step or tick.
      if (running_) schedule_tick(Clock::now());
      return;
    }
    default:
      reply(c, r.id(), BAD_REQUEST, "unknown request");
      return;
  }
}

Status Server::current_status(const std::string& reason) const {
  Status s = sim_.status();
  if (running_ && s.state() == PAUSED) s.set_state(RUNNING);
  s.set_speed(speed_);
  s.set_as_fast_as_possible(as_fast_as_possible_);
  s.set_reason(reason);
  return s;
}

void Server::broadcast_status(const std::string& reason) {
  ServerMessage m;
  *m.mutable_status() = current_status(reason);
  last_status_ = Clock::now();
  broadcast(std::move(m), Channel::kAlways);
}

void Server::broadcast(ServerMessage&& m, Channel channel) {
  m.set_seq(++seq_);
  ++stats_.frames_broadcast;
  Frame frame;  // encoded once, and only when someone receives it
  for (const auto& [id, c] : connections_) {
    if (!c->subscribed || c->closing()) continue;
    if ((channel == Channel::kPackets && !c->want_packets) || (channel == Channel::kFlows && !c->want_flows)) continue;
    if (!frame) frame = make_frame(m);
    c->send(frame);
    ++stats_.frames_sent;
  }
}

void Server::update_interest() {
  bool packets = false;
  bool flows = false;
  for (const auto& [id, c] : connections_) {
    if (!c->subscribed || c->closing()) continue;
    packets = packets || c->want_packets;
    flows = flows || c->want_flows;
  }
  sim_.set_interest(packets, flows);
}

void Server::set_running(bool running) {
  running_ = running && sim_.loaded() && !sim_.finished();
  if (!running_) {
    tick_timer_.cancel();
    tick_pending_ = false;
    return;
  }
  const auto now = Clock::now();
  pacer_.start(now, sim_.clock());
  pacer_.set_speed(speed_, now);
  schedule_tick(now);
}

void Server::schedule_tick(std::optional<Clock::time_point> at) {
  if (!running_ || stopping_) return;
  tick_timer_.expires_at(at.value_or(Clock::now()));
  tick_pending_ = true;
  tick_timer_.async_wait([this](const error_code& ec) {
    if (ec) return;  // cancelled: re-armed or paused
    tick_pending_ = false;
    tick();
  });
}

bool Server::backlogged(Clock::time_point now) const {
  for (const auto& [id, c] : connections_) {
    if (!c->subscribed || c->closing() || c->stalled(now, options_.stall_grace)) continue;
    if (c->queued_bytes() > options_.limits.max_queue_bytes / 2) return true;
  }
  return false;
}

void Server::tick() {
  if (!running_) return;
  const auto begin = Clock::now();
  // A slice: the events due, in chunks, until the budget of wall time is spent (or, as fast
  // as possible, until a subscriber has enough to read).
  constexpr std::size_t kChunk = 64;
  bool behind = false;
  bool waiting_for_readers = false;
  while (!sim_.finished()) {
    if (as_fast_as_possible_ && backlogged(Clock::now())) {
      waiting_for_readers = true;
      break;
    }
    const std::size_t n = as_fast_as_possible_ ? sim_.step(kChunk) : sim_.advance(pacer_.target(Clock::now()), kChunk);
    if (n < kChunk) break;
    if (Clock::now() - begin >= options_.slice_budget) {
      behind = true;
      break;
    }
  }
  if (as_fast_as_possible_) behind = true;
  const auto now = Clock::now();
  if (sim_.finished()) {
    running_ = false;
    broadcast_status("the run is over");
    return;
  }
  if (now - last_status_ >= options_.status_interval) {
    sim_.flush_time_series();
    broadcast_status("running");
  }
  if (waiting_for_readers) {
    schedule_tick(now + std::chrono::milliseconds(1));
    return;
  }
  if (behind) {
    // Work is left: let I/O run first (the timer goes through the reactor), then go on.
    schedule_tick(now);
    return;
  }
  // Sleep until the next event is due, waking for the next status update meanwhile.
  auto wake = now + options_.status_interval;
  if (const auto next = sim_.next_event_time()) wake = std::min(wake, pacer_.wall_time_of(*next));
  if (sim_.horizon() > SimTime{0}) wake = std::min(wake, pacer_.wall_time_of(sim_.horizon()));
  schedule_tick(std::max(wake, now));
}

}  // namespace vpcsim::server
