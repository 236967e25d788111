// Who can reach whom: for one protocol and port, every (client, server) pair of interfaces
// and internet hosts under both filtering models, computed from the compiled filters. The
// reply's verdict depends on the client's ephemeral port, so it is given over the whole
// client-port range: the port boundaries of the rules on the reply path cut the range into
// classes with one verdict each, and one port per class is evaluated (exact, not sampled).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "model/analysis/rule_facts.h"
#include "model/compiled_filters.h"
#include "model/endpoint.h"
#include "model/path_evaluator.h"

namespace vpcsim::analysis {

struct ReachQuery {
  std::uint8_t protocol = Protocol::kTcp;
  std::uint16_t port = 22;           // server port (tcp/udp)
  std::uint8_t icmp_type = 8;        // icmp/icmpv6
  std::uint8_t icmp_code = 0;
  Family family = Family::kIpv4;
  PortRange client_ports = kWideEphemeral;  // the ports clients may send from (tcp/udp)
};

// Over the client-port range: the reply is delivered for every port, some, or none.
enum class Coverage : std::uint8_t { kNone, kSome, kAll };
std::string_view to_string(Coverage c);

struct ReachCell {
  bool applicable = false;  // false: same endpoint, two internet hosts, or no address of the family
  bool request = false;     // the request is delivered (it does not depend on the client port)
  Coverage reply = Coverage::kNone;
  // The client port whose traces speak for the cell: the first whose reply is dropped when
  // some are, else the first of the range.
  std::uint16_t example_port = 0;

  bool works() const { return request && reply == Coverage::kAll; }
};

class ReachMatrix {
 public:
  ReachMatrix(std::vector<Endpoint> clients, std::vector<Endpoint> servers, ReachQuery q);

  const std::vector<Endpoint>& clients() const { return clients_; }
  const std::vector<Endpoint>& servers() const { return servers_; }
  const ReachQuery& query() const { return query_; }
  const ReachCell& at(FilteringModel m, std::size_t client, std::size_t server) const {
    return cells_[index(m)][client * servers_.size() + server];
  }
  ReachCell& at(FilteringModel m, std::size_t client, std::size_t server) {
    return cells_[index(m)][client * servers_.size() + server];
  }

 private:
  static std::size_t index(FilteringModel m) { return m == FilteringModel::kStateless ? 0 : 1; }
  std::vector<Endpoint> clients_;
  std::vector<Endpoint> servers_;
  ReachQuery query_;
  std::vector<ReachCell> cells_[2];
};

// Every interface (in id order), then every internet host.
std::vector<Endpoint> all_endpoints(const Network& net);

ReachMatrix reachability(const Network& net, const CompiledFilters& filters, std::vector<Endpoint> clients,
                         std::vector<Endpoint> servers, const ReachQuery& q);

// The request packet of a query from `client` (sending from `client_port`) to `server`.
std::optional<Packet> query_packet(const PathEvaluator& ev, const Endpoint& client, const Endpoint& server,
                                   const ReachQuery& q, std::uint16_t client_port);

}  // namespace vpcsim::analysis
