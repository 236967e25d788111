// A temporary directory per test, and flow-log files written into it, plain or gzipped: the
// fixture the flow-log reader, stream and CloudWatch tests share.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace vpcsim::io::testing {

class FlowLogFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() / ("vpcsim_flowlogs_" + std::to_string(::getpid()) + "_" +
                                                     test->test_suite_name() + "_" + test->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Writes `text` to `name` (parent folders created) and returns its path.
  std::string write(const std::string& name, std::string_view text) const {
    const std::filesystem::path p = dir_ / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
  // The same, gzip-compressed.
  std::string write_gz(const std::string& name, std::string_view text) const {
    const std::filesystem::path p = dir_ / name;
    std::filesystem::create_directories(p.parent_path());
    gzFile f = gzopen(p.c_str(), "wb");
    EXPECT_NE(f, nullptr);
    if (f == nullptr) return p.string();
    gzwrite(f, text.data(), static_cast<unsigned>(text.size()));
    gzclose(f);
    return p.string();
  }

  std::filesystem::path dir_;
};

}  // namespace vpcsim::io::testing
