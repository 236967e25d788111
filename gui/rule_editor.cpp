#include "gui/rule_editor.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QThread>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "sim/run_session.h"

namespace vpcsim::gui {

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }
QString q(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }
std::string s(const QTableWidget* t, int row, int col) {
  const QTableWidgetItem* i = t->item(row, col);
  return i ? i->text().trimmed().toStdString() : std::string();
}

// Columns of the two kinds of table; the last is the row's problems.
const QStringList kSgColumns = {"protocol", "ports", "icmp_type", "icmp_code", "peer", "description", "problem"};
const QStringList kNaclColumns = {"rule_number", "action", "protocol", "ports", "icmp_type", "icmp_code", "cidr", "problem"};

}  // namespace

RuleEditor::RuleEditor(QWidget* parent) : QWidget(parent) {
  object_ = new QComboBox;
  object_->setToolTip(tr("The security group or network ACL to edit"));
  direction_ = new QComboBox;
  direction_->addItem(tr("inbound (ingress)"));
  direction_->addItem(tr("outbound (egress)"));
  table_ = new QTableWidget;
  table_->horizontalHeader()->setStretchLastSection(true);
  table_->verticalHeader()->setDefaultSectionSize(22);
  status_ = new QLabel;
  status_->setWordWrap(true);
  auto* add = new QPushButton(tr("Add rule"));
  auto* remove = new QPushButton(tr("Remove rule"));
  auto* revert = new QPushButton(tr("Revert"));
  apply_ = new QPushButton(tr("Apply and compare"));
  apply_->setToolTip(tr("Rerun with the edited rules and list the flows whose verdict changes"));
  diff_summary_ = new QLabel;
  diff_summary_->setWordWrap(true);
  diff_tree_ = new QTreeWidget;
  diff_tree_->setHeaderLabels({tr("change"), tr("flows")});
  diff_tree_->header()->setStretchLastSection(false);
  diff_tree_->header()->setSectionResizeMode(0, QHeaderView::Stretch);

  auto* top = new QHBoxLayout;
  top->addWidget(object_, 2);
  top->addWidget(direction_, 1);
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(add);
  buttons->addWidget(remove);
  buttons->addWidget(revert);
  buttons->addStretch();
  buttons->addWidget(apply_);
  auto* upper = new QWidget;
  auto* ul = new QVBoxLayout(upper);
  ul->setContentsMargins(0, 0, 0, 0);
  ul->addLayout(top);
  ul->addWidget(table_, 1);
  ul->addWidget(status_);
  ul->addLayout(buttons);
  auto* lower = new QWidget;
  auto* ll = new QVBoxLayout(lower);
  ll->setContentsMargins(0, 0, 0, 0);
  ll->addWidget(diff_summary_);
  ll->addWidget(diff_tree_, 1);
  auto* split = new QSplitter(Qt::Vertical);
  split->addWidget(upper);
  split->addWidget(lower);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(2, 2, 2, 2);
  layout->addWidget(split);

  connect(object_, &QComboBox::currentIndexChanged, this, [this] { fillTable(); });
  connect(direction_, &QComboBox::currentIndexChanged, this, [this] { fillTable(); });
  connect(table_, &QTableWidget::itemChanged, this, [this] {
    if (!filling_) validate();
  });
  connect(add, &QPushButton::clicked, this, [this] {
    addRow(editingSg() ? QStringList{"tcp", "", "", "", "0.0.0.0/0", ""}
                       : QStringList{"", "allow", "tcp", "", "", "", "0.0.0.0/0"});
  });
  connect(remove, &QPushButton::clicked, this, [this] {
    if (table_->currentRow() >= 0) table_->removeRow(table_->currentRow());
    validate();
  });
  connect(revert, &QPushButton::clicked, this, [this] { fillTable(); });
  connect(apply_, &QPushButton::clicked, this, [this] { apply(); });
}

void RuleEditor::setScenario(std::shared_ptr<const Scenario> scenario, FilteringModel model) {
  model_ = model;
  if (scenario == scenario_) return;
  const QString current = object_->currentData().toString();
  scenario_ = std::move(scenario);
  filling_ = true;
  object_->clear();
  if (scenario_) {
    for (const SecurityGroup& g : scenario_->network.security_groups) {
      object_->addItem(tr("security group %1").arg(q(g.id)), q(g.id));
    }
    for (const NetworkAcl& a : scenario_->network.network_acls) {
      object_->addItem(tr("network ACL %1").arg(q(a.id)), q(a.id));
    }
  }
  const int keep = object_->findData(current);
  if (keep >= 0) object_->setCurrentIndex(keep);
  filling_ = false;
  fillTable();
}

bool RuleEditor::selectObject(const QString& id) {
  const int i = object_->findData(id);
  if (i < 0) return false;
  object_->setCurrentIndex(i);
  return true;
}
void RuleEditor::selectSecurityGroup(SgId id) {
  if (scenario_) selectObject(q(scenario_->network.sg(id).id));
}
void RuleEditor::selectNetworkAcl(NaclId id) {
  if (scenario_) selectObject(q(scenario_->network.nacl(id).id));
}
QString RuleEditor::currentObject() const { return object_->currentData().toString(); }
Direction RuleEditor::direction() const { return direction_->currentIndex() == 0 ? Direction::kIngress : Direction::kEgress; }
void RuleEditor::setDirection(Direction d) { direction_->setCurrentIndex(d == Direction::kIngress ? 0 : 1); }

bool RuleEditor::editingSg() const {
  return scenario_ && scenario_->network.find_sg(object_->currentData().toString().toStdString()).has_value();
}

QStringList RuleEditor::headers() const { return editingSg() ? kSgColumns : kNaclColumns; }

void RuleEditor::addRow(const QStringList& cells) {
  filling_ = true;
  const int row = table_->rowCount();
  table_->insertRow(row);
  for (int c = 0; c < table_->columnCount(); ++c) {
    auto* item = new QTableWidgetItem(c < cells.size() ? cells[c] : QString());
    if (c == table_->columnCount() - 1) item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    table_->setItem(row, c, item);
  }
  filling_ = false;
  validate();
}

void RuleEditor::fillTable() {
  if (filling_) return;
  filling_ = true;
  table_->clear();
  table_->setRowCount(0);
  const QStringList h = headers();
  table_->setColumnCount(static_cast<int>(h.size()));
  table_->setHorizontalHeaderLabels(h);
  filling_ = false;
  if (!scenario_) return;
  const Network& net = scenario_->network;
  const Direction d = direction_->currentIndex() == 0 ? Direction::kIngress : Direction::kEgress;
  const std::string id = object_->currentData().toString().toStdString();
  if (const auto sg = net.find_sg(id)) {
    for (const SgRule& r : net.sg(*sg).rules(d)) {
      const io::SgRuleFields f = io::to_fields(net, r);
      addRow({q(f.protocol), q(f.ports), q(f.icmp_type), q(f.icmp_code), q(f.peer), q(f.description)});
      table_->item(table_->rowCount() - 1, 0)->setData(Qt::UserRole, q(f.id));
    }
  } else if (const auto acl = net.find_nacl(id)) {
    for (const NaclEntry& e : net.nacl(*acl).entries(d)) {
      const io::NaclEntryFields f = io::to_fields(e);
      addRow({q(f.number), q(f.action), q(f.protocol), q(f.ports), q(f.icmp_type), q(f.icmp_code), q(f.cidr)});
    }
  }
  table_->resizeColumnsToContents();
  validate();
}

bool RuleEditor::validate() {
  if (!scenario_) return false;
  filling_ = true;
  const int problem_col = table_->columnCount() - 1;
  const QStringList h = headers();
  for (int r = 0; r < table_->rowCount(); ++r) {
    for (int c = 0; c < table_->columnCount(); ++c) {
      if (QTableWidgetItem* i = table_->item(r, c)) {
        i->setBackground(QBrush());
        i->setToolTip({});
        if (c == problem_col) i->setText({});
      }
    }
  }
  io::RowProblems problems;
  if (editingSg()) {
    std::vector<io::SgRuleFields> rows;
    for (int r = 0; r < table_->rowCount(); ++r) {
      const QTableWidgetItem* first = table_->item(r, 0);
      rows.push_back({s(table_, r, 0), s(table_, r, 1), s(table_, r, 2), s(table_, r, 3), s(table_, r, 4), s(table_, r, 5),
                      first ? first->data(Qt::UserRole).toString().toStdString() : std::string()});
    }
    if (auto rules = io::sg_rules_from_fields(scenario_->network, rows); !rules) problems = std::move(rules.error());
  } else {
    std::vector<io::NaclEntryFields> rows;
    for (int r = 0; r < table_->rowCount(); ++r) {
      rows.push_back({s(table_, r, 0), s(table_, r, 1), s(table_, r, 2), s(table_, r, 3), s(table_, r, 4), s(table_, r, 5),
                      s(table_, r, 6)});
    }
    if (auto entries = io::nacl_entries_from_fields(rows); !entries) problems = std::move(entries.error());
  }
  for (const io::RowProblem& p : problems) {
    const int row = static_cast<int>(p.row);
    // The peer column stands for the cidr / security_group / prefix_list fields of a rule.
    QString field = q(p.problem.field);
    if (editingSg() && (field == "cidr" || field == "security_group" || field == "prefix_list")) field = "peer";
    int col = static_cast<int>(h.indexOf(field));
    if (col < 0 || col == problem_col) col = 0;
    if (QTableWidgetItem* i = table_->item(row, col)) {
      i->setBackground(QColor(255, 205, 205));
      i->setToolTip(q(p.problem.message));
    }
    if (QTableWidgetItem* i = table_->item(row, problem_col)) {
      const QString msg = (p.problem.field.empty() ? QString() : q(p.problem.field) + ": ") + q(p.problem.message);
      i->setText(i->text().isEmpty() ? msg : i->text() + QStringLiteral("; ") + msg);
      i->setForeground(QColor(180, 0, 0));
    }
  }
  filling_ = false;
  apply_->setEnabled(problems.empty());
  status_->setText(problems.empty() ? tr("%n rule(s), all valid", nullptr, table_->rowCount())
                                    : tr("%n problem(s): fix the red cells (hover for the message)", nullptr,
                                         static_cast<int>(problems.size())));
  return problems.empty();
}

bool RuleEditor::apply() {
  if (!scenario_ || !validate()) return false;
  auto after = std::make_shared<Scenario>(*scenario_);
  Network& net = after->network;
  const Direction d = direction_->currentIndex() == 0 ? Direction::kIngress : Direction::kEgress;
  const std::string id = object_->currentData().toString().toStdString();
  if (const auto sg = net.find_sg(id)) {
    std::vector<io::SgRuleFields> rows;
    for (int r = 0; r < table_->rowCount(); ++r) {
      rows.push_back({s(table_, r, 0), s(table_, r, 1), s(table_, r, 2), s(table_, r, 3), s(table_, r, 4), s(table_, r, 5),
                      table_->item(r, 0)->data(Qt::UserRole).toString().toStdString()});
    }
    net.sg(*sg).rules(d) = *io::sg_rules_from_fields(scenario_->network, rows);
  } else if (const auto acl = net.find_nacl(id)) {
    std::vector<io::NaclEntryFields> rows;
    for (int r = 0; r < table_->rowCount(); ++r) {
      rows.push_back({s(table_, r, 0), s(table_, r, 1), s(table_, r, 2), s(table_, r, 3), s(table_, r, 4), s(table_, r, 5),
                      s(table_, r, 6)});
    }
    net.nacl(*acl).entries(d) = *io::nacl_entries_from_fields(rows);
  } else {
    return false;
  }
  std::shared_ptr<const Scenario> before = scenario_;
  std::shared_ptr<const Scenario> edited = after;
  const SimulationOptions options = scenario_options(*before, model_);
  // Judging every flow twice may take a while on a big scenario: a worker thread does it.
  auto result = std::make_shared<VerdictDiff>();
  QThread* job = QThread::create([before, edited, options, result] {
    *result = diff_verdicts(judge_run(*before, options), judge_run(*edited, options));
  });
  connect(job, &QThread::finished, this, [this, result] {
    showDiff(*result);
    emit diffReady();
  });
  connect(job, &QThread::finished, job, &QObject::deleteLater);
  apply_->setEnabled(false);
  diff_summary_->setText(tr("Comparing…"));
  job->start();
  scenario_ = edited;
  emit scenarioEdited(edited);
  return true;
}

void RuleEditor::showDiff(const VerdictDiff& d) {
  diff_ = d;
  apply_->setEnabled(true);
  diff_summary_->setText(tr("%1 flows compared: %2 newly dropped, %3 newly allowed, %4 unchanged")
                             .arg(d.compared)
                             .arg(d.newly_dropped)
                             .arg(d.newly_allowed)
                             .arg(d.unchanged));
  diff_tree_->clear();
  for (const DiffGroup& g : d.groups) {
    auto* item = new QTreeWidgetItem(diff_tree_);
    item->setText(0, QStringLiteral("%1 (%2 at %3): now %4; before %5")
                         .arg(q(to_string(g.change)), g.reply ? QStringLiteral("reply") : QStringLiteral("request"),
                              q(to_string(g.hop)), q(g.rule), q(g.previously)));
    item->setText(1, QString::number(g.count));
    item->setForeground(0, g.change == VerdictChange::kNewlyDropped ? QColor(190, 20, 20) : QColor(20, 120, 40));
    item->setToolTip(0, item->text(0));
    for (const std::string& e : g.examples) {
      auto* ex = new QTreeWidgetItem(item);
      ex->setText(0, q(e));
    }
    item->setExpanded(true);
  }
}

}  // namespace vpcsim::gui
