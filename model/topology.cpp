#include "model/topology.h"

#include <algorithm>
#include <boost/graph/graphviz.hpp>
#include <boost/range/iterator_range.hpp>
#include <stdexcept>

#include "model/aws_service.h"

namespace vpcsim {

static_assert(kind_of<VpcId>() == VertexKind::kVpc && kind_of<EniId>() == VertexKind::kEni &&
                  kind_of<ExternalHostId>() == VertexKind::kExternalHost,
              "ObjectId alternatives must be in VertexKind order");

std::string_view to_string(VertexKind k) {
  switch (k) {
    case VertexKind::kVpc:
      return "vpc";
    case VertexKind::kSubnet:
      return "subnet";
    case VertexKind::kNetworkAcl:
      return "network-acl";
    case VertexKind::kInstance:
      return "instance";
    case VertexKind::kEni:
      return "eni";
    case VertexKind::kSecurityGroup:
      return "security-group";
    case VertexKind::kPrefixList:
      return "prefix-list";
    case VertexKind::kInternetGateway:
      return "internet-gateway";
    case VertexKind::kExternalHost:
      return "external-host";
  }
  return "?";
}

std::string_view to_string(EdgeKind k) {
  switch (k) {
    case EdgeKind::kContains:
      return "contains";
    case EdgeKind::kAttached:
      return "attached";
    case EdgeKind::kReferences:
      return "references";
    case EdgeKind::kRoutes:
      return "routes";
  }
  return "?";
}

Topology Topology::build(const Network& net) {
  Topology t;
  Graph& g = t.graph_;
  // Vertices kind by kind, in VertexKind order, so that kind k occupies [first_[k], first_[k+1]).
  const auto add_vertices = [&]<class IdT>(std::type_identity<IdT>, std::size_t n, auto label_of) {
    t.first_[index(kind_of<IdT>())] = boost::num_vertices(g);
    for (std::uint32_t i = 0; i < n; ++i) boost::add_vertex(VertexProps{IdT(i), label_of(i)}, g);
  };
  add_vertices(std::type_identity<VpcId>{}, 1, [&](auto) { return net.vpc.id; });
  add_vertices(std::type_identity<SubnetId>{}, net.subnets.size(), [&](auto i) { return net.subnets[i].id; });
  add_vertices(std::type_identity<NaclId>{}, net.network_acls.size(), [&](auto i) { return net.network_acls[i].id; });
  add_vertices(std::type_identity<InstanceId>{}, net.instances.size(), [&](auto i) { return net.instances[i].name; });
  add_vertices(std::type_identity<EniId>{}, net.enis.size(), [&](auto i) { return net.enis[i].id; });
  add_vertices(std::type_identity<SgId>{}, net.security_groups.size(),
               [&](auto i) { return net.security_groups[i].id; });
  add_vertices(std::type_identity<PrefixListId>{}, net.prefix_lists.size(),
               [&](auto i) { return net.prefix_lists[i].id; });
  add_vertices(std::type_identity<InternetGatewayId>{}, net.vpc.internet_gateway ? 1 : 0,
               [](auto) { return std::string("internet-gateway"); });
  add_vertices(std::type_identity<ExternalHostId>{}, net.external_hosts.size(),
               [&](auto i) { return net.external_hosts[i].name; });
  t.first_.back() = boost::num_vertices(g);

  const auto connect = [&](const ObjectId& from, const ObjectId& to, EdgeKind kind,
                           std::optional<SgRuleRef> rule = {}) {
    const auto u = t.find(from);
    const auto v = t.find(to);
    if (!u || !v) return;
    boost::add_edge(*u, *v, EdgeProps{kind, rule}, g);
    ++t.edge_count_[static_cast<std::size_t>(kind)];
  };

  for (std::uint32_t s = 0; s < net.subnets.size(); ++s) {
    connect(VpcId(0), SubnetId(s), EdgeKind::kContains);
    connect(net.subnets[s].nacl, SubnetId(s), EdgeKind::kAttached);
  }
  for (std::uint32_t e = 0; e < net.enis.size(); ++e) {
    connect(net.enis[e].subnet, EniId(e), EdgeKind::kContains);
  }
  // Instance::enis is the attachment order (primary first), so it decides the instance edges.
  for (std::uint32_t i = 0; i < net.instances.size(); ++i) {
    for (const EniId e : net.instances[i].enis) connect(InstanceId(i), e, EdgeKind::kContains);
  }
  for (std::uint32_t e = 0; e < net.enis.size(); ++e) {
    for (const SgId sg : net.enis[e].groups) connect(sg, EniId(e), EdgeKind::kAttached);
  }
  for (std::uint32_t s = 0; s < net.security_groups.size(); ++s) {
    for (const Direction d : {Direction::kIngress, Direction::kEgress}) {
      const auto& rules = net.security_groups[s].rules(d);
      for (std::uint32_t r = 0; r < rules.size(); ++r) {
        const SgRuleRef ref{SgId(s), d, r};
        const Peer& peer = rules[r].peer;
        if (const auto* sg = std::get_if<SgId>(&peer)) {
          connect(SgId(s), *sg, EdgeKind::kReferences, ref);
        } else if (const auto* pl = std::get_if<PrefixListId>(&peer)) {
          connect(SgId(s), *pl, EdgeKind::kReferences, ref);
        }
      }
    }
  }
  if (net.vpc.internet_gateway) {
    const InternetGatewayId igw(0);
    connect(igw, VpcId(0), EdgeKind::kAttached);
    for (std::uint32_t s = 0; s < net.subnets.size(); ++s) {
      if (net.subnets[s].internet_route) connect(SubnetId(s), igw, EdgeKind::kRoutes);
    }
    for (std::uint32_t h = 0; h < net.external_hosts.size(); ++h) {
      // A host that stands for an AWS service (model/aws_service.h) is reached without the gateway.
      if (aws_service_at(net, net.external_hosts[h].address)) continue;
      connect(igw, ExternalHostId(h), EdgeKind::kRoutes);
    }
  }
  return t;
}

std::optional<Topology::Vertex> Topology::find(const ObjectId& id) const {
  const std::uint32_t i = std::visit([](auto x) { return x.value; }, id);
  if (i >= count(static_cast<VertexKind>(id.index()))) return std::nullopt;
  return first_[id.index()] + i;
}

Topology::Vertex Topology::vertex(const ObjectId& id) const {
  if (const auto v = find(id)) return *v;
  const std::uint32_t i = std::visit([](auto x) { return x.value; }, id);
  throw std::out_of_range("topology has no " + std::string(to_string(static_cast<VertexKind>(id.index()))) + " #" +
                          std::to_string(i));
}

Topology::Vertex Topology::vertex(const Endpoint& e) const {
  return std::visit([this](auto id) { return vertex(id); }, e);
}

std::optional<Topology::Vertex> Topology::internet_gateway() const {
  if (count(VertexKind::kInternetGateway) == 0) return std::nullopt;
  return vertex(InternetGatewayId(0));
}

std::ranges::iota_view<Topology::Vertex, Topology::Vertex> Topology::vertices(VertexKind k) const {
  return std::views::iota(first_[index(k)], first_[index(k) + 1]);
}

std::vector<Topology::Edge> Topology::edges(Vertex v, EdgeKind k, EdgeDirection d) const {
  std::vector<Edge> out;
  const auto collect = [&](auto range) {
    for (auto it = range.first; it != range.second; ++it) {
      if (graph_[*it].kind == k) out.push_back(*it);
    }
  };
  if (d == EdgeDirection::kOut)
    collect(boost::out_edges(v, graph_));
  else
    collect(boost::in_edges(v, graph_));
  return out;
}

std::vector<Topology::Vertex> Topology::neighbours(Vertex v, EdgeKind k, EdgeDirection d) const {
  std::vector<Vertex> out;
  for (const Edge& e : edges(v, k, d)) {
    const Vertex other = d == EdgeDirection::kOut ? boost::target(e, graph_) : boost::source(e, graph_);
    if (std::ranges::find(out, other) == out.end()) out.push_back(other);
  }
  return out;
}

namespace {

// Always quoted, so that output does not depend on which labels happen to be valid DOT ids.
std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + '"';
}

std::string_view shape(VertexKind k) {
  switch (k) {
    case VertexKind::kVpc:
      return "box3d";
    case VertexKind::kSubnet:
      return "folder";
    case VertexKind::kNetworkAcl:
      return "octagon";
    case VertexKind::kInstance:
      return "component";
    case VertexKind::kEni:
      return "ellipse";
    case VertexKind::kSecurityGroup:
      return "hexagon";
    case VertexKind::kPrefixList:
      return "note";
    case VertexKind::kInternetGateway:
      return "house";
    case VertexKind::kExternalHost:
      return "parallelogram";
  }
  return "box";
}

std::string_view style(EdgeKind k) {
  switch (k) {
    case EdgeKind::kContains:
      return "solid";
    case EdgeKind::kAttached:
      return "dashed";
    case EdgeKind::kReferences:
      return "dotted";
    case EdgeKind::kRoutes:
      return "bold";
  }
  return "solid";
}

}  // namespace

void Topology::write_dot(std::ostream& os) const { write_dot(os, {}); }

void Topology::write_dot(std::ostream& os, std::span<const OverlayEdge> overlay) const {
  // The topology's edges, then the overlay's, each carrying its Graphviz attribute list.
  // (quoted) is parenthesised so that argument-dependent lookup does not find std::quoted.
  using DotGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, std::string, std::string>;
  DotGraph g(boost::num_vertices(graph_));
  for (const Vertex v : boost::make_iterator_range(boost::vertices(graph_))) {
    const VertexProps& p = graph_[v];
    g[v] = "[label=" + (quoted)(p.label) + ", shape=" + std::string(shape(p.kind())) + "]";
  }
  for (const Edge e : boost::make_iterator_range(boost::edges(graph_))) {
    const EdgeProps& p = graph_[e];
    std::string attrs = "[style=" + std::string(style(p.kind));
    if (p.rule) attrs += ", label=" + (quoted)(to_string(p.rule->direction));
    boost::add_edge(boost::source(e, graph_), boost::target(e, graph_), attrs + "]", g);
  }
  for (const OverlayEdge& o : overlay) {
    boost::add_edge(o.from, o.to,
                    "[label=" + (quoted)(o.label) + ", color=" + (quoted)(o.color) + ", style=" + (quoted)(o.style) +
                        ", constraint=false]",
                    g);
  }
  boost::write_graphviz(
      os, g, [&g](std::ostream& out, DotGraph::vertex_descriptor v) { out << g[v]; },
      [&g](std::ostream& out, DotGraph::edge_descriptor e) { out << g[e]; });
}

}  // namespace vpcsim
