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
      : net_(net), filters_(filters), ev_(net, filters), q_(q) {
    // The internet-gateway leg depends on the interface, the family and the direction only.
    route_ok_.resize(net.enis.size());
    for (std::uint32_t e = 0; e < net.enis.size(); ++e) {
      const Eni& x = net.eni(EniId(e));
      const bool has_public = q.family == Family::kIpv4 ? x.public_ipv4.has_value() : !x.ipv6.empty();
      route_ok_[e][slot(Direction::kIngress)] = net.vpc.internet_gateway && has_public;
      route_ok_[e][slot(Direction::kEgress)] = net.vpc.internet_gateway && has_public && net.subnet(x.subnet).internet_route;
    }
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
    if (cli.has_value() != srv.has_value() &&
        exempt_service(net_, *request, cli ? Direction::kEgress : Direction::kIngress)) {
      // An AWS service that security groups and network ACLs never filter (model/aws_service.h):
      // PathEvaluator::trace_into passes the request and every reply, whatever the client port.
      for (ReachCell* c : {&stateless, &stateful}) {
        c->applicable = true;
        c->request = true;
        c->reply = Coverage::kAll;
        c->example_port = first_port;
      }
      return;
    }
    const bool delivered = this->delivered(cli, srv, *request, {});
    for (ReachCell* c : {&stateless, &stateful}) {
      c->applicable = true;
      c->request = delivered;
      c->example_port = first_port;
    }
    if (!delivered) return;

    // Reply classes: where any rule on the reply path starts or stops matching. The stateful
    // model passes tracked replies at the groups, so only the ACLs' boundaries cut its range.
    nacl_starts_.assign(1, first_port);
    if (ports) {
      const auto add = [](Cuts& to, const Cuts& c) { to.insert(to.end(), c.begin(), c.end()); };
      const bool same_subnet = cli && srv && net_.eni(*cli).subnet == net_.eni(*srv).subnet;
      if (!same_subnet) {
        if (srv) add(nacl_starts_, nacl_cuts_[net_.nacl_of(*srv).value][slot(Direction::kEgress)]);
        if (cli) add(nacl_starts_, nacl_cuts_[net_.nacl_of(*cli).value][slot(Direction::kIngress)]);
      }
      starts_ = nacl_starts_;
      if (srv) add(starts_, sg_cuts_[srv->value][slot(Direction::kEgress)]);
      if (cli) add(starts_, sg_cuts_[cli->value][slot(Direction::kIngress)]);
      normalise(starts_);
      normalise(nacl_starts_);
    } else {
      starts_ = nacl_starts_;
    }
    // Stateful: the server's interface tracked the request at its SG ingress, the client's at
    // its SG egress; each passes the reply unless the flow is untracked there.
    const TrackedHops tracked{srv && !untracked_[srv->value][slot(Direction::kIngress)],
                              cli && !untracked_[cli->value][slot(Direction::kEgress)]};
    // Each hop of the reply path is judged at its own class starts only; a class of the union
    // is delivered when every hop passes it (the hops' verdicts are independent of each other).
    const Packet reply = request->reply();
    const bool same_subnet = cli && srv && net_.eni(*cli).subnet == net_.eni(*srv).subnet;
    const bool route_ok = same_subnet || (srv && cli) || (srv && route_ok_[srv->value][slot(Direction::kEgress)]) ||
                          (cli && route_ok_[cli->value][slot(Direction::kIngress)]);
    for (const FilteringModel m : {FilteringModel::kStateless, FilteringModel::kStateful}) {
      ReachCell& cell = m == FilteringModel::kStateless ? stateless : stateful;
      const bool stateful_model = m == FilteringModel::kStateful;
      const bool sg_out = srv && !(stateful_model && tracked.sg_egress);
      const bool sg_in = cli && !(stateful_model && tracked.sg_ingress);
      // With both group hops tracked only the ACL boundaries matter.
      const Cuts& classes = !sg_out && !sg_in ? nacl_starts_ : starts_;
      ok_.assign(classes.size(), route_ok ? 1 : 0);
      const auto judge = [&](const Cuts& own, auto&& passes) {
        if (std::ranges::find(ok_, 1) == ok_.end()) return;
        const auto at = [&](std::uint16_t port) {
          Packet r = reply;
          if (ports) r.dst_port = port;
          return passes(r);
        };
        std::size_t k = 0;
        bool verdict = at(first_port);
        for (std::size_t i = 0; i < classes.size(); ++i) {
          while (k < own.size() && own[k] <= classes[i]) verdict = at(own[k++]);
          if (!verdict) ok_[i] = 0;
        }
      };
      if (sg_out) {
        judge(sg_cuts_[srv->value][slot(Direction::kEgress)],
              [&](const Packet& r) { return filters_.sg(*srv, Direction::kEgress, r).allowed; });
      }
      if (!same_subnet && srv) {
        const NaclId acl = net_.nacl_of(*srv);
        judge(nacl_cuts_[acl.value][slot(Direction::kEgress)],
              [&](const Packet& r) { return filters_.nacl(acl, Direction::kEgress, r).action == RuleAction::kAllow; });
      }
      if (!same_subnet && cli) {
        const NaclId acl = net_.nacl_of(*cli);
        judge(nacl_cuts_[acl.value][slot(Direction::kIngress)],
              [&](const Packet& r) { return filters_.nacl(acl, Direction::kIngress, r).action == RuleAction::kAllow; });
      }
      if (sg_in) {
        judge(sg_cuts_[cli->value][slot(Direction::kIngress)],
              [&](const Packet& r) { return filters_.sg(*cli, Direction::kIngress, r).allowed; });
      }
      const auto dropped = std::ranges::find(ok_, 0);
      const bool any = std::ranges::find(ok_, 1) != ok_.end();
      if (dropped != ok_.end() && ports) cell.example_port = classes[static_cast<std::size_t>(dropped - ok_.begin())];
      cell.reply = dropped == ok_.end() ? Coverage::kAll : any ? Coverage::kSome : Coverage::kNone;
    }
  }

 private:
  static constexpr std::size_t slot(Direction d) { return d == Direction::kIngress ? 0 : 1; }

  // PathEvaluator::trace_into's verdict without building the trace: the same hops in the
  // same order (the tests hold the two to agreement on every pair).
  bool delivered(std::optional<EniId> src, std::optional<EniId> dst, const Packet& p, TrackedHops tracked) const {
    if (src && !tracked.sg_egress && !filters_.sg(*src, Direction::kEgress, p).allowed) return false;
    const bool same_subnet = src && dst && net_.eni(*src).subnet == net_.eni(*dst).subnet;
    if (!same_subnet) {
      if (src && filters_.nacl(net_.nacl_of(*src), Direction::kEgress, p).action != RuleAction::kAllow) return false;
      if (src && !dst && !route_ok_[src->value][slot(Direction::kEgress)]) return false;
      if (!src && dst && !route_ok_[dst->value][slot(Direction::kIngress)]) return false;
      if (dst && filters_.nacl(net_.nacl_of(*dst), Direction::kIngress, p).action != RuleAction::kAllow) return false;
    }
    return !dst || tracked.sg_ingress || filters_.sg(*dst, Direction::kIngress, p).allowed;
  }

  const Network& net_;
  const CompiledFilters& filters_;
  PathEvaluator ev_;
  ReachQuery q_;
  std::vector<std::array<Cuts, 2>> sg_cuts_;
  std::vector<std::array<Cuts, 2>> nacl_cuts_;
  std::vector<std::array<bool, 2>> untracked_;
  std::vector<std::array<bool, 2>> route_ok_;
  Cuts starts_;
  Cuts nacl_starts_;
  std::vector<char> ok_;
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
