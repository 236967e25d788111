// The network a scenario describes: one VPC with its subnets, security groups, network
// ACLs, instances and their interfaces, managed prefix lists, and hosts on the internet.
// A plain value type: it owns everything, ids index its vectors.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/cidr.h"
#include "model/conntrack_timeouts.h"
#include "model/ids.h"
#include "model/ip_address.h"
#include "model/network_acl.h"
#include "model/security_group.h"

namespace vpcsim {

struct Vpc {
  std::string id;
  std::vector<Cidr> ipv4_cidrs;  // primary first
  std::vector<Cidr> ipv6_cidrs;
  bool internet_gateway = false;  // an internet gateway is attached
  SgId default_sg;                // the group named "default"
  NaclId default_nacl;

  bool has_ipv6() const { return !ipv6_cidrs.empty(); }
};

// A subnet has an IPv4 block, an IPv6 block or both. An IPv6-only subnet has no IPv4 block
// (EC2 API CreateSubnet: "For an IPv6 only subnet, specify an IPv6 CIDR block";
// describe-subnets prints it with "Ipv6Native": true and no CidrBlock,
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Subnet.html).
struct Subnet {
  std::string id;
  std::optional<Cidr> ipv4_cidr;  // absent in an IPv6-only subnet
  std::optional<Cidr> ipv6_cidr;
  std::string availability_zone;
  NaclId nacl;
  // The subnet's route table sends 0.0.0.0/0 (and ::/0 when it has IPv6) to the internet
  // gateway, i.e. it is a public subnet (VPC User Guide, "Internet gateways").
  bool internet_route = false;
};

struct Eni {
  std::string id;
  SubnetId subnet;
  InstanceId instance;
  // Primary first. Empty for an IPv6-only interface (in an IPv6-only subnet: "These instances
  // do not require private IPv4 addresses", AWS Networking blog, "Introducing IPv6-only
  // subnets and EC2 instances"); a valid network's interface has at least one address of
  // either family.
  std::vector<IpAddress> private_ipv4;
  std::vector<IpAddress> ipv6;
  std::optional<IpAddress> public_ipv4;  // public IPv4 or Elastic IP, NATed 1:1 by the gateway
  std::vector<SgId> groups;
  ConntrackTimeouts conntrack;  // idle timeouts of its connection tracking

  // The primary private IPv4 address; absent for an IPv6-only interface.
  std::optional<IpAddress> primary_ipv4() const {
    return private_ipv4.empty() ? std::nullopt : std::optional(private_ipv4.front());
  }
  bool ipv6_only() const { return private_ipv4.empty() && !ipv6.empty(); }
  // The address traces and labels show: the primary private IPv4, else the first IPv6
  // address, else nothing (only in a network that failed validation).
  std::optional<IpAddress> display_address() const {
    if (!private_ipv4.empty()) return private_ipv4.front();
    if (!ipv6.empty()) return ipv6.front();
    return std::nullopt;
  }
  bool has_private_address(const IpAddress& a) const;
};

struct Instance {
  std::string name;
  std::string role;  // for teaching: "web", "bastion", "db", ...
  std::string description;
  std::vector<EniId> enis;  // primary (eth0) first
};

// A host outside the VPC, reached through the internet gateway. When its address is one an AWS
// service answers on (model/aws_service.h: 169.254.169.254, the VPC's base + 2, ...), it stands
// for that service instead: reached without a gateway, and never filtered.
struct ExternalHost {
  std::string name;
  IpAddress address;
  std::string description;
};

struct PrefixList {
  std::string id;  // "pl-..."
  std::string name;
  Family family = Family::kIpv4;
  std::vector<Cidr> entries;
};

struct Network {
  Vpc vpc;
  std::vector<Subnet> subnets;
  std::vector<SecurityGroup> security_groups;
  std::vector<NetworkAcl> network_acls;
  std::vector<Instance> instances;
  std::vector<Eni> enis;
  std::vector<ExternalHost> external_hosts;
  std::vector<PrefixList> prefix_lists;

  const Subnet& subnet(SubnetId id) const { return subnets.at(id.value); }
  const SecurityGroup& sg(SgId id) const { return security_groups.at(id.value); }
  const NetworkAcl& nacl(NaclId id) const { return network_acls.at(id.value); }
  const Instance& instance(InstanceId id) const { return instances.at(id.value); }
  const Eni& eni(EniId id) const { return enis.at(id.value); }
  const ExternalHost& external_host(ExternalHostId id) const { return external_hosts.at(id.value); }
  const PrefixList& prefix_list(PrefixListId id) const { return prefix_lists.at(id.value); }
  SecurityGroup& sg(SgId id) { return security_groups.at(id.value); }
  NetworkAcl& nacl(NaclId id) { return network_acls.at(id.value); }

  std::optional<SubnetId> find_subnet(std::string_view id) const;
  std::optional<SgId> find_sg(std::string_view id) const;
  std::optional<NaclId> find_nacl(std::string_view id) const;
  std::optional<EniId> find_eni(std::string_view id) const;
  std::optional<InstanceId> find_instance(std::string_view name) const;
  std::optional<ExternalHostId> find_external_host(std::string_view name) const;
  std::optional<PrefixListId> find_prefix_list(std::string_view id) const;
  // The interface that owns a private address, if any.
  std::optional<EniId> find_eni_by_private_address(const IpAddress& a) const;

  // Interfaces that carry security group `sg`, in id order.
  std::vector<EniId> members_of(SgId sg) const;
  NaclId nacl_of(EniId id) const { return subnet(eni(id).subnet).nacl; }
  // "web (eni-0abc)" or "eni-0abc": how traces name an interface.
  std::string eni_label(EniId id) const;
};

}  // namespace vpcsim
