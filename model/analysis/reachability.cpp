#include "model/analysis/reachability.h"

#include <algorithm>
#include <array>

namespace vpcsim::analysis {

std::string_view to_string(Coverage c) {
  switch (c) {
    case Coverage::kNone: return "none";
    case Coverage::kSome: return "some";
    case Coverage::kAll: return "all";
  }
  return "?";
}

ReachMatrix::ReachMatrix(std::vector<Endpoint> clients, std::vector<Endpoint> servers, ReachQuery q)
    : clients_(std::move(clients)), servers_(std::move(servers)), query_(q) {
  for (auto& cells : cells_) cells.resize(clients_.size() * servers_.size());
}

std::vector<Endpoint> all_endpoints(const Network& net) {
  std::vector<Endpoint> out;
  for (std::uint32_t i = 0; i < net.enis.size(); ++i) out.emplace_back(EniId(i));
  for (std::uint32_t i = 0; i < net.external_hosts.size(); ++i) out.emplace_back(ExternalHostId(i));
  return out;
}

std::optional<Packet> query_packet(const PathEvaluator& ev, const Endpoint& client, const Endpoint& server,
                                   const ReachQuery& q, std::uint16_t client_port) {
  auto p = ev.make_packet(client, server, q.family, q.protocol, client_port, q.port, q.icmp_type, q.icmp_code);
  if (!p) return std::nullopt;
  return *p;
}

namespace {

using Cuts = std::vector<std::uint16_t>;  // class starts inside the client-port range, sorted

// The ports inside `range` where a rule of `t` begins or ends selecting `protocol` traffic.
void add_cuts(Cuts& cuts, const TrafficMatch& t, std::uint8_t protocol, PortRange range) {
  if (t.protocol.is_all() || t.protocol.value() != protocol) return;
  const PortRange p = t.ports;
  if (p.from > range.from && p.from <= range.to) cuts.push_back(p.from);
  if (p.to >= range.from && p.to < range.to) cuts.push_back(static_cast<std::uint16_t>(p.to + 1));
}

void normalise(Cuts& c) {
  std::ranges::sort(c);
  c.erase(std::unique(c.begin(), c.end()), c.end());
}

// What the engine's PathEvaluator::exchange does, with the per-interface facts that do not
// depend on the pair hoisted out: connection tracking (flow_is_untracked depends on the
// interface, the direction, protocol and port only) and the rules' port boundaries.
class MatrixBuilder {
 public:
  MatrixBuilder(const Network& net, const CompiledFilters& filters, const ReachQuery& q)
      : net_(net), ev_(net, filters), q_(q) {
    const bool ports = q.protocol == Protocol::kTcp || q.protocol == Protocol::kUdp;
    sg_cuts_.resize(net.enis.size());
    untracked_.resize(net.enis.size());
    Packet probe;
    probe.protocol = q.protocol;
    probe.dst_port = q.port;
    probe.src = probe.dst = q.family == Family::kIpv4 ? IpAddress::v4(0) : IpAddress::v6(0);
    for (std::uint32_t e = 0; e < net.enis.size(); ++e) {
      for (const Direction d : {Direction::kIngress, Direction::kEgress}) {
        untracked_[e][slot(d)] = flow_is_untracked(net, EniId(e), d, probe);
        if (!ports) continue;
        for (const SgId g : net.enis[e].groups) {
          if (g.value >= net.security_groups.size()) continue;
          for (const SgRule& r : net.sg(g).rules(d)) add_cuts(sg_cuts_[e][slot(d)], r.traffic, q.protocol, q.client_ports);
        }
        normalise(sg_cuts_[e][slot(d)]);
      }
    }
    nacl_cuts_.resize(net.network_acls.size());
    for (std::uint32_t a = 0; a < net.network_acls.size(); ++a) {
      for (const Direction d : {Direction::kIngress, Direction::kEgress}) {
        if (!ports) continue;
        for (const NaclEntry& en : net.network_acls[a].entries(d)) add_cuts(nacl_cuts_[a][slot(d)], en.traffic, q.protocol, q.client_ports);
        normalise(nacl_cuts_[a][slot(d)]);
      }
    }
  }

  void fill(const Endpoint& client, const Endpoint& server, ReachCell& stateless, ReachCell& stateful) {
    const auto cli = as_eni(client);
    const auto srv = as_eni(server);
    if (client == server || (!cli && !srv)) return;
    const bool ports = q_.protocol == Protocol::kTcp || q_.protocol == Protocol::kUdp;
    const std::uint16_t first_port = ports ? q_.client_ports.from : 0;
    const auto request = query_packet(ev_, client, server, q_, first_port);
    if (!request) return;
    ev_.trace_into(trace_, client, server, *request);
    for (ReachCell* c : {&stateless, &stateful}) {
      c->applicable = true;
      c->request = trace_.delivered();
      c->example_port = first_port;
    }
    if (!trace_.delivered()) return;

    // Reply classes: where any rule on the reply path starts or stops matching.
    starts_.assign(1, first_port);
    if (ports) {
      const auto add = [&](const Cuts& c) { starts_.insert(starts_.end(), c.begin(), c.end()); };
      if (srv) add(sg_cuts_[srv->value][slot(Direction::kEgress)]);
      if (cli) add(sg_cuts_[cli->value][slot(Direction::kIngress)]);
      const bool same_subnet = cli && srv && net_.eni(*cli).subnet == net_.eni(*srv).subnet;
      if (!same_subnet) {
        if (srv) add(nacl_cuts_[net_.nacl_of(*srv).value][slot(Direction::kEgress)]);
        if (cli) add(nacl_cuts_[net_.nacl_of(*cli).value][slot(Direction::kIngress)]);
      }
      normalise(starts_);
    }
    // Stateful: the server's interface tracked the request at its SG ingress, the client's at
    // its SG egress; each passes the reply unless the flow is untracked there.
    const TrackedHops tracked{srv && !untracked_[srv->value][slot(Direction::kIngress)],
                              cli && !untracked_[cli->value][slot(Direction::kEgress)]};
    for (const FilteringModel m : {FilteringModel::kStateless, FilteringModel::kStateful}) {
      ReachCell& cell = m == FilteringModel::kStateless ? stateless : stateful;
      bool any = false, all = true;
      for (const std::uint16_t port : starts_) {
        Packet req = *request;
        req.src_port = ports ? port : 0;
        ev_.trace_into(reply_, server, client, req.reply(), m == FilteringModel::kStateful ? tracked : TrackedHops{});
        if (reply_.delivered()) {
          any = true;
        } else {
          if (all) cell.example_port = req.src_port;
          all = false;
        }
      }
      cell.reply = all ? Coverage::kAll : any ? Coverage::kSome : Coverage::kNone;
    }
  }

 private:
  static constexpr std::size_t slot(Direction d) { return d == Direction::kIngress ? 0 : 1; }

  const Network& net_;
  PathEvaluator ev_;
  ReachQuery q_;
  std::vector<std::array<Cuts, 2>> sg_cuts_;
  std::vector<std::array<Cuts, 2>> nacl_cuts_;
  std::vector<std::array<bool, 2>> untracked_;
  PathTrace trace_;
  PathTrace reply_;
  Cuts starts_;
};

}  // namespace

ReachMatrix reachability(const Network& net, const CompiledFilters& filters, std::vector<Endpoint> clients,
                         std::vector<Endpoint> servers, const ReachQuery& q) {
  ReachMatrix m(std::move(clients), std::move(servers), q);
  MatrixBuilder b(net, filters, q);
  for (std::size_t i = 0; i < m.clients().size(); ++i) {
    for (std::size_t j = 0; j < m.servers().size(); ++j) {
      b.fill(m.clients()[i], m.servers()[j], m.at(FilteringModel::kStateless, i, j), m.at(FilteringModel::kStateful, i, j));
    }
  }
  return m;
}

}  // namespace vpcsim::analysis
