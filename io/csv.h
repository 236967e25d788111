// Writing CSV: RFC 4180 quoting, and times as exact decimal seconds. Rows end in "\n" rather
// than RFC 4180's CRLF, as spreadsheet and data-frame readers accept either.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "model/sim_time.h"

namespace vpcsim::io {

// RFC 4180: a field holding a comma, a double quote or a line break is enclosed in double
// quotes, and each double quote inside is doubled.
inline std::string csv_field(std::string_view v) {
  if (v.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(v);
  std::string out = "\"";
  for (const char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

// Appends one row: the fields quoted as needed, separated by commas, ended by "\n".
template <class Fields>
void append_csv_row(std::string& out, const Fields& fields) {
  bool first = true;
  for (const auto& f : fields) {
    if (!first) out += ',';
    out += csv_field(f);
    first = false;
  }
  out += '\n';
}

// Simulated time in seconds with as many decimals as it needs, up to 9: "0", "12.5",
// "0.000000001". Computed from the integer nanoseconds, so it is exact.
inline std::string seconds_text(SimTime t) {
  const std::int64_t ns = t.count();
  // Through unsigned arithmetic so that the most negative value has a magnitude too.
  const std::uint64_t magnitude = ns < 0 ? 0 - static_cast<std::uint64_t>(ns) : static_cast<std::uint64_t>(ns);
  std::string out = (ns < 0 ? "-" : "") + std::to_string(magnitude / 1'000'000'000);
  std::uint64_t fraction = magnitude % 1'000'000'000;
  if (fraction == 0) return out;
  int digits = 9;
  while (fraction % 10 == 0) {
    fraction /= 10;
    --digits;
  }
  const std::string f = std::to_string(fraction);
  return out + '.' + std::string(static_cast<std::size_t>(digits) - f.size(), '0') + f;
}

}  // namespace vpcsim::io
