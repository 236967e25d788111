#include "model/topology_layout.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/model/network_builder.h"

namespace vpcsim {
namespace {

using namespace vpcsim::test;

bool inside(const LayoutBox& inner, const LayoutBox& outer) {
  return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width &&
         inner.y + inner.height <= outer.y + outer.height;
}
bool overlap(const LayoutBox& a, const LayoutBox& b) {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

class TopologyLayoutTest : public ::testing::Test {
 protected:
  TopologyLayoutTest() {
    b.internet_gateway();
    b.associate(priv, acl_private);
  }
  NetworkBuilder b;
  SubnetId pub = b.subnet("subnet-public", "10.0.1.0/24", true);
  SubnetId priv = b.subnet("subnet-private", "10.0.2.0/24");
  NaclId acl_private = b.nacl("acl-private");
  SgId sg_default = b.net().vpc.default_sg;
  SgId sg_web = b.sg("sg-web");
  SgId sg_db = b.sg("sg-db");
  EniId web = b.instance("web", pub, "10.0.1.10", {sg_web});
  EniId web2 = b.instance("web2", pub, "10.0.1.11", {sg_web, sg_default});
  EniId db = b.instance("db", priv, "10.0.2.10", {sg_db});
  EniId db_mgmt = b.attach_eni(b.net().eni(db).instance, "eni-db-mgmt", pub, "10.0.1.20", {sg_default});
  ExternalHostId admin = b.external_host("admin", "198.51.100.7");
};

TEST_F(TopologyLayoutTest, NestsInstancesInTheSubnetOfTheirPrimaryInterface) {
  const Topology t = Topology::build(b.net());
  const TopologyLayout layout = layered_layout(t);
  const LayoutBox* vpc = layout.find(t.vpc());
  const LayoutBox* public_subnet = layout.find(t.vertex(pub));
  const LayoutBox* private_subnet = layout.find(t.vertex(priv));
  ASSERT_NE(vpc, nullptr);
  ASSERT_NE(public_subnet, nullptr);
  ASSERT_NE(private_subnet, nullptr);
  EXPECT_TRUE(inside(*public_subnet, *vpc));
  EXPECT_TRUE(inside(*private_subnet, *vpc));
  EXPECT_FALSE(overlap(*public_subnet, *private_subnet));
  for (const auto& [eni, subnet] : {std::pair{web, public_subnet}, {web2, public_subnet}, {db, private_subnet}}) {
    const LayoutBox* inst = layout.find(t.vertex(b.net().eni(eni).instance));
    ASSERT_NE(inst, nullptr);
    EXPECT_TRUE(inside(*inst, *subnet)) << t.props(inst->vertex).label;
    EXPECT_EQ(inst->parent, layout.index_of(*subnet));
  }
  // db appears once although its second interface sits in the public subnet.
  int db_boxes = 0;
  for (const LayoutBox& box : layout.boxes) db_boxes += box.vertex == t.vertex(b.net().eni(db).instance);
  EXPECT_EQ(db_boxes, 1);
}

TEST_F(TopologyLayoutTest, BadgesShowEachInstancesGroupsAndEachSubnetsAcl) {
  const Topology t = Topology::build(b.net());
  const TopologyLayout layout = layered_layout(t);
  const LayoutBox* web2_box = layout.find(t.vertex(b.net().eni(web2).instance));
  ASSERT_NE(web2_box, nullptr);
  const std::size_t web2_index = layout.index_of(*web2_box);
  const LayoutBox* web_badge = layout.badge(t.vertex(sg_web), web2_index);
  const LayoutBox* default_badge = layout.badge(t.vertex(sg_default), web2_index);
  ASSERT_NE(web_badge, nullptr);
  ASSERT_NE(default_badge, nullptr);
  EXPECT_TRUE(inside(*web_badge, *web2_box));
  EXPECT_FALSE(overlap(*web_badge, *default_badge));
  // db's groups include that of its second interface.
  const LayoutBox* db_box = layout.find(t.vertex(b.net().eni(db).instance));
  EXPECT_NE(layout.badge(t.vertex(sg_default), layout.index_of(*db_box)), nullptr);
  const LayoutBox* acl = layout.badge(t.vertex(acl_private), layout.index_of(*layout.find(t.vertex(priv))));
  ASSERT_NE(acl, nullptr);
  EXPECT_EQ(acl->kind, VertexKind::kNetworkAcl);
}

TEST_F(TopologyLayoutTest, InternetAboveTheVpcAndEverythingWithinTheCanvas) {
  const Topology t = Topology::build(b.net());
  const TopologyLayout layout = layered_layout(t);
  const LayoutBox* igw = layout.find(*t.internet_gateway());
  const LayoutBox* host = layout.find(t.vertex(admin));
  const LayoutBox* vpc = layout.find(t.vpc());
  ASSERT_NE(igw, nullptr);
  ASSERT_NE(host, nullptr);
  EXPECT_LT(host->y + host->height, igw->y);
  EXPECT_LT(igw->y + igw->height, vpc->y);
  for (const LayoutBox& box : layout.boxes) {
    EXPECT_GE(box.x, 0);
    EXPECT_GE(box.y, 0);
    EXPECT_LE(box.x + box.width, layout.width);
    EXPECT_LE(box.y + box.height, layout.height);
    if (box.parent) {
      EXPECT_LT(*box.parent, layout.index_of(box));
    }
  }
}

TEST_F(TopologyLayoutTest, SameNetworkSameLayout) {
  const TopologyLayout a = layered_layout(Topology::build(b.net()));
  const TopologyLayout c = layered_layout(Topology::build(b.net()));
  ASSERT_EQ(a.boxes.size(), c.boxes.size());
  for (std::size_t i = 0; i < a.boxes.size(); ++i) {
    EXPECT_EQ(a.boxes[i].vertex, c.boxes[i].vertex);
    EXPECT_EQ(a.boxes[i].x, c.boxes[i].x);
    EXPECT_EQ(a.boxes[i].y, c.boxes[i].y);
  }
}

}  // namespace
}  // namespace vpcsim
