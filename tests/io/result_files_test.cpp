#include "io/result_files.h"

#include <gmock/gmock.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "io/csv.h"
#include "tests/model/network_builder.h"

namespace vpcsim::io {
namespace {

namespace fs = std::filesystem;
using test::cidr;
using test::tcp;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// A fresh directory per test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = fs::temp_directory_path() / ("vpcsim-" + std::string(info->name()) + "-" + std::to_string(::getpid()));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

HopResult dropped_by_acl(NaclId acl, SubnetId subnet) {
  HopResult h;
  h.hop = Hop::kNaclIngress;
  h.outcome = Outcome::kDropped;
  h.reason = Reason::kRuleDenied;
  h.nacl = acl;
  h.subnet = subnet;
  h.nacl_entry = NaclEntryRef{acl, Direction::kIngress, 0};
  return h;
}

// A scenario with one named flow and a run of it through every collector: the request
// (2 packets) is dropped by acl-app ingress rule 100.
class ResultFilesTest : public ::testing::Test {
 protected:
  ResultFilesTest() {
    test::NetworkBuilder b;
    const SgId web_sg = b.sg("sg-web");
    b.ingress(web_sg, tcp(22), cidr("0.0.0.0/0"));
    const NaclId acl = b.nacl("acl-app");
    b.nacl_entry(acl, Direction::kIngress, 100, RuleAction::kDeny, tcp(22), "0.0.0.0/0");
    const SubnetId subnet = b.subnet("subnet-app", "10.0.2.0/24");
    b.associate(subnet, acl);
    const EniId client = b.instance("client", subnet, "10.0.2.5", {SgId(0)});
    const EniId web = b.instance("web", subnet, "10.0.2.10", {web_sg});
    scenario_.name = "results";
    scenario_.network = b.build();
    FlowSpec spec;
    spec.name = "ssh, to web";  // a comma: the CSV must quote it
    scenario_.flows.push_back(spec);

    flow_.client = client;
    flow_.server = web;
    flow_.request = test::tcp_packet("10.0.2.5", 50000, "10.0.2.10", 22);
    flow_.start = milliseconds(1500);
    trace_.packet = flow_.request;
    trace_.hops.push_back(dropped_by_acl(acl, subnet));

    outputs_.scenario = &scenario_;
    outputs_.seed = 42;
    outputs_.horizon = seconds(4);
    outputs_.summary = &summary_;
    outputs_.time_series = &series_;
    outputs_.rule_hits = &hits_;
    outputs_.flows = &flows_;
    const PacketRecord r{milliseconds(1500), &flow_, false, &trace_, 2, 120, "request"};
    FlowResult f{&flow_, seconds(3), {}, {}};
    f.request.sent = true;
    f.request.packets_dropped = 2;
    f.request.bytes_dropped = 120;
    f.request.first_packet = flow_.request;
    f.request.first_drop = trace_.hops[0];
    for (Observer* o : std::initializer_list<Observer*>{&summary_, &series_, &hits_, &flows_}) {
      o->on_packet(r);
      o->on_flow(f);
    }
  }

  Scenario scenario_;
  Flow flow_;
  PathTrace trace_;
  SummaryCollector summary_;
  TimeSeriesCollector series_{seconds(1)};
  RuleHitCollector hits_{scenario_.network};
  FlowCollector flows_{scenario_.network};
  SimulationOutputs outputs_;
};

TEST(Csv, QuotesFieldsAsRfc4180) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  std::string row;
  append_csv_row(row, std::array{"x", "y,z"});
  EXPECT_EQ(row, "x,\"y,z\"\n");
}

TEST(Csv, SecondsAreExactDecimals) {
  EXPECT_EQ(seconds_text(SimTime(0)), "0");
  EXPECT_EQ(seconds_text(seconds(12)), "12");
  EXPECT_EQ(seconds_text(milliseconds(12500)), "12.5");
  EXPECT_EQ(seconds_text(SimTime(1)), "0.000000001");
  EXPECT_EQ(seconds_text(SimTime(1'000'000'010)), "1.00000001");
  EXPECT_EQ(seconds_text(-milliseconds(250)), "-0.25");
  EXPECT_EQ(seconds_text(SimTime(9'223'372'036'854'775'807)), "9223372036.854775807");
}

TEST_F(ResultFilesTest, WritesEveryFileWithItsHeader) {
  TempDir dir;
  const fs::path out = dir.path() / "run";  // created when missing
  ASSERT_TRUE(write_results(out, outputs_, true));

  for (const char* name :
       {"summary.json", "timeseries.csv", "rule_hits.csv", "flows.csv", "result.json", "result.pb"}) {
    EXPECT_TRUE(fs::exists(out / name)) << name;
  }
  const auto series = lines(read(out / "timeseries.csv"));
  ASSERT_EQ(series.size(), 3u);  // header, buckets [0,1) and [1,2): the flow starts and is dropped at 1.5 s
  EXPECT_THAT(series[0],
              StartsWith("start_s,end_s,flows_started,flows_worked,flows_request_dropped,flows_reply_dropped,"
                         "request_flows_allowed,request_flows_dropped,request_packets_allowed,"));
  EXPECT_THAT(series[0],
              HasSubstr(",drops_sg_egress,drops_nacl_egress,drops_nacl_ingress,drops_sg_ingress,drops_route"));
  EXPECT_EQ(series[1], "0,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0");
  EXPECT_EQ(series[2], "1,2,1,0,1,0,0,1,0,2,0,120,0,0,0,0,0,0,0,0,2,0,0");

  const auto rules = lines(read(out / "rule_hits.csv"));
  EXPECT_EQ(rules[0], "kind,group,direction,rule_number,rule_id,rule,packets,bytes,removed");
  EXPECT_THAT(rules, ::testing::Contains("nacl-entry,acl-app,ingress,100,,acl-app ingress rule 100: deny tcp 22 from "
                                         "0.0.0.0/0,2,120,false"));
  EXPECT_THAT(rules,
              ::testing::Contains("sg-rule,sg-web,ingress,1,,sg-web ingress #1: tcp 22 from 0.0.0.0/0,0,0,false"));
  EXPECT_THAT(rules, ::testing::Contains(
                         "nacl-implicit-deny,acl-app,egress,*,,acl-app egress rule * (implicit deny),0,0,false"));

  const auto flows = lines(read(out / "flows.csv"));
  ASSERT_EQ(flows.size(), 2u);
  EXPECT_THAT(flows[0], StartsWith("id,name,generated,from,to,packet,start_s,end_s,request,request_dropped_at,"
                                   "request_drop_reason,request_drop_location,request_drop_rule,"));
  EXPECT_EQ(flows[1],
            "0,\"ssh, to web\",false,client (eni-client),web (eni-web),tcp 10.0.2.5:50000 -> 10.0.2.10:22,1.5,3,"
            "dropped,nacl-ingress,rule-denied,acl-app of subnet-app,acl-app ingress rule 100: deny tcp 22 from "
            "0.0.0.0/0,0,2,0,120,not-sent,,,,,0,0,0,0,false");
}

TEST_F(ResultFilesTest, JsonAndBinaryParseBackIntoTheMessage) {
  TempDir dir;
  ASSERT_TRUE(write_results(dir.path(), outputs_, true));
  const pb::SimulationResult expected = to_simulation_result(outputs_, true);
  EXPECT_EQ(expected.flows_size(), 1);
  // sg-default ingress and egress, sg-web ingress, acl-default ingress and egress.
  EXPECT_EQ(expected.rules_never_matched(), 5u);

  pb::SimulationResult from_json;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(read(dir.path() / "result.json"), &from_json).ok());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(expected, from_json));

  pb::SimulationResult from_pb;
  ASSERT_TRUE(from_pb.ParseFromString(read(dir.path() / "result.pb")));
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(expected, from_pb));

  const std::string summary_json = read(dir.path() / "summary.json");
  EXPECT_THAT(summary_json, HasSubstr("\"flows_request_dropped\": \"1\""));
  EXPECT_THAT(summary_json, HasSubstr("\"fidelity\": \"flow\""));
  pb::SimulationResult summary;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(summary_json, &summary).ok());
  EXPECT_EQ(summary.seed(), 42u);
  EXPECT_EQ(summary.horizon_ns(), 4'000'000'000);
  EXPECT_EQ(summary.rule_hits_size(), 0);
  EXPECT_FALSE(summary.has_time_series());
}

TEST_F(ResultFilesTest, WithoutFlowsThereIsNoFlowFileAndNoFlowRecord) {
  TempDir dir;
  ASSERT_TRUE(write_results(dir.path(), outputs_, false));
  EXPECT_FALSE(fs::exists(dir.path() / "flows.csv"));
  pb::SimulationResult r;
  ASSERT_TRUE(r.ParseFromString(read(dir.path() / "result.pb")));
  EXPECT_EQ(r.flows_size(), 0);
  EXPECT_EQ(r.time_series().buckets_size(), 2);
}

TEST_F(ResultFilesTest, LeavesNoTemporaryFiles) {
  TempDir dir;
  ASSERT_TRUE(write_results(dir.path(), outputs_, true));
  ASSERT_TRUE(write_results(dir.path(), outputs_, true));  // over the first run's files
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir.path())) names.push_back(e.path().filename().string());
  std::ranges::sort(names);
  EXPECT_THAT(names, ::testing::ElementsAre("flows.csv", "result.json", "result.pb", "rule_hits.csv", "summary.json",
                                            "timeseries.csv"));
}

TEST_F(ResultFilesTest, AnUnwritableDirectoryGivesAnErrorNamingIt) {
  TempDir dir;
  const fs::path file = dir.path() / "not-a-directory";
  ASSERT_TRUE(write_file_atomically(file, "x"));
  const fs::path target = file / "run";
  const auto r = write_results(target, outputs_, true);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().file, target.string());
  EXPECT_THAT(r.error().format(), HasSubstr("cannot create the directory"));
}

TEST(WriteFileAtomically, ReplacesTheFileWhole) {
  TempDir dir;
  const fs::path file = dir.path() / "a.txt";
  ASSERT_TRUE(write_file_atomically(file, "first version, longer"));
  ASSERT_TRUE(write_file_atomically(file, "second"));
  EXPECT_EQ(read(file), "second");
}

TEST(WriteFileAtomically, AFailedRenameLeavesNoTemporaryFile) {
  TempDir dir;
  const fs::path target = dir.path() / "taken";
  fs::create_directories(target / "child");  // a non-empty directory cannot be replaced by a file
  const auto r = write_file_atomically(target, "data");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().file, target.string());
  EXPECT_THAT(r.error().message, HasSubstr("cannot rename"));
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir.path())) names.push_back(e.path().filename().string());
  EXPECT_THAT(names, ::testing::ElementsAre("taken"));
}

TEST(WriteFileAtomically, AMissingDirectoryGivesAnErrorWithTheReason) {
  TempDir dir;
  const auto r = write_file_atomically(dir.path() / "missing" / "a.txt", "data");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().file, (dir.path() / "missing" / "a.txt").string());
  EXPECT_THAT(r.error().message, HasSubstr("No such file or directory"));
}

}  // namespace
}  // namespace vpcsim::io
