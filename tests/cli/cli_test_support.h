// The harness of the end-to-end CLI tests: each test gets its own temporary directory, runs
// the vpcsim binary (VPCSIM_CLI) there with stdout and stderr captured, and writes its input
// files into it.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace vpcsim::test {

namespace fs = std::filesystem;

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / ("vpcsim_" + std::string(info->test_suite_name()) + "_" +
                                        std::to_string(::getpid()) + "_" + info->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs `vpcsim ARGS` from the temporary directory (so nothing depends on the source tree
  // being the working directory).
  CliResult run(const std::string& args) const {
    const fs::path out = dir_ / "stdout";
    const fs::path err = dir_ / "stderr";
    const std::string cmd = "cd '" + dir_.string() + "' && '" + std::string(VPCSIM_CLI) + "' " + args + " >'" +
                            out.string() + "' 2>'" + err.string() + "' </dev/null";
    const int status = std::system(cmd.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
  }

  // Writes `text` to `name` under the temporary directory, creating its folders.
  fs::path write(const std::string& name, const std::string& text) const {
    const fs::path p = dir_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }

  // A bundled lesson's path, quoted for the shell.
  static std::string lesson(const std::string& stem) {
    return "'" + (fs::path(VPCSIM_SOURCE_DIR) / "scenarios/lessons" / (stem + ".textproto")).string() + "'";
  }

  fs::path dir_;
};

}  // namespace vpcsim::test
