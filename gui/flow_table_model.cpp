#include "gui/flow_table_model.h"

#include <QBrush>
#include <QColor>

#include "model/endpoint.h"

namespace vpcsim::gui {

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }


}  // namespace

void FlowTableModel::clear() {
  beginResetModel();
  rows_.clear();
  texts_.clear();
  endResetModel();
}

void FlowTableModel::addBatch(const ResultBatch& b) {
  if (b.run != run_ || b.scenario != scenario_) {
    beginResetModel();
    rows_.clear();
    texts_.clear();
    run_ = b.run;
    scenario_ = b.scenario;
    model_ = b.model;
    endResetModel();
  }
  // Texts first: the new rows refer to them.
  if (b.first_text == texts_.size()) texts_.insert(texts_.end(), b.texts.begin(), b.texts.end());
  if (b.flows.empty()) return;
  const int first = static_cast<int>(rows_.size());
  beginInsertRows({}, first, first + static_cast<int>(b.flows.size()) - 1);
  rows_.insert(rows_.end(), b.flows.begin(), b.flows.end());
  endInsertRows();
}

int FlowTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}
int FlowTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : kColumnCount; }

QString FlowTableModel::endpointText(const Endpoint& e) const {
  if (!scenario_) return {};
  const Network& net = scenario_->network;
  if (const auto eni = as_eni(e)) return q(net.instance(net.eni(*eni).instance).name);
  return q(net.external_host(std::get<ExternalHostId>(e)).name);
}

QString FlowTableModel::flowName(const FlowRecord& r) const {
  if (!scenario_) return {};
  if (!r.generated && r.source < scenario_->flows.size()) return q(scenario_->flows[r.source].name);
  if (r.generated && r.source < scenario_->generators.size()) {
    return QStringLiteral("%1 #%2").arg(q(scenario_->generators[r.source].name)).arg(r.id);
  }
  return QStringLiteral("#%1").arg(r.id);
}

QString FlowTableModel::directionText(const FlowDirectionRecord& d) const {
  if (d.verdict == DirectionVerdict::kAllowed) return QStringLiteral("allowed");
  if (d.verdict == DirectionVerdict::kNotSent) return QStringLiteral("not sent");
  if (!d.first_drop) return QStringLiteral("DROPPED");
  const DropRecord& drop = *d.first_drop;
  QString s = QStringLiteral("DROPPED at %1 of %2").arg(q(std::string(to_string(drop.hop))), q(text(drop.location)));
  const std::string& rule = text(drop.rule);
  s += rule.empty() ? QStringLiteral(": %1").arg(q(std::string(to_string(drop.reason)))) : QStringLiteral(": %1").arg(q(rule));
  return s;
}

int FlowTableModel::rowOf(std::uint64_t flow_id) const {
  for (std::size_t i = 0; i < rows_.size(); ++i) {
    if (rows_[i].id == flow_id) return static_cast<int>(i);
  }
  return -1;
}

QVariant FlowTableModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount()) return {};
  const FlowRecord& r = rows_[static_cast<std::size_t>(index.row())];
  const auto verdict_text = [](DirectionVerdict v) { return q(std::string(to_string(v))); };
  switch (role) {
    case Qt::DisplayRole:
      switch (index.column()) {
        case kId: return QVariant::fromValue<qulonglong>(r.id);
        case kName: return flowName(r);
        case kStart: return q(format_time(r.start));
        case kClient: return endpointText(r.client);
        case kServer: return endpointText(r.server);
        case kTraffic: return q(r.first_packet.to_string());
        case kRequest: return verdict_text(r.request.verdict);
        case kReply: return verdict_text(r.reply.verdict);
        case kWhere: {
          const FlowDirectionRecord& d = r.request.first_drop ? r.request : r.reply;
          return d.first_drop ? q(std::string(to_string(d.first_drop->hop))) : QString();
        }
        default: return {};
      }
      return {};
    case Qt::ToolTipRole:
      return QStringLiteral("request: %1\nreply: %2").arg(directionText(r.request), directionText(r.reply));
    case Qt::ForegroundRole:
      if (index.column() == kRequest || index.column() == kReply) {
        const DirectionVerdict v = index.column() == kRequest ? r.request.verdict : r.reply.verdict;
        if (v == DirectionVerdict::kDropped) return QBrush(QColor(200, 30, 30));
        if (v == DirectionVerdict::kAllowed) return QBrush(QColor(20, 130, 50));
      }
      return {};
    case kClientRole: return endpointText(r.client);
    case kServerRole: return endpointText(r.server);
    case kPortRole: return r.first_packet.dst_port;
    case kRequestVerdictRole: return static_cast<int>(r.request.verdict);
    case kReplyVerdictRole: return static_cast<int>(r.reply.verdict);
    case Qt::UserRole: return QVariant::fromValue<qulonglong>(r.id);
    default: return {};
  }
}

QVariant FlowTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  static const char* const kNames[] = {"id", "flow", "start", "client", "server", "traffic", "request", "reply", "dropped at"};
  return section >= 0 && section < kColumnCount ? QString::fromLatin1(kNames[section]) : QVariant();
}

void FlowFilterProxy::setInstance(const QString& text) {
  instance_ = text.trimmed();
  invalidateFilter();
}
void FlowFilterProxy::setPort(const QString& text) {
  bool ok = false;
  const int p = text.trimmed().toInt(&ok);
  port_ = ok ? p : -1;
  invalidateFilter();
}
void FlowFilterProxy::setVerdict(Verdict v) {
  verdict_ = v;
  invalidateFilter();
}
void FlowFilterProxy::setDirection(Which w) {
  which_ = w;
  invalidateFilter();
}

bool FlowFilterProxy::filterAcceptsRow(int source_row, const QModelIndex& source_parent) const {
  const QModelIndex i = sourceModel()->index(source_row, 0, source_parent);
  if (!instance_.isEmpty()) {
    const QString c = i.data(FlowTableModel::kClientRole).toString();
    const QString s = i.data(FlowTableModel::kServerRole).toString();
    if (!c.contains(instance_, Qt::CaseInsensitive) && !s.contains(instance_, Qt::CaseInsensitive)) return false;
  }
  if (port_ >= 0 && i.data(FlowTableModel::kPortRole).toInt() != port_) return false;
  if (verdict_ == Verdict::kAny) return true;
  const auto dropped = [&](int role) {
    return static_cast<DirectionVerdict>(i.data(role).toInt()) == DirectionVerdict::kDropped;
  };
  const auto allowed = [&](int role) {
    return static_cast<DirectionVerdict>(i.data(role).toInt()) == DirectionVerdict::kAllowed;
  };
  const bool want_drop = verdict_ == Verdict::kDropped;
  const auto matches = [&](int role) { return want_drop ? dropped(role) : allowed(role); };
  switch (which_) {
    case Which::kRequest: return matches(FlowTableModel::kRequestVerdictRole);
    case Which::kReply: return matches(FlowTableModel::kReplyVerdictRole);
    case Which::kEither:
      if (want_drop) return matches(FlowTableModel::kRequestVerdictRole) || matches(FlowTableModel::kReplyVerdictRole);
      return matches(FlowTableModel::kRequestVerdictRole) && matches(FlowTableModel::kReplyVerdictRole);
  }
  return true;
}

bool FlowFilterProxy::lessThan(const QModelIndex& left, const QModelIndex& right) const {
  if (left.column() == FlowTableModel::kId || left.column() == FlowTableModel::kStart) {
    // Numeric: ids, and start times through the records' ids (flows start in id order).
    return left.siblingAtColumn(FlowTableModel::kId).data().toULongLong() <
           right.siblingAtColumn(FlowTableModel::kId).data().toULongLong();
  }
  return QSortFilterProxyModel::lessThan(left, right);
}

}  // namespace vpcsim::gui
