// Replaying flow-log files and writing the result (io/flowlog_replay.h): the output format
// byte for byte, the agreement tally and the totals.
#include "io/flowlog_replay.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "io/flowlog_stream.h"
#include "io/scenario_loader.h"

namespace vpcsim::io {
namespace {

using ::testing::HasSubstr;

const std::string kDir = std::string(VPCSIM_SOURCE_DIR) + "/scenarios/flowlogs/";

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const Scenario& examples() {
  static const Scenario s = *load_scenario_file(kDir + "aws-examples.textproto");
  return s;
}

FlowLogSet read(const std::string& name) {
  const std::vector<std::string> inputs{kDir + name};
  auto set = read_flowlogs(inputs);
  EXPECT_TRUE(set) << set.error().format();
  return std::move(*set);
}

// An in-memory set of one file "mem" holding `text` (lines ending in '\n') in `format`.
FlowLogSet text_set(std::string_view text, const FlowLogFormat& format) {
  FlowLogSet set;
  set.format = format;
  set.files.push_back({"mem"});
  std::size_t begin = 0;
  for (std::uint32_t line = 1; begin < text.size(); ++line) {
    const std::size_t end = text.find('\n', begin);
    set.add(StreamLine{0, line, text.substr(begin, end - begin)});
    begin = end + 1;
  }
  return set;
}

void expect_totals_add_up(const ReplayReport& r) {
  EXPECT_EQ(r.records_read, r.replayed + r.skipped);
  std::uint64_t by_reason = 0;
  for (const SkipSummary& s : r.skips) by_reason += s.count;
  EXPECT_EQ(by_reason, r.skipped);
  EXPECT_EQ(r.replayed, r.simulated_accept + r.simulated_reject);
  EXPECT_EQ(r.compared, r.agree + r.disagree);
  std::uint64_t grouped = 0;
  for (const Disagreement& d : r.disagreements) grouped += d.count;
  EXPECT_EQ(grouped, r.disagree);
}

TEST(FlowLogReplay, OutputIsTheSameFormatByteForByte) {
  for (const std::string name : {"v2-default.log", "v2-header.log", "v5-custom.log"}) {
    SCOPED_TRACE(name);
    const FlowLogSet set = read(name);
    const ReplayRun run = replay_flowlogs(set, examples().network, FilteringModel::kStateful);
    const std::string base = name.substr(0, name.size() - 4);
    EXPECT_EQ(emit_flowlog(set, run),
              slurp(std::string(VPCSIM_SOURCE_DIR) + "/tests/io/data/" + base + ".stateful.expected"));
    expect_totals_add_up(run.report);
    EXPECT_EQ(run.report.disagree, 0u);
  }
}

TEST(FlowLogReplay, EveryInputFieldIsKeptAndOnlyActionChanges) {
  const FlowLogSet set = read("v2-header.log");
  const ReplayRun run = replay_flowlogs(set, examples().network, FilteringModel::kStateless);
  std::istringstream out(emit_flowlog(set, run));
  std::string line;
  std::getline(out, line);
  EXPECT_EQ(line, set.format.header() + " " + std::string(kReplayColumns));
  std::size_t i = 0, changed = 0;
  while (std::getline(out, line)) {
    while (set.text(set.lines[i]).empty()) ++i;
    const std::string_view in = set.text(set.lines[i++]);
    // The 14 input fields, then four columns.
    std::vector<std::string_view> a, b;
    split_flowlog_fields(in, a, 100);
    split_flowlog_fields(line, b, 100);
    ASSERT_EQ(b.size(), a.size() + 4) << line;
    for (std::size_t k = 0; k < a.size(); ++k) {
      if (k == 12) {
        changed += a[k] != b[k];
        EXPECT_EQ(b[15], a[k]);  // vpcsim-recorded-action
      } else {
        EXPECT_EQ(a[k], b[k]);
      }
    }
  }
  EXPECT_EQ(changed, 1u);  // the SSH reply at admin: REJECT without tracking
  EXPECT_EQ(run.report.disagree, 1u);
  ASSERT_EQ(run.report.disagreements.size(), 1u);
  const Disagreement& d = run.report.disagreements[0];
  EXPECT_EQ(d.hop, Hop::kSgIngress);
  EXPECT_EQ(d.recorded, RecordedAction::kAccept);
  EXPECT_FALSE(d.simulated_accept);
  EXPECT_EQ(d.rule, "no rule matched");
  EXPECT_THAT(d.examples.at(0), HasSubstr("v2-header.log:11"));
}

TEST(FlowLogReplay, SkippedRecordsAreCountedByReasonWithTheirLines) {
  const FlowLogSet set = read("v2-header.log");
  const ReplayRun run = replay_flowlogs(set, examples().network, FilteringModel::kStateful);
  const auto& skips = run.report.skips;
  EXPECT_EQ(skips[static_cast<std::size_t>(SkipReason::kNoData)].count, 1u);
  EXPECT_EQ(skips[static_cast<std::size_t>(SkipReason::kSkipData)].count, 1u);
  EXPECT_EQ(skips[static_cast<std::size_t>(SkipReason::kUnknownInterface)].count, 1u);
  EXPECT_THAT(skips[static_cast<std::size_t>(SkipReason::kUnknownInterface)].examples.at(0),
              HasSubstr("v2-header.log:12 (eni-9999999999999999a)"));
  EXPECT_EQ(run.report.records_read, 11u);
  EXPECT_EQ(run.report.header_lines, 1u);
  expect_totals_add_up(run.report);
}

TEST(FlowLogReplay, RecordsOfAwsServiceTrafficAreSkippedNotJudged) {
  // web's groups allow no inbound DNS or HTTP and its ACL lets no UDP out: judged, these records
  // would be REJECTs. Security groups and network ACLs never filter the metadata service or the
  // VPC's DNS server (VPC User Guide, "Security in Amazon VPC"), so a record that names one (AWS
  // does not log them: "Flow log limitations") is skipped, counted, and never a disagreement.
  const auto format = FlowLogFormat::parse_spec("interface-id srcaddr dstaddr srcport dstport protocol action");
  ASSERT_TRUE(format);
  const FlowLogSet set = text_set(
      "eni-1235b8ca123456789 172.31.16.139 169.254.169.254 50000 80 6 REJECT\n"
      "eni-1235b8ca123456789 169.254.169.254 172.31.16.139 80 50000 6 ACCEPT\n"
      "eni-1235b8ca123456789 172.31.16.139 172.31.0.2 50001 53 17 ACCEPT\n"
      "eni-1235b8ca123456789 172.31.16.139 169.254.169.252 50002 123 17 ACCEPT\n",
      *format);
  const ReplayRun run = replay_flowlogs(set, examples().network, FilteringModel::kStateful);
  const SkipSummary& aws = run.report.skips[static_cast<std::size_t>(SkipReason::kAwsService)];
  EXPECT_EQ(aws.count, 3u);
  ASSERT_EQ(aws.examples.size(), 3u);
  EXPECT_EQ(aws.examples[0], "mem:1 (eni-1235b8ca123456789: 169.254.169.254 is the instance metadata service)");
  EXPECT_EQ(aws.examples[2], "mem:3 (eni-1235b8ca123456789: 172.31.0.2 is the Amazon DNS (Route 53 Resolver))");
  // An ordinary link-local address is judged like any other: web's ACL lets no UDP out.
  EXPECT_EQ(run.report.replayed, 1u);
  EXPECT_EQ(run.report.simulated_reject, 1u);
  EXPECT_EQ(run.report.disagree, 1u);
  EXPECT_EQ(run.report.compared, 1u);
  expect_totals_add_up(run.report);
  EXPECT_THAT(emit_flowlog(set, run),
              HasSubstr("eni-1235b8ca123456789 172.31.16.139 169.254.169.254 50000 80 6 REJECT - REJECT - "
                        "skipped:aws-service\n"));
}

TEST(FlowLogReplay, FormatWithoutActionStillGetsTheSimulatedColumn) {
  const auto format = FlowLogFormat::parse_spec("interface-id srcaddr dstaddr srcport dstport protocol");
  ASSERT_TRUE(format);
  FlowLogSet set;
  set.format = *format;
  set.files.push_back({"mem"});
  set.add(StreamLine{0, 1, "eni-1235b8ca123456789 172.31.9.69 172.31.16.139 50022 3389 6"});
  const ReplayRun run = replay_flowlogs(set, examples().network, FilteringModel::kStateful);
  EXPECT_EQ(run.report.compared, 0u);
  EXPECT_EQ(emit_flowlog(set, run),
            "eni-1235b8ca123456789 172.31.9.69 172.31.16.139 50022 3389 6 REJECT - sg-ingress no%20rule%20matched\n");
}

TEST(FlowLogReplay, UnknownFieldsAreCopiedThrough) {
  const auto format =
      FlowLogFormat::parse_spec("interface-id future-field srcaddr dstaddr srcport dstport protocol action");
  ASSERT_TRUE(format);
  FlowLogSet set;
  set.format = *format;
  set.any_header = true;
  const std::string line = "eni-1235b8ca123456789 some=thing  172.31.9.69 172.31.16.139 50022 22 6 REJECT";
  set.files.push_back({"mem"});
  set.add(StreamLine{0, 2, line});
  const ReplayRun run = replay_flowlogs(set, examples().network, FilteringModel::kStateful);
  EXPECT_EQ(
      emit_flowlog(set, run),
      "interface-id future-field srcaddr dstaddr srcport dstport protocol action " + std::string(kReplayColumns) +
          "\n"
          "eni-1235b8ca123456789 some=thing  172.31.9.69 172.31.16.139 50022 22 6 ACCEPT ACCEPT REJECT sg-ingress "
          "sg-web%20ingress%20#1:%20tcp%2022%20from%20172.31.0.0/16\n");
  EXPECT_EQ(run.report.disagree, 1u);
}

// An IPv6-only instance (no private IPv4) in an IPv6-only subnet: its flow-log records carry
// IPv6 addresses only, and without flow-direction the replay tells the direction by finding
// the interface's own IPv6 address (VPC User Guide, "Flow log records": srcaddr/dstaddr are
// IPv4 or IPv6).
TEST(FlowLogReplay, RecordsOfAnIpv6OnlyInterfaceAreJudged) {
  const auto scenario = load_scenario_string(
      R"pb(
        vpc {
          id: "vpc-1"
          cidr_blocks: "10.0.0.0/16"
          ipv6_cidr_blocks: "2600:1f18:1234:5600::/56"
          internet_gateway: true
        }
        subnets { id: "v6" ipv6_cidr: "2600:1f18:1234:5602::/64" internet_route: true }
        security_groups {
          id: "sg-api"
          name: "api"
          ingress { protocol: "tcp" ports: "443" cidr: "::/0" }
          egress { protocol: "all" cidr: "::/0" }
        }
        instances {
          name: "api"
          interfaces { id: "eni-v6" subnet: "v6" ipv6_addresses: "2600:1f18:1234:5602::20" security_groups: "sg-api" }
        }
      )pb",
      "v6.textproto", ScenarioFormat::kText);
  ASSERT_TRUE(scenario) << scenario.error().front().format();
  const auto format =
      FlowLogFormat::parse_spec("interface-id srcaddr dstaddr srcport dstport protocol start end action");
  ASSERT_TRUE(format);
  const FlowLogSet set = text_set(
      "eni-v6 2001:db8::7 2600:1f18:1234:5602::20 50000 443 6 100 110 ACCEPT\n"  // inbound https: allowed
      "eni-v6 2600:1f18:1234:5602::20 2001:db8::7 443 50000 6 100 110 ACCEPT\n"  // its reply, outbound
      "eni-v6 2001:db8::7 2600:1f18:1234:5602::20 50001 22 6 120 120 REJECT\n",  // inbound ssh: no rule
      *format);
  for (const FilteringModel m : {FilteringModel::kStateful, FilteringModel::kStateless}) {
    SCOPED_TRACE(to_string(m));
    const ReplayRun run = replay_flowlogs(set, scenario->network, m);
    EXPECT_EQ(run.report.skipped, 0u);
    EXPECT_EQ(run.report.replayed, 3u);
    EXPECT_EQ(run.report.simulated_accept, 2u);
    EXPECT_EQ(run.report.simulated_reject, 1u);
    EXPECT_EQ(run.report.agree, 3u);
    const std::string out = emit_flowlog(set, run);
    EXPECT_THAT(out, HasSubstr("50001 22 6 120 120 REJECT REJECT REJECT sg-ingress no%20rule%20matched"));
    EXPECT_THAT(out, HasSubstr("443 50000 6 100 110 ACCEPT ACCEPT ACCEPT sg-egress"));
  }
}

TEST(FlowLogReplay, ColumnsAreSpaceFreeAndReversible) {
  EXPECT_EQ(encode_column("a b%c\td"), "a%20b%25c%09d");
  EXPECT_EQ(encode_column(""), "-");
}

}  // namespace
}  // namespace vpcsim::io
