#include "gui/charts_panel.h"

#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarSet>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QHorizontalBarSeries>
#include <QtCharts/QLineSeries>
#include <QtCharts/QValueAxis>

#include <algorithm>
#include <array>
#include <cmath>

#include "io/csv.h"

namespace vpcsim::gui {

namespace {

constexpr std::array kLineNames = {"request allowed", "request dropped", "reply allowed", "reply dropped"};
constexpr std::array<Hop, kHopKinds> kHops = {Hop::kSgEgress, Hop::kNaclEgress, Hop::kNaclIngress, Hop::kSgIngress,
                                              Hop::kRoute};

// Hop labels as the issue names the kinds; the route hop stands for conntrack/route failures.
QString hopLabel(Hop h) { return QString::fromLatin1(to_string(h).data(), static_cast<int>(to_string(h).size())); }

std::uint64_t lineValue(const TrafficCounts& c, int line) {
  switch (line) {
    case ChartsPanel::kRequestAllowed: return c.request.flows_allowed;
    case ChartsPanel::kRequestDropped: return c.request.flows_dropped;
    case ChartsPanel::kReplyAllowed: return c.reply.flows_allowed;
    case ChartsPanel::kReplyDropped: return c.reply.flows_dropped;
    default: return 0;
  }
}

// A label short enough for an axis: "sg-web in #2", "acl-app out 100", "acl-app out *",
// "eni-db in: no rule". The CSV export has the full rule text.
QString shortRule(const RuleHit& h) {
  const QString group = QString::fromStdString(h.group);
  const QString dir = h.direction == Direction::kIngress ? QStringLiteral("in") : QStringLiteral("out");
  switch (h.kind) {
    case RuleHit::Kind::kSgRule: return QStringLiteral("%1 %2 #%3").arg(group, dir).arg(h.rule_number);
    case RuleHit::Kind::kNaclEntry: return QStringLiteral("%1 %2 %3").arg(group, dir).arg(h.rule_number);
    case RuleHit::Kind::kNaclImplicitDeny: return QStringLiteral("%1 %2 *").arg(group, dir);
    case RuleHit::Kind::kSgNoRuleMatched: return QStringLiteral("%1 %2: no rule").arg(group, dir);
  }
  return group;
}

// An axis of counts: ticks on whole numbers (1, 2 or 5 times a power of ten apart) from 0 to
// just above `top`, so that every label names the value at its tick.
void setCountRange(QValueAxis* axis, std::uint64_t top) {
  const double raw = std::max(1.0, static_cast<double>(top) / 5.0);
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = magnitude;
  for (const double m : {1.0, 2.0, 5.0, 10.0}) {
    if (m * magnitude >= raw) {
      step = m * magnitude;
      break;
    }
  }
  step = std::max(1.0, step);
  axis->setTickType(QValueAxis::TicksDynamic);
  axis->setTickAnchor(0);
  axis->setTickInterval(step);
  axis->setRange(0, std::max(step, std::ceil(static_cast<double>(top) * 1.05 / step) * step));
}

}  // namespace

ChartsPanel::ChartsPanel(QWidget* parent, bool compact) : QWidget(parent) {
  // Flows over time.
  auto* time_chart = new QChart;
  time_chart->setTitle(tr("Flows over simulated time (by the bucket they started in)"));
  time_x_ = new QValueAxis;
  time_x_->setTitleText(tr("simulated time (s)"));
  time_x_->setLabelFormat(QStringLiteral("%g"));
  time_y_ = new QValueAxis;
  time_y_->setTitleText(tr("flows"));
  time_y_->setLabelFormat(QStringLiteral("%d"));
  time_chart->addAxis(time_x_, Qt::AlignBottom);
  time_chart->addAxis(time_y_, Qt::AlignLeft);
  const std::array colours = {QColor(30, 140, 60), QColor(210, 40, 40), QColor(60, 110, 200), QColor(230, 140, 20)};
  for (int l = 0; l < kLineCount; ++l) {
    lines_[l] = new QLineSeries;
    lines_[l]->setName(QString::fromLatin1(kLineNames[static_cast<std::size_t>(l)]));
    QPen pen(colours[static_cast<std::size_t>(l)]);
    pen.setWidth(2);
    if (l == kReplyAllowed || l == kReplyDropped) pen.setStyle(Qt::DashLine);
    lines_[l]->setPen(pen);
    time_chart->addSeries(lines_[l]);
    lines_[l]->attachAxis(time_x_);
    lines_[l]->attachAxis(time_y_);
  }
  views_[kOverTime] = new QChartView(time_chart);

  // Drops by hop.
  auto* hop_chart = new QChart;
  hop_chart->setTitle(tr("Dropped packets by hop"));
  hop_set_ = new QBarSet(tr("dropped packets"));
  hop_set_->setColor(QColor(210, 40, 40));
  for (std::size_t i = 0; i < kHopKinds; ++i) hop_set_->append(0);
  // Horizontal bars, in path order from the top: the hop names get the width they need.
  auto* hop_series = new QHorizontalBarSeries;
  hop_series->append(hop_set_);
  hop_chart->addSeries(hop_series);
  auto* hop_axis = new QBarCategoryAxis;
  for (auto it = kHops.rbegin(); it != kHops.rend(); ++it) hop_axis->append(hopLabel(*it));
  hop_y_ = new QValueAxis;
  hop_y_->setLabelFormat(QStringLiteral("%d"));
  hop_chart->addAxis(hop_axis, Qt::AlignLeft);
  hop_chart->addAxis(hop_y_, Qt::AlignBottom);
  hop_series->attachAxis(hop_axis);
  hop_series->attachAxis(hop_y_);
  hop_chart->legend()->hide();
  views_[kDropsByHop] = new QChartView(hop_chart);

  // Top rules.
  auto* rule_chart = rule_chart_ = new QChart;
  rule_chart->setTitle(tr("Rules with the most hits (packets)"));
  rule_set_ = new QBarSet(tr("packets"));
  rule_set_->setColor(QColor(60, 110, 200));
  auto* rule_series = rule_series_ = new QHorizontalBarSeries;
  rule_series->append(rule_set_);
  rule_chart->addSeries(rule_series);
  rule_axis_ = new QBarCategoryAxis;
  rule_x_ = new QValueAxis;
  rule_x_->setLabelFormat(QStringLiteral("%d"));
  rule_chart->addAxis(rule_axis_, Qt::AlignLeft);
  rule_chart->addAxis(rule_x_, Qt::AlignBottom);
  rule_series->attachAxis(rule_axis_);
  rule_series->attachAxis(rule_x_);
  rule_chart->legend()->hide();
  views_[kTopRules] = new QChartView(rule_chart);

  // Whole labels: an elided "sg-..." says nothing.
  for (QAbstractAxis* a : {static_cast<QAbstractAxis*>(time_x_), static_cast<QAbstractAxis*>(time_y_),
                           static_cast<QAbstractAxis*>(hop_axis), static_cast<QAbstractAxis*>(hop_y_),
                           static_cast<QAbstractAxis*>(rule_axis_), static_cast<QAbstractAxis*>(rule_x_)}) {
    a->setTruncateLabels(false);
  }
  for (QChartView* v : views_) {
    v->setRenderHint(QPainter::Antialiasing);
    v->setMinimumHeight(compact ? 160 : 220);
  }
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(2, 2, 2, 2);
  layout->addWidget(framed(kOverTime, views_[kOverTime]), 3);
  if (compact) {
    // Half a window wide (the side-by-side comparison): time and drops stacked, smaller text;
    // the rules chart keeps its data (and CSV) but is not shown.
    for (QChartView* v : views_) {
      QFont f = v->chart()->legend()->font();
      f.setPointSizeF(f.pointSizeF() * 0.85);
      v->chart()->legend()->setFont(f);
    }
    views_[kDropsByHop]->setMinimumHeight(210);  // room for all five hop labels
    layout->addWidget(framed(kDropsByHop, views_[kDropsByHop]), 3);
    views_[kTopRules]->hide();
  } else {
    auto* row = new QHBoxLayout;
    row->addWidget(framed(kDropsByHop, views_[kDropsByHop]), 2);
    row->addWidget(framed(kTopRules, views_[kTopRules]), 3);
    layout->addLayout(row, 2);
  }
  clear();
}

QWidget* ChartsPanel::framed(Chart c, QChartView* view) {
  auto* w = new QWidget;
  auto* v = new QVBoxLayout(w);
  v->setContentsMargins(0, 0, 0, 0);
  v->setSpacing(0);
  auto* bar = new QHBoxLayout;
  bar->addStretch();
  for (const bool png : {true, false}) {
    auto* b = new QToolButton;
    b->setText(png ? tr("PNG…") : tr("CSV…"));
    b->setToolTip(png ? tr("Export this chart as a PNG image") : tr("Export this chart's data as CSV"));
    b->setAutoRaise(true);
    connect(b, &QToolButton::clicked, this, [this, c, png] { exportDialog(c, png); });
    bar->addWidget(b);
  }
  v->addLayout(bar);
  v->addWidget(view, 1);
  return w;
}

QString ChartsPanel::chartName(Chart c) {
  switch (c) {
    case kOverTime: return QStringLiteral("flows-over-time");
    case kDropsByHop: return QStringLiteral("drops-by-hop");
    case kTopRules: return QStringLiteral("top-rules");
    default: return QStringLiteral("chart");
  }
}

void ChartsPanel::exportDialog(Chart c, bool png) {
  const QString suffix = png ? QStringLiteral(".png") : QStringLiteral(".csv");
  const QString path = QFileDialog::getSaveFileName(this, png ? tr("Export chart as PNG") : tr("Export chart data as CSV"),
                                                    chartName(c) + suffix,
                                                    png ? tr("PNG images (*.png)") : tr("CSV files (*.csv)"));
  if (path.isEmpty()) return;
  if (png) {
    exportPng(c, path);
  } else {
    exportCsv(c, path);
  }
}

void ChartsPanel::clear() {
  for (QLineSeries* l : lines_) l->clear();
  for (int i = 0; i < hop_set_->count(); ++i) hop_set_->replace(i, 0);
  rule_set_->remove(0, rule_set_->count());
  rule_axis_->clear();
  time_x_->setRange(0, 1);
  setCountRange(time_y_, 1);
  setCountRange(hop_y_, 1);
  setCountRange(rule_x_, 1);
  buckets_.clear();
  totals_ = {};
  top_rules_.clear();
}

void ChartsPanel::showBatch(const ResultBatch& b) {
  bucket_width_ = b.bucket_width;
  buckets_ = b.buckets;
  totals_ = b.totals;

  // Each bucket is drawn as a step across its width (two points: its start and its end), so a
  // bucket's count reads straight off the chart and a run of one bucket still shows.
  std::uint64_t top = 1;
  const double width = std::chrono::duration<double>(bucket_width_).count();
  for (int l = 0; l < kLineCount; ++l) {
    QList<QPointF> points;
    points.reserve(static_cast<qsizetype>(2 * buckets_.size()));
    for (const TimeBucket& bucket : buckets_) {
      const double x = std::chrono::duration<double>(bucket.start).count();
      const std::uint64_t v = lineValue(bucket.counts, l);
      top = std::max(top, v);
      points.append(QPointF(x, static_cast<double>(v)));
      points.append(QPointF(x + width, static_cast<double>(v)));
    }
    lines_[l]->replace(points);
  }
  const double end = buckets_.empty() ? 1.0
                                      : std::chrono::duration<double>(buckets_.back().start + bucket_width_).count();
  time_x_->setRange(0, std::max(end, 1e-3));
  setCountRange(time_y_, top);

  std::uint64_t hop_top = 1;
  for (std::size_t i = 0; i < kHopKinds; ++i) {
    const std::uint64_t v = totals_.drops_at(kHops[i]);
    hop_top = std::max(hop_top, v);
    hop_set_->replace(static_cast<int>(kHopKinds - 1 - i), static_cast<double>(v));  // bottom-up
  }
  setCountRange(hop_y_, hop_top);

  // The busiest rules (and "no rule matched" / final * entries, which decide drops) by packets;
  // ties keep the collector's deterministic order.
  std::vector<RuleHit> hits;
  for (const RuleHit& h : b.hits) {
    if (h.packets > 0) hits.push_back(h);
  }
  std::ranges::stable_sort(hits, std::greater<>{}, &RuleHit::packets);
  if (hits.size() > static_cast<std::size_t>(kTopRuleCount)) hits.resize(kTopRuleCount);
  const bool same = hits.size() == top_rules_.size() &&
                    std::ranges::equal(hits, top_rules_, [](const RuleHit& a, const RuleHit& c) {
                      return a.rule == c.rule && a.group == c.group && a.packets == c.packets;
                    });
  if (!same) {
    top_rules_ = std::move(hits);
    rule_set_->remove(0, rule_set_->count());
    // A new axis rather than new categories on the old one: Qt Charts sizes the label column
    // when an axis is added, so changed categories would be elided to "...".
    rule_series_->detachAxis(rule_axis_);
    rule_chart_->removeAxis(rule_axis_);
    delete rule_axis_;
    rule_axis_ = new QBarCategoryAxis;
    rule_axis_->setTruncateLabels(false);
    std::uint64_t rule_top = 1;
    QStringList categories;
    // Bottom-up in a horizontal bar chart: the busiest last so that it is drawn on top.
    for (auto it = top_rules_.rbegin(); it != top_rules_.rend(); ++it) {
      QString label = shortRule(*it);
      while (categories.contains(label)) label += QLatin1Char(' ');
      categories.append(label);
      rule_set_->append(static_cast<double>(it->packets));
      rule_top = std::max(rule_top, it->packets);
    }
    rule_axis_->append(categories);
    rule_chart_->addAxis(rule_axis_, Qt::AlignLeft);
    rule_series_->attachAxis(rule_axis_);
    setCountRange(rule_x_, rule_top);
  }
}

QStringList ChartsPanel::ruleCategories() const { return rule_axis_->categories(); }

std::string ChartsPanel::csv(Chart c) const {
  std::string out;
  switch (c) {
    case kOverTime:
      io::append_csv_row(out, std::array<std::string, 5>{"bucket_start_s", "request_allowed_flows", "request_dropped_flows",
                                                         "reply_allowed_flows", "reply_dropped_flows"});
      for (const TimeBucket& b : buckets_) {
        std::array<std::string, 5> row{io::seconds_text(b.start)};
        for (int l = 0; l < kLineCount; ++l) row[static_cast<std::size_t>(l) + 1] = std::to_string(lineValue(b.counts, l));
        io::append_csv_row(out, row);
      }
      break;
    case kDropsByHop:
      io::append_csv_row(out, std::array<std::string, 2>{"hop", "dropped_packets"});
      for (Hop h : kHops) {
        io::append_csv_row(out, std::array<std::string, 2>{std::string(to_string(h)), std::to_string(totals_.drops_at(h))});
      }
      break;
    case kTopRules:
      io::append_csv_row(out, std::array<std::string, 5>{"rule", "kind", "direction", "packets", "bytes"});
      for (const RuleHit& h : top_rules_) {
        io::append_csv_row(out, std::array<std::string, 5>{h.rule.empty() ? h.group : h.rule, std::string(to_string(h.kind)),
                                                           std::string(to_string(h.direction)), std::to_string(h.packets),
                                                           std::to_string(h.bytes)});
      }
      break;
    default: break;
  }
  return out;
}

bool ChartsPanel::exportPng(Chart c, const QString& path) const { return views_[c]->grab().save(path, "PNG"); }

bool ChartsPanel::exportCsv(Chart c, const QString& path) const {
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)) return false;
  const std::string data = csv(c);
  return f.write(data.data(), static_cast<qint64>(data.size())) == static_cast<qint64>(data.size());
}

}  // namespace vpcsim::gui
