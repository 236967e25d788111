#include "io/junit_report.h"

#include <fmt/format.h>

#include <algorithm>

namespace vpcsim::io {

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        // XML 1.0 allows no control characters but tab, newline and carriage return.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') {
          out += "\xEF\xBF\xBD";
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string junit_xml(const JunitSuite& suite) {
  const auto failures =
      std::ranges::count_if(suite.cases, [](const JunitCase& c) { return c.failure_message.has_value(); });
  const auto skipped = std::ranges::count_if(suite.cases, [](const JunitCase& c) { return c.skipped.has_value(); });
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuites name=\"vpcsim check\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\">\n",
                     suite.cases.size(), failures, skipped);
  out += fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\">\n",
                     xml_escape(suite.name), suite.cases.size(), failures, skipped);
  for (const JunitCase& c : suite.cases) {
    out += fmt::format("    <testcase classname=\"{}\" name=\"{}\"", xml_escape(c.classname), xml_escape(c.name));
    if (!c.failure_message && !c.skipped) {
      out += "/>\n";
      continue;
    }
    out += ">\n";
    if (c.failure_message) {
      out += fmt::format("      <failure message=\"{}\" type=\"expectation\">{}</failure>\n",
                         xml_escape(*c.failure_message), xml_escape(c.failure_text));
    } else {
      out += fmt::format("      <skipped message=\"{}\"/>\n", xml_escape(*c.skipped));
    }
    out += "    </testcase>\n";
  }
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

}  // namespace vpcsim::io
