// A ResultSource that follows a `vpcsim serve` simulation over the server protocol
// (proto/server.proto, sim/server/client.h). A worker thread reads the server's stream and
// hands each message to the UI thread (queued); the UI thread turns them into ResultBatches:
// the flows that finished since the last batch, the time-series buckets so far, the totals
// (counted from the finished flows while running, the server's own once its RunResult
// arrives) and the rule hits of that RunResult. Commands become requests; a connection
// without the control token is a watcher, and controls() says so.
//
// The views need the Scenario locally (topology, names): the server runs a bundled lesson, and
// the GUI has the same lessons compiled in, so a Status naming a scenario is matched against
// them by name. A scenario that is not a bundled lesson cannot be followed (failed()).
#pragma once

#include <QHash>
#include <QString>

#include <expected>
#include <map>
#include <memory>
#include <thread>

#include "gui/result_source.h"
#include "proto/server.pb.h"
#include "sim/server/client.h"

namespace vpcsim::gui {

class RemoteSource : public ResultSource {
  Q_OBJECT
 public:
  explicit RemoteSource(QObject* parent = nullptr);
  ~RemoteSource() override;

  // Connects to "host:port", says hello (with `token` when not empty), subscribes to finished
  // flows and starts reading. Blocks for at most `timeout_ms`; the error says what failed.
  std::expected<void, QString> connectTo(const QString& host_port, const QString& token, int timeout_ms = 5000);
  // True when the server made this connection a controller (the token was right).
  bool controls() const { return controls_; }
  // Why the role is what it is (the server's Welcome message).
  const QString& roleMessage() const { return role_message_; }
  void disconnectFromServer();

  // Asks the server to load the bundled lesson with this scenario's name (controllers only).
  void load(std::shared_ptr<const Scenario> scenario, FilteringModel model) override;
  void run() override;
  void pause() override;
  void step() override;
  void stepToDrop() override;
  void reset() override;
  void seek(SimTime t) override;
  void setSpeed(double simulated_per_second) override;
  bool running() const override { return running_; }

  // The scenario the server runs, as matched against the bundled lessons.
  std::shared_ptr<const Scenario> scenario() const { return scenario_; }

 signals:
  // The server loaded (or reset) a scenario: the window shows it without loading it again.
  void scenarioChanged(std::shared_ptr<const vpcsim::Scenario> scenario, vpcsim::FilteringModel model);
  void disconnected(QString why);

 private:
  void handle(const server::ServerMessage& m);
  void onStatus(const server::Status& s);
  void onFlow(const server::FlowEvent& f);
  void onTimeSeries(const server::TimeSeriesUpdate& u);
  void onResult(const server::RunResult& r);
  void publish(bool finished);
  void send(server::Request r);
  std::uint32_t intern(const std::string& text);

  server::Client client_;
  std::thread reader_;
  bool controls_ = false;
  QString role_message_;
  bool running_ = false;
  std::shared_ptr<const Scenario> scenario_;
  FilteringModel model_ = FilteringModel::kStateless;
  std::uint64_t generation_ = 0;
  bool have_generation_ = false;
  std::map<std::string, Endpoint> endpoints_;  // endpoint_label -> endpoint of scenario_
  // The batch being gathered.
  std::vector<FlowRecord> flows_;
  std::vector<std::string> texts_{std::string()};  // text(0) is ""
  std::size_t texts_sent_ = 0;
  QHash<QString, std::uint32_t> text_index_;
  std::map<std::int64_t, TimeBucket> buckets_;
  SimTime bucket_width_{1};
  TrafficCounts totals_;
  std::vector<RuleHit> hits_;
  SimTime now_{0};
  std::optional<SimTime> planned_end_;
  std::uint64_t events_ = 0;
  std::uint64_t flows_started_ = 0;
  bool finished_ = false;
};

// Conversions of the server's messages (exposed for the tests).
std::optional<Packet> parse_packet_text(std::string_view text);
TrafficCounts counts_from_proto(const vpcsim::pb::TrafficCounts& c);
RuleHit rule_hit_from_proto(const vpcsim::pb::RuleHit& h);

}  // namespace vpcsim::gui
