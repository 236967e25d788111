// Streaming flow-log replay: memory independent of the number of records (issue 4).
//
// FlowLogStream reads the inputs file by file, chunk by chunk (gzip included), and hands out
// one line at a time. ReplayStream replays the records in time order through a bounded
// reorder window and hands back every line, decided, in input order: the output flow log and
// the agreement report are those of replay_flowlogs + emit_flowlog (io/flowlog_replay.h) for
// any input whose records are out of order by less than the window.
#pragma once

#include <cstdint>
#include <deque>
#include <expected>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "io/cloudwatch_logs.h"
#include "io/flowlog_reader.h"
#include "io/flowlog_replay.h"
#include "model/error.h"

namespace vpcsim::io {

// The reorder window, in seconds of record time. AWS aggregates each flow-log record over a
// capture window of at most 10 minutes (the maximum aggregation interval; VPC User Guide,
// "Flow logs basics": https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html#flow-logs-basics)
// and publishes the records of a window together, so within one delivery records are out of
// start order by up to about one aggregation interval. 15 minutes covers that with 5 minutes
// of slack for delivery jitter between files. `vpcsim replay --reorder-window` overrides it.
inline constexpr std::int64_t kReorderWindowSeconds = 15 * 60;

// One line of the input that is not a header line, as FlowLogStream::next returns it.
struct StreamLine {
  std::uint32_t file = 0;     // index into FlowLogStream::paths()
  std::uint32_t line_no = 0;  // 1-based, in its file (a JSON event: its index + 1)
  std::string_view text;      // without the line break and a trailing '\r'; valid until next()
                              // (CloudWatch shapes: the event's message, without the timestamp)
  bool event = false;         // a CloudWatch JSON event: its location reads "path:events[index]"
  // Set when the reader has already decided the line is skipped (a CloudWatch event whose
  // envelope is unusable: SkipReason::kBadLogEvent), with what is wrong; valid until next().
  std::optional<SkipReason> skip = std::nullopt;
  std::string_view problem = {};
};

// "path:line", or "path:events[index]" for a CloudWatch JSON event.
std::string stream_location(const std::string& path, std::uint32_t line_no, bool event);

// The flow-log inputs, read incrementally: the one reader of flow-log files (read_flowlogs, in
// io/flowlog_reader.h, is a loop over it that keeps every line). Each file's format is its
// header line's, or else `headerless` (the default v2 format when not given); all files must
// have the same fields in the same order (the output of a replay is one flow log). Fatal errors
// (unreadable file, corrupt or truncated gzip, Parquet, bad header or JSON, formats that differ)
// fail open() or next(); bad records are the replay's business. Holds one chunk of one file at
// a time (a CloudWatch JSON file whole). open() reads the first lines of every file to settle
// its shape, the format and whether any file has a header, so a writer can start with the
// header line; the remaining errors surface from next().
class FlowLogStream {
 public:
  static std::expected<FlowLogStream, Error> open(std::span<const std::string> inputs,
                                                  const std::optional<FlowLogFormat>& headerless = std::nullopt);
  FlowLogStream(FlowLogStream&&) noexcept;
  FlowLogStream& operator=(FlowLogStream&&) noexcept;
  ~FlowLogStream();

  const FlowLogFormat& format() const { return format_; }
  bool any_header() const { return any_header_; }
  const std::vector<std::string>& paths() const { return paths_; }
  // Each file's shape (io/cloudwatch_logs.h), decided by open() from its first lines
  // (detect_flowlog_shape). CloudWatch shapes have no header and use the headerless format.
  const std::vector<FlowLogShape>& shapes() const { return shapes_; }
  std::uint64_t header_lines() const { return header_lines_; }  // so far
  // Problems that lose nothing already read but mean the input may be incomplete (a CloudWatch
  // JSON file that is one page of several: pagination_warning), so far, in input order.
  const std::vector<Error>& warnings() const { return warnings_; }

  // The next line that is not a header; nullopt at the end of the last file.
  std::expected<std::optional<StreamLine>, Error> next();

 private:
  struct Source;
  FlowLogStream() = default;
  std::expected<bool, Error> fill();  // more bytes of the current file into buf_; false at its end

  FlowLogFormat format_ = FlowLogFormat::default_v2();
  std::optional<FlowLogFormat> headerless_;
  bool any_header_ = false;
  std::vector<std::string> paths_;
  std::uint64_t header_lines_ = 0;
  std::size_t file_ = 0;
  std::unique_ptr<Source> source_;
  std::string buf_;
  std::size_t pos_ = 0;
  bool eof_ = false;
  std::uint32_t line_no_ = 0;
  std::optional<FlowLogFormat> file_format_;
  bool file_has_header_ = false;
  std::vector<FlowLogShape> shapes_;
  std::vector<LogEventMessage> events_;  // the current JSON file's events, read whole
  std::size_t event_ = 0;
  std::string scratch_;                  // a problem or a cleaned message handed out by next()
  std::string problem_;
  std::vector<Error> warnings_;
};

struct ReplayStreamOptions {
  std::int64_t window = kReorderWindowSeconds;  // seconds; INT64_MAX sorts the whole input
  std::size_t examples = 3;                    // file:line examples kept per group
};

struct ReplayStreamStats {
  // Records replayed after a record with a later replay_order key had been replayed: their
  // start was older than the reorder window allowed when they arrived.
  std::uint64_t out_of_order = 0;
  std::uint64_t peak_window_records = 0;  // most records waiting to be replayed at once
  std::uint64_t peak_pending_lines = 0;   // most lines held back for the output at once
};

// Called for every line, in input order, once it is decided. `rules` is ReplayStream::rules().
using DecidedLineSink = std::function<void(std::string_view line, const RecordResult&, const std::vector<std::string>& rules)>;
// Called for every replayed record, in replay order, with its 0-based line number in the input
// (header lines not counted) and its location ("path:line").
using StreamDecisionObserver =
    std::function<void(std::uint64_t line, const std::string& location, const FlowObservation&, const ReplayDecision&)>;

// The replay of replay_flowlogs, one line at a time. Records wait in a window until the
// largest start seen exceeds theirs by more than `window` seconds, and are then replayed in
// replay_order (sim/replay.h) among the waiting ones; a record arriving later than that is
// still replayed (at once) and counted in stats().out_of_order. Lines are held until every
// earlier line is decided, so memory is bounded by the lines within one window.
class ReplayStream {
 public:
  // `net` must outlive the stream. `paths` name the files StreamLine::file indexes.
  ReplayStream(const FlowLogFormat& format, std::vector<std::string> paths, const Network& net, FilteringModel model,
               ReplayStreamOptions options = {}, DecidedLineSink sink = {}, StreamDecisionObserver observer = {});

  void add(const StreamLine& line);
  // Replays what is left and returns the report (files and header_lines are the caller's).
  ReplayReport finish();

  const std::vector<std::string>& rules() const { return rules_; }
  const ReplayStreamStats& stats() const { return stats_; }

 private:
  struct Pending {
    std::uint64_t text = 0;  // absolute offset into the arena
    std::uint32_t length = 0;
    std::uint32_t file = 0;
    std::uint32_t line_no = 0;
    bool event = false;
    bool decided = false;
    RecordResult result;
  };
  struct Waiting {
    ReplayOrderKey key;
    std::uint64_t seq = 0;
    friend bool operator>(const Waiting& a, const Waiting& b) { return std::tie(a.key, a.seq) > std::tie(b.key, b.seq); }
  };
  std::string_view text(const Pending& p) const;
  std::string location(const Pending& p) const;
  void release(bool all);
  void replay_one(std::uint64_t seq);
  void flush();
  void tally(const Pending& p);

  FlowLogFormat format_;
  std::vector<std::string> paths_;
  const Network& net_;
  ReplayStreamOptions options_;
  DecidedLineSink sink_;
  StreamDecisionObserver observer_;
  FlowRecordParser parser_;
  Replayer replayer_;
  ReplayReport report_;
  ReplayStreamStats stats_;
  std::vector<std::string> rules_;
  std::unordered_map<std::string, std::uint32_t> rule_ids_;  // looked up only, never iterated
  using GroupKey = std::tuple<Hop, std::uint32_t, RecordedAction, bool>;
  std::map<GroupKey, Disagreement> groups_;

  std::deque<Pending> pending_;
  std::uint64_t base_seq_ = 0;  // seq of pending_.front()
  std::uint64_t next_seq_ = 0;
  std::string arena_;           // the text of the pending lines
  std::uint64_t arena_base_ = 0;  // absolute offset of arena_[0]
  std::priority_queue<Waiting, std::vector<Waiting>, std::greater<>> window_;
  std::optional<std::int64_t> max_start_;
  std::optional<ReplayOrderKey> last_replayed_;
};

// The output flow log's header line (with '\n'), when any input had a header; else "".
std::string emit_header(const FlowLogFormat& format, bool any_header);
// Appends one decided line to the output as emit_flowlog writes it (nothing for a line without
// the format's number of fields). `scratch` is reused between calls.
void append_emitted_line(std::string& out, const FlowLogFormat& format, std::vector<std::string_view>& scratch,
                         std::string_view line, const RecordResult& r, const std::vector<std::string>& rules);

// A file written through a temporary file in the same directory, renamed over `path` by
// commit(); removed when destroyed uncommitted (a failed run leaves the old file, if any).
class AtomicFileWriter {
 public:
  static std::expected<AtomicFileWriter, Error> create(const std::filesystem::path& path);
  AtomicFileWriter(AtomicFileWriter&&) noexcept;
  AtomicFileWriter& operator=(AtomicFileWriter&&) = delete;
  ~AtomicFileWriter();
  // Buffers `data`, writing when the buffer is full.
  std::expected<void, Error> append(std::string_view data);
  std::expected<void, Error> commit();

 private:
  AtomicFileWriter() = default;
  std::expected<void, Error> write_buffer();
  std::filesystem::path path_;
  std::filesystem::path tmp_;
  int fd_ = -1;
  std::string buffer_;
};

}  // namespace vpcsim::io
