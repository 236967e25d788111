#include "io/flowlog_reader.h"

#include "io/flowlog_stream.h"

#include <algorithm>
#include <charconv>
#include <iterator>

namespace vpcsim::io {

namespace {

// VPC User Guide, "Flow log records" ("Available fields"), and the ECS fields of version 7
// (AWS blog "Introducing VPC Flow Logs for Elastic Container Services"); the last three appear
// on the current page without a version we could verify.
constexpr std::string_view kKnownFields[] = {
    "version", "account-id", "interface-id", "srcaddr", "dstaddr", "srcport", "dstport", "protocol", "packets", "bytes",
    "start", "end", "action", "log-status",
    // version 3
    "vpc-id", "subnet-id", "instance-id", "tcp-flags", "type", "pkt-srcaddr", "pkt-dstaddr",
    // version 4
    "region", "az-id", "sublocation-type", "sublocation-id",
    // version 5
    "pkt-src-aws-service", "pkt-dst-aws-service", "flow-direction", "traffic-path",
    // version 7
    "ecs-cluster-arn", "ecs-cluster-name", "ecs-container-instance-arn", "ecs-container-instance-id",
    "ecs-container-id", "ecs-second-container-id", "ecs-service-name", "ecs-task-definition-arn", "ecs-task-arn",
    "ecs-task-id",
    // later
    "reject-reason", "resource-id", "encryption-status"};

constexpr std::string_view kDefaultV2 =
    "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action "
    "log-status";

constexpr std::pair<FlowLogField, std::string_view> kReadFields[] = {
    {FlowLogField::kInterfaceId, "interface-id"},
    {FlowLogField::kSrcAddr, "srcaddr"},
    {FlowLogField::kDstAddr, "dstaddr"},
    {FlowLogField::kSrcPort, "srcport"},
    {FlowLogField::kDstPort, "dstport"},
    {FlowLogField::kProtocol, "protocol"},
    {FlowLogField::kStart, "start"},
    {FlowLogField::kEnd, "end"},
    {FlowLogField::kAction, "action"},
    {FlowLogField::kLogStatus, "log-status"},
    {FlowLogField::kTcpFlags, "tcp-flags"},
    {FlowLogField::kFlowDirection, "flow-direction"},
};

constexpr FlowLogField kRequired[] = {FlowLogField::kInterfaceId, FlowLogField::kSrcAddr, FlowLogField::kDstAddr,
                                      FlowLogField::kSrcPort,     FlowLogField::kDstPort, FlowLogField::kProtocol};

bool is_known(std::string_view name) { return std::ranges::find(kKnownFields, name) != std::end(kKnownFields); }

bool is_field_name(std::string_view s) {
  if (s.empty() || s[0] < 'a' || s[0] > 'z') return false;
  return std::ranges::all_of(
      s, [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'; });
}

bool is_space(char c) { return c == ' ' || c == '\t'; }

template <class T>
bool parse_uint(std::string_view s, T& out) {
  if (s.empty()) return false;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && p == s.data() + s.size();
}

std::string_view field_name(FlowLogField f) {
  for (const auto& [field, name] : kReadFields) {
    if (field == f) return name;
  }
  return "?";
}

}  // namespace

std::size_t split_flowlog_fields(std::string_view line, std::vector<std::string_view>& out, std::size_t max_fields) {
  out.clear();
  const char* p = line.data();
  const char* const e = p + line.size();
  while (p != e) {
    while (p != e && is_space(*p)) ++p;
    if (p == e) break;
    const char* b = p;
    while (p != e && !is_space(*p)) ++p;
    out.emplace_back(b, static_cast<std::size_t>(p - b));
    if (out.size() > max_fields) break;
  }
  return out.size();
}

FlowLogFormat FlowLogFormat::default_v2() { return *parse_spec(kDefaultV2); }

std::expected<FlowLogFormat, std::string> FlowLogFormat::parse_spec(std::string_view spec) {
  FlowLogFormat f;
  f.column_.fill(-1);
  std::vector<std::string_view> tokens;
  split_flowlog_fields(spec, tokens, 4096);
  if (tokens.empty()) return std::unexpected("the format names no field");
  for (std::string_view t : tokens) {
    if (t.starts_with("${") && t.ends_with("}")) t = t.substr(2, t.size() - 3);
    if (!is_field_name(t)) return std::unexpected("'" + std::string(t) + "' is not a field name");
    if (std::ranges::find(f.fields_, t) != f.fields_.end()) {
      return std::unexpected("field '" + std::string(t) + "' is named twice");
    }
    for (const auto& [field, name] : kReadFields) {
      if (name == t) f.column_[static_cast<std::size_t>(field)] = static_cast<int>(f.fields_.size());
    }
    f.fields_.emplace_back(t);
  }
  return f;
}

bool FlowLogFormat::looks_like_header(std::string_view line) {
  std::vector<std::string_view> tokens;
  split_flowlog_fields(line, tokens, 4096);
  return !tokens.empty() && is_known(tokens[0]) && std::ranges::all_of(tokens, is_field_name);
}

std::span<const std::string_view> FlowLogFormat::known_fields() { return kKnownFields; }

std::vector<std::string> FlowLogFormat::missing_for_replay() const {
  std::vector<std::string> out;
  for (const FlowLogField r : kRequired) {
    if (!column(r)) out.emplace_back(field_name(r));
  }
  return out;
}

std::optional<std::size_t> FlowLogFormat::column(FlowLogField f) const {
  const int c = column_[static_cast<std::size_t>(f)];
  return c < 0 ? std::nullopt : std::optional<std::size_t>(static_cast<std::size_t>(c));
}

std::string FlowLogFormat::header() const {
  std::string s;
  for (const std::string& f : fields_) s += (s.empty() ? "" : " ") + f;
  return s;
}

FlowRecordParser::FlowRecordParser(const FlowLogFormat& format) : format_(format) {
  fields_.reserve(format.size() + 1);
  for (std::size_t i = 0; i < col_.size(); ++i) {
    const auto c = format.column(static_cast<FlowLogField>(i));
    col_[i] = c ? static_cast<int>(*c) : -1;
  }
}

std::expected<ParsedFlowRecord, SkipReason> FlowRecordParser::parse(std::string_view line) {
  const std::size_t n = split_flowlog_fields(line, fields_, format_.size());
  if (n == 0) return std::unexpected(SkipReason::kBlankLine);
  if (n != format_.size()) return std::unexpected(SkipReason::kWrongFieldCount);
  const auto get = [&](FlowLogField f) -> std::optional<std::string_view> {
    const int c = col_[static_cast<std::size_t>(f)];
    if (c < 0) return std::nullopt;
    return fields_[static_cast<std::size_t>(c)];
  };
  ParsedFlowRecord out;
  FlowObservation& o = out.observation;
  // "Flow log record examples": NODATA and SKIPDATA records carry "-" for the flow fields and
  // the action.
  if (const auto status = get(FlowLogField::kLogStatus)) {
    if (*status == "NODATA") return std::unexpected(SkipReason::kNoData);
    if (*status == "SKIPDATA") return std::unexpected(SkipReason::kSkipData);
    if (*status != "OK" && *status != "-") return std::unexpected(SkipReason::kBadLogStatus);
  }
  // A format without a field the replay needs (e.g. Transit Gateway flow logs, which have no
  // interface-id) makes every record a skipped one, never a fatal error.
  o.interface_id = get(FlowLogField::kInterfaceId).value_or("-");
  const auto src = IpAddress::parse(get(FlowLogField::kSrcAddr).value_or("-"));
  const auto dst = IpAddress::parse(get(FlowLogField::kDstAddr).value_or("-"));
  if (!src || !dst || src->family() != dst->family()) return std::unexpected(SkipReason::kBadAddress);
  o.packet.src = *src;
  o.packet.dst = *dst;
  if (!parse_uint(get(FlowLogField::kProtocol).value_or("-"), o.packet.protocol)) {
    return std::unexpected(SkipReason::kBadProtocol);
  }
  // Ports are meaningful for TCP and UDP only; other protocols log 0 (or "-").
  for (const auto& [field, port] :
       {std::pair{FlowLogField::kSrcPort, &o.packet.src_port}, std::pair{FlowLogField::kDstPort, &o.packet.dst_port}}) {
    const std::string_view v = get(field).value_or("-");
    if (v == "-" && !o.packet.has_ports()) continue;
    if (!parse_uint(v, *port)) return std::unexpected(SkipReason::kBadPort);
  }
  if (!o.packet.has_ports()) o.packet.src_port = o.packet.dst_port = 0;
  if (const auto start = get(FlowLogField::kStart)) {
    if (!parse_uint(*start, o.start)) return std::unexpected(SkipReason::kBadTime);
  }
  o.end = o.start;
  if (const auto end = get(FlowLogField::kEnd)) {
    if (!parse_uint(*end, o.end)) return std::unexpected(SkipReason::kBadTime);
  }
  if (const auto action = get(FlowLogField::kAction)) {
    if (*action == "ACCEPT")
      o.recorded = RecordedAction::kAccept;
    else if (*action == "REJECT")
      o.recorded = RecordedAction::kReject;
    else if (*action != "-")
      return std::unexpected(SkipReason::kBadAction);
    out.action_span =
        std::pair{static_cast<std::uint32_t>(action->data() - line.data()), static_cast<std::uint32_t>(action->size())};
  }
  if (const auto flags = get(FlowLogField::kTcpFlags); flags && *flags != "-") {
    unsigned value = 0;
    if (!parse_uint(*flags, value) || value > 255) return std::unexpected(SkipReason::kBadTcpFlags);
    // "tcp-flags": the OR of FIN 1, SYN 2, RST 4 and SYN-ACK 18 over the window, the same bits
    // as on the wire (ACK 16). Other bits (PSH, URG) are not reported and do not matter here.
    if (o.packet.protocol == Protocol::kTcp) {
      o.packet.tcp_flags =
          static_cast<std::uint8_t>(value & (Packet::kFin | Packet::kSyn | Packet::kRst | Packet::kAck));
    }
  }
  if (const auto dir = get(FlowLogField::kFlowDirection)) {
    if (*dir == "ingress")
      o.direction = Direction::kIngress;
    else if (*dir == "egress")
      o.direction = Direction::kEgress;
    else if (*dir != "-")
      return std::unexpected(SkipReason::kBadFlowDirection);
  }
  return out;
}

std::string FlowRecordParser::problem(SkipReason r) const {
  const auto show = [&](std::initializer_list<FlowLogField> fs) {
    std::string out;
    for (const FlowLogField f : fs) {
      const int c = col_[static_cast<std::size_t>(f)];
      if (c < 0 || static_cast<std::size_t>(c) >= fields_.size()) continue;
      out += (out.empty() ? "" : " ") + std::string(field_name(f)) + " '" +
             std::string(fields_[static_cast<std::size_t>(c)]) + "'";
    }
    return out;
  };
  switch (r) {
    case SkipReason::kWrongFieldCount:
      return (fields_.size() > format_.size() ? "more than " + std::to_string(format_.size())
                                              : std::to_string(fields_.size())) +
             " fields, the format has " + std::to_string(format_.size());
    case SkipReason::kBadAddress:
      return show({FlowLogField::kSrcAddr, FlowLogField::kDstAddr});
    case SkipReason::kBadPort:
      return show({FlowLogField::kSrcPort, FlowLogField::kDstPort});
    case SkipReason::kBadProtocol:
      return show({FlowLogField::kProtocol});
    case SkipReason::kBadTime:
      return show({FlowLogField::kStart, FlowLogField::kEnd});
    case SkipReason::kBadAction:
      return show({FlowLogField::kAction});
    case SkipReason::kBadLogStatus:
      return show({FlowLogField::kLogStatus});
    case SkipReason::kBadTcpFlags:
      return show({FlowLogField::kTcpFlags});
    case SkipReason::kBadFlowDirection:
      return show({FlowLogField::kFlowDirection});
    default:
      return "";
  }
}

std::string FlowLogSet::location(const FlowLogLine& l) const {
  return stream_location(files[l.file].path, l.line_no, l.event);
}

void FlowLogSet::add(const StreamLine& line) {
  FlowLogLine& l = lines.emplace_back();
  l.file = line.file;
  l.line_no = line.line_no;
  l.offset = content.size();
  l.length = static_cast<std::uint32_t>(line.text.size());
  l.event = line.event;
  l.skip = line.skip;
  if (line.skip) {
    l.problem = static_cast<std::uint32_t>(problems.size());
    problems.emplace_back(line.problem);
  }
  content.append(line.text);
}

StreamLine FlowLogSet::stream_line(const FlowLogLine& l) const {
  StreamLine out{l.file, l.line_no, text(l), l.event};
  if (l.skip) {
    out.skip = l.skip;
    out.problem = problems[l.problem];
  }
  return out;
}

std::expected<std::vector<std::filesystem::path>, Error> list_flowlog_files(std::span<const std::string> inputs) {
  namespace fs = std::filesystem;
  std::vector<fs::path> out;
  for (const std::string& input : inputs) {
    std::error_code ec;
    const fs::file_status st = fs::status(input, ec);
    if (ec || !fs::exists(st)) {
      return std::unexpected(Error{input, 0, 0, "", "no such file or directory"});
    }
    if (!fs::is_directory(st)) {
      out.emplace_back(input);
      continue;
    }
    std::vector<fs::path> found;
    for (fs::recursive_directory_iterator it(input, ec), end; !ec && it != end; it.increment(ec)) {
      if (it->is_regular_file()) found.push_back(it->path());
    }
    if (ec) return std::unexpected(Error{input, 0, 0, "", "cannot list the directory: " + ec.message()});
    std::ranges::sort(found);
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

std::expected<FlowLogSet, Error> read_flowlogs(std::span<const std::string> inputs,
                                               const std::optional<FlowLogFormat>& headerless) {
  auto stream = FlowLogStream::open(inputs, headerless);
  if (!stream) return std::unexpected(stream.error());
  FlowLogSet set;
  // Room for the text at once (a gzipped file's is larger: it grows from there): growing a
  // buffer of a flow log's size step by step costs several times the reading itself. Reserved
  // pages that stay unused are never touched.
  std::uintmax_t bytes = 0;
  for (const std::string& path : stream->paths()) {
    std::error_code ec;
    const std::uintmax_t size = std::filesystem::file_size(path, ec);
    if (!ec) bytes += size;
  }
  set.content.reserve(static_cast<std::size_t>(bytes));
  set.lines.reserve(static_cast<std::size_t>(bytes / 64));  // records are 100 bytes and more
  while (true) {
    auto line = stream->next();
    if (!line) return std::unexpected(line.error());
    if (!*line) break;
    if ((*line)->text.size() > UINT32_MAX) {
      return std::unexpected(Error{stream->paths()[(*line)->file], static_cast<int>((*line)->line_no), 0, "",
                                   "line too long"});
    }
    set.add(**line);
  }
  set.format = stream->format();
  set.any_header = stream->any_header();
  set.header_lines = stream->header_lines();
  for (std::size_t i = 0; i < stream->paths().size(); ++i) set.files.push_back({stream->paths()[i], stream->shapes()[i]});
  set.warnings = stream->warnings();
  return set;
}

}  // namespace vpcsim::io
