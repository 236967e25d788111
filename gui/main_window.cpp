#include "gui/main_window.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QEventLoop>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QSettings>
#include <QSlider>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTextBrowser>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

#include <cmath>

#include "gui/charts_panel.h"
#include "gui/remote_source.h"
#include "gui/lint_panel.h"
#include "io/aws_import.h"
#include "io/flowlog_replay.h"
#include "gui/compare_panel.h"
#include "gui/flow_table_model.h"
#include "gui/rule_editor.h"
#include "gui/sim_controller.h"
#include "gui/topology_view.h"
#include "gui/trace_text.h"
#include "io/scenario_loader.h"

#ifndef VPCSIM_VERSION
#error "VPCSIM_VERSION must be defined by the build"
#endif

namespace vpcsim::gui {

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }
QString q(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

constexpr int kMaxRecent = 8;
constexpr int kSliderSteps = 1000;

QString errorsText(const Errors& errors) {
  QStringList lines;
  for (const Error& e : errors) lines << q(e.format());
  return lines.join(QLatin1Char('\n'));
}

// Loads a scenario from a file or a resource (the bundled lessons).
std::expected<Scenario, QString> loadScenario(const QString& path) {
  if (path.startsWith(QLatin1Char(':'))) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return std::unexpected(QObject::tr("%1: cannot read the bundled lesson").arg(path));
    const QByteArray content = f.readAll();
    const QString label = QFileInfo(path).fileName();
    auto s = io::load_scenario_string(std::string_view(content.constData(), static_cast<std::size_t>(content.size())),
                                      label.toStdString(),
                                      path.endsWith(QLatin1String(".json")) ? io::ScenarioFormat::kJson
                                                                             : io::ScenarioFormat::kText);
    if (!s) return std::unexpected(errorsText(s.error()));
    return std::move(*s);
  }
  auto s = io::load_scenario_file(QFile::encodeName(path).toStdString());
  if (!s) return std::unexpected(errorsText(s.error()));
  return std::move(*s);
}

}  // namespace

QList<Lesson> bundledLessons() {
  QList<Lesson> out;
  const QDir dir(QStringLiteral(":/scenarios/lessons"));
  for (const QString& file : dir.entryList({QStringLiteral("*.textproto")}, QDir::Files, QDir::Name)) {
    Lesson l{dir.filePath(file), file, file, {}};
    if (auto s = loadScenario(l.path)) {
      l.name = q(s->name);
      l.description = q(s->description);
    }
    out.append(l);
  }
  return out;
}

MainWindow::MainWindow(Options options) : options_(options) {
  setWindowTitle(QStringLiteral("vpcsim"));
  setAcceptDrops(true);
  source_ = new SimController(this);
  connect(source_, &ResultSource::batchReady, this, &MainWindow::onBatch);
  connect(source_, &ResultSource::runningChanged, this, &MainWindow::onRunningChanged);

  tabs_ = new QTabWidget;
  topology_ = new TopologyView;
  charts_ = new ChartsPanel;
  compare_ = new ComparePanel;
  tabs_->addTab(topology_, tr("Topology"));
  tabs_->addTab(charts_, tr("Charts"));
  tabs_->addTab(compare_, tr("Stateless vs stateful"));
  setCentralWidget(tabs_);
  connect(tabs_, &QTabWidget::currentChanged, this, [this] { startCompareIfVisible(); });

  buildDocks();
  buildActions();
  buildToolbar();
  status_ = new QLabel;
  statusBar()->addWidget(status_, 1);

  connect(topology_, &TopologyView::instanceClicked, this, [this](InstanceId id) {
    if (!scenario_) return;
    inspector_->setPlainText(instanceText(scenario_->network, id));
    if (auto* dock = findChild<QDockWidget*>(QStringLiteral("inspectorDock"))) dock->raise();
    const Instance& inst = scenario_->network.instance(id);
    const Eni& eni = scenario_->network.eni(inst.enis.front());
    if (!eni.groups.empty()) rule_editor_->selectSecurityGroup(eni.groups.front());
  });
  connect(topology_, &TopologyView::securityGroupClicked, this, [this](SgId id) {
    rule_editor_->selectSecurityGroup(id);
    if (auto* dock = findChild<QDockWidget*>(QStringLiteral("rulesDock"))) dock->raise();
  });
  connect(topology_, &TopologyView::networkAclClicked, this, [this](NaclId id) {
    rule_editor_->selectNetworkAcl(id);
    if (auto* dock = findChild<QDockWidget*>(QStringLiteral("rulesDock"))) dock->raise();
  });
  connect(rule_editor_, &RuleEditor::scenarioEdited, this, [this](std::shared_ptr<const Scenario> s) {
    setScenario(std::move(s));
    source_->run();
  });

  resize(1400, 900);
  if (options_.persist_settings) {
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    const int speed = settings.value(QStringLiteral("run/speed"), 0).toInt();
    if (speed >= 0 && speed < speed_combo_->count()) speed_combo_->setCurrentIndex(speed);
  }
  rebuildRecentMenu();
  inspector_->setHtml(tr("<h3>vpcsim</h3><p>Open a scenario (File → Open, or drop a file here) or pick a lesson "
                         "from the Lessons menu.</p>"));
}

MainWindow::~MainWindow() = default;

void MainWindow::buildDocks() {
  // Flows: the table and its filters.
  flow_model_ = new FlowTableModel(this);
  flow_proxy_ = new FlowFilterProxy(this);
  flow_proxy_->setSourceModel(flow_model_);
  flow_view_ = new QTableView;
  flow_view_->setModel(flow_proxy_);
  flow_view_->setSortingEnabled(true);
  // Unsorted until a header is clicked: rows arrive in the order flows finish.
  flow_view_->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
  flow_view_->setSelectionBehavior(QAbstractItemView::SelectRows);
  flow_view_->setSelectionMode(QAbstractItemView::SingleSelection);
  flow_view_->verticalHeader()->hide();
  flow_view_->verticalHeader()->setDefaultSectionSize(20);
  flow_view_->horizontalHeader()->setStretchLastSection(true);
  // Column widths follow the first rows, not a million of them.
  flow_view_->horizontalHeader()->setResizeContentsPrecision(200);
  auto* instance = new QLineEdit;
  instance->setPlaceholderText(tr("instance"));
  instance->setClearButtonEnabled(true);
  auto* port = new QLineEdit;
  port->setPlaceholderText(tr("port"));
  port->setMaximumWidth(80);
  auto* verdict = new QComboBox;
  verdict->addItems({tr("any verdict"), tr("worked"), tr("dropped")});
  auto* which = new QComboBox;
  which->addItems({tr("either direction"), tr("request"), tr("reply")});
  connect(instance, &QLineEdit::textChanged, flow_proxy_, &FlowFilterProxy::setInstance);
  connect(port, &QLineEdit::textChanged, flow_proxy_, &FlowFilterProxy::setPort);
  connect(verdict, &QComboBox::currentIndexChanged, this,
          [this](int i) { flow_proxy_->setVerdict(static_cast<FlowFilterProxy::Verdict>(i)); });
  connect(which, &QComboBox::currentIndexChanged, this,
          [this](int i) { flow_proxy_->setDirection(static_cast<FlowFilterProxy::Which>(i)); });
  auto* flows = new QWidget;
  auto* fl = new QVBoxLayout(flows);
  fl->setContentsMargins(2, 2, 2, 2);
  auto* filters = new QHBoxLayout;
  filters->addWidget(new QLabel(tr("Filter:")));
  filters->addWidget(instance, 2);
  filters->addWidget(port);
  filters->addWidget(verdict);
  filters->addWidget(which);
  fl->addLayout(filters);
  fl->addWidget(flow_view_, 1);
  connect(flow_view_->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& i) {
    if (!i.isValid()) return;
    trace_->setPlainText(flowTraceText(*flow_model_, flow_proxy_->mapToSource(i).row()));
  });

  trace_ = new QPlainTextEdit;
  trace_->setReadOnly(true);
  trace_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  trace_->setLineWrapMode(QPlainTextEdit::NoWrap);
  trace_->setPlaceholderText(tr("Select a flow, or step the run, to see its hop-by-hop trace."));
  inspector_ = new QTextBrowser;
  rule_editor_ = new RuleEditor;

  const auto dock = [this](const QString& title, const QString& name, QWidget* w, Qt::DockWidgetArea area) {
    auto* d = new QDockWidget(title, this);
    d->setObjectName(name);
    d->setWidget(w);
    addDockWidget(area, d);
    return d;
  };
  dock(tr("Flows"), QStringLiteral("flowsDock"), flows, Qt::BottomDockWidgetArea);
  QDockWidget* trace_dock = dock(tr("Trace"), QStringLiteral("traceDock"), trace_, Qt::BottomDockWidgetArea);
  QDockWidget* lesson_dock = dock(tr("Lesson / inspector"), QStringLiteral("inspectorDock"), inspector_, Qt::RightDockWidgetArea);
  QDockWidget* rules_dock = dock(tr("Rule editor"), QStringLiteral("rulesDock"), rule_editor_, Qt::RightDockWidgetArea);
  tabifyDockWidget(lesson_dock, rules_dock);
  lint_panel_ = new LintPanel;
  QDockWidget* lint_dock = dock(tr("Lint findings"), QStringLiteral("lintDock"), lint_panel_, Qt::BottomDockWidgetArea);
  tabifyDockWidget(trace_dock, lint_dock);
  trace_dock->raise();
  connect(lint_panel_, &LintPanel::findingActivated, this, &MainWindow::showFinding);
  lesson_dock->raise();
  QDockWidget* flows_dock = findChild<QDockWidget*>(QStringLiteral("flowsDock"));
  resizeDocks({lesson_dock}, {420}, Qt::Horizontal);
  resizeDocks({flows_dock, trace_dock}, {650, 750}, Qt::Horizontal);
  resizeDocks({flows_dock}, {300}, Qt::Vertical);
}

void MainWindow::buildActions() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(tr("&Open scenario…"), QKeySequence::Open, this, [this] {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open scenario"), QFileInfo(scenario_path_).path(),
                                                      tr("Scenarios (*.textproto *.txtpb *.json);;All files (*)"));
    if (!path.isEmpty()) openScenario(path);
  });
  recent_menu_ = file->addMenu(tr("Open &recent"));
  QMenu* exports = file->addMenu(tr("&Export chart"));
  for (int c = 0; c < ChartsPanel::kChartCount; ++c) {
    for (const bool png : {true, false}) {
      const auto chart = static_cast<ChartsPanel::Chart>(c);
      exports->addAction(QStringLiteral("%1 (%2)…").arg(ChartsPanel::chartName(chart), png ? QStringLiteral("PNG")
                                                                                               : QStringLiteral("CSV")),
                         this, [this, chart, png] {
                           const QString path = QFileDialog::getSaveFileName(
                               this, tr("Export"), ChartsPanel::chartName(chart) + (png ? ".png" : ".csv"));
                           if (path.isEmpty()) return;
                           const bool ok = png ? charts_->exportPng(chart, path) : charts_->exportCsv(chart, path);
                           if (!ok) showError(tr("%1: could not write the file").arg(path));
                         });
    }
  }
  file->addAction(tr("Open &AWS folder…"), this, [this] {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a folder of AWS CLI JSON"));
    if (!dir.isEmpty()) openAwsFolder(dir);
  });
  file->addAction(tr("Re&play flow logs…"), this, [this] {
    const QStringList files = QFileDialog::getOpenFileNames(this, tr("Replay flow logs against the scenario"), QString(),
                                                            tr("Flow logs (*.log *.txt *.gz *.json);;All files (*)"));
    if (!files.isEmpty()) replayFlowLogs(files);
  });
  file->addSeparator();
  file->addAction(tr("&Connect to server…"), this, [this] {
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Connect to a vpcsim server"));
    auto* form = new QFormLayout(&dialog);
    auto* address = new QLineEdit(QStringLiteral("127.0.0.1:7878"));
    auto* token = new QLineEdit;
    token->setEchoMode(QLineEdit::Password);
    token->setPlaceholderText(tr("empty: watch only"));
    form->addRow(tr("Server (host:port)"), address);
    form->addRow(tr("Control token"), token);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    form->addRow(buttons);
    if (dialog.exec() != QDialog::Accepted) return;
    if (auto ok = connectToServer(address->text().trimmed(), token->text()); !ok) showError(ok.error());
  });
  file->addSeparator();
  file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

  QMenu* lessons = menuBar()->addMenu(tr("&Lessons"));
  lessons->setToolTipsVisible(true);
  for (const Lesson& l : bundledLessons()) {
    QAction* a = lessons->addAction(QStringLiteral("%1  %2").arg(l.file.left(2), l.name));
    a->setToolTip(l.description);
    a->setStatusTip(l.description.left(200));
    connect(a, &QAction::triggered, this, [this, path = l.path] { openScenario(path); });
  }

  QMenu* sim = menuBar()->addMenu(tr("&Simulation"));
  run_action_ = sim->addAction(tr("&Run"), this, [this] {
    if (source_->running()) {
      source_->pause();
    } else {
      source_->run();
    }
  });
  run_action_->setShortcuts({QKeySequence(Qt::Key_F5), QKeySequence(Qt::CTRL | Qt::Key_Space)});
  run_action_->setToolTip(tr("Run or pause (F5)"));
  step_action_ = sim->addAction(tr("&Step one event"), QKeySequence(Qt::Key_F10), this, [this] { source_->step(); });
  drop_action_ = sim->addAction(tr("Step to next &drop"), QKeySequence(Qt::Key_F11), this, [this] { source_->stepToDrop(); });
  reset_action_ = sim->addAction(tr("R&eset"), QKeySequence(Qt::CTRL | Qt::Key_R), this, [this] { source_->reset(); });
  sim->addSeparator();
  auto* group = new QActionGroup(this);
  for (const FilteringModel m : {FilteringModel::kStateless, FilteringModel::kStateful}) {
    QAction* a = sim->addAction(tr("%1 model").arg(q(to_string(m))));
    a->setCheckable(true);
    group->addAction(a);
    connect(a, &QAction::triggered, this, [this, m] { setFilteringModel(m); });
    model_actions_[static_cast<int>(m)] = a;
  }
  model_actions_[0]->setChecked(true);

  view_menu_ = menuBar()->addMenu(tr("&View"));
  for (QDockWidget* d : findChildren<QDockWidget*>()) view_menu_->addAction(d->toggleViewAction());
  view_menu_->addSeparator();
  view_menu_->addAction(tr("Fit topology"), this, [this] { topology_->fit(); });

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&About vpcsim"), this, [this] {
    QMessageBox::about(this, tr("About vpcsim"),
                       tr("<h3>vpcsim %1</h3><p>A simulator of AWS VPC network filtering: security groups, network "
                          "ACLs and connection tracking, judged hop by hop in both directions.</p>"
                          "<p>Built with Qt %2.</p>")
                           .arg(QStringLiteral(VPCSIM_VERSION), QString::fromLatin1(qVersion())));
  });
}

void MainWindow::buildToolbar() {
  QToolBar* bar = addToolBar(tr("Run"));
  bar->setObjectName(QStringLiteral("runToolbar"));
  bar->addAction(run_action_);
  bar->addAction(step_action_);
  bar->addAction(drop_action_);
  bar->addAction(reset_action_);
  bar->addSeparator();
  model_combo_ = new QComboBox;
  model_combo_->addItems({tr("stateless"), tr("stateful")});
  model_combo_->setToolTip(tr("Filtering model"));
  connect(model_combo_, &QComboBox::activated, this, [this](int i) { setFilteringModel(static_cast<FilteringModel>(i)); });
  bar->addWidget(model_combo_);
  speed_combo_ = new QComboBox;
  speed_combo_->setToolTip(tr("Simulated seconds per second"));
  using Speed = std::pair<const char*, double>;
  for (const auto& [label, speed] : {Speed{"as fast as possible", 0.0}, Speed{"100× real time", 100.0},
                                     Speed{"10× real time", 10.0}, Speed{"real time", 1.0}, Speed{"0.1× real time", 0.1}}) {
    speed_combo_->addItem(tr(label), speed);
  }
  connect(speed_combo_, &QComboBox::currentIndexChanged, this,
          [this] { source_->setSpeed(speed_combo_->currentData().toDouble()); });
  bar->addWidget(speed_combo_);
  bar->addSeparator();
  time_slider_ = new QSlider(Qt::Horizontal);
  time_slider_->setRange(0, kSliderSteps);
  time_slider_->setMinimumWidth(220);
  time_slider_->setToolTip(tr("Simulated time: drag to jump (backwards replays from the start)"));
  // A drag seeks when released; a click on the groove or a key seeks at once (the window's
  // own updates of the slider block its signals).
  const auto seek = [this] {
    if (!last_batch_) return;
    const SimTime end = last_batch_->planned_end.value_or(last_batch_->now);
    source_->seek(SimTime(static_cast<std::int64_t>(static_cast<double>(end.count()) * time_slider_->value() / kSliderSteps)));
  };
  connect(time_slider_, &QSlider::sliderReleased, this, seek);
  connect(time_slider_, &QSlider::valueChanged, this, [this, seek] {
    if (!time_slider_->isSliderDown()) seek();
  });
  bar->addWidget(time_slider_);
  time_label_ = new QLabel(QStringLiteral(" 0s "));
  bar->addWidget(time_label_);
  progress_ = new QProgressBar;
  progress_->setRange(0, kSliderSteps);
  progress_->setMaximumWidth(160);
  progress_->setTextVisible(true);
  bar->addWidget(progress_);
}

void MainWindow::setFilteringModel(FilteringModel m) {
  model_ = m;
  model_combo_->setCurrentIndex(static_cast<int>(m));
  model_actions_[static_cast<int>(m)]->setChecked(true);
  if (scenario_) source_->load(scenario_, model_);
  rule_editor_->setScenario(scenario_, model_);
  lint_panel_->setScenario(scenario_, model_);
}

bool MainWindow::openScenario(const QString& path) {
  auto s = loadScenario(path);
  if (!s) {
    showError(s.error());
    return false;
  }
  last_error_.clear();
  scenario_path_ = path;
  model_ = s->effective_model();
  model_combo_->setCurrentIndex(static_cast<int>(model_));
  model_actions_[static_cast<int>(model_)]->setChecked(true);
  setScenario(std::make_shared<const Scenario>(std::move(*s)));
  showLessonText();
  if (!path.startsWith(QLatin1Char(':'))) addRecent(QFileInfo(path).absoluteFilePath());
  setWindowTitle(QStringLiteral("vpcsim — %1").arg(q(scenario_->name)));
  return true;
}

void MainWindow::setScenario(std::shared_ptr<const Scenario> s) {
  scenario_ = std::move(s);
  topology_->setNetwork(scenario_->network);
  rule_editor_->setScenario(scenario_, model_);
  lint_panel_->setScenario(scenario_, model_);
  trace_->clear();
  source_->setSpeed(speed_combo_->currentData().toDouble());
  source_->load(scenario_, model_);
  compare_stale_ = true;
  startCompareIfVisible();
}

void MainWindow::startCompareIfVisible() {
  if (!scenario_ || !compare_stale_ || tabs_->currentWidget() != compare_) return;
  compare_stale_ = false;
  compare_->setScenario(scenario_);
}

void MainWindow::showLessonText() {
  if (!scenario_) return;
  inspector_->setHtml(QStringLiteral("<h3>%1</h3><p>%2</p><p><i>%3 model%4, %5 flows, %6 generators</i></p>")
                          .arg(q(scenario_->name).toHtmlEscaped(), q(scenario_->description).toHtmlEscaped(),
                               q(to_string(scenario_->effective_model())),
                               scenario_->model ? QString() : tr(" (none named: stateless applies)"))
                          .arg(scenario_->flows.size())
                          .arg(scenario_->generators.size()));
}

void MainWindow::onBatch(const BatchPtr& b) {
  if (b->scenario != scenario_ || b->model != model_) return;  // a batch of a run replaced since
  last_batch_ = b;
  if (b->run != shown_run_) {
    shown_run_ = b->run;
    charts_->clear();
    topology_->showPacket(std::nullopt);
  }
  flow_model_->addBatch(*b);
  charts_->showBatch(*b);
  if (b->packet) {
    topology_->showPacket(b->packet);
    trace_->setPlainText(packetText(scenario_->network, *b->packet));
  }
  updateTimeControls(*b);
  if (b->finished) {
    flow_view_->resizeColumnsToContents();
    emit runFinished();
  }
}

void MainWindow::updateTimeControls(const ResultBatch& b) {
  const double now = std::chrono::duration<double>(b.now).count();
  time_label_->setText(QStringLiteral(" %1 ").arg(q(format_time(b.now))));
  double fraction = b.finished ? 1.0 : 0.0;
  if (!b.finished && b.planned_end && b.planned_end->count() > 0) {
    fraction = std::clamp(now / std::chrono::duration<double>(*b.planned_end).count(), 0.0, 1.0);
  }
  if (!time_slider_->isSliderDown()) {
    const QSignalBlocker block(time_slider_);
    time_slider_->setValue(static_cast<int>(std::lround(fraction * kSliderSteps)));
  }
  progress_->setValue(static_cast<int>(std::lround(fraction * kSliderSteps)));
  progress_->setFormat(b.finished ? tr("finished") : QStringLiteral("%p%"));
  status_->setText(tr("%1 — %2 model: %3 events, %4 flows started, %5 finished; %6 worked, %7 requests dropped, %8 "
                      "replies dropped")
                       .arg(q(b.scenario ? b.scenario->name : std::string()), q(to_string(b.model)))
                       .arg(b.events)
                       .arg(b.flows_started)
                       .arg(flow_model_->rowCount())
                       .arg(b.totals.flows_worked)
                       .arg(b.totals.flows_request_dropped)
                       .arg(b.totals.flows_reply_dropped));
}

void MainWindow::onRunningChanged(bool running) {
  // A sorted proxy places every new row by binary search and remaps all rows per batch, which
  // on a million-row run stalls the window for seconds: while running, rows are appended
  // unsorted, and the sort the user chose is applied again once the run stops.
  QHeaderView* header = flow_view_->horizontalHeader();
  if (running) {
    paused_sort_ = {header->sortIndicatorSection(), header->sortIndicatorOrder()};
    flow_view_->setSortingEnabled(false);
    flow_proxy_->sort(-1);
  } else {
    flow_view_->setSortingEnabled(true);
    header->setSortIndicator(paused_sort_.first, paused_sort_.second);
    if (paused_sort_.first >= 0) flow_proxy_->sort(paused_sort_.first, paused_sort_.second);
  }
  run_action_->setText(running ? tr("&Pause") : tr("&Run"));
  updateControlsEnabled();
}

void MainWindow::updateControlsEnabled() {
  const bool running = source_->running();
  run_action_->setEnabled(can_control_);
  step_action_->setEnabled(can_control_ && !running);
  drop_action_->setEnabled(can_control_ && !running);
  reset_action_->setEnabled(can_control_);
  time_slider_->setEnabled(can_control_);
  model_combo_->setEnabled(can_control_);
  speed_combo_->setEnabled(can_control_);
  for (QAction* a : model_actions_) a->setEnabled(can_control_);
}

std::expected<void, QString> MainWindow::connectToServer(const QString& host_port, const QString& token) {
  auto* remote = new RemoteSource(this);
  if (auto ok = remote->connectTo(host_port, token); !ok) {
    delete remote;
    return std::unexpected(tr("%1: %2").arg(host_port, ok.error()));
  }
  source_->pause();
  source_->deleteLater();
  source_ = remote;
  remote_ = true;
  can_control_ = remote->controls();
  connect(source_, &ResultSource::batchReady, this, &MainWindow::onBatch);
  connect(source_, &ResultSource::runningChanged, this, &MainWindow::onRunningChanged);
  connect(source_, &ResultSource::failed, this, [this](const QString& m) { showError(m); });
  connect(remote, &RemoteSource::scenarioChanged, this, &MainWindow::adoptRemoteScenario);
  connect(remote, &RemoteSource::disconnected, this, [this, host_port](const QString& why) {
    remote_label_->setText(tr("disconnected from %1%2").arg(host_port, why.isEmpty() ? QString() : ": " + why));
  });
  if (remote_label_ == nullptr) {
    remote_label_ = new QLabel;
    statusBar()->addPermanentWidget(remote_label_);
  }
  remote_label_->setText(can_control_ ? tr("connected to %1 (controlling)").arg(host_port)
                                      : tr("watching (no control token)"));
  remote_label_->setToolTip(remote->roleMessage());
  shown_run_ = 0;
  last_batch_.reset();
  updateControlsEnabled();
  setWindowTitle(tr("vpcsim — %1").arg(host_port));
  return {};
}

namespace {
QPlainTextEdit* reportDock(QMainWindow* w, QPlainTextEdit*& edit, const QString& title, const QString& name) {
  if (edit == nullptr) {
    edit = new QPlainTextEdit;
    edit->setReadOnly(true);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    auto* d = new QDockWidget(title, w);
    d->setObjectName(name);
    d->setWidget(edit);
    w->addDockWidget(Qt::BottomDockWidgetArea, d);
  }
  if (auto* d = qobject_cast<QDockWidget*>(edit->parentWidget())) {
    d->show();
    d->raise();
  }
  return edit;
}
}  // namespace

bool MainWindow::openAwsFolder(const QString& dir) {
  auto imported = io::import_aws(std::filesystem::path(QFile::encodeName(dir).toStdString()));
  if (!imported) {
    showError(errorsText(imported.error()));
    return false;
  }
  last_error_.clear();
  QStringList lines;
  lines << tr("%1: %2 import warnings").arg(dir).arg(imported->warnings.size());
  for (const Error& e : imported->warnings) lines << q(e.format());
  reportDock(this, import_warnings_, tr("Import warnings"), QStringLiteral("importWarningsDock"))
      ->setPlainText(lines.join(QLatin1Char('\n')));
  scenario_path_ = dir;
  model_ = imported->scenario.effective_model();
  model_combo_->setCurrentIndex(static_cast<int>(model_));
  model_actions_[static_cast<int>(model_)]->setChecked(true);
  setScenario(std::make_shared<const Scenario>(std::move(imported->scenario)));
  showLessonText();
  setWindowTitle(QStringLiteral("vpcsim — %1").arg(q(scenario_->name)));
  return true;
}

QString MainWindow::importWarnings() const { return import_warnings_ ? import_warnings_->toPlainText() : QString(); }

bool MainWindow::replayFlowLogs(const QStringList& inputs) {
  if (!scenario_) {
    showError(tr("Open a scenario (the network the flow logs were recorded in) before replaying flow logs"));
    return false;
  }
  std::vector<std::string> paths;
  for (const QString& i : inputs) paths.push_back(QFile::encodeName(i).toStdString());
  auto set = io::read_flowlogs(paths);
  if (!set) {
    showError(q(set.error().format()));
    return false;
  }
  last_error_.clear();
  const io::ReplayRun run = io::replay_flowlogs(*set, scenario_->network, model_);
  const io::ReplayReport& r = run.report;
  QStringList lines;
  lines << tr("Replayed flow logs against %1 under the %2 model").arg(q(scenario_->name), q(to_string(r.model)));
  lines << tr("records read: %1 = %2 replayed + %3 skipped (%4 files, %5 header lines)")
               .arg(r.records_read)
               .arg(r.replayed)
               .arg(r.skipped)
               .arg(r.files)
               .arg(r.header_lines);
  lines << tr("simulated: %1 ACCEPT, %2 REJECT").arg(r.simulated_accept).arg(r.simulated_reject);
  for (const Error& w : set->warnings) lines << tr("warning: %1").arg(q(w.format()));
  if (r.compared == 0) {
    lines << tr("agreement: no replayed record has a recorded action to compare");
  } else {
    lines << tr("agreement: %1 of %2 records agree (%3%), %4 disagree")
                 .arg(r.agree)
                 .arg(r.compared)
                 .arg(100.0 * static_cast<double>(r.agree) / static_cast<double>(r.compared), 0, 'f', 1)
                 .arg(r.disagree);
  }
  if (!r.disagreements.empty()) {
    lines << QString() << tr("disagreements by cause:");
    for (const io::Disagreement& d : r.disagreements) {
      lines << QStringLiteral("%1  recorded %2, simulated %3 at %4: %5")
                   .arg(d.count, 8)
                   .arg(q(std::string(to_string(d.recorded))), d.simulated_accept ? QStringLiteral("ACCEPT") : QStringLiteral("REJECT"),
                        q(std::string(to_string(d.hop))), q(d.rule));
      QStringList examples;
      for (const std::string& e : d.examples) examples << q(e);
      lines << QStringLiteral("          e.g. %1").arg(examples.join(QStringLiteral(", ")));
    }
  }
  bool header = false;
  for (std::size_t i = 0; i < r.skips.size(); ++i) {
    const io::SkipSummary& sk = r.skips[i];
    if (sk.count == 0) continue;
    if (!header) lines << QString() << tr("skipped records by reason:");
    header = true;
    QStringList examples;
    for (const std::string& e : sk.examples) examples << q(e);
    lines << QStringLiteral("%1  %2: e.g. %3")
                 .arg(sk.count, 8)
                 .arg(q(std::string(to_string(static_cast<SkipReason>(i)))), examples.join(QStringLiteral(", ")));
  }
  reportDock(this, replay_report_, tr("Flow-log replay"), QStringLiteral("replayDock"))->setPlainText(lines.join(QLatin1Char('\n')));
  return true;
}

QString MainWindow::replayText() const { return replay_report_ ? replay_report_->toPlainText() : QString(); }

void MainWindow::showFinding(const analysis::Finding& f) {
  if (!scenario_) return;
  std::optional<Direction> direction;
  std::optional<std::uint32_t> row;
  if (f.sg_rule) {
    rule_editor_->selectSecurityGroup(f.sg_rule->sg);
    direction = f.sg_rule->direction;
    row = f.sg_rule->index;
  } else if (f.nacl_entry) {
    rule_editor_->selectNetworkAcl(f.nacl_entry->nacl);
    direction = f.nacl_entry->direction;
    row = f.nacl_entry->index;
  } else if (f.sg) {
    rule_editor_->selectSecurityGroup(*f.sg);
  } else if (f.nacl) {
    rule_editor_->selectNetworkAcl(*f.nacl);
  } else {
    return;
  }
  if (direction) rule_editor_->setDirection(*direction);
  if (row && static_cast<int>(*row) < rule_editor_->table()->rowCount()) {
    rule_editor_->table()->selectRow(static_cast<int>(*row));
    rule_editor_->table()->scrollToItem(rule_editor_->table()->item(static_cast<int>(*row), 0));
  }
  if (auto* dock = findChild<QDockWidget*>(QStringLiteral("rulesDock"))) {
    dock->show();
    dock->raise();
  }
}

QString MainWindow::remoteText() const { return remote_ && remote_label_ ? remote_label_->text() : QString(); }

void MainWindow::adoptRemoteScenario(std::shared_ptr<const Scenario> s, FilteringModel m) {
  if (s == scenario_ && m == model_) return;
  scenario_ = std::move(s);
  model_ = m;
  {
    const QSignalBlocker block(model_combo_);
    model_combo_->setCurrentIndex(static_cast<int>(m));
  }
  model_actions_[static_cast<int>(m)]->setChecked(true);
  topology_->setNetwork(scenario_->network);
  rule_editor_->setScenario(scenario_, model_);
  lint_panel_->setScenario(scenario_, model_);
  trace_->clear();
  showLessonText();
  compare_stale_ = true;
  startCompareIfVisible();
}

bool MainWindow::runToEnd(int timeout_ms) {
  if (!scenario_) return false;
  source_->setSpeed(0);
  QEventLoop loop;
  QTimer timeout;
  timeout.setSingleShot(true);
  bool done = false;
  const auto c = connect(this, &MainWindow::runFinished, &loop, [&] {
    done = true;
    loop.quit();
  });
  connect(&timeout, &QTimer::timeout, &loop, &QEventLoop::quit);
  timeout.start(timeout_ms);
  if (last_batch_ && last_batch_->scenario == scenario_ && last_batch_->model == model_ && last_batch_->finished) {
    done = true;
  } else {
    source_->run();
    loop.exec();
  }
  disconnect(c);
  source_->setSpeed(speed_combo_->currentData().toDouble());
  return done;
}

void MainWindow::selectFlowRow(int row) {
  const QModelIndex i = flow_proxy_->index(row, 0);
  if (!i.isValid()) return;
  flow_view_->selectionModel()->setCurrentIndex(i, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
  flow_view_->scrollTo(i);
}

void MainWindow::showView(const QString& name) {
  if (name == QLatin1String("topology")) tabs_->setCurrentWidget(topology_);
  if (name == QLatin1String("charts")) tabs_->setCurrentWidget(charts_);
  if (name == QLatin1String("compare")) tabs_->setCurrentWidget(compare_);
}

QString MainWindow::traceText() const { return trace_->toPlainText(); }

void MainWindow::addRecent(const QString& path) {
  if (!options_.persist_settings) return;
  QSettings settings;
  QStringList recent = settings.value(QStringLiteral("recentFiles")).toStringList();
  recent.removeAll(path);
  recent.prepend(path);
  while (recent.size() > kMaxRecent) recent.removeLast();
  settings.setValue(QStringLiteral("recentFiles"), recent);
  rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
  recent_menu_->clear();
  const QStringList recent =
      options_.persist_settings ? QSettings().value(QStringLiteral("recentFiles")).toStringList() : QStringList();
  for (const QString& path : recent) {
    recent_menu_->addAction(QFileInfo(path).fileName(), this, [this, path] { openScenario(path); })->setToolTip(path);
  }
  recent_menu_->setEnabled(!recent.isEmpty());
}

void MainWindow::showError(const QString& message) {
  last_error_ = message;
  if (options_.interactive) QMessageBox::warning(this, tr("Cannot open the scenario"), message);
}

void MainWindow::closeEvent(QCloseEvent* e) {
  if (options_.persist_settings) {
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("run/speed"), speed_combo_->currentIndex());
  }
  QMainWindow::closeEvent(e);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* e) {
  if (e->mimeData()->hasUrls() && !e->mimeData()->urls().isEmpty() && e->mimeData()->urls().front().isLocalFile()) {
    e->acceptProposedAction();
  }
}

void MainWindow::dropEvent(QDropEvent* e) {
  const QList<QUrl> urls = e->mimeData()->urls();
  if (!urls.isEmpty() && urls.front().isLocalFile()) {
    openScenario(urls.front().toLocalFile());
    e->acceptProposedAction();
  }
}

}  // namespace vpcsim::gui
