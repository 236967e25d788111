// VPC Flow Logs as they come out of CloudWatch Logs, the console's default destination. AWS
// publishes each flow-log record as one log event whose message is the record's text, one log
// stream per network interface (EC2 API Reference, CreateFlowLogs:
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateFlowLogs.html; VPC User
// Guide, "Publish flow logs to CloudWatch Logs":
// https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-cwl.html). Users get them back in
// two shapes, both without a header line (the log group records no format: the messages are in
// the flow log's format, the default v2 unless `--log-format` says otherwise):
//
// - kCloudWatchExport: the files of an export task (CloudWatch Logs User Guide, "Exporting log
//   data to Amazon S3": https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/S3Export.html;
//   API Reference, CreateExportTask:
//   https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateExportTask.html),
//   usually gzipped: each line is the event's ISO-8601 timestamp, a space, then the message:
//     2024-05-01T12:00:05.000Z 2 123456789010 eni-... 10.0.1.5 ... ACCEPT OK
// - kCloudWatchJson: the JSON `aws logs get-log-events` and `aws logs filter-log-events` print,
//   {"events": [{"timestamp": ..., "message": "2 123456789010 eni-...", "ingestionTime": ...},
//   ...]} (API Reference, OutputLogEvent and FilteredLogEvent:
//   https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilteredLogEvent.html;
//   filter-log-events events also carry logStreamName and eventId).
//
// The shape is decided per file from its first lines (detect_flowlog_shape): a file is one
// shape.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/error.h"

namespace vpcsim::io {

enum class FlowLogShape : std::uint8_t {
  kFlowLog,           // the flow log's own text, as delivered to S3 (optionally a header line)
  kCloudWatchExport,  // an export task's file: "<ISO-8601 timestamp> <message>" per line
  kCloudWatchJson,    // aws logs get-log-events / filter-log-events --output json
};
std::string_view to_string(FlowLogShape s);  // "flow log", "CloudWatch Logs export", ...

// How many non-blank lines detect_flowlog_shape looks at, at most.
inline constexpr std::size_t kShapeLines = 16;

// The shape of a file from its first bytes (decompressed). JSON when the first non-blank
// character is '{' or '['. Otherwise the shape of the first of the first kShapeLines non-blank
// lines that reads as one: an export line ("<ISO-8601 timestamp> <message>", split_export_line)
// or a flow-log line (a header on the file's first line, or `fields` fields: a record of the
// headerless format). So one garbage line ahead of an export's lines does not make the file
// a flow log (it is skipped as bad-log-event). When no line reads as either, the first
// non-blank line decides: an export when it starts with "YYYY-MM-DDT", else a flow log.
FlowLogShape detect_flowlog_shape(std::string_view head, std::size_t fields = 14);

// Is `ts` an ISO-8601 UTC date-time as CloudWatch writes it: YYYY-MM-DDTHH:MM:SS, optional
// fraction of 1-9 digits, then Z or a +HH:MM/-HH:MM offset; each field in range (days by month,
// leap years included)?
bool is_iso8601_timestamp(std::string_view ts);

// One line of an export file split into its message; on failure, why (for the skip example).
struct ExportLine {
  std::string_view message;  // the text after the timestamp and its space
  std::string problem;       // empty when the line is good
};
// A line "<timestamp> <message>": the message, or a problem when the first token is not an
// ISO-8601 timestamp or no message follows it.
ExportLine split_export_line(std::string_view line);

// The events of a get-log-events / filter-log-events JSON file, in file order. Fails (naming the
// file, and the line and column or JSON path when known) on invalid JSON, a top level that is not
// an object with an "events" member, or members of the wrong type. The whole file is parsed at
// once (the CLI prints a page of at most 10,000 events or 1 MB, or the pages joined).
struct LogEventMessage {
  std::string message;
};
struct LogEventsPage {
  std::vector<LogEventMessage> events;
  // Set when the file is one page of several: "nextToken" (the API's token: the CLI printed
  // the one page it fetched, as with --no-paginate) or "NextToken" (the CLI's own token: it
  // stopped at --max-items). pagination_warning words what to do.
  std::string next_token_member;
};
std::expected<LogEventsPage, Error> read_log_events_json(const std::string& path, std::string_view content);

// The warning for a page that is not the whole result (LogEventsPage::next_token_member set),
// naming `path` and how to fetch every page.
Error pagination_warning(const std::string& path, const std::string& next_token_member);

}  // namespace vpcsim::io
