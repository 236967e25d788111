// JUnit XML: the document's shape (counts, one testcase per case, failure and skipped
// elements) and escaping of every text and attribute.
#include "io/junit_report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace vpcsim::io {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(JunitReport, CountsAndCaseShapes) {
  JunitSuite suite{"lesson", {}};
  suite.cases.push_back({"lesson.ok-flow", "flows[0].expect[0]", std::nullopt, "", std::nullopt});
  suite.cases.push_back({"lesson.bad-flow", "flows[1].expect[0]", "stateful: reply: expected allowed, got dropped",
                         "stateful: request allowed; reply DROPPED at sg-egress\n", std::nullopt});
  suite.cases.push_back({"lesson.other", "flows[2].expect[0]", std::nullopt, "", "applies to no model that was run"});
  const std::string xml = junit_xml(suite);
  EXPECT_THAT(xml, HasSubstr("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
  EXPECT_THAT(xml,
              HasSubstr("<testsuites name=\"vpcsim check\" tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"1\">"));
  EXPECT_THAT(xml, HasSubstr("<testsuite name=\"lesson\" tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"1\">"));
  EXPECT_THAT(xml, HasSubstr("<testcase classname=\"lesson.ok-flow\" name=\"flows[0].expect[0]\"/>"));
  EXPECT_THAT(xml, HasSubstr("<failure message=\"stateful: reply: expected allowed, got dropped\" type=\"expectation\">"
                             "stateful: request allowed; reply DROPPED at sg-egress\n</failure>"));
  EXPECT_THAT(xml, HasSubstr("<skipped message=\"applies to no model that was run\"/>"));
  EXPECT_THAT(xml, HasSubstr("</testsuite>\n</testsuites>\n"));
}

TEST(JunitReport, EscapesMarkupQuotesAndControlCharacters) {
  EXPECT_EQ(xml_escape(R"(<a href="x">&'</a>)"), "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;");
  EXPECT_EQ(xml_escape("tab\tnl\nbell\x07"), "tab\tnl\nbell\xEF\xBF\xBD");
  JunitSuite suite{"a<b", {{"a<b.\"f&g\"", "x", "<oops>", "]]>", std::nullopt}}};
  const std::string xml = junit_xml(suite);
  EXPECT_THAT(xml, HasSubstr("classname=\"a&lt;b.&quot;f&amp;g&quot;\""));
  EXPECT_THAT(xml, HasSubstr("message=\"&lt;oops&gt;\""));
  EXPECT_THAT(xml, HasSubstr("]]&gt;</failure>"));
  EXPECT_THAT(xml, Not(HasSubstr("<oops>")));
}

}  // namespace
}  // namespace vpcsim::io
