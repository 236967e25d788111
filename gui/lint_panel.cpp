#include "gui/lint_panel.h"

#include <QHeaderView>

#include "model/analysis/lint.h"
#include "model/explain.h"

namespace vpcsim::gui {

namespace {
QString q(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }
}  // namespace

LintPanel::LintPanel(QWidget* parent) : QTreeWidget(parent) {
  setColumnCount(kColumnCount);
  setHeaderLabels({tr("Check"), tr("Severity"), tr("Rule"), tr("Why"), tr("Fix")});
  setRootIsDecorated(false);
  setUniformRowHeights(true);
  setAlternatingRowColors(true);
  header()->setStretchLastSection(true);
  connect(this, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem* item) {
    const int i = item->data(kId, Qt::UserRole).toInt();
    if (i >= 0 && static_cast<std::size_t>(i) < findings_.size()) emit findingActivated(findings_[static_cast<std::size_t>(i)]);
  });
}

void LintPanel::setScenario(std::shared_ptr<const Scenario> scenario, FilteringModel model) {
  scenario_ = std::move(scenario);
  clear();
  findings_.clear();
  if (!scenario_) return;
  const Network& net = scenario_->network;
  findings_ = analysis::lint(net, {.model = model});
  for (std::size_t i = 0; i < findings_.size(); ++i) {
    const analysis::Finding& f = findings_[i];
    QString rule;
    if (f.sg_rule) {
      rule = q(describe_sg_rule(net, *f.sg_rule));
    } else if (f.nacl_entry) {
      rule = q(describe_nacl_entry(net, *f.nacl_entry));
    } else if (f.sg) {
      rule = q(net.sg(*f.sg).id);
    } else if (f.nacl) {
      rule = q(net.nacl(*f.nacl).id);
    }
    auto* item = new QTreeWidgetItem({q(f.check), q(analysis::to_string(f.severity)), rule, q(f.message), q(f.fix)});
    item->setData(kId, Qt::UserRole, static_cast<int>(i));
    if (const analysis::CheckInfo* c = analysis::find_check(f.check)) item->setToolTip(kId, q(c->summary));
    item->setToolTip(kWhy, q(f.message));
    item->setToolTip(kFix, q(f.fix));
    addTopLevelItem(item);
  }
  for (int c = 0; c < kWhy; ++c) resizeColumnToContents(c);
}

}  // namespace vpcsim::gui
