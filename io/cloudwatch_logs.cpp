#include "io/cloudwatch_logs.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <charconv>

#include "io/flowlog_reader.h"
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

namespace {

// Does `line` start with "YYYY-MM-DDT"? A record never starts so (its first field is a version
// number, an id, an address or `-`, and a header starts with a field name).
bool starts_with_date(std::string_view line) {
  return line.size() >= 11 && digits(line, 0, 4) && line[4] == '-' && digits(line, 5, 2) && line[7] == '-' &&
         digits(line, 8, 2) && line[10] == 'T';
}

}  // namespace

FlowLogShape detect_flowlog_shape(std::string_view head, std::size_t fields) {
  std::size_t i = 0;
  if (head.starts_with("\xEF\xBB\xBF")) i = 3;  // a UTF-8 byte order mark
  while (i < head.size() && is_blank(head[i])) ++i;
  // '[' too: a record or header never starts so, and a JSON array gets a clear error.
  if (i < head.size() && (head[i] == '{' || head[i] == '[')) return FlowLogShape::kCloudWatchJson;
  // The first few lines that read as one shape or the other decide.
  std::vector<std::string_view> tokens;
  std::size_t pos = 0;
  std::optional<std::string_view> first_non_blank;
  for (std::size_t seen = 0, line_no = 1; pos < head.size() && seen < kShapeLines; ++line_no) {
    std::size_t nl = head.find('\n', pos);
    std::string_view line = head.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? head.size() : nl + 1;
    if (line_no == 1 && line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    ++seen;
    if (!first_non_blank) first_non_blank = line;
    if (starts_with_date(line) && split_export_line(line).problem.empty()) return FlowLogShape::kCloudWatchExport;
    if (line_no == 1 && FlowLogFormat::looks_like_header(line)) return FlowLogShape::kFlowLog;
    if (split_flowlog_fields(line, tokens, fields) == fields && !starts_with_date(line)) return FlowLogShape::kFlowLog;
  }
  if (first_non_blank && starts_with_date(*first_non_blank)) return FlowLogShape::kCloudWatchExport;
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

std::expected<LogEventsPage, Error> read_log_events_json(const std::string& path, std::string_view content) {
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
  LogEventsPage out;
  out.events.reserve(static_cast<std::size_t>(events.events_size()));
  for (auto& e : *events.mutable_events()) out.events.push_back(LogEventMessage{std::move(*e.mutable_message())});
  // FilterLogEvents: "If the results include a nextToken, there might be more log events
  // available ... If the results don't include a nextToken, then pagination is finished" (API
  // Reference, FilterLogEvents:
  // https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html).
  // The AWS CLI follows nextToken itself and prints every page joined, without it, unless
  // --no-paginate (one call: the API's nextToken is printed) or --max-items (the CLI's own
  // "NextToken" for --starting-token) stop it (AWS CLI User Guide, "Using the pagination options
  // in the AWS CLI": https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-pagination.html).
  // get-log-events always carries nextForwardToken, even at the end of the stream: no sign of
  // more pages there.
  for (const char* member : {"nextToken", "NextToken"}) {
    const auto it = top.fields().find(member);
    if (it == top.fields().end()) continue;
    const gp::Value& v = it->second;
    if (v.has_null_value() || (v.has_string_value() && v.string_value().empty())) continue;
    out.next_token_member = member;
    break;
  }
  return out;
}

Error pagination_warning(const std::string& path, const std::string& next_token_member) {
  if (next_token_member == "NextToken") {
    return Error{path, 0, 0, next_token_member,
                 "the file is the AWS CLI's output cut short by --max-items (it has a NextToken): only these "
                 "events were read; run `aws logs filter-log-events` again without --max-items (the CLI then "
                 "fetches every page), or fetch the rest with --starting-token <NextToken> and replay all the files "
                 "together"};
  }
  return Error{path, 0, 0, next_token_member,
               "the file is one page of filter-log-events results (it has a nextToken: more events may follow): "
               "only this page was read; run `aws logs filter-log-events` without --no-paginate and --max-items "
               "(the CLI then follows nextToken itself and prints every page)"};
}

}  // namespace vpcsim::io
