#include "io/cloudwatch_logs.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <charconv>

#include "io/json_errors.h"
#include "proto/aws.pb.h"

namespace vpcsim::io {

namespace {

namespace gp = google::protobuf;

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// `n` digits at `s[pos]` as a number, or nullopt.
std::optional<int> digits(std::string_view s, std::size_t pos, std::size_t n) {
  if (pos + n > s.size()) return std::nullopt;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

}  // namespace

std::string_view to_string(FlowLogShape s) {
  switch (s) {
    case FlowLogShape::kFlowLog:
      return "flow log";
    case FlowLogShape::kCloudWatchExport:
      return "CloudWatch Logs export";
    case FlowLogShape::kCloudWatchJson:
      return "CloudWatch Logs events JSON";
  }
  return "?";
}

FlowLogShape detect_flowlog_shape(std::string_view head) {
  std::size_t i = 0;
  if (head.starts_with("\xEF\xBB\xBF")) i = 3;  // a UTF-8 byte order mark
  while (i < head.size() && is_blank(head[i])) ++i;
  // '[' too: a record or header never starts so, and a JSON array gets a clear error.
  if (i < head.size() && (head[i] == '{' || head[i] == '[')) return FlowLogShape::kCloudWatchJson;
  // "YYYY-MM-DDT": a record never starts so (its first field is a version number, an id, an
  // address or `-`, and a header starts with a field name).
  const std::string_view rest = head.substr(i);
  if (rest.size() >= 11 && digits(rest, 0, 4) && rest[4] == '-' && digits(rest, 5, 2) && rest[7] == '-' &&
      digits(rest, 8, 2) && rest[10] == 'T') {
    return FlowLogShape::kCloudWatchExport;
  }
  return FlowLogShape::kFlowLog;
}

bool is_iso8601_timestamp(std::string_view ts) {
  // YYYY-MM-DDTHH:MM:SS
  const auto year = digits(ts, 0, 4);
  const auto month = digits(ts, 5, 2);
  const auto day = digits(ts, 8, 2);
  const auto hour = digits(ts, 11, 2);
  const auto minute = digits(ts, 14, 2);
  const auto second = digits(ts, 17, 2);
  if (!year || !month || !day || !hour || !minute || !second) return false;
  if (ts[4] != '-' || ts[7] != '-' || ts[10] != 'T' || ts[13] != ':' || ts[16] != ':') return false;
  if (*month < 1 || *month > 12 || *day < 1 || *day > days_in_month(*year, *month)) return false;
  if (*hour > 23 || *minute > 59 || *second > 60) return false;  // 60: a leap second
  std::size_t pos = 19;
  if (pos < ts.size() && ts[pos] == '.') {
    std::size_t n = 0;
    while (pos + 1 + n < ts.size() && ts[pos + 1 + n] >= '0' && ts[pos + 1 + n] <= '9') ++n;
    if (n < 1 || n > 9) return false;
    pos += 1 + n;
  }
  const std::string_view zone = ts.substr(pos);
  if (zone == "Z") return true;
  if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || zone[3] != ':') return false;
  const auto zh = digits(zone, 1, 2);
  const auto zm = digits(zone, 4, 2);
  return zh && zm && *zh <= 23 && *zm <= 59;
}

ExportLine split_export_line(std::string_view line) {
  const std::size_t space = line.find_first_of(" \t");
  const std::string_view ts = line.substr(0, space);
  if (!is_iso8601_timestamp(ts)) {
    constexpr std::size_t kShown = 40;
    const std::string shown = ts.size() > kShown ? std::string(ts.substr(0, kShown)) + "..." : std::string(ts);
    return {{}, "timestamp prefix '" + shown + "' is not an ISO-8601 date-time such as 2024-05-01T12:00:05.000Z"};
  }
  std::string_view message = space == std::string_view::npos ? std::string_view{} : line.substr(space + 1);
  if (message.find_first_not_of(" \t") == std::string_view::npos) {
    return {{}, "no message after the timestamp " + std::string(ts)};
  }
  return {message, {}};
}

std::expected<std::vector<LogEventMessage>, Error> read_log_events_json(const std::string& path,
                                                                        std::string_view content) {
  const gp::StringPiece piece(content.data(), content.size());
  // The top level first, as a Struct: an object with an "events" member (a describe-* dump or
  // any other JSON would otherwise parse as zero events with unknown fields ignored).
  const std::size_t first = content.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || content[first] != '{') {
    return std::unexpected(Error{path, 0, 0, "",
                                 "CloudWatch Logs events JSON must be an object {\"events\": [...]} as `aws logs "
                                 "get-log-events` or `aws logs filter-log-events` print it (without --query)"});
  }
  gp::Struct top;
  if (const auto status = gp::util::JsonStringToMessage(piece, &top); !status.ok()) {
    return std::unexpected(json_parse_error(std::string(status.message()), content, path,
                                            "invalid CloudWatch Logs events JSON: "));
  }
  if (!top.fields().contains("events")) {
    return std::unexpected(Error{path, 0, 0, "events",
                                 "JSON without an \"events\" member: vpcsim reads the output of "
                                 "`aws logs get-log-events` or `aws logs filter-log-events` (--output json)"});
  }
  aws::LogEvents events;
  gp::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;  // searchedLogStreams and whatever AWS adds later
  if (const auto status = gp::util::JsonStringToMessage(piece, &events, options); !status.ok()) {
    // Type errors read "(events[3].message): invalid value 12 for type TYPE_STRING".
    std::string msg(status.message());
    std::string field;
    if (msg.starts_with('(') && msg.find("): ") != std::string::npos) {
      field = msg.substr(1, msg.find("): ") - 1);
      msg = msg.substr(msg.find("): ") + 3);
    }
    return std::unexpected(Error{path, 0, 0, field, msg + ": not what the AWS CLI prints here"});
  }
  std::vector<LogEventMessage> out;
  out.reserve(static_cast<std::size_t>(events.events_size()));
  for (auto& e : *events.mutable_events()) out.push_back(LogEventMessage{std::move(*e.mutable_message())});
  return out;
}

}  // namespace vpcsim::io
