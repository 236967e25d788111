// Traffic that security groups and network ACLs never filter: an instance talking to the AWS
// services that answer on the instance's own host or at reserved addresses of the VPC.
//
// VPC User Guide, "Security in Amazon VPC" (doc_source/VPC_Security.md) and "Network ACLs"
// (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html): "Amazon security
// groups and network ACLs do not filter traffic destined to and from the following: Amazon
// Domain Name Services (DNS), Amazon Dynamic Host Configuration Protocol (DHCP), Amazon EC2
// instance metadata, Amazon ECS task metadata endpoints, License activation for Windows
// instances, Amazon Time Sync Service, Reserved IP addresses used by the default VPC router".
// EC2 User Guide, "Security group rules": security groups cannot block DNS requests to or from
// the Route 53 Resolver (the VPC+2 address, AmazonProvidedDNS).
//
// The addresses each service answers on:
// - Amazon DNS: the VPC's primary IPv4 block base + 2 and 169.254.169.253 (VPC User Guide,
//   "DNS attributes for your VPC"; AWS::EC2::VPC EnableDnsSupport), fd00:ec2::253 on Nitro
//   instances (Route 53 Developer Guide, "Route 53 VPC Resolver availability and scaling":
//   "running on the Amazon VPC CIDR + 2 address and fd00:ec2::253").
// - Instance metadata: 169.254.169.254, and fd00:ec2::254 on Nitro instances (EC2 User Guide,
//   "Access instance metadata for an EC2 instance").
// - Amazon Time Sync Service: 169.254.169.123, fd00:ec2::123 on Nitro instances (EC2 User
//   Guide, "Set the time reference on your EC2 instance to use the local Amazon Time Sync
//   Service").
// - ECS task metadata: 169.254.170.2 (ECS Developer Guide, "Amazon ECS task metadata endpoint
//   version 2": 169.254.170.2/v2/metadata; v3 and v4 are served by the same agent address).
// - Windows licence activation: 169.254.169.250 and 169.254.169.251, fd00:ec2::250 for an
//   IPv6-only Windows stack (EC2 Windows Guide, EC2Launch: "These addresses are used by Windows
//   Activation and when you access instance metadata").
// - The default VPC router: the base + 1 address of each subnet's IPv4 block (VPC User Guide,
//   "Subnet CIDR blocks": "Reserved by AWS for the VPC router").
// - Amazon DHCP: UDP between ports 68 and 67 (RFC 2131), to the limited broadcast address
//   255.255.255.255 or to the subnet's router address.
//
// VPC User Guide, "Flow log limitations": flow logs do not record most of this traffic either
// (DNS to the Amazon DNS server, Windows licence activation, 169.254.169.254, 169.254.169.123,
// DHCP, the reserved default-router address).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "model/ip_address.h"
#include "model/security_group.h"

namespace vpcsim {

struct Network;
struct Packet;

enum class AwsService : std::uint8_t {
  kAmazonDns,
  kDhcp,
  kInstanceMetadata,
  kEcsTaskMetadata,
  kWindowsActivation,
  kTimeSync,
  kVpcRouter,
};
// "amazon-dns", "dhcp", "instance-metadata", "ecs-task-metadata", "windows-activation",
// "time-sync", "vpc-router".
std::string_view to_string(AwsService s);
// "Amazon DNS (Route 53 Resolver)", "Amazon DHCP", "instance metadata service", ...
std::string_view describe(AwsService s);

// The AWS service an interface of `net` reaches at `a`, if any. 255.255.255.255 is kDhcp (the
// only service a VPC answers on the limited broadcast address).
std::optional<AwsService> aws_service_at(const Network& net, const IpAddress& a);

// The service at the far end of `p` as an interface sees it (`at_interface` kEgress: p leaves
// the interface, its destination is the far end; kIngress: p arrives, its source is), when the
// packet is traffic that security groups and network ACLs never filter. DHCP counts only as
// UDP between ports 67 and 68 (or with the router, whatever it carries, as the router's
// address is exempt in itself).
std::optional<AwsService> exempt_service(const Network& net, const Packet& p, Direction at_interface);

}  // namespace vpcsim
