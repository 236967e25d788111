#include "gui/compare_panel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QThread>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "sim/run_session.h"

namespace vpcsim::gui {

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }
QString q(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

QString totalsText(FilteringModel m, const TrafficCounts& t) {
  return QStringLiteral("<b>%1</b>: %2 flows, %3 worked both ways, %4 requests dropped, %5 replies dropped")
      .arg(q(to_string(m)))
      .arg(t.flows_started)
      .arg(t.flows_worked)
      .arg(t.flows_request_dropped)
      .arg(t.flows_reply_dropped);
}

}  // namespace

ComparePanel::ComparePanel(QWidget* parent) : QWidget(parent) {
  auto* sides = new QSplitter(Qt::Horizontal);
  for (int i = 0; i < 2; ++i) {
    auto* w = new QWidget;
    auto* v = new QVBoxLayout(w);
    v->setContentsMargins(0, 0, 0, 0);
    totals_[i] = new QLabel;
    totals_[i]->setWordWrap(true);
    charts_[i] = new ChartsPanel(nullptr, true);
    v->addWidget(totals_[i]);
    v->addWidget(charts_[i], 1);
    sides->addWidget(w);
    controllers_[i] = new SimController(this);
    controllers_[i]->setSpeed(0);
    connect(controllers_[i], &ResultSource::batchReady, this, [this, i](const BatchPtr& b) { onBatch(i, b); });
  }
  summary_ = new QLabel;
  summary_->setWordWrap(true);
  differences_ = new QTreeWidget;
  differences_->setHeaderLabels({tr("verdict under stateful, compared with stateless"), tr("flows")});
  differences_->header()->setStretchLastSection(false);
  differences_->header()->setSectionResizeMode(0, QHeaderView::Stretch);
  auto* lower = new QWidget;
  auto* lv = new QVBoxLayout(lower);
  lv->setContentsMargins(0, 0, 0, 0);
  lv->addWidget(summary_);
  lv->addWidget(differences_, 1);
  auto* split = new QSplitter(Qt::Vertical);
  split->addWidget(sides);
  split->addWidget(lower);
  split->setStretchFactor(0, 5);
  split->setStretchFactor(1, 1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(2, 2, 2, 2);
  layout->addWidget(split);
}

void ComparePanel::setScenario(std::shared_ptr<const Scenario> scenario) {
  scenario_ = std::move(scenario);
  ++generation_;
  diff_.reset();
  differences_->clear();
  finished_[0] = finished_[1] = false;
  if (!scenario_) return;
  summary_->setText(tr("Running %1 under both models (seed %2)…").arg(q(scenario_->name)).arg(scenario_->seed));
  for (int i = 0; i < 2; ++i) {
    charts_[i]->clear();
    controllers_[i]->load(scenario_, static_cast<FilteringModel>(i));
    controllers_[i]->run();
  }
  // The per-flow comparison judges both runs in a worker thread.
  auto result = std::make_shared<VerdictDiff>();
  const std::shared_ptr<const Scenario> s = scenario_;
  QThread* job = QThread::create([s, result] {
    *result = diff_verdicts(judge_run(*s, scenario_options(*s, FilteringModel::kStateless)),
                            judge_run(*s, scenario_options(*s, FilteringModel::kStateful)));
  });
  connect(job, &QThread::finished, this, [this, result, generation = generation_] {
    if (generation != generation_) return;
    diff_ = *result;
    const VerdictDiff& d = *diff_;
    summary_->setText(tr("%1 flows judged under both models: %2 differ (%3 get through only under stateless, %4 only "
                         "under stateful), %5 the same")
                          .arg(d.compared)
                          .arg(d.newly_dropped + d.newly_allowed)
                          .arg(d.newly_dropped)
                          .arg(d.newly_allowed)
                          .arg(d.unchanged));
    for (const DiffGroup& g : d.groups) {
      auto* item = new QTreeWidgetItem(differences_);
      const QString what = g.change == VerdictChange::kNewlyAllowed ? tr("passes only under stateful")
                                                                    : tr("dropped only under stateful");
      item->setText(0, QStringLiteral("%1: %2 at %3 — stateful: %4; stateless: %5")
                           .arg(g.reply ? tr("reply") : tr("request"), what, q(to_string(g.hop)), q(g.rule),
                                q(g.previously)));
      item->setToolTip(0, item->text(0));
      item->setText(1, QString::number(g.count));
      for (const std::string& e : g.examples) (new QTreeWidgetItem(item))->setText(0, q(e));
      item->setExpanded(true);
    }
    maybeFinished();
  });
  connect(job, &QThread::finished, job, &QObject::deleteLater);
  job->start();
}

void ComparePanel::onBatch(int side, const BatchPtr& b) {
  if (b->scenario != scenario_) return;
  charts_[side]->showBatch(*b);
  totals_[side]->setText(totalsText(b->model, b->totals) +
                         (b->finished ? QString() : tr(" (running, %1)").arg(q(format_time(b->now)))));
  if (b->finished && !finished_[side]) {
    finished_[side] = true;
    maybeFinished();
  }
}

void ComparePanel::maybeFinished() {
  if (finished()) emit comparisonFinished();
}

}  // namespace vpcsim::gui
