// The network as a graph (Boost.Graph): the structure later analyses traverse (reachability
// walks it, the GUI lays it out). Vertices are the objects of a Network, edges the AWS
// relationships between them:
//
//   Contains    VPC -> subnet       a subnet is a range of the VPC's CIDR block (VPC User Guide,
//                                   "Subnets for your VPC")
//               subnet -> ENI       an interface lives in exactly one subnet; instance -> ENI: an
//                                   instance's interfaces, primary (eth0) first (EC2 User Guide,
//                                   "Elastic network interfaces")
//   Attached    SG -> ENI           groups are associated with interfaces, not instances (EC2 User
//                                   Guide, "Amazon EC2 security groups")
//               NACL -> subnet      each subnet is associated with exactly one network ACL (VPC
//                                   User Guide, "Network ACLs")
//               IGW -> VPC          an internet gateway is attached to one VPC (VPC User Guide,
//                                   "Internet gateways")
//   References  SG -> SG            a rule whose peer is a group: its members' private addresses
//                                   (VPC User Guide, "Security group rules"); self-references too
//               SG -> prefix list   a rule whose peer is a managed prefix list ("Managed prefix lists")
//   Routes      subnet -> IGW       the subnet's route table sends the default route to the gateway
//                                   (VPC User Guide, "Route tables")
//               IGW -> host         hosts on the internet are reached through the gateway
//
// A Topology copies what it needs (ids and labels); it does not refer back to the Network.
// Rebuild it when the network changes.
#pragma once

#include <array>
#include <boost/graph/adjacency_list.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <ranges>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "model/endpoint.h"
#include "model/hop.h"
#include "model/ids.h"
#include "model/network.h"

namespace vpcsim {

// The gateway is not an object a Network owns (Vpc::internet_gateway says whether there is
// one), so its id type lives here; there is at most one, InternetGatewayId(0).
using InternetGatewayId = Id<struct InternetGatewayTag>;

// The domain object behind a vertex. The alternatives are in VertexKind order.
using ObjectId =
    std::variant<VpcId, SubnetId, NaclId, InstanceId, EniId, SgId, PrefixListId, InternetGatewayId, ExternalHostId>;

enum class VertexKind : std::uint8_t {
  kVpc,
  kSubnet,
  kNetworkAcl,
  kInstance,
  kEni,
  kSecurityGroup,
  kPrefixList,
  kInternetGateway,
  kExternalHost,
};
inline constexpr std::size_t kVertexKindCount = std::variant_size_v<ObjectId>;
std::string_view to_string(VertexKind k);  // "vpc", "subnet", "network-acl", ...

enum class EdgeKind : std::uint8_t { kContains, kAttached, kReferences, kRoutes };
inline constexpr std::size_t kEdgeKindCount = 4;
std::string_view to_string(EdgeKind k);  // "contains", "attached", "references", "routes"

// Which edges of a vertex to follow: those leaving it (to their targets) or those entering it
// (from their sources).
enum class EdgeDirection : std::uint8_t { kOut, kIn };

template <class T, class Variant>
inline constexpr bool is_alternative_v = false;
template <class T, class... Ts>
inline constexpr bool is_alternative_v<T, std::variant<Ts...>> = (std::is_same_v<T, Ts> || ...);
template <class T>
concept ObjectIdType = is_alternative_v<T, ObjectId>;

// The kind of vertex an id type stands for.
template <ObjectIdType IdT>
constexpr VertexKind kind_of() {
  return static_cast<VertexKind>(ObjectId(std::in_place_type<IdT>).index());
}

struct VertexProps {
  ObjectId id;
  std::string label;  // the object's id ("subnet-public", "sg-web") or name (instances, hosts)

  VertexKind kind() const { return static_cast<VertexKind>(id.index()); }
  template <ObjectIdType IdT>
  IdT as() const {
    return std::get<IdT>(id);
  }
};

struct EdgeProps {
  EdgeKind kind = EdgeKind::kContains;
  // References edges: the rule that names the group or prefix list (one edge per rule, so a
  // traversal can say which rule and direction connects two groups).
  std::optional<SgRuleRef> rule;
};

class Topology {
 public:
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, VertexProps, EdgeProps>;
  using Vertex = Graph::vertex_descriptor;
  using Edge = Graph::edge_descriptor;

  // Dangling ids (a stale group or prefix-list reference, an out-of-range subnet) get no edge.
  static Topology build(const Network& net);

  const Graph& graph() const { return graph_; }
  const VertexProps& props(Vertex v) const { return graph_[v]; }
  const EdgeProps& props(Edge e) const { return graph_[e]; }

  // The vertex of an object, or nullopt for an id the network does not have.
  std::optional<Vertex> find(const ObjectId& id) const;
  // The vertex of an object; throws std::out_of_range for an id the network does not have.
  Vertex vertex(const ObjectId& id) const;
  template <ObjectIdType IdT>
  Vertex vertex(IdT id) const {
    return vertex(ObjectId(id));
  }
  Vertex vertex(const Endpoint& e) const;
  Vertex vpc() const { return vertex(VpcId(0)); }
  std::optional<Vertex> internet_gateway() const;

  // The vertices of one kind, in id order (they are contiguous).
  std::ranges::iota_view<Vertex, Vertex> vertices(VertexKind k) const;
  std::size_t count(VertexKind k) const { return first_[index(k) + 1] - first_[index(k)]; }
  std::size_t count(EdgeKind k) const { return edge_count_[static_cast<std::size_t>(k)]; }

  // The edges of kind `k` leaving (kOut) or entering (kIn) `v`, in insertion order.
  std::vector<Edge> edges(Vertex v, EdgeKind k, EdgeDirection d) const;
  // The vertices at the other end of those edges, each once, in the order first reached.
  std::vector<Vertex> neighbours(Vertex v, EdgeKind k, EdgeDirection d) const;

  // Graphviz DOT: one node per vertex labelled with its label, shaped by kind; edges styled
  // by kind (References labelled with the rule's direction).
  void write_dot(std::ostream& os) const;

  // An edge an analysis adds to the picture only (reachability for a port, say): drawn after
  // the topology's own edges, with the label and Graphviz colour and style given.
  struct OverlayEdge {
    Vertex from;
    Vertex to;
    std::string label;
    std::string color;
    std::string style = "solid";
  };
  void write_dot(std::ostream& os, std::span<const OverlayEdge> overlay) const;

 private:
  static constexpr std::size_t index(VertexKind k) { return static_cast<std::size_t>(k); }

  Graph graph_;
  // Vertices of kind k are [first_[k], first_[k + 1]): build() adds them kind by kind.
  std::array<Vertex, kVertexKindCount + 1> first_{};
  std::array<std::size_t, kEdgeKindCount> edge_count_{};
};

}  // namespace vpcsim
