// The same traffic under both filtering models, side by side: two controllers run the scenario
// with the same seed, one stateless and one stateful, each feeding its own charts; below, the
// flows whose verdict differs between the models (the verdict diff of stateless -> stateful).
#pragma once

#include <QWidget>

#include <memory>
#include <optional>

#include "gui/charts_panel.h"
#include "gui/sim_controller.h"
#include "sim/verdict_diff.h"

class QLabel;
class QTreeWidget;

namespace vpcsim::gui {

class ComparePanel : public QWidget {
  Q_OBJECT
 public:
  explicit ComparePanel(QWidget* parent = nullptr);

  // Loads the scenario into both controllers and runs both to the end.
  void setScenario(std::shared_ptr<const Scenario> scenario);
  const ChartsPanel* charts(FilteringModel m) const { return charts_[static_cast<int>(m)]; }
  bool finished() const { return finished_[0] && finished_[1] && diff_.has_value(); }
  const std::optional<VerdictDiff>& diff() const { return diff_; }

 signals:
  void comparisonFinished();

 private:
  void onBatch(int side, const BatchPtr& b);
  void maybeFinished();

  std::shared_ptr<const Scenario> scenario_;
  SimController* controllers_[2] = {};
  ChartsPanel* charts_[2] = {};
  QLabel* totals_[2] = {};
  QLabel* summary_ = nullptr;
  QTreeWidget* differences_ = nullptr;
  bool finished_[2] = {false, false};
  std::uint64_t generation_ = 0;
  std::optional<VerdictDiff> diff_;
};

}  // namespace vpcsim::gui
