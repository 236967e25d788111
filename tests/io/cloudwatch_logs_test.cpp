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

const std::string kGood =
    "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK";

// The in-memory reader (the GUI's) is a loop over FlowLogStream: the same lines, locations,
// skips, totals and output for every shape, and the same fatal errors.
TEST_F(CloudWatchLogsTest, TheInMemoryReaderReadsWhatTheStreamReads) {
  const std::string bad_events = write("bad-events.json", R"({"events": [
  {"message": ")" + kGood + R"("},
  {"message": "2 123456789010 eni-1235b8ca123456789 172.31.16.139"},
  {"message": "2 1 eni-1 172.31.16.139 172.31.16.21 20641 22 6 20 4249\n1418530010 1418530070 ACCEPT OK"}
]})");
  const std::string bad_export = write("bad-export.log", "garbage\n2014-12-14T04:06:50.000Z " + kGood +
                                                            "\n2014-12-14T25:06:50.000Z " + kGood + "\n\n" + kGood + "\n");
  const std::vector<std::vector<std::string>> cases{
      {kDir + "cloudwatch-export.log"},
      {kDir + "cloudwatch-events.json"},
      {kDir + "cloudwatch-events.json", kDir + "cloudwatch-export.log", kDir + "v2-default.log"},
      {bad_events},
      {bad_export, kDir + "v2-header.log"},
  };
  for (const auto& inputs : cases) {
    SCOPED_TRACE(inputs.front());
    auto stream = FlowLogStream::open(inputs);
    ASSERT_TRUE(stream) << stream.error().format();
    const Replayed streamed = replay(*stream);
    const auto set = read_flowlogs(inputs);
    ASSERT_TRUE(set) << set.error().format();
    ASSERT_EQ(set->files.size(), stream->paths().size());
    for (std::size_t i = 0; i < set->files.size(); ++i) EXPECT_EQ(set->files[i].shape, stream->shapes()[i]);
    const ReplayRun run = replay_flowlogs(*set, examples().network, FilteringModel::kStateful);
    EXPECT_EQ(emit_flowlog(*set, run), streamed.output);
    const ReplayReport& a = run.report;
    const ReplayReport& b = streamed.report;
    EXPECT_EQ(a.records_read, b.records_read);
    EXPECT_EQ(a.replayed, b.replayed);
    EXPECT_EQ(a.skipped, b.skipped);
    EXPECT_EQ(a.agree, b.agree);
    EXPECT_EQ(a.disagree, b.disagree);
    EXPECT_EQ(a.files, inputs.size());
    EXPECT_EQ(a.header_lines, stream->header_lines());
    for (std::size_t i = 0; i < kSkipReasons; ++i) {
      SCOPED_TRACE(to_string(static_cast<SkipReason>(i)));
      EXPECT_EQ(a.skips[i].count, b.skips[i].count);
      EXPECT_EQ(a.skips[i].examples, b.skips[i].examples);
    }
    ASSERT_EQ(a.disagreements.size(), b.disagreements.size());
    for (std::size_t i = 0; i < a.disagreements.size(); ++i) {
      EXPECT_EQ(a.disagreements[i].examples, b.disagreements[i].examples);
    }
  }
  // The diagnostics themselves, through the in-memory reader.
  const auto set = read_flowlogs(std::vector<std::string>{bad_events});
  ASSERT_TRUE(set);
  const ReplayRun run = replay_flowlogs(*set, examples().network, FilteringModel::kStateful);
  EXPECT_THAT(skips(run.report, SkipReason::kWrongFieldCount).examples,
              ElementsAre(bad_events + ":events[1] (4 fields, the format has 14)"));
  EXPECT_THAT(skips(run.report, SkipReason::kBadLogEvent).examples,
              ElementsAre(bad_events + ":events[2] (the message holds a line break: one event is one flow-log record)"));
  EXPECT_EQ(run.report.replayed, 1u);
  // Fatal errors: the same message from both.
  const std::string syntax = write("syntax.json", "{\"events\": [ {\"message\": \"2 1\" ,, ] }");
  const auto err = read_flowlogs(std::vector<std::string>{syntax});
  ASSERT_FALSE(err);
  auto stream = FlowLogStream::open(std::vector<std::string>{syntax});
  ASSERT_TRUE(stream);
  const auto line = stream->next();
  ASSERT_FALSE(line);
  EXPECT_EQ(err.error().format(), line.error().format());
  EXPECT_THAT(err.error().format(), HasSubstr(syntax));
}

// A JSON file that is one page of several is read, with a warning naming the file and saying
// how to get every page; get-log-events' nextForwardToken (always present) is no such sign.
TEST_F(CloudWatchLogsTest, APaginatedJsonFileIsReadWithAWarning) {
  const std::string events = R"("events": [{"timestamp": 1, "message": ")" + kGood + R"("}])";
  const std::string api_page = write("page.json", "{" + events + R"(, "searchedLogStreams": [], "nextToken": "Bxkq6kVGFtq2y_Moigeqscy"})");
  const std::string cli_cut = write("cut.json", R"({"NextToken": "eyJuZXh0VG9rZW4iOiBudWxsfQ==", )" + events + "}");
  const std::string whole = write("whole.json", "{" + events + R"(, "nextForwardToken": "f/1", "nextBackwardToken": "b/1"})");
  const std::string null_token = write("null.json", "{" + events + R"(, "nextToken": null})");
  for (const auto& [path, what] : {std::pair{api_page, std::string("--no-paginate")},
                                   std::pair{cli_cut, std::string("--max-items")}}) {
    SCOPED_TRACE(path);
    const auto set = read_flowlogs(std::vector<std::string>{path});
    ASSERT_TRUE(set) << set.error().format();
    EXPECT_EQ(set->lines.size(), 1u);  // the page is still read
    ASSERT_EQ(set->warnings.size(), 1u);
    const std::string w = set->warnings[0].format();
    EXPECT_THAT(w, HasSubstr(path));
    EXPECT_THAT(w, HasSubstr("only "));
    EXPECT_THAT(w, HasSubstr("aws logs filter-log-events"));
    EXPECT_THAT(w, HasSubstr(what));
  }
  EXPECT_THAT(read_flowlogs(std::vector<std::string>{api_page})->warnings[0].format(),
              HasSubstr("only this page was read"));
  for (const std::string& path : {whole, null_token}) {
    SCOPED_TRACE(path);
    const auto set = read_flowlogs(std::vector<std::string>{path});
    ASSERT_TRUE(set) << set.error().format();
    EXPECT_TRUE(set->warnings.empty()) << set->warnings[0].format();
  }
  // The stream reports it once the file is read, in input order.
  auto stream = FlowLogStream::open(std::vector<std::string>{whole, cli_cut, api_page});
  ASSERT_TRUE(stream);
  (void)replay(*stream);
  ASSERT_EQ(stream->warnings().size(), 2u);
  EXPECT_EQ(stream->warnings()[0].file, cli_cut);
  EXPECT_EQ(stream->warnings()[0].field, "NextToken");
  EXPECT_EQ(stream->warnings()[1].file, api_page);
  EXPECT_EQ(stream->warnings()[1].field, "nextToken");
}

// The shape comes from the first lines that read as one: a garbage first line does not turn an
// export into a plain flow log (it is skipped, with its line), nor a flow log into an export.
TEST(CloudWatchShape, TheFirstLinesThatReadAsAShapeDecide) {
  const std::string exported = "2014-12-14T04:06:50.000Z " + kGood + "\n";
  EXPECT_EQ(detect_flowlog_shape("garbage\n" + exported + exported), FlowLogShape::kCloudWatchExport);
  EXPECT_EQ(detect_flowlog_shape("\n#!?\n\n" + exported), FlowLogShape::kCloudWatchExport);
  EXPECT_EQ(detect_flowlog_shape("garbage\n" + kGood + "\n" + exported), FlowLogShape::kFlowLog);
  EXPECT_EQ(detect_flowlog_shape("2014-12-14T99:06:50.000Z junk\n" + kGood + "\n"), FlowLogShape::kFlowLog);
  EXPECT_EQ(detect_flowlog_shape("version srcaddr dstaddr\n" + exported), FlowLogShape::kFlowLog);  // a header
  // A custom format's field count: 3 fields are a record of a 3-field format.
  EXPECT_EQ(detect_flowlog_shape("junk\neni-1 10.0.0.1 10.0.0.2\n" + exported, 3), FlowLogShape::kFlowLog);
  // Nothing reads as either: the first non-blank line decides, as it looks.
  EXPECT_EQ(detect_flowlog_shape("2014-12-14T25:06:50.000Z x\njunk\n"), FlowLogShape::kCloudWatchExport);
  EXPECT_EQ(detect_flowlog_shape("junk\n2014-12-14T25:06:50.000Z x\n"), FlowLogShape::kFlowLog);
  // Only the first kShapeLines non-blank lines are looked at.
  std::string many;
  for (std::size_t i = 0; i < kShapeLines; ++i) many += "junk\n\n";
  EXPECT_EQ(detect_flowlog_shape(many + exported), FlowLogShape::kFlowLog);
}

TEST_F(CloudWatchLogsTest, AnExportWhoseFirstLineIsGarbageIsReadAsAnExport) {
  std::string text = "\xEF\xBB\xBF<html>not a log</html>\n";
  for (int i = 0; i < 3; ++i) text += "2014-12-14T04:06:50.000Z " + kGood + "\n";
  for (const std::string& path : {write("export.log", text), write_gz("export.log.gz", text)}) {
    SCOPED_TRACE(path);
    auto stream = FlowLogStream::open(std::vector<std::string>{path});
    ASSERT_TRUE(stream) << stream.error().format();
    EXPECT_THAT(stream->shapes(), ElementsAre(FlowLogShape::kCloudWatchExport));
    const Replayed r = replay(*stream);
    EXPECT_EQ(r.report.records_read, 4u);
    EXPECT_EQ(r.report.replayed, 3u);
    EXPECT_EQ(r.report.agree, 3u);
    const SkipSummary& bad = skips(r.report, SkipReason::kBadLogEvent);
    EXPECT_EQ(bad.count, 1u);
    ASSERT_EQ(bad.examples.size(), 1u);
    EXPECT_THAT(bad.examples[0], HasSubstr(path + ":1 (timestamp prefix '"));
    EXPECT_THAT(bad.examples[0], HasSubstr("is not an ISO-8601 date-time"));
  }
  // A plain flow log with a garbage first line stays a flow log: the line is a bad record.
  const std::string plain = write("plain.log", "garbage\n" + kGood + "\n");
  auto stream = FlowLogStream::open(std::vector<std::string>{plain});
  ASSERT_TRUE(stream);
  EXPECT_THAT(stream->shapes(), ElementsAre(FlowLogShape::kFlowLog));
  const Replayed r = replay(*stream);
  EXPECT_EQ(r.report.replayed, 1u);
  EXPECT_THAT(skips(r.report, SkipReason::kWrongFieldCount).examples, ElementsAre(plain + ":1 (1 fields, the format has 14)"));
}

}  // namespace
}  // namespace vpcsim::io
