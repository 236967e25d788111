#include "io/flowlog_stream.h"

#include "io/flowlog_diff.h"
#include "model/aws_service.h"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

namespace vpcsim::io {

namespace {

constexpr std::size_t kChunk = 1 << 20;  // bytes read (and decompressed) at a time

Error file_error(const std::string& file, std::string what) { return Error{file, 0, 0, "", std::move(what)}; }

// Has `text`, a file's first bytes, enough to tell its shape: a JSON file's '{' or '[', or
// kShapeLines complete non-blank lines (or 1 MiB with one complete line: a file of long lines
// is not read far ahead)?
bool head_is_enough(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return false;
  if (text[first] == '{' || text[first] == '[') return true;
  std::size_t lines = 0;
  for (std::size_t pos = first; lines < kShapeLines;) {
    const std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) return false;
    if (text.substr(pos, nl - pos).find_first_not_of(" \t\r") != std::string_view::npos) ++lines;
    if (text.size() >= kChunk && lines > 0) return true;
    pos = nl + 1;
  }
  return true;
}

}  // namespace

// One file's bytes, plain or gunzipped when they start with the gzip magic bytes (several gzip
// members one after the other, RFC 1952); fails, naming the file, when it cannot be read, is
// Parquet, or the gzip data is corrupt or truncated.
struct FlowLogStream::Source {
  std::string path;
  std::ifstream in;
  std::vector<char> raw = std::vector<char>(kChunk);
  bool gzip = false;
  bool in_eof = false;
  bool done = false;
  z_stream zs{};
  bool zinit = false;
  std::size_t plain_pending = 0;  // plain file: bytes of `raw` not handed out yet (the first read)

  ~Source() {
    if (zinit) inflateEnd(&zs);
  }

  std::expected<void, Error> open() {
    in.open(path, std::ios::binary);
    if (!in) return std::unexpected(file_error(path, "cannot open the file for reading"));
    auto n = refill();
    if (!n) return std::unexpected(n.error());
    const std::string_view head(raw.data(), *n);
    // VPC User Guide, "Flow logs in Amazon S3": files are text or Apache Parquet; Parquet files
    // start with the magic bytes "PAR1".
    if (head.starts_with("PAR1")) {
      return std::unexpected(file_error(path,
                                        "an Apache Parquet flow log: vpcsim reads the text format (create the flow log "
                                        "with --destination-options FileFormat=plain-text, or convert the file to text)"));
    }
    gzip = head.size() >= 2 && static_cast<unsigned char>(head[0]) == 0x1f && static_cast<unsigned char>(head[1]) == 0x8b;
    if (!gzip) {
      plain_pending = *n;
      return {};
    }
    // 16 + MAX_WBITS: gzip wrapper only.
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) return std::unexpected(file_error(path, "zlib initialisation failed"));
    zinit = true;
    zs.next_in = reinterpret_cast<Bytef*>(raw.data());
    zs.avail_in = static_cast<uInt>(*n);
    return {};
  }

  std::expected<std::size_t, Error> refill() {
    if (in_eof) return 0;
    in.read(raw.data(), static_cast<std::streamsize>(raw.size()));
    if (in.bad()) return std::unexpected(file_error(path, "read error"));
    const auto n = static_cast<std::size_t>(in.gcount());
    if (n < raw.size()) in_eof = true;
    return n;
  }

  // Appends up to kChunk bytes of text to `out`; false at the end of the file.
  std::expected<bool, Error> read(std::string& out) {
    if (done) return false;
    if (!gzip) {
      std::size_t n = plain_pending;
      plain_pending = 0;
      if (n == 0) {
        auto r = refill();
        if (!r) return std::unexpected(r.error());
        n = *r;
      }
      if (n == 0) done = true;
      out.append(raw.data(), n);
      return n > 0;
    }
    std::array<char, 1 << 16> buf;
    while (true) {
      if (zs.avail_in == 0 && !in_eof) {
        auto r = refill();
        if (!r) return std::unexpected(r.error());
        zs.next_in = reinterpret_cast<Bytef*>(raw.data());
        zs.avail_in = static_cast<uInt>(*r);
      }
      zs.next_out = reinterpret_cast<Bytef*>(buf.data());
      zs.avail_out = static_cast<uInt>(buf.size());
      const int rc = inflate(&zs, Z_NO_FLUSH);
      const std::size_t got = buf.size() - zs.avail_out;
      out.append(buf.data(), got);
      if (rc == Z_STREAM_END) {
        if (zs.avail_in == 0 && !in_eof) {
          auto r = refill();
          if (!r) return std::unexpected(r.error());
          zs.next_in = reinterpret_cast<Bytef*>(raw.data());
          zs.avail_in = static_cast<uInt>(*r);
        }
        if (zs.avail_in == 0) {
          done = true;
          return true;
        }
        inflateReset(&zs);  // the next gzip member
      } else if (rc == Z_OK || rc == Z_BUF_ERROR) {
        if (got == 0 && zs.avail_in == 0 && in_eof) {
          return std::unexpected(
              file_error(path, "truncated gzip data (the file ends inside the compressed stream)"));
        }
      } else {
        const std::string msg = zs.msg ? zs.msg : "";
        return std::unexpected(file_error(path, "corrupt gzip data" + (msg.empty() ? "" : ": " + msg)));
      }
      if (got > 0) return true;
    }
  }
};

FlowLogStream::FlowLogStream(FlowLogStream&&) noexcept = default;
FlowLogStream& FlowLogStream::operator=(FlowLogStream&&) noexcept = default;
FlowLogStream::~FlowLogStream() = default;

std::expected<FlowLogStream, Error> FlowLogStream::open(std::span<const std::string> inputs,
                                                        const std::optional<FlowLogFormat>& headerless) {
  auto files = list_flowlog_files(inputs);
  if (!files) return std::unexpected(files.error());
  FlowLogStream s;
  s.headerless_ = headerless;
  // The first lines of every file: its shape, its format, and whether the output starts with a
  // header.
  std::optional<FlowLogFormat> format;
  std::string format_source;
  const std::size_t fields = headerless.value_or(FlowLogFormat::default_v2()).size();
  for (const auto& path : *files) {
    s.paths_.push_back(path.string());
    Source src;
    src.path = path.string();
    if (auto o = src.open(); !o) return std::unexpected(o.error());
    // The first lines, to tell the file's shape (detect_flowlog_shape): up to kShapeLines
    // non-blank lines, or to the '{' of a JSON file.
    std::string text;
    while (true) {
      if (head_is_enough(text)) break;
      auto more = src.read(text);
      if (!more) return std::unexpected(more.error());
      if (!*more) break;
    }
    const FlowLogShape shape = detect_flowlog_shape(text, fields);
    s.shapes_.push_back(shape);
    if (text.empty()) continue;  // an empty file
    std::string_view line = std::string_view(text).substr(0, text.find('\n'));
    if (line.ends_with('\r')) line.remove_suffix(1);
    std::optional<FlowLogFormat> file_format;
    bool has_header = false;
    if (shape != FlowLogShape::kFlowLog) {
      // CloudWatch Logs keeps the messages only: no header, the format is --log-format's.
      file_format = headerless.value_or(FlowLogFormat::default_v2());
    } else if (FlowLogFormat::looks_like_header(line)) {
      auto hf = FlowLogFormat::parse_spec(line);
      if (!hf) return std::unexpected(Error{src.path, 1, 0, "header", hf.error()});
      file_format = std::move(*hf);
      has_header = true;
    } else {
      file_format = headerless.value_or(FlowLogFormat::default_v2());
    }
    if (!format) {
      format = std::move(*file_format);
      format_source = src.path;
    } else if (!(*format == *file_format)) {
      return std::unexpected(Error{src.path, has_header ? 1 : 0, 0, "",
                                   "its fields (" + file_format->header() + ") differ from those of " + format_source +
                                       " (" + format->header() +
                                       "); replay files of one format at a time (the output is one flow log)"});
    }
    s.any_header_ = s.any_header_ || has_header;
  }
  s.format_ = format.value_or(headerless.value_or(FlowLogFormat::default_v2()));
  return s;
}

std::expected<bool, Error> FlowLogStream::fill() {
  if (pos_ > 0) {
    buf_.erase(0, std::min(pos_, buf_.size()));
    pos_ = 0;
  }
  auto more = source_->read(buf_);
  if (!more) return std::unexpected(more.error());
  if (!*more) eof_ = true;
  return *more;
}

std::expected<std::optional<StreamLine>, Error> FlowLogStream::next() {
  while (true) {
    if (!source_) {
      if (file_ == paths_.size()) return std::nullopt;
      source_ = std::make_unique<Source>();
      source_->path = paths_[file_];
      if (auto o = source_->open(); !o) return std::unexpected(o.error());
      buf_.clear();
      pos_ = 0;
      eof_ = false;
      line_no_ = 0;
      file_format_.reset();
      file_has_header_ = false;
      events_.clear();
      event_ = 0;
      if (shapes_[file_] == FlowLogShape::kCloudWatchJson) {
        // Read whole: protobuf's JSON parser takes the document at once.
        std::string content;
        while (true) {
          auto more = source_->read(content);
          if (!more) return std::unexpected(more.error());
          if (!*more) break;
        }
        auto page = read_log_events_json(paths_[file_], content);
        if (!page) return std::unexpected(page.error());
        events_ = std::move(page->events);
        if (!page->next_token_member.empty()) {
          warnings_.push_back(pagination_warning(paths_[file_], page->next_token_member));
        }
      }
    }
    if (shapes_[file_] == FlowLogShape::kCloudWatchJson) {
      if (event_ == events_.size()) {
        source_.reset();
        events_.clear();
        ++file_;
        continue;
      }
      const std::string& message = events_[event_].message;
      ++event_;
      StreamLine out{static_cast<std::uint32_t>(file_), static_cast<std::uint32_t>(event_), message, true};
      std::string_view text = message;
      while (text.ends_with('\n') || text.ends_with('\r')) text.remove_suffix(1);
      out.text = text;
      if (text.find_first_of("\r\n") != std::string_view::npos) {
        // One event is one record: a line break inside would split the output's line.
        scratch_.assign(text);
        std::ranges::replace(scratch_, '\n', ' ');
        std::ranges::replace(scratch_, '\r', ' ');
        out.text = scratch_;
        out.skip = SkipReason::kBadLogEvent;
        out.problem = "the message holds a line break: one event is one flow-log record";
      }
      return out;
    }
    std::size_t nl = pos_ < buf_.size() ? buf_.find('\n', pos_) : std::string::npos;
    if (nl == std::string::npos && !eof_) {
      if (auto f = fill(); !f) return std::unexpected(f.error());
      continue;
    }
    if (nl == std::string::npos && pos_ >= buf_.size()) {  // the end of this file
      source_.reset();
      ++file_;
      continue;
    }
    if (nl == std::string::npos) nl = buf_.size();
    std::string_view line = std::string_view(buf_).substr(pos_, nl - pos_);
    if (line.ends_with('\r')) line.remove_suffix(1);
    pos_ = nl + 1;
    ++line_no_;
    if (shapes_[file_] == FlowLogShape::kCloudWatchExport) {
      StreamLine out{static_cast<std::uint32_t>(file_), line_no_, line};
      if (line.find_first_not_of(" \t") == std::string_view::npos) return out;  // blank-line
      ExportLine e = split_export_line(line);
      if (e.problem.empty()) {
        out.text = e.message;
      } else {
        problem_ = std::move(e.problem);
        out.skip = SkipReason::kBadLogEvent;
        out.problem = problem_;
      }
      return out;
    }
    const bool first_line = line_no_ == 1;
    // As read_flowlogs: a header on the first line, and repeated ones in a file that has one.
    if ((first_line || (file_format_ && file_has_header_)) && FlowLogFormat::looks_like_header(line)) {
      auto hf = FlowLogFormat::parse_spec(line);
      const std::string& path = paths_[file_];
      if (!hf) return std::unexpected(Error{path, static_cast<int>(line_no_), 0, "header", hf.error()});
      if (!first_line && !(*hf == *file_format_)) {
        return std::unexpected(
            Error{path, static_cast<int>(line_no_), 0, "header", "a second header line with different fields"});
      }
      if (first_line) {
        file_format_ = std::move(*hf);
        file_has_header_ = true;
      }
      ++header_lines_;
      continue;
    }
    if (!file_format_) file_format_ = headerless_.value_or(FlowLogFormat::default_v2());
    return StreamLine{static_cast<std::uint32_t>(file_), line_no_, line};
  }
}

// ---------------------------------------------------------------------------------------------

ReplayStream::ReplayStream(const FlowLogFormat& format, std::vector<std::string> paths, const Network& net,
                           FilteringModel model, ReplayStreamOptions options, DecidedLineSink sink,
                           StreamDecisionObserver observer)
    : format_(format),
      paths_(std::move(paths)),
      net_(net),
      options_(options),
      sink_(std::move(sink)),
      observer_(std::move(observer)),
      parser_(format_),
      replayer_(net, model) {
  report_.model = model;
}

std::string_view ReplayStream::text(const Pending& p) const {
  return std::string_view(arena_).substr(static_cast<std::size_t>(p.text - arena_base_), p.length);
}

std::string stream_location(const std::string& path, std::uint32_t line_no, bool event) {
  if (event) return path + ":events[" + std::to_string(line_no - 1) + "]";
  return path + ":" + std::to_string(line_no);
}

std::string ReplayStream::location(const Pending& p) const { return stream_location(paths_[p.file], p.line_no, p.event); }

void ReplayStream::add(const StreamLine& line) {
  const std::uint64_t seq = next_seq_++;
  ++report_.records_read;
  Pending& p = pending_.emplace_back();
  p.text = arena_base_ + arena_.size();
  p.length = static_cast<std::uint32_t>(line.text.size());
  p.file = line.file;
  p.line_no = line.line_no;
  p.event = line.event;
  arena_.append(line.text);
  stats_.peak_pending_lines = std::max<std::uint64_t>(stats_.peak_pending_lines, pending_.size());

  if (line.skip) {  // decided by the reader (a CloudWatch event it could not unwrap)
    p.result.skipped = *line.skip;
    p.decided = true;
    SkipSummary& s = report_.skips[static_cast<std::size_t>(*line.skip)];
    if (s.examples.size() < options_.examples) {
      s.examples.push_back(location(p) + (line.problem.empty() ? "" : " (" + std::string(line.problem) + ")"));
    }
    flush();
    return;
  }

  auto rec = parser_.parse(line.text);
  if (!rec) {
    p.result.skipped = rec.error();
    p.decided = true;
    SkipSummary& s = report_.skips[static_cast<std::size_t>(rec.error())];
    if (s.examples.size() < options_.examples) {
      const std::string what = parser_.problem(rec.error());
      s.examples.push_back(location(p) + (what.empty() ? "" : " (" + what + ")"));
    }
    flush();
    return;
  }
  p.result.recorded = rec->observation.recorded;
  const ReplayOrderKey key = replay_order_key(rec->observation);
  if (last_replayed_ && key < *last_replayed_) ++stats_.out_of_order;
  max_start_ = std::max(max_start_.value_or(key.start), key.start);
  window_.push(Waiting{key, seq});
  stats_.peak_window_records = std::max<std::uint64_t>(stats_.peak_window_records, window_.size());
  release(false);
  flush();
}

void ReplayStream::release(bool all) {
  while (!window_.empty()) {
    const Waiting& w = window_.top();
    // Replayed once the largest start seen is more than `window` seconds later than its own
    // (written so that a window of INT64_MAX never overflows).
    if (!all && !(w.key.start < *max_start_ && *max_start_ - w.key.start > options_.window)) break;
    const std::uint64_t seq = w.seq;
    if (!last_replayed_ || *last_replayed_ < w.key) last_replayed_ = w.key;
    window_.pop();
    replay_one(seq);
  }
}

void ReplayStream::replay_one(std::uint64_t seq) {
  Pending& p = pending_[static_cast<std::size_t>(seq - base_seq_)];
  RecordResult& r = p.result;
  p.decided = true;
  const FlowObservation o = parser_.parse(text(p))->observation;
  auto decision = replayer_.replay(o);
  if (!decision) {
    r.skipped = decision.error();
    r.replay_skipped = true;
    return;
  }
  r.replayed = true;
  r.accepted = decision->accepted();
  const HopResult& h = decision->deciding_hop();
  r.hop = h.hop;
  std::string rule = decision_text(net_, h);
  const auto [it, inserted] = rule_ids_.try_emplace(rule, static_cast<std::uint32_t>(rules_.size()));
  if (inserted) rules_.push_back(std::move(rule));
  r.rule = it->second;
  if (observer_) observer_(seq, location(p), o, *decision);
}

void ReplayStream::tally(const Pending& p) {
  // As replay_flowlogs: in file order, so examples are the first lines of each group.
  const RecordResult& r = p.result;
  const std::size_t examples = options_.examples;
  if (!r.replayed) {
    SkipSummary& s = report_.skips[static_cast<std::size_t>(r.skipped)];
    ++report_.skipped;
    if (s.count++ < examples && r.replay_skipped) {
      const FlowObservation o = parser_.parse(text(p))->observation;
      std::string what(o.interface_id);
      if (r.skipped == SkipReason::kUnknownDirection) {
        what += ": neither " + o.packet.src.to_string() + " nor " + o.packet.dst.to_string() + " is its address";
      }
      if (r.skipped == SkipReason::kAwsService) {
        for (const IpAddress& a : {o.packet.dst, o.packet.src}) {
          if (const auto service = aws_service_at(net_, a)) {
            what += ": " + a.to_string() + " is the " + std::string(describe(*service));
            break;
          }
        }
      }
      s.examples.push_back(location(p) + " (" + what + ")");
    }
    return;
  }
  ++report_.replayed;
  ++(r.accepted ? report_.simulated_accept : report_.simulated_reject);
  if (r.recorded == RecordedAction::kNone) return;
  ++report_.compared;
  if ((r.recorded == RecordedAction::kAccept) == r.accepted) {
    ++report_.agree;
    return;
  }
  ++report_.disagree;
  Disagreement& d = groups_[GroupKey{r.hop, r.rule, r.recorded, r.accepted}];
  if (d.count == 0) {
    d.hop = r.hop;
    d.rule = rules_[r.rule];
    d.recorded = r.recorded;
    d.simulated_accept = r.accepted;
  }
  if (d.count++ < examples) d.examples.push_back(location(p));
}

void ReplayStream::flush() {
  while (!pending_.empty() && pending_.front().decided) {
    const Pending& p = pending_.front();
    tally(p);
    if (sink_) sink_(text(p), p.result, rules_);
    pending_.pop_front();
    ++base_seq_;
  }
  // Drop the text of lines written, once it is most of the arena (amortised O(1) per byte).
  const std::uint64_t used_from = pending_.empty() ? arena_base_ + arena_.size() : pending_.front().text;
  const auto dead = static_cast<std::size_t>(used_from - arena_base_);
  if (dead >= (1u << 16) && dead * 2 >= arena_.size()) {
    arena_.erase(0, dead);
    arena_base_ += dead;
  }
}

ReplayReport ReplayStream::finish() {
  release(true);
  flush();
  ReplayReport rep = std::move(report_);
  rep.out_of_order = stats_.out_of_order;
  rep.reorder_window = options_.window;
  for (auto& [key, d] : groups_) rep.disagreements.push_back(std::move(d));
  groups_.clear();
  std::ranges::stable_sort(rep.disagreements, [](const Disagreement& a, const Disagreement& b) {
    if (a.count != b.count) return a.count > b.count;
    return std::tie(a.hop, a.rule, a.recorded) < std::tie(b.hop, b.rule, b.recorded);
  });
  return rep;
}

// ---------------------------------------------------------------------------------------------

JudgedFlow judge_record(const Network& net, std::uint64_t line, const std::string& location, const FlowObservation& r,
                        const ReplayDecision& d) {
  JudgedFlow f;
  f.key = line;
  f.label = location + " " + std::string(r.interface_id) + " " + std::string(to_string(d.direction)) + " " +
            d.trace.packet.to_string();
  f.request = judge_trace(net, d.trace);
  return f;
}

std::expected<FlowLogDiff, Error> diff_flowlogs(FlowLogStream& stream, const Network& before, const Network& after,
                                                FilteringModel model, ReplayStreamOptions options) {
  // Each side: the judged records by line (only those between replay and output), and the
  // lines in input order as its stream decides them (nullopt: not replayed on that side).
  struct Side {
    std::unordered_map<std::uint64_t, JudgedFlow> judged;  // looked up only, never iterated
    std::deque<std::optional<JudgedFlow>> decided;
    std::uint64_t next_line = 0;
  };
  Side sides[2];
  const Network* nets[2] = {&before, &after};
  std::vector<std::unique_ptr<ReplayStream>> streams;
  for (int i = 0; i < 2; ++i) {
    Side& side = sides[i];
    const Network& net = *nets[i];
    streams.push_back(std::make_unique<ReplayStream>(
        stream.format(), stream.paths(), net, model, options,
        [&side](std::string_view, const RecordResult& r, const std::vector<std::string>&) {
          const std::uint64_t line = side.next_line++;
          if (!r.replayed) {
            side.decided.emplace_back();
            return;
          }
          auto node = side.judged.extract(line);
          side.decided.emplace_back(std::move(node.mapped()));
        },
        [&side, &net](std::uint64_t line, const std::string& location, const FlowObservation& r,
                      const ReplayDecision& d) { side.judged.emplace(line, judge_record(net, line, location, r, d)); }));
  }
  VerdictDiffBuilder builder(options.examples);
  const auto fold = [&] {
    while (!sides[0].decided.empty() && !sides[1].decided.empty()) {
      auto& b = sides[0].decided.front();
      auto& a = sides[1].decided.front();
      if (b && a) {
        builder.add(*b, *a);
      } else if (b) {
        builder.add_only_before();
      } else if (a) {
        builder.add_only_after();
      }
      sides[0].decided.pop_front();
      sides[1].decided.pop_front();
    }
  };
  while (true) {
    auto line = stream.next();
    if (!line) return std::unexpected(line.error());
    if (!*line) break;
    streams[0]->add(**line);
    streams[1]->add(**line);
    fold();
  }
  (void)streams[0]->finish();
  (void)streams[1]->finish();
  fold();
  return FlowLogDiff{builder.finish(), streams[0]->stats().out_of_order};
}

// ---------------------------------------------------------------------------------------------

std::string emit_header(const FlowLogFormat& format, bool any_header) {
  if (!any_header) return "";
  return format.header() + " " + std::string(kReplayColumns) + "\n";
}

void append_emitted_line(std::string& out, const FlowLogFormat& format, std::vector<std::string_view>& fields,
                         std::string_view line, const RecordResult& r, const std::vector<std::string>& rules) {
  if (split_flowlog_fields(line, fields, format.size()) != format.size()) return;
  const std::string_view simulated = r.accepted ? "ACCEPT" : "REJECT";
  std::string_view recorded = "-";
  if (const auto action_col = format.column(FlowLogField::kAction)) {
    const std::string_view action = fields[*action_col];
    recorded = action;
    const auto begin = static_cast<std::size_t>(action.data() - line.data());
    out.append(line.substr(0, begin));
    out.append(r.replayed ? simulated : action);
    out.append(line.substr(begin + action.size()));
  } else {
    out.append(line);
  }
  out += ' ';
  if (r.replayed) {
    out.append(simulated);
    out += ' ';
    out.append(recorded);
    out += ' ';
    out.append(to_string(r.hop));
    out += ' ';
    out.append(encode_column(rules[r.rule]));
  } else {
    out += "- ";
    out.append(recorded);
    out += " - skipped:";
    out.append(to_string(r.skipped));
  }
  out += '\n';
}

// ---------------------------------------------------------------------------------------------

std::expected<AtomicFileWriter, Error> AtomicFileWriter::create(const std::filesystem::path& path) {
  AtomicFileWriter w;
  w.path_ = path;
  w.tmp_ = path.string() + ".tmp." + std::to_string(::getpid());
  w.fd_ = ::open(w.tmp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (w.fd_ < 0) return std::unexpected(file_error(path.string(), "cannot create " + w.tmp_.string() + ": " + std::strerror(errno)));
  w.buffer_.reserve(kChunk);
  return w;
}

AtomicFileWriter::AtomicFileWriter(AtomicFileWriter&& o) noexcept
    : path_(std::move(o.path_)), tmp_(std::move(o.tmp_)), fd_(std::exchange(o.fd_, -1)), buffer_(std::move(o.buffer_)) {}

AtomicFileWriter::~AtomicFileWriter() {
  if (fd_ >= 0) {
    ::close(fd_);
    ::unlink(tmp_.c_str());
  }
}

std::expected<void, Error> AtomicFileWriter::write_buffer() {
  std::string_view content = buffer_;
  while (!content.empty()) {
    const ssize_t n = ::write(fd_, content.data(), content.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return std::unexpected(file_error(path_.string(), std::string("cannot write: ") + std::strerror(errno)));
    content.remove_prefix(static_cast<std::size_t>(n));
  }
  buffer_.clear();
  return {};
}

std::expected<void, Error> AtomicFileWriter::append(std::string_view data) {
  buffer_.append(data);
  if (buffer_.size() >= kChunk) return write_buffer();
  return {};
}

std::expected<void, Error> AtomicFileWriter::commit() {
  if (auto w = write_buffer(); !w) return w;
  // On disk before the rename, so that a crash leaves the old file or the whole new one.
  if (::fsync(fd_) != 0) return std::unexpected(file_error(path_.string(), std::string("cannot write: ") + std::strerror(errno)));
  const int fd = std::exchange(fd_, -1);
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlink(tmp_.c_str());
    return std::unexpected(file_error(path_.string(), std::string("cannot write: ") + std::strerror(err)));
  }
  std::error_code ec;
  std::filesystem::rename(tmp_, path_, ec);
  if (ec) {
    ::unlink(tmp_.c_str());
    return std::unexpected(file_error(path_.string(), "cannot rename " + tmp_.string() + ": " + ec.message()));
  }
  return {};
}

}  // namespace vpcsim::io
