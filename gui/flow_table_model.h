// The flow table: one row per finished flow of the run (FlowCollector records arriving in
// batches), and a proxy that filters by instance, port, verdict and direction.
#pragma once

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>

#include <deque>
#include <memory>
#include <vector>

#include "gui/result_source.h"

namespace vpcsim::gui {

class FlowTableModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { kId, kName, kStart, kClient, kServer, kTraffic, kRequest, kReply, kWhere, kColumnCount };
  // Roles the filter uses.
  enum Role { kClientRole = Qt::UserRole + 1, kServerRole, kPortRole, kRequestVerdictRole, kReplyVerdictRole };

  using QAbstractTableModel::QAbstractTableModel;

  // Appends the batch's flows; a batch of a new run clears the table first.
  void addBatch(const ResultBatch& batch);
  void clear();

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

  const FlowRecord& record(int row) const { return rows_.at(static_cast<std::size_t>(row)); }
  const std::string& text(std::uint32_t index) const { return texts_.at(index); }
  const Scenario* scenario() const { return scenario_.get(); }
  FilteringModel model() const { return model_; }
  // The flow's name: the scenario flow's, or "<generator> #id".
  QString flowName(const FlowRecord& r) const;
  // "allowed", "DROPPED at sg-egress of web (eni-web): <rule>", "not sent".
  QString directionText(const FlowDirectionRecord& d) const;
  // The row of a flow id, or -1.
  int rowOf(std::uint64_t flow_id) const;

 // The instance's or internet host's name.
  QString endpointName(const Endpoint& e) const;

 private:

  std::shared_ptr<const Scenario> scenario_;
  FilteringModel model_ = FilteringModel::kStateless;
  std::uint64_t run_ = 0;
  // A deque: a million rows grow without the copy of a vector reallocation on the UI thread.
  std::deque<FlowRecord> rows_;
  std::vector<std::string> texts_;
};

// Filters rows: instance (client or server name contains it), port (the server port),
// verdict (any direction dropped / worked), direction (which direction the verdict applies to).
class FlowFilterProxy : public QSortFilterProxyModel {
  Q_OBJECT
 public:
  enum class Verdict { kAny, kWorked, kDropped };
  enum class Which { kEither, kRequest, kReply };

  using QSortFilterProxyModel::QSortFilterProxyModel;
  void setInstance(const QString& text);
  void setPort(const QString& text);  // "" for any, else a number
  void setVerdict(Verdict v);
  void setDirection(Which w);

 protected:
  bool filterAcceptsRow(int source_row, const QModelIndex& source_parent) const override;
  bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

 private:
  QString instance_;
  int port_ = -1;
  Verdict verdict_ = Verdict::kAny;
  Which which_ = Which::kEither;
};

}  // namespace vpcsim::gui
