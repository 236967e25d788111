// The lint findings of the scenario's network (model/analysis/lint.h, what `vpcsim lint`
// reports): one row per finding with its check id, severity, rule (or group / ACL), why it
// matters and the suggested fix. Activating a row (double-click, Enter) emits the finding so
// that the window opens its security group or network ACL in the rule editor.
#pragma once

#include <QTreeWidget>

#include <memory>
#include <vector>

#include "model/analysis/finding.h"
#include "model/scenario.h"

namespace vpcsim::gui {

class LintPanel : public QTreeWidget {
  Q_OBJECT
 public:
  enum Column { kId, kSeverity, kRule, kWhy, kFix, kColumnCount };
  explicit LintPanel(QWidget* parent = nullptr);

  // Lints the network under `model` (the stateless-only checks run only under stateless).
  void setScenario(std::shared_ptr<const Scenario> scenario, FilteringModel model);
  const std::vector<analysis::Finding>& findings() const { return findings_; }

 signals:
  void findingActivated(const vpcsim::analysis::Finding& finding);

 private:
  std::shared_ptr<const Scenario> scenario_;
  std::vector<analysis::Finding> findings_;
};

}  // namespace vpcsim::gui
