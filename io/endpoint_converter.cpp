#include "io/endpoint_converter.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "model/aws_service.h"

namespace vpcsim::io {

namespace {

// AWS quota "Security groups per network interface": 5 by default, at most 16.
constexpr int kMaxGroupsPerInterface = 16;

IpAddress address_at(const Cidr& block, U128 offset) {
  const U128 v = block.network().value() + offset;
  return block.family() == Family::kIpv4 ? IpAddress::v4(static_cast<std::uint32_t>(v)) : IpAddress::v6(v);
}

// VPC User Guide, "Subnet CIDR blocks": the first four addresses and the last address of
// every subnet block are reserved by AWS (network, VPC router, DNS, future use; broadcast).
std::optional<std::string> reserved_reason(const Subnet& subnet, const Cidr& block, const IpAddress& a) {
  const U128 offset = a.value() - block.network().value();
  if (offset >= 4 && a != block.last()) return std::nullopt;
  return fmt::format(
      "{} is reserved: AWS keeps the first four addresses ({}-{}) and the last ({}) of subnet {} ({}) "
      "(VPC User Guide, \"Subnet CIDR blocks\"); use {}-{}",
      a.to_string(), block.network().to_string(), address_at(block, 3).to_string(), block.last().to_string(), subnet.id,
      block.to_string(), address_at(block, 4).to_string(),
      address_at(block, block.last().value() - block.network().value() - 1).to_string());
}

// The VPC's Amazon DNS server, its primary IPv4 block's base + 2 (VPC User Guide, "DNS
// attributes for your VPC"), as text for messages.
std::string amazon_dns_address(const Vpc& vpc) {
  if (vpc.ipv4_cidrs.empty()) return "(none: the VPC has no IPv4 block)";
  return address_at(vpc.ipv4_cidrs.front(), 2).to_string();
}

struct InterfaceChecks {
  std::map<IpAddress, std::string> private_addresses;  // address -> where it was assigned
  std::map<IpAddress, std::string> public_addresses;
};

// The subnet an interface is in, as far as its addresses are checked: null when it did not
// resolve; `declares` tells, per family, whether the scenario gave the subnet a block of it
// (one that failed its own checks is absent from the Subnet but was already reported).
struct SubnetOf {
  const Subnet* subnet = nullptr;
  bool declares_ipv4 = false;
  bool declares_ipv6 = false;
};

// Parses the private address at `path` and checks it against the subnet's block of its
// family (absent when the subnet has none: an IPv6-only subnet has no IPv4 block).
std::optional<IpAddress> convert_private_address(const std::string& text, Family family, const SubnetOf& where,
                                                 const std::string& path, InterfaceChecks& seen, Diagnostics& diag) {
  const Subnet* subnet = where.subnet;
  const bool v4 = family == Family::kIpv4;
  const std::optional<Cidr> block = subnet == nullptr ? std::nullopt : v4 ? subnet->ipv4_cidr : subnet->ipv6_cidr;
  auto a = IpAddress::parse(text);
  if (!a) {
    diag.error(path, a.error());
    return std::nullopt;
  }
  if (a->family() != family) {
    diag.error(path, fmt::format("{} is {}: {} addresses go in {}", a->to_string(), to_string(a->family()),
                                 to_string(a->family()), a->is_v4() ? "private_ips" : "ipv6_addresses"));
    return std::nullopt;
  }
  bool ok = true;
  if (subnet != nullptr && !block) {
    // A declared block that failed its own checks has been reported; say nothing more here.
    if (!(v4 ? where.declares_ipv4 : where.declares_ipv6)) {
      diag.error(path, v4 ? fmt::format("subnet {} is IPv6-only (it has no IPv4 cidr): its interfaces have IPv6 "
                                        "addresses only; remove private_ips, or give the subnet a cidr",
                                        subnet->id)
                          : fmt::format("subnet {} has no IPv6 block: give it an ipv6_cidr, or remove ipv6_addresses",
                                        subnet->id));
    }
    ok = false;
  } else if (subnet != nullptr && !block->contains(*a)) {
    diag.error(path, fmt::format("{} is outside subnet {} ({})", a->to_string(), subnet->id, block->to_string()));
    ok = false;
  } else if (subnet != nullptr) {
    if (auto reason = reserved_reason(*subnet, *block, *a)) {
      diag.error(path, *reason);
      ok = false;
    }
  }
  if (auto [it, first] = seen.private_addresses.try_emplace(*a, path); !first) {
    diag.error(path, fmt::format("{} is already assigned at {}; an address belongs to one interface", a->to_string(),
                                 it->second));
    ok = false;
  }
  if (!ok) return std::nullopt;
  return *a;
}

void convert_groups(const pb::NetworkInterface& n, const std::string& path, Eni& eni, ConversionContext& ctx) {
  if (n.security_groups().empty()) {
    // EC2 User Guide: an instance launched without a group gets the VPC's default group.
    eni.groups.push_back(ctx.net.vpc.default_sg);
    return;
  }
  if (n.security_groups_size() > kMaxGroupsPerInterface) {
    ctx.diag.error(at(path + ".security_groups", kMaxGroupsPerInterface),
                   fmt::format("an interface can have at most {} security groups (AWS quota \"Security groups per "
                               "network interface\"); this one lists {}",
                               kMaxGroupsPerInterface, n.security_groups_size()));
  }
  for (int k = 0; k < n.security_groups_size(); ++k) {
    const std::string group_path = at(path + ".security_groups", static_cast<std::size_t>(k));
    const auto id = ctx.sgs.resolve(n.security_groups(k), group_path, ctx.diag);
    if (!id) continue;
    if (std::ranges::find(eni.groups, *id) != eni.groups.end()) {
      ctx.diag.error(group_path, fmt::format("security group {} is listed twice on this interface; remove one",
                                             n.security_groups(k)));
      continue;
    }
    eni.groups.push_back(*id);
  }
}

void convert_public_ip(const std::string& text, bool ipv6_only, const std::string& path, Eni& eni,
                       InterfaceChecks& seen, ConversionContext& ctx) {
  auto a = IpAddress::parse(text);
  if (!a) {
    ctx.diag.error(path, a.error());
    return;
  }
  if (ipv6_only) {
    // VPC User Guide, "Internet gateways": the gateway translates a public IPv4 address to the
    // interface's private IPv4 address, which an IPv6-only interface does not have.
    ctx.diag.error(path, fmt::format("{} cannot be the public IP of an IPv6-only interface: the internet gateway "
                                     "translates a public IPv4 to the interface's private IPv4, and it has none; "
                                     "remove public_ip (its IPv6 addresses are reachable as they are)",
                                     a->to_string()));
    return;
  }
  if (!a->is_v4()) {
    ctx.diag.error(path, fmt::format("{} is IPv6; public_ip is a public IPv4 or Elastic IP address (an interface's "
                                     "IPv6 addresses go in ipv6_addresses)",
                                     a->to_string()));
    return;
  }
  if (const Cidr* block = vpc_block_containing(ctx.net.vpc, *a)) {
    ctx.diag.error(path, fmt::format("{} is inside the VPC's block {}; a public IP is an address on the internet, "
                                     "outside the VPC",
                                     a->to_string(), block->to_string()));
    return;
  }
  if (auto [it, first] = seen.public_addresses.try_emplace(*a, path); !first) {
    ctx.diag.error(path, fmt::format("{} is already the public IP at {}", a->to_string(), it->second));
    return;
  }
  eni.public_ipv4 = *a;
}

// EC2 API ConnectionTrackingSpecificationRequest: each idle timeout has its range; 0 (left
// out) keeps AWS's default, which for TCP established is 350 s on Nitro v6 instance types.
void convert_connection_tracking(const pb::ConnectionTracking& c, const std::string& path, Eni& eni,
                                 Diagnostics& diag) {
  ConntrackTimeouts& t = eni.conntrack;
  if (c.nitro_v6()) t.tcp_established = ConntrackTimeouts::kNitroV6TcpEstablished;
  struct Timeout {
    std::uint32_t given;
    std::string_view field;
    SimTime min, max;
    SimTime& out;
  };
  for (const Timeout& x : {
           Timeout{c.tcp_established_timeout(), "tcp_established_timeout", ConntrackTimeouts::kTcpEstablishedMin,
                   ConntrackTimeouts::kTcpEstablishedMax, t.tcp_established},
           Timeout{c.udp_stream_timeout(), "udp_stream_timeout", ConntrackTimeouts::kUdpStreamMin,
                   ConntrackTimeouts::kUdpStreamMax, t.udp_stream},
           Timeout{c.udp_timeout(), "udp_timeout", ConntrackTimeouts::kUdpMin, ConntrackTimeouts::kUdpMax, t.udp},
       }) {
    if (x.given == 0) continue;
    const auto whole_seconds = [](SimTime d) { return std::chrono::duration_cast<std::chrono::seconds>(d).count(); };
    if (seconds(x.given) < x.min || seconds(x.given) > x.max) {
      diag.error(path + "." + std::string(x.field),
                 fmt::format("{} {} is out of range {}-{} seconds (EC2 API ConnectionTrackingSpecificationRequest); "
                             "leave it out for AWS's default of {} seconds",
                             x.field, x.given, whole_seconds(x.min), whole_seconds(x.max), whole_seconds(x.out)));
      continue;
    }
    x.out = seconds(x.given);
  }
}

void convert_interface(const pb::Scenario& proto, const pb::NetworkInterface& n, const std::string& path,
                       InstanceId owner, InterfaceChecks& seen, ConversionContext& ctx) {
  const EniId id(static_cast<std::uint32_t>(ctx.net.enis.size()));
  Eni eni{n.id(), SubnetId{}, owner, {}, {}, std::nullopt, {}, {}};
  if (n.id().empty()) {
    ctx.diag.error(path + ".id", "id is required: flows may refer to the interface by it (e.g. \"eni-web\")");
  }
  if (ctx.enis.add(n.id(), id, path + ".id", ctx.diag)) {
    ctx.endpoints.add(n.id(), {Endpoint(id), "interface", path}, path + ".id", ctx.diag);
  }

  SubnetOf where;
  if (n.subnet().empty()) {
    ctx.diag.error(path + ".subnet", "subnet is required: the id of the subnet the interface is in");
  } else if (auto s = ctx.subnets.resolve(n.subnet(), path + ".subnet", ctx.diag)) {
    eni.subnet = *s;
    where.subnet = &ctx.net.subnet(*s);
    // Subnet ids are the positions of the scenario's subnets.
    where.declares_ipv4 = !proto.subnets(static_cast<int>(s->value)).cidr().empty();
    where.declares_ipv6 = !proto.subnets(static_cast<int>(s->value)).ipv6_cidr().empty();
  }

  // An interface has a private IPv4 address, or, IPv6-only, only IPv6 addresses ("IPv6-only
  // subnets and EC2 instances": such instances "do not require private IPv4 addresses").
  if (n.private_ips().empty() && n.ipv6_addresses().empty()) {
    ctx.diag.error(path + ".private_ips",
                   "an interface needs at least one address: private_ips (IPv4, its primary first), or for an "
                   "IPv6-only interface ipv6_addresses");
  }
  for (int k = 0; k < n.private_ips_size(); ++k) {
    if (auto a = convert_private_address(n.private_ips(k), Family::kIpv4, where,
                                         at(path + ".private_ips", static_cast<std::size_t>(k)), seen, ctx.diag)) {
      eni.private_ipv4.push_back(*a);
    }
  }
  for (int k = 0; k < n.ipv6_addresses_size(); ++k) {
    if (auto a = convert_private_address(n.ipv6_addresses(k), Family::kIpv6, where,
                                         at(path + ".ipv6_addresses", static_cast<std::size_t>(k)), seen, ctx.diag)) {
      eni.ipv6.push_back(*a);
    }
  }
  // IPv6-only interfaces belong in IPv6-only subnets: every interface in a subnet with an
  // IPv4 block has a primary private IPv4 address from it (EC2 API Reference, RunInstances: "All
  // instances have a network interface with a primary private IPv4 address. If you don't
  // specify this address, we choose one from the IPv4 range of your subnet":
  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RunInstances.html), and
  // instances without one are launched into IPv6-only subnets (AWS Networking blog, "Introducing
  // IPv6-only subnets and EC2 instances"; VPC User Guide, "Subnets for your VPC": an IPv6-only
  // subnet "has an IPv6 CIDR block but does not have an IPv4 CIDR block":
  // https://docs.aws.amazon.com/vpc/latest/userguide/configure-subnets.html).
  if (n.private_ips().empty() && !n.ipv6_addresses().empty() && where.subnet != nullptr &&
      where.subnet->ipv4_cidr) {
    ctx.diag.error(path + ".private_ips",
                   fmt::format("the interface has no private IPv4 address, but subnet {} has an IPv4 block ({}): AWS "
                               "gives every interface in such a subnet a primary private IPv4 address from it, and "
                               "IPv6-only interfaces are launched into IPv6-only subnets only; add private_ips (an "
                               "address in {}), or put the interface in an IPv6-only subnet (one with ipv6_cidr and "
                               "no cidr)",
                               where.subnet->id, where.subnet->ipv4_cidr->to_string(),
                               where.subnet->ipv4_cidr->to_string()));
  }
  if (!n.public_ip().empty()) {
    const bool ipv6_only = n.private_ips().empty() && !n.ipv6_addresses().empty();
    convert_public_ip(n.public_ip(), ipv6_only, path + ".public_ip", eni, seen, ctx);
  }
  convert_groups(n, path, eni, ctx);
  if (n.has_connection_tracking()) {
    convert_connection_tracking(n.connection_tracking(), path + ".connection_tracking", eni, ctx.diag);
  }
  ctx.net.enis.push_back(std::move(eni));
  ctx.net.instances[owner.value].enis.push_back(id);
}

}  // namespace

void convert_instances(const pb::Scenario& proto, ConversionContext& ctx) {
  InterfaceChecks seen;
  for (int i = 0; i < proto.instances_size(); ++i) {
    const pb::Instance& in = proto.instances(i);
    const std::string path = at("instances", static_cast<std::size_t>(i));
    const InstanceId id(static_cast<std::uint32_t>(ctx.net.instances.size()));
    ctx.net.instances.push_back(Instance{in.name(), in.role(), in.description(), {}});
    if (in.name().empty()) ctx.diag.error(path + ".name", "name is required: flows refer to the instance by it");
    const bool named = ctx.instances.add(in.name(), id, path + ".name", ctx.diag);
    if (in.interfaces().empty()) {
      ctx.diag.error(path + ".interfaces", "an instance needs at least one network interface (its eth0)");
    }
    // Register the name before the interfaces, so that a clash names the instance first.
    const std::size_t first_eni = ctx.net.enis.size();
    if (named) {
      std::optional<Endpoint> primary;
      if (!in.interfaces().empty()) primary = Endpoint(EniId(static_cast<std::uint32_t>(first_eni)));
      ctx.endpoints.add(in.name(), {primary, "instance", path}, path + ".name", ctx.diag);
    }
    for (int j = 0; j < in.interfaces_size(); ++j) {
      convert_interface(proto, in.interfaces(j), at(path + ".interfaces", static_cast<std::size_t>(j)), id, seen, ctx);
    }
  }
}

void convert_internet_hosts(const pb::Scenario& proto, ConversionContext& ctx) {
  for (int i = 0; i < proto.internet_hosts_size(); ++i) {
    const pb::InternetHost& h = proto.internet_hosts(i);
    const std::string path = at("internet_hosts", static_cast<std::size_t>(i));
    const ExternalHostId id(static_cast<std::uint32_t>(ctx.net.external_hosts.size()));
    ExternalHost host{h.name(), IpAddress{}, h.description()};
    if (h.name().empty()) ctx.diag.error(path + ".name", "name is required: flows refer to the host by it");
    if (ctx.hosts.add(h.name(), id, path + ".name", ctx.diag)) {
      ctx.endpoints.add(h.name(), {Endpoint(id), "internet host", path}, path + ".name", ctx.diag);
    }
    if (h.address().empty()) {
      ctx.diag.error(path + ".address", "address is required: the host's IPv4 or IPv6 address on the internet");
    } else if (auto a = IpAddress::parse(h.address()); !a) {
      ctx.diag.error(path + ".address", a.error());
    } else if (const Cidr* block = vpc_block_containing(ctx.net.vpc, *a); block && !aws_service_at(ctx.net, *a)) {
      // The VPC's reserved service addresses (the Amazon DNS server at the primary block's base
      // + 2, a subnet's router at its base + 1) are the exception: model/aws_service.h.
      ctx.diag.error(path + ".address",
                     fmt::format("{} is inside the VPC's block {}; an internet host is outside the VPC (model hosts "
                                 "inside it as instances; of the VPC's own addresses only the Amazon DNS server "
                                 "{} and a subnet's router, its base + 1, may be named here)",
                                 a->to_string(), block->to_string(), amazon_dns_address(ctx.net.vpc)));
    } else {
      host.address = *a;
    }
    ctx.net.external_hosts.push_back(std::move(host));
  }
}

}  // namespace vpcsim::io
