// The charts of a run (Qt Charts): flows allowed and dropped over simulated time per direction,
// dropped packets by hop kind, and the rules with the most hits. Each exports as PNG and its
// data as CSV.
#pragma once

#include <QWidget>

#include <string>
#include <vector>

#include "gui/result_source.h"

class QChart;
class QChartView;
class QLineSeries;
class QBarSet;
class QBarSeries;
class QHorizontalBarSeries;
class QBarCategoryAxis;
class QValueAxis;

namespace vpcsim::gui {

class ChartsPanel : public QWidget {
  Q_OBJECT
 public:
  enum Chart { kOverTime, kDropsByHop, kTopRules, kChartCount };
  // Series of the time chart: flows per bucket by direction and verdict, two points per bucket
  // (its start and end, drawn as a step).
  enum Line { kRequestAllowed, kRequestDropped, kReplyAllowed, kReplyDropped, kLineCount };
  static constexpr int kTopRuleCount = 10;

  explicit ChartsPanel(QWidget* parent = nullptr, bool compact = false);

  void showBatch(const ResultBatch& batch);
  void clear();

  // The chart's data as CSV (RFC 4180, a header row first).
  std::string csv(Chart c) const;
  bool exportPng(Chart c, const QString& path) const;
  bool exportCsv(Chart c, const QString& path) const;
  static QString chartName(Chart c);

  const QLineSeries* line(Line l) const { return lines_[l]; }
  const QBarSet* hopBars() const { return hop_set_; }
  const QBarSet* ruleBars() const { return rule_set_; }
  QStringList ruleCategories() const;

 private:
  QWidget* framed(Chart c, QChartView* view);
  void exportDialog(Chart c, bool png);

  QChartView* views_[kChartCount] = {};
  QLineSeries* lines_[kLineCount] = {};
  QValueAxis* time_x_ = nullptr;
  QValueAxis* time_y_ = nullptr;
  QBarSet* hop_set_ = nullptr;
  QValueAxis* hop_y_ = nullptr;
  QChart* rule_chart_ = nullptr;
  QHorizontalBarSeries* rule_series_ = nullptr;
  QBarSet* rule_set_ = nullptr;
  QBarCategoryAxis* rule_axis_ = nullptr;
  QValueAxis* rule_x_ = nullptr;
  // The data behind the charts, for CSV export.
  SimTime bucket_width_{1};
  std::vector<TimeBucket> buckets_;
  TrafficCounts totals_;
  std::vector<RuleHit> top_rules_;
};

}  // namespace vpcsim::gui
