// Small networks written by hand for the model tests: a VPC with AWS's default group and ACL,
// and one-line helpers for subnets, groups, interfaces, rules and packets.
//
// Text helpers (ip, cidr, the packet makers) call .value() on the parse result: a typo in a
// test should stop it loudly (std::bad_expected_access), not become a silent wrong address.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/cidr.h"
#include "model/ip_address.h"
#include "model/network.h"
#include "model/network_acl.h"
#include "model/packet.h"
#include "model/protocol.h"
#include "model/security_group.h"
#include "model/traffic_match.h"

namespace vpcsim::test {

inline IpAddress ip(std::string_view text) { return IpAddress::parse(text).value(); }
inline Cidr cidr(std::string_view text) { return Cidr::parse(text).value(); }

// What a rule selects.
inline TrafficMatch all_traffic() { return TrafficMatch::all(); }
inline TrafficMatch tcp(std::uint16_t port) { return TrafficMatch::tcp(PortRange::single(port)); }
inline TrafficMatch tcp(std::uint16_t from, std::uint16_t to) { return TrafficMatch::tcp(PortRange{from, to}); }
inline TrafficMatch udp(std::uint16_t port) { return TrafficMatch::udp(PortRange::single(port)); }
inline TrafficMatch udp(std::uint16_t from, std::uint16_t to) { return TrafficMatch::udp(PortRange{from, to}); }
inline TrafficMatch icmp(long type = -1, long code = -1) {
  return {Protocol::icmp(), PortRange::all(), IcmpMatch::make(type, code).value()};
}
inline TrafficMatch icmpv6(long type = -1, long code = -1) {
  return {Protocol::icmpv6(), PortRange::all(), IcmpMatch::make(type, code).value()};
}
inline TrafficMatch protocol_number(std::uint8_t n) { return {Protocol::number(n), PortRange::all(), {}}; }

// Packets; the family follows the addresses.
inline Packet tcp_packet(std::string_view src, std::uint16_t src_port, std::string_view dst, std::uint16_t dst_port) {
  return {ip(src), ip(dst), Protocol::kTcp, src_port, dst_port, 0, 0};
}
inline Packet udp_packet(std::string_view src, std::uint16_t src_port, std::string_view dst, std::uint16_t dst_port) {
  return {ip(src), ip(dst), Protocol::kUdp, src_port, dst_port, 0, 0};
}
// ICMP for IPv4 addresses, ICMPv6 for IPv6 ones.
inline Packet icmp_packet(std::string_view src, std::string_view dst, std::uint8_t type, std::uint8_t code = 0) {
  const IpAddress s = ip(src);
  return {s, ip(dst), s.is_v4() ? Protocol::kIcmp : Protocol::kIcmpv6, 0, 0, type, code};
}
inline Packet protocol_packet(std::string_view src, std::string_view dst, std::uint8_t protocol) {
  return {ip(src), ip(dst), protocol, 0, 0, 0, 0};
}

class NetworkBuilder {
 public:
  // A VPC with AWS's defaults: security group "sg-default" (SgId 0, named "default": all
  // inbound from itself, all outbound) and network ACL "acl-default" (NaclId 0, allows all).
  explicit NetworkBuilder(std::string_view ipv4_cidr = "10.0.0.0/16", std::optional<std::string_view> ipv6_cidr = {}) {
    net_.vpc.id = "vpc-test";
    net_.vpc.ipv4_cidrs.push_back(cidr(ipv4_cidr));
    if (ipv6_cidr) net_.vpc.ipv6_cidrs.push_back(cidr(*ipv6_cidr));
    SecurityGroup sg{"sg-default", "default", "default VPC security group", {}, {}};
    add_vpc_default_sg_rules(sg, SgId(0), net_.vpc.has_ipv6());
    net_.security_groups.push_back(std::move(sg));
    net_.vpc.default_sg = SgId(0);
    NetworkAcl acl{"acl-default", true, {}, {}};
    add_default_nacl_entries(acl, net_.vpc.has_ipv6());
    net_.network_acls.push_back(std::move(acl));
    net_.vpc.default_nacl = NaclId(0);
  }

  NetworkBuilder& internet_gateway(bool attached = true) {
    net_.vpc.internet_gateway = attached;
    return *this;
  }

  // A subnet associated with the default ACL; `public_route`: its route table sends the
  // default route to the internet gateway. An empty `ipv4_cidr` makes an IPv6-only subnet.
  SubnetId subnet(std::string id, std::string_view ipv4_cidr, bool public_route = false,
                  std::optional<std::string_view> ipv6_cidr = {}) {
    Subnet s;
    s.id = std::move(id);
    if (!ipv4_cidr.empty()) s.ipv4_cidr = cidr(ipv4_cidr);
    if (ipv6_cidr) s.ipv6_cidr = cidr(*ipv6_cidr);
    s.availability_zone = "us-east-1a";
    s.nacl = net_.vpc.default_nacl;
    s.internet_route = public_route;
    return push(net_.subnets, std::move(s), SubnetId{});
  }

  // A custom ACL with no entries: like a new one, it denies everything until entries are added.
  NaclId nacl(std::string id) { return push(net_.network_acls, NetworkAcl{std::move(id), false, {}, {}}, NaclId{}); }
  NetworkBuilder& associate(SubnetId subnet, NaclId acl) {
    net_.subnets.at(subnet.value).nacl = acl;
    return *this;
  }
  NetworkBuilder& nacl_entry(NaclId acl, Direction d, int number, RuleAction action, TrafficMatch t,
                             std::string_view remote) {
    NetworkAcl& a = net_.nacl(acl);
    a.entries(d).push_back({number, action, t, cidr(remote)});
    a.sort_entries();
    return *this;
  }

  // A group with no rules at all, in either direction: tests add exactly the rules they mean.
  SgId sg(std::string id) {
    std::string name = id;
    return push(net_.security_groups, SecurityGroup{std::move(id), std::move(name), {}, {}, {}}, SgId{});
  }
  NetworkBuilder& ingress(SgId sg, TrafficMatch t, Peer peer) {
    return rule(sg, Direction::kIngress, t, std::move(peer));
  }
  NetworkBuilder& egress(SgId sg, TrafficMatch t, Peer peer) {
    return rule(sg, Direction::kEgress, t, std::move(peer));
  }
  NetworkBuilder& rule(SgId sg, Direction d, TrafficMatch t, Peer peer) {
    net_.sg(sg).rules(d).push_back(SgRule{{}, t, std::move(peer), {}});
    return *this;
  }

  // An instance `name` with one interface "eni-<name>" in `subnet`. An IPv6 `private_ipv4`
  // makes an IPv6-only interface: that address is its only one.
  EniId instance(std::string name, SubnetId subnet, std::string_view private_ipv4, std::vector<SgId> groups) {
    const auto inst = push(net_.instances, Instance{name, {}, {}, {}}, InstanceId{});
    return attach_eni(inst, "eni-" + name, subnet, private_ipv4, std::move(groups));
  }
  // Another interface for an existing instance.
  EniId attach_eni(InstanceId inst, std::string eni_id, SubnetId subnet, std::string_view private_ipv4,
                   std::vector<SgId> groups) {
    Eni e;
    e.id = std::move(eni_id);
    e.subnet = subnet;
    e.instance = inst;
    const IpAddress a = ip(private_ipv4);
    (a.is_v4() ? e.private_ipv4 : e.ipv6).push_back(a);
    e.groups = std::move(groups);
    const EniId id = push(net_.enis, std::move(e), EniId{});
    net_.instances.at(inst.value).enis.push_back(id);
    return id;
  }
  // For secondary, IPv6 and public addresses.
  Eni& eni(EniId id) { return net_.enis.at(id.value); }

  ExternalHostId external_host(std::string name, std::string_view address) {
    return push(net_.external_hosts, ExternalHost{std::move(name), ip(address), {}}, ExternalHostId{});
  }
  PrefixListId prefix_list(std::string id, std::vector<std::string_view> entries) {
    PrefixList pl{id, id, Family::kIpv4, {}};
    for (const std::string_view e : entries) pl.entries.push_back(cidr(e));
    if (!pl.entries.empty()) pl.family = pl.entries.front().family();
    return push(net_.prefix_lists, std::move(pl), PrefixListId{});
  }

  Network& net() { return net_; }
  const Network& net() const { return net_; }
  Network build() const { return net_; }

 private:
  template <class T, class IdT>
  static IdT push(std::vector<T>& items, T item, IdT) {
    items.push_back(std::move(item));
    return IdT(static_cast<std::uint32_t>(items.size() - 1));
  }

  Network net_;
};

}  // namespace vpcsim::test
