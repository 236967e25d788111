#include "io/network_converter.h"

#include <fmt/format.h>

#include <algorithm>

namespace vpcsim::io {

namespace {

// VPC User Guide, "VPC CIDR blocks" and "Subnet CIDR blocks": IPv4 blocks of a VPC and of a
// subnet are between /16 and /28.
constexpr int kLargestIpv4Block = 16;
constexpr int kSmallestIpv4Block = 28;

bool check_ipv4_size(const Cidr& c, std::string_view what, const std::string& path, Diagnostics& diag) {
  if (c.prefix() >= kLargestIpv4Block && c.prefix() <= kSmallestIpv4Block) return true;
  diag.error(path, fmt::format("{} is a /{} block; AWS allows {} IPv4 blocks from /{} to /{} (VPC User Guide, "
                               "\"{} CIDR blocks\")",
                               c.to_string(), c.prefix(), what, kLargestIpv4Block, kSmallestIpv4Block,
                               what == "VPC" ? "VPC" : "Subnet"));
  return false;
}

// Parses a block that must be of `family`; `other_field` is where the other family goes.
std::optional<Cidr> parse_block(const std::string& text, Family family, std::string_view other_field,
                                const std::string& path, Diagnostics& diag) {
  auto cidr = Cidr::parse(text);
  if (!cidr) {
    diag.error(path, cidr.error());
    return std::nullopt;
  }
  if (cidr->family() != family) {
    diag.error(path, fmt::format("{} is {}, but this field takes {} blocks: put it in {}", cidr->to_string(),
                                 to_string(cidr->family()), to_string(family), other_field));
    return std::nullopt;
  }
  return *cidr;
}

void add_vpc_blocks(const google::protobuf::RepeatedPtrField<std::string>& texts, Family family, std::string_view field,
                    std::string_view other_field, std::vector<Cidr>& out, ConversionContext& ctx) {
  for (int i = 0; i < texts.size(); ++i) {
    const std::string path = at(fmt::format("vpc.{}", field), static_cast<std::size_t>(i));
    auto cidr = parse_block(texts.Get(i), family, other_field, path, ctx.diag);
    if (!cidr) {
      ctx.vpc_blocks_valid = false;
      continue;
    }
    if (family == Family::kIpv4 && !check_ipv4_size(*cidr, "VPC", path, ctx.diag)) ctx.vpc_blocks_valid = false;
    for (const Cidr& earlier : out) {
      if (earlier.overlaps(*cidr)) {
        ctx.diag.error(path, fmt::format("{} overlaps the VPC's block {}; a VPC's blocks must not overlap",
                                         cidr->to_string(), earlier.to_string()));
      }
    }
    out.push_back(*cidr);
  }
}

// The subnet's IPv4 (or IPv6) block, checked against the VPC's blocks and earlier subnets.
std::optional<Cidr> convert_subnet_block(const std::string& text, Family family, const std::string& path, SubnetId self,
                                         ConversionContext& ctx) {
  const bool v4 = family == Family::kIpv4;
  auto cidr = parse_block(text, family, v4 ? "ipv6_cidr" : "cidr", path, ctx.diag);
  if (!cidr) return std::nullopt;
  bool ok = !v4 || check_ipv4_size(*cidr, "subnet", path, ctx.diag);
  const auto& vpc_blocks = v4 ? ctx.net.vpc.ipv4_cidrs : ctx.net.vpc.ipv6_cidrs;
  const bool inside = std::ranges::any_of(vpc_blocks, [&](const Cidr& b) { return b.contains(*cidr); });
  if (!v4 && vpc_blocks.empty()) {
    ctx.diag.error(path, "the VPC has no IPv6 block: add one to vpc.ipv6_cidr_blocks, or remove ipv6_cidr");
    ok = false;
  } else if (!inside && ctx.vpc_blocks_valid) {
    ctx.diag.error(path, fmt::format("{} is outside the VPC's {} blocks ({}); a subnet's block must lie inside one "
                                     "of them",
                                     cidr->to_string(), to_string(family), cidr_list(vpc_blocks)));
    ok = false;
  }
  for (std::uint32_t i = 0; i < self.value; ++i) {
    const Subnet& other = ctx.net.subnets[i];
    const std::optional<Cidr>& other_block = v4 ? other.ipv4_cidr : other.ipv6_cidr;
    if (other_block && other_block->family() == family && !other_block->is_all() && other_block->overlaps(*cidr)) {
      ctx.diag.error(path, fmt::format("{} overlaps subnet {} ({}); subnet blocks must not overlap", cidr->to_string(),
                                       other.id, other_block->to_string()));
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return cidr;
}

}  // namespace

void convert_vpc(const pb::Scenario& proto, ConversionContext& ctx) {
  const pb::Vpc& v = proto.vpc();
  Vpc& vpc = ctx.net.vpc;
  vpc.id = v.id();
  if (v.id().empty()) ctx.diag.error("vpc.id", "id is required (e.g. \"vpc-lesson\")");
  add_vpc_blocks(v.cidr_blocks(), Family::kIpv4, "cidr_blocks", "vpc.ipv6_cidr_blocks", vpc.ipv4_cidrs, ctx);
  add_vpc_blocks(v.ipv6_cidr_blocks(), Family::kIpv6, "ipv6_cidr_blocks", "vpc.cidr_blocks", vpc.ipv6_cidrs, ctx);
  if (v.cidr_blocks_size() == 0) {
    ctx.diag.error("vpc.cidr_blocks", "a VPC needs at least one IPv4 block, e.g. cidr_blocks: \"10.0.0.0/16\"");
    ctx.vpc_blocks_valid = false;
  }
  vpc.internet_gateway = v.internet_gateway();
}

void convert_subnets(const pb::Scenario& proto, ConversionContext& ctx) {
  for (int i = 0; i < proto.subnets_size(); ++i) {
    const pb::Subnet& s = proto.subnets(i);
    const std::string path = at("subnets", static_cast<std::size_t>(i));
    const SubnetId id(static_cast<std::uint32_t>(i));
    // Push first (with whatever converts) so that ids stay positions even when a field is wrong.
    ctx.net.subnets.push_back(Subnet{s.id(), std::nullopt, std::nullopt, s.availability_zone(),
                                     ctx.net.vpc.default_nacl, s.internet_route()});
    if (s.id().empty()) {
      ctx.diag.error(path + ".id", "id is required: interfaces refer to the subnet by it (e.g. \"public-a\")");
    }
    ctx.subnets.add(s.id(), id, path + ".id", ctx.diag);

    // A subnet has an IPv4 block, an IPv6 block or both; with only ipv6_cidr it is an IPv6-only
    // subnet (EC2 API CreateSubnet: "For an IPv6 only subnet, specify an IPv6 CIDR block").
    if (s.cidr().empty() && s.ipv6_cidr().empty()) {
      ctx.diag.error(path + ".cidr",
                     "cidr is required: the subnet's IPv4 block, inside the VPC's (e.g. \"10.0.1.0/24\"); an "
                     "IPv6-only subnet gives ipv6_cidr instead");
    } else if (s.cidr().empty()) {
      // IPv6-only: no IPv4 block.
    } else if (auto cidr = convert_subnet_block(s.cidr(), Family::kIpv4, path + ".cidr", id, ctx)) {
      ctx.net.subnets.back().ipv4_cidr = *cidr;
    }
    if (!s.ipv6_cidr().empty()) {
      ctx.net.subnets.back().ipv6_cidr =
          convert_subnet_block(s.ipv6_cidr(), Family::kIpv6, path + ".ipv6_cidr", id, ctx);
    }
    if (!s.network_acl().empty()) {
      if (auto acl = ctx.nacls.resolve(s.network_acl(), path + ".network_acl", ctx.diag)) {
        ctx.net.subnets.back().nacl = *acl;
      }
    }
  }
}

}  // namespace vpcsim::io
