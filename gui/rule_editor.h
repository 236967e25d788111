// Edits the rules of one security group or network ACL in a table, with the converter's
// validation messages inline, and on "Apply" judges the same traffic against the old and the
// new rules and shows the diff: flows newly dropped (breakage) and newly allowed (exposure).
#pragma once

#include <QWidget>

#include <memory>
#include <optional>

#include "gui/result_source.h"
#include "io/rule_fields.h"
#include "sim/verdict_diff.h"

class QComboBox;
class QLabel;
class QPushButton;
class QTableWidget;
class QTreeWidget;

namespace vpcsim::gui {

class RuleEditor : public QWidget {
  Q_OBJECT
 public:
  explicit RuleEditor(QWidget* parent = nullptr);

  void setScenario(std::shared_ptr<const Scenario> scenario, FilteringModel model);
  // Chooses the object to edit by id ("sg-web", "acl-app") and the direction.
  bool selectObject(const QString& id);
  void selectSecurityGroup(SgId id);
  void selectNetworkAcl(NaclId id);
  void setDirection(Direction d);
  // The id of the group or ACL being edited ("sg-web"), and the direction shown.
  QString currentObject() const;
  Direction direction() const;

  QTableWidget* table() const { return table_; }
  // Adds a row (text per column, as the table's columns are for the selected object).
  void addRow(const QStringList& cells);
  // Validates the table; true when every row converts.
  bool validate();
  // Applies the edit: the network with the new rules replaces the scenario's, the traffic is
  // judged against both (in a worker thread) and diffReady follows.
  bool apply();
  const std::optional<VerdictDiff>& lastDiff() const { return diff_; }
  QTreeWidget* diffTree() const { return diff_tree_; }

 signals:
  // The scenario with the edited rules: the main view reruns it.
  void scenarioEdited(std::shared_ptr<const vpcsim::Scenario> scenario);
  void diffReady();

 private:
  bool editingSg() const;
  void fillTable();
  void showDiff(const VerdictDiff& d);
  QStringList headers() const;

  std::shared_ptr<const Scenario> scenario_;
  FilteringModel model_ = FilteringModel::kStateless;
  QComboBox* object_ = nullptr;
  QComboBox* direction_ = nullptr;
  QTableWidget* table_ = nullptr;
  QLabel* status_ = nullptr;
  QPushButton* apply_ = nullptr;
  QTreeWidget* diff_tree_ = nullptr;
  QLabel* diff_summary_ = nullptr;
  std::optional<VerdictDiff> diff_;
  bool filling_ = false;
};

}  // namespace vpcsim::gui
