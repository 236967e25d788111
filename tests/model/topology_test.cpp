#include "model/topology.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <stdexcept>
#include <vector>

#include "tests/model/network_builder.h"

namespace vpcsim {
namespace {

using namespace vpcsim::test;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;
using V = Topology::Vertex;

// A public and a private subnet; web and web2 in the public one, db in the private one with a
// second (management) interface in the public subnet. sg-web admits SSH from a prefix list,
// sg-db talks to sg-web both ways, the default group references itself.
class TopologyTest : public ::testing::Test {
 protected:
  TopologyTest() {
    b.internet_gateway();
    b.associate(priv, acl_private);
    b.ingress(sg_web, tcp(22), corp);
    b.ingress(sg_web, tcp(80), cidr("0.0.0.0/0"));
    b.ingress(sg_db, tcp(5432), sg_web);
    b.egress(sg_db, tcp(8080), sg_web);
  }
  Topology build() const { return Topology::build(b.net()); }
  std::vector<std::string> labels(const Topology& t, const std::vector<V>& vs) const {
    std::vector<std::string> out;
    for (const V v : vs) out.push_back(t.props(v).label);
    return out;
  }

  NetworkBuilder b;
  SubnetId pub = b.subnet("subnet-public", "10.0.1.0/24", true);
  SubnetId priv = b.subnet("subnet-private", "10.0.2.0/24");
  NaclId acl_private = b.nacl("acl-private");
  PrefixListId corp = b.prefix_list("pl-corp", {"192.0.2.0/24"});
  SgId sg_default = b.net().vpc.default_sg;
  SgId sg_web = b.sg("sg-web");
  SgId sg_db = b.sg("sg-db");
  EniId web = b.instance("web", pub, "10.0.1.10", {sg_web});
  EniId web2 = b.instance("web2", pub, "10.0.1.11", {sg_web, sg_default});
  EniId db = b.instance("db", priv, "10.0.2.10", {sg_db});
  EniId db_mgmt = b.attach_eni(b.net().eni(db).instance, "eni-db-mgmt", pub, "10.0.1.20", {sg_default});
  ExternalHostId admin = b.external_host("admin", "198.51.100.7");
  ExternalHostId partner = b.external_host("partner", "192.0.2.44");
};

TEST_F(TopologyTest, CountsVerticesPerKind) {
  const Topology t = build();
  EXPECT_EQ(t.count(VertexKind::kVpc), 1u);
  EXPECT_EQ(t.count(VertexKind::kSubnet), 2u);
  EXPECT_EQ(t.count(VertexKind::kNetworkAcl), 2u);
  EXPECT_EQ(t.count(VertexKind::kInstance), 3u);
  EXPECT_EQ(t.count(VertexKind::kEni), 4u);
  EXPECT_EQ(t.count(VertexKind::kSecurityGroup), 3u);
  EXPECT_EQ(t.count(VertexKind::kPrefixList), 1u);
  EXPECT_EQ(t.count(VertexKind::kInternetGateway), 1u);
  EXPECT_EQ(t.count(VertexKind::kExternalHost), 2u);
  EXPECT_EQ(boost::num_vertices(t.graph()), 19u);
}

TEST_F(TopologyTest, CountsEdgesPerKind) {
  const Topology t = build();
  EXPECT_EQ(t.count(EdgeKind::kContains), 10u);   // vpc->2 subnets, subnet->4 ENIs, instance->4 ENIs
  EXPECT_EQ(t.count(EdgeKind::kAttached), 8u);    // 2 ACLs, 5 group attachments, the gateway
  EXPECT_EQ(t.count(EdgeKind::kReferences), 4u);  // default->itself, web->pl, db->web twice
  EXPECT_EQ(t.count(EdgeKind::kRoutes), 3u);      // public subnet->igw, igw->2 hosts
  EXPECT_EQ(boost::num_edges(t.graph()), 25u);
}

TEST_F(TopologyTest, VertexCarriesKindIdAndLabel) {
  const Topology t = build();
  const VertexProps& eni = t.props(t.vertex(web2));
  EXPECT_EQ(eni.kind(), VertexKind::kEni);
  EXPECT_EQ(eni.as<EniId>(), web2);
  EXPECT_EQ(eni.label, "eni-web2");
  EXPECT_EQ(t.props(t.vertex(b.net().eni(db).instance)).label, "db");
  EXPECT_EQ(t.props(t.vertex(sg_db)).as<SgId>(), sg_db);
  EXPECT_EQ(t.props(t.vertex(admin)).label, "admin");
  EXPECT_EQ(t.props(t.vpc()).label, "vpc-test");
  ASSERT_TRUE(t.internet_gateway().has_value());
  EXPECT_EQ(t.props(*t.internet_gateway()).kind(), VertexKind::kInternetGateway);
  EXPECT_EQ(t.vertex(Endpoint{partner}), t.vertex(partner));
  EXPECT_EQ(t.vertex(Endpoint{db}), t.vertex(db));
  EXPECT_EQ(t.vertex(ObjectId{sg_web}), t.vertex(sg_web));
  EXPECT_EQ(kind_of<PrefixListId>(), VertexKind::kPrefixList);
}

TEST_F(TopologyTest, VerticesOfAKindComeInIdOrder) {
  const Topology t = build();
  std::vector<std::string> subnets;
  for (const V v : t.vertices(VertexKind::kSubnet)) subnets.push_back(t.props(v).label);
  EXPECT_THAT(subnets, ElementsAre("subnet-public", "subnet-private"));
  std::vector<std::string> groups;
  for (const V v : t.vertices(VertexKind::kSecurityGroup)) groups.push_back(t.props(v).label);
  EXPECT_THAT(groups, ElementsAre("sg-default", "sg-web", "sg-db"));
}

TEST_F(TopologyTest, UnknownIdHasNoVertex) {
  const Topology t = build();
  EXPECT_FALSE(t.find(EniId(4)).has_value());
  EXPECT_EQ(t.find(EniId(3)), t.vertex(db_mgmt));
  EXPECT_THROW(t.vertex(EniId(4)), std::out_of_range);
  EXPECT_THROW(t.vertex(SubnetId(7)), std::out_of_range);
}

TEST_F(TopologyTest, NeighboursOfAGroupAreTheInterfacesItIsAttachedTo) {
  const Topology t = build();
  EXPECT_THAT(t.neighbours(t.vertex(sg_web), EdgeKind::kAttached, EdgeDirection::kOut),
              ElementsAre(t.vertex(web), t.vertex(web2)));
  EXPECT_THAT(t.neighbours(t.vertex(sg_default), EdgeKind::kAttached, EdgeDirection::kOut),
              ElementsAre(t.vertex(web2), t.vertex(db_mgmt)));
  EXPECT_THAT(labels(t, t.neighbours(t.vertex(web2), EdgeKind::kAttached, EdgeDirection::kIn)),
              ElementsAre("sg-web", "sg-default"));
}

TEST_F(TopologyTest, ContainmentFollowsVpcSubnetInstanceAndInterface) {
  const Topology t = build();
  EXPECT_THAT(labels(t, t.neighbours(t.vpc(), EdgeKind::kContains, EdgeDirection::kOut)),
              ElementsAre("subnet-public", "subnet-private"));
  EXPECT_THAT(labels(t, t.neighbours(t.vertex(pub), EdgeKind::kContains, EdgeDirection::kOut)),
              ElementsAre("eni-web", "eni-web2", "eni-db-mgmt"));
  EXPECT_THAT(labels(t, t.neighbours(t.vertex(b.net().eni(db).instance), EdgeKind::kContains, EdgeDirection::kOut)),
              ElementsAre("eni-db", "eni-db-mgmt"));
  EXPECT_THAT(labels(t, t.neighbours(t.vertex(db_mgmt), EdgeKind::kContains, EdgeDirection::kIn)),
              ElementsAre("subnet-public", "db"));
  EXPECT_THAT(labels(t, t.neighbours(t.vertex(priv), EdgeKind::kAttached, EdgeDirection::kIn)),
              ElementsAre("acl-private"));
  EXPECT_THAT(labels(t, t.neighbours(t.vertex(pub), EdgeKind::kAttached, EdgeDirection::kIn)),
              ElementsAre("acl-default"));
}

TEST_F(TopologyTest, GroupReferencesAreEdgesCarryingTheRule) {
  const Topology t = build();
  EXPECT_THAT(t.neighbours(t.vertex(sg_db), EdgeKind::kReferences, EdgeDirection::kOut), ElementsAre(t.vertex(sg_web)));
  const auto edges = t.edges(t.vertex(sg_db), EdgeKind::kReferences, EdgeDirection::kOut);
  ASSERT_EQ(edges.size(), 2u);
  EXPECT_EQ(t.props(edges[0]).rule, (SgRuleRef{sg_db, Direction::kIngress, 0}));
  EXPECT_EQ(t.props(edges[1]).rule, (SgRuleRef{sg_db, Direction::kEgress, 0}));
  EXPECT_THAT(t.neighbours(t.vertex(sg_web), EdgeKind::kReferences, EdgeDirection::kIn), ElementsAre(t.vertex(sg_db)));
  EXPECT_THAT(t.neighbours(t.vertex(sg_web), EdgeKind::kReferences, EdgeDirection::kOut), ElementsAre(t.vertex(corp)));
  // The default group's "all traffic from members of this group" is a self-reference.
  EXPECT_THAT(t.neighbours(t.vertex(sg_default), EdgeKind::kReferences, EdgeDirection::kOut),
              ElementsAre(t.vertex(sg_default)));
  // Other edge kinds are not mixed in.
  EXPECT_THAT(t.neighbours(t.vertex(sg_db), EdgeKind::kContains, EdgeDirection::kOut), IsEmpty());
}

TEST_F(TopologyTest, StaleReferencesGetNoEdge) {
  b.ingress(sg_web, TrafficMatch::all(), SgId(99));
  b.ingress(sg_web, TrafficMatch::all(), PrefixListId(5));
  EXPECT_EQ(build().count(EdgeKind::kReferences), 4u);
}

TEST_F(TopologyTest, PublicSubnetRoutesToTheGatewayAndTheGatewayToTheInternet) {
  const Topology t = build();
  const V igw = t.internet_gateway().value();
  EXPECT_THAT(t.neighbours(t.vertex(pub), EdgeKind::kRoutes, EdgeDirection::kOut), ElementsAre(igw));
  EXPECT_THAT(t.neighbours(t.vertex(priv), EdgeKind::kRoutes, EdgeDirection::kOut), IsEmpty());
  EXPECT_THAT(t.neighbours(igw, EdgeKind::kRoutes, EdgeDirection::kOut),
              ElementsAre(t.vertex(admin), t.vertex(partner)));
  EXPECT_THAT(t.neighbours(igw, EdgeKind::kAttached, EdgeDirection::kOut), ElementsAre(t.vpc()));
}

TEST_F(TopologyTest, AnAwsServiceHostIsNotBehindTheGateway) {
  // The metadata service answers on the instance's host (model/aws_service.h), not the internet.
  const ExternalHostId imds = b.external_host("imds", "169.254.169.254");
  const Topology t = build();
  EXPECT_THAT(t.neighbours(t.internet_gateway().value(), EdgeKind::kRoutes, EdgeDirection::kOut),
              ElementsAre(t.vertex(admin), t.vertex(partner)));
  EXPECT_EQ(t.props(t.vertex(imds)).label, "imds");
}

TEST_F(TopologyTest, WithoutAGatewayThereIsNoGatewayVertexAndNoRoute) {
  b.internet_gateway(false);
  const Topology t = build();
  EXPECT_FALSE(t.internet_gateway().has_value());
  EXPECT_EQ(t.count(VertexKind::kInternetGateway), 0u);
  EXPECT_EQ(t.count(EdgeKind::kRoutes), 0u);
  EXPECT_EQ(t.count(VertexKind::kExternalHost), 2u);  // still there, but unreachable
  EXPECT_THROW(t.vertex(InternetGatewayId(0)), std::out_of_range);
  EXPECT_EQ(t.props(t.vertex(partner)).label, "partner");
}

TEST_F(TopologyTest, DotOutputLabelsAndShapesEveryVertex) {
  std::ostringstream dot;
  build().write_dot(dot);
  const std::string s = dot.str();
  EXPECT_THAT(s, StartsWith("digraph G {"));
  EXPECT_THAT(s, HasSubstr("[label=\"vpc-test\", shape=box3d]"));
  EXPECT_THAT(s, HasSubstr("[label=\"subnet-public\", shape=folder]"));
  EXPECT_THAT(s, HasSubstr("[label=\"acl-private\", shape=octagon]"));
  EXPECT_THAT(s, HasSubstr("[label=\"web2\", shape=component]"));
  EXPECT_THAT(s, HasSubstr("[label=\"eni-db-mgmt\", shape=ellipse]"));
  EXPECT_THAT(s, HasSubstr("[label=\"sg-web\", shape=hexagon]"));
  EXPECT_THAT(s, HasSubstr("[label=\"pl-corp\", shape=note]"));
  EXPECT_THAT(s, HasSubstr("[label=\"internet-gateway\", shape=house]"));
  EXPECT_THAT(s, HasSubstr("[label=\"admin\", shape=parallelogram]"));
  EXPECT_THAT(s, HasSubstr("[style=dotted, label=\"egress\"]"));
  EXPECT_THAT(s, HasSubstr("[style=bold]"));
}

TEST_F(TopologyTest, DotOutputEscapesQuotesInLabels) {
  b.net().instances[0].name = "say \"hi\"\\";
  std::ostringstream dot;
  build().write_dot(dot);
  EXPECT_THAT(dot.str(), HasSubstr(R"([label="say \"hi\"\\", shape=component])"));
}

TEST(TopologyNamesTest, KindsHaveStableNames) {
  EXPECT_EQ(to_string(VertexKind::kSecurityGroup), "security-group");
  EXPECT_EQ(to_string(VertexKind::kInternetGateway), "internet-gateway");
  EXPECT_EQ(to_string(EdgeKind::kReferences), "references");
  EXPECT_EQ(to_string(EdgeKind::kRoutes), "routes");
}

TEST(TopologyEmptyTest, BareVpcIsOneVertex) {
  Network net;
  net.vpc.id = "vpc-empty";
  const Topology t = Topology::build(net);
  EXPECT_EQ(boost::num_vertices(t.graph()), 1u);
  EXPECT_EQ(boost::num_edges(t.graph()), 0u);
  EXPECT_EQ(t.props(t.vpc()).label, "vpc-empty");
}

}  // namespace
}  // namespace vpcsim
