#include "gui/topology_view.h"

#include <QGraphicsEllipseItem>
#include <QGraphicsRectItem>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QMouseEvent>
#include <QPainterPath>
#include <QVariantAnimation>

#include <cmath>

namespace vpcsim::gui {

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

constexpr int kKindKey = 0;    // item data: the VertexKind
constexpr int kObjectKey = 1;  // item data: the object's index

struct Style {
  QColor fill;
  QColor border;
};

Style styleOf(VertexKind k) {
  switch (k) {
    case VertexKind::kVpc: return {QColor(245, 248, 255), QColor(90, 110, 160)};
    case VertexKind::kSubnet: return {QColor(232, 242, 232), QColor(90, 140, 90)};
    case VertexKind::kInstance: return {QColor(255, 255, 255), QColor(80, 80, 80)};
    case VertexKind::kSecurityGroup: return {QColor(255, 236, 200), QColor(200, 130, 30)};
    case VertexKind::kNetworkAcl: return {QColor(225, 225, 250), QColor(100, 100, 190)};
    case VertexKind::kInternetGateway: return {QColor(230, 230, 230), QColor(90, 90, 90)};
    default: return {QColor(250, 250, 235), QColor(120, 120, 90)};
  }
}

std::uint32_t objectIndex(const ObjectId& id) {
  return std::visit([](const auto& v) { return static_cast<std::uint32_t>(v.value); }, id);
}

}  // namespace

TopologyView::TopologyView(QWidget* parent) : QGraphicsView(parent), scene_(new QGraphicsScene(this)) {
  setScene(scene_);
  setRenderHint(QPainter::Antialiasing);
  setDragMode(QGraphicsView::ScrollHandDrag);
  setBackgroundBrush(Qt::white);
  animation_ = new QVariantAnimation(this);
  animation_->setStartValue(0.0);
  animation_->setEndValue(1.0);
  animation_->setDuration(600);
  connect(animation_, &QVariantAnimation::valueChanged, this, [this](const QVariant& v) {
    if (dot_ == nullptr || path_.size() < 2) return;
    // Position along the polyline by length.
    double total = 0;
    for (int i = 1; i < path_.size(); ++i) total += QLineF(path_[i - 1], path_[i]).length();
    double left = v.toDouble() * total;
    for (int i = 1; i < path_.size(); ++i) {
      const QLineF seg(path_[i - 1], path_[i]);
      if (left <= seg.length() || i == path_.size() - 1) {
        dot_->setPos(seg.pointAt(seg.length() > 0 ? std::min(1.0, left / seg.length()) : 1.0));
        return;
      }
      left -= seg.length();
    }
  });
}

void TopologyView::setNetwork(const Network& net) {
  own_net_ = net;
  net_ = &*own_net_;
  topology_ = Topology::build(*net_);
  layout_ = layered_layout(*topology_);
  scene_->clear();
  packet_items_.clear();
  dot_ = nullptr;
  path_.clear();
  for (const LayoutBox& b : layout_.boxes) {
    const VertexProps& props = topology_->props(b.vertex);
    const Style st = styleOf(b.kind);
    const bool badge = b.kind == VertexKind::kSecurityGroup || b.kind == VertexKind::kNetworkAcl;
    auto* rect = scene_->addRect(QRectF(b.x, b.y, b.width, b.height), QPen(st.border, badge ? 1 : 1.5), QBrush(st.fill));
    rect->setData(kKindKey, static_cast<int>(b.kind));
    rect->setData(kObjectKey, objectIndex(props.id));
    rect->setZValue(badge ? 3 : static_cast<double>(b.parent ? 1 : 0));
    QString label = q(props.label);
    QString tip = label;
    switch (b.kind) {
      case VertexKind::kVpc: {
        QStringList blocks;
        for (const Cidr& c : net_->vpc.ipv4_cidrs) blocks << q(c.to_string());
        label = QStringLiteral("VPC %1  %2").arg(label, blocks.join(QStringLiteral(", ")));
        break;
      }
      case VertexKind::kSubnet: {
        const Subnet& s = net_->subnet(props.as<SubnetId>());
        // An IPv6-only subnet has only its IPv6 block to show.
        const QString block = s.ipv4_cidr   ? q(s.ipv4_cidr->to_string())
                              : s.ipv6_cidr ? q(s.ipv6_cidr->to_string()) + QStringLiteral(" (IPv6-only)")
                                            : QString();
        label =
            QStringLiteral("%1  %2%3").arg(label, block, s.internet_route ? QStringLiteral("  (public)") : QString());
        break;
      }
      case VertexKind::kInstance: {
        const Instance& inst = net_->instance(props.as<InstanceId>());
        const Eni& eni = net_->eni(inst.enis.front());
        tip = QStringLiteral("%1 — click for its security groups and rules").arg(label);
        const auto address = eni.display_address();
        label = QStringLiteral("%1  %2").arg(label, address ? q(address->to_string()) : QString());
        break;
      }
      case VertexKind::kExternalHost:
        label = QStringLiteral("%1\n%2").arg(label, q(net_->external_host(props.as<ExternalHostId>()).address.to_string()));
        break;
      case VertexKind::kInternetGateway: label = QStringLiteral("internet gateway"); break;
      case VertexKind::kNetworkAcl: label = QStringLiteral("ACL %1").arg(label); break;
      default: break;
    }
    rect->setToolTip(tip);
    auto* text = scene_->addSimpleText(label);
    QFont f = text->font();
    f.setPointSizeF(badge ? 7.5 : 9);
    f.setBold(!badge && b.kind != VertexKind::kInstance);
    text->setFont(f);
    // Badges: shrink the label to fit.
    const double room = b.width - 6;
    if (text->boundingRect().width() > room && badge) {
      f.setPointSizeF(f.pointSizeF() * room / text->boundingRect().width());
      text->setFont(f);
    }
    text->setPos(b.x + 4, b.y + (badge ? (b.height - text->boundingRect().height()) / 2 : 4));
    text->setZValue(rect->zValue() + 0.5);
    text->setAcceptedMouseButtons(Qt::NoButton);
  }
  // Routes: the gateway to the VPC, internet hosts to the gateway.
  if (const auto igw = topology_->internet_gateway()) {
    const LayoutBox* g = layout_.find(*igw);
    const LayoutBox* v = layout_.find(topology_->vpc());
    QPen pen(QColor(120, 120, 120), 1.5, Qt::DashLine);
    scene_->addLine(g->centre_x(), g->y + g->height, v->centre_x(), v->y, pen)->setZValue(-1);
    for (const LayoutBox& b : layout_.boxes) {
      if (b.kind == VertexKind::kExternalHost) {
        scene_->addLine(b.centre_x(), b.y + b.height, g->centre_x(), g->y, pen)->setZValue(-1);
      }
    }
  }
  scene_->setSceneRect(QRectF(0, 0, layout_.width, layout_.height));
  fit();
}

void TopologyView::fit() {
  if (scene_->sceneRect().isEmpty()) return;
  fitInView(scene_->sceneRect().adjusted(-10, -10, 10, 10), Qt::KeepAspectRatio);
}

void TopologyView::resizeEvent(QResizeEvent* e) {
  QGraphicsView::resizeEvent(e);
  fit();
}

std::optional<QPointF> TopologyView::centreOf(const ObjectId& id) const {
  if (!topology_) return std::nullopt;
  const auto v = topology_->find(id);
  if (!v) return std::nullopt;
  const LayoutBox* b = layout_.find(*v);
  if (b == nullptr) return std::nullopt;
  return QPointF(b->centre_x(), b->centre_y());
}

std::optional<QPointF> TopologyView::endpointPoint(const Endpoint& e) const {
  if (const auto eni = as_eni(e)) return centreOf(ObjectId(net_->eni(*eni).instance));
  return centreOf(ObjectId(std::get<ExternalHostId>(e)));
}

std::optional<QPointF> TopologyView::hopPoint(const HopResult& h, const Endpoint& from, const Endpoint& to) const {
  if (!topology_) return std::nullopt;
  if (h.hop == Hop::kRoute) return centreOf(ObjectId(InternetGatewayId(0)));
  if (h.nacl) {
    // The ACL badge inside the subnet the hop filters.
    const auto acl = topology_->find(ObjectId(*h.nacl));
    const auto subnet = h.subnet ? topology_->find(ObjectId(*h.subnet)) : std::nullopt;
    if (acl && subnet) {
      if (const LayoutBox* sb = layout_.find(*subnet)) {
        if (const LayoutBox* badge = layout_.badge(*acl, layout_.index_of(*sb))) {
          return QPointF(badge->centre_x(), badge->centre_y());
        }
      }
    }
    return std::nullopt;
  }
  if (h.eni) {
    // The first SG badge of the instance: where its groups sit.
    const InstanceId inst = net_->eni(*h.eni).instance;
    const auto v = topology_->find(ObjectId(inst));
    if (!v) return std::nullopt;
    const LayoutBox* ib = layout_.find(*v);
    if (ib == nullptr) return std::nullopt;
    for (const LayoutBox& b : layout_.boxes) {
      if (b.parent == layout_.index_of(*ib) && b.kind == VertexKind::kSecurityGroup) return QPointF(b.centre_x(), b.centre_y());
    }
    return QPointF(ib->centre_x(), ib->centre_y());
  }
  (void)from;
  (void)to;
  return std::nullopt;
}

void TopologyView::showPacket(const std::optional<SteppedPacket>& p) {
  for (QGraphicsItem* i : packet_items_) {
    scene_->removeItem(i);
    delete i;
  }
  packet_items_.clear();
  dot_ = nullptr;
  path_.clear();
  dropped_ = false;
  animation_->stop();
  if (!p || net_ == nullptr) return;
  if (const auto start = endpointPoint(p->from)) path_.append(*start);
  for (const HopResult& h : p->trace.hops) {
    if (h.outcome == Outcome::kSkipped) continue;
    if (const auto pt = hopPoint(h, p->from, p->to)) path_.append(*pt);
  }
  dropped_ = !p->trace.delivered();
  if (!dropped_) {
    if (const auto end = endpointPoint(p->to)) path_.append(*end);
  }
  if (path_.size() < 2) return;
  const QColor green(30, 160, 60);
  const QColor red(210, 30, 30);
  QPainterPath line(path_.front());
  for (int i = 1; i < path_.size(); ++i) line.lineTo(path_[i]);
  auto* path_item = scene_->addPath(line, QPen(green, 3, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
  path_item->setZValue(5);
  packet_items_.append(path_item);
  if (dropped_) {
    const QPointF x = path_.back();
    auto* cross = scene_->addPath(QPainterPath(), QPen(red, 4));
    QPainterPath cp;
    cp.moveTo(x + QPointF(-9, -9));
    cp.lineTo(x + QPointF(9, 9));
    cp.moveTo(x + QPointF(9, -9));
    cp.lineTo(x + QPointF(-9, 9));
    cross->setPath(cp);
    cross->setZValue(7);
    packet_items_.append(cross);
  }
  dot_ = scene_->addEllipse(QRectF(-7, -7, 14, 14), QPen(Qt::black), QBrush(dropped_ ? red : green));
  dot_->setZValue(8);
  dot_->setPos(path_.front());
  dot_->setToolTip(QStringLiteral("%1 %2").arg(p->reply ? QStringLiteral("reply") : QStringLiteral("request"),
                                               QString::fromStdString(p->label)));
  packet_items_.append(dot_);
  animation_->start();
}

void TopologyView::mousePressEvent(QMouseEvent* e) {
  for (QGraphicsItem* item : items(e->position().toPoint())) {
    const QVariant kind = item->data(kKindKey);
    if (!kind.isValid()) continue;
    const auto k = static_cast<VertexKind>(kind.toInt());
    const std::uint32_t index = item->data(kObjectKey).toUInt();
    if (k == VertexKind::kSecurityGroup) {
      emit securityGroupClicked(SgId(index));
      break;
    }
    if (k == VertexKind::kNetworkAcl) {
      emit networkAclClicked(NaclId(index));
      break;
    }
    if (k == VertexKind::kInstance) {
      emit instanceClicked(InstanceId(index));
      break;
    }
  }
  QGraphicsView::mousePressEvent(e);
}

}  // namespace vpcsim::gui
