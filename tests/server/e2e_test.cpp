// The slower end-to-end runs: a hundred watchers, and the `vpcsim serve` / `vpcsim client`
// commands as processes.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/server/server_test_support.h"

namespace vpcsim::server::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

TEST(ServerE2e, HundredWatchersGetTheSameStream) {
  ServerOptions o = test_options();
  TestServer server(o);
  std::vector<std::unique_ptr<Client>> watchers;
  for (int i = 0; i < 100; ++i) {
    watchers.push_back(connect(server.port(), "", true, false, i % 2 == 0));
    ASSERT_TRUE(watchers.back()) << i;
  }
  EXPECT_EQ(server.stats().clients, 100u);
  auto c = connect(server.port(), kToken, false);
  ASSERT_TRUE(c);
  ASSERT_EQ(call(*c, Client::load_lesson("12-internet-scanner")).code(), OK);
  ASSERT_EQ(call(*c, Client::as_fast_as_possible()).code(), OK);
  ASSERT_EQ(call(*c, Client::run_request()).code(), OK);
  std::vector<std::string> even;
  std::vector<std::string> odd;
  for (std::size_t i = 0; i < watchers.size(); ++i) {
    const auto events = events_of(receive_until_result(*watchers[i]));
    ASSERT_FALSE(events.empty());
    auto& reference = i % 2 == 0 ? even : odd;
    if (reference.empty()) {
      reference = events;
    } else {
      EXPECT_EQ(events, reference) << "watcher " << i;
    }
  }
  EXPECT_GT(even.size(), odd.size());  // those that asked for finished flows got them
  EXPECT_EQ(even.back(), odd.back());  // the same result
  EXPECT_EQ(server.stats().dropped_slow, 0u);
}

// A child process with its stdout and stderr in files.
struct Process {
  pid_t pid = -1;
  fs::path out;
  fs::path err;

  std::string read(const fs::path& p) const {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  // Waits up to `timeout` for the exit code (-1: killed, or did not exit).
  int wait(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid, &status, WNOHANG) == pid) {
        pid = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      std::this_thread::sleep_for(20ms);
    }
    return -1;
  }
  ~Process() {
    if (pid > 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
  }
};

class ServeCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("vpcsim_serve_test_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<Process> spawn(const std::vector<std::string>& args, const std::string& name) {
    auto p = std::make_unique<Process>();
    p->out = dir_ / (name + ".out");
    p->err = dir_ / (name + ".err");
    std::vector<std::string> argv_s{VPCSIM_CLI};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    // Everything the child needs is prepared before fork: it only opens, dups and execs.
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    const std::string out_path = p->out.string();
    const std::string err_path = p->err.string();
    p->pid = ::fork();
    if (p->pid == 0) {
      const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int in = ::open("/dev/null", O_RDONLY);
      ::dup2(out, 1);
      ::dup2(err, 2);
      ::dup2(in, 0);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    return p;
  }

  // Waits for "listening on HOST:PORT" on the server's stdout.
  std::uint16_t wait_for_port(const Process& p) {
    const auto deadline = std::chrono::steady_clock::now() + kWait;
    while (std::chrono::steady_clock::now() < deadline) {
      const std::string out = p.read(p.out);
      const auto at = out.find("listening on ");
      const auto eol = out.find('\n', at);
      if (at != std::string::npos && eol != std::string::npos) {
        const std::string addr = out.substr(at + 13, eol - at - 13);
        return static_cast<std::uint16_t>(std::stoi(addr.substr(addr.rfind(':') + 1)));
      }
      std::this_thread::sleep_for(20ms);
    }
    ADD_FAILURE() << "the server did not say where it listens";
    return 0;
  }

  fs::path dir_;
};

TEST_F(ServeCommand, ClientDrivesTheServerAndWatchesTheRun) {
  auto serve = spawn({"serve", "--listen", "127.0.0.1:0", "--token", "s3cret"}, "serve");
  const std::uint16_t port = wait_for_port(*serve);
  ASSERT_NE(port, 0);
  EXPECT_THAT(serve->read(serve->out), HasSubstr("control token: s3cret"));
  const std::string addr = "127.0.0.1:" + std::to_string(port);

  // A watcher cannot run it (exit 3), and says why.
  auto refused = spawn({"client", "--connect", addr, "run"}, "refused");
  EXPECT_EQ(refused->wait(kWait), 3);
  EXPECT_THAT(refused->read(refused->out), HasSubstr("NOT_AUTHORIZED"));

  auto controller = spawn({"client", "--connect", addr, "--token", "s3cret", "--watch", "--flows", "--format", "json",
                           "load", "03-public-web", "speed", "max", "run"},
                          "controller");
  EXPECT_EQ(controller->wait(kWait), 0) << controller->read(controller->err);
  const std::string out = controller->read(controller->out);
  EXPECT_THAT(out, HasSubstr("\"role\":\"CONTROLLER\""));
  EXPECT_THAT(out, HasSubstr("\"flow\":"));
  EXPECT_THAT(out, HasSubstr("\"result\":"));

  // Bad usage never reaches the server.
  auto bad = spawn({"client", "--connect", addr, "speed", "fast"}, "bad");
  EXPECT_EQ(bad->wait(kWait), 2);
  EXPECT_THAT(bad->read(bad->err), HasSubstr("speed fast"));

  ::kill(serve->pid, SIGTERM);
  EXPECT_EQ(serve->wait(kWait), 0);
  EXPECT_THAT(serve->read(serve->err), HasSubstr("SIGTERM"));
}

TEST_F(ServeCommand, RemoteAddressNeedsTheFlagAndWarns) {
  auto refused = spawn({"serve", "--listen", "0.0.0.0:0"}, "refused");
  EXPECT_EQ(refused->wait(kWait), 2);
  EXPECT_THAT(refused->read(refused->err), HasSubstr("--allow-remote"));

  auto serve = spawn({"serve", "--listen", "0.0.0.0:0", "--allow-remote"}, "serve");
  ASSERT_NE(wait_for_port(*serve), 0);
  EXPECT_THAT(serve->read(serve->err), HasSubstr("warning"));
  // A generated token: 32 hex digits.
  const std::string out = serve->read(serve->out);
  const auto at = out.find("control token: ");
  ASSERT_NE(at, std::string::npos);
  EXPECT_EQ(out.substr(at + 15, out.find('\n', at) - at - 15).size(), 32u);
  ::kill(serve->pid, SIGINT);
  EXPECT_EQ(serve->wait(kWait), 0);
}

TEST_F(ServeCommand, BadScenarioAndConnectionFailures) {
  auto serve = spawn({"serve", "--listen", "127.0.0.1:0", "no-such-lesson-or-file.textproto"}, "serve");
  EXPECT_EQ(serve->wait(kWait), 2);
  EXPECT_THAT(serve->read(serve->err), HasSubstr("no-such-lesson-or-file.textproto"));
  auto bad_listen = spawn({"serve", "--listen", "127.0.0.1"}, "listen");
  EXPECT_EQ(bad_listen->wait(kWait), 2);
  auto name = spawn({"serve", "--listen", "localhost:0"}, "name");
  EXPECT_EQ(name->wait(kWait), 2);
  EXPECT_THAT(name->read(name->err), HasSubstr("not an IP address"));
  // Nobody listens on a port we just had and closed.
  std::uint16_t free_port = 0;
  {
    TestServer s;
    free_port = s.port();
  }
  auto client =
      spawn({"client", "--connect", "127.0.0.1:" + std::to_string(free_port), "--timeout", "2", "ping"}, "client");
  EXPECT_EQ(client->wait(kWait), 4);
  EXPECT_THAT(client->read(client->err), HasSubstr("cannot connect"));
}

}  // namespace
}  // namespace vpcsim::server::testing
