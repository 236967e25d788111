// The bundled lessons through lint: each reports what its lesson teaches (06 SSH open to the
// world, 07 mistyped ports, 08 missing outbound rules, 09 NACL ephemeral ports, ...) and
// nothing else above "info".
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "io/scenario_loader.h"
#include "model/analysis/lint.h"

namespace vpcsim::analysis {
namespace {

namespace fs = std::filesystem;

using Expected = std::multiset<std::tuple<std::string, std::string, Severity>>;  // check, group/ACL, severity

const std::map<std::string, Expected>& expected_findings() {
  static const std::map<std::string, Expected> kExpected{
      {"01-ssh-inbound-only",
       {{"VPCSIM-SG008", "sg-ssh-in", Severity::kHigh}, {"VPCSIM-SG009", "sg-out-22", Severity::kHigh}}},
      {"02-ssh-restricted", {}},
      {"03-public-web", {}},
      {"04-tiers-sg-references", {}},
      {"05-db-from-app-only", {}},
      {"06-ssh-open-to-world", {{"VPCSIM-SG001", "sg-ssh-open", Severity::kHigh}}},
      {"07-mistyped-port",
       {{"VPCSIM-SG005", "sg-web", Severity::kMedium}, {"VPCSIM-SG005", "sg-admin", Severity::kMedium}}},
      {"08-missing-outbound-rules", {{"VPCSIM-SG008", "sg-api", Severity::kHigh}}},
      {"09-nacl-ephemeral-ports",
       {{"VPCSIM-NACL001", "acl-broken", Severity::kHigh},
        {"VPCSIM-NACL002", "acl-broken", Severity::kHigh},
        {"VPCSIM-NACL001", "acl-aws-sample", Severity::kLow}}},
      {"10-rule-removed-during-session", {{"VPCSIM-SG001", "sg-open", Severity::kHigh}}},
      {"11-conntrack-idle-timeout", {}},
      {"12-internet-scanner", {{"VPCSIM-SG001", "sg-legacy", Severity::kHigh}}},
      // Nothing to add: the services it reaches need no rule, and lint must not ask for one.
      {"13-aws-services-never-filtered", {}},
  };
  return kExpected;
}

TEST(LessonsLintTest, EachLessonReportsWhatItTeaches) {
  std::size_t seen = 0;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(fs::path(VPCSIM_SOURCE_DIR) / "scenarios" / "lessons")) {
    if (entry.path().extension() == ".textproto") files.push_back(entry.path());
  }
  std::ranges::sort(files);
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.filename().string());
    const auto it = expected_findings().find(file.stem().string());
    ASSERT_NE(it, expected_findings().end()) << "a new lesson: add what lint should say about it";
    const auto s = io::load_scenario_file(file);
    ASSERT_TRUE(s.has_value());
    Expected got;
    for (const Finding& f : lint(s->network, {s->effective_model()})) {
      if (f.severity == Severity::kInfo) {
        EXPECT_EQ(f.check, "VPCSIM-SG013") << f.message;  // the only info: AWS's open outbound default
        continue;
      }
      const std::string object = f.sg ? s->network.sg(*f.sg).id : s->network.nacl(*f.nacl).id;
      got.emplace(std::string(f.check), object, f.severity);
    }
    EXPECT_EQ(got, it->second);
    ++seen;
  }
  EXPECT_EQ(seen, expected_findings().size());
}

// Lessons judged stateful still get the stateless checks when asked (--mode stateless).
TEST(LessonsLintTest, StatefulLessonUnderStatelessModeReportsMissingReplies) {
  const auto s = io::load_scenario_file(fs::path(VPCSIM_SOURCE_DIR) / "scenarios/lessons/06-ssh-open-to-world.textproto");
  ASSERT_TRUE(s.has_value());
  const auto findings = lint(s->network, {FilteringModel::kStateless});
  EXPECT_TRUE(std::ranges::none_of(findings, [](const Finding& f) { return f.check == "VPCSIM-SG008"; }))
      << "new groups allow all outbound traffic, so replies are allowed even statelessly";
}

}  // namespace
}  // namespace vpcsim::analysis
