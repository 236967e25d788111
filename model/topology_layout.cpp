#include "model/topology_layout.h"

#include <algorithm>

namespace vpcsim {

namespace {

// Sizes in pixels: room for a label line and a row of badges.
constexpr double kGap = 16;
constexpr double kPad = 12;
constexpr double kHeader = 50;  // a container's title line and its badge row
constexpr double kInstanceWidth = 170;
constexpr double kInstanceHeader = 26;
constexpr double kBadgeWidth = 74;
constexpr double kBadgeHeight = 20;
constexpr double kHostWidth = 150;
constexpr double kHostHeight = 40;

using Vertex = Topology::Vertex;

// The instance's groups, each once, in the order its interfaces carry them.
std::vector<Vertex> instance_groups(const Topology& t, Vertex instance) {
  std::vector<Vertex> groups;
  for (Vertex eni : t.neighbours(instance, EdgeKind::kContains, EdgeDirection::kOut)) {
    for (Vertex sg : t.neighbours(eni, EdgeKind::kAttached, EdgeDirection::kIn)) {
      if (t.props(sg).kind() == VertexKind::kSecurityGroup && std::ranges::find(groups, sg) == groups.end()) {
        groups.push_back(sg);
      }
    }
  }
  return groups;
}

// The instances whose primary interface lives in `subnet`, in id order.
std::vector<Vertex> subnet_instances(const Topology& t, Vertex subnet) {
  std::vector<Vertex> out;
  for (Vertex eni : t.neighbours(subnet, EdgeKind::kContains, EdgeDirection::kOut)) {
    for (Vertex inst : t.neighbours(eni, EdgeKind::kContains, EdgeDirection::kIn)) {
      if (t.props(inst).kind() != VertexKind::kInstance) continue;
      const auto enis = t.neighbours(inst, EdgeKind::kContains, EdgeDirection::kOut);
      if (!enis.empty() && enis.front() == eni) out.push_back(inst);
    }
  }
  std::ranges::sort(out);
  out.erase(std::ranges::unique(out).begin(), out.end());
  return out;
}

// Badges in rows of as many as fit in `width`; returns the height they take.
double badge_rows_height(std::size_t count, double width) {
  if (count == 0) return 0;
  const auto per_row = std::max<std::size_t>(1, static_cast<std::size_t>((width - kPad) / (kBadgeWidth + 4)));
  return static_cast<double>((count + per_row - 1) / per_row) * (kBadgeHeight + 4);
}

}  // namespace

const LayoutBox* TopologyLayout::find(Vertex v) const {
  for (const LayoutBox& b : boxes) {
    const bool badge = b.kind == VertexKind::kSecurityGroup || b.kind == VertexKind::kNetworkAcl;
    if (b.vertex == v && !badge) return &b;
  }
  for (const LayoutBox& b : boxes) {
    if (b.vertex == v) return &b;
  }
  return nullptr;
}

const LayoutBox* TopologyLayout::badge(Vertex v, std::size_t parent) const {
  for (const LayoutBox& b : boxes) {
    if (b.vertex == v && b.parent == parent) return &b;
  }
  return nullptr;
}

TopologyLayout layered_layout(const Topology& t) {
  TopologyLayout out;
  const Vertex vpc = t.vpc();
  auto subnets = t.neighbours(vpc, EdgeKind::kContains, EdgeDirection::kOut);
  std::ranges::sort(subnets);

  // Sizes bottom-up: instance heights depend on their badges, subnet widths on their instances.
  struct SubnetPlan {
    Vertex subnet;
    std::vector<Vertex> instances;
    std::vector<std::vector<Vertex>> groups;
    double width = 0;
    double height = 0;
  };
  std::vector<SubnetPlan> plans;
  double vpc_inner_width = 0;
  double tallest = 0;
  for (Vertex s : subnets) {
    SubnetPlan p{s, subnet_instances(t, s), {}, 0, 0};
    double inner = 0;
    double inner_height = 0;
    for (Vertex inst : p.instances) {
      p.groups.push_back(instance_groups(t, inst));
      inner += kInstanceWidth + kGap;
      inner_height = std::max(inner_height, kInstanceHeader + badge_rows_height(p.groups.back().size(), kInstanceWidth) + kPad);
    }
    p.width = std::max(kInstanceWidth + 2 * kPad, inner - kGap + 2 * kPad);
    p.height = kHeader + inner_height + kPad;
    tallest = std::max(tallest, p.height);
    vpc_inner_width += p.width + kGap;
    plans.push_back(std::move(p));
  }
  const double vpc_width = std::max(360.0, vpc_inner_width - kGap + 2 * kPad);

  // The internet row: hosts, then the gateway, above the VPC.
  double y = kPad;
  std::vector<Vertex> hosts;
  for (Vertex h : t.vertices(VertexKind::kExternalHost)) hosts.push_back(h);
  const double hosts_width = static_cast<double>(hosts.size()) * (kHostWidth + kGap) - kGap;
  const double total_width = std::max(vpc_width, hosts_width) + 2 * kPad;
  if (!hosts.empty()) {
    double x = (total_width - hosts_width) / 2;
    for (Vertex h : hosts) {
      out.boxes.push_back({h, VertexKind::kExternalHost, std::nullopt, x, y, kHostWidth, kHostHeight});
      x += kHostWidth + kGap;
    }
    y += kHostHeight + 2 * kGap;
  }
  if (const auto igw = t.internet_gateway()) {
    out.boxes.push_back({*igw, VertexKind::kInternetGateway, std::nullopt, (total_width - kHostWidth) / 2, y, kHostWidth,
                         kHostHeight});
    y += kHostHeight + 2 * kGap;
  }

  const double vpc_x = (total_width - vpc_width) / 2;
  const std::size_t vpc_box = out.boxes.size();
  out.boxes.push_back({vpc, VertexKind::kVpc, std::nullopt, vpc_x, y, vpc_width, kHeader + tallest + kPad});
  double x = vpc_x + kPad;
  for (const SubnetPlan& p : plans) {
    const std::size_t subnet_box = out.boxes.size();
    const double sy = y + kHeader;
    out.boxes.push_back({p.subnet, VertexKind::kSubnet, vpc_box, x, sy, p.width, tallest});
    // The subnet's ACL badge on the line below its title.
    for (Vertex acl : t.neighbours(p.subnet, EdgeKind::kAttached, EdgeDirection::kIn)) {
      if (t.props(acl).kind() != VertexKind::kNetworkAcl) continue;
      out.boxes.push_back({acl, VertexKind::kNetworkAcl, subnet_box, x + kPad, sy + kHeader - kBadgeHeight - 6,
                           std::min(kBadgeWidth * 2, p.width - 2 * kPad), kBadgeHeight});
    }
    double ix = x + kPad;
    for (std::size_t i = 0; i < p.instances.size(); ++i) {
      const std::size_t inst_box = out.boxes.size();
      const double iy = sy + kHeader;
      const double ih = tallest - kHeader - kPad;
      out.boxes.push_back({p.instances[i], VertexKind::kInstance, subnet_box, ix, iy, kInstanceWidth, ih});
      double bx = ix + kPad / 2;
      double by = iy + kInstanceHeader;
      for (Vertex sg : p.groups[i]) {
        if (bx + kBadgeWidth > ix + kInstanceWidth - kPad / 2) {
          bx = ix + kPad / 2;
          by += kBadgeHeight + 4;
        }
        out.boxes.push_back({sg, VertexKind::kSecurityGroup, inst_box, bx, by, kBadgeWidth, kBadgeHeight});
        bx += kBadgeWidth + 4;
      }
      ix += kInstanceWidth + kGap;
    }
    x += p.width + kGap;
  }
  out.width = total_width;
  out.height = y + out.boxes[vpc_box].height + kPad;
  return out;
}

}  // namespace vpcsim
