// VPC Flow Logs exported from CloudWatch Logs (io/cloudwatch_logs.h): S3 export task files and
// get/filter-log-events JSON read through FlowLogStream as the default format's records, every
// line or event replayed or counted as skipped with its reason and location.
#include "io/cloudwatch_logs.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "io/flowlog_stream.h"
#include "io/scenario_loader.h"
#include "flowlog_files.h"

namespace vpcsim::io {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const std::string kDir = std::string(VPCSIM_SOURCE_DIR) + "/scenarios/flowlogs/";

const Scenario& examples() {
  static const Scenario s = *load_scenario_file(kDir + "aws-examples.textproto");
  return s;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Replayed {
  std::string output;
  ReplayReport report;
};

// The whole stream through a ReplayStream, as `vpcsim replay --emit-flowlog` writes it.
Replayed replay(FlowLogStream& stream) {
  Replayed r;
  r.output = emit_header(stream.format(), stream.any_header());
  std::vector<std::string_view> scratch;
  ReplayStream rs(stream.format(), stream.paths(), examples().network, FilteringModel::kStateful, {},
                  [&](std::string_view line, const RecordResult& res, const std::vector<std::string>& rules) {
                    append_emitted_line(r.output, stream.format(), scratch, line, res, rules);
                  });
  while (true) {
    auto line = stream.next();
    EXPECT_TRUE(line) << line.error().format();
    if (!line || !*line) break;
    rs.add(**line);
  }
  r.report = rs.finish();
  return r;
}

const SkipSummary& skips(const ReplayReport& r, SkipReason reason) { return r.skips[static_cast<std::size_t>(reason)]; }

using CloudWatchLogsTest = testing::FlowLogFilesTest;

TEST(CloudWatchShape, IsDetectedFromTheFirstNonBlankLine) {
  EXPECT_EQ(detect_flowlog_shape("2024-05-01T12:00:05.000Z 2 1 eni-1 ..."), FlowLogShape::kCloudWatchExport);
  EXPECT_EQ(detect_flowlog_shape("\n\n2024-05-01T12:00:05.000Z 2 1"), FlowLogShape::kCloudWatchExport);
  EXPECT_EQ(detect_flowlog_shape("  {\"events\": []}"), FlowLogShape::kCloudWatchJson);
  EXPECT_EQ(detect_flowlog_shape("[{\"message\": \"2 1\"}]"), FlowLogShape::kCloudWatchJson);
  EXPECT_EQ(detect_flowlog_shape("2 123456789010 eni-1 1.2.3.4"), FlowLogShape::kFlowLog);
  EXPECT_EQ(detect_flowlog_shape("version account-id interface-id"), FlowLogShape::kFlowLog);
  EXPECT_EQ(detect_flowlog_shape(""), FlowLogShape::kFlowLog);
}

TEST(CloudWatchShape, TimestampsAreCheckedFieldByField) {
  EXPECT_TRUE(is_iso8601_timestamp("2024-05-01T12:00:05.000Z"));
  EXPECT_TRUE(is_iso8601_timestamp("2024-02-29T23:59:59Z"));
  EXPECT_TRUE(is_iso8601_timestamp("2024-05-01T12:00:05.123456789+02:00"));
  EXPECT_FALSE(is_iso8601_timestamp("2023-02-29T00:00:00Z"));  // not a leap year
  EXPECT_FALSE(is_iso8601_timestamp("2024-13-01T00:00:00Z"));
  EXPECT_FALSE(is_iso8601_timestamp("2024-05-01T24:00:00Z"));
  EXPECT_FALSE(is_iso8601_timestamp("2024-05-01T12:00:05.000"));  // no zone
  EXPECT_FALSE(is_iso8601_timestamp("2024-05-01T12:00:05.Z"));
  EXPECT_FALSE(is_iso8601_timestamp("2024-05-01 12:00:05Z"));
  EXPECT_FALSE(is_iso8601_timestamp("2024-05-01T12:00:05Zjunk"));
  EXPECT_EQ(split_export_line("2024-05-01T12:00:05.000Z 2 1 eni-1").message, "2 1 eni-1");
  EXPECT_THAT(split_export_line("2024-05-01T12:00:05.000Z").problem, HasSubstr("no message"));
  EXPECT_THAT(split_export_line("2024-05-32T12:00:05.000Z 2 1").problem,
              HasSubstr("timestamp prefix '2024-05-32T12:00:05.000Z' is not an ISO-8601"));
}

// The export sample holds v2-default.log's records behind timestamps: the same output (the
// messages, no timestamps) and report, plain and gzipped.
TEST_F(CloudWatchLogsTest, ExportFilesReplayAsTheirMessages) {
  const std::string expected = slurp(std::string(VPCSIM_SOURCE_DIR) + "/tests/io/data/v2-default.stateful.expected");
  const std::string gz = write_gz("export-000000.gz", slurp(kDir + "cloudwatch-export.log"));
  for (const std::string& input : {kDir + "cloudwatch-export.log", gz}) {
    SCOPED_TRACE(input);
    auto stream = FlowLogStream::open(std::vector<std::string>{input});
    ASSERT_TRUE(stream) << stream.error().format();
    EXPECT_THAT(stream->shapes(), ElementsAre(FlowLogShape::kCloudWatchExport));
    EXPECT_FALSE(stream->any_header());
    EXPECT_EQ(stream->format(), FlowLogFormat::default_v2());
    const Replayed r = replay(*stream);
    EXPECT_EQ(r.output, expected);
    EXPECT_EQ(r.report.records_read, 6u);
    EXPECT_EQ(r.report.replayed + r.report.skipped, r.report.records_read);
    EXPECT_EQ(r.report.agree, 4u);
  }
}

TEST_F(CloudWatchLogsTest, BadTimestampPrefixesAreSkippedWithTheirLine) {
  const std::string good =
      "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 "
      "ACCEPT OK";
  const std::string path = write("export.log", "2014-12-14T04:06:50.000Z " + good +
                                                   "\n"
                                                   "2014-12-14T25:06:50.000Z " + good +
                                                   "\n" +
                                                   good +  // a record without its prefix
                                                   "\n"
                                                   "\n"
                                                   "2014-12-14T04:06:50.000Z\n");
  auto stream = FlowLogStream::open(std::vector<std::string>{path});
  ASSERT_TRUE(stream) << stream.error().format();
  const Replayed r = replay(*stream);
  EXPECT_EQ(r.report.records_read, 5u);
  EXPECT_EQ(r.report.replayed, 1u);
  EXPECT_EQ(r.report.skipped, 4u);
  const SkipSummary& bad = skips(r.report, SkipReason::kBadLogEvent);
  EXPECT_EQ(bad.count, 3u);
  ASSERT_EQ(bad.examples.size(), 3u);
  EXPECT_EQ(bad.examples[0],
            path + ":2 (timestamp prefix '2014-12-14T25:06:50.000Z' is not an ISO-8601 date-time such as "
                   "2024-05-01T12:00:05.000Z)");
  EXPECT_THAT(bad.examples[1], HasSubstr(path + ":3 (timestamp prefix '2' is not"));
  EXPECT_THAT(bad.examples[2], HasSubstr(path + ":5 (no message after the timestamp"));
  EXPECT_EQ(skips(r.report, SkipReason::kBlankLine).count, 1u);
  // The record without a prefix is still in the output, marked skipped.
  EXPECT_THAT(r.output, HasSubstr(good + " - ACCEPT - skipped:bad-log-event\n"));
}

TEST_F(CloudWatchLogsTest, EventsJsonReplaysTheMessages) {
  const std::string expected = slurp(std::string(VPCSIM_SOURCE_DIR) + "/tests/io/data/v2-default.stateful.expected");
  const std::string gz = write_gz("events.json.gz", slurp(kDir + "cloudwatch-events.json"));
  for (const std::string& input : {kDir + "cloudwatch-events.json", gz}) {
    SCOPED_TRACE(input);
    auto stream = FlowLogStream::open(std::vector<std::string>{input});
    ASSERT_TRUE(stream) << stream.error().format();
    EXPECT_THAT(stream->shapes(), ElementsAre(FlowLogShape::kCloudWatchJson));
    const Replayed r = replay(*stream);
    EXPECT_EQ(r.output, expected);
    EXPECT_EQ(r.report.records_read, 6u);
    EXPECT_EQ(r.report.agree, 4u);
    EXPECT_EQ(skips(r.report, SkipReason::kNoData).count, 1u);
  }
}

TEST_F(CloudWatchLogsTest, MalformedEventsAreSkippedWithTheirIndex) {
  const std::string path =
      write("events.json",
            R"({"events": [
  {"timestamp": 1418530010000, "message": "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK", "ingestionTime": 1},
  {"timestamp": 1418530010000, "message": "2 123456789010 eni-1235b8ca123456789 172.31.16.139", "ingestionTime": 2},
  {"timestamp": 1418530010000, "message": "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 x 22 6 20 4249 1418530010 1418530070 ACCEPT OK"},
  {"timestamp": 1418530010000, "message": "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249\n1418530010 1418530070 ACCEPT OK"}
], "nextForwardToken": "f/1", "nextBackwardToken": "b/1"})");
  auto stream = FlowLogStream::open(std::vector<std::string>{path});
  ASSERT_TRUE(stream) << stream.error().format();
  const Replayed r = replay(*stream);
  EXPECT_EQ(r.report.records_read, 4u);
  EXPECT_EQ(r.report.replayed, 1u);
  EXPECT_EQ(r.report.skipped, 3u);
  EXPECT_THAT(skips(r.report, SkipReason::kWrongFieldCount).examples,
              ElementsAre(path + ":events[1] (4 fields, the format has 14)"));
  EXPECT_THAT(skips(r.report, SkipReason::kBadPort).examples, ElementsAre(path + ":events[2] (srcport 'x' dstport '22')"));
  EXPECT_THAT(skips(r.report, SkipReason::kBadLogEvent).examples,
              ElementsAre(path + ":events[3] (the message holds a line break: one event is one flow-log record)"));
  // No line of the output is split by the event's line break.
  EXPECT_THAT(r.output, HasSubstr("4249 1418530010 1418530070 ACCEPT OK - ACCEPT - skipped:bad-log-event\n"));
}

TEST_F(CloudWatchLogsTest, AnEmptyEventsListHasNoRecords) {
  const std::string path = write("empty.json", R"({"events": [], "searchedLogStreams": []})");
  auto stream = FlowLogStream::open(std::vector<std::string>{path});
  ASSERT_TRUE(stream) << stream.error().format();
  const Replayed r = replay(*stream);
  EXPECT_EQ(r.report.records_read, 0u);
  EXPECT_EQ(r.output, "");
}

TEST_F(CloudWatchLogsTest, BadJsonIsAFatalErrorNamingTheFile) {
  const std::string syntax = write("syntax.json", "{\"events\": [ {\"message\": \"2 1\" ,, ] }");
  const std::string no_events = write("other.json", R"({"SecurityGroups": []})");
  const std::string wrong_type = write("type.json", R"({"events": [{"message": 12, "timestamp": "x"}]})");
  const std::string array = write("array.json", R"([{"message": "2 1"}])");
  for (const auto& [path, what] : {std::pair{syntax, std::string("invalid CloudWatch Logs events JSON")},
                                   std::pair{no_events, std::string("without an \"events\" member")},
                                   std::pair{wrong_type, std::string("not what the AWS CLI prints here")},
                                   std::pair{array, std::string("must be an object")}}) {
    SCOPED_TRACE(path);
    auto stream = FlowLogStream::open(std::vector<std::string>{path});
    ASSERT_TRUE(stream) << stream.error().format();
    auto line = stream->next();
    ASSERT_FALSE(line);
    EXPECT_THAT(line.error().format(), HasSubstr(path));
    EXPECT_THAT(line.error().format(), HasSubstr(what));
  }
}

// One shape per file, each file its own: an export, a JSON file and a plain flow log together.
TEST_F(CloudWatchLogsTest, FilesOfDifferentShapesReadTogether) {
  const std::vector<std::string> inputs{kDir + "cloudwatch-events.json", kDir + "cloudwatch-export.log",
                                        kDir + "v2-default.log"};
  auto stream = FlowLogStream::open(inputs);
  ASSERT_TRUE(stream) << stream.error().format();
  EXPECT_THAT(stream->shapes(), ElementsAre(FlowLogShape::kCloudWatchJson, FlowLogShape::kCloudWatchExport,
                                            FlowLogShape::kFlowLog));
  const Replayed r = replay(*stream);
  EXPECT_EQ(r.report.records_read, 18u);
  EXPECT_EQ(r.report.agree, 12u);
}

// CloudWatch keeps no header: a custom format's fields come from --log-format (`headerless`).
TEST_F(CloudWatchLogsTest, ACustomFormatComesFromTheGivenFormat) {
  const auto format = FlowLogFormat::parse_spec("${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${action}");
  ASSERT_TRUE(format);
  const std::string path = write("custom.log",
                                 "2024-05-01T12:00:05.000Z eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 "
                                 "ACCEPT\n");
  auto stream = FlowLogStream::open(std::vector<std::string>{path}, *format);
  ASSERT_TRUE(stream) << stream.error().format();
  EXPECT_EQ(stream->format(), *format);
  const Replayed r = replay(*stream);
  EXPECT_EQ(r.report.replayed, 1u);
  EXPECT_EQ(r.report.agree, 1u);
}

// The in-memory reader (the GUI's) does not unwrap CloudWatch events: it says so.
TEST_F(CloudWatchLogsTest, TheInMemoryReaderRefusesCloudWatchShapes) {
  const auto set = read_flowlogs(std::vector<std::string>{kDir + "cloudwatch-export.log"});
  ASSERT_FALSE(set);
  EXPECT_THAT(set.error().format(), HasSubstr("CloudWatch Logs export"));
}

}  // namespace
}  // namespace vpcsim::io
