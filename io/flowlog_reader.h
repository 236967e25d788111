// Reading VPC Flow Log files (VPC User Guide, "Flow log records" and "Flow log record
// examples": https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html,
// https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-records-examples.html).
//
// - The default format is version 2's fourteen fields, in this order:
//     version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes
//     start end action log-status
// - A custom format is any subset of the fields, in any order. Files delivered to S3 begin with
//   a header line naming the fields; CloudWatch Logs exports have none (give the format with
//   FlowLogFormat::parse_spec, as `--log-format` does). Field names this reader does not know
//   are kept as opaque text.
// - Fields are separated by runs of spaces (one of AWS's examples has a double space); `-`
//   stands for "not applicable"; NODATA and SKIPDATA records carry `-` in every flow field.
// - Files are plain text or gzip (S3 delivers .log.gz; detected by content, not by name);
//   a directory is read recursively, its files in sorted path order. Flow logs exported from
//   CloudWatch Logs are read too (io/cloudwatch_logs.h).
// - The reading itself is FlowLogStream's (io/flowlog_stream.h); read_flowlogs holds what it
//   reads in memory.
#pragma once

#include <array>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "io/cloudwatch_logs.h"
#include "model/error.h"
#include "sim/replay.h"

namespace vpcsim::io {

// The fields the replay reads; every other field is carried through as text.
enum class FlowLogField : std::uint8_t {
  kInterfaceId,
  kSrcAddr,
  kDstAddr,
  kSrcPort,
  kDstPort,
  kProtocol,
  kStart,
  kEnd,
  kAction,
  kLogStatus,
  kTcpFlags,
  kFlowDirection,
  kCount,
};

class FlowLogFormat {
 public:
  // version 2, the default format.
  static FlowLogFormat default_v2();
  // A header line or a --log-format value: field names separated by spaces, each optionally
  // written as AWS's API takes it, `${name}`. Fails when a field is named twice or a name is not
  // field-name text.
  static std::expected<FlowLogFormat, std::string> parse_spec(std::string_view spec);
  // Does `line` look like a header: field-name tokens only, the first a field AWS defines?
  // (A record never begins with a field name: values are numbers, ids, addresses or `-`.)
  static bool looks_like_header(std::string_view line);
  // Every field name AWS documents (versions 2-5, 7 and later ones), for the README and tests.
  static std::span<const std::string_view> known_fields();

  // The fields a replay needs (interface-id, srcaddr, dstaddr, srcport, dstport, protocol) that
  // this format lacks. Not an error: every record of such a format is skipped (a Transit
  // Gateway flow log has no interface-id: its records count as no-interface-id).
  std::vector<std::string> missing_for_replay() const;

  const std::vector<std::string>& fields() const { return fields_; }
  std::size_t size() const { return fields_.size(); }
  // Column of a field the replay reads, or nullopt when the format lacks it.
  std::optional<std::size_t> column(FlowLogField f) const;
  // The field names separated by single spaces, as a header line.
  std::string header() const;

  friend bool operator==(const FlowLogFormat& a, const FlowLogFormat& b) { return a.fields_ == b.fields_; }

 private:
  std::vector<std::string> fields_;
  std::array<int, static_cast<std::size_t>(FlowLogField::kCount)> column_{};  // -1: absent
};

// One record, parsed: the observation and where its action field is in the line (so a writer
// can replace it and copy every other byte).
struct ParsedFlowRecord {
  FlowObservation observation;
  std::optional<std::pair<std::uint32_t, std::uint32_t>> action_span;  // offset, length in the line
};

// A one-pass parser over one line: no allocation per line or field (a scratch array of field
// views is reused). Lines must not contain the line break; a trailing '\r' is ignored by the
// reader before this is called.
class FlowRecordParser {
 public:
  explicit FlowRecordParser(const FlowLogFormat& format);
  std::expected<ParsedFlowRecord, SkipReason> parse(std::string_view line);
  // After parse() failed with `r` on a line: the fields concerned, as written, for messages
  // ("srcport 'x' dstport '22'", "13 fields, the format has 14"). Valid until the next parse.
  std::string problem(SkipReason r) const;

 private:
  const FlowLogFormat& format_;
  std::vector<std::string_view> fields_;
  std::array<int, static_cast<std::size_t>(FlowLogField::kCount)> col_{};
};

// Splits on runs of spaces (and tabs) into `out` (cleared first), stopping after max_fields + 1
// fields so an overlong line is detected without splitting it all. Returns the number stored.
std::size_t split_flowlog_fields(std::string_view line, std::vector<std::string_view>& out, std::size_t max_fields);

struct StreamLine;  // io/flowlog_stream.h

struct FlowLogFile {
  std::string path;
  FlowLogShape shape = FlowLogShape::kFlowLog;  // io/cloudwatch_logs.h
};

// A line of the input that is not a header line, in file order, as FlowLogStream::next handed
// it out (a CloudWatch event or export line: its message).
struct FlowLogLine {
  std::uint32_t file = 0;     // index into FlowLogSet::files
  std::uint32_t line_no = 0;  // 1-based, in its file (a JSON event: its index + 1)
  std::uint64_t offset = 0;   // into FlowLogSet::content
  std::uint32_t length = 0;   // without the line break and a trailing '\r'
  bool event = false;         // a CloudWatch JSON event: located "path:events[index]"
  // Skipped by the reader (StreamLine::skip), with what is wrong: FlowLogSet::problems[problem].
  std::optional<SkipReason> skip = std::nullopt;
  std::uint32_t problem = 0;
};

struct FlowLogSet {
  FlowLogFormat format;
  bool any_header = false;  // at least one file had a header line
  std::vector<FlowLogFile> files;
  std::vector<FlowLogLine> lines;
  std::uint64_t header_lines = 0;
  std::string content;                // the lines' text, one after the other
  std::vector<std::string> problems;  // FlowLogLine::problem
  std::vector<Error> warnings;        // FlowLogStream::warnings

  std::string_view text(const FlowLogLine& l) const { return std::string_view(content).substr(l.offset, l.length); }
  std::string location(const FlowLogLine& l) const;  // "path:line", or "path:events[index]"
  // Appends a line (copying its text and problem).
  void add(const StreamLine& line);
  // The line as FlowLogStream::next handed it out; valid while the set is.
  StreamLine stream_line(const FlowLogLine& l) const;
};

// The files an input list names: files as given, directories recursively (regular files only,
// sorted by path). Fails on a path that does not exist.
std::expected<std::vector<std::filesystem::path>, Error> list_flowlog_files(std::span<const std::string> inputs);

// Every line FlowLogStream (io/flowlog_stream.h) reads from `inputs`, held in memory: the same
// files, shapes (plain or gzip flow logs, CloudWatch Logs exports and events JSON), header
// handling, skips decided by the reader, warnings and fatal errors (unreadable file, corrupt or
// truncated gzip, bad header or JSON, formats that differ). Bad records are the replay's
// business.
std::expected<FlowLogSet, Error> read_flowlogs(std::span<const std::string> inputs,
                                               const std::optional<FlowLogFormat>& headerless = std::nullopt);

}  // namespace vpcsim::io
