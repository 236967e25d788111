// The streaming replay (io/flowlog_stream.h): the same output and report as the in-memory
// replay for inputs within the reorder window, records beyond it replayed and counted, and the
// buffers bounded by the window rather than by the input.
#include "io/flowlog_stream.h"

#include "io/flowlog_diff.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "io/scenario_loader.h"
#include "flowlog_files.h"

namespace vpcsim::io {
namespace {

const std::string kDir = std::string(VPCSIM_SOURCE_DIR) + "/scenarios/flowlogs/";

const Scenario& examples() {
  static const Scenario s = *load_scenario_file(kDir + "aws-examples.textproto");
  return s;
}

struct Streamed {
  std::string output;
  ReplayReport report;
  ReplayStreamStats stats;
};

// Every line of `stream` through a ReplayStream, the output as `vpcsim replay` writes it.
Streamed stream_replay(FlowLogStream& stream, ReplayStreamOptions options = {}) {
  Streamed s;
  s.output = emit_header(stream.format(), stream.any_header());
  std::vector<std::string_view> scratch;
  ReplayStream replay(stream.format(), stream.paths(), examples().network, FilteringModel::kStateful, options,
                      [&](std::string_view line, const RecordResult& r, const std::vector<std::string>& rules) {
                        append_emitted_line(s.output, stream.format(), scratch, line, r, rules);
                      });
  while (true) {
    auto line = stream.next();
    EXPECT_TRUE(line) << line.error().format();
    if (!line || !*line) break;
    replay.add(**line);
  }
  s.report = replay.finish();
  s.stats = replay.stats();
  return s;
}

// The in-memory replay of the same inputs (read_flowlogs, replay_flowlogs, emit_flowlog).
std::pair<std::string, ReplayReport> in_memory(const std::vector<std::string>& inputs) {
  const auto set = read_flowlogs(inputs);
  EXPECT_TRUE(set) << set.error().format();
  const ReplayRun run = replay_flowlogs(*set, examples().network, FilteringModel::kStateful);
  return {emit_flowlog(*set, run), run.report};
}

void expect_same_report(const ReplayReport& a, const ReplayReport& b) {
  EXPECT_EQ(a.records_read, b.records_read);
  EXPECT_EQ(a.replayed, b.replayed);
  EXPECT_EQ(a.skipped, b.skipped);
  EXPECT_EQ(a.simulated_accept, b.simulated_accept);
  EXPECT_EQ(a.agree, b.agree);
  EXPECT_EQ(a.disagree, b.disagree);
  for (std::size_t i = 0; i < kSkipReasons; ++i) {
    EXPECT_EQ(a.skips[i].count, b.skips[i].count);
    EXPECT_EQ(a.skips[i].examples, b.skips[i].examples);
  }
  ASSERT_EQ(a.disagreements.size(), b.disagreements.size());
  for (std::size_t i = 0; i < a.disagreements.size(); ++i) {
    EXPECT_EQ(a.disagreements[i].rule, b.disagreements[i].rule);
    EXPECT_EQ(a.disagreements[i].count, b.disagreements[i].count);
    EXPECT_EQ(a.disagreements[i].examples, b.disagreements[i].examples);
  }
}

using FlowLogStreamTest = testing::FlowLogFilesTest;

TEST_F(FlowLogStreamTest, SamplesGiveTheInMemoryOutputAndReport) {
  const std::vector<std::string> all{kDir + "v2-default.log", kDir + "v2-header.log"};
  for (const auto& inputs : {std::vector<std::string>{kDir + "v2-default.log"},
                             std::vector<std::string>{kDir + "v2-header.log"},
                             std::vector<std::string>{kDir + "v5-custom.log"}, all}) {
    SCOPED_TRACE(inputs.front());
    auto stream = FlowLogStream::open(inputs);
    ASSERT_TRUE(stream) << stream.error().format();
    const Streamed s = stream_replay(*stream);
    const auto [output, report] = in_memory(inputs);
    EXPECT_EQ(s.output, output);
    expect_same_report(s.report, report);
    EXPECT_EQ(s.report.out_of_order, 0u);
  }
}

// Several gzip members, read a chunk at a time, give the plain file's lines.
TEST_F(FlowLogStreamTest, GzipIsReadIncrementally) {
  std::ifstream in(kDir + "v2-header.log", std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  const std::string gz = (dir_ / "a.log.gz").string();
  for (const std::string& part : {text.substr(0, text.size() / 2), text.substr(text.size() / 2)}) {
    gzFile f = gzopen(gz.c_str(), "ab");
    ASSERT_NE(f, nullptr);
    gzwrite(f, part.data(), static_cast<unsigned>(part.size()));
    gzclose(f);
  }
  auto stream = FlowLogStream::open(std::vector<std::string>{gz});
  ASSERT_TRUE(stream);
  const Streamed s = stream_replay(*stream);
  auto plain = FlowLogStream::open(std::vector<std::string>{kDir + "v2-header.log"});
  ASSERT_TRUE(plain);
  EXPECT_EQ(s.output, stream_replay(*plain).output);
}

TEST_F(FlowLogStreamTest, TruncatedGzipIsAnErrorNamingTheFile) {
  const std::string gz = (dir_ / "t.log.gz").string();
  gzFile f = gzopen(gz.c_str(), "wb");
  std::string body;
  for (int i = 0; i < 20000; ++i) body += "2 123456789010 eni-1235b8ca123456789 - - - - - - - 1 2 - NODATA\n";
  gzwrite(f, body.data(), static_cast<unsigned>(body.size()));
  gzclose(f);
  std::filesystem::resize_file(gz, std::filesystem::file_size(gz) - 10);
  auto stream = FlowLogStream::open(std::vector<std::string>{gz});
  ASSERT_TRUE(stream);
  std::expected<std::optional<StreamLine>, Error> line;
  do line = stream->next();
  while (line && *line);
  ASSERT_FALSE(line);
  EXPECT_NE(line.error().format().find(gz), std::string::npos);
  EXPECT_NE(line.error().format().find("truncated gzip"), std::string::npos);
}

// A connection eni-1235b8ca123456789 (172.31.16.139) opens to port 80: its security groups
// allow no inbound port 80, so the reply passes only as part of the tracked connection.
std::string record(const std::string& src, const std::string& dst, int sport, int dport, std::int64_t start) {
  return "2 123456789010 eni-1235b8ca123456789 " + src + " " + dst + " " + std::to_string(sport) + " " +
         std::to_string(dport) + " 6 20 4249 " + std::to_string(start) + " " + std::to_string(start + 60) +
         " ACCEPT OK\n";
}
const std::string kRequest = record("172.31.16.139", "172.31.16.21", 40000, 80, 1000);
const std::string kReply = record("172.31.16.21", "172.31.16.139", 80, 40000, 1100);
const std::string kLater = record("172.31.16.22", "172.31.16.139", 20642, 22, 1200);

TEST_F(FlowLogStreamTest, ARecordOutOfOrderWithinTheWindowGivesTheSortedResult) {
  const std::string unsorted = write("unsorted.log", kReply + kLater + kRequest);
  auto stream = FlowLogStream::open(std::vector<std::string>{unsorted});
  ASSERT_TRUE(stream);
  const Streamed s = stream_replay(*stream, {.window = 900});
  EXPECT_EQ(s.output, in_memory({unsorted}).first);
  EXPECT_EQ(s.report.out_of_order, 0u);
  EXPECT_EQ(s.report.agree, 3u);  // the reply is replayed after its request
}

TEST_F(FlowLogStreamTest, ARecordBeyondTheWindowIsReplayedAndCounted) {
  const std::string unsorted = write("unsorted.log", kReply + kLater + kRequest);
  auto stream = FlowLogStream::open(std::vector<std::string>{unsorted});
  ASSERT_TRUE(stream);
  const Streamed s = stream_replay(*stream, {.window = 50});
  EXPECT_EQ(s.report.records_read, 3u);
  EXPECT_EQ(s.report.replayed, 3u);
  EXPECT_EQ(s.report.out_of_order, 1u);
  EXPECT_EQ(s.report.reorder_window, 50);
  // The reply went first and found no tracked connection; the output is still in input order.
  EXPECT_EQ(s.report.disagree, 1u);
  ASSERT_EQ(s.report.disagreements.size(), 1u);
  EXPECT_EQ(s.report.disagreements[0].examples, std::vector<std::string>{unsorted + ":1"});
  const std::string first = s.output.substr(0, s.output.find('\n'));
  EXPECT_EQ(first.substr(0, first.find(" REJECT OK ")), kReply.substr(0, kReply.find(" ACCEPT OK")));
  EXPECT_NE(first.find(" REJECT OK REJECT ACCEPT "), std::string::npos) << first;
}

// A long input, nearly time-ordered (10 records a second, each up to 6 s early): the records
// waiting and the lines held back stay within what the window implies, whatever the length.
TEST(ReplayStream, BuffersAreBoundedByTheWindow) {
  constexpr std::int64_t kWindow = 60;
  constexpr int kPerSecond = 10;
  std::vector<std::string> out_of_window;
  std::uint64_t written = 0;
  ReplayStream replay(FlowLogFormat::default_v2(), {"synthetic"}, examples().network, FilteringModel::kStateful,
                      {.window = kWindow}, [&](std::string_view, const RecordResult&, const std::vector<std::string>&) {
                        ++written;
                      });
  constexpr int kRecords = 50000;
  for (int i = 0; i < kRecords; ++i) {
    const std::int64_t start = 1000000 + i / kPerSecond - (i % 7);
    std::string line = record("172.31.16.21", "172.31.16.139", 20000 + i % 40000, 22, start);
    line.pop_back();
    replay.add(StreamLine{0, static_cast<std::uint32_t>(i + 1), line});
  }
  const ReplayReport rep = replay.finish();
  EXPECT_EQ(rep.records_read, static_cast<std::uint64_t>(kRecords));
  EXPECT_EQ(rep.replayed, static_cast<std::uint64_t>(kRecords));
  EXPECT_EQ(written, static_cast<std::uint64_t>(kRecords));
  EXPECT_EQ(replay.stats().out_of_order, 0u);
  // A record waits until the largest start is more than kWindow later; records up to 6 s early
  // widen that by 6 s, and one second more for the strict comparison.
  const std::uint64_t bound = (kWindow + 6 + 2) * kPerSecond;
  EXPECT_LE(replay.stats().peak_window_records, bound);
  EXPECT_LE(replay.stats().peak_pending_lines, bound);
  EXPECT_GT(replay.stats().peak_window_records, static_cast<std::uint64_t>(kWindow * kPerSecond) / 2);
}

// The all-in-memory diff `vpcsim diff` ran before it streamed: every record judged on each
// side, sorted by line, merged by diff_verdicts.
std::vector<JudgedFlow> judge_all(const FlowLogSet& set, const Network& net) {
  std::vector<JudgedFlow> out;
  replay_flowlogs(set, net, FilteringModel::kStateful,
                  [&](std::uint32_t line, const FlowObservation& r, const ReplayDecision& d) {
                    out.push_back(judge_record(net, line, set.location(set.lines[line]), r, d));
                  });
  std::ranges::sort(out, {}, &JudgedFlow::key);
  return out;
}

TEST_F(FlowLogStreamTest, StreamedDiffEqualsTheInMemoryDiffOnTheSamples) {
  // After: SSH from the VPC closed, RDP opened (scenarios/flowlogs/remove-ssh.textproto's change).
  std::ifstream in(kDir + "aws-examples.textproto");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  const std::string ssh = R"(ingress { protocol: "tcp" ports: "22" cidr: "172.31.0.0/16" })";
  ASSERT_NE(text.find(ssh), std::string::npos);
  text.replace(text.find(ssh), ssh.size(), R"(ingress { protocol: "tcp" ports: "3389" cidr: "172.31.0.0/16" })");
  const auto after = load_scenario_file(write("after.textproto", text));
  ASSERT_TRUE(after);
  std::uint64_t changed = 0;
  for (const std::string name : {"v2-default.log", "v2-header.log", "v5-custom.log"}) {
    SCOPED_TRACE(name);
    const std::vector<std::string> inputs{kDir + name};
    auto stream = FlowLogStream::open(inputs);
    ASSERT_TRUE(stream);
    const auto streamed = diff_flowlogs(*stream, examples().network, after->network, FilteringModel::kStateful);
    ASSERT_TRUE(streamed) << streamed.error().format();
    const auto set = read_flowlogs(inputs);
    const VerdictDiff old = diff_verdicts(judge_all(*set, examples().network), judge_all(*set, after->network));
    const VerdictDiff& d = streamed->diff;
    EXPECT_EQ(d.compared, old.compared);
    EXPECT_EQ(d.unchanged, old.unchanged);
    EXPECT_EQ(d.newly_dropped, old.newly_dropped);
    EXPECT_EQ(d.newly_allowed, old.newly_allowed);
    EXPECT_EQ(d.only_before, old.only_before);
    EXPECT_EQ(d.only_after, old.only_after);
    ASSERT_EQ(d.groups.size(), old.groups.size());
    for (std::size_t i = 0; i < d.groups.size(); ++i) {
      EXPECT_EQ(d.groups[i].rule, old.groups[i].rule);
      EXPECT_EQ(d.groups[i].previously, old.groups[i].previously);
      EXPECT_EQ(d.groups[i].count, old.groups[i].count);
      EXPECT_EQ(d.groups[i].examples, old.groups[i].examples);
    }
    changed += d.newly_dropped + d.newly_allowed;
  }
  EXPECT_GT(changed, 0u);  // the samples do exercise a change
}

}  // namespace
}  // namespace vpcsim::io
