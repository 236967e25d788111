// A layered layout of the topology graph for drawing it: the internet (hosts, then the
// gateway) above the VPC, the VPC's subnets side by side inside it, each subnet's instances
// inside the subnet, each subnet with its network ACL badge and each instance with the badges
// of its interfaces' security groups. Computed from the graph's Contains/Attached/Routes
// edges (model/topology.h), never from hand-placed coordinates; the GUI only draws the boxes.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "model/topology.h"

namespace vpcsim {

struct LayoutBox {
  Topology::Vertex vertex{};
  VertexKind kind = VertexKind::kVpc;
  // Badges (network ACLs, security groups) and nested boxes: the index of the box they sit
  // in; nullopt for the top level (the VPC, the gateway, internet hosts).
  std::optional<std::size_t> parent;
  double x = 0;  // top-left corner and size, in pixels at 100 % zoom; y grows downwards
  double y = 0;
  double width = 0;
  double height = 0;

  double centre_x() const { return x + width / 2; }
  double centre_y() const { return y + height / 2; }
};

struct TopologyLayout {
  std::vector<LayoutBox> boxes;  // parents before their children
  double width = 0;
  double height = 0;

  // The first box of `v` that is not a badge inside another object (an SG has one badge per
  // instance it protects; this returns the first), or nullptr.
  const LayoutBox* find(Topology::Vertex v) const;
  // The badge of `v` inside the box at index `parent`, or nullptr.
  const LayoutBox* badge(Topology::Vertex v, std::size_t parent) const;
  // The index of a box in `boxes`.
  std::size_t index_of(const LayoutBox& b) const { return static_cast<std::size_t>(&b - boxes.data()); }
};

// Each instance appears once, in the subnet of its primary interface, with the groups of all
// its interfaces. Deterministic: subnets, instances and badges in id order.
TopologyLayout layered_layout(const Topology& t);

}  // namespace vpcsim
