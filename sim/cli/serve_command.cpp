// `vpcsim serve [SCENARIO]`: the live simulation server (sim/server). Prints the address it
// listens on and the control token, logs clients to stderr, stops on SIGINT/SIGTERM.
#include <fmt/format.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/system/system_error.hpp>
#include <cmath>
#include <iostream>
#include <map>
#include <memory>

#include "sim/cli/commands.h"
#include "sim/cli/options.h"
#include "sim/cli/server_request.h"
#include "sim/server/server.h"

namespace vpcsim::cli {

namespace {

struct ServeOptions {
  std::string scenario;
  std::string listen = "127.0.0.1:7878";
  std::string token;
  bool allow_remote = false;
  std::optional<FilteringModel> mode;
  std::optional<std::string> fidelity;
  std::uint64_t seed = 0;
  double horizon = 0;
  double bucket = 0;
  std::uint32_t max_frame = server::kDefaultMaxFrameBytes;
  std::size_t max_queue = 8u << 20;
  double idle_timeout = 300;
  double frame_timeout = 10;
  double write_timeout = 10;
  std::size_t max_clients = 1000;
};

std::chrono::milliseconds millis(double seconds) { return std::chrono::milliseconds(std::llround(seconds * 1000)); }

}  // namespace

CommandRunner add_serve_command(CLI::App& app) {
  auto o = std::make_shared<ServeOptions>();
  CLI::App* cmd = app.add_subcommand("serve", "Serve one live simulation to many clients (a training room)");
  cmd->add_option(
      "scenario", o->scenario,
      "A scenario file or a bundled lesson's name (01-ssh-inbound-only ...); the default lesson when omitted");
  cmd->add_option("--listen", o->listen,
                  "Address and port to listen on (default 127.0.0.1:7878; port 0: any free port)");
  cmd->add_option("--token", o->token, "Control token (default: a random one, printed at start)");
  cmd->add_flag("--allow-remote", o->allow_remote, "Allow listening on an address other than loopback");
  static const std::map<std::string, FilteringModel> kModels{{"stateless", FilteringModel::kStateless},
                                                             {"stateful", FilteringModel::kStateful}};
  cmd->add_option("--mode", o->mode, "Filtering model, overriding the scenario's")
      ->transform(CLI::CheckedTransformer(kModels, CLI::ignore_case))
      ->option_text("stateless|stateful");
  cmd->add_option("--fidelity", o->fidelity, "packet or flow (default: the scenario's)")
      ->check(CLI::IsMember({"packet", "flow"}, CLI::ignore_case));
  cmd->add_option("--seed", o->seed, "Seed of the traffic generators (default: the scenario's)");
  cmd->add_option("--horizon", o->horizon, "Seconds of simulated time (default: the scenario's)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--bucket", o->bucket, "Time-series bucket width in seconds (default: horizon/60, else 1)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--max-frame", o->max_frame, "Largest request frame accepted, in bytes (default 4 MiB)")
      ->check(CLI::Range(1024u, 1u << 30));
  cmd->add_option("--max-queue", o->max_queue, "Outgoing bytes queued per client before it is dropped (default 8 MiB)")
      ->check(CLI::Range(std::size_t{4096}, std::size_t{1} << 32));
  cmd->add_option("--idle-timeout", o->idle_timeout,
                  "Seconds a client that is not subscribed may stay silent (default 300)")
      ->check(CLI::Range(0.01, 1e6));
  cmd->add_option("--frame-timeout", o->frame_timeout, "Seconds a begun frame may take to arrive (default 10)")
      ->check(CLI::Range(0.01, 1e6));
  cmd->add_option("--write-timeout", o->write_timeout,
                  "Seconds a client may leave waiting data unread before it is dropped (default 10)")
      ->check(CLI::Range(0.01, 1e6));
  cmd->add_option("--max-clients", o->max_clients, "Most clients at once (default 1000)")->check(CLI::Range(1, 100000));
  return [o]() {
    const auto listen = parse_host_port(o->listen, "--listen");
    if (!listen) return int{kExitBadInput};
    {
      boost::system::error_code ec;
      (void)boost::asio::ip::make_address(listen->host, ec);
      if (ec) {
        std::cerr << "error: --listen " << o->listen << ": '" << listen->host
                  << "' is not an IP address (give 127.0.0.1, ::1, 0.0.0.0 or an interface's address)\n";
        return int{kExitBadInput};
      }
    }
    if (!server::is_loopback(listen->host)) {
      if (!o->allow_remote) {
        std::cerr << "error: --listen " << o->listen << " is not a loopback address: anyone who can reach it can watch "
                  << "the simulation; add --allow-remote to mean it\n";
        return int{kExitBadInput};
      }
      std::cerr << "warning: listening on " << o->listen << ", reachable from other machines; the protocol is not "
                << "encrypted: the control token and the stream travel in clear text\n";
    }
    auto request = scenario_request(o->scenario);
    if (!request) return int{kExitBadInput};
    if (o->mode) request->set_model(*o->mode == FilteringModel::kStateful ? pb::STATEFUL : pb::STATELESS);
    if (o->fidelity) request->set_fidelity(*o->fidelity == "packet" ? pb::PACKET : pb::FLOW);
    request->set_seed(o->seed);
    request->set_horizon_seconds(o->horizon);
    request->set_bucket_seconds(o->bucket);

    server::ServerOptions options;
    options.address = listen->host;
    options.port = listen->port;
    options.token = o->token;
    options.max_clients = o->max_clients;
    options.limits.max_frame_bytes = o->max_frame;
    options.limits.max_queue_bytes = o->max_queue;
    options.limits.idle_timeout = millis(o->idle_timeout);
    options.limits.frame_timeout = millis(o->frame_timeout);
    options.limits.write_timeout = millis(o->write_timeout);
    options.log = &std::cerr;
    boost::asio::io_context io;
    std::unique_ptr<server::Server> srv;
    try {
      srv = std::make_unique<server::Server>(io, options);
    } catch (const boost::system::system_error& e) {
      std::cerr << "error: cannot listen on " << o->listen << ": " << e.code().message() << '\n';
      return int{kExitBadInput};
    } catch (const std::exception& e) {
      std::cerr << "error: cannot listen on " << o->listen << ": " << e.what() << '\n';
      return int{kExitBadInput};
    }
    if (auto loaded = srv->load(*request); !loaded) {
      std::cerr << "error: " << loaded.error().message << '\n';
      return int{kExitBadInput};
    }
    srv->stop_on_signals();
    const std::string host = listen->host.find(':') != std::string::npos ? "[" + listen->host + "]" : listen->host;
    std::cout << "vpcsim serve: listening on " << host << ':' << srv->port() << '\n'
              << "control token: " << srv->token() << '\n'
              << "scenario: " << (request->has_scenario() ? o->scenario : request->lesson()) << " (paused)"
              << std::endl;
    io.run();
    return int{kExitOk};
  };
}

}  // namespace vpcsim::cli
