// `vpcsim client COMMAND...`: sends commands to a running `vpcsim serve` and prints the
// replies and, with --watch, the stream, one line per message (text or JSON). For scripts
// and tests. Exit codes: 0 ok, 2 bad usage, 3 the server refused a request, 4 the connection
// failed, was lost or went silent.
#include <fmt/format.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>
#include <google/protobuf/util/json_util.h>

#include <charconv>
#include <cmath>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "sim/cli/commands.h"
#include "sim/cli/options.h"
#include "sim/cli/server_request.h"
#include "sim/server/client.h"
#include "sim/server/message_text.h"

namespace vpcsim::cli {

namespace {

constexpr int kExitRefused = 3;
constexpr int kExitConnection = 4;

struct ClientOptions {
  std::string connect = "127.0.0.1:7878";
  std::string token;
  std::string format = "text";
  bool watch = false;
  bool packets = false;
  bool flows = false;
  double timeout = 10;
  std::vector<std::string> words;
};

std::optional<pb::Change> read_change(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "error: " << path << ": cannot open the change file\n";
    return std::nullopt;
  }
  std::stringstream content;
  content << in.rdbuf();
  pb::Change change;
  if (path.ends_with(".json")) {
    const auto status = google::protobuf::util::JsonStringToMessage(content.str(), &change);
    if (!status.ok()) {
      std::cerr << "error: " << path << ": not a vpcsim.pb.Change in JSON: " << status.message() << '\n';
      return std::nullopt;
    }
    return change;
  }
  struct Collector : google::protobuf::io::ErrorCollector {
    std::string path;
    void AddError(int line, int column, const std::string& message) override {
      std::cerr << "error: " << path << ':' << line + 1 << ':' << column + 1 << ": " << message << '\n';
    }
  } errors;
  errors.path = path;
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(content.str(), &change)) return std::nullopt;
  return change;
}

// The commands as requests, or nullopt after printing what is wrong.
std::optional<std::vector<server::Request>> parse_commands(const std::vector<std::string>& w) {
  using server::Client;
  std::vector<server::Request> out;
  for (std::size_t i = 0; i < w.size(); ++i) {
    const std::string& c = w[i];
    const bool has_arg = i + 1 < w.size();
    auto need_arg = [&](const char* what) {
      if (has_arg) return true;
      std::cerr << "error: " << c << " needs " << what << '\n';
      return false;
    };
    if (c == "load") {
      if (!need_arg("a bundled lesson's name or a scenario file")) return std::nullopt;
      auto load = scenario_request(w[++i]);
      if (!load) return std::nullopt;
      server::Request r;
      *r.mutable_load() = std::move(*load);
      out.push_back(std::move(r));
    } else if (c == "run") {
      out.push_back(Client::run_request());
    } else if (c == "pause") {
      out.push_back(Client::pause());
    } else if (c == "reset") {
      out.push_back(Client::reset());
    } else if (c == "ping") {
      out.push_back(Client::ping());
    } else if (c == "step") {
      std::uint32_t n = 1;
      if (has_arg && !w[i + 1].empty() && std::isdigit(static_cast<unsigned char>(w[i + 1][0]))) {
        const std::string& a = w[++i];
        const auto [end, ec] = std::from_chars(a.data(), a.data() + a.size(), n);
        if (ec != std::errc{} || end != a.data() + a.size() || n == 0) {
          std::cerr << "error: step " << a << ": give a number of events from 1 to 4294967295\n";
          return std::nullopt;
        }
      }
      out.push_back(Client::step(n));
    } else if (c == "speed") {
      if (!need_arg("a factor (simulated seconds per second) or max")) return std::nullopt;
      const std::string& a = w[++i];
      if (a == "max") {
        out.push_back(Client::as_fast_as_possible());
        continue;
      }
      double f = 0;
      const auto [end, ec] = std::from_chars(a.data(), a.data() + a.size(), f);
      if (ec != std::errc{} || end != a.data() + a.size() || !(f > 0)) {
        std::cerr << "error: speed " << a << ": give a factor above 0 (2 = twice real time) or max\n";
        return std::nullopt;
      }
      out.push_back(Client::speed(f));
    } else if (c == "change") {
      if (!need_arg("a file with one vpcsim.pb.Change (text format, or .json)")) return std::nullopt;
      auto change = read_change(w[++i]);
      if (!change) return std::nullopt;
      out.push_back(Client::change(*change));
    } else {
      std::cerr << "error: unknown command '" << c << "' (load, run, pause, step, speed, reset, change, ping)\n";
      return std::nullopt;
    }
  }
  return out;
}

}  // namespace

CommandRunner add_client_command(CLI::App& app) {
  auto o = std::make_shared<ClientOptions>();
  CLI::App* cmd = app.add_subcommand("client", "Send commands to a vpcsim server and print its stream");
  cmd->add_option("command", o->words,
                  "load LESSON|FILE, run, pause, step [N], speed FACTOR|max, reset, change FILE, ping (in order)");
  cmd->add_option("--connect", o->connect, "Server address (default 127.0.0.1:7878)");
  cmd->add_option("--token", o->token, "Control token (without it the client can only watch)");
  cmd->add_option("--format", o->format, "Output: text (one line per message) or json (one object per line)")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_flag("--watch", o->watch, "Subscribe before the commands, and print the stream until the run's result");
  cmd->add_flag("--packets", o->packets, "With --watch: every packet's verdict too");
  cmd->add_flag("--flows", o->flows, "With --watch: every finished flow too");
  cmd->add_option("--timeout", o->timeout,
                  "Seconds to wait for the connection, a reply or the next message (default 10)")
      ->check(CLI::Range(0.01, 1e6));
  return [o]() {
    const auto requests = parse_commands(o->words);
    if (!requests) return int{kExitBadInput};
    const auto timeout = std::chrono::milliseconds(std::llround(o->timeout * 1000));
    auto print = [&](const server::ServerMessage& m) {
      std::cout << (o->format == "json" ? server::to_json_line(m) : server::to_text(m)) << std::endl;
    };
    server::Client client;
    if (auto connected = client.connect(o->connect, timeout); !connected) {
      std::cerr << "error: " << connected.error().message << '\n';
      return kExitConnection;
    }
    // Sends `r` and prints messages until its reply. 0, or the exit code.
    auto call = [&](server::Request r) -> int {
      const auto id = client.send(std::move(r));
      if (!id) {
        std::cerr << "error: " << id.error().message << '\n';
        return kExitConnection;
      }
      while (true) {
        auto m = client.receive(timeout);
        if (!m) {
          std::cerr << "error: " << m.error().message << '\n';
          return kExitConnection;
        }
        print(*m);
        if (m->has_error()) return kExitConnection;
        if (m->has_welcome()) return 0;
        if (m->has_reply() && m->reply().request_id() == *id) return m->reply().code() == server::OK ? 0 : kExitRefused;
      }
    };
    if (int rc = call(server::Client::hello("vpcsim client", o->token)); rc != 0) return rc;
    if (o->watch) {
      if (int rc = call(server::Client::subscribe(o->packets, o->flows)); rc != 0) return rc;
    }
    for (const server::Request& r : *requests) {
      if (int rc = call(r); rc != 0) return rc;
    }
    if (!o->watch) return int{kExitOk};
    while (true) {
      auto m = client.receive(timeout);
      if (!m) {
        std::cerr << "error: " << m.error().message << '\n';
        return kExitConnection;
      }
      print(*m);
      if (m->has_error()) return kExitConnection;
      if (m->has_result()) return int{kExitOk};
    }
  };
}

}  // namespace vpcsim::cli
