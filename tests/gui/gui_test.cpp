// The desktop application end to end: a lesson loaded and run through the window, its charts,
// flow table, trace, rule editor and model comparison checked against the engine's own results,
// and the screenshot command.
#include <gtest/gtest.h>

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QImage>
#include <QProcess>
#include <QSettings>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtCharts/QBarSet>
#include <QtCharts/QLineSeries>
#include <algorithm>
#include <functional>

#include "gui/charts_panel.h"
#include "gui/compare_panel.h"
#include "gui/flow_table_model.h"
#include "gui/lint_panel.h"
#include "gui/main_window.h"
#include "gui/remote_source.h"
#include "gui/rule_editor.h"
#include "gui/topology_view.h"
#include "gui/trace_text.h"
#include "io/aws_import.h"
#include "io/scenario_loader.h"
#include "model/analysis/lint.h"
#include "model/explain.h"
#include "sim/results/flow_collector.h"
#include "sim/results/rule_hit_collector.h"
#include "sim/results/summary_collector.h"
#include "sim/run_session.h"
#include "tests/server/server_test_support.h"

namespace vpcsim::gui {
namespace {

const QString kLessonSsh = QStringLiteral(":/scenarios/lessons/01-ssh-inbound-only.textproto");
const QString kLessonScanner = QStringLiteral(":/scenarios/lessons/12-internet-scanner.textproto");

Scenario lessonScenario(const char* file) {
  auto s = io::load_scenario_file(std::string(VPCSIM_SOURCE_DIR) + "/scenarios/lessons/" + file);
  EXPECT_TRUE(s.has_value());
  return *s;
}

// Processes events until `done` holds or `timeout_ms` pass.
bool waitUntil(const std::function<bool()>& done, int timeout_ms = 15'000) {
  QElapsedTimer t;
  t.start();
  while (!done()) {
    if (t.elapsed() > timeout_ms) return false;
    QApplication::processEvents(QEventLoop::AllEvents, 20);
  }
  return true;
}

// The flows of a time series: each bucket is a step of two points of the same height.
double sum(const QLineSeries* s) {
  double total = 0;
  const QList<QPointF> points = s->points();
  EXPECT_EQ(points.size() % 2, 0);
  for (qsizetype i = 0; i + 1 < points.size(); i += 2) {
    EXPECT_EQ(points[i].y(), points[i + 1].y());
    total += points[i].y();
  }
  return total;
}

int rowOfFlow(const MainWindow& w, const QString& name) {
  const FlowTableModel* m = w.flowModel();
  for (int r = 0; r < w.flowProxy()->rowCount(); ++r) {
    const int source = w.flowProxy()->mapToSource(w.flowProxy()->index(r, 0)).row();
    if (m->flowName(m->record(source)) == name) return r;
  }
  return -1;
}

const FlowRecord* recordOfFlow(const MainWindow& w, const QString& name) {
  const FlowTableModel* m = w.flowModel();
  for (int r = 0; r < m->rowCount(); ++r) {
    if (m->flowName(m->record(r)) == name) return &m->record(r);
  }
  return nullptr;
}

class GuiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (QApplication::instance() != nullptr) return;
    // ctest sets the offscreen platform; a run by hand gets it too rather than opening windows.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    static int argc = 1;
    static char name[] = "gui_test";
    static char* argv[] = {name, nullptr};
    new QApplication(argc, argv);
    // Settings go to a directory of the test's own, never the user's.
    QStandardPaths::setTestModeEnabled(true);
    static QTemporaryDir settings;
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settings.path());
    QApplication::setOrganizationName(QStringLiteral("vpcsim-test"));
    QApplication::setApplicationName(QStringLiteral("gui_test"));
  }
  MainWindow::Options quiet{.persist_settings = false, .interactive = false};
};

TEST_F(GuiTest, LessonRunToTheEndChartsAndTableHoldTheEnginesTotals) {
  MainWindow w(quiet);
  w.resize(1200, 800);
  ASSERT_TRUE(w.openScenario(kLessonScanner)) << w.lastError().toStdString();
  ASSERT_TRUE(w.runToEnd(15'000));

  const Scenario s = lessonScenario("12-internet-scanner.textproto");
  Simulator sim(s, scenario_options(s));
  SummaryCollector summary;
  FlowCollector flows(sim.network());
  RuleHitCollector hits(sim.network());
  sim.add_observer(summary);
  sim.add_observer(flows);
  sim.add_observer(hits);
  sim.run();
  const TrafficCounts& t = summary.totals();
  ASSERT_GT(t.flows_started, 10u);

  const ChartsPanel* c = w.charts();
  EXPECT_EQ(sum(c->line(ChartsPanel::kRequestAllowed)), static_cast<double>(t.request.flows_allowed));
  EXPECT_EQ(sum(c->line(ChartsPanel::kRequestDropped)), static_cast<double>(t.request.flows_dropped));
  EXPECT_EQ(sum(c->line(ChartsPanel::kReplyAllowed)), static_cast<double>(t.reply.flows_allowed));
  EXPECT_EQ(sum(c->line(ChartsPanel::kReplyDropped)), static_cast<double>(t.reply.flows_dropped));
  EXPECT_GT(t.request.flows_dropped, 0u);
  for (std::size_t h = 0; h < kHopKinds; ++h) {
    // Bars are drawn bottom-up, the first hop of the path at the top.
    EXPECT_EQ(c->hopBars()->at(static_cast<int>(kHopKinds - 1 - h)), static_cast<double>(t.drops_by_hop[h])) << "hop " << h;
  }
  std::uint64_t busiest = 0;
  for (const RuleHit& h : hits.hits()) busiest = std::max(busiest, h.packets);
  const QBarSet* rules = c->ruleBars();
  ASSERT_GT(rules->count(), 0);
  EXPECT_EQ(rules->at(rules->count() - 1), static_cast<double>(busiest));  // the busiest is drawn last (top)

  EXPECT_EQ(w.flowModel()->rowCount(), static_cast<int>(flows.flows().size()));
  EXPECT_EQ(w.flowModel()->rowCount(), static_cast<int>(t.flows_started));
  // The CSV export of the time chart holds the same numbers.
  const std::string csv = c->csv(ChartsPanel::kOverTime);
  EXPECT_EQ(csv.rfind("bucket_start_s,request_allowed_flows", 0), 0u) << csv.substr(0, 80);
  EXPECT_EQ(static_cast<std::size_t>(std::ranges::count(csv, '\n')), w.lastBatch()->buckets.size() + 1);
  QTemporaryDir dir;
  EXPECT_TRUE(c->exportPng(ChartsPanel::kDropsByHop, dir.filePath("hops.png")));
  EXPECT_FALSE(QImage(dir.filePath("hops.png")).isNull());
}

TEST_F(GuiTest, FilteringTheTableByVerdictAndPort) {
  MainWindow w(quiet);
  ASSERT_TRUE(w.openScenario(kLessonScanner));
  ASSERT_TRUE(w.runToEnd(15'000));
  const FlowTableModel* m = w.flowModel();
  int dropped = 0;
  int port22 = 0;
  for (int r = 0; r < m->rowCount(); ++r) {
    const FlowRecord& rec = m->record(r);
    dropped += rec.request.verdict == DirectionVerdict::kDropped || rec.reply.verdict == DirectionVerdict::kDropped;
    port22 += rec.first_packet.dst_port == 22;
  }
  w.flowProxy()->setVerdict(FlowFilterProxy::Verdict::kDropped);
  EXPECT_EQ(w.flowProxy()->rowCount(), dropped);
  w.flowProxy()->setVerdict(FlowFilterProxy::Verdict::kAny);
  w.flowProxy()->setPort(QStringLiteral("22"));
  EXPECT_EQ(w.flowProxy()->rowCount(), port22);
  w.flowProxy()->setInstance(QStringLiteral("legacy"));
  EXPECT_GT(w.flowProxy()->rowCount(), 0);
  EXPECT_LT(w.flowProxy()->rowCount(), port22);
}

TEST_F(GuiTest, SelectingARowShowsItsTraceBothWays) {
  MainWindow w(quiet);
  ASSERT_TRUE(w.openScenario(kLessonSsh));
  w.setFilteringModel(FilteringModel::kStateless);
  ASSERT_TRUE(w.runToEnd(15'000));
  const int row = rowOfFlow(w, QStringLiteral("ssh-inbound-only"));
  ASSERT_GE(row, 0);
  w.selectFlowRow(row);
  const QString trace = w.traceText();
  EXPECT_TRUE(trace.contains(QStringLiteral("ssh-inbound-only"))) << trace.toStdString();
  EXPECT_TRUE(trace.contains(QStringLiteral("request  tcp 198.51.100.10:50000 -> 10.0.1.10:22"))) << trace.toStdString();
  EXPECT_TRUE(trace.contains(QStringLiteral("reply"))) << trace.toStdString();
  EXPECT_TRUE(trace.contains(QStringLiteral("DROPPED at sg-egress"))) << trace.toStdString();
  EXPECT_TRUE(trace.contains(QStringLiteral("sg-ssh-in"))) << trace.toStdString();
}

TEST_F(GuiTest, EditingARuleAndApplyingChangesTheVerdictAndTheDiffListsIt) {
  MainWindow w(quiet);
  ASSERT_TRUE(w.openScenario(kLessonSsh));
  w.setFilteringModel(FilteringModel::kStateless);
  ASSERT_TRUE(w.runToEnd(15'000));
  const FlowRecord* before = recordOfFlow(w, QStringLiteral("ssh-inbound-only"));
  ASSERT_NE(before, nullptr);
  ASSERT_EQ(before->reply.verdict, DirectionVerdict::kDropped);

  RuleEditor* editor = w.ruleEditor();
  ASSERT_TRUE(editor->selectObject(QStringLiteral("sg-ssh-in")));
  editor->setDirection(Direction::kEgress);
  EXPECT_EQ(editor->table()->rowCount(), 0);
  // An invalid row first: the message is shown inline and Apply refuses.
  editor->addRow({"tcp", "1024-70000", "", "", "198.51.100.10/32", ""});
  EXPECT_FALSE(editor->validate());
  const QString problem = editor->table()->item(0, editor->table()->columnCount() - 1)->text();
  EXPECT_TRUE(problem.startsWith(QStringLiteral("ports:"))) << problem.toStdString();
  EXPECT_FALSE(editor->apply());
  editor->table()->item(0, 1)->setText(QStringLiteral("1024-65535"));
  EXPECT_TRUE(editor->validate());

  const auto old_scenario = w.scenario();
  ASSERT_TRUE(editor->apply());
  ASSERT_TRUE(waitUntil([&] {
    const BatchPtr b = w.lastBatch();
    return editor->lastDiff().has_value() && w.scenario() != old_scenario && b && b->scenario == w.scenario() &&
           b->finished;
  }));
  const VerdictDiff& diff = *editor->lastDiff();
  EXPECT_EQ(diff.newly_dropped, 0u);
  EXPECT_GE(diff.newly_allowed, 1u);
  bool listed = false;
  for (const DiffGroup& g : diff.groups) {
    for (const std::string& e : g.examples) {
      listed |= g.change == VerdictChange::kNewlyAllowed && g.reply && e.find("server (eni-server)") != std::string::npos;
    }
  }
  EXPECT_TRUE(listed);
  EXPECT_GT(editor->diffTree()->topLevelItemCount(), 0);
  const FlowRecord* after = recordOfFlow(w, QStringLiteral("ssh-inbound-only"));
  ASSERT_NE(after, nullptr);
  EXPECT_EQ(after->reply.verdict, DirectionVerdict::kAllowed);
}

TEST_F(GuiTest, RuleEditorChecksNetworkAclEntriesInline) {
  MainWindow w(quiet);
  ASSERT_TRUE(w.openScenario(kLessonSsh));
  RuleEditor* editor = w.ruleEditor();
  ASSERT_TRUE(editor->selectObject(QStringLiteral("default-acl")));
  editor->setDirection(Direction::kIngress);
  ASSERT_GE(editor->table()->rowCount(), 1);  // AWS's default entry 100
  EXPECT_EQ(editor->table()->item(0, 0)->text(), QStringLiteral("100"));
  EXPECT_TRUE(editor->validate());
  editor->addRow({"100", "deny", "tcp", "22", "", "", "0.0.0.0/0"});
  EXPECT_FALSE(editor->validate());
  const int last = editor->table()->rowCount() - 1;
  const QString problem = editor->table()->item(last, editor->table()->columnCount() - 1)->text();
  EXPECT_TRUE(problem.contains(QStringLiteral("already used"))) << problem.toStdString();
  EXPECT_FALSE(editor->apply());
}

TEST_F(GuiTest, OpenedFilesAreRememberedAsRecent) {
  MainWindow w({.persist_settings = true, .interactive = false});
  const QString path = QStringLiteral(VPCSIM_SOURCE_DIR "/scenarios/lessons/03-public-web.textproto");
  ASSERT_TRUE(w.openScenario(path));
  const QStringList recent = QSettings().value(QStringLiteral("recentFiles")).toStringList();
  ASSERT_FALSE(recent.isEmpty());
  EXPECT_EQ(recent.front(), QFileInfo(path).absoluteFilePath());
}

TEST_F(GuiTest, StepToDropDrawsThePacketRedAtTheDroppingHop) {
  MainWindow w(quiet);
  ASSERT_TRUE(w.openScenario(kLessonSsh));
  w.setFilteringModel(FilteringModel::kStateless);
  ASSERT_TRUE(waitUntil([&] { return w.lastBatch() && w.lastBatch()->scenario == w.scenario(); }));
  w.source()->stepToDrop();
  ASSERT_TRUE(waitUntil([&] { return w.lastBatch()->packet.has_value(); }));
  EXPECT_TRUE(w.topology()->packetDropped());
  EXPECT_GE(w.topology()->packetPath().size(), 2);
  EXPECT_TRUE(w.traceText().contains(QStringLiteral("DROPPED"))) << w.traceText().toStdString();
  // One more single step: one event further, still paused.
  const std::uint64_t events = w.lastBatch()->events;
  w.source()->step();
  ASSERT_TRUE(waitUntil([&] { return w.lastBatch()->events == events + 1; }));
  EXPECT_FALSE(w.source()->running());
}

TEST_F(GuiTest, SeekingBackReplaysFromTheStartUpToThatTime) {
  MainWindow w(quiet);
  ASSERT_TRUE(w.openScenario(kLessonScanner));
  ASSERT_TRUE(w.runToEnd(15'000));
  const int all = w.flowModel()->rowCount();
  const std::uint64_t run = w.lastBatch()->run;
  w.source()->seek(seconds(4));
  ASSERT_TRUE(waitUntil([&] { return w.lastBatch()->run != run; }));
  const BatchPtr b = w.lastBatch();
  EXPECT_LE(b->now, seconds(4));
  EXPECT_FALSE(b->finished);
  EXPECT_GT(w.flowModel()->rowCount(), 0);
  EXPECT_LT(w.flowModel()->rowCount(), all);
  // Running on from there ends where the uninterrupted run ended.
  ASSERT_TRUE(w.runToEnd(15'000));
  EXPECT_EQ(w.flowModel()->rowCount(), all);
}

TEST_F(GuiTest, SideBySideComparisonShowsWhereTheModelsDiffer) {
  MainWindow w(quiet);
  ASSERT_TRUE(w.openScenario(kLessonSsh));
  w.showView(QStringLiteral("compare"));
  ASSERT_TRUE(waitUntil([&] { return w.comparePanel()->finished(); }));
  const auto& diff = *w.comparePanel()->diff();
  EXPECT_GE(diff.newly_allowed, 1u);  // replies the stateful model passes
  const double stateless_reply_drops = sum(w.comparePanel()->charts(FilteringModel::kStateless)->line(ChartsPanel::kReplyDropped));
  const double stateful_reply_drops = sum(w.comparePanel()->charts(FilteringModel::kStateful)->line(ChartsPanel::kReplyDropped));
  EXPECT_GT(stateless_reply_drops, stateful_reply_drops);
}

TEST_F(GuiTest, LessonsMenuListsEveryBundledLessonWithItsDescription) {
  const QList<Lesson> lessons = bundledLessons();
  const QStringList files =
      QDir(QStringLiteral(VPCSIM_SOURCE_DIR "/scenarios/lessons")).entryList({"*.textproto"}, QDir::Files, QDir::Name);
  ASSERT_EQ(lessons.size(), files.size());
  for (int i = 0; i < lessons.size(); ++i) {
    EXPECT_EQ(lessons[i].file, files[i]);
    EXPECT_FALSE(lessons[i].description.isEmpty()) << lessons[i].file.toStdString();
  }
}

TEST_F(GuiTest, OpeningABadScenarioNamesFileLineAndField) {
  QTemporaryDir dir;
  const QString path = dir.filePath(QStringLiteral("bad.textproto"));
  QFile f(path);
  ASSERT_TRUE(f.open(QIODevice::WriteOnly));
  f.write("name: \"bad\"\nvpc { id: \"v\" cidr_blocks: \"10.0.0.0/33\" }\n");
  f.close();
  MainWindow w(quiet);
  EXPECT_FALSE(w.openScenario(path));
  EXPECT_TRUE(w.lastError().contains(QStringLiteral("bad.textproto:2"))) << w.lastError().toStdString();
  EXPECT_TRUE(w.lastError().contains(QStringLiteral("cidr_blocks"))) << w.lastError().toStdString();
  EXPECT_FALSE(w.openScenario(dir.filePath(QStringLiteral("missing.textproto"))));
  EXPECT_TRUE(w.lastError().contains(QStringLiteral("missing.textproto"))) << w.lastError().toStdString();
}

TEST_F(GuiTest, ScreenshotCommandWritesAPngOfTheWindowSize) {
  QTemporaryDir dir;
  const QString out = dir.filePath(QStringLiteral("shot.png"));
  QProcess p;
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
  p.setProcessEnvironment(env);
  p.start(QStringLiteral(VPCSIM_GUI_BINARY),
          {QStringLiteral("--screenshot"), out, QStringLiteral(VPCSIM_SOURCE_DIR "/scenarios/lessons/09-nacl-ephemeral-ports.textproto")});
  ASSERT_TRUE(p.waitForFinished(30'000));
  EXPECT_EQ(p.exitCode(), 0) << p.readAllStandardError().toStdString();
  const QImage image(out);
  ASSERT_FALSE(image.isNull());
  EXPECT_EQ(image.size(), QSize(1400, 900));

  // A scenario that does not exist: exit 2 and a message naming it.
  p.start(QStringLiteral(VPCSIM_GUI_BINARY), {QStringLiteral("--screenshot"), out, dir.filePath(QStringLiteral("nope.json"))});
  ASSERT_TRUE(p.waitForFinished(30'000));
  EXPECT_EQ(p.exitCode(), 2);
  EXPECT_TRUE(p.readAllStandardError().contains("nope.json"));
}


TEST_F(GuiTest, PacketTextsFromTheServerParseBack) {
  for (const char* text : {"tcp 10.0.0.5:50000 -> 10.0.1.7:22", "icmp 10.0.0.5 -> 10.0.1.7 type 8 code 0",
                           "udp [2001:db8::1]:53 -> [2001:db8::2]:5353"}) {
    const auto p = parse_packet_text(text);
    ASSERT_TRUE(p) << text;
    EXPECT_EQ(p->to_string(), text);
  }
  EXPECT_FALSE(parse_packet_text("tcp 10.0.0.5 -> 10.0.1.7"));
  EXPECT_FALSE(parse_packet_text("tcp 10.0.0.5:99999 -> 10.0.1.7:22"));
  EXPECT_FALSE(parse_packet_text(""));
}

TEST_F(GuiTest, ConnectToServerFollowsARemoteRunAndAWatcherCannotControlIt) {
  namespace st = vpcsim::server::testing;
  st::TestServer server;
  const QString address = QStringLiteral("127.0.0.1:%1").arg(server.port());
  MainWindow w(quiet);
  auto connected = w.connectToServer(address, QString::fromStdString(st::kToken));
  ASSERT_TRUE(connected) << connected.error().toStdString();
  EXPECT_TRUE(w.runAction()->isEnabled());
  EXPECT_FALSE(w.remoteText().contains(QStringLiteral("watching")));
  MainWindow watcher(quiet);
  ASSERT_TRUE(watcher.connectToServer(address, QString()));
  EXPECT_EQ(watcher.remoteText(), QStringLiteral("watching (no control token)"));
  EXPECT_FALSE(watcher.runAction()->isEnabled());
  watcher.source()->run();
  EXPECT_TRUE(watcher.lastError().contains(QStringLiteral("no control token"))) << watcher.lastError().toStdString();
  EXPECT_FALSE(w.connectToServer(QStringLiteral("127.0.0.1:1"), QString()));  // nothing listens there

  // A plain client records what the server sends: the result the window must show.
  auto observer = st::connect(server.port(), "", true);
  ASSERT_TRUE(observer);
  ASSERT_TRUE(w.openScenario(kLessonScanner)) << w.lastError().toStdString();
  ASSERT_TRUE(w.runToEnd(20'000)) << w.lastError().toStdString();
  ASSERT_TRUE(waitUntil([&] { return watcher.lastBatch() && watcher.lastBatch()->finished; }));
  const auto messages = st::receive_until_result(*observer);
  ASSERT_FALSE(messages.empty());
  ASSERT_TRUE(messages.back().has_result());
  const auto& t = messages.back().result().result().summary();
  ASSERT_GT(t.flows_started(), 10u);
  ASSERT_GT(t.request().flows_dropped(), 0u);
  for (const MainWindow* window : {&w, &watcher}) {
    EXPECT_EQ(window->scenario()->name, messages.back().result().result().scenario());
    EXPECT_EQ(window->flowModel()->rowCount(), static_cast<int>(t.flows_started()));
    const ChartsPanel* c = window->charts();
    EXPECT_EQ(sum(c->line(ChartsPanel::kRequestAllowed)), static_cast<double>(t.request().flows_allowed()));
    EXPECT_EQ(sum(c->line(ChartsPanel::kRequestDropped)), static_cast<double>(t.request().flows_dropped()));
    EXPECT_EQ(sum(c->line(ChartsPanel::kReplyAllowed)), static_cast<double>(t.reply().flows_allowed()));
    EXPECT_EQ(sum(c->line(ChartsPanel::kReplyDropped)), static_cast<double>(t.reply().flows_dropped()));
    EXPECT_EQ(window->lastBatch()->totals.flows_worked, t.flows_worked());
    EXPECT_EQ(window->lastBatch()->hits.size(), static_cast<std::size_t>(messages.back().result().result().rule_hits_size()));
  }
  // The same flows as a local run of the lesson, with the server's explanation of each drop.
  const Scenario s = lessonScenario("12-internet-scanner.textproto");
  Simulator sim(s, scenario_options(s));
  FlowCollector flows(sim.network());
  sim.add_observer(flows);
  sim.run();
  ASSERT_EQ(flows.flows().size(), static_cast<std::size_t>(w.flowModel()->rowCount()));
  std::map<std::uint64_t, const FlowRecord*> local;
  for (const FlowRecord& r : flows.flows()) local[r.id] = &r;
  for (int row = 0; row < w.flowModel()->rowCount(); ++row) {
    const FlowRecord& r = w.flowModel()->record(row);
    ASSERT_TRUE(local.contains(r.id)) << r.id;
    EXPECT_EQ(r.client, local[r.id]->client) << r.id;
    EXPECT_EQ(r.first_packet.to_string(), local[r.id]->first_packet.to_string()) << r.id;
    EXPECT_EQ(r.request.verdict, local[r.id]->request.verdict) << r.id;
    EXPECT_EQ(r.reply.verdict, local[r.id]->reply.verdict) << r.id;
    if (r.request.verdict == DirectionVerdict::kDropped) {
      EXPECT_TRUE(w.flowModel()->directionText(r.request).startsWith(QStringLiteral("DROPPED at ")));
    }
  }
}

TEST_F(GuiTest, OpeningAnAwsFolderImportsItAndListsEveryWarning) {
  const std::string dir = std::string(VPCSIM_SOURCE_DIR) + "/scenarios/aws/three-tier";
  const auto imported = io::import_aws(dir);
  ASSERT_TRUE(imported);
  MainWindow w(quiet);
  ASSERT_TRUE(w.openAwsFolder(QString::fromStdString(dir))) << w.lastError().toStdString();
  ASSERT_TRUE(w.scenario());
  EXPECT_EQ(w.scenario()->name, imported->scenario.name);
  EXPECT_EQ(w.scenario()->network.instances.size(), imported->scenario.network.instances.size());
  const QString text = w.importWarnings();
  EXPECT_TRUE(text.contains(QStringLiteral("%1 import warnings").arg(imported->warnings.size()))) << text.toStdString();
  for (const Error& e : imported->warnings) EXPECT_TRUE(text.contains(QString::fromStdString(e.format()))) << e.format();
  EXPECT_TRUE(w.runToEnd(15'000));

  // A dump with a warning (a prefix list without its entries): shown, not dropped.
  const std::string db = std::string(VPCSIM_SOURCE_DIR) + "/scenarios/aws/public-db-ipv6";
  const auto with_warning = io::import_aws(db);
  ASSERT_TRUE(with_warning);
  ASSERT_FALSE(with_warning->warnings.empty());
  ASSERT_TRUE(w.openAwsFolder(QString::fromStdString(db))) << w.lastError().toStdString();
  for (const Error& e : with_warning->warnings) {
    EXPECT_TRUE(w.importWarnings().contains(QString::fromStdString(e.format()))) << e.format();
  }
  EXPECT_TRUE(w.importWarnings().contains(QStringLiteral("pl-63a5400a")));

  QTemporaryDir empty;
  EXPECT_FALSE(w.openAwsFolder(empty.path()));
  EXPECT_FALSE(w.lastError().isEmpty());
}

// IPv6-only subnets and instances: the map labels them with their IPv6 block and address,
// the instance panel says so, and the dump runs.
TEST_F(GuiTest, Ipv6OnlyInstancesAreLabelledWithTheirIpv6Addresses) {
  const std::string dir = std::string(VPCSIM_SOURCE_DIR) + "/scenarios/aws/ipv6-only";
  const auto imported = io::import_aws(dir);
  ASSERT_TRUE(imported) << imported.error().front().format();
  const Network& net = imported->scenario.network;
  TopologyView view;
  view.setNetwork(net);
  QStringList labels;
  for (QGraphicsItem* item : view.scene()->items()) {
    if (auto* text = dynamic_cast<QGraphicsSimpleTextItem*>(item)) labels << text->text();
  }
  EXPECT_TRUE(labels.contains(QStringLiteral("api-1  2600:1f18:5678:ab01::20"))) << labels.join('|').toStdString();
  EXPECT_TRUE(std::ranges::any_of(labels, [](const QString& l) {
    return l.contains(QStringLiteral("2600:1f18:5678:ab01::/64 (IPv6-only)  (public)"));
  })) << labels.join('|').toStdString();
  const QString panel = instanceText(net, *net.find_instance("api-1"));
  EXPECT_TRUE(panel.contains(QStringLiteral("private 2600:1f18:5678:ab01::20 (IPv6-only)"))) << panel.toStdString();
  MainWindow w(quiet);
  ASSERT_TRUE(w.openAwsFolder(QString::fromStdString(dir))) << w.lastError().toStdString();
  EXPECT_TRUE(w.runToEnd(15'000));
}

TEST_F(GuiTest, ReplayingFlowLogsShowsTheAgreementReport) {
  const QString dir = QStringLiteral(VPCSIM_SOURCE_DIR "/scenarios/flowlogs/");
  MainWindow w(quiet);
  EXPECT_FALSE(w.replayFlowLogs({dir + "v2-header.log"}));  // nothing loaded yet
  ASSERT_TRUE(w.openScenario(dir + "aws-examples.textproto")) << w.lastError().toStdString();
  w.setFilteringModel(FilteringModel::kStateless);
  ASSERT_TRUE(w.replayFlowLogs({dir + "v2-header.log"})) << w.lastError().toStdString();
  // The figures README.md documents for `vpcsim replay` on the same files.
  const QString text = w.replayText();
  EXPECT_TRUE(text.contains(QStringLiteral("records read: 11 = 8 replayed + 3 skipped (1 files, 1 header lines)"))) << text.toStdString();
  EXPECT_TRUE(text.contains(QStringLiteral("simulated: 5 ACCEPT, 3 REJECT"))) << text.toStdString();
  EXPECT_TRUE(text.contains(QStringLiteral("agreement: 7 of 8 records agree (87.5%), 1 disagree"))) << text.toStdString();
  EXPECT_TRUE(text.contains(QStringLiteral("recorded ACCEPT, simulated REJECT at sg-ingress: no rule matched")));
  EXPECT_TRUE(text.contains(QStringLiteral("e.g. ") + dir + "v2-header.log:11")) << text.toStdString();
  EXPECT_TRUE(text.contains(QStringLiteral("unknown-interface: e.g. ") + dir + "v2-header.log:12 (eni-9999999999999999a)"));
  EXPECT_FALSE(w.replayFlowLogs({dir + "no-such.log"}));
  EXPECT_TRUE(w.lastError().contains(QStringLiteral("no-such.log"))) << w.lastError().toStdString();
}

// Flow logs exported from CloudWatch Logs open as in `vpcsim replay` (the GUI reads through the
// same FlowLogStream): export-task files and events JSON, with a paginated file's warning.
TEST_F(GuiTest, ReplayingCloudWatchExportsShowsTheSameReport) {
  const QString dir = QStringLiteral(VPCSIM_SOURCE_DIR "/scenarios/flowlogs/");
  MainWindow w(quiet);
  ASSERT_TRUE(w.openScenario(dir + "aws-examples.textproto")) << w.lastError().toStdString();
  for (const QString& name : {QStringLiteral("cloudwatch-export.log"), QStringLiteral("cloudwatch-events.json")}) {
    SCOPED_TRACE(name.toStdString());
    ASSERT_TRUE(w.replayFlowLogs({dir + name})) << w.lastError().toStdString();
    const QString text = w.replayText();
    EXPECT_TRUE(text.contains(QStringLiteral("records read: 6 = "))) << text.toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral("agreement: 4 of "))) << text.toStdString();
    EXPECT_FALSE(text.contains(QStringLiteral("warning:"))) << text.toStdString();
  }
  QTemporaryDir tmp;
  ASSERT_TRUE(tmp.isValid());
  const QString page = tmp.filePath(QStringLiteral("page.json"));
  {
    QFile f(page);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(R"({"events": [{"message": "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK"}], "nextToken": "abc"})");
  }
  ASSERT_TRUE(w.replayFlowLogs({page})) << w.lastError().toStdString();
  const QString text = w.replayText();
  EXPECT_TRUE(text.contains(QStringLiteral("warning: ") + page)) << text.toStdString();
  EXPECT_TRUE(text.contains(QStringLiteral("only this page was read"))) << text.toStdString();
}

TEST_F(GuiTest, LintPanelListsLesson07sFindingsAndActivatingOneSelectsItsRule) {
  MainWindow w(quiet);
  ASSERT_TRUE(w.openScenario(QStringLiteral(":/scenarios/lessons/07-mistyped-port.textproto"))) << w.lastError().toStdString();
  const Scenario s = lessonScenario("07-mistyped-port.textproto");
  const auto expected = analysis::lint(s.network, {.model = s.effective_model()});
  LintPanel* panel = w.lintPanel();
  ASSERT_EQ(panel->topLevelItemCount(), static_cast<int>(expected.size()));
  int sg005 = 0;
  for (int i = 0; i < panel->topLevelItemCount(); ++i) {
    QTreeWidgetItem* item = panel->topLevelItem(i);
    const analysis::Finding& f = expected[static_cast<std::size_t>(i)];
    EXPECT_EQ(item->text(LintPanel::kId), QString::fromUtf8(f.check.data(), static_cast<qsizetype>(f.check.size())));
    EXPECT_EQ(item->text(LintPanel::kWhy), QString::fromStdString(f.message));
    EXPECT_EQ(item->text(LintPanel::kFix), QString::fromStdString(f.fix));
    if (f.check != "VPCSIM-SG005") continue;
    ++sg005;
    ASSERT_TRUE(f.sg_rule);
    EXPECT_EQ(item->text(LintPanel::kRule), QString::fromStdString(describe_sg_rule(s.network, *f.sg_rule)));
    emit panel->itemActivated(item, LintPanel::kId);
    EXPECT_EQ(w.ruleEditor()->currentObject(), QString::fromStdString(s.network.sg(f.sg_rule->sg).id));
    EXPECT_EQ(w.ruleEditor()->direction(), f.sg_rule->direction);
    const QModelIndexList rows = w.ruleEditor()->table()->selectionModel()->selectedRows();
    ASSERT_EQ(rows.size(), 1);
    EXPECT_EQ(rows.front().row(), static_cast<int>(f.sg_rule->index));
  }
  EXPECT_GT(sg005, 0);
}
}  // namespace
}  // namespace vpcsim::gui
