// The network drawn from its Boost.Graph topology (model/topology_layout.h): the internet, the
// gateway, the VPC with its subnets and instances, SG and ACL badges. In step mode the packet
// just judged is drawn along its path, green while it passes, red at the hop that dropped it.
#pragma once

#include <QGraphicsView>

#include <optional>

#include "gui/result_source.h"
#include "model/topology.h"
#include "model/topology_layout.h"

class QGraphicsEllipseItem;
class QVariantAnimation;

namespace vpcsim::gui {

class TopologyView : public QGraphicsView {
  Q_OBJECT
 public:
  explicit TopologyView(QWidget* parent = nullptr);

  void setNetwork(const Network& net);
  // Draws the packet's path; nullopt clears it.
  void showPacket(const std::optional<SteppedPacket>& p);
  // The path of the packet drawn last (scene points, in hop order) and where it stopped.
  const QList<QPointF>& packetPath() const { return path_; }
  bool packetDropped() const { return dropped_; }
  const TopologyLayout& layout() const { return layout_; }
  void fit();

 signals:
  void instanceClicked(vpcsim::InstanceId id);
  void securityGroupClicked(vpcsim::SgId id);
  void networkAclClicked(vpcsim::NaclId id);

 protected:
  void mousePressEvent(QMouseEvent* e) override;
  void resizeEvent(QResizeEvent* e) override;

 private:
  // Where a hop is drawn: the SG badge of the interface, the ACL badge of the subnet, the gateway.
  std::optional<QPointF> hopPoint(const HopResult& h, const Endpoint& from, const Endpoint& to) const;
  std::optional<QPointF> endpointPoint(const Endpoint& e) const;
  std::optional<QPointF> centreOf(const ObjectId& id) const;

  QGraphicsScene* scene_;
  std::optional<Topology> topology_;
  const Network* net_ = nullptr;  // the scenario's, owned by the caller and kept alive with it
  std::optional<Network> own_net_;
  TopologyLayout layout_;
  QList<QGraphicsItem*> packet_items_;
  QGraphicsEllipseItem* dot_ = nullptr;
  QVariantAnimation* animation_ = nullptr;
  QList<QPointF> path_;
  bool dropped_ = false;
};

}  // namespace vpcsim::gui
