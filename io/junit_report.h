// JUnit XML, the report format CI systems (GitLab, Jenkins, GitHub test reporters) show test
// by test: one <testsuite> of <testcase>s, each passed, failed (<failure>) or skipped.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace vpcsim::io {

struct JunitCase {
  std::string classname;  // "scenario.flow"
  std::string name;
  std::optional<std::string> failure_message;  // one line; set when the case failed
  std::string failure_text;                    // details of the failure
  std::optional<std::string> skipped;          // why, when the case was not checked
};

struct JunitSuite {
  std::string name;
  std::vector<JunitCase> cases;
};

// The document, UTF-8, every text and attribute escaped; characters XML 1.0 cannot carry
// (control characters other than tab, newline, carriage return) become U+FFFD.
std::string junit_xml(const JunitSuite& suite);

// Text escaped for XML content and attribute values.
std::string xml_escape(std::string_view text);

}  // namespace vpcsim::io
