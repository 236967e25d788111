#include "gui/remote_source.h"

#include <QFile>
#include <QFileInfo>
#include <QMetaObject>

#include <charconv>

#include "gui/main_window.h"
#include "io/result_proto.h"
#include "io/scenario_loader.h"
#include "model/endpoint.h"

namespace vpcsim::gui {

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

DirectionVerdict verdict_from_proto(vpcsim::pb::Verdict v) {
  switch (v) {
    case vpcsim::pb::ALLOWED: return DirectionVerdict::kAllowed;
    case vpcsim::pb::DROPPED: return DirectionVerdict::kDropped;
    default: return DirectionVerdict::kNotSent;
  }
}

std::optional<Hop> hop_from_proto(vpcsim::pb::Hop h) {
  switch (h) {
    case vpcsim::pb::SG_EGRESS: return Hop::kSgEgress;
    case vpcsim::pb::NACL_EGRESS: return Hop::kNaclEgress;
    case vpcsim::pb::NACL_INGRESS: return Hop::kNaclIngress;
    case vpcsim::pb::SG_INGRESS: return Hop::kSgIngress;
    case vpcsim::pb::ROUTE: return Hop::kRoute;
    default: return std::nullopt;
  }
}

DirectionCounts direction_from_proto(const vpcsim::pb::DirectionCounts& d) {
  DirectionCounts out;
  out.flows_allowed = d.flows_allowed();
  out.flows_dropped = d.flows_dropped();
  out.packets_allowed = d.packets_allowed();
  out.packets_dropped = d.packets_dropped();
  out.bytes_allowed = d.bytes_allowed();
  out.bytes_dropped = d.bytes_dropped();
  return out;
}

void add(DirectionCounts& a, const DirectionCounts& b) {
  a.flows_allowed += b.flows_allowed;
  a.flows_dropped += b.flows_dropped;
  a.packets_allowed += b.packets_allowed;
  a.packets_dropped += b.packets_dropped;
  a.bytes_allowed += b.bytes_allowed;
  a.bytes_dropped += b.bytes_dropped;
}

void add(TrafficCounts& a, const TrafficCounts& b) {
  a.flows_started += b.flows_started;
  a.flows_worked += b.flows_worked;
  a.flows_request_dropped += b.flows_request_dropped;
  a.flows_reply_dropped += b.flows_reply_dropped;
  add(a.request, b.request);
  add(a.reply, b.reply);
  for (std::size_t i = 0; i < kHopKinds; ++i) a.drops_by_hop[i] += b.drops_by_hop[i];
}

FilteringModel model_from_proto(vpcsim::pb::FilteringModel m) {
  return m == vpcsim::pb::STATEFUL ? FilteringModel::kStateful : FilteringModel::kStateless;
}

// The bundled lesson with this scenario name, loaded from the Qt resources.
std::shared_ptr<const Scenario> bundled_scenario(const std::string& name, QString* stem) {
  for (const Lesson& l : bundledLessons()) {
    if (l.name != q(name)) continue;
    QFile f(l.path);
    if (!f.open(QIODevice::ReadOnly)) return nullptr;
    const QByteArray content = f.readAll();
    auto s = io::load_scenario_string(std::string_view(content.constData(), static_cast<std::size_t>(content.size())),
                                      l.file.toStdString(), io::ScenarioFormat::kText);
    if (!s) return nullptr;
    if (stem != nullptr) *stem = QFileInfo(l.file).completeBaseName();
    return std::make_shared<const Scenario>(std::move(*s));
  }
  return nullptr;
}

std::optional<std::uint64_t> number(std::string_view s) {
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// "10.0.0.5:50000", "[2001:db8::1]:443", or an address alone.
bool parse_address(std::string_view text, bool with_port, IpAddress& ip, std::uint16_t& port) {
  std::string_view address = text;
  if (with_port) {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return false;
    const auto p = number(text.substr(colon + 1));
    if (!p || *p > 65535) return false;
    port = static_cast<std::uint16_t>(*p);
    address = text.substr(0, colon);
    if (address.size() >= 2 && address.front() == '[' && address.back() == ']') address = address.substr(1, address.size() - 2);
  }
  auto parsed = IpAddress::parse(address);
  if (!parsed) return false;
  ip = *parsed;
  return true;
}

}  // namespace

// The inverse of Packet::to_string: "tcp 10.0.0.5:50000 -> 10.0.1.7:22",
// "icmp 10.0.0.5 -> 10.0.1.7 type 8 code 0".
std::optional<Packet> parse_packet_text(std::string_view text) {
  std::vector<std::string_view> words;
  while (!text.empty()) {
    const auto space = text.find(' ');
    words.push_back(text.substr(0, space));
    if (space == std::string_view::npos) break;
    text.remove_prefix(space + 1);
  }
  if (words.size() < 4 || words[2] != "->") return std::nullopt;
  const auto protocol = Protocol::parse(words[0]);
  if (!protocol || protocol->is_all()) return std::nullopt;
  Packet p;
  p.protocol = protocol->value();
  if (!parse_address(words[1], p.has_ports(), p.src, p.src_port)) return std::nullopt;
  if (!parse_address(words[3], p.has_ports(), p.dst, p.dst_port)) return std::nullopt;
  if (p.is_icmp()) {
    if (words.size() != 8 || words[4] != "type" || words[6] != "code") return std::nullopt;
    const auto type = number(words[5]);
    const auto code = number(words[7]);
    if (!type || !code || *type > 255 || *code > 255) return std::nullopt;
    p.icmp_type = static_cast<std::uint8_t>(*type);
    p.icmp_code = static_cast<std::uint8_t>(*code);
  } else if (words.size() != 4) {
    return std::nullopt;
  }
  return p;
}

TrafficCounts counts_from_proto(const vpcsim::pb::TrafficCounts& c) {
  TrafficCounts out;
  out.flows_started = c.flows_started();
  out.flows_worked = c.flows_worked();
  out.flows_request_dropped = c.flows_request_dropped();
  out.flows_reply_dropped = c.flows_reply_dropped();
  out.request = direction_from_proto(c.request());
  out.reply = direction_from_proto(c.reply());
  const auto& d = c.drops_by_hop();
  out.drops_by_hop = {d.sg_egress(), d.nacl_egress(), d.nacl_ingress(), d.sg_ingress(), d.route()};
  return out;
}

RuleHit rule_hit_from_proto(const vpcsim::pb::RuleHit& h) {
  RuleHit out;
  switch (h.kind()) {
    case vpcsim::pb::SG_NO_RULE_MATCHED: out.kind = RuleHit::Kind::kSgNoRuleMatched; break;
    case vpcsim::pb::NACL_ENTRY: out.kind = RuleHit::Kind::kNaclEntry; break;
    case vpcsim::pb::NACL_IMPLICIT_DENY: out.kind = RuleHit::Kind::kNaclImplicitDeny; break;
    default: out.kind = RuleHit::Kind::kSgRule; break;
  }
  out.group = h.group();
  out.direction = h.direction() == vpcsim::pb::EGRESS ? Direction::kEgress : Direction::kIngress;
  out.rule_number = h.rule_number();
  out.rule_id = h.rule_id();
  out.rule = h.rule();
  out.packets = h.packets();
  out.bytes = h.bytes();
  out.removed = h.removed();
  return out;
}

RemoteSource::RemoteSource(QObject* parent) : ResultSource(parent) {}

RemoteSource::~RemoteSource() { disconnectFromServer(); }

void RemoteSource::disconnectFromServer() {
  client_.close();
  if (reader_.joinable()) reader_.join();
}

std::expected<void, QString> RemoteSource::connectTo(const QString& host_port, const QString& token, int timeout_ms) {
  const std::chrono::milliseconds timeout(timeout_ms);
  if (auto ok = client_.connect(host_port.toStdString(), timeout); !ok) return std::unexpected(q(ok.error().message));
  if (auto ok = client_.send(server::Client::hello("vpcsim-gui", token.toStdString())); !ok)
    return std::unexpected(q(ok.error().message));
  auto welcome = client_.receive(timeout);
  if (!welcome) return std::unexpected(q(welcome.error().message));
  if (welcome->has_error()) return std::unexpected(q(welcome->error().message()));
  if (!welcome->has_welcome()) return std::unexpected(tr("%1: the server did not answer with a welcome").arg(host_port));
  controls_ = welcome->welcome().role() == server::CONTROLLER;
  role_message_ = q(welcome->welcome().message());
  if (auto ok = client_.send(server::Client::subscribe(/*packets=*/false, /*flows=*/true)); !ok)
    return std::unexpected(q(ok.error().message));
  reader_ = std::thread([this] {
    const auto why = client_.run([this](const server::ServerMessage& m) {
      QMetaObject::invokeMethod(this, [this, m] { handle(m); }, Qt::QueuedConnection);
      return true;
    });
    const QString text = why ? q(why->message) : QString();
    QMetaObject::invokeMethod(this, [this, text] { emit disconnected(text); }, Qt::QueuedConnection);
  });
  return {};
}

void RemoteSource::send(server::Request r) {
  if (!controls_) {
    emit failed(tr("watching (no control token): the server takes commands only from its controller"));
    return;
  }
  if (auto ok = client_.send(std::move(r)); !ok) emit failed(q(ok.error().message));
}

void RemoteSource::load(std::shared_ptr<const Scenario> scenario, FilteringModel model) {
  if (!scenario) return;
  QString stem;
  if (!bundled_scenario(scenario->name, &stem)) {
    emit failed(tr("%1 is not a bundled lesson: the server runs bundled lessons by name").arg(q(scenario->name)));
    return;
  }
  scenario_ = std::move(scenario);
  model_ = model;
  auto r = server::Client::load_lesson(stem.toStdString());
  r.mutable_load()->set_model(io::to_proto(model));
  send(std::move(r));
}

void RemoteSource::run() { send(server::Client::run_request()); }
void RemoteSource::pause() { send(server::Client::pause()); }
void RemoteSource::step() { send(server::Client::step(1)); }
void RemoteSource::stepToDrop() {
  emit failed(tr("the server protocol has no step to the next drop: step, or run and pause"));
}
void RemoteSource::reset() { send(server::Client::reset()); }
void RemoteSource::seek(SimTime) { emit failed(tr("a remote run cannot seek: reset, then run or step")); }
void RemoteSource::setSpeed(double simulated_per_second) {
  if (!controls_) return;  // a watcher follows the controller's speed
  send(simulated_per_second <= 0 ? server::Client::as_fast_as_possible() : server::Client::speed(simulated_per_second));
}

void RemoteSource::handle(const server::ServerMessage& m) {
  if (m.has_status()) {
    onStatus(m.status());
  } else if (m.has_flow()) {
    onFlow(m.flow());
  } else if (m.has_time_series()) {
    onTimeSeries(m.time_series());
  } else if (m.has_result()) {
    onResult(m.result());
  } else if (m.has_reply()) {
    if (m.reply().code() != server::OK) emit failed(q(m.reply().message()));
  } else if (m.has_error()) {
    emit failed(q(m.error().message()));
  }
}

void RemoteSource::onStatus(const server::Status& s) {
  const FilteringModel model = model_from_proto(s.model());
  if (!have_generation_ || s.generation() != generation_) {
    have_generation_ = true;
    generation_ = s.generation();
    if (!scenario_ || scenario_->name != s.scenario() || model != model_) {
      scenario_ = s.state() == server::EMPTY ? nullptr : bundled_scenario(s.scenario(), nullptr);
      model_ = model;
      if (!scenario_ && s.state() != server::EMPTY) {
        emit failed(tr("the server runs \"%1\", which is not a lesson bundled with this GUI").arg(q(s.scenario())));
      }
    }
    endpoints_.clear();
    if (scenario_) {
      const Network& net = scenario_->network;
      for (std::uint32_t i = 0; i < net.enis.size(); ++i) endpoints_.emplace(endpoint_label(net, EniId(i)), EniId(i));
      for (std::uint32_t i = 0; i < net.external_hosts.size(); ++i)
        endpoints_.emplace(endpoint_label(net, ExternalHostId(i)), ExternalHostId(i));
      emit scenarioChanged(scenario_, model_);
    }
    flows_.clear();
    texts_.assign(1, std::string());
    texts_sent_ = 0;
    text_index_.clear();
    buckets_.clear();
    totals_ = {};
    hits_.clear();
    finished_ = false;
  }
  now_ = SimTime(s.sim_time_ns());
  planned_end_ = s.horizon_ns() > 0 ? std::optional<SimTime>(SimTime(s.horizon_ns())) : std::nullopt;
  events_ = s.events_processed();
  flows_started_ = s.flows_started();
  const bool running = s.state() == server::RUNNING;
  if (running != running_) {
    running_ = running;
    emit runningChanged(running_);
  }
  if (scenario_ && s.state() != server::FINISHED) publish(false);
}

std::uint32_t RemoteSource::intern(const std::string& text) {
  if (text.empty()) return 0;
  const QString key = q(text);
  if (auto it = text_index_.find(key); it != text_index_.end()) return *it;
  const auto index = static_cast<std::uint32_t>(texts_.size());
  texts_.push_back(text);
  text_index_.insert(key, index);
  return index;
}

void RemoteSource::onFlow(const server::FlowEvent& f) {
  if (!scenario_) return;
  FlowRecord r;
  r.id = f.flow_id();
  r.generated = f.generated();
  const auto named = [&]() -> std::uint32_t {
    if (f.generated()) {
      for (std::uint32_t i = 0; i < scenario_->generators.size(); ++i)
        if (scenario_->generators[i].name == f.name()) return i;
    } else {
      for (std::uint32_t i = 0; i < scenario_->flows.size(); ++i)
        if (scenario_->flows[i].name == f.name()) return i;
    }
    return 0;
  };
  r.source = named();
  const auto from = endpoints_.find(f.from());
  const auto to = endpoints_.find(f.to());
  const auto packet = parse_packet_text(f.packet());
  if (from == endpoints_.end() || to == endpoints_.end() || !packet) {
    emit failed(tr("flow %1 from the server names \"%2\", \"%3\", \"%4\", which the lesson \"%5\" does not have")
                    .arg(f.flow_id())
                    .arg(q(f.from()), q(f.to()), q(f.packet()), q(scenario_->name)));
    return;
  }
  r.client = from->second;
  r.server = to->second;
  r.first_packet = *packet;
  r.start = SimTime(f.start_ns());
  r.end = SimTime(f.end_ns());
  const auto direction = [&](const server::FlowDirection& d) {
    FlowDirectionRecord out;
    out.verdict = verdict_from_proto(d.verdict());
    if (const auto hop = hop_from_proto(d.dropped_at())) {
      // The server sends the drop as one sentence; the table shows it where it would show the
      // location and the rule (location == rule marks such a record).
      const std::uint32_t text = intern(d.drop());
      out.first_drop = DropRecord{*hop, Reason::kNoRuleMatched, text, text};
    }
    out.packets_delivered = d.packets_delivered();
    out.packets_dropped = d.packets_dropped();
    return out;
  };
  r.request = direction(f.request());
  r.reply = direction(f.reply());
  r.works = f.works();
  flows_.push_back(std::move(r));
}

void RemoteSource::onTimeSeries(const server::TimeSeriesUpdate& u) {
  bucket_width_ = SimTime(u.bucket_width_ns() > 0 ? u.bucket_width_ns() : 1);
  for (const auto& b : u.buckets()) buckets_[b.start_ns()] = TimeBucket{SimTime(b.start_ns()), counts_from_proto(b.counts())};
  totals_ = {};
  for (const auto& [start, b] : buckets_) add(totals_, b.counts);
}

void RemoteSource::onResult(const server::RunResult& r) {
  if (!scenario_ || r.generation() != generation_) return;
  const auto& result = r.result();
  totals_ = counts_from_proto(result.summary());
  bucket_width_ = SimTime(result.time_series().bucket_width_ns() > 0 ? result.time_series().bucket_width_ns() : 1);
  buckets_.clear();
  for (const auto& b : result.time_series().buckets())
    buckets_[b.start_ns()] = TimeBucket{SimTime(b.start_ns()), counts_from_proto(b.counts())};
  hits_.clear();
  for (const auto& h : result.rule_hits()) hits_.push_back(rule_hit_from_proto(h));
  now_ = SimTime(result.end_ns());
  finished_ = true;
  if (running_) {
    running_ = false;
    emit runningChanged(false);
  }
  publish(true);
}

void RemoteSource::publish(bool finished) {
  auto b = std::make_shared<ResultBatch>();
  b->run = generation_ + 1;
  b->scenario = scenario_;
  b->model = model_;
  b->now = now_;
  b->planned_end = planned_end_;
  b->finished = finished;
  b->events = events_;
  b->flows_started = flows_started_;
  b->flows = std::move(flows_);
  flows_.clear();
  b->first_text = texts_sent_;
  b->texts.assign(texts_.begin() + static_cast<std::ptrdiff_t>(texts_sent_), texts_.end());
  texts_sent_ = texts_.size();
  b->bucket_width = bucket_width_;
  for (const auto& [start, bucket] : buckets_) b->buckets.push_back(bucket);
  b->totals = totals_;
  b->hits = hits_;
  emit batchReady(b);
}

}  // namespace vpcsim::gui
