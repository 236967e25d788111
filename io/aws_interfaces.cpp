// Interfaces and their owners from AWS CLI JSON: describe-network-interfaces, and the
// interfaces describe-instances lists; stand-in owners and subnets where the dump has none.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "io/aws_import_state.h"
#include "model/cidr.h"

namespace vpcsim::io {

namespace {

// The group given to interfaces AWS filters with no security group (NAT gateways): it
// allows everything both ways, so only the subnet's network ACL decides, as in AWS.
constexpr std::string_view kNoSecurityGroup = "vpcsim-no-security-group";

void add_interface(const aws::NetworkInterface& eni, const AwsOrigin& at, pb::Instance& owner,
                   const std::string& owner_path, AwsImportState& state) {
  const std::string path = fmt::format("{}.interfaces[{}]", owner_path, owner.interfaces_size());
  state.record(path, at);
  pb::NetworkInterface& out = *owner.add_interfaces();
  out.set_id(eni.networkinterfaceid());
  out.set_subnet(eni.subnetid());
  // Primary address first (EC2 User Guide, "Multiple IP addresses"); every private IPv4 is
  // one an SG reference matches.
  std::vector<const aws::PrivateIpAddressSpec*> ips;
  for (const auto& p : eni.privateipaddresses()) ips.push_back(&p);
  std::ranges::stable_partition(ips, [](const aws::PrivateIpAddressSpec* p) { return p->primary(); });
  for (const auto* p : ips) out.add_private_ips(p->privateipaddress());
  if (ips.empty() && !eni.privateipaddress().empty()) out.add_private_ips(eni.privateipaddress());
  for (const auto& a : eni.ipv6addresses()) out.add_ipv6_addresses(a.ipv6address());
  // An interface in an IPv6-only subnet has IPv6 addresses only ("IPv6-only subnets and EC2
  // instances": they "do not require private IPv4 addresses"); one with neither has nothing
  // a packet could be addressed to.
  if (out.private_ips_size() == 0 && out.ipv6_addresses_size() == 0) {
    state.error(at.child("PrivateIpAddresses"),
                "the interface has no address: no private IPv4 address (PrivateIpAddresses) and no IPv6 address "
                "(Ipv6Addresses)");
  } else if (out.private_ips_size() == 0) {
    // IPv6 addresses only, in a subnet with an IPv4 block: something AWS never reports. Every
    // interface in such a subnet has a primary private IPv4 address from it (EC2 API
    // Reference, RunInstances: "All instances have a network interface with a primary private
    // IPv4 address"), and IPv6-only instances are launched into IPv6-only subnets only ("IPv6-only
    // subnets and EC2 instances"). So the dump lost the addresses (a --query or a tool that
    // dropped PrivateIpAddresses) or was edited: an error, not a warning, since importing the
    // interface IPv6-only would silently drop every IPv4 flow to it, and its subnet's IPv4 traffic
    // is what the user most likely checks. (The hand-written scenario loader rejects it too.)
    for (const pb::Subnet& subnet : state.out.subnets()) {
      if (subnet.id() != out.subnet() || subnet.cidr().empty()) continue;
      state.error(at.child("PrivateIpAddresses"),
                  fmt::format("the interface has IPv6 addresses but no private IPv4 address, and its subnet {} has "
                              "the IPv4 block {}: AWS gives every interface in such a subnet a primary private IPv4 "
                              "address, and launches IPv6-only instances into IPv6-only subnets only, so the dump "
                              "lost the addresses; export the interfaces again with `aws ec2 "
                              "describe-network-interfaces` (no --query), or add the interface's PrivateIpAddresses",
                              subnet.id(), subnet.cidr()));
      break;
    }
  }
  // The gateway translates the public IPv4 of the primary address 1:1 (VPC User Guide,
  // "Internet gateways"); the model has one per interface.
  std::string public_ip = eni.association().publicip();
  for (const auto* p : ips) {
    if (p->association().publicip().empty()) continue;
    if (public_ip.empty() && p->primary()) public_ip = p->association().publicip();
    if (!p->primary()) {
      state.warn(at.child("PrivateIpAddresses"), fmt::format("secondary address {} has public IP {}; vpcsim models "
                                                             "one public IP per interface (the primary's)",
                                                             p->privateipaddress(), p->association().publicip()));
    }
  }
  out.set_public_ip(public_ip);
  for (int g = 0; g < eni.groups_size(); ++g) {
    const std::string& id = eni.groups(g).groupid();
    if (id.empty()) {
      state.error(at.child("Groups", static_cast<std::size_t>(g)).child("GroupId"), "GroupId is missing");
      continue;
    }
    out.add_security_groups(resolve_group(id, "", "", "", "", GroupUse::kCarriedByInterface,
                                          at.child("Groups", static_cast<std::size_t>(g)), state));
  }
  if (eni.groups_size() == 0) {
    // AWS applies no security group to interfaces it manages without one (a NAT gateway:
    // VPC User Guide, "NAT gateways": "you can't associate a security group with a NAT
    // gateway"); an empty list in the scenario would mean the VPC's default group instead.
    out.add_security_groups(std::string(kNoSecurityGroup));
    state.needs_open_group = true;
    if (!eni.requestermanaged() && eni.interfacetype() != "natGateway" && eni.interfacetype() != "nat_gateway") {
      state.warn(at.child("Groups"),
                 "the interface lists no security group; it is given vpcsim's allow-all "
                 "stand-in, as AWS-managed interfaces without groups are");
    }
  }
  const auto& ct = eni.connectiontrackingconfiguration();
  if (eni.has_connectiontrackingconfiguration()) {
    pb::ConnectionTracking& c = *out.mutable_connection_tracking();
    for (const auto& [value, field, set] :
         {std::tuple{ct.tcpestablishedtimeout(), "TcpEstablishedTimeout",
                     &pb::ConnectionTracking::set_tcp_established_timeout},
          std::tuple{ct.udpstreamtimeout(), "UdpStreamTimeout", &pb::ConnectionTracking::set_udp_stream_timeout},
          std::tuple{ct.udptimeout(), "UdpTimeout", &pb::ConnectionTracking::set_udp_timeout}}) {
      if (value < 0) {
        state.error(at.child("ConnectionTrackingConfiguration").child(field), "a timeout cannot be negative");
      } else {
        (c.*set)(static_cast<std::uint32_t>(value));
      }
    }
  }
  if (!state.subnets.contains(eni.subnetid()) && !eni.subnetid().empty()) {
    auto& addresses = state.missing_subnets.try_emplace(eni.subnetid(), at.child("SubnetId"), std::vector<IpAddress>{})
                          .first->second.second;
    for (const std::string& ip : out.private_ips()) {
      if (auto a = IpAddress::parse(ip)) addresses.push_back(*a);
    }
    for (const std::string& ip : out.ipv6_addresses()) {
      if (auto a = IpAddress::parse(ip)) state.missing_subnet_ipv6[eni.subnetid()].push_back(*a);
    }
  }
  if (eni.subnetid().empty()) state.error(at.child("SubnetId"), "SubnetId is missing");
}

}  // namespace

void convert_interfaces(AwsImportState& state) {
  struct Eni {
    const aws::NetworkInterface* value;
    AwsOrigin origin;
    std::string instance;  // the owning instance's id, or empty
  };
  // describe-network-interfaces first (it has every interface, instance-owned or not), then
  // the interfaces describe-instances lists that it does not.
  std::vector<Eni> enis;
  std::set<std::string> seen;
  std::vector<std::string> other_vpc;
  const AwsOrigin* other_first = nullptr;
  const auto add = [&](const aws::NetworkInterface& e, const AwsOrigin& at, std::string instance) {
    if (e.networkinterfaceid().empty()) {
      state.error(at.child("NetworkInterfaceId"), "NetworkInterfaceId is missing");
      return;
    }
    if (!seen.insert(e.networkinterfaceid()).second) return;
    const bool in_vpc = e.vpcid().empty() ? state.subnets.contains(e.subnetid()) : e.vpcid() == state.vpc_id;
    if (!in_vpc) {
      if (other_first == nullptr) other_first = &at;
      other_vpc.push_back(e.networkinterfaceid());
      return;
    }
    enis.push_back({&e, at, std::move(instance)});
  };
  for (const auto& e : state.dump.network_interfaces) add(*e.value, e.origin, e.value->attachment().instanceid());
  for (const auto& i : state.dump.instances) {
    for (int k = 0; k < i.value->networkinterfaces_size(); ++k) {
      add(i.value->networkinterfaces(k), i.origin.child("NetworkInterfaces", static_cast<std::size_t>(k)),
          i.value->instanceid());
    }
  }
  if (other_first != nullptr) {
    state.warn(*other_first, fmt::format("{} network interfaces of other VPCs left out (vpcsim imports one VPC, {}): "
                                         "{}",
                                         other_vpc.size(), state.vpc_id, fmt::join(other_vpc, ", ")));
  }
  const auto device_order = [](const Eni& e) {
    return std::pair(e.value->attachment().networkcardindex(), e.value->attachment().deviceindex());
  };

  // Instances, named after their Name tag (made unique) or else their id.
  std::set<std::string> names;
  const auto unique_name = [&names](std::string name) {
    std::string candidate = name;
    for (int n = 2; names.contains(candidate); ++n) candidate = fmt::format("{}-{}", name, n);
    names.insert(candidate);
    return candidate;
  };
  std::set<std::string> placed;
  std::set<std::string> instances_seen;
  for (const auto& i : state.dump.instances) {
    const aws::Instance& inst = *i.value;
    if (!instances_seen.insert(inst.instanceid()).second) continue;
    std::vector<const Eni*> own;
    for (const Eni& e : enis) {
      if (e.instance == inst.instanceid()) own.push_back(&e);
    }
    if (own.empty()) {
      // A terminated instance has neither interfaces nor a VpcId.
      if (inst.vpcid() == state.vpc_id || inst.vpcid().empty()) {
        state.warn(i.origin,
                   fmt::format("instance {} ({}) has no network interface in the dump and is left out",
                               inst.instanceid(), inst.state().name().empty() ? "state unknown" : inst.state().name()));
      }
      continue;
    }
    std::ranges::stable_sort(own, {}, [&](const Eni* e) { return device_order(*e); });
    const std::string path = fmt::format("instances[{}]", state.out.instances_size());
    state.record(path, i.origin);
    pb::Instance& out = *state.out.add_instances();
    const std::string name = tag(inst.tags(), "Name");
    out.set_name(unique_name(name.empty() ? inst.instanceid() : name));
    out.set_role(tag(inst.tags(), "Role"));
    out.set_description(fmt::format("{}{}{}", inst.instanceid(),
                                    inst.instancetype().empty() ? "" : " " + inst.instancetype(),
                                    inst.state().name().empty() ? "" : " (" + inst.state().name() + ")"));
    for (const Eni* e : own) {
      add_interface(*e->value, e->origin, out, path, state);
      placed.insert(e->value->networkinterfaceid());
    }
  }
  // Interfaces of instances describe-instances did not list: grouped under the instance id.
  std::map<std::string, std::vector<const Eni*>> orphans;
  std::vector<std::string> orphan_order;
  for (const Eni& e : enis) {
    if (placed.contains(e.value->networkinterfaceid()) || e.instance.empty()) continue;
    if (orphans[e.instance].empty()) orphan_order.push_back(e.instance);
    orphans[e.instance].push_back(&e);
  }
  for (const std::string& id : orphan_order) {
    auto& own = orphans[id];
    std::ranges::stable_sort(own, {}, [&](const Eni* e) { return device_order(*e); });
    const std::string path = fmt::format("instances[{}]", state.out.instances_size());
    state.record(path, own.front()->origin);
    pb::Instance& out = *state.out.add_instances();
    out.set_name(unique_name(id));
    out.set_description(id + " (not in describe-instances)");
    for (const Eni* e : own) {
      add_interface(*e->value, e->origin, out, path, state);
      placed.insert(e->value->networkinterfaceid());
    }
  }
  // Interfaces no instance owns (NAT gateways, endpoints, load balancers, Lambda, detached
  // ones): each gets a stand-in owner named after its type and id, so flows can name it.
  for (const Eni& e : enis) {
    if (placed.contains(e.value->networkinterfaceid())) continue;
    const std::string type = e.value->interfacetype().empty() ? "interface" : e.value->interfacetype();
    const std::string path = fmt::format("instances[{}]", state.out.instances_size());
    state.record(path, e.origin);
    pb::Instance& out = *state.out.add_instances();
    out.set_name(unique_name(type + "-" + e.value->networkinterfaceid()));
    out.set_role(type);
    out.set_description(fmt::format("stand-in owner of {}: {}{}", e.value->networkinterfaceid(),
                                    e.value->description().empty() ? "no instance" : e.value->description(),
                                    e.value->requestermanaged() ? " (requester-managed)" : ""));
    add_interface(*e.value, e.origin, out, path, state);
  }
  if (state.needs_open_group) {
    pb::SecurityGroup& g = *state.out.add_security_groups();
    g.set_id(std::string(kNoSecurityGroup));
    g.set_name("vpcsim: no security group");
    g.set_description("stand-in for interfaces AWS filters with no security group: allows all traffic both ways");
    for (auto* rules : {g.mutable_ingress(), g.mutable_egress()}) {
      for (const char* cidr : {"0.0.0.0/0", "::/0"}) {
        pb::SgRule& r = *rules->Add();
        r.set_protocol("all");
        r.set_cidr(cidr);
      }
    }
  }
  // Stand-in subnets around the addresses of interfaces whose subnet the dump lacks; IPv6-only
  // when those interfaces have IPv6 addresses only.
  for (const auto& [id, where] : state.missing_subnets) {
    const auto& [at, addresses] = where;
    const auto v6 = state.missing_subnet_ipv6.find(id);
    const bool has_v6 = v6 != state.missing_subnet_ipv6.end() && !v6->second.empty();
    if (addresses.empty() && !has_v6) continue;
    std::optional<Cidr> block;
    for (int prefix = 28; prefix >= 16 && !block && !addresses.empty(); --prefix) {
      const Cidr c = Cidr::of(
          IpAddress::v4(static_cast<std::uint32_t>(addresses.front().value() & netmask(Family::kIpv4, prefix))),
          prefix);
      if (std::ranges::all_of(addresses, [&](const IpAddress& a) { return c.contains(a); })) block = c;
    }
    if (!block && !addresses.empty()) {
      state.error(at, fmt::format("subnet {} is not in the dump and its interfaces' addresses span more than a /16: "
                                  "add describe-subnets.json",
                                  id));
      continue;
    }
    state.record(fmt::format("subnets[{}]", state.out.subnets_size()), at);
    pb::Subnet& s = *state.out.add_subnets();
    s.set_id(id);
    if (block) s.set_cidr(block->to_string());
    if (has_v6) {
      const IpAddress& a = v6->second.front();
      s.set_ipv6_cidr(Cidr::of(IpAddress::v6(a.value() & netmask(Family::kIpv6, 64)), 64).to_string());
    }
    state.warn(at, fmt::format("subnet {} is not in the dump: a stand-in {}subnet {} around its interfaces' addresses "
                               "is used, with the default network ACL and no internet route",
                               id, block ? "" : "IPv6-only ", block ? block->to_string() : s.ipv6_cidr()));
  }
}

}  // namespace vpcsim::io
