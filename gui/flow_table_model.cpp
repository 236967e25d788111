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

QString FlowTableModel::endpointName(const Endpoint& e) const {
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
  // A record from a server (RemoteSource) holds the whole explanation once, as both texts.
  if (drop.location != 0 && drop.location == drop.rule)
    return QStringLiteral("DROPPED at %1: %2").arg(q(std::string(to_string(drop.hop))), q(text(drop.location)));
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
        case kClient: return endpointName(r.client);
        case kServer: return endpointName(r.server);
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
    case kClientRole: return endpointName(r.client);
    case kServerRole: return endpointName(r.server);
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

// Filtering and sorting read the records directly rather than through data(): a
// million-row run inserts rows in batches, and the proxy calls these for every new row (and
// lessThan log n times per row) on the UI thread.
bool FlowFilterProxy::filterAcceptsRow(int source_row, const QModelIndex& source_parent) const {
  if (source_parent.isValid()) return false;
  const auto* m = static_cast<const FlowTableModel*>(sourceModel());
  const FlowRecord& r = m->record(source_row);
  if (port_ >= 0 && r.first_packet.dst_port != port_) return false;
  if (!instance_.isEmpty() && !m->endpointName(r.client).contains(instance_, Qt::CaseInsensitive) &&
      !m->endpointName(r.server).contains(instance_, Qt::CaseInsensitive)) {
    return false;
  }
  if (verdict_ == Verdict::kAny) return true;
  const DirectionVerdict want = verdict_ == Verdict::kDropped ? DirectionVerdict::kDropped : DirectionVerdict::kAllowed;
  switch (which_) {
    case Which::kRequest: return r.request.verdict == want;
    case Which::kReply: return r.reply.verdict == want;
    case Which::kEither:
      // Dropped either way; worked: both ways.
      if (want == DirectionVerdict::kDropped) return r.request.verdict == want || r.reply.verdict == want;
      return r.request.verdict == want && r.reply.verdict == want;
  }
  return true;
}

bool FlowFilterProxy::lessThan(const QModelIndex& left, const QModelIndex& right) const {
  const auto* m = static_cast<const FlowTableModel*>(sourceModel());
  const FlowRecord& a = m->record(left.row());
  const FlowRecord& b = m->record(right.row());
  switch (left.column()) {
    case FlowTableModel::kId: return a.id < b.id;
    case FlowTableModel::kStart: return a.start != b.start ? a.start < b.start : a.id < b.id;
    case FlowTableModel::kRequest: return a.request.verdict < b.request.verdict;
    case FlowTableModel::kReply: return a.reply.verdict < b.reply.verdict;
    default: return QSortFilterProxyModel::lessThan(left, right);
  }
}

}  // namespace vpcsim::gui
