// The vpcsim-gui main window: menus, toolbar and docks around the views of one run. It wires
// the views to a ResultSource and holds no domain logic of its own.
#pragma once

#include <expected>

#include <QMainWindow>

#include <memory>
#include <utility>
#include <optional>

#include "gui/result_source.h"
#include "model/analysis/finding.h"

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QMenu;
class QPlainTextEdit;
class QProgressBar;
class QSlider;
class QTabWidget;
class QTableView;
class QTextBrowser;

namespace vpcsim::gui {

class ChartsPanel;
class ComparePanel;
class FlowFilterProxy;
class FlowTableModel;
class RuleEditor;
class TopologyView;

// A lesson bundled into the binary (Qt resource ":/lessons/...").
struct Lesson {
  QString path;  // ":/scenarios/lessons/01-ssh-inbound-only.textproto"
  QString file;  // "01-ssh-inbound-only.textproto"
  QString name;
  QString description;
};
// The bundled lessons, in file-name order.
QList<Lesson> bundledLessons();

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  struct Options {
    bool persist_settings = true;  // restore and save geometry, dock layout, recent files
    bool interactive = true;       // report errors in message boxes (else only lastError())
  };
  explicit MainWindow(Options options);
  ~MainWindow() override;

  // Opens a scenario file (textproto or JSON) or a bundled lesson (":/..."); on failure the
  // error names file, line and field. Starts no run: the run is paused at time 0.
  bool openScenario(const QString& path);
  const QString& lastError() const { return last_error_; }
  // Runs the loaded scenario to its end at full speed, processing events meanwhile; false on
  // timeout.
  bool runToEnd(int timeout_ms = 60'000);
  void setFilteringModel(FilteringModel m);
  // Selects a row of the flow table (in view order) and shows its trace.
  void selectFlowRow(int row);
  void showView(const QString& name);  // "topology", "charts", "compare"
  // Follows the simulation of a `vpcsim serve` at "host:port" (File → Connect to server…):
  // the views are fed by a RemoteSource from then on. Without the server's control token
  // (empty `token`, or a wrong one) the run controls are disabled and the status bar says
  // "watching (no control token)". The error names what failed.
  std::expected<void, QString> connectToServer(const QString& host_port, const QString& token);
  // "" when running locally, else the connection's role as the status bar shows it.
  QString remoteText() const;
  QAction* runAction() const { return run_action_; }
  // File → Open AWS folder…: imports a directory of AWS CLI JSON (io/aws_import.h) and loads
  // it like a scenario; the import's warnings are listed in the "Import warnings" dock (also
  // when there are none, it says so). False, with lastError(), when the import fails.
  bool openAwsFolder(const QString& dir);
  QString importWarnings() const;
  // File → Replay flow logs…: replays the files (or directories) against the loaded scenario
  // under the current model (io/flowlog_replay.h) and shows the agreement report in the
  // "Flow-log replay" dock. False, with lastError(), when nothing is loaded or a file fails.
  bool replayFlowLogs(const QStringList& inputs);
  QString replayText() const;
  // The "Lint findings" dock (the scenario's network under the current model); activating a
  // finding selects its group or ACL, direction and row in the rule editor.
  class LintPanel* lintPanel() const { return lint_panel_; }
  void showFinding(const analysis::Finding& f);

  ResultSource* source() const { return source_; }
  ChartsPanel* charts() const { return charts_; }
  FlowTableModel* flowModel() const { return flow_model_; }
  FlowFilterProxy* flowProxy() const { return flow_proxy_; }
  QTableView* flowView() const { return flow_view_; }
  QString traceText() const;
  RuleEditor* ruleEditor() const { return rule_editor_; }
  TopologyView* topology() const { return topology_; }
  ComparePanel* comparePanel() const { return compare_; }
  std::shared_ptr<const Scenario> scenario() const { return scenario_; }
  BatchPtr lastBatch() const { return last_batch_; }

 signals:
  void runFinished();

 protected:
  void closeEvent(QCloseEvent* e) override;
  void dragEnterEvent(QDragEnterEvent* e) override;
  void dropEvent(QDropEvent* e) override;

 private:
  void buildActions();
  void buildDocks();
  void buildToolbar();
  void setScenario(std::shared_ptr<const Scenario> s);
  void onBatch(const BatchPtr& b);
  void onRunningChanged(bool running);
  void addRecent(const QString& path);
  void rebuildRecentMenu();
  void showError(const QString& message);
  void showLessonText();
  void updateTimeControls(const ResultBatch& b);
  void startCompareIfVisible();
  void adoptRemoteScenario(std::shared_ptr<const Scenario> s, FilteringModel m);
  void updateControlsEnabled();

  Options options_;
  ResultSource* source_ = nullptr;
  std::shared_ptr<const Scenario> scenario_;
  QString scenario_path_;
  FilteringModel model_ = FilteringModel::kStateless;
  BatchPtr last_batch_;
  std::uint64_t shown_run_ = 0;
  QString last_error_;
  bool compare_stale_ = true;
  std::pair<int, Qt::SortOrder> paused_sort_{-1, Qt::AscendingOrder};  // the table's sort while running

  QTabWidget* tabs_ = nullptr;
  TopologyView* topology_ = nullptr;
  ChartsPanel* charts_ = nullptr;
  ComparePanel* compare_ = nullptr;
  FlowTableModel* flow_model_ = nullptr;
  FlowFilterProxy* flow_proxy_ = nullptr;
  QTableView* flow_view_ = nullptr;
  QPlainTextEdit* trace_ = nullptr;
  QTextBrowser* inspector_ = nullptr;
  RuleEditor* rule_editor_ = nullptr;
  QMenu* recent_menu_ = nullptr;
  QMenu* view_menu_ = nullptr;
  QAction* run_action_ = nullptr;
  QAction* step_action_ = nullptr;
  QAction* drop_action_ = nullptr;
  QAction* reset_action_ = nullptr;
  QAction* model_actions_[2] = {};
  QComboBox* model_combo_ = nullptr;
  QComboBox* speed_combo_ = nullptr;
  QSlider* time_slider_ = nullptr;
  QLabel* time_label_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QLabel* status_ = nullptr;
  QLabel* remote_label_ = nullptr;
  QPlainTextEdit* import_warnings_ = nullptr;
  class LintPanel* lint_panel_ = nullptr;
  QPlainTextEdit* replay_report_ = nullptr;
  bool remote_ = false;
  bool can_control_ = true;
};

}  // namespace vpcsim::gui
