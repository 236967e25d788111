#include "model/analysis/rule_facts.h"

#include <array>
#include <string>

namespace vpcsim::analysis {

std::vector<Cidr> peer_blocks(const Network& net, const Peer& peer) {
  if (const auto* c = std::get_if<Cidr>(&peer)) return {*c};
  if (const auto* pl = std::get_if<PrefixListId>(&peer)) {
    if (pl->value >= net.prefix_lists.size()) return {};
    return net.prefix_list(*pl).entries;
  }
  const SgId sg = std::get<SgId>(peer);
  std::vector<Cidr> out;
  if (sg.value >= net.security_groups.size()) return out;
  for (const EniId e : net.members_of(sg)) {
    for (const IpAddress& a : net.eni(e).private_ipv4) out.push_back(Cidr::host(a));
    for (const IpAddress& a : net.eni(e).ipv6) out.push_back(Cidr::host(a));
  }
  return out;
}

bool is_world(const Peer& peer) {
  const auto* c = std::get_if<Cidr>(&peer);
  return c && c->is_all();
}

bool traffic_covers(const TrafficMatch& outer, const TrafficMatch& inner) {
  if (outer.protocol.is_all()) return true;
  if (inner.protocol.is_all() || outer.protocol != inner.protocol) return false;
  if (outer.protocol.has_ports()) return outer.ports.from <= inner.ports.from && inner.ports.to <= outer.ports.to;
  if (outer.protocol.is_icmp_family()) {
    if (outer.icmp.type == -1) return true;
    return outer.icmp.type == inner.icmp.type && (outer.icmp.code == -1 || outer.icmp.code == inner.icmp.code);
  }
  return true;  // any other protocol has no ports: same protocol, same traffic
}

bool peer_covers(const Peer& outer, const Peer& inner) {
  const auto* oc = std::get_if<Cidr>(&outer);
  const auto* ic = std::get_if<Cidr>(&inner);
  if (oc && ic) return oc->family() == ic->family() && oc->contains(*ic);
  return outer == inner;
}

bool selects_port(const TrafficMatch& t, std::uint8_t protocol, std::uint16_t port) {
  if (t.protocol.is_all()) return true;
  return t.protocol.value() == protocol && t.protocol.has_ports() && t.ports.contains(port);
}

bool is_return_rule(const TrafficMatch& t) {
  if (t.protocol.is_all() || !t.protocol.has_ports()) return true;
  return t.ports.from <= kLinuxEphemeral.from && kLinuxEphemeral.to <= t.ports.to;
}

namespace {

// Sensitive ones follow Security Hub EC2.13/EC2.14/EC2.19 and the CIS benchmark's admin ports.
constexpr std::array kServicePorts{
    ServicePort{443, "HTTPS", false, true},      ServicePort{80, "HTTP", false, false},
    ServicePort{22, "SSH", true, false},         ServicePort{8080, "HTTP alternate", false, false},
    ServicePort{3306, "MySQL", true, false},     ServicePort{5432, "PostgreSQL", true, false},
    ServicePort{3389, "RDP", true, true},        ServicePort{8443, "HTTPS alternate", false, false},
    ServicePort{53, "DNS", false, true},         ServicePort{25, "SMTP", false, false},
    ServicePort{21, "FTP", true, false},         ServicePort{23, "Telnet", true, false},
    ServicePort{1433, "SQL Server", true, false}, ServicePort{1521, "Oracle", true, false},
    ServicePort{6379, "Redis", true, false},     ServicePort{27017, "MongoDB", true, false},
    ServicePort{9200, "Elasticsearch", true, false}, ServicePort{11211, "Memcached", true, true},
    ServicePort{5601, "Kibana", true, false},    ServicePort{445, "SMB", true, false},
    ServicePort{135, "MS RPC", true, false},     ServicePort{139, "NetBIOS", true, false},
    ServicePort{20, "FTP data", true, false},    ServicePort{5900, "VNC", true, false},
    ServicePort{2375, "Docker API", true, false}, ServicePort{9300, "Elasticsearch transport", true, false},
    ServicePort{2049, "NFS", true, true},        ServicePort{110, "POP3", false, false},
    ServicePort{143, "IMAP", false, false},      ServicePort{993, "IMAPS", false, false},
    ServicePort{995, "POP3S", false, false},     ServicePort{587, "SMTP submission", false, false},
    ServicePort{465, "SMTPS", false, false},     ServicePort{123, "NTP", false, true},
    ServicePort{161, "SNMP", false, true},       ServicePort{389, "LDAP", false, true},
    ServicePort{636, "LDAPS", false, false},     ServicePort{3000, "HTTP dev", false, false},
    ServicePort{5000, "HTTP dev", false, false}, ServicePort{8000, "HTTP alternate", false, false},
    ServicePort{8888, "HTTP alternate", false, false}, ServicePort{9000, "HTTP app", false, false},
    ServicePort{9090, "HTTP app", false, false}, ServicePort{5672, "AMQP", false, false},
    ServicePort{9092, "Kafka", false, false},    ServicePort{2379, "etcd", false, false},
    ServicePort{6443, "Kubernetes API", false, false}, ServicePort{500, "IKE", false, true},
    ServicePort{4500, "IPsec NAT-T", false, true}, ServicePort{1194, "OpenVPN", false, true},
    ServicePort{51820, "WireGuard", false, true},
};

}  // namespace

std::span<const ServicePort> service_ports() { return kServicePorts; }

const ServicePort* find_service_port(std::uint16_t port) {
  const auto it = std::ranges::find(kServicePorts, port, &ServicePort::port);
  return it == kServicePorts.end() ? nullptr : &*it;
}

int port_typo_distance(std::uint16_t a, std::uint16_t b) {
  const std::string s = std::to_string(a);
  const std::string t = std::to_string(b);
  const std::size_t n = s.size(), m = t.size();
  std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = static_cast<int>(i);
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = static_cast<int>(j);
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= m; ++j) {
      const int cost = s[i - 1] == t[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && s[i - 1] == t[j - 2] && s[i - 2] == t[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[n][m];
}

std::vector<std::pair<U128, U128>> address_intervals(std::span<const Cidr> blocks, Family f) {
  std::vector<std::pair<U128, U128>> out;
  for (const Cidr& c : blocks) {
    if (c.family() == f) out.emplace_back(c.first().value(), c.last().value());
  }
  return out;
}

}  // namespace vpcsim::analysis
