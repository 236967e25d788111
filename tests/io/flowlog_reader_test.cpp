// Flow-log reading: formats, fields, placeholders, every class of bad record, gzip and
// directories (io/flowlog_reader.h).
#include "io/flowlog_reader.h"
#include "flowlog_files.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>

namespace vpcsim::io {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

constexpr std::string_view kHeaderV2 =
    "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action "
    "log-status";
constexpr std::string_view kSsh =
    "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT "
    "OK";

std::expected<ParsedFlowRecord, SkipReason> parse_v2(std::string_view line) {
  static const FlowLogFormat format = FlowLogFormat::default_v2();
  FlowRecordParser parser(format);
  return parser.parse(line);
}

SkipReason skip_v2(std::string_view line) {
  const auto r = parse_v2(line);
  EXPECT_FALSE(r.has_value()) << line;
  return r ? SkipReason::kCount : r.error();
}

TEST(FlowLogFormat, DefaultIsVersionTwoFourteenFields) {
  const FlowLogFormat f = FlowLogFormat::default_v2();
  EXPECT_EQ(f.size(), 14u);
  EXPECT_EQ(f.header(), kHeaderV2);
  EXPECT_EQ(f.column(FlowLogField::kAction), 12u);
  EXPECT_EQ(f.column(FlowLogField::kFlowDirection), std::nullopt);
}

TEST(FlowLogFormat, AcceptsAwsLogFormatSyntaxAndUnknownFields) {
  const auto f = FlowLogFormat::parse_spec(
      "${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} some-new-field");
  ASSERT_TRUE(f) << f.error();
  EXPECT_EQ(f->size(), 7u);
  EXPECT_EQ(f->fields().back(), "some-new-field");
  EXPECT_EQ(f->column(FlowLogField::kAction), std::nullopt);
}

TEST(FlowLogFormat, RejectsDuplicatesBadNamesAndMissingFields) {
  EXPECT_THAT(FlowLogFormat::parse_spec("interface-id srcaddr srcaddr").error(), HasSubstr("named twice"));
  EXPECT_THAT(FlowLogFormat::parse_spec("interface-id 10.0.0.1").error(), HasSubstr("not a field name"));
  const auto no_dstport = FlowLogFormat::parse_spec("version interface-id srcaddr dstaddr srcport protocol");
  ASSERT_TRUE(no_dstport);
  EXPECT_EQ(no_dstport->missing_for_replay(), std::vector<std::string>{"dstport"});
  EXPECT_TRUE(FlowLogFormat::default_v2().missing_for_replay().empty());
  EXPECT_THAT(FlowLogFormat::parse_spec("").error(), HasSubstr("no field"));
}

TEST(FlowLogFormat, TellsHeaderFromRecord) {
  EXPECT_TRUE(FlowLogFormat::looks_like_header(kHeaderV2));
  EXPECT_TRUE(FlowLogFormat::looks_like_header("interface-id srcaddr future-field"));
  EXPECT_FALSE(FlowLogFormat::looks_like_header(kSsh));
  EXPECT_FALSE(FlowLogFormat::looks_like_header("eni-123 vpc-456 subnet-789"));  // ids, not field names
  EXPECT_FALSE(FlowLogFormat::looks_like_header(""));
}

TEST(FlowRecordParser, ReadsEveryDefaultField) {
  const auto r = parse_v2(kSsh);
  ASSERT_TRUE(r);
  const FlowObservation& o = r->observation;
  EXPECT_EQ(o.interface_id, "eni-1235b8ca123456789");
  EXPECT_EQ(o.packet.src.to_string(), "172.31.16.139");
  EXPECT_EQ(o.packet.dst.to_string(), "172.31.16.21");
  EXPECT_EQ(o.packet.src_port, 20641);
  EXPECT_EQ(o.packet.dst_port, 22);
  EXPECT_EQ(o.packet.protocol, 6);
  EXPECT_EQ(o.start, 1418530010);
  EXPECT_EQ(o.end, 1418530070);
  EXPECT_EQ(o.recorded, RecordedAction::kAccept);
  EXPECT_EQ(o.direction, std::nullopt);
  ASSERT_TRUE(r->action_span);
  EXPECT_EQ(kSsh.substr(r->action_span->first, r->action_span->second), "ACCEPT");
}

TEST(FlowRecordParser, ReadsIpv6Records) {
  const auto r = parse_v2("2 1 eni-a 2001:db8::1 2001:db8:0:1::10 50000 443 6 1 1 1 1 ACCEPT OK");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->observation.packet.family(), Family::kIpv6);
  EXPECT_EQ(r->observation.packet.dst.to_string(), "2001:db8:0:1::10");
}

TEST(FlowRecordParser, SplitsOnRunsOfSpaces) {
  // One of AWS's examples has a double space between two fields.
  const auto r = parse_v2(
      "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21  20641 22 6 20 4249 1418530010 1418530070 "
      "REJECT OK");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->observation.packet.src_port, 20641);
  EXPECT_EQ(r->observation.recorded, RecordedAction::kReject);
}

TEST(FlowRecordParser, NoDataAndSkipDataAreSkippedWithTheirReason) {
  EXPECT_EQ(skip_v2("2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA"),
            SkipReason::kNoData);
  EXPECT_EQ(skip_v2("2 123456789010 eni-11111111aaaaaaaaa - - - - - - - 1431280876 1431280934 - SKIPDATA"),
            SkipReason::kSkipData);
}

TEST(FlowRecordParser, IcmpPortsMayBeZeroOrDash) {
  for (const char* line : {"2 1 eni-a 203.0.113.12 172.31.16.139 0 0 1 4 336 1432917027 1432917142 ACCEPT OK",
                           "2 1 eni-a 203.0.113.12 172.31.16.139 - - 1 4 336 1432917027 1432917142 ACCEPT OK"}) {
    const auto r = parse_v2(line);
    ASSERT_TRUE(r) << line;
    EXPECT_EQ(r->observation.packet.protocol, 1);
    EXPECT_EQ(r->observation.packet.src_port, 0);
  }
  EXPECT_EQ(skip_v2("2 1 eni-a 203.0.113.12 172.31.16.139 - 22 6 4 336 1432917027 1432917142 ACCEPT OK"),
            SkipReason::kBadPort);
}

TEST(FlowRecordParser, EveryBadFieldHasItsReason) {
  EXPECT_EQ(skip_v2(""), SkipReason::kBlankLine);
  EXPECT_EQ(skip_v2("   "), SkipReason::kBlankLine);
  EXPECT_EQ(skip_v2("2 1 eni-a 10.0.0.1 10.0.0.2 1 22 6 1 1 1 1 ACCEPT"), SkipReason::kWrongFieldCount);
  EXPECT_EQ(skip_v2("2 1 eni-a 10.0.0.1 10.0.0.2 1 22 6 1 1 1 1 ACCEPT OK extra"), SkipReason::kWrongFieldCount);
  EXPECT_EQ(skip_v2("2 1 eni-a 10.0.0.300 10.0.0.2 1 22 6 1 1 1 1 ACCEPT OK"), SkipReason::kBadAddress);
  EXPECT_EQ(skip_v2("2 1 eni-a 10.0.0.1 2001:db8::1 1 22 6 1 1 1 1 ACCEPT OK"), SkipReason::kBadAddress);
  EXPECT_EQ(skip_v2("2 1 eni-a 10.0.0.1 10.0.0.2 x 22 6 1 1 1 1 ACCEPT OK"), SkipReason::kBadPort);
  EXPECT_EQ(skip_v2("2 1 eni-a 10.0.0.1 10.0.0.2 1 65536 6 1 1 1 1 ACCEPT OK"), SkipReason::kBadPort);
  EXPECT_EQ(skip_v2("2 1 eni-a 10.0.0.1 10.0.0.2 1 22 tcp 1 1 1 1 ACCEPT OK"), SkipReason::kBadProtocol);
  EXPECT_EQ(skip_v2("2 1 eni-a 10.0.0.1 10.0.0.2 1 22 256 1 1 1 1 ACCEPT OK"), SkipReason::kBadProtocol);
  EXPECT_EQ(skip_v2("2 1 eni-a 10.0.0.1 10.0.0.2 1 22 6 1 1 soon 1 ACCEPT OK"), SkipReason::kBadTime);
  EXPECT_EQ(skip_v2("2 1 eni-a 10.0.0.1 10.0.0.2 1 22 6 1 1 1 - ACCEPT OK"), SkipReason::kBadTime);
  EXPECT_EQ(skip_v2("2 1 eni-a 10.0.0.1 10.0.0.2 1 22 6 1 1 1 1 DROP OK"), SkipReason::kBadAction);
  EXPECT_EQ(skip_v2("2 1 eni-a 10.0.0.1 10.0.0.2 1 22 6 1 1 1 1 ACCEPT FINE"), SkipReason::kBadLogStatus);
}

TEST(FlowRecordParser, ProblemsNameTheFieldsAndTheirValues) {
  const FlowLogFormat format = FlowLogFormat::default_v2();
  FlowRecordParser p(format);
  const auto problem = [&](std::string_view line) {
    const auto r = p.parse(line);
    EXPECT_FALSE(r.has_value()) << line;
    return r ? std::string() : p.problem(r.error());
  };
  EXPECT_EQ(problem("2 1 eni-a 10.0.0.1 10.0.0.2 x 22 6 1 1 1 1 ACCEPT OK"), "srcport 'x' dstport '22'");
  EXPECT_EQ(problem("2 1 eni-a 10.0.0.1"), "4 fields, the format has 14");
  EXPECT_EQ(problem("2 1 eni-a 10.0.0.1 10.0.0.2 1 22 6 1 1 1 1 ACCEPT OK more"),
            "more than 14 fields, the format has 14");
  EXPECT_EQ(problem("2 1 eni-a 10.0.0.1 10.0.0.2 1 22 6 1 1 1 1 DROP OK"), "action 'DROP'");
  EXPECT_EQ(problem("2 1 eni-a 10.0.0.1 bad 1 22 6 1 1 1 1 ACCEPT OK"), "srcaddr '10.0.0.1' dstaddr 'bad'");
}

TEST(FlowRecordParser, TransitGatewayRecordsHaveNoInterface) {
  // Transit Gateway flow logs (version 6) name no interface-id: a per-record skip, not fatal.
  const auto f = FlowLogFormat::parse_spec(
      "version resource-type account-id tgw-id tgw-attachment-id srcaddr dstaddr srcport dstport protocol packets "
      "bytes start end log-status");
  ASSERT_TRUE(f) << f.error();
  FlowRecordParser p(*f);
  const auto r =
      p.parse("6 TransitGateway 123456789010 tgw-123 tgw-attach-456 10.0.0.1 10.1.0.1 41000 443 6 10 600 1 2 OK");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->observation.interface_id, "-");
}

TEST(FlowRecordParser, ReadsVersionFiveFields) {
  const auto f = FlowLogFormat::parse_spec(
      "version interface-id srcaddr dstaddr srcport dstport protocol tcp-flags "
      "flow-direction action pkt-srcaddr traffic-path");
  ASSERT_TRUE(f);
  FlowRecordParser p(*f);
  const auto in = p.parse("5 eni-a 52.95.128.179 10.0.0.71 80 34210 6 19 ingress ACCEPT 52.95.128.179 -");
  ASSERT_TRUE(in);
  EXPECT_EQ(in->observation.direction, Direction::kIngress);
  EXPECT_EQ(in->observation.packet.tcp_flags, Packet::kSyn | Packet::kAck | Packet::kFin);  // 19 = SYN-ACK + FIN
  const auto out = p.parse("5 eni-a 10.0.0.71 52.95.128.179 34210 80 6 3 egress ACCEPT 10.0.0.71 8");
  ASSERT_TRUE(out);
  EXPECT_EQ(out->observation.direction, Direction::kEgress);
  EXPECT_EQ(out->observation.packet.tcp_flags, Packet::kSyn | Packet::kFin);
  EXPECT_EQ(p.parse("5 eni-a 10.0.0.71 52.95.128.179 34210 80 6 3 sideways ACCEPT 10.0.0.71 8").error(),
            SkipReason::kBadFlowDirection);
  EXPECT_EQ(p.parse("5 eni-a 10.0.0.71 52.95.128.179 34210 80 6 999 egress ACCEPT 10.0.0.71 8").error(),
            SkipReason::kBadTcpFlags);
  // Without start, records are all at time 0 (replayed in file order).
  EXPECT_EQ(out->observation.start, 0);
}

using FlowLogFiles = testing::FlowLogFilesTest;

TEST_F(FlowLogFiles, ReadsHeaderAndCountsLines) {
  const std::string file = write("a.log", std::string(kHeaderV2) + "\n" + std::string(kSsh) + "\r\n\n");
  const std::vector<std::string> inputs{file};
  const auto set = read_flowlogs(inputs);
  ASSERT_TRUE(set) << set.error().format();
  EXPECT_TRUE(set->any_header);
  EXPECT_EQ(set->header_lines, 1u);
  ASSERT_EQ(set->lines.size(), 2u);           // the record and the blank line
  EXPECT_EQ(set->text(set->lines[0]), kSsh);  // without the \r
  EXPECT_EQ(set->location(set->lines[1]), file + ":3");
}

TEST_F(FlowLogFiles, GzipIsReadByContentAndTruncationNamesTheFile) {
  std::string text;
  for (int i = 0; i < 200; ++i) text += std::string(kSsh) + "\n";
  const std::string gz = write_gz("b.log.gz", text);
  const auto read = read_flowlogs(std::vector<std::string>{gz});
  ASSERT_TRUE(read) << read.error().format();
  ASSERT_EQ(read->lines.size(), 200u);
  for (const FlowLogLine& l : read->lines) EXPECT_EQ(read->text(l), kSsh);
  std::ifstream in(gz, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string cut = write("c.log.gz", bytes.substr(0, bytes.size() / 2));
  const auto bad = read_flowlogs(std::vector<std::string>{cut});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().file, cut);
  EXPECT_THAT(bad.error().message, HasSubstr("truncated gzip"));
  const auto corrupt = read_flowlogs(std::vector<std::string>{write("d.log.gz", std::string("\x1f\x8b") + std::string(40, 'x'))});
  ASSERT_FALSE(corrupt);
  EXPECT_THAT(corrupt.error().message, HasSubstr("gzip"));
}

TEST_F(FlowLogFiles, DirectoriesAreReadRecursivelyInSortedOrder) {
  write("logs/b/2.log", "2 1 eni-b 10.0.0.1 10.0.0.2 1 22 6 1 1 1 1 ACCEPT OK\n");
  write("logs/a.log", "2 1 eni-a 10.0.0.1 10.0.0.2 1 22 6 1 1 1 1 ACCEPT OK\n");
  write_gz("logs/b/1.log.gz", "2 1 eni-c 10.0.0.1 10.0.0.2 1 22 6 1 1 1 1 ACCEPT OK\n");
  const std::vector<std::string> inputs{(dir_ / "logs").string()};
  const auto set = read_flowlogs(inputs);
  ASSERT_TRUE(set) << set.error().format();
  ASSERT_EQ(set->files.size(), 3u);
  EXPECT_THAT(set->files[0].path, HasSubstr("a.log"));
  EXPECT_THAT(set->files[1].path, HasSubstr("b/1.log.gz"));
  EXPECT_THAT(set->files[2].path, HasSubstr("b/2.log"));
}

TEST_F(FlowLogFiles, FatalInputErrorsNameTheFile) {
  const std::vector<std::string> missing{(dir_ / "nope").string()};
  EXPECT_THAT(read_flowlogs(missing).error().format(), HasSubstr("no such file"));
  const std::string v2 = write("v2.log", std::string(kSsh) + "\n");
  const std::string v5 =
      write("v5.log", "interface-id srcaddr dstaddr srcport dstport protocol\neni-a 10.0.0.1 10.0.0.2 1 2 6\n");
  const std::vector<std::string> mixed{v2, v5};
  const auto err = read_flowlogs(mixed);
  ASSERT_FALSE(err);
  EXPECT_EQ(err.error().file, v5);
  EXPECT_THAT(err.error().message, HasSubstr("differ"));
  const auto parquet = read_flowlogs(std::vector<std::string>{write("p.parquet", "PAR1\x15\x04")});
  ASSERT_FALSE(parquet);
  EXPECT_THAT(parquet.error().message, HasSubstr("Parquet"));
  const std::string bad_header = write("h.log", "version srcaddr srcaddr\n");
  const std::vector<std::string> h{bad_header};
  EXPECT_THAT(read_flowlogs(h).error().format(), HasSubstr(bad_header + ":1"));
}

TEST_F(FlowLogFiles, HeaderlessFilesTakeTheGivenFormat) {
  const std::string file = write("cw.log", "eni-a 10.0.0.1 10.0.0.2 1 22 6 ACCEPT\n");
  const auto format =
      FlowLogFormat::parse_spec("${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${action}");
  ASSERT_TRUE(format);
  const std::vector<std::string> inputs{file};
  const auto set = read_flowlogs(inputs, *format);
  ASSERT_TRUE(set);
  EXPECT_FALSE(set->any_header);
  EXPECT_EQ(set->format, *format);
}

}  // namespace
}  // namespace vpcsim::io
