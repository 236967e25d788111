#include "model/aws_service.h"

#include <algorithm>

#include "model/network.h"
#include "model/packet.h"

namespace vpcsim {

namespace {

constexpr std::uint32_t v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
  return std::uint32_t{a} << 24 | std::uint32_t{b} << 16 | std::uint32_t{c} << 8 | d;
}

// fd00:ec2::/32 prefix with `last` in the low 16 bits: AWS's Nitro IPv6 service addresses.
constexpr U128 kFd00Ec2 = (U128{0xfd000ec2} << 96);
constexpr U128 fd00_ec2(std::uint16_t last) { return kFd00Ec2 | last; }

constexpr std::uint32_t kLinkLocalPrefix = v4(169, 254, 0, 0);  // 169.254.0.0/16 (RFC 3927)
constexpr std::uint32_t kLimitedBroadcast = v4(255, 255, 255, 255);
constexpr std::uint16_t kDhcpServerPort = 67;
constexpr std::uint16_t kDhcpClientPort = 68;

std::optional<AwsService> link_local_service(std::uint32_t a) {
  switch (a) {
    case v4(169, 254, 169, 253): return AwsService::kAmazonDns;
    case v4(169, 254, 169, 254): return AwsService::kInstanceMetadata;
    case v4(169, 254, 169, 123): return AwsService::kTimeSync;
    case v4(169, 254, 170, 2): return AwsService::kEcsTaskMetadata;
    case v4(169, 254, 169, 250):
    case v4(169, 254, 169, 251): return AwsService::kWindowsActivation;
    default: return std::nullopt;
  }
}

std::optional<AwsService> ipv6_service(U128 a) {
  if (a == fd00_ec2(0x253)) return AwsService::kAmazonDns;
  if (a == fd00_ec2(0x254)) return AwsService::kInstanceMetadata;
  if (a == fd00_ec2(0x123)) return AwsService::kTimeSync;
  if (a == fd00_ec2(0x250)) return AwsService::kWindowsActivation;
  return std::nullopt;
}

}  // namespace

std::string_view to_string(AwsService s) {
  switch (s) {
    case AwsService::kAmazonDns: return "amazon-dns";
    case AwsService::kDhcp: return "dhcp";
    case AwsService::kInstanceMetadata: return "instance-metadata";
    case AwsService::kEcsTaskMetadata: return "ecs-task-metadata";
    case AwsService::kWindowsActivation: return "windows-activation";
    case AwsService::kTimeSync: return "time-sync";
    case AwsService::kVpcRouter: return "vpc-router";
  }
  return "?";
}

std::string_view describe(AwsService s) {
  switch (s) {
    case AwsService::kAmazonDns: return "Amazon DNS (Route 53 Resolver)";
    case AwsService::kDhcp: return "Amazon DHCP";
    case AwsService::kInstanceMetadata: return "instance metadata service";
    case AwsService::kEcsTaskMetadata: return "ECS task metadata endpoint";
    case AwsService::kWindowsActivation: return "Windows licence activation";
    case AwsService::kTimeSync: return "Amazon Time Sync Service";
    case AwsService::kVpcRouter: return "default VPC router";
  }
  return "?";
}

std::optional<AwsService> aws_service_at(const Network& net, const IpAddress& a) {
  if (!a.is_v4()) return ipv6_service(a.value());
  const auto v = static_cast<std::uint32_t>(a.value());
  if ((v & 0xffff0000u) == kLinkLocalPrefix) return link_local_service(v);
  if (v == kLimitedBroadcast) return AwsService::kDhcp;
  // A block's base + 1 and base + 2 end in binary 01 and 10 for any block of /30 or larger
  // (AWS allows /16 to /28): the other half of all addresses cannot be one, and the engine
  // asks this for every packet to or from the internet.
  if (const std::uint32_t low = v & 3u; low != 1 && low != 2) return std::nullopt;
  // Reserved addresses inside the VPC: the DNS server at the primary block's base + 2, and the
  // router at every subnet block's base + 1. An address on the internet is in no VPC block, so
  // the engine's internet traffic never walks the subnets.
  if (std::ranges::none_of(net.vpc.ipv4_cidrs, [&a](const Cidr& c) { return c.contains(a); })) return std::nullopt;
  if (a.value() == net.vpc.ipv4_cidrs.front().network().value() + 2) {
    return AwsService::kAmazonDns;
  }
  for (const Subnet& s : net.subnets) {
    if (s.ipv4_cidr && a.value() == s.ipv4_cidr->network().value() + 1) return AwsService::kVpcRouter;
  }
  return std::nullopt;
}

std::optional<AwsService> exempt_service(const Network& net, const Packet& p, Direction at_interface) {
  const IpAddress& far = at_interface == Direction::kEgress ? p.dst : p.src;
  const auto s = aws_service_at(net, far);
  if (s != AwsService::kDhcp) return s;
  // The broadcast address carries nothing else a VPC answers: only DHCP itself is exempt.
  const bool dhcp_ports = p.protocol == Protocol::kUdp &&
                          ((p.src_port == kDhcpClientPort && p.dst_port == kDhcpServerPort) ||
                           (p.src_port == kDhcpServerPort && p.dst_port == kDhcpClientPort));
  return dhcp_ports ? s : std::nullopt;
}

}  // namespace vpcsim
